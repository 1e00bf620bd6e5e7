"""QT interval corrected for heart rate, Bazett formula (MedCalc-Bench ID 11).

QTc = QT / √RR, QT in ms and RR in seconds (RR = 60 / heart rate).
"""

from __future__ import annotations

from typing import Annotated

import sympy

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


QTC = Formula("QTc", ("qt", "rr"), lambda s: s.qt / s.rr ** sympy.Rational(1, 2), unit="ms")

INFO = CalculatorInfo(
    id=11,
    slug="qtc_bazett",
    name="QTc Bazett Calculator",
    category=Category.PHYSICAL,
    output_kind=OutputKind.DECIMAL,
    unit="ms",
    citation=(
        "Bazett HC. An analysis of the time-relations of electrocardiograms. Heart. 1920;7:353-370."
    ),
)


class QtcBazett(BaseCalculator[Inputs]):
    """QTc by the Bazett formula."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(QTC, RR_INTERVAL))

    def evaluate(self, inputs: Inputs, convention: str, explanation: Explanation) -> float:
        rr = explanation.apply(RR_INTERVAL, heart_rate=inputs.heart_rate)
        return explanation.apply(QTC, qt=inputs.qt, rr=rr)


register(QtcBazett())
