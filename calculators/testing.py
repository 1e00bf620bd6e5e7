"""Hypothesis strategies that generate valid inputs for registered calculators.

``entities(calculator)`` draws a MedCalc-Bench-style "Relevant Entities" dict (``[value, unit]``
quantities in the calculator's own units, booleans, categorical spellings, ages in years) from the
calculator's input declarations and bounds, so any grader can be property-tested against the
calculators::

    from hypothesis import given
    from calculators.testing import entities
    import calculators

    gcs = calculators.get("gcs")

    @given(entities(gcs))
    def test_gcs_in_range(ents):
        assert 3 <= gcs.compute_from_entities(ents).value <= 15

Optional inputs are sometimes left out, to exercise each score's missing-data convention.
Supported: criteria-table scores (:class:`calculators.criteria.ScoreTable`).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from calculators.base import Calculator
from calculators.criteria import Input, Kind, ScoreTable
from calculators.registry import get

_UNIT_SPELLING = {
    "°C": "degrees celsius",
    "beats/min": "beats per minute",
    "breaths/min": "breaths per minute",
    "mm Hg": "mm Hg",
    "/µL": "µL",
    "µg/kg/min": "mcg/kg/min",
    "kg/m²": "kg/m^2",
    "mL/day": "mL/day",
}


def _value(spec: Input) -> st.SearchStrategy[Any]:
    if spec.kind is Kind.FLAG:
        return st.booleans()
    if spec.kind is Kind.CHOICE:
        return st.sampled_from(sorted(spec.choices))
    low, high = spec.bounds or (0.0, 100.0)
    numbers = (
        st.floats(low, high, allow_nan=False, allow_infinity=False)
        .map(lambda x: round(x, 2))
        .filter(lambda x: low <= x <= high)
    )
    if spec.kind is Kind.AGE:
        return st.integers(int(low), int(high)).map(lambda n: [float(n), "years"])
    if spec.kind is Kind.NUMBER:
        if spec.name == "gcs":
            return st.integers(3, 15).map(float)
        return numbers
    unit = _UNIT_SPELLING.get(spec.unit or "", spec.unit or "")
    return numbers.map(lambda x: [x, unit])


def entities(calculator: Calculator | int | str) -> st.SearchStrategy[dict[str, Any]]:
    """Valid entity dicts for ``calculator`` (an instance, an id or a slug)."""
    calc = get(calculator) if isinstance(calculator, int | str) else calculator
    if not isinstance(calc, ScoreTable):
        raise TypeError(f"no input declarations to draw from for {calc.info.slug!r}")
    required = {spec.keys[0]: _value(spec) for spec in calc.inputs if spec.required}
    optional = {spec.keys[0]: _value(spec) for spec in calc.inputs if not spec.required}
    return st.fixed_dictionaries(required, optional=optional)
