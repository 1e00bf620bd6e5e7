"""The one call every adapter makes: grade a completion against a row, never raising."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from ehrmind_rewards.rewards import RewardSpec
from ehrmind_rewards.verifiers import VERIFIERS, verifier_for
from schemas.reasons import Reason
from schemas.verdict import Verdict

logger = logging.getLogger("ehrmind_rewards")

DEFAULT_TASK = "medcalc"
"""Task assumed for a row without a ``task`` column that carries a ``calculator_id``."""

_LOGGED_ERRORS: set[str] = set()


def task_of(row: Mapping[str, Any]) -> str | None:
    """The task a row belongs to: its ``task`` column, else MedCalc if it has a calculator id."""
    task = row.get("task")
    if isinstance(task, str) and task:
        return task
    if task is None and row.get("calculator_id") is not None:
        return DEFAULT_TASK
    return None


def grade_row(
    task: str | None, completion: object, row: Mapping[str, Any], spec: RewardSpec
) -> Verdict | None:
    """Grade ``completion`` against ``row``; ``None`` when no verifier handles the row's task.

    ``task`` restricts grading to one task (rows of another task give ``None``); ``None`` means
    dispatch on the row (:func:`task_of`). An unexpected error inside a verifier is logged once
    per task and becomes an ``internal_error`` verdict, scored as a format failure.
    """
    row_task = task_of(row)
    if task is None:
        task = row_task
    elif row_task is not None and row_task != task and "task" in row:
        return None
    if task is None:
        return None
    verifier = VERIFIERS.get(task) or verifier_for(task)
    if verifier is None:
        return None
    try:
        return verifier(completion, row, spec)
    except Exception as error:
        if task not in _LOGGED_ERRORS:
            _LOGGED_ERRORS.add(task)
            logger.exception("ehrmind_rewards: %s verifier failed (logged once per task)", task)
        return spec.verdict(
            format_ok=False,
            correct=None,
            reason=Reason.INTERNAL_ERROR,
            detail=f"{type(error).__name__} inside the {task} verifier",
        )


def score_of(verdict: Verdict | None) -> float | None:
    """The reward a trainer should see: ``None`` for unhandled rows and unusable records."""
    if verdict is None or verdict.reason is Reason.BAD_RECORD:
        return None
    return verdict.score
