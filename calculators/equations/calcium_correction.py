"""Calcium corrected for hypoalbuminaemia (MedCalc-Bench ID 7).

Corrected Ca [mg/dL] = Ca + 0.8 × (4.0 − albumin [g/dL]), normal albumin 4.0 g/dL (Payne et al.).
Calcium in mmol/L is converted with the molar mass 40.078 g/mol, unrounded (MedCalc-Bench v1.0
rounded the conversion to 3 decimals).
"""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.equations.common import ALBUMIN
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs, quantity
from calculators.registry import register

CALCIUM = quantity("mg/dL", 2, 20, keys=("Calcium",), label="Total calcium", analyte="calcium")


class Inputs(CalculatorInputs):
    """Total serum calcium and albumin."""

    calcium: Annotated[float, CALCIUM]
    albumin: Annotated[float, ALBUMIN]


CORRECTED_CALCIUM = Formula(
    "corrected Ca",
    ("calcium", "albumin"),
    lambda s, sp: s.calcium + 0.8 * (4 - s.albumin),
    unit="mg/dL",
)

INFO = CalculatorInfo(
    id=7,
    slug="calcium_correction",
    name="Calcium Correction for Hypoalbuminemia",
    category=Category.LAB,
    output_kind=OutputKind.DECIMAL,
    unit="mg/dL",
    citation=(
        "Payne RB, Little AJ, Williams RB, Milner JR. Interpretation of serum calcium in patients "
        "with abnormal serum proteins. Br Med J. 1973;4(5893):643-646. "
        "doi:10.1136/bmj.4.5893.643."
    ),
)


class CalciumCorrection(BaseCalculator[Inputs]):
    """Albumin-corrected calcium."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(CORRECTED_CALCIUM,))

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        return explanation.apply(CORRECTED_CALCIUM, calcium=inputs.calcium, albumin=inputs.albumin)


register(CalciumCorrection())
