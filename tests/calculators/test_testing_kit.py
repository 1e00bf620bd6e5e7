"""The public hypothesis kit (`calculators.testing`) covers every registered calculator.

For each of the 55 IDs, `entities(calc)` draws a "Relevant Entities" dict that the calculator
accepts, and the result has the calculator's output kind; point scores stay within their
published range. Also: every calculator describes its inputs through the one shared type.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import calculators
from calculators import InputValueError
from calculators.base import Calculator, InputDeclaration, InputKind, OutputKind
from calculators.criteria import ScoreTable
from calculators.testing import entities, spellings_within_bounds, unit_spellings
from calculators.units import convert

CALCULATORS = list(calculators.all_calculators())
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DELTA_RATIOS = {64, 67}  # undefined at bicarbonate 24 mEq/L (see calculators.testing)


def _has_output_kind(kind: OutputKind, value: Any) -> bool:
    if kind is OutputKind.DECIMAL:
        return isinstance(value, float | int) and not isinstance(value, bool)
    if kind is OutputKind.INTEGER:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is OutputKind.DATE:
        return isinstance(value, datetime.date)
    weeks, days = value
    return isinstance(weeks, int) and isinstance(days, int) and weeks >= 0 and 0 <= days < 7


def test_all_55_registered_calculators_declare_their_inputs() -> None:
    assert len(CALCULATORS) == 55
    for calc in CALCULATORS:
        declared = calc.declared_inputs()
        assert declared and all(isinstance(d, InputDeclaration) for d in declared)
        assert len({d.name for d in declared}) == len(declared), calc.info.slug
        for d in declared:
            assert d.keys, (calc.info.slug, d.name)
            if d.kind in (InputKind.QUANTITY, InputKind.AGE, InputKind.NUMBER):
                assert d.bounds is not None and d.bounds[0] <= d.bounds[1], (calc.info.slug, d)
            if d.kind in (InputKind.QUANTITY, InputKind.AGE):
                assert d.unit and unit_spellings(d.unit, d.analyte), (calc.info.slug, d)
            if d.kind is InputKind.CHOICE:
                assert d.choices, (calc.info.slug, d)
            if d.not_below is not None:
                assert d.not_below in {other.name for other in declared}


def test_score_quantities_declare_the_unit_their_thresholds_use() -> None:
    apache = calculators.get("apache_ii")
    declared = {d.name: d for d in apache.declared_inputs()}
    assert (declared["temperature"].unit, declared["temperature"].shown_unit) == ("degC", "°C")
    assert declared["creatinine"].analyte == "creatinine"
    assert declared["age"].kind is InputKind.AGE and declared["age"].unit == "year"
    assert declared["gcs"].integer and declared["pao2"].sometimes_required


@pytest.mark.parametrize("calc", CALCULATORS, ids=lambda c: f"{c.info.id}-{c.info.slug}")
@SETTINGS
@given(data=st.data())
def test_drawn_entities_are_accepted(calc: Calculator, data: st.DataObject) -> None:
    ents = data.draw(entities(calc))
    try:
        result = calc.compute_from_entities(ents)
    except InputValueError as error:
        assume(not (calc.info.id in DELTA_RATIOS and "undefined at 24" in str(error)))
        raise
    assert result.calculator_id == calc.info.id
    assert _has_output_kind(calc.info.output_kind, result.value), (ents, result.value)
    if isinstance(calc, ScoreTable):
        low, high = calc.score_range
        assert low <= result.value <= high  # type: ignore[operator]


@SETTINGS
@given(data=st.data())
def test_drawn_quantities_are_within_bounds_in_real_spellings(data: st.DataObject) -> None:
    calc = data.draw(st.sampled_from(CALCULATORS))
    ents = data.draw(entities(calc))
    for d in calc.declared_inputs():
        if d.keys[0] not in ents or d.kind is not InputKind.QUANTITY:
            continue
        amount, unit = ents[d.keys[0]]
        assert d.unit is not None and d.bounds is not None
        canonical = convert(amount, unit, d.unit, analyte=d.analyte)
        assert d.bounds[0] <= canonical <= d.bounds[1]


QUANTITIES = [
    (calc.info.slug, spec)
    for calc in CALCULATORS
    for spec in calc.declared_inputs()
    if spec.kind is InputKind.QUANTITY and spec.bounds is not None
]


def test_a_value_at_the_bound_converts_exactly_in_every_spelling() -> None:
    """APACHE II's WBC in mm^3: pint's float factor to 1/µL is 1.0000000000000002, which once
    took 500,000 /mm^3 just past the bound; unit conversion is exact now, so every spelling of
    the unit stays drawable at the bound and converts to it exactly."""
    wbc = next(d for d in calculators.get("apache_ii").declared_inputs() if d.name == "wbc")
    assert wbc.bounds is not None and wbc.bounds[1] == 500_000
    assert convert(wbc.bounds[1], "mm^3", "1/µL") == wbc.bounds[1]
    at_bound = spellings_within_bounds(wbc, wbc.bounds[1])
    assert "mm^3" in at_bound and "1/µL" in at_bound


@pytest.mark.parametrize(("calculator_id", "spec"), QUANTITIES, ids=lambda v: getattr(v, "name", v))
def test_every_quantity_can_be_written_at_both_bounds(
    calculator_id: str, spec: InputDeclaration
) -> None:
    assert spec.bounds is not None and spec.unit is not None
    for bound in spec.bounds:
        spellings = spellings_within_bounds(spec, float(bound))
        assert spellings, f"{calculator_id} {spec.name}: no spelling keeps {bound} within bounds"
        for spelling in spellings:
            converted = convert(float(bound), spelling, spec.unit, analyte=spec.analyte)
            assert spec.bounds[0] <= converted <= spec.bounds[1]


@SETTINGS
@given(entities("mean_arterial_pressure"), entities("gestational_age"))
def test_declared_orderings_hold(map_entities: dict[str, Any], ga: dict[str, Any]) -> None:
    assert map_entities["Systolic Blood Pressure"][0] >= map_entities["Diastolic Blood Pressure"][0]
    current = datetime.datetime.strptime(ga["Current Date"], "%m/%d/%Y").date()
    assert current >= datetime.datetime.strptime(ga["Last menstrual date"], "%m/%d/%Y").date()


@SETTINGS
@given(entities("steroid_conversion"))
def test_packed_inputs_take_the_dataset_shape(ents: dict[str, Any]) -> None:
    name, dose, unit = ents["input steroid"]  # MedCalc-Bench: [steroid name, dose, unit]
    assert isinstance(name, str) and isinstance(dose, float) and isinstance(unit, str)
    assert set(ents) == {"input steroid", "target steroid"}
