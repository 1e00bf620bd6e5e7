"""Estimated gestational age from the last menstrual period (MedCalc-Bench ID 69).

Gestational age = today − LMP, written as (completed weeks, remaining days). A current date
before the LMP is refused (MedCalc-Bench takes the absolute difference).
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.equations.pregnancy_dates import LMP, NAEGELE_CITATION
from calculators.errors import InputValueError
from calculators.framework import BaseCalculator, Explanation, format_value
from calculators.inputs import CalculatorInputs, date
from calculators.registry import register


class Inputs(CalculatorInputs):
    """Current date and last menstrual period."""

    current_date: Annotated[
        datetime.date, replace(date(keys=("Current Date",), label="Current date"), not_below="lmp")
    ]
    lmp: Annotated[datetime.date, LMP]


INFO = CalculatorInfo(
    id=69,
    slug="gestational_age",
    name="Estimated Gestational Age",
    category=Category.DATE,
    output_kind=OutputKind.WEEKS_DAYS,
    unit=None,
    citation=NAEGELE_CITATION,
)


class GestationalAge(BaseCalculator[Inputs]):
    """Gestational age by dates."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs)

    def evaluate(
        self, inputs: Inputs, conventions: Selection, explanation: Explanation
    ) -> tuple[int, int]:
        days = (inputs.current_date - inputs.lmp).days
        if days < 0:
            raise InputValueError("current_date", "the current date is before the LMP")
        weeks, remainder = divmod(days, 7)
        explanation.step(
            f"{format_value(inputs.current_date)} − {format_value(inputs.lmp)} = {days} days"
            f" = {weeks} × 7 + {remainder} = {weeks} weeks and {remainder} days"
        )
        return weeks, remainder


register(GestationalAge())
