"""Reference records: what a completion is graded against."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class MedCalcRecord(BaseModel):
    """One MedCalc-Bench row, as far as grading needs it.

    Values are accepted as they appear in the MedCalc-Bench CSV (strings) or as numbers.
    ``ground_truth`` is a decimal or integer (``"25.238"``, ``"4"``), a date (``"09/23/2014"``), or
    for calculator 69 a weeks+days pair (``"('14 weeks', '1 days')"``).
    """

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    calculator_id: int = Field(ge=0)
    ground_truth: str | float | int
    lower_limit: str | float | int | None = None
    upper_limit: str | float | int | None = None
    output_type: str | None = None
    category: str | None = None
    calculator_name: str | None = None
    row_number: int | None = None
    note: str | None = None
    question: str | None = None
    entities: dict[str, Any] | None = None
