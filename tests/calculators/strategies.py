"""Hypothesis strategies generated from calculators' input declarations (reusable for scores)."""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import strategies as st

from calculators.base import InputKind
from calculators.framework import BaseCalculator
from calculators.inputs import InputSpec, input_specs

# How a canonical quantity is written in another unit, with an independent clinical factor
# (laboratory conversion tables, to 5 significant digits):
# canonical unit, analyte → [(data spelling, multiply canonical value by)].
ALTERNATE_UNITS: dict[tuple[str, str | None], list[tuple[str, float]]] = {
    ("mg/dL", "creatinine"): [("µmol/L", 88.402)],
    ("mg/dL", "glucose"): [("mmol/L", 1 / 18.0156)],
    ("mmol/L", "glucose"): [("mg/dL", 18.0156)],
    ("mg/dL", "urea_nitrogen"): [("mmol/L", 1 / 2.8014)],
    ("mg/dL", "cholesterol"): [("mmol/L", 1 / 38.665)],
    ("mg/dL", "triglycerides"): [("mmol/L", 1 / 88.543)],
    ("mg/dL", "calcium"): [("mmol/L", 1 / 4.0078), ("mEq/L", 1 / 2.0039)],
    ("mg/dL", "bilirubin"): [("µmol/L", 17.104)],
    ("g/dL", "albumin"): [("g/L", 10.0)],
    ("mmol/L", "sodium"): [("mEq/L", 1.0)],
    ("mmol/L", "chloride"): [("mEq/L", 1.0)],
    ("mmol/L", "bicarbonate"): [("mEq/L", 1.0)],
    ("µIU/mL", "insulin"): [("pmol/L", 6.0)],
    ("kg", None): [("lbs", 1 / 0.45359237), ("g", 1000.0)],
    ("cm", None): [("in", 1 / 2.54), ("m", 0.01)],
    ("year", None): [("months", 12.0)],
    ("1/nL", None): [("µL", 1000.0), ("L", 1e9)],
    ("ms", None): [("s", 0.001)],
    ("degC", None): [("degrees fahrenheit", None)],  # affine: handled by to_alternate
}

CANONICAL_SPELLING = {"year": "years", "1/min": "beats per minute", "1/day": "per day"}


def canonical_spelling(spec: InputSpec) -> str:
    """A data spelling of the spec's canonical unit."""
    assert spec.unit is not None
    return CANONICAL_SPELLING.get(spec.unit, spec.unit)


def to_alternate(value: float, factor: float | None) -> float:
    """``value`` in the alternate unit (``None`` marks °C → °F)."""
    return value * 9 / 5 + 32 if factor is None else value * factor


def value_strategy(spec: InputSpec) -> st.SearchStrategy[Any]:
    """Valid values of one input, in canonical units."""
    if spec.kind in (InputKind.QUANTITY, InputKind.NUMBER):
        assert spec.minimum is not None and spec.maximum is not None
        return st.floats(spec.minimum, spec.maximum, allow_nan=False, allow_infinity=False)
    if spec.kind is InputKind.BOOLEAN:
        return st.booleans()
    if spec.kind is InputKind.CHOICE:
        return st.sampled_from(spec.choices)
    return st.dates(datetime.date(1990, 1, 1), datetime.date(2040, 12, 31))


@st.composite
def canonical_values(draw: st.DrawFn, calculator: BaseCalculator[Any]) -> dict[str, Any]:
    """A dict of field name → valid canonical value (optional inputs sometimes left out)."""
    values: dict[str, Any] = {}
    for spec in input_specs(calculator.inputs):
        if not spec.required and draw(st.booleans()):
            continue
        values[spec.name] = draw(value_strategy(spec))
    return values


def as_entities(calculator: BaseCalculator[Any], values: dict[str, Any]) -> dict[str, Any]:
    """Entities (field-name keys) writing each quantity ``[value, unit]`` in its canonical unit."""
    specs = {spec.name: spec for spec in input_specs(calculator.inputs)}
    entities: dict[str, Any] = {}
    for name, value in values.items():
        spec = specs[name]
        if spec.kind is InputKind.QUANTITY:
            entities[name] = [value, canonical_spelling(spec)]
        elif spec.kind is InputKind.DATE:
            entities[name] = value.strftime("%m/%d/%Y")
        else:
            entities[name] = value
    return entities
