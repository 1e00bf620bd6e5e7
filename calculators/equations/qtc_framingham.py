"""QT interval corrected for heart rate, Framingham formula (MedCalc-Bench ID 57).

QTc = QT + 154 × (1 − RR), QT in ms and RR in seconds (RR = 60 / heart rate).
"""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.equations.common import HEART_RATE, QT_INTERVAL, RR_INTERVAL
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs
from calculators.registry import register


class Inputs(CalculatorInputs):
    """Heart rate and measured QT interval."""

    heart_rate: Annotated[float, HEART_RATE]
    qt: Annotated[float, QT_INTERVAL]


QTC = Formula("QTc", ("qt", "rr"), lambda s: s.qt + 154 * (1 - s.rr), unit="ms")

INFO = CalculatorInfo(
    id=57,
    slug="qtc_framingham",
    name="QTc Framingham Calculator",
    category=Category.PHYSICAL,
    output_kind=OutputKind.DECIMAL,
    unit="ms",
    citation=(
        "Sagie A, Larson MG, Goldberg RJ, Bengtson JR, Levy D. An improved method for adj"
        "usting the QT interval for heart rate (the Framingham Heart Study). Am J Cardiol"
        ". 1992;70(7):797-801."
    ),
)


class QtcFramingham(BaseCalculator[Inputs]):
    """QTc by the Framingham formula."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(QTC, RR_INTERVAL))

    def evaluate(self, inputs: Inputs, convention: str, explanation: Explanation) -> float:
        rr = explanation.apply(RR_INTERVAL, heart_rate=inputs.heart_rate)
        return explanation.apply(QTC, qt=inputs.qt, rr=rr)


register(QtcFramingham())
