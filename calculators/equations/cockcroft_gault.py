"""Creatinine clearance by the Cockcroft-Gault equation (MedCalc-Bench ID 2).

CrCl [mL/min] = (140 − age) × weight × (0.85 if female) / (72 × Scr [mg/dL]).

Convention ``weight``: Cockcroft and Gault used actual body weight, the default. The alternative
``bmi_adjusted`` (MedCalc-Bench's question, and many dosing services) chooses the weight by BMI:
underweight (BMI < 18.5) → actual weight; normal (18.5 ≤ BMI < 25) → min(IBW, actual);
overweight or obese (BMI ≥ 25) → adjusted body weight IBW + 0.4 × (actual − IBW), with Devine
IBW. The BMI is compared exactly (:mod:`calculators.exact`): 64 kg at 160 cm is 25 kg/m².
"""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Convention, Option, Selection
from calculators.equations.common import (
    ADJUSTED_WEIGHT,
    ADULT_AGE,
    BMI,
    CREATININE,
    DEVINE_CITATION,
    IBW,
    IBW_BASE,
    Height,
    Weight,
)
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs, sex
from calculators.registry import register


class Inputs(CalculatorInputs):
    """Age, sex, weight, height and serum creatinine."""

    age: Annotated[float, ADULT_AGE]
    sex: Annotated[str, sex()]
    weight: Weight
    height: Height
    creatinine: Annotated[float, CREATININE]


CRCL = Formula(
    "CrCl",
    ("age", "weight_used", "sex_factor", "creatinine"),
    lambda s, sp: (140 - s.age) * s.weight_used * s.sex_factor / (72 * s.creatinine),
    unit="mL/min",
)

INFO = CalculatorInfo(
    id=2,
    slug="cockcroft_gault",
    name="Creatinine Clearance (Cockcroft-Gault Equation)",
    category=Category.LAB,
    output_kind=OutputKind.DECIMAL,
    unit="mL/min",
    citation=(
        "Cockcroft DW, Gault MH. Prediction of creatinine clearance from serum creatinine. "
        "Nephron. 1976;16(1):31-41. doi:10.1159/000180580. Weight choice: " + DEVINE_CITATION
    ),
    conventions=(
        Convention(
            "weight",
            "which body weight enters the equation",
            (
                Option("actual", "actual body weight", "Cockcroft and Gault 1976"),
                Option(
                    "bmi_adjusted",
                    "by BMI: actual if BMI < 18.5, min(IBW, actual) if 18.5 ≤ BMI < 25, adjusted "
                    "IBW + 0.4 × (actual − IBW) if BMI ≥ 25",
                    "MedCalc-Bench's question; Winter MA, Guhr KN, Berg GM. Pharmacotherapy. "
                    "2012;32(7):604-612 (adjusted weight in overweight patients)",
                ),
            ),
            "Cockcroft and Gault (1976) used actual body weight",
        ),
    ),
)


class CockcroftGault(BaseCalculator[Inputs]):
    """Cockcroft-Gault creatinine clearance."""

    def __init__(self) -> None:
        super().__init__(
            INFO,
            Inputs,
            formulas=(CRCL, BMI, IBW, ADJUSTED_WEIGHT),
        )

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        weight = inputs.weight
        if conventions["weight"] == "bmi_adjusted":
            weight = dosing_weight(inputs.sex, inputs.weight, inputs.height, explanation)
        sex_factor = explanation.value(
            "sex factor", 0.85 if inputs.sex == "Female" else 1.0, because=inputs.sex
        )
        return explanation.apply(
            CRCL,
            age=inputs.age,
            weight_used=weight,
            sex_factor=sex_factor,
            creatinine=inputs.creatinine,
        )


def dosing_weight(sex: str, weight: float, height: float, explanation: Explanation) -> float:
    """The weight chosen by BMI class (convention ``bmi_adjusted``, see the module docs)."""
    bmi = explanation.apply(BMI, weight=weight, height=height)
    ibw = explanation.apply(IBW, base=IBW_BASE[sex], height=height)
    if bmi < 18.5:
        return explanation.value("weight used", weight, "kg", "underweight: actual weight")
    if bmi < 25:
        return explanation.value(
            "weight used", min(ibw, weight), "kg", "normal BMI: the lower of IBW and actual weight"
        )
    explanation.step("BMI ≥ 25 (overweight or obese): use the adjusted body weight")
    return explanation.apply(ADJUSTED_WEIGHT, ibw=ibw, weight=weight)


register(CockcroftGault())
