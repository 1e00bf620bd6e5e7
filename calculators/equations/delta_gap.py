"""Delta gap (MedCalc-Bench ID 63).

Delta gap [mEq/L] = anion gap − 12, the excess over a normal anion gap of 12 mEq/L.
"""

from __future__ import annotations

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.equations.common import (
    ANION_GAP,
    DELTA_CITATION,
    DELTA_GAP,
    Electrolytes,
    anion_gap,
)
from calculators.framework import BaseCalculator, Explanation
from calculators.registry import register

INFO = CalculatorInfo(
    id=63,
    slug="delta_gap",
    name="Delta Gap",
    category=Category.LAB,
    output_kind=OutputKind.DECIMAL,
    unit="mEq/L",
    citation=DELTA_CITATION,
)


class DeltaGap(BaseCalculator[Electrolytes]):
    """Delta gap."""

    def __init__(self) -> None:
        super().__init__(INFO, Electrolytes, formulas=(DELTA_GAP, ANION_GAP))

    def evaluate(self, inputs: Electrolytes, convention: str, explanation: Explanation) -> float:
        return explanation.apply(DELTA_GAP, gap=anion_gap(inputs, explanation))


register(DeltaGap())
