"""Plain grading: one completion, one record, one :class:`~schemas.Verdict`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from ehrmind_rewards.core.dispatch import UngradedFailure, resolve, verify
from ehrmind_rewards.core.errors import UngradedError, UnknownTaskError
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

    ``record`` is a :class:`~schemas.MedCalcRecord` or a mapping of columns in any layout a
    family reads (see :meth:`~ehrmind_rewards.core.task.TaskFamily.normalize_row`: MedCalc's
    ``calculator_id``, ``ground_truth``, ``lower_limit``, ``upper_limit`` or the benchmark's own
    column names, EHRMind's verl layout, numpy values, …). The task is ``task``, else the
    record's ``task`` field, else the family its ``data_source`` names, else the family that
    recognizes the record (MedCalc when it has a ``calculator_id``). An unusable record gives a
    ``bad_record`` verdict.

    Raises:
        UnknownTaskError: ``task`` or the record's ``task`` is not a registered task.
        UngradedError: no family recognizes the record, or its ``task`` column names another
            task than ``task`` (usage errors; completions themselves never make this raise).

    >>> row = {"Calculator ID": 2, "Ground Truth Answer": "25.238", "Lower Limit": "23.9",
    ...        "Upper Limit": "26.5"}
    >>> grade('<think>…</think><answer>{"answer": "25.2 mL/min"}</answer>', row).reason
    <Reason.CORRECT: 'correct'>
    """
    resolved = resolve(record_row(record), task)
    if resolved is None:
        raise UngradedError(f"the record's task column names another task than {task!r}")
    if isinstance(resolved, UngradedFailure):
        error = UnknownTaskError if resolved.kind == "unknown_task" else UngradedError
        raise error(resolved.message)
    family, normal = resolved
    return verify(family, completion, normal, get_spec(spec))
