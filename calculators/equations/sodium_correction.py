"""Serum sodium corrected for hyperglycaemia (MedCalc-Bench ID 26).

Convention ``factor``: Hillier (default): Na_corr = Na + 0.024 × (glucose [mg/dL] − 100);
Katz (alternative): Na_corr = Na + 0.016 × (glucose − 100).
"""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Convention, Option, Selection
from calculators.equations.common import GLUCOSE, SODIUM
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs
from calculators.registry import register


class Inputs(CalculatorInputs):
    """Measured sodium and glucose."""

    sodium: Annotated[float, SODIUM]
    glucose: Annotated[float, GLUCOSE]


CORRECTED_SODIUM = Formula(
    "corrected Na",
    ("sodium", "factor", "glucose"),
    lambda s, sp: s.sodium + s.factor * (s.glucose - 100),
    unit="mEq/L",
)
FACTORS = {"hillier": 0.024, "katz": 0.016}

INFO = CalculatorInfo(
    id=26,
    slug="sodium_correction",
    name="Sodium Correction for Hyperglycemia",
    category=Category.LAB,
    output_kind=OutputKind.DECIMAL,
    unit="mEq/L",
    citation=(
        "Hillier TA, Abbott RD, Barrett EJ. Hyponatremia: evaluating the correction factor for "
        "hyperglycemia. Am J Med. 1999;106(4):399-403. doi:10.1016/S0002-9343(99)00055-8. "
        "Katz MA. Hyperglycemia-induced hyponatremia. N Engl J Med. 1973;289(16):843-844."
    ),
    conventions=(
        Convention(
            "factor",
            "sodium rise per 100 mg/dL of glucose above 100",
            (
                Option("hillier", "2.4 mEq/L per 100 mg/dL", "Hillier et al. 1999"),
                Option("katz", "1.6 mEq/L per 100 mg/dL", "Katz 1973"),
            ),
            "Hillier et al. (1999), the calculator's citation (MedCalc-Bench's question names "
            "it; Katz's 1973 factor was derived theoretically)",
        ),
    ),
)


class SodiumCorrection(BaseCalculator[Inputs]):
    """Hyperglycaemia-corrected sodium."""

    def __init__(self) -> None:
        super().__init__(
            INFO,
            Inputs,
            formulas=(CORRECTED_SODIUM,),
        )

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        return explanation.apply(
            CORRECTED_SODIUM,
            sodium=inputs.sodium,
            factor=FACTORS[conventions["factor"]],
            glucose=inputs.glucose,
        )


register(SodiumCorrection())
