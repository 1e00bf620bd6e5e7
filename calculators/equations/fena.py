"""Fractional excretion of sodium (MedCalc-Bench ID 40).

FENa [%] = (serum creatinine × urine sodium) / (serum sodium × urine creatinine) × 100; the two
creatinines in one unit (mg/dL here), the two sodiums in one unit (mmol/L).
"""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.equations.common import CREATININE, SODIUM
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs, quantity
from calculators.registry import register


class Inputs(CalculatorInputs):
    """Serum and urine sodium and creatinine."""

    creatinine: Annotated[float, CREATININE]
    sodium: Annotated[float, SODIUM]
    urine_creatinine: Annotated[
        float,
        quantity(
            "mg/dL",
            1,
            1000,
            keys=("Urine creatinine",),
            label="Urine creatinine",
            analyte="creatinine",
        ),
    ]
    urine_sodium: Annotated[
        float,
        quantity(
            "mmol/L",
            1,
            400,
            keys=("Urine sodium",),
            label="Urine sodium",
            display_unit="mEq/L",
            analyte="sodium",
        ),
    ]


FENA = Formula(
    "FENa",
    ("creatinine", "urine_sodium", "sodium", "urine_creatinine"),
    lambda s, sp: s.creatinine * s.urine_sodium / (s.sodium * s.urine_creatinine) * 100,
    unit="%",
)

INFO = CalculatorInfo(
    id=40,
    slug="fena",
    name="Fractional Excretion of Sodium (FENa)",
    category=Category.LAB,
    output_kind=OutputKind.DECIMAL,
    unit="%",
    citation=(
        "Espinel CH. The FENa test: use in the differential diagnosis of acute renal failure. "
        "JAMA. 1976;236(6):579-581. doi:10.1001/jama.1976.03270060029022."
    ),
)


class FractionalExcretionOfSodium(BaseCalculator[Inputs]):
    """FENa."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(FENA,))

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        return explanation.apply(
            FENA,
            creatinine=inputs.creatinine,
            urine_sodium=inputs.urine_sodium,
            sodium=inputs.sodium,
            urine_creatinine=inputs.urine_creatinine,
        )


register(FractionalExcretionOfSodium())
