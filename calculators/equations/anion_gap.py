"""Serum anion gap (MedCalc-Bench ID 39).

AG [mEq/L] = Na − (Cl + HCO3).
"""

from __future__ import annotations

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.equations.common import (
    ANION_GAP,
    ANION_GAP_CITATION,
    Electrolytes,
    anion_gap,
)
from calculators.framework import BaseCalculator, Explanation
from calculators.registry import register

INFO = CalculatorInfo(
    id=39,
    slug="anion_gap",
    name="Anion Gap",
    category=Category.LAB,
    output_kind=OutputKind.DECIMAL,
    unit="mEq/L",
    citation=ANION_GAP_CITATION,
)


class AnionGap(BaseCalculator[Electrolytes]):
    """Serum anion gap."""

    def __init__(self) -> None:
        super().__init__(INFO, Electrolytes, formulas=(ANION_GAP,))

    def evaluate(
        self, inputs: Electrolytes, conventions: Selection, explanation: Explanation
    ) -> float:
        return anion_gap(inputs, explanation)


register(AnionGap())
