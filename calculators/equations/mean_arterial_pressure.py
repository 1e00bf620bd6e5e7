"""Mean arterial pressure (MedCalc-Bench ID 5): MAP = (SBP + 2 × DBP) / 3 = DBP + (SBP − DBP)/3.

The one-third rule for the time-weighted mean of the arterial pressure wave at resting heart rates.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.equations.common import DIASTOLIC, SYSTOLIC
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs
from calculators.registry import register


class Inputs(CalculatorInputs):
    """Systolic and diastolic blood pressure."""

    systolic: Annotated[float, replace(SYSTOLIC, not_below="diastolic")]
    diastolic: Annotated[float, DIASTOLIC]


MAP = Formula(
    "MAP",
    ("systolic", "diastolic"),
    lambda s, sp: (s.systolic + 2 * s.diastolic) / 3,
    unit="mm Hg",
)

INFO = CalculatorInfo(
    id=5,
    slug="mean_arterial_pressure",
    name="Mean Arterial Pressure (MAP)",
    category=Category.PHYSICAL,
    output_kind=OutputKind.DECIMAL,
    unit="mm Hg",
    citation=(
        "Sesso HD, Stampfer MJ, Rosner B, et al. Systolic and diastolic blood pressure, pulse "
        "pressure, and mean arterial pressure as predictors of cardiovascular disease risk in men. "
        "Hypertension. 2000;36(5):801-807. doi:10.1161/01.HYP.36.5.801."
    ),
)


class MeanArterialPressure(BaseCalculator[Inputs]):
    """Mean arterial pressure."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(MAP,))

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        if inputs.diastolic > inputs.systolic:
            from calculators.errors import InputValueError

            raise InputValueError("diastolic", "diastolic pressure exceeds systolic pressure")
        return explanation.apply(MAP, systolic=inputs.systolic, diastolic=inputs.diastolic)


register(MeanArterialPressure())
