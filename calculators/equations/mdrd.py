"""Estimated GFR by the 4-variable MDRD study equation, IDMS-traceable (MedCalc-Bench ID 9).

eGFR [mL/min/1.73 m²] = 175 × Scr^−1.154 × age^−0.203 × 0.742 [female] × 1.212 [Black],
Scr in mg/dL (the 175 constant is the re-expression for IDMS-standardised creatinine).
"""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.equations.common import ADULT_AGE, CREATININE
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs, choice, sex
from calculators.registry import register

RACES = ("Black", "White", "Asian", "Hispanic", "Other")


class Inputs(CalculatorInputs):
    """Age, sex, serum creatinine and (optionally) race."""

    age: Annotated[float, ADULT_AGE]
    sex: Annotated[str, sex()]
    creatinine: Annotated[float, CREATININE]
    race: Annotated[
        str | None,
        choice(
            RACES,
            keys=("Race",),
            label="Race",
            synonyms={"african american": "Black", "african-american": "Black"},
        ),
    ] = None


MDRD = Formula(
    "eGFR",
    ("creatinine", "age", "sex_factor", "race_factor"),
    lambda s, sp: 175 * s.creatinine**-1.154 * s.age**-0.203 * s.sex_factor * s.race_factor,
    unit="mL/min/1.73 m²",
)

INFO = CalculatorInfo(
    id=9,
    slug="mdrd_gfr",
    name="MDRD GFR Equation",
    category=Category.LAB,
    output_kind=OutputKind.DECIMAL,
    unit="mL/min/1.73 m²",
    citation=(
        "Levey AS, Coresh J, Greene T, et al. Using standardized serum creatinine values in the "
        "Modification of Diet in Renal Disease study equation for estimating glomerular filtration "
        "rate. Ann Intern Med. 2006;145(4):247-254. doi:10.7326/0003-4819-145-4-200608150-00004."
    ),
)


class Mdrd(BaseCalculator[Inputs]):
    """MDRD study equation (IDMS-traceable)."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(MDRD,))

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        sex_factor = explanation.value(
            "sex factor", 0.742 if inputs.sex == "Female" else 1.0, because=inputs.sex
        )
        race_factor = explanation.value(
            "race factor",
            1.212 if inputs.race == "Black" else 1.0,
            because=inputs.race or "race not given",
        )
        return explanation.apply(
            MDRD,
            creatinine=inputs.creatinine,
            age=inputs.age,
            sex_factor=sex_factor,
            race_factor=race_factor,
        )


register(Mdrd())
