"""QT interval corrected for heart rate, Framingham formula (MedCalc-Bench ID 57).

QTc = QT + 154 × (1 − RR), QT in ms and RR in seconds (RR = 60 / heart rate).
"""

from __future__ import annotations

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.equations.common import QtCorrection
from calculators.formula import Formula
from calculators.registry import register

QTC = Formula("QTc", ("qt", "rr"), lambda s, sp: s.qt + 154 * (1 - s.rr), unit="ms")

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


register(QtCorrection(INFO, QTC))
