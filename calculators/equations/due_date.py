"""Estimated due date from the last menstrual period (MedCalc-Bench ID 13).

Convention ``rule``: Naegele's calendar rule (default): LMP + 1 year − 3 months + 7 days; or
``lmp_plus_280_days`` (ACOG 2017, MedCalc-Bench): LMP + 280 days. Either way the date is then
shifted by (cycle length − 28) days, earlier for short cycles (MedCalc-Bench v1.0 added
|cycle − 28| for short cycles, which is wrong). The two rules differ by up to 3 days, by month.
"""

from __future__ import annotations

import calendar
import datetime

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Convention, Option, Selection
from calculators.equations.pregnancy_dates import NAEGELE_CITATION, LmpInputs
from calculators.errors import InputValueError
from calculators.framework import BaseCalculator, Explanation, format_value
from calculators.registry import register

INFO = CalculatorInfo(
    id=13,
    slug="due_date",
    name="Estimated Due Date",
    category=Category.DATE,
    output_kind=OutputKind.DATE,
    unit=None,
    citation=NAEGELE_CITATION,
    conventions=(
        Convention(
            "rule",
            "how 40 weeks are counted from the last menstrual period",
            (
                Option(
                    "calendar_naegele",
                    "LMP + 1 year − 3 months + 7 days, then + (cycle − 28) days",
                    "Naegele 1812",
                ),
                Option(
                    "lmp_plus_280_days",
                    "LMP + 280 days + (cycle − 28) days",
                    "ACOG Committee Opinion No. 700, 2017; MedCalc-Bench",
                ),
            ),
            "Naegele's rule as Naegele (1812) stated it, by the calendar",
        ),
    ),
)


def _calendar_naegele(lmp: datetime.date) -> datetime.date:
    """LMP + 1 year − 3 months + 7 days (day clipped to the month's length)."""
    year, month = (lmp.year + 1, lmp.month - 3) if lmp.month > 3 else (lmp.year, lmp.month + 9)
    day = min(lmp.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day) + datetime.timedelta(days=7)


class DueDate(BaseCalculator[LmpInputs]):
    """Estimated due date."""

    def __init__(self) -> None:
        super().__init__(INFO, LmpInputs)

    def evaluate(
        self, inputs: LmpInputs, conventions: Selection, explanation: Explanation
    ) -> datetime.date:
        if not float(inputs.cycle_length).is_integer():
            raise InputValueError("cycle_length", "a cycle length is a whole number of days")
        shift = int(inputs.cycle_length) - 28
        lmp = format_value(inputs.lmp)
        if conventions["rule"] == "lmp_plus_280_days":
            base = inputs.lmp + datetime.timedelta(days=280)
            explanation.step(f"LMP + 280 days = {lmp} + 280 days = {format_value(base)}")
        else:
            base = _calendar_naegele(inputs.lmp)
            explanation.step(f"LMP + 1 year − 3 months + 7 days = {lmp} → {format_value(base)}")
        due = base + datetime.timedelta(days=shift)
        explanation.step(
            f"cycle adjustment: cycle length − 28 = {int(inputs.cycle_length)} − 28 = {shift} "
            f"days; {format_value(base)} {'+' if shift >= 0 else '−'} {abs(shift)} days = "
            f"{format_value(due)}"
        )
        return due


register(DueDate())
