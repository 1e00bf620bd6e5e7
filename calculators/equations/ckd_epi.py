"""Estimated GFR by the 2021 CKD-EPI creatinine equation, without race (MedCalc-Bench ID 3).

eGFR [mL/min/1.73 m²] = 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^age × 1.012 [female]
with κ = 0.7 (female) or 0.9 (male) and α = −0.241 (female) or −0.302 (male); Scr in mg/dL.

MedCalc-Bench v1.0 (and the Verified set up to commit 0eb5960) uses κ = 0.7 for men with
Scr ≤ 0.9 mg/dL, which makes their eGFR about 7% low; this module uses the published κ = 0.9.
"""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.equations.common import ADULT_AGE, CREATININE
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs, sex
from calculators.registry import register


class Inputs(CalculatorInputs):
    """Age, sex and serum creatinine."""

    age: Annotated[float, ADULT_AGE]
    sex: Annotated[str, sex()]
    creatinine: Annotated[float, CREATININE]


EGFR = Formula(
    "eGFR",
    ("creatinine", "kappa", "alpha", "age", "sex_factor"),
    lambda s, sp: (
        142
        * sp.Min(s.creatinine / s.kappa, 1) ** s.alpha
        * sp.Max(s.creatinine / s.kappa, 1) ** -1.2
        * 0.9938**s.age
        * s.sex_factor
    ),
    unit="mL/min/1.73 m²",
    signed=("alpha",),
)

# (κ, α, sex factor) by sex, Inker et al. 2021, Table S10 / Methods.
PARAMETERS = {"Female": (0.7, -0.241, 1.012), "Male": (0.9, -0.302, 1.0)}

INFO = CalculatorInfo(
    id=3,
    slug="ckd_epi_2021",
    name="CKD-EPI Equations for Glomerular Filtration Rate",
    category=Category.LAB,
    output_kind=OutputKind.DECIMAL,
    unit="mL/min/1.73 m²",
    citation=(
        "Inker LA, Eneanya ND, Coresh J, et al. New creatinine- and cystatin C-based equations "
        "to estimate GFR without race. N Engl J Med. 2021;385(19):1737-1749. "
        "doi:10.1056/NEJMoa2102953."
    ),
)


class CkdEpi2021(BaseCalculator[Inputs]):
    """2021 CKD-EPI creatinine equation."""

    def __init__(self) -> None:
        super().__init__(
            INFO,
            Inputs,
            formulas=(EGFR,),
            notes=("MedCalc-Bench's κ = 0.7 for men with Scr ≤ 0.9 is corrected to 0.9.",),
        )

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        kappa, alpha, sex_factor = PARAMETERS[inputs.sex]
        explanation.step(f"{inputs.sex}: κ = {kappa}, α = {alpha}, sex factor = {sex_factor}")
        return explanation.apply(
            EGFR,
            creatinine=inputs.creatinine,
            kappa=kappa,
            alpha=alpha,
            age=inputs.age,
            sex_factor=sex_factor,
        )


register(CkdEpi2021())
