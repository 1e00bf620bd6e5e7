"""Delta gap (MedCalc-Bench ID 63).

Convention ``definition``: Wrenn's delta gap (default) = ΔAG − ΔHCO3 = (AG − 12) − (24 − HCO3),
which is zero when the anion gap rises as much as bicarbonate falls; ``delta_anion_gap`` =
AG − 12, the excess over a normal anion gap of 12 mEq/L (MedCalc-Bench's reference calculator).
"""

from __future__ import annotations

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.equations.common import (
    ANION_GAP,
    DELTA_CITATION,
    DELTA_DELTA,
    DELTA_GAP,
    DELTA_GAP_DEFINITION,
    Electrolytes,
    anion_gap,
    delta_gap,
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
    conventions=(DELTA_GAP_DEFINITION,),
)


class DeltaGap(BaseCalculator[Electrolytes]):
    """Delta gap."""

    def __init__(self) -> None:
        super().__init__(INFO, Electrolytes, formulas=(DELTA_DELTA, DELTA_GAP, ANION_GAP))

    def evaluate(
        self, inputs: Electrolytes, conventions: Selection, explanation: Explanation
    ) -> float:
        gap = anion_gap(inputs, explanation)
        return delta_gap(gap, inputs.bicarbonate, conventions, explanation)


register(DeltaGap())
