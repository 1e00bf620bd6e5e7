"""Point scores: worked examples, the decisions where the benchmark's reference code is wrong,
threshold boundaries, missing-data conventions and score bounds (hypothesis)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

import calculators
from calculators.criteria import ScoreTable
from calculators.testing import entities

SCORE_IDS = [4, 8, 15, 16, 17, 18, 20, 21, 25, 27, 28, 29, 32, 33, 36, 43, 45, 48, 51]


def score(cid: int, ents: dict[str, Any]) -> float:
    value = calculators.compute_from_entities(cid, ents).value
    assert isinstance(value, int | float)
    return value


def test_all_nineteen_scores_registered_with_citations() -> None:
    for cid in SCORE_IDS:
        calc = calculators.get(cid)
        assert isinstance(calc, ScoreTable)
        assert calc.info.citation and any(str(y) in calc.info.citation for y in range(1970, 2015))


# --- worked cases: points added by hand from each source publication's table (not the code) ---


def test_gcs_case_eyes_to_pain_confused_localizing() -> None:
    # E2 V4 M5 = 11 (Teasdale & Jennett 1974 components)
    ents = {
        "Best eye response": "eye opening to pain",
        "Best verbal response": "confused",
        "Best motor response": "localizes pain",
    }
    assert score(21, ents) == 11


def test_cha2ds2_vasc_case_woman_72_hypertension_diabetes() -> None:
    # female 1 + age 65-74 1 + hypertension 1 + diabetes 1 = 4
    ents = {
        "age": [72, "years"],
        "sex": "Female",
        "Hypertension history": True,
        "Diabetes history": True,
    }
    assert score(4, ents) == 4


def test_curb65_case_all_five_criteria() -> None:
    # 70-year-old, confused, urea 8 mmol/L (22.4 mg/dL BUN), RR 32, BP 85/50 -> 5
    ents = {
        "age": [70, "years"],
        "Confusion": True,
        "Blood Urea Nitrogen (BUN)": [8.0, "mmol/L"],
        "respiratory rate": [32, "breaths per minute"],
        "Systolic Blood Pressure": [85, "mm Hg"],
        "Diastolic Blood Pressure": [50, "mm Hg"],
    }
    assert score(45, ents) == 5


def test_child_pugh_case_class_c_maximum() -> None:
    # bilirubin 3.5 (3) + albumin 2.5 (3) + INR 2.5 (3) + moderate ascites (3) + grade 3-4 (3) = 15
    ents = {
        "Bilirubin": [3.5, "mg/dL"],
        "Albumin": [2.5, "g/dL"],
        "international normalized ratio": 2.5,
        "Ascites": "moderate",
        "Encephalopathy": "Grade 3-4",
    }
    assert score(15, ents) == 15


def test_psi_case_class_iv() -> None:
    # 75-year-old woman (75 - 10) + nursing home 10 + CHF 10 + RR 32 (20) + BUN 35 (20) = 125
    ents = {
        "age": [75, "years"],
        "sex": "Female",
        "Nursing home resident": True,
        "Congestive Heart Faliure": True,
        "respiratory rate": [32, "breaths per minute"],
        "Blood Urea Nitrogen (BUN)": [35, "mg/dL"],
    }
    assert score(29, ents) == 125


def test_apache_ii_case_every_variable_scored() -> None:
    # age 67 (5), T 39.5 (3), MAP (90+2*50)/3=63.3 (2), HR 120 (2), RR 30 (1),
    # FiO2 40 % PaO2 58 (3),
    # pH 7.30 (2), Na 150 (1), K 3.2 (1), Cr 2.1 no ARF (3), Hct 28 (2), WBC 22000 (2), GCS 12 (3),
    # immunocompromised nonoperative (5) -> 35
    ents = {
        "age": [67, "years"],
        "Temperature": [39.5, "degrees celsius"],
        "Systolic Blood Pressure": [90, "mm Hg"],
        "Diastolic Blood Pressure": [50, "mm Hg"],
        "Heart Rate or Pulse": [120, "beats per minute"],
        "respiratory rate": [30, "breaths per minute"],
        "FiO₂": [40, "%"],
        "PaO2": [58, "mm Hg"],
        "pH": 7.30,
        "Sodium": [150, "mEq/L"],
        "Potassium": [3.2, "mEq/L"],
        "creatinine": [2.1, "mg/dL"],
        "Hematocrit": [28, "%"],
        "White blood cell count": [22000, "µL"],
        "Glasgow Coma Score": 12,
        "History of severe organ failure or immunocompromise": True,
        "Surgery Type": "Nonoperative",
    }
    assert score(28, ents) == 35


def test_sofa_case_six_systems() -> None:
    # P/F 80/0.5=160 ventilated (3), platelets 90k (2), bilirubin 2.5 (2), norepi 0.05 (3),
    # GCS 13 (1), creatinine 1.5 (1) -> 12
    ents = {
        "PaO2": [80, "mm Hg"],
        "FiO2": [50, "%"],
        "On mechanical ventilation": True,
        "Platelet count": [90000, "µL"],
        "Bilirubin": [2.5, "mg/dL"],
        "norEPINEPHrine": [0.05, "mcg/kg/min"],
        "Glasgow Coma Score": 13,
        "creatinine": [1.5, "mg/dL"],
    }
    assert score(43, ents) == 12


HAND_CASES: list[tuple[int, dict[str, Any], float]] = [
    # Wells PE: clinical DVT 3 + HR 110 1.5 + previous PE 1.5 = 6
    (
        8,
        {
            "Clinical signs and symptoms of Deep Vein Thrombosis": True,
            "Heart Rate or Pulse": [110, "beats per minute"],
            "Previously Documented Pulmonary Embolism": True,
        },
        6.0,
    ),
    # Wells DVT: cancer 1 + calf swelling 1 + pitting edema 1 − alternative diagnosis 2 = 1
    (
        16,
        {
            "Active cancer": True,
            "Calf swelling >3 centimeters compared to the other leg": True,
            "Pitting edema, confined to symptomatic leg": True,
            "Alternative diagnosis to Deep Vein Thrombosis as likely or more likely": True,
        },
        1,
    ),
    # RCRI: high-risk surgery 1 + insulin 1 + creatinine 2.5 mg/dL (221 µmol/L) 1 = 3
    (
        17,
        {
            "Elevated-risk surgery": True,
            "Pre-operative treatment with insulin": True,
            "Pre-operative creatinine": [221, "µmol/L"],
        },
        3,
    ),
    # HEART: moderately suspicious 1 + ST deviation 2 + age 70 2 + 3 risk factors 2 + trop 1-3x 1
    (
        18,
        {
            "Suspicion History": "Moderately suspicious",
            "Electrocardiogram Test": "Significant ST deviation",
            "age": [70, "years"],
            "Hypertension history": True,
            "smoking": True,
            "obesity": True,
            "Initial troponin": "between the normal limit or up to three times the normal limit",
        },
        8,
    ),
    # McIsaac: age 10 +1, 38.5 °C +1, cough absent +1, nodes +1, exudate +1 = 5
    (
        20,
        {
            "age": [10, "years"],
            "Temperature": [38.5, "degrees celsius"],
            "Cough Absent": True,
            "Tender/swollen anterior cervical lymph nodes": True,
            "Exudate or swelling on tonsils": True,
        },
        5,
    ),
    # HAS-BLED: hypertension 1 + age 70 1 + drugs 1 + alcohol 10/week 1 = 4
    (
        25,
        {
            "Hypertension history": True,
            "age": [70, "years"],
            "Medication usage predisposing to bleeding": True,
            "Number of Alcoholic Drinks Per Week": 10,
        },
        4,
    ),
    # GBS: urea 9 mmol/L 3 + Hb 11 g/dL man 3 + SBP 95 2 + HR 110 1 + melena 1 + syncope 2 = 12
    (
        27,
        {
            "Blood Urea Nitrogen (BUN)": [9.0, "mmol/L"],
            "sex": "Male",
            "Hemoglobin": [11.0, "g/dL"],
            "Systolic Blood Pressure": [95, "mm Hg"],
            "Heart Rate or Pulse": [110, "beats per minute"],
            "Melena present": True,
            "Recent syncope": True,
        },
        12,
    ),
    # Charlson: age 65 2 + MI 1 + diabetes end-organ 2 + metastatic tumour 6 = 11
    (
        32,
        {
            "age": [65, "years"],
            "Myocardial infarction": True,
            "Diabetes mellitus criteria for CCI rule": "End-organ damage",
            "Solid tumor": "Metastatic",
        },
        11,
    ),
    # FeverPAIN: fever 1 + purulence 1 + attend rapidly 1 = 3
    (
        33,
        {"Fever in past 24 hours": True, "Purulent tonsils": True, "Symptom onset ≤3 days": True},
        3,
    ),
    # Caprini: age 65 2 + major surgery 2 + BMI 31 1 + malignancy 2 + bed rest 1 = 8
    (
        36,
        {
            "age": [65, "years"],
            "Surgery Type": "major",
            "Body Mass Index (BMI)": [31, "kg/m^2"],
            "Present or previous malignancy": True,
            "Mobility": "on bed rest",
        },
        8,
    ),
    # PERC: age 55 1 + HR 105 1 + SaO2 93 % 1 + hormone use 1 = 4
    (
        48,
        {
            "age": [55, "years"],
            "Heart Rate or Pulse": [105, "beats per minute"],
            "O₂ saturation percentage": [93, "%"],
            "Hormone use": True,
        },
        4,
    ),
    # SIRS: 101.3 °F (38.5 °C) 1 + HR 95 1 + RR 24 1 + WBC 2.5 ×10⁹/L 1 = 4
    (
        51,
        {
            "Temperature": [101.3, "degrees fahrenheit"],
            "Heart Rate or Pulse": [95, "beats per minute"],
            "respiratory rate": [24, "breaths per minute"],
            "White blood cell count": [2500, "µL"],
        },
        4,
    ),
]


@pytest.mark.parametrize(
    ("cid", "ents", "expected"), HAND_CASES, ids=[str(c[0]) for c in HAND_CASES]
)
def test_hand_worked_case(cid: int, ents: dict[str, Any], expected: float) -> None:
    assert score(cid, ents) == expected


# --- where the benchmark's reference code is wrong ------------------------------------------


def test_gcs_sums_three_components_not_verbal_twice() -> None:
    ents = {
        "Best eye response": "eyes open spontaneously",
        "Best verbal response": "oriented",
        "Best motor response": "obeys commands",
    }
    assert score(21, ents) == 15


def test_child_pugh_scores_ascites() -> None:
    base = {
        "Bilirubin": [1.0, "mg/dL"],
        "Albumin": [4.0, "g/dL"],
        "international normalized ratio": 1.0,
        "Encephalopathy": "No Encephalopathy",
    }
    assert score(15, {**base, "Ascites": "absent"}) == 5
    assert score(15, {**base, "Ascites": "slight"}) == 6
    assert score(15, {**base, "Ascites": "moderate"}) == 7


def test_child_pugh_grade_0_encephalopathy_is_none_not_zero_points() -> None:
    base = {
        "Bilirubin": [1.0, "mg/dL"],
        "Albumin": [4.0, "g/dL"],
        "international normalized ratio": 1.0,
        "Ascites": "absent",
    }
    assert score(15, {**base, "Encephalopathy": "Grade 0"}) == 5


def test_child_pugh_unknown_category_is_an_error() -> None:
    ents = {
        "Bilirubin": [1.0, "mg/dL"],
        "Albumin": [4.0, "g/dL"],
        "international normalized ratio": 1.0,
        "Ascites": "lots",
    }
    with pytest.raises(calculators.InputValueError, match="Ascites"):
        score(15, ents)


def test_heart_atherosclerotic_disease_scores_two_with_one_risk_factor() -> None:
    ents = {
        "age": [40, "years"],
        "Suspicion History": "Slightly suspicious",
        "Electrocardiogram Test": "Normal",
        "Initial troponin": "less than or equal to normal limit",
        "atherosclerotic disease": True,
        "smoking": True,
    }
    assert score(18, ents) == 2


@pytest.mark.parametrize(
    ("dvt", "pe", "points"),
    [(False, False, 0), (True, False, 3), (False, True, 3), (True, True, 3)],
)
def test_caprini_history_of_dvt_or_pe_is_one_three_point_item(
    dvt: bool, pe: bool, points: int
) -> None:
    # Caprini 2005 form and MDCalc's 2005 form: one item "History of DVT/PE", 3 points.
    ents = {
        "age": [30, "years"],
        "Previously documented Deep Vein Thrombosis": dvt,
        "Previously Documented Pulmonary Embolism": pe,
    }
    assert score(36, ents) == points


@pytest.mark.parametrize(("tia", "points"), [(True, 2), (False, 1), (None, 1)])
def test_heart_prior_tia_is_known_atherosclerotic_disease(tia: bool | None, points: int) -> None:
    # Six 2008 / MDCalc: atherosclerotic disease = prior MI, PCI/CABG, CVA/TIA or PAD → 2 points,
    # whatever the number of risk factors; here one risk factor (hypertension) otherwise.
    ents: dict[str, Any] = {
        "Suspicion History": "Slightly suspicious",
        "age": [40, "years"],
        "Hypertension history": True,
    }
    if tia is not None:
        ents["Transient Ischemic Attacks History"] = tia
    assert score(18, ents) == points


def test_caprini_bmi_over_25_is_one_point() -> None:
    base = {"age": [30, "years"]}
    assert score(36, {**base, "Body Mass Index (BMI)": [25.0, "kg/m^2"]}) == 0
    assert score(36, {**base, "Body Mass Index (BMI)": [25.1, "kg/m^2"]}) == 1


@pytest.mark.parametrize("cid", [28, 29])
def test_misspelt_celsius_is_read_as_celsius(cid: int) -> None:
    table = calculators.get(cid)
    assert isinstance(table, ScoreTable)
    values, notes, _ = (
        table.read({"Temperature": [36.6, "degrees celsisus"], "age": [50, "years"], "sex": "Male"})
        if cid == 29
        else (None, None, None)
    )
    if cid == 29:
        assert values["temperature"] == pytest.approx(36.6)
        assert any("unit_typo:temperature" in n for n in notes)
    else:
        ents = _apache_normal()
        ents["Temperature"] = [36.6, "degrees celsisus"]
        assert score(28, ents) == 0


def test_apache_gcs_scores_fifteen_minus_gcs() -> None:
    ents = _apache_normal()
    ents["Glasgow Coma Score"] = 9
    assert score(28, ents) == 6


@pytest.mark.parametrize(
    ("pao2", "support", "expected"),
    [(99.6, True, 3), (99.9, True, 3), (100.0, True, 2), (99.9, False, 2), (49.9, True, 4)],
)
def test_sofa_no_gap_between_199_and_200(pao2: float, support: bool, expected: int) -> None:
    # FiO2 50 %: P/F = 2·PaO2, so 99.6 → 199.2 (the reference's gap scored 0)
    ents = {"PaO2": [pao2, "mm Hg"], "FiO2": [50, "%"], "On mechanical ventilation": support}
    assert score(43, ents) == expected


def test_sofa_reads_dobutamine() -> None:
    assert score(43, {"DOBUTamine": [2.0, "mcg/kg/min"]}) == 2


@pytest.mark.parametrize(("rate", "expected"), [(90, 0), (91, 1)])
def test_sirs_counts_heart_rate_only_above_90(rate: int, expected: int) -> None:
    assert score(51, {"Heart Rate or Pulse": [rate, "beats per minute"]}) == expected


@pytest.mark.parametrize(
    "key", ["History of cerebrovascular disease", "Cerebrovascular disease history"]
)
def test_rcri_reads_both_cerebrovascular_keys(key: str) -> None:
    assert score(17, {key: True}) == 1


# --- boundaries at every threshold ------------------------------------------------------------


def _apache_normal() -> dict[str, Any]:
    return {
        "age": [30, "years"],
        "Temperature": [37, "degrees celsius"],
        "Systolic Blood Pressure": [120, "mm Hg"],
        "Diastolic Blood Pressure": [80, "mm Hg"],
        "Heart Rate or Pulse": [80, "beats per minute"],
        "respiratory rate": [16, "breaths per minute"],
        "FiO₂": [21, "%"],
        "PaO2": [95, "mm Hg"],
        "pH": 7.40,
        "Sodium": [140, "mEq/L"],
        "Potassium": [4.0, "mEq/L"],
        "creatinine": [1.0, "mg/dL"],
        "Hematocrit": [40, "%"],
        "White blood cell count": [8000, "µL"],
        "Glasgow Coma Score": 15,
    }


BOUNDARIES: list[tuple[int, dict[str, Any], str, list[tuple[Any, float]]]] = [
    (
        4,
        {"sex": "Male"},
        "age",
        [([64, "years"], 0), ([65, "years"], 1), ([74, "years"], 1), ([75, "years"], 2)],
    ),
    (8, {}, "Heart Rate or Pulse", [([100, "bpm"], 0), ([101, "bpm"], 1.5)]),
    (17, {}, "Pre-operative creatinine", [([2.0, "mg/dL"], 0), ([2.01, "mg/dL"], 1)]),
    (
        20,
        {"age": [30, "years"]},
        "Temperature",
        [
            ([38.0, "degrees celsius"], 0),
            ([38.1, "degrees celsius"], 1),
            ([100.5, "degrees fahreinheit"], 1),
        ],
    ),
    (
        20,
        {},
        "age",
        [
            ([2, "years"], 0),
            ([3, "years"], 1),
            ([14, "years"], 1),
            ([15, "years"], 0),
            ([44, "years"], 0),
            ([45, "years"], -1),
        ],
    ),
    (25, {"age": [50, "years"]}, "Number of Alcoholic Drinks Per Week", [(7, 0), (8, 1)]),
    (25, {}, "age", [([65, "years"], 0), ([66, "years"], 1)]),
    (
        45,
        {"age": [30, "years"]},
        "Blood Urea Nitrogen (BUN)",
        [([19, "mg/dL"], 0), ([19.5, "mg/dL"], 1)],
    ),
    (45, {"age": [30, "years"]}, "respiratory rate", [([29, "bpm"], 0), ([30, "bpm"], 1)]),
    (
        45,
        {"age": [30, "years"]},
        "Diastolic Blood Pressure",
        [([61, "mm hg"], 0), ([60, "mm hg"], 1)],
    ),
    (48, {"age": [30, "years"]}, "O₂ saturation percentage", [([95, "%"], 0), ([94, "%"], 1)]),
    (48, {"age": [30, "years"]}, "Heart Rate or Pulse", [([99, "bpm"], 0), ([100, "bpm"], 1)]),
    (48, {}, "age", [([49, "years"], 0), ([50, "years"], 1)]),
    (
        51,
        {},
        "Temperature",
        [
            ([36, "degrees celsius"], 0),
            ([35.9, "degrees celsius"], 1),
            ([38, "degrees celsius"], 0),
            ([38.1, "degrees celsius"], 1),
        ],
    ),
    (
        51,
        {},
        "White blood cell count",
        [([4000, "µL"], 0), ([3999, "µL"], 1), ([12000, "µL"], 0), ([12001, "µL"], 1)],
    ),
    (51, {}, "PaCO₂", [([32, "mm hg"], 0), ([31.9, "mm hg"], 1)]),
    (
        27,
        {"sex": "Male", "Hemoglobin": [15, "g/dL"], "Systolic Blood Pressure": [120, "mm Hg"]},
        "Blood Urea Nitrogen (BUN)",
        [
            ([18.1, "mg/dL"], 0),
            ([18.2, "mg/dL"], 2),
            ([22.4, "mg/dL"], 3),
            ([28, "mg/dL"], 4),
            ([70, "mg/dL"], 6),
        ],
    ),
    (
        27,
        {
            "sex": "Male",
            "Blood Urea Nitrogen (BUN)": [10, "mg/dL"],
            "Systolic Blood Pressure": [120, "mm Hg"],
        },
        "Hemoglobin",
        [([13, "g/dL"], 0), ([12.9, "g/dL"], 1), ([11.9, "g/dL"], 3), ([9.9, "g/dL"], 6)],
    ),
    (
        32,
        {},
        "age",
        [
            ([49, "years"], 0),
            ([50, "years"], 1),
            ([60, "years"], 2),
            ([70, "years"], 3),
            ([80, "years"], 4),
        ],
    ),
    (
        36,
        {},
        "age",
        [([40, "years"], 0), ([41, "years"], 1), ([61, "years"], 2), ([75, "years"], 3)],
    ),
    (43, {}, "Glasgow Coma Score", [(15, 0), (14, 1), (12, 2), (9, 3), (5, 4)]),
    (
        43,
        {},
        "Bilirubin",
        [
            ([1.1, "mg/dL"], 0),
            ([1.2, "mg/dL"], 1),
            ([2.0, "mg/dL"], 2),
            ([6.0, "mg/dL"], 3),
            ([12.0, "mg/dL"], 4),
        ],
    ),
    (
        43,
        {},
        "creatinine",
        [
            ([1.1, "mg/dL"], 0),
            ([1.2, "mg/dL"], 1),
            ([2.0, "mg/dL"], 2),
            ([3.5, "mg/dL"], 3),
            ([5.0, "mg/dL"], 4),
        ],
    ),
]


_CP = {"Bilirubin": [1.0, "mg/dL"], "Albumin": [4.0, "g/dL"], "international normalized ratio": 1.0}
_HEART = {"Suspicion History": "Slightly suspicious"}
_PSI = {"age": [50, "years"], "sex": "Male"}

BOUNDARIES += [
    (
        15,
        _CP,
        "Bilirubin",
        [
            ([1.99, "mg/dL"], 5),
            ([2.0, "mg/dL"], 6),
            ([3.0, "mg/dL"], 6),
            ([3.01, "mg/dL"], 7),
            ([51.3, "µmol/L"], 6),
        ],
    ),
    (
        15,
        _CP,
        "Albumin",
        [([3.6, "g/dL"], 5), ([3.5, "g/dL"], 6), ([2.8, "g/dL"], 6), ([2.79, "g/dL"], 7)],
    ),
    (15, _CP, "international normalized ratio", [(1.69, 5), (1.7, 6), (2.3, 6), (2.31, 7)]),
    (
        18,
        _HEART,
        "age",
        [([44, "years"], 0), ([45, "years"], 1), ([64, "years"], 1), ([65, "years"], 2)],
    ),
    (
        28,
        _apache_normal(),
        "Temperature",
        [
            ([38.4, "degrees celsius"], 0),
            ([38.5, "degrees celsius"], 1),
            ([39, "degrees celsius"], 3),
            ([41, "degrees celsius"], 4),
            ([35.9, "degrees celsius"], 1),
        ],
    ),
    (28, _apache_normal(), "pH", [(7.33, 0), (7.32, 2), (7.5, 1), (7.7, 4), (7.14, 4)]),
    (28, _apache_normal(), "Glasgow Coma Score", [(15, 0), (3, 12)]),
    (29, _PSI, "Heart Rate or Pulse", [([124, "bpm"], 50), ([125, "bpm"], 60)]),
    (
        29,
        _PSI,
        "Temperature",
        [
            ([39.9, "degrees celsius"], 50),
            ([40, "degrees celsius"], 65),
            ([35, "degrees celsius"], 50),
            ([34.9, "degrees celsius"], 65),
        ],
    ),
    (29, _PSI, "Sodium", [([130, "mEq/L"], 50), ([129, "mmol/L"], 70)]),
    (29, _PSI, "Glucose", [([249, "mg/dL"], 50), ([250, "mg/dL"], 60), ([14, "mmol/L"], 60)]),
    (29, _PSI, "pH", [(7.35, 50), (7.34, 80)]),
]


@pytest.mark.parametrize(
    ("cid", "base", "key", "cases"), BOUNDARIES, ids=[f"{b[0]}-{b[2]}" for b in BOUNDARIES]
)
def test_threshold_boundaries(
    cid: int, base: dict[str, Any], key: str, cases: list[tuple[Any, float]]
) -> None:
    for value, expected in cases:
        assert score(cid, {**base, key: value}) == expected, (key, value)


def test_missing_items_are_absent_and_explained() -> None:
    result = calculators.compute_from_entities(4, {"age": [50, "years"], "sex": "Male"})
    assert result.value == 0
    assert "Hypertension: not documented, assumed absent." in result.explanation
    assert result.explanation.splitlines()[-1] == "The answer is 0."


def test_required_input_missing_names_it() -> None:
    with pytest.raises(calculators.MissingInputError, match="Best verbal response"):
        score(21, {"Best eye response": "no eye opening", "Best motor response": "none"})


# --- bounds (hypothesis) ----------------------------------------------------------------------


@pytest.mark.parametrize("cid", SCORE_IDS)
def test_score_stays_within_published_range(cid: int) -> None:
    table = calculators.get(cid)
    assert isinstance(table, ScoreTable)

    @settings(max_examples=60, deadline=None)
    @given(entities(table))
    def check(ents: dict[str, Any]) -> None:
        try:
            value = score(cid, ents)
        except calculators.MissingInputError:
            assert cid == 28  # APACHE II: the FiO2 branch's oxygenation value was not drawn
            return
        low, high = table.score_range
        assert low <= value <= high

    check()


def test_published_ranges() -> None:
    ranges = {
        21: (3, 15),
        45: (0, 5),
        4: (0, 9),
        15: (5, 15),
        48: (0, 8),
        51: (0, 4),
        43: (0, 24),
        33: (0, 5),
        20: (-1, 5),
        16: (-2, 9),
        17: (0, 6),
    }
    for cid, expected in ranges.items():
        table = calculators.get(cid)
        assert isinstance(table, ScoreTable)
        assert table.score_range == expected
