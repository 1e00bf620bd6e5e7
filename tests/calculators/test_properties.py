"""Properties of every registered calculator built on the framework, driven by its declarations.

- the same patient written in other units gives the same answer;
- where the sympy derivative of the final formula has a sign at the patient's values, nudging that
  input moves the answer in that direction (never the other way);
- a value outside an input's bounds is refused with an error naming that input.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import ALTERNATE_UNITS, as_entities, canonical_values, to_alternate

import calculators
from calculators import CalculatorError, InputValueError
from calculators.framework import BaseCalculator
from calculators.inputs import InputKind, input_specs

FRAMEWORK = [c for c in calculators.all_calculators() if isinstance(c, BaseCalculator)]
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
    specs = {s.name: s for s in input_specs(calculator.inputs)}
    converted = dict(entities)
    for name, value in values.items():
        spec = specs[name]
        options = ALTERNATE_UNITS.get((spec.unit or "", spec.analyte)) or ALTERNATE_UNITS.get(
            (spec.unit or "", None)
        )
        if spec.kind is InputKind.QUANTITY and options:
            unit, factor = data.draw(st.sampled_from(options))
            converted[name] = [to_alternate(value, factor), unit]
    try:
        other = calculator.compute_from_entities(converted).value
    except InputValueError:
        assume(False)  # the 0.1% factor difference crossed a bound
        raise
    assert _close(reference, other), (entities, converted, reference, other)


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
    final, used, _ = explanation.applied[-1]
    earlier = [step_values for _, step_values, _ in explanation.applied[:-1]]
    for name in final.symbols:
        spec = next((s for s in input_specs(calculator.inputs) if s.name == name), None)
        if spec is None or spec.kind is not InputKind.QUANTITY or used[name] != values[name]:
            continue
        if any(name in step for step in earlier):
            continue  # the input also feeds earlier steps: the partial derivative is not enough
        slope = final.derivative(name)(**used)
        if abs(slope) < 1e-9:
            continue
        step = max(abs(values[name]) * 1e-6, 1e-9)
        nudged = values[name] + step if values[name] + step <= spec.maximum else values[name] - step
        direction = 1 if nudged > values[name] else -1
        try:
            moved = calculator.compute_from_entities(
                as_entities(calculator, {**values, name: nudged})
            ).value
        except CalculatorError:
            continue
        assert isinstance(moved, int | float)
        change = (moved - value) * direction
        tolerance = 1e-9 * max(abs(value), 1.0)
        if slope > 0:
            assert change >= -tolerance, (name, values, value, moved)
        else:
            assert change <= tolerance, (name, values, value, moved)


@pytest.mark.parametrize("calculator", FRAMEWORK, ids=lambda c: c.info.slug)
@SETTINGS
@given(data=st.data())
def test_out_of_range_inputs_are_refused(
    calculator: BaseCalculator[Any], data: st.DataObject
) -> None:
    bounded = [
        s
        for s in input_specs(calculator.inputs)
        if s.kind in (InputKind.QUANTITY, InputKind.NUMBER)
    ]
    if not bounded:
        return
    values = data.draw(canonical_values(calculator))
    spec = data.draw(st.sampled_from(bounded))
    assert spec.minimum is not None and spec.maximum is not None
    above = data.draw(st.booleans()) or spec.minimum <= 0
    excess = data.draw(st.floats(0.01, 10.0))
    bad = spec.maximum * (1 + excess) + excess if above else spec.minimum * (1 - excess / 11)
    entities = as_entities(calculator, {**values, spec.name: bad})
    with pytest.raises(InputValueError) as caught:
        calculator.compute_from_entities(entities)
    assert caught.value.field == spec.name
