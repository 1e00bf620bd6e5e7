"""Reading MedCalc-Bench "Relevant Entities" dicts: keys, value shapes, missing inputs."""

from __future__ import annotations

import datetime

import pytest

import calculators
from calculators import InputValueError, MissingInputError, UnitError


def test_missing_inputs_are_named() -> None:
    with pytest.raises(MissingInputError) as caught:
        calculators.compute_from_entities(2, {"age": [60, "years"], "sex": "Male"})
    assert caught.value.missing == ["Weight", "Height", "Serum creatinine"]


def test_keys_match_across_versions_case_and_unicode() -> None:
    a = calculators.compute_from_entities(
        11, {"Heart Rate or Pulse": [100, "bpm"], "QT interval": [400, "msec"]}
    )
    b = calculators.compute_from_entities(
        11, {"heart rate or pulse": [100, "beats per minute"], "QT Interval": [400, "msec"]}
    )
    assert a.value == b.value


def test_field_names_work_as_keys() -> None:
    result = calculators.compute_from_entities(6, {"weight": (70, "kg"), "height": (175, "cm")})
    assert result.value == pytest.approx(70 / 1.75**2)


def test_feet_and_inches_are_added() -> None:
    split = calculators.compute_from_entities(
        6, {"weight": [70, "kg"], "height": [5, "ft", 9, "in"]}
    )
    whole = calculators.compute_from_entities(6, {"weight": [70, "kg"], "height": [69, "in"]})
    assert split.value == pytest.approx(whole.value)
    assert "5 ft 9 in = 175.26 cm" in split.explanation


def test_bare_number_needs_a_declared_unit() -> None:
    with pytest.raises(UnitError, match="weight"):
        calculators.compute_from_entities(6, {"weight": 70, "height": [175, "cm"]})
    # cycle length is written bare in the data and declared as days
    due = calculators.compute_from_entities(
        13,
        {"cycle length": 28, "Last menstrual date": "01/01/2020"},
        conventions={"rule": "lmp_plus_280_days"},
    )
    assert due.value == datetime.date(2020, 10, 7)


def test_ages_in_months_weeks_days() -> None:
    base = {"weight": [10.0, "kg"], "sex": "Male", "Sodium": [150.0, "mmol/L"]}
    in_months = calculators.compute_from_entities(38, {**base, "age": [18, "months"]})
    in_weeks = calculators.compute_from_entities(38, {**base, "age": [78, "weeks"]})
    assert in_months.value == pytest.approx(in_weeks.value)


def test_bad_choice_and_bad_date_name_the_field() -> None:
    with pytest.raises(InputValueError) as caught:
        calculators.compute_from_entities(10, {"sex": "unknown", "height": [170, "cm"]})
    assert caught.value.field == "sex"
    with pytest.raises(InputValueError) as caught:
        calculators.compute_from_entities(68, {"Last menstrual date": "2020/31/01"})
    assert caught.value.field == "lmp"


def test_unused_keys_are_reported_not_misread() -> None:
    calculator = calculators.get(68)
    _, reading = calculator.read(  # type: ignore[attr-defined]
        {"Last menstrual date": "01/01/2020", "Surprise": 3}
    )
    assert reading.ignored == ("Surprise",)


def test_registry_lookup_by_id_slug_and_digit_string() -> None:
    assert calculators.get(2) is calculators.get("cockcroft_gault") is calculators.get("2")
    assert len(calculators.ids()) >= 36
