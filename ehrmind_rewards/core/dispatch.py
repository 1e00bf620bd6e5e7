"""The one call every adapter makes: grade a completion against a row, never raising.

>>> from ehrmind_rewards.core.rewards import EHRMIND
>>> row = {"calculator_id": 2, "ground_truth": "25.238", "lower_limit": "23.97",
...        "upper_limit": "26.5"}
>>> grade_row(None, '<think>…</think><answer>{"answer": 25.2}</answer>', row, EHRMIND).score
1.1
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from ehrmind_rewards.core import registry
from ehrmind_rewards.core.rewards import RewardSpec
from ehrmind_rewards.core.task import TaskFamily
from schemas.reasons import Reason
from schemas.verdict import Verdict

logger = logging.getLogger("ehrmind_rewards")

_LOGGED_ERRORS: set[str] = set()


def task_of(row: Mapping[str, Any]) -> str | None:
    """The task a row belongs to: its ``task`` column, else the family that recognizes it.

    >>> task_of({"calculator_id": 2, "ground_truth": "1"})
    'medcalc'
    >>> task_of({"label": 2}) is None
    True
    """
    task = row.get("task")
    if isinstance(task, str) and task:
        return task
    if task is not None:
        return None
    family = registry.family_for_row(row)
    return None if family is None else family.name


def grade_row(
    task: str | None, completion: object, row: Mapping[str, Any], spec: RewardSpec
) -> Verdict | None:
    """Grade ``completion`` against ``row``; ``None`` when no family handles the row's task.

    ``task`` restricts grading to one task (rows of another task give ``None``); ``None`` means
    dispatch on the row (:func:`task_of`). An unexpected error inside a verifier is logged once
    per task and becomes an ``internal_error`` verdict, scored as a format failure.

    >>> from ehrmind_rewards.core.rewards import EHRMIND
    >>> grade_row(None, "x", {"label": 2}, EHRMIND) is None  # no task column, not recognised
    True
    """
    row_task = task_of(row)
    if task is None:
        task = row_task
    elif row_task is not None and row_task != task and "task" in row:
        return None
    if task is None:
        return None
    family = registry.find(task)
    if family is None:
        return None
    return verify(family, completion, row, spec)


def verify(
    family: TaskFamily, completion: object, row: Mapping[str, Any], spec: RewardSpec
) -> Verdict:
    """``family.verify_row`` with an unexpected exception turned into an ``internal_error``.

    >>> from ehrmind_rewards.core import registry
    >>> from ehrmind_rewards.core.rewards import EHRMIND
    >>> family = registry.get(registry.DEFAULT_TASK)
    >>> verify(family, "no tags", {"calculator_id": 4, "ground_truth": "1"}, EHRMIND).score
    -2.0
    """
    try:
        return family.verify_row(completion, row, spec)
    except Exception as error:
        return internal_error(family.name, error, spec)


def internal_error(task: str, error: Exception, spec: RewardSpec) -> Verdict:
    """Log ``error`` (once per task) and score it as a format failure.

    >>> from ehrmind_rewards.core.rewards import EHRMIND
    >>> internal_error("demo", RuntimeError("boom"), EHRMIND).reason
    <Reason.INTERNAL_ERROR: 'internal_error'>
    """
    if task not in _LOGGED_ERRORS:
        _LOGGED_ERRORS.add(task)
        logger.error(
            "ehrmind_rewards: %s verifier failed (logged once per task)", task, exc_info=error
        )
    return spec.verdict(
        format_ok=False,
        correct=None,
        reason=Reason.INTERNAL_ERROR,
        detail=f"{type(error).__name__} inside the {task} verifier",
    )


def score_of(verdict: Verdict | None) -> float | None:
    """The reward a trainer should see: ``None`` for unhandled rows and unusable records.

    >>> from ehrmind_rewards.core.rewards import EHRMIND
    >>> from schemas.reasons import Reason
    >>> unusable = EHRMIND.verdict(format_ok=True, correct=None, reason=Reason.BAD_RECORD)
    >>> score_of(None), score_of(unusable)
    (None, None)
    """
    if verdict is None or verdict.reason is Reason.BAD_RECORD:
        return None
    return verdict.score
