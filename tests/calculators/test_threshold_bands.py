"""Every published cut-off, exactly on, just above and just below, in every accepted unit.

For each cut-off of :mod:`tests.calculators.published_thresholds` and each unit spelling the
calculator accepts for that input, the value on the cut-off is written in that unit (where it is
a terminating decimal, as a note could write it), and so are values just above and below it at a
drawn number of significant digits. The calculator's total must be the one the publication gives
for that side. Unit factors are exact (pint in fractions; ages by the Julian year of 365.25 days).
"""

from __future__ import annotations

import math
from decimal import Decimal, getcontext
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import calculators
from calculators.base import InputDeclaration, InputKind
from calculators.entities import normalize_key
from calculators.units import accepted_units, exact_conversion
from tests.calculators.published_thresholds import THRESHOLDS, Threshold

getcontext().prec = 40

YEARS_PER = {
    "years": Fraction(1),
    "months": Fraction(1, 12),
    "weeks": Fraction(28, 1461),
    "days": Fraction(4, 1461),
}


def _spec(threshold: Threshold) -> InputDeclaration:
    wanted = normalize_key(threshold.key)
    for spec in calculators.get(threshold.calculator).declared_inputs():
        if wanted in {normalize_key(k) for k in (*spec.keys, spec.name)}:
            return spec
    raise AssertionError(f"{threshold.name}: no input answers to {threshold.key!r}")


def _units(threshold: Threshold) -> tuple[str | None, ...]:
    spec = _spec(threshold)
    if spec.kind is InputKind.AGE:
        return tuple(YEARS_PER)
    if spec.kind is InputKind.NUMBER:
        return (None,)
    assert spec.unit is not None
    return accepted_units(spec.unit, spec.analyte)


def _in_unit(threshold: Threshold, unit: str | None) -> Fraction:
    """The cut-off written exactly in ``unit``."""
    spec = _spec(threshold)
    if unit is None:
        return threshold.cutoff
    if spec.kind is InputKind.AGE:
        return threshold.cutoff / YEARS_PER[unit]
    assert spec.unit is not None
    scale, offset = exact_conversion(unit, spec.unit, spec.analyte)
    assert scale > 0
    return (threshold.cutoff - offset) / scale


def _decimal_text(value: Fraction) -> str | None:
    """``value`` as a decimal of at most 15 significant digits, or None if it has none."""
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        return None
    text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    digits = text.replace("-", "").replace(".", "").lstrip("0")
    return text if len(digits.rstrip("0")) <= 15 else None


def _neighbours(exact: Fraction, digits: int, integer: bool) -> tuple[Fraction, Fraction]:
    """Decimals just below and just above ``exact``, on a grid at the ``digits``-th significant
    digit (or ± 1 for whole-number inputs)."""
    if integer:
        return exact - 1, exact + 1
    grid = Fraction(10) ** (math.floor(math.log10(abs(float(exact)))) - digits + 1)
    below = (math.ceil(exact / grid) - 1) * grid
    above = (math.floor(exact / grid) + 1) * grid
    return below, above


def _entities(threshold: Threshold, unit: str | None, value: Fraction) -> dict[str, Any]:
    text = _decimal_text(value)
    assert text is not None
    number: float = float(text)
    written: Any = number if unit is None else [number, unit]
    return {**threshold.base, threshold.key: written}


def _total(threshold: Threshold, entities: dict[str, Any]) -> float:
    result = calculators.get(threshold.calculator).compute_from_entities(
        entities, conventions=threshold.conventions
    )
    return float(result.value)  # type: ignore[arg-type]


CASES = [(t, u) for t in THRESHOLDS for u in _units(t)]


def test_the_table_matches_the_calculators_inputs() -> None:
    for threshold in THRESHOLDS:
        spec = _spec(threshold)
        assert threshold.unit == spec.unit, threshold.name
    assert len(THRESHOLDS) > 150
    assert len(CASES) > 500


@pytest.mark.parametrize(("threshold", "unit"), CASES, ids=lambda c: getattr(c, "name", str(c)))
def test_cutoff_on_and_either_side(threshold: Threshold, unit: str | None) -> None:
    exact = _in_unit(threshold, unit)
    where = f"{threshold.name} in {unit}"
    if _decimal_text(exact) is not None:
        assert _total(threshold, _entities(threshold, unit, exact)) == threshold.at, where
    below, above = _neighbours(exact, 4, threshold.integer)
    assert _total(threshold, _entities(threshold, unit, below)) == threshold.below, where
    assert _total(threshold, _entities(threshold, unit, above)) == threshold.above, where


@settings(max_examples=600, deadline=None)
@given(case=st.sampled_from(CASES), digits=st.integers(3, 9), side=st.sampled_from("ba"))
def test_cutoff_neighbours_at_any_precision(
    case: tuple[Threshold, str | None], digits: int, side: str
) -> None:
    threshold, unit = case
    below, above = _neighbours(_in_unit(threshold, unit), digits, threshold.integer)
    value, expected = (below, threshold.below) if side == "b" else (above, threshold.above)
    total = _total(threshold, _entities(threshold, unit, value))
    assert total == expected, f"{threshold.name} in {unit}: {float(value)!r}"


def _weight_entities(unit: str, value: Fraction) -> tuple[dict[str, Any], Fraction]:
    text = _decimal_text(value)
    assert text is not None
    scale, offset = exact_conversion(unit, "kg")
    kilograms = Fraction(text) * scale + offset
    return {"weight": [float(text), unit]}, kilograms


CG_BASE = {"age": [60, "years"], "sex": "Male", "height": [160, "cm"], "creatinine": [1, "mg/dL"]}
WEIGHT_UNITS = accepted_units("kg")


def _cockcroft_gault_published(kilograms: Fraction) -> float:
    """Cockcroft-Gault with the BMI weight rule, from the rule as stated (Devine IBW)."""
    bmi = kilograms / Fraction(16, 10) ** 2
    ibw = 50 + Fraction(23, 10) * (Fraction(160) / Fraction(254, 100) - 60)
    if bmi < Fraction(37, 2):
        weight = kilograms
    elif bmi < 25:
        weight = min(ibw, kilograms)
    else:
        weight = ibw + Fraction(2, 5) * (kilograms - ibw)
    return float(80 * weight / 72)


@settings(max_examples=200, deadline=None)
@given(unit=st.sampled_from(WEIGHT_UNITS), digits=st.integers(3, 9), side=st.sampled_from("bao"))
def test_cockcroft_gault_bmi_25_in_every_weight_unit(unit: str, digits: int, side: str) -> None:
    # 64 kg at 160 cm is a BMI of 25 exactly: the adjusted-weight branch (BMI ≥ 25).
    scale, offset = exact_conversion(unit, "kg")
    exact = (64 - offset) / scale
    below, above = _neighbours(exact, digits, integer=False)
    value = {"b": below, "a": above, "o": exact}[side]
    if _decimal_text(value) is None:
        return  # 64 kg is not a terminating decimal in this unit
    weight, kilograms = _weight_entities(unit, value)
    result = calculators.get("cockcroft_gault").compute_from_entities(
        CG_BASE | weight, conventions={"weight": "bmi_adjusted"}
    )
    assert result.value == pytest.approx(_cockcroft_gault_published(kilograms), rel=1e-12)


@pytest.mark.parametrize(("daily", "factor"), [(20, 4), (40, 8), (60, 10)])
@pytest.mark.parametrize("side", ["below", "at", "above"])
def test_mme_methadone_2016_bands(daily: int, factor: int, side: str) -> None:
    # Dowell 2016: methadone 1–20 mg/day ×4, 21–40 ×8, 41–60 ×10, ≥ 61 ×12 (total daily dose).
    dose = {"below": Fraction(daily) - Fraction(1, 100), "at": Fraction(daily)}.get(
        side, Fraction(daily) + Fraction(1, 100)
    )
    expected = {20: (4, 4, 8), 40: (8, 8, 10), 60: (10, 10, 12)}[daily][
        ("below", "at", "above").index(side)
    ]
    entities = {"Methadone Dose": [float(dose), "mg"], "Methadone Dose Per Day": [1, "per day"]}
    value = (
        calculators.get("morphine_milligram_equivalents")
        .compute_from_entities(entities, conventions={"factors": "cdc_2016"})
        .value
    )
    assert value == pytest.approx(float(dose) * expected)
    assert factor == {20: 4, 40: 8, 60: 10}[daily]
