"""TRL adapter: a picklable reward function for ``GRPOTrainer``/``RLOOTrainer`` ``reward_funcs``.

TRL (≥ 1.6) calls ``f(prompts=…, completions=…, completion_ids=…, **columns)`` with one value per
completion in every dataset column, plus ``trainer_state``, ``log_extra`` and ``log_metric``
(``trl/trainer/grpo_trainer.py``, ``_calculate_rewards``). A :class:`TaskReward` returns one
``float | None`` per completion. ``None`` means either "not this function's task" (a row whose
``task`` column names another registered task) or an **ungraded** row (unknown task, a row no
family recognizes, an unusable record); TRL ≥ 1.6 leaves ``None`` out of the group's mean and
advantage (older TRL counts it as 0, and the adapter warns once). Ungraded rows are also counted
and logged once per cause (:mod:`ehrmind_rewards.core.dispatch`), and raise with ``strict=True``.

When TRL passes its hooks, the function reports, per batch, through ``log_metric``: the mean of
each reward component (``<name>/format``, ``<name>/correctness``), ``<name>/format_ok`` and
``<name>/ungraded`` (the share of the batch's completions that could not be graded, 0 when all
were); through ``log_extra``: each completion's reason (column ``<name>_reason``) and the answer
as read (``<name>_parsed``).

Rows may come in any layout a family recognizes — dataset columns in any spelling, EHRMind's
verl parquet (``data_source``, ``reward_model``, ``extra_info``), numpy/pandas/pyarrow values —
see :meth:`~ehrmind_rewards.core.task.TaskFamily.normalize_row`.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from ehrmind_rewards.core import registry
from ehrmind_rewards.core.dispatch import (
    UngradedFailure,
    attempt,
    check_verdict,
    internal_error,
    normalize_batch,
    report_ungraded,
    score_of,
    unknown_task,
)
from ehrmind_rewards.core.rewards import RewardSpec, get_spec
from ehrmind_rewards.core.task import TaskFamily
from schemas.reasons import Reason
from schemas.verdict import Verdict

logger = logging.getLogger("ehrmind_rewards")

_NOT_COLUMNS = frozenset({"trainer_state", "log_extra", "log_metric", "environments"})

NONE_AWARE_TRL = (1, 6)
"""The first TRL release that leaves ``None`` rewards out of the group (earlier: counted as 0)."""
OLD_TRL_WARNING = (
    "ehrmind_rewards: TRL %s counts a None reward as 0, so ungraded rows and rows of other tasks "
    "pull the group's mean down; upgrade to trl>=1.6 (pip install 'ehrmind-rewards[train]')"
)
_warned_old_trl: list[bool] = []


def _warn_if_old_trl() -> None:
    """Warn once per process when the loaded TRL predates ``None``-aware rewards."""
    if _warned_old_trl:
        return
    _warned_old_trl.append(True)
    trl = sys.modules.get("trl")
    version = getattr(trl, "__version__", None)
    if not isinstance(version, str):
        return
    parts: list[int] = []
    for part in version.split(".")[:2]:
        digits = "".join(ch for ch in part if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    if tuple(parts) < NONE_AWARE_TRL:
        logger.warning(OLD_TRL_WARNING, version)


class TaskReward:
    """A TRL reward function for one registered task or for all (``None``).

    Instances are plain picklable objects with a ``__name__`` (TRL logs ``rewards/<name>/mean``).
    ``TaskReward(name)`` is all a newly registered task family needs; ``strict=True`` raises
    :class:`~ehrmind_rewards.core.errors.UngradedError` on the first row that cannot be graded.

    >>> reward = TaskReward(None)
    >>> reward(
    ...     completions=['<think>…</think><answer>{"answer": 25.2}</answer>'],
    ...     calculator_id=[2], ground_truth=["25.238"], lower_limit=["23.9"], upper_limit=["26.5"],
    ... )
    [1.1]
    """

    def __init__(
        self,
        task: str | None = None,
        spec: str | RewardSpec | None = None,
        name: str | None = None,
        *,
        strict: bool = False,
    ) -> None:
        self.task = task
        self.spec = get_spec(spec)
        self.strict = strict
        suffix = "" if self.spec.name == "ehrmind" else f"_{self.spec.name}"
        self.__name__ = name or f"{task or 'ehrmind'}_reward{suffix}"

    def __repr__(self) -> str:
        return f"TaskReward(task={self.task!r}, spec={self.spec.name!r}, strict={self.strict})"

    def _batch_family(self, table: dict[str, Sequence[Any]]) -> TaskFamily | UngradedFailure | None:
        """The family of every row when the columns settle it (no per-row ``task`` column), the
        failure when this function's task is not installed, else ``None`` (rows are dispatched
        one by one)."""
        if "task" in table:
            return None
        if self.task is not None:
            return registry.find(self.task) or unknown_task(self.task)
        return registry.family_for_columns(table)

    def __call__(
        self,
        prompts: Sequence[object] | None = None,
        completions: Sequence[object] | None = None,
        completion_ids: object = None,
        **columns: Any,
    ) -> list[float | None]:
        """Score each completion against its row; see the module docstring."""
        completions = list(completions or ())
        n = len(completions)
        table = {
            key: value
            for key, value in columns.items()
            if key not in _NOT_COLUMNS
            and isinstance(value, Sequence)
            and not isinstance(value, str)
            and len(value) == n
        }
        spec, strict = self.spec, self.strict
        whole_batch = self._batch_family(table) if n else None
        verdicts: list[Verdict | None] = []
        failures: dict[int, str] = {}
        ungraded = 0
        bad_record = Reason.BAD_RECORD
        if isinstance(whole_batch, TaskFamily):  # resolve the verifier and the columns once
            verifier, name = whole_batch.verify_row, whole_batch.name
            rows = normalize_batch(whole_batch, table) if table else [{} for _ in completions]
            for completion, row in zip(completions, rows, strict=True):
                try:
                    verdict = verifier(completion, row, spec)
                except Exception as error:
                    verdict = internal_error(name, error, spec)
                if verdict.reason is bad_record:
                    ungraded += not check_verdict(whole_batch, verdict, strict=strict)
                verdicts.append(verdict)
        elif isinstance(whole_batch, UngradedFailure):
            report_ungraded(whole_batch, strict=strict, rows=n)
            verdicts, ungraded = [None] * n, n
            failures = dict.fromkeys(range(n), whole_batch.kind)
        else:
            keys = tuple(table)
            columns_in_order = zip(*table.values(), strict=True)
            rows = [dict(zip(keys, values, strict=True)) for values in columns_in_order]
            if not keys:
                rows = [{} for _ in completions]
            task = self.task
            for completion, row in zip(completions, rows, strict=True):
                outcome = attempt(task, completion, row, spec, strict=strict)
                if isinstance(outcome, Verdict):
                    ungraded += outcome.reason == "bad_record"
                    verdicts.append(outcome)
                else:
                    if outcome is not None:
                        ungraded += 1
                        failures[len(verdicts)] = outcome.kind
                    verdicts.append(None)
        scores = [score_of(verdict) for verdict in verdicts]
        if None in scores:
            _warn_if_old_trl()
        log_metric, log_extra = columns.get("log_metric"), columns.get("log_extra")
        if log_metric is not None or log_extra is not None:
            _report(self.__name__, verdicts, failures, ungraded, log_metric, log_extra)
        return scores


def _report(
    name: str,
    verdicts: Sequence[Verdict | None],
    failures: dict[int, str],
    ungraded: int,
    log_metric: object,
    log_extra: object,
) -> None:
    """Send component means, the ungraded share and per-completion reasons and answers to TRL's
    logging hooks, if given. An ungraded row's reason is ``ungraded:<kind>``; a row of another
    task has none."""
    if callable(log_metric):
        metric: Callable[[str, float], object] = log_metric
        scored = [v for v in verdicts if v is not None and score_of(v) is not None]
        if scored:
            for component in scored[0].components:
                total = sum(v.components.get(component, 0.0) for v in scored)
                metric(f"{name}/{component}", total / len(scored))
            metric(f"{name}/format_ok", sum(v.format_ok for v in scored) / len(scored))
        if verdicts:
            metric(f"{name}/ungraded", ungraded / len(verdicts))
    if callable(log_extra):
        extra: Callable[[str, list[Any]], object] = log_extra
        extra(
            f"{name}_reason",
            [
                (f"ungraded:{failures[i]}" if i in failures else None)
                if v is None
                else str(v.reason)
                for i, v in enumerate(verdicts)
            ],
        )
        extra(f"{name}_parsed", [None if v is None else v.parsed for v in verdicts])
