"""Hypothesis strategies that generate valid inputs for any registered calculator.

``entities(calculator)`` draws a MedCalc-Bench-style "Relevant Entities" dict from the
calculator's :meth:`~calculators.base.Calculator.declared_inputs`: quantities as ``[value, unit]``
in a data spelling of the canonical unit that :mod:`calculators.units` accepts, ages as
``[n, "years"]``, booleans, categorical choices, dates as ``MM/DD/YYYY``. Values lie within each
input's declared bounds, whole-number inputs are whole, declared orderings hold (systolic ≥
diastolic, current date ≥ LMP) and packed inputs take the dataset's shape (steroid conversion's
``'input steroid': [name, dose, unit]``), so any grader can be property-tested against the
calculators::

    from hypothesis import given
    from calculators.testing import entities
    import calculators

    gcs = calculators.get("gcs")

    @given(entities(gcs))
    def test_gcs_in_range(ents):
        assert 3 <= gcs.compute_from_entities(ents).value <= 15

Optional inputs are sometimes left out, to exercise each calculator's missing-data convention;
inputs declared ``sometimes_required`` are always drawn (so APACHE II always gets a MAP, and its
MAP-from-SBP/DBP branch is left to its own tests).
One singular point is not excluded: the delta ratios (IDs 64, 67) are undefined at bicarbonate
24 mEq/L, which a draw can hit; the calculators refuse it with ``InputValueError``.
"""

from __future__ import annotations

import datetime
import functools
import math
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from calculators.base import Calculator, InputDeclaration, InputKind
from calculators.registry import get
from calculators.units import accepted_units, conversion, convert, is_known_unit

FIRST_DATE = datetime.date(1990, 1, 1)
LAST_DATE = datetime.date(2040, 12, 31)


def _is_identity(scale: float, offset: float) -> bool:
    return math.isclose(scale, 1.0, rel_tol=1e-12) and abs(offset) < 1e-12


@functools.cache
def unit_spellings(unit: str, analyte: str | None = None) -> tuple[str, ...]:
    """Data spellings that :mod:`calculators.units` reads as exactly ``unit`` (factor 1, no offset).

    Several spellings are seen in real data for one unit ("mg/dL", "mg/dl"; "mm hg", "mmhg"), so
    a drawn quantity is written in any of them without changing its value. The canonical unit
    itself comes first where it is also a data spelling ("mg/dL"), so failures shrink to it.
    """
    candidates = ((unit,) if is_known_unit(unit) else ()) + accepted_units(unit, analyte)
    spellings = tuple(
        spelling
        for spelling in dict.fromkeys(candidates)
        if _is_identity(*conversion(spelling, unit, analyte, "unit"))
    )
    if not spellings:
        raise ValueError(f"no data spelling of {unit!r} is known to calculators.units")
    return spellings


def canonical_value(spec: InputDeclaration) -> st.SearchStrategy[Any]:
    """Valid values of one input in its canonical form (a number in the canonical unit, …)."""
    if spec.kind is InputKind.BOOLEAN:
        return st.booleans()
    if spec.kind is InputKind.CHOICE:
        return st.sampled_from(spec.choices)
    if spec.kind is InputKind.DATE:
        return st.dates(FIRST_DATE, LAST_DATE)
    if spec.bounds is None:
        raise ValueError(f"input {spec.name!r} declares no bounds to draw from")
    low, high = spec.bounds
    if spec.integer:
        return st.integers(int(-(-low // 1)), int(high // 1)).map(float)
    # two decimals, as numbers are written in notes; kept inside the bounds after rounding
    return (
        st.floats(low, high, allow_nan=False, allow_infinity=False)
        .map(lambda x: round(x, 2))
        .filter(lambda x: low <= x <= high)
    )


def spellings_within_bounds(spec: InputDeclaration, value: float) -> tuple[str, ...]:
    """The spellings of ``spec``'s unit in which ``value`` converts back within its bounds.

    The check uses the same conversion as the calculators (:func:`calculators.units.convert`),
    so a strategy never draws a value that the calculator would refuse as out of bounds.
    """
    assert spec.unit is not None
    unit, analyte, bounds = spec.unit, spec.analyte, spec.bounds
    return tuple(
        spelling
        for spelling in unit_spellings(unit, analyte)
        if bounds is None
        or bounds[0] <= convert(value, spelling, unit, analyte=analyte) <= bounds[1]
    )


def written(spec: InputDeclaration, value: Any) -> st.SearchStrategy[Any]:
    """How the data writes a canonical ``value`` of ``spec`` (the entity value); quantities in a
    spelling that keeps them within bounds (:func:`spellings_within_bounds`)."""
    if spec.kind is InputKind.QUANTITY:
        spellings = spellings_within_bounds(spec, value)
        if not spellings:
            return st.nothing()
        return st.sampled_from(spellings).map(lambda spelling: [value, spelling])
    if spec.kind is InputKind.AGE:
        return st.just([value, "years"])
    if spec.kind is InputKind.DATE:
        return st.just(value.strftime("%m/%d/%Y"))
    return st.just(value)


@st.composite
def canonical_values(draw: st.DrawFn, calculator: Calculator) -> dict[str, Any]:
    """Input name → valid canonical value; optional inputs sometimes left out."""
    specs = calculator.declared_inputs()
    values: dict[str, Any] = {}
    for spec in specs:
        if spec.required or spec.sometimes_required or draw(st.booleans()):
            values[spec.name] = draw(canonical_value(spec))
    for spec in specs:  # declared orderings: swap the pair, then keep it only if within bounds
        other = spec.not_below
        if other is not None and spec.name in values and other in values:
            low, high = sorted((values[spec.name], values[other]))
            values[spec.name], values[other] = high, low
    assume(
        all(
            s.bounds is None or s.name not in values or s.bounds[0] <= values[s.name] <= s.bounds[1]
            for s in specs
        )
    )
    return values


@st.composite
def _entities(draw: st.DrawFn, calculator: Calculator) -> dict[str, Any]:
    specs = calculator.declared_inputs()
    values = draw(canonical_values(calculator))
    drawn: dict[str, Any] = {}
    for spec in specs:
        if spec.name not in values:
            continue
        value = draw(written(spec, values[spec.name]))
        if spec.packed_in is None:
            drawn[spec.keys[0]] = value
        else:  # the dataset's packed list: parts in declaration order
            parts = drawn.setdefault(spec.packed_in, [])
            parts.extend(value if isinstance(value, list) else [value])
    return drawn


def entities(calculator: Calculator | int | str) -> st.SearchStrategy[dict[str, Any]]:
    """Valid entity dicts for ``calculator`` (an instance, an id or a slug)."""
    calc = get(calculator) if isinstance(calculator, int | str) else calculator
    return _entities(calc)
