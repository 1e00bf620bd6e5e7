"""Estimated date of conception from the last menstrual period (MedCalc-Bench ID 68).

Convention ``rule``: ``cycle_adjusted`` (default): LMP + (cycle length − 14) days, since ovulation
comes about 14 days before the next menses whatever the cycle length; ``lmp_plus_14_days``
(MedCalc-Bench): LMP + 14 days, the cycle length ignored. They agree for a 28-day cycle.
"""

from __future__ import annotations

import datetime

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Convention, Option, Selection
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
    conventions=(
        Convention(
            "rule",
            "how the ovulation day is placed in the cycle",
            (
                Option(
                    "cycle_adjusted",
                    "LMP + (cycle length − 14) days",
                    "Wilcox et al. 1995 (ovulation about 14 days before the next menses)",
                ),
                Option(
                    "lmp_plus_14_days",
                    "LMP + 14 days, the cycle length ignored",
                    "MedCalc-Bench's reference calculator",
                ),
            ),
            "Wilcox et al. (1995), the calculator's citation",
        ),
    ),
)


class ConceptionDate(BaseCalculator[LmpInputs]):
    """Estimated conception date."""

    def __init__(self) -> None:
        super().__init__(INFO, LmpInputs)

    def evaluate(
        self, inputs: LmpInputs, conventions: Selection, explanation: Explanation
    ) -> datetime.date:
        if conventions["rule"] == "lmp_plus_14_days":
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
