"""Published cut-offs of every banded input, written from the publications (not from the code).

Each :class:`Threshold` names one cut-off of one calculator: the dataset key of the input, the
cut-off in the input's canonical unit, and the score's total for a value just below, exactly on
and just above it, with every other input held at ``base`` (values the publication scores as
stated in ``offset``). Where a publication prints contiguous bands at one decimal (e.g. SOFA
bilirubin 6.0–11.9, > 12.0), the printed lower limit of a band belongs to that band.

Sources: Knaus 1985 (APACHE II table), Vincent 1996 (SOFA Table 1), Fine 1997 (PSI Table 2), Bone
1992 and Goldstein 2005 Table 3 (SIRS), Blatchford 2000 in MDCalc's mg/dL form (GBS), Lim 2003
(CURB-65), McIsaac 1998 (Centor), Six 2008 (HEART), Caprini 2005, Lip 2010 (CHA2DS2-VASc),
Pisters 2010 (HAS-BLED), Wells 2001 (PE), Kline 2004 (PERC), Lee 1999 (RCRI), Charlson 1987 age
points as in Charlson 1994, Pugh 1973 (Child-Pugh).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any


@dataclass(frozen=True)
class Threshold:
    """One published cut-off and the total score on each side of it."""

    calculator: str
    key: str
    unit: str | None
    """The canonical unit of the cut-off (pint), ``None`` for a unitless number."""
    cutoff: Fraction
    below: Fraction
    at: Fraction
    above: Fraction
    base: dict[str, Any]
    source: str
    conventions: dict[str, str] = field(default_factory=dict)
    integer: bool = False
    """Whole-number input (a GCS): neighbours are the cut-off ± 1."""

    @property
    def name(self) -> str:
        return f"{self.calculator}:{self.key}@{self.cutoff}"


def _t(
    calculator: str,
    key: str,
    unit: str | None,
    cutoff: str | int | Fraction,
    sides: tuple[float | str, float | str, float | str],
    base: dict[str, Any],
    source: str,
    **extra: Any,
) -> Threshold:
    below, at, above = (Fraction(str(side)) for side in sides)
    value = cutoff if isinstance(cutoff, Fraction) else Fraction(str(cutoff))
    return Threshold(calculator, key, unit, value, below, at, above, base, source, **extra)


APACHE = {
    "age": [40, "years"],
    "Temperature": [37, "degrees celsius"],
    "Mean arterial pressure": [90, "mm Hg"],
    "Heart Rate or Pulse": [80, "beats per minute"],
    "respiratory rate": [16, "breaths per minute"],
    "FiO2": [21, "%"],
    "PaO2": [90, "mm Hg"],
    "pH": 7.4,
    "Sodium": [140, "mEq/L"],
    "Potassium": [4.0, "mEq/L"],
    "creatinine": [1.0, "mg/dL"],
    "Hematocrit": [40, "%"],
    "White blood cell count": [8000, "µL"],
    "Glasgow Coma Score": 15,
}
_A = "Knaus 1985, APACHE II acute physiology table"
GBS = {
    "sex": "Male",
    "Blood Urea Nitrogen (BUN)": [10, "mg/dL"],
    "Hemoglobin": [15, "g/dL"],
    "Systolic Blood Pressure": [120, "mm Hg"],
    "Heart Rate or Pulse": [80, "beats per minute"],
}
CURB = {
    "age": [40, "years"],
    "Blood Urea Nitrogen (BUN)": [10, "mg/dL"],
    "respiratory rate": [16, "breaths per minute"],
    "Systolic Blood Pressure": [120, "mm Hg"],
    "Diastolic Blood Pressure": [80, "mm Hg"],
}
HEART = {"Suspicion History": "Slightly suspicious"}
FWD = {"sex": "Female", "weight": [50, "kg"], "Sodium": [154, "mEq/L"]}
CHILD_PUGH = {
    "Bilirubin": [1.0, "mg/dL"],
    "Albumin": [4.0, "g/dL"],
    "international normalized ratio": 1.0,
}


def _apache(
    key: str,
    unit: str | None,
    rows: list[tuple[str | int, tuple[int, int, int]]],
    base: dict[str, Any] | None = None,
) -> list[Threshold]:
    return [_t("apache_ii", key, unit, c, s, base or APACHE, _A) for c, s in rows]


THRESHOLDS: list[Threshold] = [
    # APACHE II: each band's lower limit; below it the next band down.
    *_apache(
        "Temperature",
        "degC",
        [
            (41, (3, 4, 4)),
            (39, (1, 3, 3)),
            ("38.5", (0, 1, 1)),
            (36, (1, 0, 0)),
            (34, (2, 1, 1)),
            (32, (3, 2, 2)),
            (30, (4, 3, 3)),
        ],
    ),
    *_apache(
        "Mean arterial pressure",
        "mmHg",
        [
            (160, (3, 4, 4)),
            (130, (2, 3, 3)),
            (110, (0, 2, 2)),
            (70, (2, 0, 0)),
            (50, (4, 2, 2)),
        ],
    ),
    *_apache(
        "Heart Rate or Pulse",
        "1/min",
        [
            (180, (3, 4, 4)),
            (140, (2, 3, 3)),
            (110, (0, 2, 2)),
            (70, (2, 0, 0)),
            (55, (3, 2, 2)),
            (40, (4, 3, 3)),
        ],
    ),
    *_apache(
        "respiratory rate",
        "1/min",
        [
            (50, (3, 4, 4)),
            (35, (1, 3, 3)),
            (25, (0, 1, 1)),
            (12, (1, 0, 0)),
            (10, (2, 1, 1)),
            (6, (4, 2, 2)),
        ],
    ),
    *_apache(
        "pH",
        None,
        [
            ("7.7", (3, 4, 4)),
            ("7.6", (1, 3, 3)),
            ("7.5", (0, 1, 1)),
            ("7.33", (2, 0, 0)),
            ("7.25", (3, 2, 2)),
            ("7.15", (4, 3, 3)),
        ],
    ),
    *_apache(
        "Sodium",
        "mmol/L",
        [
            (180, (3, 4, 4)),
            (160, (2, 3, 3)),
            (155, (1, 2, 2)),
            (150, (0, 1, 1)),
            (130, (2, 0, 0)),
            (120, (3, 2, 2)),
            (111, (4, 3, 3)),
        ],
    ),
    *_apache(
        "Potassium",
        "mmol/L",
        [
            (7, (3, 4, 4)),
            (6, (1, 3, 3)),
            ("5.5", (0, 1, 1)),
            ("3.5", (1, 0, 0)),
            (3, (2, 1, 1)),
            ("2.5", (4, 2, 2)),
        ],
    ),
    *_apache(
        "creatinine",
        "mg/dL",
        [
            ("3.5", (3, 4, 4)),
            (2, (2, 3, 3)),
            ("1.5", (0, 2, 2)),
            ("0.6", (2, 0, 0)),
        ],
    ),
    # acute renal failure doubles the creatinine points
    *_apache(
        "creatinine",
        "mg/dL",
        [
            ("3.5", (6, 8, 8)),
            (2, (4, 6, 6)),
            ("1.5", (0, 4, 4)),
            ("0.6", (4, 0, 0)),
        ],
        APACHE | {"Acute renal failure": True},
    ),
    *_apache(
        "Hematocrit",
        "percent",
        [
            (60, (2, 4, 4)),
            (50, (1, 2, 2)),
            (46, (0, 1, 1)),
            (30, (2, 0, 0)),
            (20, (4, 2, 2)),
        ],
    ),
    *_apache(
        "White blood cell count",
        "1/µL",
        [
            (40_000, (2, 4, 4)),
            (20_000, (1, 2, 2)),
            (15_000, (0, 1, 1)),
            (3_000, (2, 0, 0)),
            (1_000, (4, 2, 2)),
        ],
    ),
    *_apache("age", "year", [(45, (0, 2, 2)), (55, (2, 3, 3)), (65, (3, 5, 5)), (75, (5, 6, 6))]),
    # oxygenation: PaO2 when FiO2 < 50 % (> 70: 0; 61–70: 1; 55–60: 3; < 55: 4) ...
    *_apache("PaO2", "mmHg", [(70, (1, 1, 0)), (61, (3, 1, 1)), (55, (4, 3, 3))]),
    # ... the A-a gradient from FiO2 50 % (≥ 500: 4; 350–499: 3; 200–349: 2; < 200: 0)
    *_apache(
        "A-a gradient",
        None,
        [(500, (3, 4, 4)), (350, (2, 3, 3)), (200, (0, 2, 2))],
        APACHE | {"FiO2": [60, "%"]},
    ),
    *_apache(
        "FiO2", "percent", [(50, (4, 0, 0))], APACHE | {"PaO2": [50, "mm Hg"], "A-a gradient": 100}
    ),
    # SOFA (Vincent 1996); nothing else documented scores 0.
    *[
        _t("sofa", "Platelet count", "1/µL", c, s, {}, "Vincent 1996")
        for c, s in [
            (150_000, (1, 0, 0)),
            (100_000, (2, 1, 1)),
            (50_000, (3, 2, 2)),
            (20_000, (4, 3, 3)),
        ]
    ],
    *[
        _t("sofa", "Bilirubin", "mg/dL", c, s, {}, "Vincent 1996")
        for c, s in [
            ("1.2", (0, 1, 1)),
            (2, (1, 2, 2)),
            (6, (2, 3, 3)),
            (12, (3, 4, 4)),
        ]
    ],
    *[
        _t("sofa", "creatinine", "mg/dL", c, s, {}, "Vincent 1996")
        for c, s in [
            ("1.2", (0, 1, 1)),
            (2, (1, 2, 2)),
            ("3.5", (2, 3, 3)),
            (5, (3, 4, 4)),
        ]
    ],
    _t("sofa", "Urine Output", "mL/day", 500, (3, 0, 0), {}, "Vincent 1996"),
    _t("sofa", "Urine Output", "mL/day", 200, (4, 3, 3), {}, "Vincent 1996"),
    _t("sofa", "Glasgow Coma Score", None, 13, (2, 1, 1), {}, "Vincent 1996", integer=True),
    _t("sofa", "Glasgow Coma Score", None, 10, (3, 2, 2), {}, "Vincent 1996", integer=True),
    _t("sofa", "Glasgow Coma Score", None, 6, (4, 3, 3), {}, "Vincent 1996", integer=True),
    # MAP < 70 mm Hg: 1 point; with SBP 90 the MAP is 70 exactly at DBP 60
    _t(
        "sofa",
        "Diastolic Blood Pressure",
        "mmHg",
        60,
        (1, 0, 0),
        {"Systolic Blood Pressure": [90, "mm Hg"]},
        "Vincent 1996",
    ),
    _t("sofa", "DOPamine", "µg/kg/min", 5, (2, 2, 3), {}, "Vincent 1996"),
    _t("sofa", "DOPamine", "µg/kg/min", 15, (3, 3, 4), {}, "Vincent 1996"),
    _t("sofa", "EPINEPHrine", "µg/kg/min", "0.1", (3, 3, 4), {}, "Vincent 1996"),
    _t("sofa", "norEPINEPHrine", "µg/kg/min", "0.1", (3, 3, 4), {}, "Vincent 1996"),
    # PSI (Fine 1997, Table 2): a 50-year-old man scores 50 before the findings.
    *[
        _t("psi", k, u, c, s, {"age": [50, "years"], "sex": "Male"}, "Fine 1997")
        for k, u, c, s in [
            ("respiratory rate", "1/min", 30, (50, 70, 70)),
            ("Systolic Blood Pressure", "mmHg", 90, (70, 50, 50)),
            ("Temperature", "degC", 35, (65, 50, 50)),
            ("Temperature", "degC", 40, (50, 65, 65)),
            ("Heart Rate or Pulse", "1/min", 125, (50, 60, 60)),
            ("pH", None, "7.35", (80, 50, 50)),
            ("Blood Urea Nitrogen (BUN)", "mg/dL", 30, (50, 70, 70)),
            ("Sodium", "mmol/L", 130, (70, 50, 50)),
            ("Glucose", "mg/dL", 250, (50, 60, 60)),
            ("Hematocrit", "percent", 30, (60, 50, 50)),
            ("PaO2", "mmHg", 60, (60, 50, 50)),
        ]
    ],
    # SIRS, adults (Bone 1992): temperature > 38 or < 36 °C, HR > 90, RR > 20 or PaCO2 < 32,
    # WBC > 12,000 or < 4,000.
    *[
        _t("sirs", k, u, c, s, {}, "Bone 1992")
        for k, u, c, s in [
            ("Temperature", "degC", 38, (0, 0, 1)),
            ("Temperature", "degC", 36, (1, 0, 0)),
            ("Heart Rate or Pulse", "1/min", 90, (0, 0, 1)),
            ("respiratory rate", "1/min", 20, (0, 0, 1)),
            ("PaCO2", "mmHg", 32, (1, 0, 0)),
            ("White blood cell count", "1/µL", 12_000, (0, 0, 1)),
            ("White blood cell count", "1/µL", 4_000, (1, 0, 0)),
        ]
    ],
    # SIRS, a 3-year-old (Goldstein 2005, Table 3, over 1 to 5 years)
    *[
        _t("sirs", k, u, c, s, {"age": [3, "years"]}, "Goldstein 2005")
        for k, u, c, s in [
            ("Temperature", "degC", "38.5", (0, 0, 1)),
            ("Temperature", "degC", 36, (1, 0, 0)),
            ("Heart Rate or Pulse", "1/min", 140, (0, 0, 1)),
            ("respiratory rate", "1/min", 22, (0, 0, 1)),
            ("White blood cell count", "1/µL", 15_500, (0, 0, 1)),
            ("White blood cell count", "1/µL", 6_000, (1, 0, 0)),
        ]
    ],
    # SIRS age groups (Goldstein 2005): a finding met in one group and not the next
    *[
        _t("sirs", "age", "year", c, s, b, "Goldstein 2005")
        for c, s, b in [
            (Fraction(28, 1461), (0, 1, 1), {"respiratory rate": [45, "breaths per minute"]}),
            (Fraction(1, 12), (0, 1, 1), {"respiratory rate": [38, "breaths per minute"]}),
            (1, (1, 1, 0), {"Heart Rate or Pulse": [85, "beats per minute"]}),
            (5, (0, 0, 1), {"Heart Rate or Pulse": [135, "beats per minute"]}),
            (12, (0, 0, 1), {"Heart Rate or Pulse": [120, "beats per minute"]}),
            (18, (0, 1, 1), {"Heart Rate or Pulse": [100, "beats per minute"]}),
        ]
    ],
    # Glasgow-Blatchford (Blatchford 2000; MDCalc's mg/dL bands): a man with normal findings
    *[
        _t("glasgow_blatchford", k, u, c, s, GBS | b, "Blatchford 2000")
        for k, u, c, s, b in [
            ("Blood Urea Nitrogen (BUN)", "mg/dL", "18.2", (0, 2, 2), {}),
            ("Blood Urea Nitrogen (BUN)", "mg/dL", "22.4", (2, 3, 3), {}),
            ("Blood Urea Nitrogen (BUN)", "mg/dL", 28, (3, 4, 4), {}),
            ("Blood Urea Nitrogen (BUN)", "mg/dL", 70, (4, 6, 6), {}),
            ("Hemoglobin", "g/dL", 13, (1, 0, 0), {}),
            ("Hemoglobin", "g/dL", 12, (3, 1, 1), {}),
            ("Hemoglobin", "g/dL", 10, (6, 3, 3), {}),
            ("Hemoglobin", "g/dL", 12, (1, 0, 0), {"sex": "Female"}),
            ("Hemoglobin", "g/dL", 10, (6, 1, 1), {"sex": "Female"}),
            ("Systolic Blood Pressure", "mmHg", 110, (1, 0, 0), {}),
            ("Systolic Blood Pressure", "mmHg", 100, (2, 1, 1), {}),
            ("Systolic Blood Pressure", "mmHg", 90, (3, 2, 2), {}),
            ("Heart Rate or Pulse", "1/min", 100, (0, 1, 1), {}),
        ]
    ],
    # CURB-65 (Lim 2003): BUN > 19 mg/dL, RR ≥ 30, SBP < 90 or DBP ≤ 60, age ≥ 65
    *[
        _t("curb_65", k, u, c, s, CURB, "Lim 2003")
        for k, u, c, s in [
            ("Blood Urea Nitrogen (BUN)", "mg/dL", 19, (0, 0, 1)),
            ("respiratory rate", "1/min", 30, (0, 1, 1)),
            ("Systolic Blood Pressure", "mmHg", 90, (1, 0, 0)),
            ("Diastolic Blood Pressure", "mmHg", 60, (1, 1, 0)),
            ("age", "year", 65, (0, 1, 1)),
        ]
    ],
    # Centor/McIsaac (McIsaac 1998): age 3–14 +1, 15–44 0, ≥ 45 −1; temperature > 38 °C +1
    _t("centor", "age", "year", 3, (0, 1, 1), {}, "McIsaac 1998"),
    _t("centor", "age", "year", 15, (1, 0, 0), {}, "McIsaac 1998"),
    _t("centor", "age", "year", 45, (0, -1, -1), {}, "McIsaac 1998"),
    _t("centor", "Temperature", "degC", 38, (0, 0, 1), {"age": [30, "years"]}, "McIsaac 1998"),
    # HEART (Six 2008): age < 45 0, 45–64 1, ≥ 65 2
    _t("heart", "age", "year", 45, (0, 1, 1), HEART, "Six 2008"),
    _t("heart", "age", "year", 65, (1, 2, 2), HEART, "Six 2008"),
    # Caprini 2005: age 41–60 1, 61–74 2, ≥ 75 3; BMI > 25 1
    _t("caprini", "age", "year", 41, (0, 1, 1), {}, "Caprini 2005"),
    _t("caprini", "age", "year", 61, (1, 2, 2), {}, "Caprini 2005"),
    _t("caprini", "age", "year", 75, (2, 3, 3), {}, "Caprini 2005"),
    _t(
        "caprini",
        "Body Mass Index (BMI)",
        "kg/m^2",
        25,
        (0, 0, 1),
        {"age": [30, "years"]},
        "Caprini 2005",
    ),
    # CHA2DS2-VASc (Lip 2010): age 65–74 1, ≥ 75 2 (a man otherwise well)
    _t("cha2ds2_vasc", "age", "year", 65, (0, 1, 1), {"sex": "Male"}, "Lip 2010"),
    _t("cha2ds2_vasc", "age", "year", 75, (1, 2, 2), {"sex": "Male"}, "Lip 2010"),
    # HAS-BLED (Pisters 2010): elderly > 65; alcohol ≥ 8 drinks a week
    _t("has_bled", "age", "year", 65, (0, 0, 1), {}, "Pisters 2010"),
    _t(
        "has_bled",
        "Number of Alcoholic Drinks Per Week",
        None,
        8,
        (0, 1, 1),
        {"age": [40, "years"]},
        "Pisters 2010",
    ),
    # Wells PE (Wells 2001): heart rate > 100 → 1.5
    _t("wells_pe", "Heart Rate or Pulse", "1/min", 100, (0, 0, 1.5), {}, "Wells 2001"),
    # PERC (Kline 2004): age ≥ 50, HR ≥ 100, SaO2 < 95 %
    _t("perc", "age", "year", 50, (0, 1, 1), {}, "Kline 2004"),
    _t(
        "perc", "Heart Rate or Pulse", "1/min", 100, (0, 1, 1), {"age": [30, "years"]}, "Kline 2004"
    ),
    _t(
        "perc",
        "O₂ saturation percentage",
        "percent",
        95,
        (1, 0, 0),
        {"age": [30, "years"]},
        "Kline 2004",
    ),
    # RCRI (Lee 1999): pre-operative creatinine > 2 mg/dL
    _t("rcri", "Pre-operative creatinine", "mg/dL", 2, (0, 0, 1), {}, "Lee 1999"),
    # Charlson (age points: 50–59 1, 60–69 2, 70–79 3, ≥ 80 4)
    *[
        _t("charlson", "age", "year", c, s, {}, "Charlson 1994")
        for c, s in [
            (50, (0, 1, 1)),
            (60, (1, 2, 2)),
            (70, (2, 3, 3)),
            (80, (3, 4, 4)),
        ]
    ],
    # Child-Pugh (Pugh 1973): bilirubin < 2 / 2–3 / > 3 mg/dL; albumin > 3.5 / 2.8–3.5 / < 2.8;
    # INR < 1.7 / 1.7–2.3 / > 2.3. Normal other findings score 1 each (5 in all).
    _t("child_pugh", "Bilirubin", "mg/dL", 2, (5, 6, 6), CHILD_PUGH, "Pugh 1973"),
    _t("child_pugh", "Bilirubin", "mg/dL", 3, (6, 6, 7), CHILD_PUGH, "Pugh 1973"),
    _t("child_pugh", "Albumin", "g/dL", "3.5", (6, 6, 5), CHILD_PUGH, "Pugh 1973"),
    _t("child_pugh", "Albumin", "g/dL", "2.8", (7, 6, 6), CHILD_PUGH, "Pugh 1973"),
    _t(
        "child_pugh",
        "international normalized ratio",
        None,
        "1.7",
        (5, 6, 6),
        CHILD_PUGH,
        "Pugh 1973",
    ),
    _t(
        "child_pugh",
        "international normalized ratio",
        None,
        "2.3",
        (6, 6, 7),
        CHILD_PUGH,
        "Pugh 1973",
    ),
]
