"""Named conventions: every calculator declares them with sourced options; each option changes the
result as its publication says; choices are checked per call and per run.

Expected values are hand arithmetic from the cited sources, not the code's output.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

import calculators
from calculators.conventions import for_calculator, parse_assignment, parse_assignments

REQUIRED = {
    ("delta_gap", "definition"),
    ("albumin_corrected_delta_gap", "definition"),
    ("sofa", "respiratory_support"),
    ("gcs", "not_testable"),
    ("sirs", "children"),
    ("sodium_correction", "factor"),
    ("free_water_deficit", "adolescents"),
    ("morphine_milligram_equivalents", "factors"),
    ("ldl_calculated", "measured_ldl"),
    ("due_date", "rule"),
    ("conception_date", "rule"),
}


def test_the_conventions_where_clinicians_differ_are_declared() -> None:
    declared = {
        (calculator.info.slug, convention.name)
        for calculator in calculators.all_calculators()
        for convention in calculator.info.conventions
    }
    assert declared >= REQUIRED


@pytest.mark.parametrize(
    "convention",
    [c for calc in calculators.all_calculators() for c in calc.info.conventions],
    ids=lambda c: c.name,
)
def test_every_option_is_described_and_sourced(convention: calculators.Convention) -> None:
    assert convention.basis and convention.question
    for option in convention.options:
        assert option.description and option.source, option


def _value(slug: str, entities: dict[str, Any], **conventions: str) -> Any:
    return calculators.get(slug).compute_from_entities(entities, conventions=conventions).value


ELECTROLYTES = {"Sodium": [140, "mEq/L"], "Chloride": [100, "mEq/L"], "Bicarbonate": [14, "mEq/L"]}


def test_delta_gap_definitions() -> None:
    # AG = 140 − 114 = 26; ΔAG = 14; ΔHCO3 = 10 (Wrenn 1990: delta gap = ΔAG − ΔHCO3 = 4)
    assert _value("delta_gap", ELECTROLYTES) == pytest.approx(4)
    assert _value("delta_gap", ELECTROLYTES, definition="delta_anion_gap") == pytest.approx(14)
    with_albumin = ELECTROLYTES | {"Albumin": [2.0, "g/dL"]}  # cAG = 26 + 2.5 × 2 = 31
    assert _value("albumin_corrected_delta_gap", with_albumin) == pytest.approx(19 - 10)
    assert _value(
        "albumin_corrected_delta_gap", with_albumin, definition="delta_anion_gap"
    ) == pytest.approx(19)


def test_sofa_respiration_with_and_without_required_support() -> None:
    # P/F = 90 / 0.6 = 150: 3 points with support (Vincent 1996), else 2; not_required → 3
    entities = {"PaO2": [90, "mm Hg"], "FiO₂": [60, "%"], "On mechanical ventilation": False}
    assert _value("sofa", entities) == 2
    assert _value("sofa", entities, respiratory_support="not_required") == 3
    assert _value("sofa", entities | {"On mechanical ventilation": True}) == 3
    very_low = {"PaO2": [50, "mm Hg"], "FiO₂": [60, "%"]}  # P/F 83.3
    assert _value("sofa", very_low) == 2
    assert _value("sofa", very_low, respiratory_support="not_required") == 4


def test_gcs_not_testable_as_normal_or_one() -> None:
    entities = {
        "Best eye response": "eyes open spontaneously",
        "Best verbal response": "not testable",
        "Best motor response": "not testable",
    }
    assert _value("gcs", entities) == 4 + 5 + 6
    assert _value("gcs", entities, not_testable="one") == 4 + 1 + 1
    explanation = calculators.get("gcs").compute_from_entities(entities).explanation
    assert "taken as the best response" in explanation


CHILD = {
    "age": [3, "years"],
    "Temperature": [38.3, "degrees celsius"],
    "Heart Rate or Pulse": [150, "beats per minute"],
    "respiratory rate": [24, "breaths per minute"],
    "White blood cell count": [16000, "µL"],
}


def test_sirs_pediatric_criteria_for_a_three_year_old() -> None:
    # Goldstein 2005, 2–5 years: temperature > 38.5 (38.3 no), HR > 140 (yes), RR > 22 (yes),
    # WBC > 15,500 (yes) → 3; adult limits: 38.3 > 38, 150 > 90, 24 > 20, 16,000 > 12,000 → 4.
    assert _value("sirs", CHILD) == 3
    assert _value("sirs", CHILD, children="adult") == 4
    no_age = {k: v for k, v in CHILD.items() if k != "age"}
    assert _value("sirs", no_age) == 4
    explanation = calculators.get("sirs").compute_from_entities(no_age).explanation
    assert "age not documented, adult criteria" in explanation


@pytest.mark.parametrize(
    ("age", "heart_rate", "met"),
    [
        ([3, "days"], 99, 1),  # newborn: bradycardia < 100
        ([3, "days"], 100, 0),
        ([2, "weeks"], 181, 1),  # neonate: tachycardia > 180
        ([6, "months"], 89, 1),  # infant: bradycardia < 90
        ([6, "months"], 90, 0),
        ([1, "years"], 89, 1),  # 1 year exactly is still an infant
        ([2, "years"], 89, 0),  # no bradycardia criterion after infancy
        ([12, "years"], 131, 1),  # school age, 12 years exactly: > 130
        ([13, "years"], 111, 1),  # adolescent: > 110
        ([13, "years"], 110, 0),
        ([18, "years"], 91, 1),  # adult from 18: > 90
    ],
)
def test_sirs_pediatric_heart_rate_limits(age: list[Any], heart_rate: float, met: int) -> None:
    entities = {"age": age, "Heart Rate or Pulse": [heart_rate, "beats per minute"]}
    assert _value("sirs", entities) == met


def test_sodium_correction_factors() -> None:
    entities = {"Sodium": [130, "mEq/L"], "Glucose": [600, "mg/dL"]}
    assert _value("sodium_correction", entities) == pytest.approx(130 + 0.024 * 500)  # Hillier
    assert _value("sodium_correction", entities, factor="katz") == pytest.approx(130 + 0.016 * 500)


def test_free_water_deficit_for_adolescents() -> None:
    girl = {"age": [15, "years"], "sex": "Female", "weight": [50, "kg"], "Sodium": [154, "mEq/L"]}
    excess = 154 / 140 - 1
    assert _value("free_water_deficit", girl) == pytest.approx(0.6 * 50 * excess)
    assert _value("free_water_deficit", girl, adolescents="adult_from_12") == pytest.approx(
        0.5 * 50 * excess
    )
    child = girl | {"age": [11, "years"]}
    assert _value("free_water_deficit", child, adolescents="adult_from_12") == pytest.approx(
        0.6 * 50 * excess
    )


def test_mme_factors_2022_and_2016() -> None:
    opioids = {
        "HYDROmorphone Dose": [2, "mg"],
        "HYDROmorphone Dose Per Day": [4, "per day"],
        "Methadone Dose": [10, "mg"],
        "Methadone Dose Per Day": [3, "per day"],
        "TraMADol Dose": [50, "mg"],
        "TraMADol Dose Per Day": [2, "per day"],
    }
    # CDC 2022: 8 × 5 + 30 × 4.7 + 100 × 0.2; CDC 2016: 8 × 4 + 30 × 8 (21–40 mg/day) + 100 × 0.1
    assert _value("morphine_milligram_equivalents", opioids) == pytest.approx(40 + 141 + 20)
    assert _value("morphine_milligram_equivalents", opioids, factors="cdc_2016") == pytest.approx(
        32 + 240 + 10
    )


def test_ldl_computed_or_measured() -> None:
    lipids = {
        "Total cholesterol": [200, "mg/dL"],
        "high-density lipoprotein cholesterol": [50, "mg/dL"],
        "Triglycerides": [150, "mg/dL"],
    }
    assert _value("ldl_calculated", lipids) == pytest.approx(120)
    measured = lipids | {"LDL cholesterol": [131, "mg/dL"]}
    assert _value("ldl_calculated", measured) == pytest.approx(120)
    assert _value("ldl_calculated", measured, measured_ldl="measured_when_reported") == 131
    assert _value("ldl_calculated", lipids, measured_ldl="measured_when_reported") == 120
    assert "a measured LDL of 131 mg/dL is reported" in (
        calculators.get("ldl_calculated").compute_from_entities(measured).explanation
    )


LMP = {"Last menstrual date": "05/31/2021", "cycle length": 32}


def test_due_date_rules() -> None:
    # Naegele: 31 May 2021 + 1 y − 3 months → 31 Feb 2022, clipped to 28 Feb; + 7 days = 7 Mar;
    # + (32 − 28) days = 11 March 2022. 280 days: 7 March 2022 (+4 → 11 March).
    assert _value("due_date", LMP) == datetime.date(2022, 3, 11)
    assert _value("due_date", LMP, rule="lmp_plus_280_days") == datetime.date(2022, 3, 11)
    lmp = {"Last menstrual date": "03/20/2017", "cycle length": 28}
    assert _value("due_date", lmp) == datetime.date(2017, 12, 27)
    assert _value("due_date", lmp, rule="lmp_plus_280_days") == datetime.date(2017, 12, 25)


def test_conception_date_rules() -> None:
    assert _value("conception_date", LMP) == datetime.date(2021, 5, 31) + datetime.timedelta(18)
    assert _value("conception_date", LMP, rule="lmp_plus_14_days") == datetime.date(2021, 6, 14)


def test_cockcroft_gault_weights() -> None:
    obese = {
        "age": [60, "years"],
        "sex": "Male",
        "weight": [120, "kg"],
        "height": [180, "cm"],
        "creatinine": [1.0, "mg/dL"],
    }
    assert _value("cockcroft_gault", obese) == pytest.approx(80 * 120 / 72)  # actual weight
    ibw = 50 + 2.3 * (180 / 2.54 - 60)
    adjusted = ibw + 0.4 * (120 - ibw)
    assert _value("cockcroft_gault", obese, weight="bmi_adjusted") == pytest.approx(
        80 * adjusted / 72
    )


def test_explanations_name_the_conventions_used() -> None:
    result = calculators.get("sofa").compute_from_entities(
        {"PaO2": [90, "mm Hg"], "FiO₂": [60, "%"]},
        conventions={"respiratory_support": "not_required"},
    )
    assert result.conventions == {"respiratory_support": "not_required"}
    assert "Convention respiratory_support = not_required, not the default" in result.explanation


def test_run_assignments_are_parsed_and_checked() -> None:
    assert parse_assignment("sofa.respiratory_support=not_required") == (
        "sofa",
        "respiratory_support",
        "not_required",
    )
    chosen = parse_assignments(["sofa.respiratory_support=not_required", "gcs.not_testable=one"])
    assert chosen == {"sofa.respiratory_support": "not_required", "gcs.not_testable": "one"}
    assert for_calculator(chosen, "gcs") == {"not_testable": "one"}
    assert for_calculator(None, "gcs") == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sofa.respiratory_support", "CALCULATOR.CONVENTION=OPTION"),
        ("nosuch.x=1", "no calculator 'nosuch'"),
        ("sofa.x=1", "sofa has no convention 'x'"),
        ("sofa.respiratory_support=nope", "'nope' is not one of its options"),
    ],
)
def test_bad_run_assignments_are_refused_by_name(text: str, message: str) -> None:
    with pytest.raises(calculators.InputValueError, match=message):
        parse_assignments([text])


def test_one_convention_cannot_be_chosen_twice_differently() -> None:
    with pytest.raises(calculators.InputValueError, match="already chosen"):
        parse_assignments(["gcs.not_testable=one", "gcs.not_testable=normal"])
