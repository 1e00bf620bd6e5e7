"""Albumin-corrected delta gap (MedCalc-Bench ID 66).

Corrected delta gap [mEq/L] = albumin-corrected anion gap − 12.
"""

from __future__ import annotations

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.equations.common import (
    ALBUMIN_CORRECTED_AG,
    ANION_GAP,
    DELTA_CITATION,
    DELTA_GAP,
    FIGGE_CITATION,
    ElectrolytesAndAlbumin,
    corrected_anion_gap,
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
)


class AlbuminCorrectedDeltaGap(BaseCalculator[ElectrolytesAndAlbumin]):
    """Albumin-corrected delta gap."""

    def __init__(self) -> None:
        super().__init__(
            INFO, ElectrolytesAndAlbumin, formulas=(DELTA_GAP, ALBUMIN_CORRECTED_AG, ANION_GAP)
        )

    def evaluate(
        self, inputs: ElectrolytesAndAlbumin, convention: str, explanation: Explanation
    ) -> float:
        return explanation.apply(DELTA_GAP, gap=corrected_anion_gap(inputs, explanation))


register(AlbuminCorrectedDeltaGap())
