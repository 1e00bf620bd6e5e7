"""Adjusted body weight (MedCalc-Bench ID 62): AdjBW = IBW + 0.4 × (weight − IBW), Devine IBW.

Used for dosing in obesity; the 0.4 factor is the usual one for aminoglycosides.
"""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.equations.common import (
    ADJUSTED_WEIGHT,
    DEVINE_CITATION,
    IBW,
    IBW_BASE,
    Height,
    Weight,
)
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs, sex
from calculators.registry import register


class Inputs(CalculatorInputs):
    """Sex, weight and height."""

    sex: Annotated[str, sex()]
    weight: Weight
    height: Height


INFO = CalculatorInfo(
    id=62,
    slug="adjusted_body_weight",
    name="Adjusted Body Weight",
    category=Category.PHYSICAL,
    output_kind=OutputKind.DECIMAL,
    unit="kg",
    citation=(
        "Bauer LA. Applied Clinical Pharmacokinetics. 2nd ed. McGraw-Hill; 2008 "
        "(aminoglycoside dosing weight IBW + 0.4 × (TBW − IBW)). " + DEVINE_CITATION
    ),
)


class AdjustedBodyWeight(BaseCalculator[Inputs]):
    """Adjusted body weight."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(ADJUSTED_WEIGHT, IBW))

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        ibw = explanation.apply(IBW, base=IBW_BASE[inputs.sex], height=inputs.height)
        return explanation.apply(ADJUSTED_WEIGHT, ibw=ibw, weight=inputs.weight)


register(AdjustedBodyWeight())
