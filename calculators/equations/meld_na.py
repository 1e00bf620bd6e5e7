"""MELD-Na score, UNOS/OPTN policy form (MedCalc-Bench ID 23).

UNOS/OPTN (2016): creatinine, bilirubin and INR below 1.0 are set to 1.0; creatinine above 4.0, or
any creatinine in a patient dialysed at least twice in the past week or on CVVHD for ≥ 24 h, is set
to 4.0; sodium is clamped to [125, 137] mmol/L.
MELD(i) = 0.957 × ln(Cr) + 0.378 × ln(bilirubin) + 1.120 × ln(INR) + 0.643, rounded to the tenth
and multiplied by 10. If MELD(i) > 11:
MELD = MELD(i) + 1.32 × (137 − Na) − 0.033 × MELD(i) × (137 − Na).
The result is rounded to the nearest integer (half up) and capped at 40.

MedCalc-Bench applies the dialysis rule only when 1 ≤ Cr ≤ 4 (an elif-order slip); here dialysis
always sets Cr to 4.0, as the policy says.
"""

from __future__ import annotations

import math
from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs, boolean, number, quantity
from calculators.registry import register


class Inputs(CalculatorInputs):
    """Creatinine, bilirubin, INR, sodium and recent dialysis."""

    creatinine: Annotated[
        float,
        quantity("mg/dL", 0.1, 30, keys=("creatinine",), label="Creatinine", analyte="creatinine"),
    ]
    bilirubin: Annotated[
        float,
        quantity("mg/dL", 0.1, 80, keys=("Bilirubin",), label="Bilirubin", analyte="bilirubin"),
    ]
    inr: Annotated[float, number(0.5, 20, keys=("international normalized ratio",), label="INR")]
    sodium: Annotated[
        float,
        quantity(
            "mmol/L",
            100,
            200,
            keys=("Sodium",),
            label="Sodium",
            display_unit="mEq/L",
            analyte="sodium",
        ),
    ]
    dialysis_twice: Annotated[
        bool,
        boolean(
            keys=("Dialysis at least twice in the past week",),
            label="Dialysis at least twice in the past week",
        ),
    ] = False
    cvvhd: Annotated[
        bool,
        boolean(
            keys=("Continuous veno-venous hemodialysis for ≥24 hours in the past week",),
            label="CVVHD for ≥ 24 hours in the past week",
        ),
    ] = False


MELD_I = Formula(
    "MELD(i)",
    ("creatinine", "bilirubin", "inr"),
    lambda s, sp: (
        0.957 * sp.log(s.creatinine) + 0.378 * sp.log(s.bilirubin) + 1.120 * sp.log(s.inr) + 0.643
    ),
)
MELD_NA = Formula(
    "MELD-Na",
    ("meld", "sodium"),
    lambda s, sp: s.meld + 1.32 * (137 - s.sodium) - 0.033 * s.meld * (137 - s.sodium),
)

INFO = CalculatorInfo(
    id=23,
    slug="meld_na",
    name="MELD Na (UNOS/OPTN)",
    category=Category.LAB,
    output_kind=OutputKind.DECIMAL,
    unit=None,
    citation=(
        "Kim WR, Biggins SW, Kremers WK, et al. Hyponatremia and mortality among patients on the "
        "liver-transplant waiting list. N Engl J Med. 2008;359(10):1018-1026. "
        "doi:10.1056/NEJMoa0801209; OPTN/UNOS policy 9.1 (MELD-Na, January 2016)."
    ),
)


def _round_half_up(value: float, digits: int = 0) -> float:
    scale = 10.0**digits
    return math.floor(value * scale + 0.5) / scale


class MeldNa(BaseCalculator[Inputs]):
    """MELD-Na (UNOS/OPTN)."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(MELD_NA, MELD_I))

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> int:
        if inputs.dialysis_twice or inputs.cvvhd:
            creatinine = explanation.value(
                "creatinine used", 4.0, "mg/dL", "dialysed in the past week: set to 4.0"
            )
        else:
            creatinine = explanation.value(
                "creatinine used",
                min(max(inputs.creatinine, 1.0), 4.0),
                "mg/dL",
                "bounded to [1.0, 4.0]",
            )
        bilirubin = explanation.value(
            "bilirubin used", max(inputs.bilirubin, 1.0), "mg/dL", "at least 1.0"
        )
        inr = explanation.value("INR used", max(inputs.inr, 1.0), because="at least 1.0")
        sodium = explanation.value(
            "sodium used", min(max(inputs.sodium, 125.0), 137.0), "mEq/L", "bounded to [125, 137]"
        )
        raw = explanation.apply(MELD_I, creatinine=creatinine, bilirubin=bilirubin, inr=inr)
        meld = explanation.value(
            "MELD(i) × 10", _round_half_up(raw, 1) * 10, because="rounded to the tenth, × 10"
        )
        if meld > 11:
            meld = explanation.apply(MELD_NA, meld=meld, sodium=sodium)
        else:
            explanation.step("MELD(i) ≤ 11: no sodium adjustment")
        score = int(min(_round_half_up(meld), 40.0))
        explanation.step(f"rounded to the nearest integer and capped at 40: {score}")
        return score


register(MeldNa())
