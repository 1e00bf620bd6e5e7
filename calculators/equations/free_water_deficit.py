"""Free water deficit in hypernatraemia (MedCalc-Bench ID 38).

FWD [L] = TBW fraction × weight [kg] × (Na / 140 − 1), target sodium 140 mEq/L. Total-body-water
fraction (Adrogué and Madias 2000): children 0.6; adult men 0.6, women 0.5; from 65 y men 0.5,
women 0.45. The result is in litres (≈ kg of water; MedCalc-Bench's question says kg).

Convention ``adolescents``: Adrogué and Madias do not say where childhood ends. By default a
child is under 18 (as MDCalc and MedCalc-Bench count), so adolescents get 0.6 whatever their sex;
``adult_from_12`` gives the adult fractions by sex from 12 years, as body water falls with puberty
in girls (Altman 1961, tabulated in the Institute of Medicine's Dietary Reference Intakes for
Water, 2005, Table 4-1: 12–18 y, males 59 %, females 56 %).
"""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Convention, Option, Selection
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
    lambda s, sp: s.fraction * s.weight * (s.sodium / 140 - 1),
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
    conventions=(
        Convention(
            "adolescents",
            "from what age the adult, sex-specific water fractions apply",
            (
                Option(
                    "child_until_18",
                    "0.6 for everyone under 18",
                    "MDCalc; MedCalc-Bench's reference calculator",
                ),
                Option(
                    "adult_from_12",
                    "adult fractions by sex (men 0.6, women 0.5) from 12 years",
                    "Altman 1961, in Institute of Medicine, Dietary Reference Intakes for Water "
                    "(2005), Table 4-1",
                ),
            ),
            "Adrogué and Madias (2000) say only 'children'; the most widely used calculator, "
            "MDCalc, counts under-18s as children",
        ),
    ),
)


def water_fraction(age: float, sex: str, adult_from: float = 18) -> float:
    """Total body water as a fraction of weight, by age band and sex (adult bands from
    ``adult_from`` years)."""
    if age < adult_from:
        return 0.6
    if age < 65:
        return 0.6 if sex == "Male" else 0.5
    return 0.5 if sex == "Male" else 0.45


class FreeWaterDeficit(BaseCalculator[Inputs]):
    """Free water deficit."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(DEFICIT,))

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        adult_from = 12 if conventions["adolescents"] == "adult_from_12" else 18
        if inputs.age < adult_from:
            band = f"child (under {adult_from})"
        else:
            band = "adult" if inputs.age < 65 else "65 or older"
        fraction = explanation.value(
            "total body water fraction",
            water_fraction(inputs.age, inputs.sex, adult_from),
            because=f"{inputs.sex}, {band}",
        )
        return explanation.apply(
            DEFICIT, fraction=fraction, weight=inputs.weight, sodium=inputs.sodium
        )


register(FreeWaterDeficit())
