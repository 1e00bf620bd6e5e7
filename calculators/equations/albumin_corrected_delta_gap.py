"""Albumin-corrected delta gap (MedCalc-Bench ID 66).

The delta gap of the albumin-corrected anion gap cAG, by the same ``definition`` convention as
the delta gap (ID 63): Wrenn's (cAG − 12) − (24 − HCO3) by default, or cAG − 12.
"""

from __future__ import annotations

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.equations.common import (
    ALBUMIN_CORRECTED_AG,
    ANION_GAP,
    DELTA_CITATION,
    DELTA_DELTA,
    DELTA_GAP,
    DELTA_GAP_DEFINITION,
    FIGGE_CITATION,
    ElectrolytesAndAlbumin,
    corrected_anion_gap,
    delta_gap,
)
from calculators.framework import BaseCalculator, Explanation
from calculators.registry import register

INFO = CalculatorInfo(
    id=66,
    slug="albumin_corrected_delta_gap",
    name="Albumin Corrected Delta Gap",
    category=Category.LAB,
    output_kind=OutputKind.DECIMAL,
    unit="mEq/L",
    citation=FIGGE_CITATION + " " + DELTA_CITATION,
    conventions=(DELTA_GAP_DEFINITION,),
)


class AlbuminCorrectedDeltaGap(BaseCalculator[ElectrolytesAndAlbumin]):
    """Albumin-corrected delta gap."""

    def __init__(self) -> None:
        super().__init__(
            INFO,
            ElectrolytesAndAlbumin,
            formulas=(DELTA_DELTA, DELTA_GAP, ALBUMIN_CORRECTED_AG, ANION_GAP),
        )

    def evaluate(
        self, inputs: ElectrolytesAndAlbumin, conventions: Selection, explanation: Explanation
    ) -> float:
        gap = corrected_anion_gap(inputs, explanation)
        return delta_gap(gap, inputs.bicarbonate, conventions, explanation)


register(AlbuminCorrectedDeltaGap())
