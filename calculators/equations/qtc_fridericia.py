"""QT interval corrected for heart rate, Fridericia formula (MedCalc-Bench ID 56).

QTc = QT / ∛RR, QT in ms and RR in seconds (RR = 60 / heart rate).
"""

from __future__ import annotations

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.equations.common import QtCorrection
from calculators.formula import Formula
from calculators.registry import register

QTC = Formula("QTc", ("qt", "rr"), lambda s, sp: s.qt / s.rr ** sp.Rational(1, 3), unit="ms")

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


register(QtCorrection(INFO, QTC))
