"""Albumin-corrected delta ratio (MedCalc-Bench ID 67).

Corrected delta ratio = (albumin-corrected anion gap − 12) / (24 − HCO3).
"""

from __future__ import annotations

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.equations.common import (
    ALBUMIN_CORRECTED_AG,
    ANION_GAP,
    DELTA_CITATION,
    DELTA_RATIO,
    FIGGE_CITATION,
    ElectrolytesAndAlbumin,
    corrected_anion_gap,
    delta_ratio,
)
from calculators.framework import BaseCalculator, Explanation
from calculators.registry import register

INFO = CalculatorInfo(
    id=67,
    slug="albumin_corrected_delta_ratio",
    name="Albumin Corrected Delta Ratio",
    category=Category.LAB,
    output_kind=OutputKind.DECIMAL,
    unit=None,
    citation=FIGGE_CITATION + " " + DELTA_CITATION,
)


class AlbuminCorrectedDeltaRatio(BaseCalculator[ElectrolytesAndAlbumin]):
    """Albumin-corrected delta ratio."""

    def __init__(self) -> None:
        super().__init__(
            INFO, ElectrolytesAndAlbumin, formulas=(DELTA_RATIO, ALBUMIN_CORRECTED_AG, ANION_GAP)
        )

    def evaluate(
        self, inputs: ElectrolytesAndAlbumin, conventions: Selection, explanation: Explanation
    ) -> float:
        gap = corrected_anion_gap(inputs, explanation)
        return delta_ratio(gap, inputs.bicarbonate, explanation)


register(AlbuminCorrectedDeltaRatio())
