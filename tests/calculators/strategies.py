"""Hypothesis strategies for the property tests, generated from any calculator's declarations.

Unlike :mod:`calculators.testing` (realistic two-decimal draws), values here are unrounded
floats anywhere in the bounds, and cross-input constraints are left to the tests.
"""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import strategies as st

from calculators.base import Calculator, InputDeclaration, InputKind

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


def canonical_spelling(spec: InputDeclaration) -> str:
    """A data spelling of the spec's canonical unit."""
    assert spec.unit is not None
    return CANONICAL_SPELLING.get(spec.unit, spec.unit)


def to_alternate(value: float, factor: float | None) -> float:
    """``value`` in the alternate unit (``None`` marks °C → °F)."""
    return value * 9 / 5 + 32 if factor is None else value * factor


def value_strategy(spec: InputDeclaration) -> st.SearchStrategy[Any]:
    """Valid values of one input, in canonical units."""
    if spec.kind in (InputKind.QUANTITY, InputKind.NUMBER, InputKind.AGE):
        assert spec.bounds is not None
        return st.floats(*spec.bounds, allow_nan=False, allow_infinity=False)
    if spec.kind is InputKind.BOOLEAN:
        return st.booleans()
    if spec.kind is InputKind.CHOICE:
        return st.sampled_from(spec.choices)
    return st.dates(datetime.date(1990, 1, 1), datetime.date(2040, 12, 31))


@st.composite
def canonical_values(draw: st.DrawFn, calculator: Calculator) -> dict[str, Any]:
    """A dict of input name → valid canonical value (optional inputs sometimes left out)."""
    values: dict[str, Any] = {}
    for spec in calculator.declared_inputs():
        if not (spec.required or spec.sometimes_required) and draw(st.booleans()):
            continue
        values[spec.name] = draw(value_strategy(spec))
    return values


def as_entities(calculator: Calculator, values: dict[str, Any]) -> dict[str, Any]:
    """Entities (first dataset key of each input) writing quantities ``[value, unit]`` in the
    canonical unit, ages ``[value, "years"]`` and dates MM/DD/YYYY."""
    specs = {spec.name: spec for spec in calculator.declared_inputs()}
    entities: dict[str, Any] = {}
    for name, value in values.items():
        spec = specs[name]
        if spec.kind in (InputKind.QUANTITY, InputKind.AGE):
            entities[spec.keys[0]] = [value, canonical_spelling(spec)]
        elif spec.kind is InputKind.DATE:
            entities[spec.keys[0]] = value.strftime("%m/%d/%Y")
        else:
            entities[spec.keys[0]] = value
    return entities
