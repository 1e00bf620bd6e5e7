"""Body mass index (MedCalc-Bench ID 6): BMI = weight [kg] / height [m]².

Quetelet's index, named "body mass index" by Keys et al. (1972).
"""

from __future__ import annotations

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.equations.common import BMI, Height, Weight
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs
from calculators.registry import register


class Inputs(CalculatorInputs):
    """Weight and height."""

    weight: Weight
    height: Height


INFO = CalculatorInfo(
    id=6,
    slug="bmi",
    name="Body Mass Index (BMI)",
    category=Category.PHYSICAL,
    output_kind=OutputKind.DECIMAL,
    unit="kg/m²",
    citation=(
        "Keys A, Fidanza F, Karvonen MJ, Kimura N, Taylor HL. Indices of relative weight and "
        "obesity. J Chronic Dis. 1972;25(6):329-343. doi:10.1016/0021-9681(72)90027-6."
    ),
)


class BodyMassIndex(BaseCalculator[Inputs]):
    """Body mass index."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(BMI,))

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        return explanation.apply(BMI, weight=inputs.weight, height=inputs.height)


register(BodyMassIndex())
