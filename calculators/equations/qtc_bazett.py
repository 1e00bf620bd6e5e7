"""QT interval corrected for heart rate, Bazett formula (MedCalc-Bench ID 11).

QTc = QT / √RR, QT in ms and RR in seconds (RR = 60 / heart rate).
"""

from __future__ import annotations

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.equations.common import QtCorrection
from calculators.formula import Formula
from calculators.registry import register

QTC = Formula("QTc", ("qt", "rr"), lambda s, sp: s.qt / s.rr ** sp.Rational(1, 2), unit="ms")

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


register(QtCorrection(INFO, QTC))
