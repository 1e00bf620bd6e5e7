"""Body-size formulas shared by several calculators: BMI, Devine ideal and adjusted body weight.

Heights are in cm and weights in kg throughout.
"""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo
from calculators.conventions import Convention, Option, Selection
from calculators.errors import InputValueError
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs, quantity

HEIGHT = quantity("cm", 30, 275, keys=("height",), label="Height")
WEIGHT = quantity("kg", 0.3, 500, keys=("weight",), label="Weight")
AGE = quantity("year", 0, 125, keys=("age",), label="Age", display_unit="years")
ADULT_AGE = quantity("year", 18, 125, keys=("age",), label="Age", display_unit="years")

Height = Annotated[float, HEIGHT]
Weight = Annotated[float, WEIGHT]

BMI = Formula(
    "BMI", ("weight", "height"), lambda s, sp: s.weight / (s.height / 100) ** 2, unit="kg/m²"
)
"""Quetelet's body-mass index, kg/m² (weight kg, height cm)."""

IBW = Formula(
    "IBW",
    ("base", "height"),
    lambda s, sp: s.base + 2.3 * (s.height / 2.54 - 60),
    unit="kg",
)
"""Devine (1974) ideal body weight: 50 kg (men) or 45.5 kg (women) + 2.3 kg per inch over 5 ft."""

IBW_BASE = {"Male": 50.0, "Female": 45.5}

ADJUSTED_WEIGHT = Formula(
    "AdjBW", ("ibw", "weight"), lambda s, sp: s.ibw + 0.4 * (s.weight - s.ibw), unit="kg"
)
"""Adjusted body weight: IBW + 0.4 × (actual weight − IBW)."""

DEVINE_CITATION = "Devine BJ. Gentamicin therapy. Drug Intell Clin Pharm. 1974;8:650-655."

CREATININE = quantity(
    "mg/dL", 0.1, 30, keys=("creatinine",), label="Serum creatinine", analyte="creatinine"
)
SODIUM = quantity(
    "mmol/L", 100, 200, keys=("Sodium",), label="Sodium", display_unit="mEq/L", analyte="sodium"
)
CHLORIDE = quantity(
    "mmol/L",
    50,
    160,
    keys=("Chloride",),
    label="Chloride",
    display_unit="mEq/L",
    analyte="chloride",
)
BICARBONATE = quantity(
    "mmol/L",
    1,
    60,
    keys=("Bicarbonate", "HCO3"),
    label="Bicarbonate",
    display_unit="mEq/L",
    analyte="bicarbonate",
)
ALBUMIN = quantity("g/dL", 0.5, 7, keys=("Albumin",), label="Albumin", analyte="albumin")
GLUCOSE = quantity("mg/dL", 10, 3000, keys=("Glucose",), label="Glucose", analyte="glucose")
BUN = quantity(
    "mg/dL",
    1,
    300,
    keys=("Blood Urea Nitrogen (BUN)", "BUN"),
    label="Blood urea nitrogen",
    analyte="urea_nitrogen",
)
HEART_RATE = quantity(
    "1/min",
    20,
    300,
    keys=("Heart Rate or Pulse", "heart rate"),
    label="Heart rate",
    display_unit="beats/min",
)
QT_INTERVAL = quantity(
    "ms", 150, 800, keys=("QT Interval",), label="QT interval", display_unit="ms"
)
SYSTOLIC = quantity(
    "mmHg", 40, 300, keys=("Systolic Blood Pressure",), label="Systolic BP", display_unit="mm Hg"
)
DIASTOLIC = quantity(
    "mmHg", 10, 200, keys=("Diastolic Blood Pressure",), label="Diastolic BP", display_unit="mm Hg"
)

ANION_GAP = Formula(
    "AG",
    ("sodium", "chloride", "bicarbonate"),
    lambda s, sp: s.sodium - (s.chloride + s.bicarbonate),
    unit="mEq/L",
)
"""Anion gap = Na − (Cl + HCO3), mEq/L."""

ALBUMIN_CORRECTED_AG = Formula(
    "corrected AG",
    ("anion_gap", "albumin"),
    lambda s, sp: s.anion_gap + 2.5 * (4 - s.albumin),
    unit="mEq/L",
    signed=("anion_gap",),
)
"""Figge: anion gap + 2.5 × (4 − albumin [g/dL]), normal albumin 4 g/dL."""

DELTA_GAP = Formula("delta gap", ("gap",), lambda s, sp: s.gap - 12, unit="mEq/L", signed=("gap",))
"""Delta anion gap = anion gap − 12 (normal anion gap 12 mEq/L)."""

DELTA_DELTA = Formula(
    "delta gap",
    ("gap", "bicarbonate"),
    lambda s, sp: (s.gap - 12) - (24 - s.bicarbonate),
    unit="mEq/L",
    signed=("gap",),
)
"""Wrenn's delta gap = ΔAG − ΔHCO3 = (anion gap − 12) − (24 − HCO3)."""

DELTA_RATIO = Formula(
    "delta ratio",
    ("gap", "bicarbonate"),
    lambda s, sp: (s.gap - 12) / (24 - s.bicarbonate),
    signed=("gap",),
)
"""Delta ratio = (anion gap − 12) / (24 − HCO3) (normal anion gap 12, normal HCO3 24 mEq/L)."""

FIGGE_CITATION = (
    "Figge J, Jabor A, Kazda A, Fencl V. Anion gap and hypoalbuminemia. Crit Care Med. "
    "1998;26(11):1807-1810. doi:10.1097/00003246-199811000-00019."
)
ANION_GAP_CITATION = (
    "Emmett M, Narins RG. Clinical use of the anion gap. Medicine (Baltimore). 1977;56(1):38-54."
)
DELTA_CITATION = (
    "Wrenn K. The delta (Δ) gap: an approach to mixed acid-base disorders. Ann Emerg Med. "
    "1990;19(11):1310-1313; Rastegar A. Use of the ΔAG/ΔHCO3− ratio in the diagnosis of mixed "
    "acid-base disorders. J Am Soc Nephrol. 2007;18(9):2429-2431."
)

DELTA_GAP_DEFINITION = Convention(
    "definition",
    "what the delta gap measures",
    (
        Option(
            "delta_delta",
            "ΔAG − ΔHCO3 = (AG − 12) − (24 − HCO3), zero in a pure anion-gap acidosis",
            "Wrenn 1990",
        ),
        Option(
            "delta_anion_gap",
            "ΔAG = AG − 12, the rise of the anion gap alone",
            "MedCalc-Bench's reference calculator; e.g. mdapp.co and perinatology.com calculators",
        ),
    ),
    "Wrenn (1990), who introduced the delta gap as the difference of the two deltas",
)


def delta_gap(
    gap: float, bicarbonate: float, conventions: Selection, explanation: Explanation
) -> float:
    """The delta gap of anion gap ``gap`` by the ``definition`` convention, recorded."""
    if conventions["definition"] == "delta_anion_gap":
        return explanation.apply(DELTA_GAP, gap=gap)
    return explanation.apply(DELTA_DELTA, gap=gap, bicarbonate=bicarbonate)


RR_INTERVAL = Formula("RR", ("heart_rate",), lambda s, sp: 60 / s.heart_rate, unit="s")
"""RR interval [s] = 60 / heart rate [beats/min]."""


class QtInputs(CalculatorInputs):
    """Heart rate and measured QT interval."""

    heart_rate: Annotated[float, HEART_RATE]
    qt: Annotated[float, QT_INTERVAL]


class QtCorrection(BaseCalculator[QtInputs]):
    """A heart-rate correction of the QT interval, given by one formula of ``qt`` and either
    ``rr`` (seconds, derived as 60 / heart rate and shown as its own step) or ``heart_rate``."""

    def __init__(self, info: CalculatorInfo, qtc: Formula) -> None:
        self._qtc = qtc
        self._uses_rr = "rr" in qtc.symbols
        super().__init__(info, QtInputs, formulas=(qtc, RR_INTERVAL) if self._uses_rr else (qtc,))

    def evaluate(self, inputs: QtInputs, conventions: Selection, explanation: Explanation) -> float:
        if self._uses_rr:
            rr = explanation.apply(RR_INTERVAL, heart_rate=inputs.heart_rate)
            return explanation.apply(self._qtc, qt=inputs.qt, rr=rr)
        return explanation.apply(self._qtc, qt=inputs.qt, heart_rate=inputs.heart_rate)


class Electrolytes(CalculatorInputs):
    """Serum sodium, chloride and bicarbonate."""

    sodium: Annotated[float, SODIUM]
    chloride: Annotated[float, CHLORIDE]
    bicarbonate: Annotated[float, BICARBONATE]


class ElectrolytesAndAlbumin(Electrolytes):
    """Serum sodium, chloride, bicarbonate and albumin."""

    albumin: Annotated[float, ALBUMIN]


def anion_gap(inputs: Electrolytes, explanation: Explanation) -> float:
    """The anion gap, recorded in ``explanation``."""
    return explanation.apply(
        ANION_GAP, sodium=inputs.sodium, chloride=inputs.chloride, bicarbonate=inputs.bicarbonate
    )


def corrected_anion_gap(inputs: ElectrolytesAndAlbumin, explanation: Explanation) -> float:
    """The albumin-corrected anion gap, recorded in ``explanation``."""
    gap = anion_gap(inputs, explanation)
    return explanation.apply(ALBUMIN_CORRECTED_AG, anion_gap=gap, albumin=inputs.albumin)


def delta_ratio(gap: float, bicarbonate: float, explanation: Explanation) -> float:
    """(gap − 12) / (24 − HCO3); undefined when bicarbonate is 24 mEq/L."""
    if bicarbonate == 24:
        raise InputValueError("bicarbonate", "the delta ratio is undefined at 24 mEq/L")
    return explanation.apply(DELTA_RATIO, gap=gap, bicarbonate=bicarbonate)
