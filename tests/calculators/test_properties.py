"""Properties of the registered calculators, driven by their input declarations.

- the same patient written in other units gives the same answer (equation calculators: a point
  score is a step function, so a 1e-5 difference in a conversion factor at a threshold may
  legitimately move it by a band's points);
- where the sympy derivative of the final formula has a sign at the patient's values, nudging that
  input moves the answer in that direction (never the other way; equation calculators);
- a value outside an input's bounds is refused with an error naming that input (all 55).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import calculators
from calculators import CalculatorError, InputValueError
from calculators.base import Calculator, InputKind
from calculators.framework import BaseCalculator, Explanation
from tests.calculators.strategies import (
    ALTERNATE_UNITS,
    as_entities,
    canonical_values,
    to_alternate,
)

ALL = list(calculators.all_calculators())
FRAMEWORK = [c for c in ALL if isinstance(c, BaseCalculator)]
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _compute(calculator: BaseCalculator[Any], entities: dict[str, Any]) -> Any:
    try:
        return calculator.compute_from_entities(entities).value
    except InputValueError:
        assume(False)  # a cross-field constraint (e.g. diastolic > systolic)
        raise


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        # relative, plus a little absolute slack for differences of large inputs (LDL, gaps)
        return abs(a - b) <= 1e-3 * max(abs(a), abs(b)) + 1e-2
    if isinstance(a, int) and isinstance(b, int) and not isinstance(a, bool):
        return abs(a - b) <= 1  # integer scores may round differently at a boundary
    return bool(a == b)


@pytest.mark.parametrize("calculator", FRAMEWORK, ids=lambda c: c.info.slug)
@SETTINGS
@given(data=st.data())
def test_same_patient_in_other_units(calculator: BaseCalculator[Any], data: st.DataObject) -> None:
    values = data.draw(canonical_values(calculator))
    entities = as_entities(calculator, values)
    reference = _compute(calculator, entities)
    specs = {s.name: s for s in calculator.declared_inputs()}
    converted = dict(entities)
    for name, value in values.items():
        spec = specs[name]
        options = ALTERNATE_UNITS.get((spec.unit or "", spec.analyte)) or ALTERNATE_UNITS.get(
            (spec.unit or "", None)
        )
        if spec.kind is InputKind.QUANTITY and options:
            unit, factor = data.draw(st.sampled_from(options))
            converted[spec.keys[0]] = [to_alternate(value, factor), unit]
    try:
        other = calculator.compute_from_entities(converted).value
    except InputValueError:
        assume(False)  # the 0.1% factor difference crossed a bound
        raise
    assert _close(reference, other), (entities, converted, reference, other)


def chain_derivative(explanation: Explanation, source: object) -> float | None:
    """d(result)/d(input) through the formulas applied, by the chain rule on sympy derivatives.

    Values are followed by identity: an argument that *is* the input object, or *is* the output
    of an earlier formula, carries that derivative; anything else (constants, chosen factors) is
    held fixed. ``min``/``max`` choices pass the chosen object on, so the derivative follows the
    branch taken. None when the input reaches no formula.
    """
    slopes: list[float] = []
    reached = False
    for formula, values, _ in explanation.applied:
        total = 0.0
        for name in formula.symbols:
            argument = values[name]
            inner = 1.0 if argument is source else None
            if inner is None:
                inner = next(
                    (
                        slope
                        for (_, _, out), slope in zip(explanation.applied, slopes, strict=False)
                        if out is argument
                    ),
                    0.0,
                )
            if inner:
                reached = True
                total += formula.derivative(name)(**values) * inner
        slopes.append(total)
    return slopes[-1] if reached and slopes else None


def _at_a_kink(
    calculator: BaseCalculator[Any],
    values: dict[str, Any],
    name: str,
    other_side: float,
    value: float,
    change: float,
) -> bool:
    """Whether the slopes on the two sides of ``values[name]`` have opposite signs (the input
    sits on a cap or a breakpoint, where the derivative describes one side only)."""
    try:
        back = calculator.compute_from_entities(
            as_entities(calculator, {**values, name: other_side})
        ).value
    except CalculatorError:
        return False
    assert isinstance(back, int | float)
    tolerance = 1e-9 * max(abs(value), 1.0)
    before = value - back  # the change towards the nudge, measured on the other side
    return abs(before) > tolerance and abs(change) > tolerance and (before > 0) != (change > 0)


@pytest.mark.parametrize("calculator", FRAMEWORK, ids=lambda c: c.info.slug)
@SETTINGS
@given(data=st.data())
def test_monotone_where_the_derivative_says(
    calculator: BaseCalculator[Any], data: st.DataObject
) -> None:
    values = data.draw(canonical_values(calculator))
    try:
        inputs, _ = calculator.read(as_entities(calculator, values))
        value, explanation = calculator.trace(inputs)
    except CalculatorError:
        assume(False)
        raise
    if not explanation.applied or not isinstance(value, int | float):
        return
    if isinstance(value, float) and value is not explanation.applied[-1][2]:
        return  # the answer is assembled outside the formulas (e.g. a sum of drug terms)
    for spec in calculator.declared_inputs():
        if spec.kind is not InputKind.QUANTITY or spec.name not in values:
            continue
        assert spec.bounds is not None
        slope = chain_derivative(explanation, getattr(inputs, spec.name))
        if slope is None or abs(slope) < 1e-9:
            continue
        current = values[spec.name]
        step = max(abs(current) * 1e-6, 1e-9)
        nudged = current + step if current + step <= spec.bounds[1] else current - step
        direction = 1 if nudged > current else -1
        try:
            moved = calculator.compute_from_entities(
                as_entities(calculator, {**values, spec.name: nudged})
            ).value
        except CalculatorError:
            continue
        assert isinstance(moved, int | float)
        change = (moved - value) * direction
        tolerance = 1e-9 * max(abs(value), 1.0)
        if _at_a_kink(calculator, values, spec.name, current - step * direction, value, change):
            continue  # a cap such as ATP III's "age above 70 counts as 70": one-sided slopes
        if slope > 0:
            assert change >= -tolerance, (spec.name, values, value, moved, slope)
        else:
            assert change <= tolerance, (spec.name, values, value, moved, slope)


@pytest.mark.parametrize("calculator", ALL, ids=lambda c: c.info.slug)
@SETTINGS
@given(data=st.data())
def test_out_of_range_inputs_are_refused(calculator: Calculator, data: st.DataObject) -> None:
    bounded = [s for s in calculator.declared_inputs() if s.bounds is not None]
    if not bounded:
        return
    values = data.draw(canonical_values(calculator))
    spec = data.draw(st.sampled_from(bounded))
    assert spec.bounds is not None
    low, high = spec.bounds
    above = data.draw(st.booleans()) or low <= 0
    excess = data.draw(st.floats(0.01, 10.0))
    bad = high * (1 + excess) + excess if above else low * (1 - excess / 11)
    entities = as_entities(calculator, {**values, spec.name: bad})
    with pytest.raises(InputValueError) as caught:
        calculator.compute_from_entities(entities)
    assert caught.value.field in (spec.name, spec.label)  # scores name inputs by their label


@SETTINGS
@given(
    lmp=st.dates(datetime.date(1990, 1, 1), datetime.date(2040, 1, 1)),
    shift=st.integers(-400, 400),
    cycle=st.integers(20, 45),
)
def test_pregnancy_dates_move_with_the_lmp(lmp: datetime.date, shift: int, cycle: int) -> None:
    moved = lmp + datetime.timedelta(days=shift)

    def entities(day: datetime.date) -> dict[str, Any]:
        return {"Last menstrual date": day.strftime("%m/%d/%Y"), "cycle length": cycle}

    day_counting = (
        (13, {"rule": "lmp_plus_280_days"}),
        (68, None),
        (68, {"rule": "lmp_plus_14_days"}),
    )
    for calculator_id, conventions in day_counting:
        before = calculators.compute_from_entities(
            calculator_id, entities(lmp), conventions=conventions
        )
        after = calculators.compute_from_entities(
            calculator_id, entities(moved), conventions=conventions
        )
        assert isinstance(before.value, datetime.date) and isinstance(after.value, datetime.date)
        assert (after.value - before.value).days == shift
    by_days = calculators.compute_from_entities(
        13, entities(lmp), conventions={"rule": "lmp_plus_280_days"}
    ).value
    assert isinstance(by_days, datetime.date)
    assert (
        by_days - lmp
    ).days == 280 + cycle - 28  # longer cycle, later date; never the wrong sign
    # Naegele's calendar rule: 9 months and 7 days, 280 to 283 days, moving with the LMP
    naegele = calculators.compute_from_entities(13, entities(lmp)).value
    later = calculators.compute_from_entities(13, entities(moved)).value
    assert isinstance(naegele, datetime.date) and isinstance(later, datetime.date)
    assert 280 <= (naegele - lmp).days - (cycle - 28) <= 283
    assert (later >= naegele) == (shift >= 0) or later == naegele


@SETTINGS
@given(
    lmp=st.dates(datetime.date(1990, 1, 1), datetime.date(2040, 1, 1)),
    days=st.integers(0, 320),
)
def test_gestational_age_is_whole_weeks_and_days(lmp: datetime.date, days: int) -> None:
    today = lmp + datetime.timedelta(days=days)
    value = calculators.compute_from_entities(
        69,
        {
            "Current Date": today.strftime("%m/%d/%Y"),
            "Last menstrual date": lmp.strftime("%m/%d/%Y"),
        },
    ).value
    assert isinstance(value, tuple)
    weeks, remainder = value
    assert 0 <= remainder < 7 and weeks * 7 + remainder == days


@SETTINGS
@given(doses=st.lists(st.floats(0, 500), min_size=11, max_size=11), per_day=st.integers(1, 6))
def test_mme_grows_with_every_dose(doses: list[float], per_day: int) -> None:
    drugs = [
        "Codeine", "FentaNYL buccal", "HYDROcodone", "HYDROmorphone", "Methadone", "Morphine",
        "OxyCODONE", "OxyMORphone", "Tapentadol", "TraMADol", "FentANYL patch",
    ]  # fmt: skip
    units = ["mg", "µg", "mg", "mg", "mg", "mg", "mg", "mg", "mg", "mg", "µg/h"]

    def total(scale: float) -> float:
        entities: dict[str, Any] = {}
        for drug, unit, dose in zip(drugs, units, doses, strict=True):
            entities[f"{drug} Dose"] = [dose * scale, unit]
            entities[f"{drug} Dose Per Day"] = [per_day, "per day"]
        value = calculators.compute_from_entities(49, entities).value
        assert isinstance(value, float)
        return value

    assert total(1.1) >= total(1.0) >= 0
