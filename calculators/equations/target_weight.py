"""Target weight for a target BMI (MedCalc-Bench ID 61): weight [kg] = BMI × height [m]²."""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.equations.common import Height
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs, quantity
from calculators.registry import register


class Inputs(CalculatorInputs):
    """Target BMI and height."""

    target_bmi: Annotated[
        float,
        quantity(
            "kg/m^2",
            10,
            80,
            keys=("Body Mass Index (BMI)", "target BMI"),
            label="Target BMI",
            display_unit="kg/m²",
        ),
    ]
    height: Height


TARGET_WEIGHT = Formula(
    "target weight",
    ("target_bmi", "height"),
    lambda s, sp: s.target_bmi * (s.height / 100) ** 2,
    unit="kg",
)

INFO = CalculatorInfo(
    id=61,
    slug="target_weight",
    name="Target weight",
    category=Category.PHYSICAL,
    output_kind=OutputKind.DECIMAL,
    unit="kg",
    citation=(
        "Keys A, Fidanza F, Karvonen MJ, Kimura N, Taylor HL. Indices of relative weight and "
        "obesity. J Chronic Dis. 1972;25(6):329-343 (BMI = kg/m², solved for weight)."
    ),
)


class TargetWeight(BaseCalculator[Inputs]):
    """Weight that gives the target BMI at the patient's height."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(TARGET_WEIGHT,))

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        return explanation.apply(TARGET_WEIGHT, target_bmi=inputs.target_bmi, height=inputs.height)


register(TargetWeight())
