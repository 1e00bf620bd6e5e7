"""Plain grading: one completion, one record, one :class:`~schemas.Verdict`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from ehrmind_rewards.adapters.core import grade_row, task_of
from ehrmind_rewards.rewards import RewardSpec, get_spec
from schemas.records import MedCalcRecord
from schemas.verdict import Verdict


def record_row(record: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    """A record as a row of columns (a pydantic record is dumped; a mapping is copied)."""
    if isinstance(record, BaseModel):
        row = record.model_dump(exclude_none=True)
        if isinstance(record, MedCalcRecord):
            row.setdefault("task", "medcalc")
        return row
    return dict(record)


def grade(
    completion: object,
    record: BaseModel | Mapping[str, Any],
    spec: str | RewardSpec | None = None,
    task: str | None = None,
) -> Verdict:
    """Grade ``completion`` (text or chat messages) against ``record``.

    ``record`` is a :class:`~schemas.MedCalcRecord` or a mapping of dataset columns (MedCalc:
    ``calculator_id``, ``ground_truth``, ``lower_limit``, ``upper_limit``). The task is ``task``,
    else the record's ``task`` field, else MedCalc when it has a ``calculator_id``.

    Raises:
        ValueError: no installed verifier handles the record's task (a usage error; completions
            themselves never make this function raise).
    """
    row = record_row(record)
    resolved = task or task_of(row)
    verdict = grade_row(resolved, completion, row, get_spec(spec))
    if verdict is None:
        raise ValueError(f"no verifier for task {resolved!r} (record keys: {sorted(row)})")
    return verdict
