"""verl adapter: ``custom_reward_function`` pointing at :func:`compute_score`.

verl calls ``compute_score(data_source, solution_str, ground_truth, extra_info=None, **kw)`` on
Ray workers (``verl/workers/reward_manager/naive.py``) with ``reward_kwargs`` from the config added
as keywords, and logs every key of the returned dict besides ``score``. The record may come as
``ground_truth`` (a dict, or a JSON object string) and/or in ``extra_info``; a scalar
``ground_truth`` is the label itself, with the other columns in ``extra_info``. EHRMind's released
layouts (``linjc16/EHRMind`` ``src/dataset/*/rl/``) are read as they are.

The task is the record's ``task``, else the family named by ``data_source``, else the family that
recognizes the record's columns. A row none of these settles goes to verl's own
``default_compute_score`` when verl is importable (so mixing this package's tasks with verl's
built-in data sources works), and is otherwise ungraded.

Every call returns the same keys, as verl requires: ``score``, the spec's components (``format``,
``correctness``), ``format_ok``, ``correct``, ``graded`` (0 when the row was not graded; the score
is then 0), ``acc`` (1.0 for a correct answer, else 0.0: verl's headline validation metric reads
it) and ``pred`` (the answer as read, in canonical text, ``""`` when none: verl's maj@N votes on
it). An ungraded row is counted and logged once per cause; with ``strict=True`` (verl:
``reward.custom_reward_function.reward_kwargs.strict=true``) it raises instead.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from ehrmind_rewards.core import registry
from ehrmind_rewards.core.dispatch import (
    UngradedFailure,
    check_verdict,
    report_ungraded,
    resolve,
    unknown_source,
    verify,
)
from ehrmind_rewards.core.rewards import RewardSpec, get_spec
from ehrmind_rewards.core.rows import record_from

__all__ = ["compute_score", "record_from"]

VERL_SCORER = "verl.utils.reward_score"
"""The module holding verl's ``default_compute_score`` (its built-in data sources)."""
_verl_default: list[Callable[..., Any] | None] = []


def _default_compute_score() -> Callable[..., Any] | None:
    """verl's ``default_compute_score`` if verl is importable (looked up once per process)."""
    if not _verl_default:
        try:
            module = importlib.import_module(VERL_SCORER)
        except ImportError:
            _verl_default.append(None)
        else:
            _verl_default.append(getattr(module, "default_compute_score", None))
    return _verl_default[0]


def compute_score(
    data_source: object,
    solution_str: object,
    ground_truth: object,
    extra_info: object = None,
    spec: str | RewardSpec | None = None,
    strict: bool = False,
    **kwargs: Any,
) -> dict[str, Any]:
    """Score one verl rollout; see the module docstring for the returned keys.

    >>> truth = {"calid": 2, "target": "25.238", "lower_limit": "23.9", "upper_limit": "26.5"}
    >>> completion = '<think>…</think><answer>{"answer": 25.2}</answer>'
    >>> result = compute_score("medcalc_train", completion, truth, {"split": "train", "index": 0})
    >>> result["score"], result["graded"], result["acc"], result["pred"]
    (1.1, 1.0, 1.0, '25.2')
    """
    reward_spec = get_spec(spec)
    row = record_from(ground_truth, extra_info)
    if isinstance(data_source, str) and "data_source" not in row:
        row["data_source"] = data_source
    resolved = resolve(row)
    if resolved is None or isinstance(resolved, UngradedFailure):
        if "task" not in row and registry.family_for_source(data_source) is None:
            return _fall_through(
                data_source, solution_str, ground_truth, extra_info, row, strict, kwargs
            )
        if resolved is not None:
            report_ungraded(resolved, strict=strict)
        return _result(reward_spec, None)
    family, normal = resolved
    verdict = verify(family, solution_str, normal, reward_spec)
    if not check_verdict(family, verdict, strict=strict):
        return _result(reward_spec, None)
    return _result(
        reward_spec,
        verdict.score,
        verdict.components,
        format_ok=verdict.format_ok,
        correct=verdict.correct is True,
        pred=verdict.parsed or "",
    )


def _result(
    spec: RewardSpec,
    score: float | None,
    components: dict[str, float] | None = None,
    *,
    format_ok: bool = False,
    correct: bool = False,
    pred: str = "",
) -> dict[str, Any]:
    result: dict[str, Any] = {"score": 0.0 if score is None else score}
    result["format"] = 0.0
    result["correctness"] = 0.0
    if components:
        result.update(components)
    result["format_ok"] = float(format_ok)
    result["correct"] = float(correct)
    result["graded"] = float(score is not None)
    result["acc"] = float(correct)
    result["pred"] = pred
    return result


def _fall_through(
    data_source: object,
    solution_str: object,
    ground_truth: object,
    extra_info: object,
    row: dict[str, Any],
    strict: bool,
    kwargs: dict[str, Any],
) -> dict[str, Any]:
    """Score a row no family claims with verl's ``default_compute_score``, if verl is installed."""
    spec = get_spec(None)
    default = _default_compute_score()
    if default is None:
        fallback = "verl is not installed here, so verl's default_compute_score cannot score it"
    else:
        try:
            value = default(data_source, solution_str, ground_truth, extra_info, **kwargs)
        except NotImplementedError as error:
            fallback = f"verl's default_compute_score does not score it either ({error})"
        else:
            return _verl_result(spec, value)
    failure = unknown_source(
        data_source, {k: v for k, v in row.items() if k != "data_source"}, fallback
    )
    report_ungraded(failure, strict=strict)
    return _result(spec, None)


def _verl_result(spec: RewardSpec, value: object) -> dict[str, Any]:
    """verl's own result (a number, or a dict with ``score`` and maybe ``acc``/``pred``) in this
    adapter's keys: its score is the score and the correctness; it counts as graded."""
    details: dict[str, Any] = value if isinstance(value, dict) else {"score": value}
    score = float(details.get("score", 0.0))
    acc = details.get("acc")
    correct = bool(acc) if acc is not None else score > 0
    result = _result(spec, score, {"correctness": score}, format_ok=True, correct=correct)
    pred = details.get("pred")
    result["pred"] = "" if pred is None else str(pred)
    return result
