"""Albumin-corrected anion gap (MedCalc-Bench ID 65).

Corrected AG [mEq/L] = Na − (Cl + HCO3) + 2.5 × (4 − albumin [g/dL]) (Figge et al.).
"""

from __future__ import annotations

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.equations.common import (
    ALBUMIN_CORRECTED_AG,
    ANION_GAP,
    FIGGE_CITATION,
    ElectrolytesAndAlbumin,
    corrected_anion_gap,
)
from calculators.framework import BaseCalculator, Explanation
from calculators.registry import register

INFO = CalculatorInfo(
    id=65,
    slug="albumin_corrected_anion_gap",
    name="Albumin Corrected Anion Gap",
    category=Category.LAB,
    output_kind=OutputKind.DECIMAL,
    unit="mEq/L",
    citation=FIGGE_CITATION,
)


class AlbuminCorrectedAnionGap(BaseCalculator[ElectrolytesAndAlbumin]):
    """Albumin-corrected anion gap."""

    def __init__(self) -> None:
        super().__init__(INFO, ElectrolytesAndAlbumin, formulas=(ALBUMIN_CORRECTED_AG, ANION_GAP))

    def evaluate(
        self, inputs: ElectrolytesAndAlbumin, conventions: Selection, explanation: Explanation
    ) -> float:
        return corrected_anion_gap(inputs, explanation)


register(AlbuminCorrectedAnionGap())
