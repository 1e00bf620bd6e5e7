"""QT interval corrected for heart rate, Fridericia formula (MedCalc-Bench ID 56).

QTc = QT / ∛RR, QT in ms and RR in seconds (RR = 60 / heart rate).
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


QTC = Formula("QTc", ("qt", "rr"), lambda s: s.qt / s.rr ** sympy.Rational(1, 3), unit="ms")

INFO = CalculatorInfo(
    id=56,
    slug="qtc_fridericia",
    name="QTc Fridericia Calculator",
    category=Category.PHYSICAL,
    output_kind=OutputKind.DECIMAL,
    unit="ms",
    citation=(
        "Fridericia LS. Die Systolendauer im Elektrokardiogramm bei normalen Menschen und"
        " bei Herzkranken. Acta Med Scand. 1920;53:469-486."
    ),
)


class QtcFridericia(BaseCalculator[Inputs]):
    """QTc by the Fridericia formula."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(QTC, RR_INTERVAL))

    def evaluate(self, inputs: Inputs, convention: str, explanation: Explanation) -> float:
        rr = explanation.apply(RR_INTERVAL, heart_rate=inputs.heart_rate)
        return explanation.apply(QTC, qt=inputs.qt, rr=rr)


register(QtcFridericia())
