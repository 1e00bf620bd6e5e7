"""Calculated serum osmolality (MedCalc-Bench ID 30).

Osm [mOsm/kg] = 2 × Na [mmol/L] + BUN [mg/dL] / 2.8 + glucose [mg/dL] / 18 (ethanol taken as 0).
"""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.equations.common import BUN, GLUCOSE, SODIUM
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs
from calculators.registry import register


class Inputs(CalculatorInputs):
    """Sodium, blood urea nitrogen and glucose."""

    sodium: Annotated[float, SODIUM]
    bun: Annotated[float, BUN]
    glucose: Annotated[float, GLUCOSE]


OSMOLALITY = Formula(
    "serum osmolality",
    ("sodium", "bun", "glucose"),
    lambda s, sp: 2 * s.sodium + s.bun / 2.8 + s.glucose / 18,
    unit="mOsm/kg",
)

INFO = CalculatorInfo(
    id=30,
    slug="serum_osmolality",
    name="Serum Osmolality",
    category=Category.LAB,
    output_kind=OutputKind.DECIMAL,
    unit="mOsm/kg",
    citation=(
        "Dorwart WV, Chalmers L. Comparison of methods for calculating serum osmolality from "
        "chemical concentrations, and the prognostic value of such calculations. Clin Chem. "
        "1975;21(2):190-194."
    ),
)


class SerumOsmolality(BaseCalculator[Inputs]):
    """Calculated serum osmolality."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(OSMOLALITY,))

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        return explanation.apply(
            OSMOLALITY, sodium=inputs.sodium, bun=inputs.bun, glucose=inputs.glucose
        )


register(SerumOsmolality())
