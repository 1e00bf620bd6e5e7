"""One worked example per calculator, from its published source or a standard textbook case.

Expected values are the published numbers, or hand arithmetic written out here with plain numbers
(never the calculators' own formula objects).
"""

from __future__ import annotations

import datetime
import math
from typing import Any

import pytest

import calculators

# (calculator id, entities, expected value, conventions, source)
EXAMPLES: list[tuple[int, dict[str, Any], Any, dict[str, str] | None, str]] = [
    (
        2,
        {
            "age": [60, "years"],
            "sex": "Male",
            "weight": [72, "kg"],
            "height": [180, "cm"],
            "creatinine": [1.0, "mg/dL"],
        },
        (140 - 60) * 72 / (72 * 1.0),  # 80 mL/min
        {"weight": "actual"},
        "Cockcroft-Gault formula, textbook case: 60-year-old 72 kg man, Scr 1 mg/dL → 80 mL/min",
    ),
    (
        2,
        {
            "age": [60, "years"],
            "sex": "Female",
            "weight": [100, "kg"],
            "height": [160, "cm"],
            "creatinine": [1.0, "mg/dL"],
        },
        # BMI 39 → adjusted weight: IBW = 45.5 + 2.3 × (62.992 − 60) = 52.382; 52.382 + 0.4 × 47.618
        (140 - 60) * (52.3819 + 0.4 * (100 - 52.3819)) * 0.85 / 72,
        {"weight": "bmi_adjusted"},
        "MedCalc-Bench weight rule, obese woman (hand arithmetic)",
    ),
    (
        3,
        {"age": [50, "years"], "sex": "Female", "creatinine": [1.0, "mg/dL"]},
        142 * (1.0 / 0.7) ** -1.2 * 0.9938**50 * 1.012,  # ≈ 68.7
        None,
        "Inker 2021 equation, woman 50 y, Scr 1.0 (κ 0.7, Scr/κ > 1)",
    ),
    (
        3,
        {"age": [40, "years"], "sex": "Male", "creatinine": [0.8, "mg/dL"]},
        142 * (0.8 / 0.9) ** -0.302 * 0.9938**40,  # κ = 0.9 for men, not 0.7
        None,
        "Inker 2021 equation, man 40 y, Scr 0.8 ≤ κ = 0.9",
    ),
    (
        5,
        {"Systolic Blood Pressure": [120, "mm Hg"], "Diastolic Blood Pressure": [80, "mm Hg"]},
        93.3333,
        None,
        "textbook: 120/80 mm Hg → MAP 93 mm Hg",
    ),
    (
        6,
        {"weight": [70, "kg"], "height": [175, "cm"]},
        22.857,
        None,
        "textbook: 70 kg, 1.75 m → 22.9 kg/m²",
    ),
    (
        7,
        {"Calcium": [8.0, "mg/dL"], "Albumin": [2.0, "g/dL"]},
        9.6,
        None,
        "Payne 1973 rule: + 0.8 mg/dL per g/dL albumin below 4",
    ),
    (
        9,
        {"age": [60, "years"], "sex": "Female", "creatinine": [1.0, "mg/dL"]},
        175 * 60**-0.203 * 0.742,  # ≈ 56.5
        None,
        "Levey 2006 equation, woman 60 y, Scr 1.0",
    ),
    (10, {"sex": "Male", "height": [72, "in"]}, 77.6, None, "Devine: 6 ft man → 50 + 2.3 × 12"),
    (
        10,
        {"sex": "Female", "height": [5, "ft", 4, "in"]},
        54.7,
        None,
        "Devine: 5 ft 4 in woman → 45.5 + 2.3 × 4",
    ),
    (
        10,
        {"sex": "Male", "height": [72, "in"]},
        52 + 1.9 * 12,
        {"formula": "robinson"},
        "Robinson 1983",
    ),
    (
        11,
        {"Heart Rate or Pulse": [60, "bpm"], "QT interval": [400, "msec"]},
        400.0,
        None,
        "Bazett: at 60 beats/min RR = 1 s and QTc = QT",
    ),
    (
        11,
        {"Heart Rate or Pulse": [100, "bpm"], "QT interval": [400, "msec"]},
        400 / math.sqrt(0.6),
        None,
        "Bazett at 100 beats/min (RR 0.6 s) → 516 ms",
    ),
    (
        13,
        {"Last menstrual date": "01/01/2020", "cycle length": 28},
        datetime.date(2020, 10, 7),
        {"rule": "lmp_plus_280_days"},
        "LMP 1 Jan 2020 + 280 days (leap year) = 7 Oct 2020",
    ),
    (
        13,
        {"Last menstrual date": "01/01/2020", "cycle length": 28},
        datetime.date(2020, 10, 8),
        {"rule": "calendar_naegele"},
        "Naegele: 1 Jan + 1 year − 3 months + 7 days = 8 Oct",
    ),
    (
        13,
        {"Last menstrual date": "12/11/2013", "cycle length": 22},
        datetime.date(2014, 9, 11),
        {"rule": "lmp_plus_280_days"},
        "22-day cycle: 6 days earlier than LMP + 280 d (v1.0 row 928 label says 09/23/2014)",
    ),
    (
        13,
        {"Last menstrual date": "12/11/2013", "cycle length": 22},
        datetime.date(2014, 9, 12),
        None,
        "Naegele: 11 Dec 2013 + 1 year − 3 months + 7 days = 18 Sep 2014, 6 days earlier",
    ),
    (
        19,
        {
            "age": [50, "years"],
            "Aspartate aminotransferase": [40, "U/L"],
            "Alanine aminotransferase": [40, "U/L"],
            "Platelet count": [200000, "µL"],
        },
        50 * 40 / (200 * math.sqrt(40)),  # 1.58
        None,
        "Sterling 2006 index, 50 y, AST = ALT = 40 U/L, platelets 200 × 10⁹/L",
    ),
    (
        22,
        {"weight": [25, "kg"]},
        65.0,
        None,
        "Holliday & Segar 4-2-1 rule, textbook case: 25 kg → 40 + 20 + 5 = 65 mL/h",
    ),
    (22, {"weight": [8, "kg"]}, 32.0, None, "Holliday & Segar: 8 kg → 4 mL/kg/h"),
    (
        23,
        {
            "creatinine": [1.5, "mg/dL"],
            "Bilirubin": [2.0, "mg/dL"],
            "international normalized ratio": 1.5,
            "Sodium": [130, "mEq/L"],
        },
        # MELD(i) = 0.957 ln 1.5 + 0.378 ln 2 + 1.12 ln 1.5 + 0.643 = 1.7472 → 1.7 → 17;
        # 17 + 1.32 × 7 − 0.033 × 17 × 7 = 22.313 → 22
        22,
        None,
        "OPTN policy 9.1 arithmetic (hand computed)",
    ),
    (
        23,
        {
            "creatinine": [0.8, "mg/dL"],
            "Bilirubin": [2.0, "mg/dL"],
            "international normalized ratio": 1.5,
            "Sodium": [130, "mEq/L"],
            "Dialysis at least twice in the past week": True,
        },
        # dialysis → Cr 4.0: 0.957 ln 4 + 0.378 ln 2 + 1.12 ln 1.5 + 0.643 = 2.6808 → 2.7 → 27;
        # 27 + 9.24 − 0.033 × 27 × 7 = 30.003 → 30
        30,
        None,
        "OPTN: dialysed twice in a week → creatinine 4.0 even when measured below 1",
    ),
    (
        24,
        {"input steroid": ["PredniSONE PO", 5, "mg"], "target steroid": "Hydrocortisone IV"},
        20.0,
        None,
        "Liu 2013 Table 1: prednisone 5 mg ≡ hydrocortisone 20 mg",
    ),
    (
        24,
        {"input steroid": ["PredniSONE PO", 10, "mg"], "target steroid": "Dexamethasone PO"},
        1.5,
        None,
        "prednisone 5 mg ≡ dexamethasone 0.75 mg",
    ),
    (
        26,
        {"Sodium": [130, "mEq/L"], "Glucose": [600, "mg/dL"]},
        142.0,
        None,
        "Hillier 1999: 2.4 mEq/L per 100 mg/dL glucose above 100",
    ),
    (
        30,
        {
            "Sodium": [140, "mEq/L"],
            "Blood Urea Nitrogen (BUN)": [14, "mg/dL"],
            "Glucose": [180, "mg/dL"],
        },
        295.0,
        None,
        "textbook: 280 + 5 + 10",
    ),
    (
        31,
        {"Insulin": [5, "µIU/mL"], "Glucose": [4.5, "mmol/L"]},
        1.0,
        None,
        "Matthews 1985: normal HOMA-IR = 1 at insulin 5 µIU/mL, glucose 4.5 mmol/L",
    ),
    (
        38,
        {"age": [40, "years"], "sex": "Male", "weight": [70, "kg"], "Sodium": [160, "mEq/L"]},
        6.0,
        None,
        "Adrogué & Madias formula, textbook case: 0.6 × 70 × (160/140 − 1) = 6 L",
    ),
    (
        39,
        {"Sodium": [140, "mEq/L"], "Chloride": [104, "mEq/L"], "Bicarbonate": [24, "mEq/L"]},
        12.0,
        None,
        "Emmett & Narins: normal anion gap 12",
    ),
    (
        40,
        {
            "creatinine": [2.0, "mg/dL"],
            "Sodium": [140, "mEq/L"],
            "Urine sodium": [10, "mEq/L"],
            "Urine creatinine": [100, "mg/dL"],
        },
        10 * 2.0 / (140 * 100) * 100,  # 0.14 % (prerenal)
        None,
        "Espinel 1976 definition, textbook prerenal case (< 1 %)",
    ),
    (
        44,
        {
            "Total cholesterol": [200, "mg/dL"],
            "high-density lipoprotein cholesterol": [50, "mg/dL"],
            "Triglycerides": [150, "mg/dL"],
        },
        120.0,
        None,
        "Friedewald 1972: 200 − 50 − 30",
    ),
    (
        46,
        {
            "sex": "Male",
            "age": [55, "years"],
            "Total cholesterol": [213, "mg/dL"],
            "high-density lipoprotein cholesterol": [50, "mg/dL"],
            "Systolic Blood Pressure": [120, "mm Hg"],
            "Smoker": False,
            "Blood pressure being treated with medicines": False,
        },
        (
            1
            - 0.9402
            ** math.exp(
                52.00961 * math.log(55)
                + 20.014077 * math.log(213)
                - 0.905964 * math.log(50)
                + 1.305784 * math.log(120)
                - 4.605038 * math.log(55) * math.log(213)
                - 2.93323 * math.log(55) ** 2
                - 172.300168
            )
        )
        * 100,
        None,
        "ATP III hard-CHD model coefficients (hand computed)",
    ),
    (
        49,
        {"OxyCODONE Dose": [10, "mg"], "OxyCODONE Dose Per Day": [4, "per day"]},
        60.0,
        None,
        "CDC 2022 factor, textbook case: oxycodone 10 mg four times a day = 40 mg × 1.5",
    ),
    (
        49,
        {
            "FentaNYL patch Dose": [25, "µg/h"],
            "FentaNYL patch Dose Per Day": [1, "per day"],
            "Morphine Dose": [15, "mg"],
            "Morphine Dose Per Day": [2, "per day"],
        },
        25 * 2.4 + 30,
        None,
        "CDC 2022: fentanyl 25 µg/h patch = 60 MME/day, plus morphine 30 mg/day",
    ),
    (
        56,
        {"Heart Rate or Pulse": [100, "bpm"], "QT interval": [400, "msec"]},
        400 / 0.6 ** (1 / 3),
        None,
        "Fridericia at RR 0.6 s → 474 ms",
    ),
    (
        57,
        {"Heart Rate or Pulse": [100, "bpm"], "QT interval": [400, "msec"]},
        400 + 154 * 0.4,
        None,
        "Sagie 1992 at RR 0.6 s → 461.6 ms",
    ),
    (
        58,
        {"Heart Rate or Pulse": [100, "bpm"], "QT interval": [400, "msec"]},
        470.0,
        None,
        "Hodges 1983: 400 + 1.75 × 40",
    ),
    (
        59,
        {"Heart Rate or Pulse": [60, "bpm"], "QT interval": [400, "msec"]},
        400.0,
        None,
        "Rautaharju 2014: (120 + 60)/180 = 1 at 60 beats/min",
    ),
    (
        60,
        {"weight": [80, "kg"], "height": [180, "cm"]},
        2.0,
        None,
        "Mosteller formula, textbook case: √(180 × 80 / 3600) = 2 m²",
    ),
    (
        60,
        {"weight": [80, "kg"], "height": [180, "cm"]},
        0.007184 * 80**0.425 * 180**0.725,
        {"formula": "du_bois"},
        "Du Bois 1916 formula",
    ),
    (
        61,
        {"Body Mass Index (BMI)": [22, "kg/m^2"], "height": [1.8, "m"]},
        71.28,
        None,
        "22 kg/m² × 1.8² m²",
    ),
    (
        62,
        {"sex": "Male", "weight": [120, "kg"], "height": [72, "in"]},
        77.6 + 0.4 * 42.4,
        None,
        "IBW 77.6 kg + 0.4 × (120 − 77.6)",
    ),
    (
        63,
        {"Sodium": [140, "mEq/L"], "Chloride": [100, "mEq/L"], "Bicarbonate": [14, "mEq/L"]},
        14.0 - 10.0,
        None,
        "Wrenn 1990: ΔAG = 26 − 12 = 14, ΔHCO3 = 24 − 14 = 10 → delta gap 4",
    ),
    (
        63,
        {"Sodium": [140, "mEq/L"], "Chloride": [100, "mEq/L"], "Bicarbonate": [14, "mEq/L"]},
        14.0,
        {"definition": "delta_anion_gap"},
        "delta anion gap: AG 26 → 26 − 12 = 14",
    ),
    (
        64,
        {"Sodium": [140, "mEq/L"], "Chloride": [100, "mEq/L"], "Bicarbonate": [10, "mEq/L"]},
        1.2857,
        None,
        "Rastegar 2007: (30 − 12)/(24 − 10)",
    ),
    (
        65,
        {
            "Sodium": [140, "mEq/L"],
            "Chloride": [106, "mEq/L"],
            "Bicarbonate": [24, "mEq/L"],
            "Albumin": [2.0, "g/dL"],
        },
        15.0,
        None,
        "Figge 1998: AG 10 + 2.5 × 2",
    ),
    (
        66,
        {
            "Sodium": [140, "mEq/L"],
            "Chloride": [106, "mEq/L"],
            "Bicarbonate": [24, "mEq/L"],
            "Albumin": [2.0, "g/dL"],
        },
        3.0,
        None,
        "corrected AG 15 − 12",
    ),
    (
        67,
        {
            "Sodium": [140, "mEq/L"],
            "Chloride": [100, "mEq/L"],
            "Bicarbonate": [14, "mEq/L"],
            "Albumin": [2.0, "g/dL"],
        },
        1.9,
        None,
        "(26 + 5 − 12)/(24 − 14)",
    ),
    (
        68,
        {"Last menstrual date": "01/01/2020"},
        datetime.date(2020, 1, 15),
        None,
        "ovulation 14 days after LMP",
    ),
    (
        68,
        {"Last menstrual date": "01/01/2020", "cycle length": 35},
        datetime.date(2020, 1, 22),
        {"rule": "cycle_adjusted"},
        "35-day cycle: ovulation 21 days after LMP",
    ),
    (
        69,
        {"Current Date": "03/01/2020", "Last menstrual date": "01/01/2020"},
        (8, 4),
        None,
        "60 days = 8 weeks 4 days",
    ),
]


@pytest.mark.parametrize(
    ("calculator_id", "entities", "expected", "conventions", "source"),
    EXAMPLES,
    ids=[f"{e[0]}-{i}" for i, e in enumerate(EXAMPLES)],
)
def test_worked_example(
    calculator_id: int,
    entities: dict[str, Any],
    expected: Any,
    conventions: dict[str, str] | None,
    source: str,
) -> None:
    result = calculators.compute_from_entities(calculator_id, entities, conventions=conventions)
    if isinstance(expected, float):
        assert result.value == pytest.approx(expected, rel=1e-4), source
    else:
        assert result.value == expected, source


def test_every_calculator_has_a_worked_example() -> None:
    equation_ids = {c.info.id for c in calculators.all_calculators()} & {e[0] for e in EXAMPLES}
    assert len(equation_ids) == 36


def test_explanation_shows_conversion_formula_steps_and_answer() -> None:
    result = calculators.compute_from_entities(
        2,
        {
            "age": [87, "years"],
            "sex": "Male",
            "weight": [72.5, "kg"],
            "height": [170, "cm"],
            "creatinine": [183, "µmol/L"],
        },
        conventions={"weight": "bmi_adjusted"},
    )
    text = result.explanation
    assert "Serum creatinine: 183 µmol/L = 2.0701 mg/dL." in text
    assert "CrCl = (140 - age) × weight_used × sex_factor/(72 × creatinine)" in text
    assert "= (140 - 87) × 68.5622 × 1/(72 × 2.0701) = 24.3802 mL/min" in text
    assert text.endswith("The answer is 24.3802 mL/min.")


def test_unknown_convention_is_refused() -> None:
    with pytest.raises(calculators.InputValueError, match="no convention 'units'"):
        calculators.compute_from_entities(
            6, {"weight": [70, "kg"], "height": [175, "cm"]}, conventions={"units": "metric"}
        )
    with pytest.raises(calculators.InputValueError, match="not one of its options"):
        calculators.compute_from_entities(
            60, {"weight": [70, "kg"], "height": [175, "cm"]}, conventions={"formula": "haycock"}
        )
