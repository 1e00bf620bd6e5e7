"""Ideal body weight (MedCalc-Bench ID 10).

Devine (1974), the default: 50 kg (men) or 45.5 kg (women) + 2.3 kg per inch of height over 60 in.
Alternatives: Robinson (1983) 52 / 49 kg + 1.9 / 1.7 kg per inch; Miller (1983) 56.2 / 53.1 kg +
1.41 / 1.36 kg per inch. Height in cm is converted to inches exactly (1 in = 2.54 cm).
"""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Convention, Option, Selection
from calculators.equations.common import DEVINE_CITATION, Height
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs, sex
from calculators.registry import register


class Inputs(CalculatorInputs):
    """Sex and height."""

    sex: Annotated[str, sex()]
    height: Height


IBW_LINEAR = Formula(
    "IBW",
    ("base", "per_inch", "height"),
    lambda s, sp: s.base + s.per_inch * (s.height / 2.54 - 60),
    unit="kg",
)

# (base kg, kg per inch over 5 ft) by convention and sex.
COEFFICIENTS = {
    "devine": {"Male": (50.0, 2.3), "Female": (45.5, 2.3)},
    "robinson": {"Male": (52.0, 1.9), "Female": (49.0, 1.7)},
    "miller": {"Male": (56.2, 1.41), "Female": (53.1, 1.36)},
}

INFO = CalculatorInfo(
    id=10,
    slug="ideal_body_weight",
    name="Ideal Body Weight",
    category=Category.PHYSICAL,
    output_kind=OutputKind.DECIMAL,
    unit="kg",
    citation=(
        DEVINE_CITATION + " Robinson JD, Lupkiewicz SM, Palenik L, Lopez LM, Ariet M. "
        "Determination of ideal body weight for drug dosage calculations. Am J Hosp Pharm. "
        "1983;40(6):1016-1019. Miller DR, Carlson JD, Loyd BJ, Day BJ. Determining ideal body "
        "weight (and mass). Am J Hosp Pharm. 1983;40(10):1622-1625."
    ),
    conventions=(
        Convention(
            "formula",
            "which ideal-body-weight equation",
            (
                Option(
                    "devine",
                    "50 kg (M) / 45.5 kg (F) + 2.3 kg per inch over 5 ft",
                    "Devine 1974",
                ),
                Option(
                    "robinson",
                    "52 kg (M) / 49 kg (F) + 1.9 / 1.7 kg per inch over 5 ft",
                    "Robinson et al. 1983",
                ),
                Option(
                    "miller",
                    "56.2 kg (M) / 53.1 kg (F) + 1.41 / 1.36 kg per inch over 5 ft",
                    "Miller et al. 1983",
                ),
            ),
            "Devine (1974), the original equation and the calculator's citation",
        ),
    ),
)


class IdealBodyWeight(BaseCalculator[Inputs]):
    """Ideal body weight."""

    def __init__(self) -> None:
        super().__init__(
            INFO,
            Inputs,
            formulas=(IBW_LINEAR,),
        )

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        base, per_inch = COEFFICIENTS[conventions["formula"]][inputs.sex]
        return explanation.apply(IBW_LINEAR, base=base, per_inch=per_inch, height=inputs.height)


register(IdealBodyWeight())
