"""Unit conversion: clinical spellings, analyte-aware factors, refusals that name the unit."""

from __future__ import annotations

from fractions import Fraction

import pytest

from calculators import UnitError
from calculators.units import (
    accepted_units,
    conversion,
    convert,
    exact_conversion,
    is_known_unit,
)

# Independent clinical factors (laboratory reference tables), not derived from the code.
FACTORS = [
    (1.0, "mg/dL", "µmol/L", "creatinine", 88.4),
    (1.0, "mmol/L", "mg/dL", "glucose", 18.016),
    (1.0, "mmol/L", "mg/dL", "urea_nitrogen", 2.801),
    (1.0, "mmol/L", "mg/dL", "cholesterol", 38.67),
    (1.0, "mmol/L", "mg/dL", "triglycerides", 88.57),
    (1.0, "mmol/L", "mg/dL", "calcium", 4.008),
    (1.0, "mEq/L", "mg/dL", "calcium", 2.004),
    (1.0, "mg/dL", "µmol/L", "bilirubin", 17.1),
    (1.0, "mEq/L", "mmol/L", "sodium", 1.0),
    (1.0, "µIU/mL", "pmol/L", "insulin", 6.0),
    (1.0, "g/L", "g/dL", "albumin", 0.1),
    (1.0, "lbs", "kg", None, 0.45359237),
    (1.0, "in", "cm", None, 2.54),
    (1.0, "ft", "cm", None, 30.48),
    (1.0, "m", "cm", None, 100.0),
    (1.0, "g", "kg", None, 0.001),
    (12.0, "months", "year", None, 1 / 12),
    (181000.0, "µL", "1/nL", None, 0.001),
    (12300.0, "mm^3", "1/µL", None, 1.0),
    (147e9, "L", "1/nL", None, 1e-9),
    (72.0, "beats per minute", "1/min", None, 1.0),
    (72.0, "bpm", "1/min", None, 1.0),
    (18.0, "breaths per minute", "1/min", None, 1.0),
    (420.0, "msec", "ms", None, 1.0),
    (120.0, "mm Hg", "mmHg", None, 1.0),
    (120.0, "mm hg", "mmHg", None, 1.0),
    (120.0, "mmhg", "mmHg", None, 1.0),
    (0.1, "mc/kg/min", "µg/kg/min", None, 1.0),
    (40.0, "%", "dimensionless", None, 0.01),
]


@pytest.mark.parametrize(("value", "unit", "target", "analyte", "factor"), FACTORS)
def test_clinical_factors(
    value: float, unit: str, target: str, analyte: str | None, factor: float
) -> None:
    assert convert(value, unit, target, analyte=analyte) == pytest.approx(value * factor, rel=2e-3)


@pytest.mark.parametrize(
    ("value", "unit", "celsius"),
    [
        (40.0, "degrees celsius", 40.0),
        (40.0, "degrees celsisus", 40.0),
        (98.6, "degrees fahrenheit", 37.0),
        (98.6, "degrees fahreinheit", 37.0),
        (32.0, "°F", 0.0),
    ],
)
def test_temperatures_keep_their_offset(value: float, unit: str, celsius: float) -> None:
    assert convert(value, unit, "degC", field="temperature") == pytest.approx(celsius)


def test_unknown_temperature_unit_is_refused_not_read_as_fahrenheit() -> None:
    with pytest.raises(UnitError) as caught:
        convert(38.0, "degrees kelvinn", "degC", field="temperature")
    assert caught.value.field == "temperature"
    assert caught.value.unit == "degrees kelvinn"


def test_incompatible_unit_names_field_and_unit() -> None:
    with pytest.raises(UnitError, match="creatinine: unit 'mmHg'"):
        convert(1.0, "mmHg", "mg/dL", analyte="creatinine", field="creatinine")


def test_molar_conversion_needs_an_analyte() -> None:
    with pytest.raises(UnitError, match="cannot be converted"):
        convert(1.0, "mmol/L", "mg/dL", field="x")


def test_every_unit_spelling_in_the_data_is_known() -> None:
    seen = [
        "mm Hg", "mm hg", "mmhg", "degrees celsius", "degrees celsisus", "degrees fahrenheit",
        "degrees fahreinheit", "mcg/kg/min", "mc/kg/min", "per day", "µL", "L", "m^3", "mm^3",
        "lbs", "in", "ft", "m", "cm", "g", "kg", "beats per minute", "bpm", "breaths per minute",
        "msec", "%", "µIU/mL", "U/L", "µmol/L", "mmol/L", "mEq/L", "mg/dL", "g/dL", "g/L",
        "kg/m^2", "mL/day", "mg", "µg", "years", "months", "weeks", "days",
    ]  # fmt: skip
    assert [unit for unit in seen if not is_known_unit(unit)] == []


def test_factors_are_cached_exact_affine_pairs() -> None:
    exact_conversion.cache_clear()
    convert(1.0, "degrees fahrenheit", "degC")
    convert(2.0, "degrees fahrenheit", "degC")
    info = exact_conversion.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    assert exact_conversion("degrees fahrenheit", "degC") == (Fraction(5, 9), Fraction(-160, 9))
    scale, offset = conversion("degrees fahrenheit", "degC")
    assert scale == pytest.approx(5 / 9)
    assert offset == pytest.approx(-160 / 9)


def test_accepted_units_lists_alternatives() -> None:
    assert {"µmol/l", "mg/dl"} <= set(accepted_units("mg/dL", "creatinine"))
    assert "mmhg" not in accepted_units("mg/dL", "creatinine")
