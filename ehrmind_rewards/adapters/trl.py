"""TRL adapter: a picklable reward function for ``GRPOTrainer``/``RLOOTrainer`` ``reward_funcs``.

TRL calls ``f(prompts=…, completions=…, completion_ids=…, **columns)`` with one value per completion
in every dataset column, plus ``trainer_state``, ``log_extra`` and ``log_metric``. A
:class:`TaskReward` returns one ``float | None`` per completion (``None``: not this function's task
or an unusable record, which TRL leaves out of the mean) and reports, when TRL passes the hooks,
the mean of each reward component (``log_metric("<name>/<component>", mean)``) and each
completion's reason (``log_extra("<name>_reason", reasons)``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ehrmind_rewards.core import registry
from ehrmind_rewards.core.dispatch import grade_row, internal_error, score_of
from ehrmind_rewards.core.rewards import RewardSpec, get_spec
from ehrmind_rewards.core.task import TaskFamily
from schemas.verdict import Verdict

_NOT_COLUMNS = frozenset({"trainer_state", "log_extra", "log_metric", "environments"})


class TaskReward:
    """A TRL reward function for one registered task or for all (``None``).

    Instances are plain picklable objects with a ``__name__`` (TRL logs ``rewards/<name>/mean``).
    ``TaskReward(name)`` is all a newly registered task family needs.

    >>> reward = TaskReward(None)
    >>> reward(
    ...     completions=['<think>…</think><answer>{"answer": 25.2}</answer>'],
    ...     calculator_id=[2], ground_truth=["25.238"], lower_limit=["23.9"], upper_limit=["26.5"],
    ... )
    [1.1]
    """

    def __init__(
        self, task: str | None = None, spec: str | RewardSpec | None = None, name: str | None = None
    ) -> None:
        self.task = task
        self.spec = get_spec(spec)
        suffix = "" if self.spec.name == "ehrmind" else f"_{self.spec.name}"
        self.__name__ = name or f"{task or 'ehrmind'}_reward{suffix}"

    def __repr__(self) -> str:
        return f"TaskReward(task={self.task!r}, spec={self.spec.name!r})"

    def _batch_family(self, table: dict[str, Sequence[Any]]) -> TaskFamily | bool | None:
        """The family of every row when the columns settle it (no per-row ``task`` column);
        ``False`` when this function's task is not installed, ``None`` when rows must be
        dispatched one by one."""
        if "task" in table:
            return None
        if self.task is not None:
            return registry.find(self.task) or False
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
            if key not in _NOT_COLUMNS and isinstance(value, Sequence) and len(value) == n
        }
        keys = tuple(table)
        rows = [
            dict(zip(keys, values, strict=True)) for values in zip(*table.values(), strict=True)
        ]
        if not keys:
            rows = [{} for _ in completions]
        task, spec = self.task, self.spec
        whole_batch = self._batch_family(table)
        verdicts: list[Verdict | None]
        if whole_batch is None:
            verdicts = [
                grade_row(task, completion, row, spec)
                for completion, row in zip(completions, rows, strict=True)
            ]
        elif whole_batch is False:
            verdicts = [None] * n
        else:  # every row is known to be one family's: resolve its verifier once
            assert isinstance(whole_batch, TaskFamily)
            verifier = whole_batch.verify_row
            verdicts = []
            for completion, row in zip(completions, rows, strict=True):
                try:
                    verdicts.append(verifier(completion, row, spec))
                except Exception as error:
                    verdicts.append(internal_error(whole_batch.name, error, spec))
        _report(self.__name__, verdicts, columns.get("log_metric"), columns.get("log_extra"))
        return [score_of(verdict) for verdict in verdicts]


def _report(
    name: str, verdicts: Sequence[Verdict | None], log_metric: object, log_extra: object
) -> None:
    """Send component means and per-completion reasons to TRL's logging hooks, if given."""
    if callable(log_metric):
        scored = [v for v in verdicts if v is not None and score_of(v) is not None]
        if scored:
            metric: Callable[[str, float], object] = log_metric
            for component in scored[0].components:
                total = sum(v.components.get(component, 0.0) for v in scored)
                metric(f"{name}/{component}", total / len(scored))
            metric(f"{name}/format_ok", sum(v.format_ok for v in scored) / len(scored))
    if callable(log_extra):
        extra: Callable[[str, list[Any]], object] = log_extra
        extra(f"{name}_reason", [None if v is None else str(v.reason) for v in verdicts])
