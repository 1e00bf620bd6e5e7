"""Estimated date of conception from the last menstrual period (MedCalc-Bench ID 68).

Default (MedCalc-Bench): conception = LMP + 14 days (ovulation assumed mid-way through a 28-day
cycle; cycle length ignored). Alternative ``cycle_adjusted``: LMP + (cycle length − 14) days, since
the luteal phase is about 14 days whatever the cycle length.
"""

from __future__ import annotations

import datetime

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.equations.pregnancy_dates import NAEGELE_CITATION, LmpInputs
from calculators.framework import BaseCalculator, Explanation, format_value
from calculators.registry import register

INFO = CalculatorInfo(
    id=68,
    slug="conception_date",
    name="Estimated of Conception",
    category=Category.DATE,
    output_kind=OutputKind.DATE,
    unit=None,
    citation=(
        "Wilcox AJ, Weinberg CR, Baird DD. Timing of sexual intercourse in relation to ovulation. "
        "N Engl J Med. 1995;333(23):1517-1521 (ovulation ≈ 14 days before the next menses). "
        + NAEGELE_CITATION
    ),
    conventions=("lmp_plus_14_days", "cycle_adjusted"),
)


class ConceptionDate(BaseCalculator[LmpInputs]):
    """Estimated conception date."""

    def __init__(self) -> None:
        super().__init__(
            INFO,
            LmpInputs,
            conventions={
                "lmp_plus_14_days": "LMP + 14 days, cycle length ignored (MedCalc-Bench)",
                "cycle_adjusted": "LMP + (cycle length − 14) days",
            },
        )

    def evaluate(
        self, inputs: LmpInputs, convention: str, explanation: Explanation
    ) -> datetime.date:
        if convention == "lmp_plus_14_days":
            days = 14
        else:
            cycle = round(inputs.cycle_length)
            days = cycle - 14
            explanation.step(f"days to ovulation = cycle length − 14 = {cycle} − 14 = {days}")
        conception = inputs.lmp + datetime.timedelta(days=days)
        explanation.step(
            f"conception ≈ LMP + {days} days = {format_value(inputs.lmp)} + {days} days = "
            f"{format_value(conception)}"
        )
        return conception


register(ConceptionDate())
