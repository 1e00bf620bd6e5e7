"""Delta ratio (MedCalc-Bench ID 64).

Delta ratio = (anion gap − 12) / (24 − HCO3): the rise of the anion gap over the fall of
bicarbonate from normal (12 and 24 mEq/L).
"""

from __future__ import annotations

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.equations.common import (
    ANION_GAP,
    DELTA_CITATION,
    DELTA_RATIO,
    Electrolytes,
    anion_gap,
    delta_ratio,
)
from calculators.framework import BaseCalculator, Explanation
from calculators.registry import register

INFO = CalculatorInfo(
    id=64,
    slug="delta_ratio",
    name="Delta Ratio",
    category=Category.LAB,
    output_kind=OutputKind.DECIMAL,
    unit=None,
    citation=DELTA_CITATION,
)


class DeltaRatio(BaseCalculator[Electrolytes]):
    """Delta ratio."""

    def __init__(self) -> None:
        super().__init__(INFO, Electrolytes, formulas=(DELTA_RATIO, ANION_GAP))

    def evaluate(
        self, inputs: Electrolytes, conventions: Selection, explanation: Explanation
    ) -> float:
        return delta_ratio(anion_gap(inputs, explanation), inputs.bicarbonate, explanation)


register(DeltaRatio())
