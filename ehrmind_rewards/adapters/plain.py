"""Plain grading: one completion, one record, one :class:`~schemas.Verdict`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from ehrmind_rewards.core import registry
from ehrmind_rewards.core.dispatch import grade_row, task_of
from ehrmind_rewards.core.rewards import RewardSpec, get_spec
from schemas.verdict import Verdict


def record_row(record: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    """A record as a row of columns (a pydantic record is dumped; a mapping is copied).

    >>> from schemas import MedCalcRecord
    >>> record_row(MedCalcRecord(calculator_id=2, ground_truth="25.2"))
    {'calculator_id': 2, 'ground_truth': '25.2'}
    """
    if isinstance(record, BaseModel):
        row: dict[str, Any] = record.model_dump(exclude_none=True)
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
    else the record's ``task`` field, else the family that recognizes the record (MedCalc when
    it has a ``calculator_id``).

    Raises:
        ValueError: no installed family handles the record's task (a usage error; completions
            themselves never make this function raise).

    >>> row = {"calculator_id": 2, "ground_truth": "25.238", "lower_limit": "23.9",
    ...        "upper_limit": "26.5"}
    >>> grade('<think>…</think><answer>{"answer": "25.2 mL/min"}</answer>', row).reason
    <Reason.CORRECT: 'correct'>
    """
    row = record_row(record)
    resolved = task or task_of(row)
    if resolved is not None:
        registry.get(resolved)  # an unknown name is an error listing the known ones
    verdict = grade_row(resolved, completion, row, get_spec(spec))
    if verdict is None:
        raise ValueError(f"no task family handles this record (keys: {sorted(row)})")
    return verdict
