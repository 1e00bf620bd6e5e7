"""Maintenance fluid rate by the Holliday-Segar 4-2-1 rule (MedCalc-Bench ID 22).

4 mL/kg/h for the first 10 kg, 2 mL/kg/h for the next 10 kg, 1 mL/kg/h for each kg above 20:
W ≤ 10 kg → 4W; 10 < W ≤ 20 → 40 + 2(W − 10); W > 20 → 60 + (W − 20) mL/h.
"""

from __future__ import annotations

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.equations.common import Weight
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs
from calculators.registry import register


class Inputs(CalculatorInputs):
    """Body weight."""

    weight: Weight


FIRST_BAND = Formula("rate", ("weight",), lambda s, sp: 4 * s.weight, unit="mL/h")
SECOND_BAND = Formula("rate", ("weight",), lambda s, sp: 40 + 2 * (s.weight - 10), unit="mL/h")
THIRD_BAND = Formula("rate", ("weight",), lambda s, sp: 60 + (s.weight - 20), unit="mL/h")

INFO = CalculatorInfo(
    id=22,
    slug="maintenance_fluids",
    name="Maintenance Fluids Calculations",
    category=Category.PHYSICAL,
    output_kind=OutputKind.DECIMAL,
    unit="mL/h",
    citation=(
        "Holliday MA, Segar WE. The maintenance need for water in parenteral fluid therapy. "
        "Pediatrics. 1957;19(5):823-832."
    ),
)


class MaintenanceFluids(BaseCalculator[Inputs]):
    """Holliday-Segar maintenance fluids."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(THIRD_BAND, SECOND_BAND, FIRST_BAND))

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        if inputs.weight <= 10:
            explanation.step("weight ≤ 10 kg: 4 mL/kg/h")
            return explanation.apply(FIRST_BAND, weight=inputs.weight)
        if inputs.weight <= 20:
            explanation.step("10 kg < weight ≤ 20 kg: 40 mL/h + 2 mL/kg/h above 10 kg")
            return explanation.apply(SECOND_BAND, weight=inputs.weight)
        explanation.step("weight > 20 kg: 60 mL/h + 1 mL/kg/h above 20 kg")
        return explanation.apply(THIRD_BAND, weight=inputs.weight)


register(MaintenanceFluids())
