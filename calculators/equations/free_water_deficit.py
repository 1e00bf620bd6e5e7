"""Free water deficit in hypernatraemia (MedCalc-Bench ID 38).

FWD [L] = TBW fraction × weight [kg] × (Na / 140 − 1), target sodium 140 mEq/L. Total-body-water
fraction: children (< 18 y) 0.6; adult men 0.6, women 0.5; from 65 y men 0.5, women 0.45.
The result is in litres (≈ kg of water; MedCalc-Bench's question says kg).
"""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.equations.common import AGE, SODIUM, Weight
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs, sex
from calculators.registry import register


class Inputs(CalculatorInputs):
    """Age, sex, weight and sodium."""

    age: Annotated[float, AGE]
    sex: Annotated[str, sex()]
    weight: Weight
    sodium: Annotated[float, SODIUM]


DEFICIT = Formula(
    "free water deficit",
    ("fraction", "weight", "sodium"),
    lambda s: s.fraction * s.weight * (s.sodium / 140 - 1),
    unit="L",
)

INFO = CalculatorInfo(
    id=38,
    slug="free_water_deficit",
    name="Free Water Deficit",
    category=Category.LAB,
    output_kind=OutputKind.DECIMAL,
    unit="L",
    citation=(
        "Adrogué HJ, Madias NE. Hypernatremia. N Engl J Med. 2000;342(20):1493-1499. "
        "doi:10.1056/NEJM200005183422006."
    ),
)


def water_fraction(age: float, sex: str) -> float:
    """Total body water as a fraction of weight, by age band and sex."""
    if age < 18:
        return 0.6
    if age < 65:
        return 0.6 if sex == "Male" else 0.5
    return 0.5 if sex == "Male" else 0.45


class FreeWaterDeficit(BaseCalculator[Inputs]):
    """Free water deficit."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(DEFICIT,))

    def evaluate(self, inputs: Inputs, convention: str, explanation: Explanation) -> float:
        band = "child" if inputs.age < 18 else ("adult" if inputs.age < 65 else "65 or older")
        fraction = explanation.value(
            "total body water fraction",
            water_fraction(inputs.age, inputs.sex),
            because=f"{inputs.sex}, {band}",
        )
        return explanation.apply(
            DEFICIT, fraction=fraction, weight=inputs.weight, sodium=inputs.sodium
        )


register(FreeWaterDeficit())
