"""QT interval corrected for heart rate, Rautaharju formula (MedCalc-Bench ID 59).

QTc = QT × (120 + heart rate) / 180, QT in ms and heart rate in beats/min.
"""

from __future__ import annotations

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.equations.common import QtCorrection
from calculators.formula import Formula
from calculators.registry import register

QTC = Formula(
    "QTc", ("qt", "heart_rate"), lambda s, sp: s.qt * (120 + s.heart_rate) / 180, unit="ms"
)

INFO = CalculatorInfo(
    id=59,
    slug="qtc_rautaharju",
    name="QTc Rautaharju Calculator",
    category=Category.PHYSICAL,
    output_kind=OutputKind.DECIMAL,
    unit="ms",
    citation=(
        "Rautaharju PM, Mason JW, Akiyama T. New age- and sex-specific criteria for QT pr"
        "olongation based on rate correction formulas that minimize bias at the upper nor"
        "mal limits. Int J Cardiol. 2014;174(3):535-540. doi:10.1016/j.ijcard.2014.04.133"
        "."
    ),
)


register(QtCorrection(INFO, QTC))
