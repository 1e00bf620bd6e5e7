"""HOMA-IR, homeostatic model assessment of insulin resistance (MedCalc-Bench ID 31).

HOMA-IR = fasting insulin [µIU/mL] × fasting glucose [mmol/L] / 22.5, as published (MedCalc-Bench
writes glucose in mg/dL over 405 = 22.5 × 18; glucose in mg/dL is converted here with
180.156 g/mol, 0.09% from 18). Insulin in pmol/L is converted at
6 pmol/L per µIU/mL (divided by 6; MedCalc-Bench multiplies).
"""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs, quantity
from calculators.registry import register


class Inputs(CalculatorInputs):
    """Fasting insulin and glucose."""

    insulin: Annotated[
        float,
        quantity(
            "µIU/mL", 0.1, 1000, keys=("Insulin",), label="Fasting insulin", analyte="insulin"
        ),
    ]
    glucose: Annotated[
        float,
        quantity("mmol/L", 0.5, 170, keys=("Glucose",), label="Fasting glucose", analyte="glucose"),
    ]


HOMA_IR = Formula("HOMA-IR", ("insulin", "glucose"), lambda s, sp: s.insulin * s.glucose / 22.5)

INFO = CalculatorInfo(
    id=31,
    slug="homa_ir",
    name="HOMA-IR (Homeostatic Model Assessment for Insulin Resistance)",
    category=Category.LAB,
    output_kind=OutputKind.DECIMAL,
    unit=None,
    citation=(
        "Matthews DR, Hosker JP, Rudenski AS, Naylor BA, Treacher DF, Turner RC. Homeostasis model "
        "assessment: insulin resistance and β-cell function from fasting plasma glucose and "
        "insulin concentrations in man. Diabetologia. 1985;28(7):412-419. doi:10.1007/BF00280883."
    ),
)


class HomaIr(BaseCalculator[Inputs]):
    """HOMA-IR."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(HOMA_IR,))

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        return explanation.apply(HOMA_IR, insulin=inputs.insulin, glucose=inputs.glucose)


register(HomaIr())
