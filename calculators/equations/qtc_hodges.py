"""QT interval corrected for heart rate, Hodges formula (MedCalc-Bench ID 58).

QTc = QT + 1.75 × (heart rate − 60), QT in ms and heart rate in beats/min (the benchmark
writes 60/RR for the heart rate; it is the same number).
"""

from __future__ import annotations

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.equations.common import QtCorrection
from calculators.formula import Formula
from calculators.registry import register

QTC = Formula(
    "QTc", ("qt", "heart_rate"), lambda s, sp: s.qt + 1.75 * (s.heart_rate - 60), unit="ms"
)

INFO = CalculatorInfo(
    id=58,
    slug="qtc_hodges",
    name="QTc Hodges Calculator",
    category=Category.PHYSICAL,
    output_kind=OutputKind.DECIMAL,
    unit="ms",
    citation=(
        "Hodges M, Salerno D, Erlinen D. Bazett's QT correction reviewed: evidence that a"
        " linear QT correction for heart rate is better. J Am Coll Cardiol. 1983;1:694."
    ),
)


register(QtCorrection(INFO, QTC))
