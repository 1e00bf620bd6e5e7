"""Read a MedCalc-Bench "Relevant Entities" dict into a calculator's canonical input values.

The dict (already parsed with ``ast.literal_eval``) maps display keys to values. Keys differ between
dataset versions and contain typos; each input declares the keys it answers to
(:attr:`InputSpec.keys`), compared after casefolding, NFKC (``FiO₂`` = ``FiO2``) and whitespace
folding; the field's own name is always accepted too. Value shapes understood:

- quantity ``[value, 'unit']``; several parts ``[5, 'ft', 7, 'in']`` are converted and added;
- a bare number, only where the input declares the unit the dataset leaves implicit (``bare_unit``);
- ``True``/``False`` for findings; strings for choices; ``'MM/DD/YYYY'`` (or ISO) strings for dates.

Keys the calculator does not use are reported in :attr:`Reading.ignored`, never silently misread.
"""

from __future__ import annotations

import datetime
import functools
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from calculators.base import InputKind
from calculators.errors import InputValueError, MissingInputError, UnitError
from calculators.exact import nearest
from calculators.inputs import CalculatorInputs, InputSpec, input_specs
from calculators.units import convert_exact, pint_expression

_DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d", "%m-%d-%Y")


@dataclass(frozen=True, slots=True)
class Conversion:
    """One input as written in the data and as used (canonical unit)."""

    field: str
    label: str
    written: str
    value: float
    unit: str

    converted: bool
    """Whether the number changed (another unit, or several parts added up)."""


@dataclass(frozen=True, slots=True)
class Reading:
    """Canonical values by field name, the quantity conversions made, and keys not used."""

    values: dict[str, Any]
    conversions: tuple[Conversion, ...]
    ignored: tuple[str, ...]


def normalize_key(key: str) -> str:
    """Comparison form of an entity key: NFKC, casefolded, single spaces, ``_`` as space."""
    text = unicodedata.normalize("NFKC", key).replace("_", " ")
    return " ".join(text.casefold().split())


@functools.cache
def _key_table(model: type[CalculatorInputs]) -> dict[str, InputSpec]:
    table: dict[str, InputSpec] = {}
    for spec in input_specs(model):
        for key in (spec.name, *spec.keys):
            normal = normalize_key(key)
            other = table.get(normal)
            if other is not None and other.name != spec.name:
                raise TypeError(f"{model.__name__}: key {key!r} declared by two inputs")
            table[normal] = spec
    return table


def _plain(value: float) -> str:
    """A number as people write it: no trailing zeros, up to 6 significant decimals."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}" if abs(value) >= 1e-4 else f"{value:.4g}"


def _read_quantity(spec: InputSpec, raw: Any) -> tuple[float, str, bool]:
    """(canonical value, written form, whether converted) of a quantity entity."""
    assert spec.unit is not None
    if isinstance(raw, bool):
        raise InputValueError(spec.name, f"expected a quantity, got {raw!r}")
    if isinstance(raw, int | float):
        if spec.bare_unit is None:
            raise UnitError(spec.name, "", f"{raw!r} has no unit and none is implied")
        raw = [raw, spec.bare_unit]
    if isinstance(raw, tuple):
        raw = list(raw)
    if not isinstance(raw, list) or not raw or len(raw) % 2:
        raise InputValueError(spec.name, f"expected [value, unit, ...], got {raw!r}")
    total = Fraction(0)
    converted = len(raw) > 2
    written: list[str] = []
    for number_part, unit in zip(raw[0::2], raw[1::2], strict=True):
        if isinstance(number_part, bool) or not isinstance(number_part, int | float):
            raise InputValueError(spec.name, f"expected a number, got {number_part!r}")
        if not isinstance(unit, str):
            raise UnitError(spec.name, repr(unit), "a unit must be a string")
        part = convert_exact(
            float(number_part), unit, spec.unit, analyte=spec.analyte, field=spec.name
        )
        value = nearest(part)
        converted = converted or value != float(number_part)
        total += part
        written.append(f"{_plain(float(number_part))} {unit}")
    return nearest(total), " ".join(written), converted


def _read_number(spec: InputSpec, raw: Any) -> float:
    if isinstance(raw, list | tuple) and len(raw) == 2 and isinstance(raw[1], str):
        raw = raw[0] if pint_expression(raw[1], field=spec.name) == "percent" else raw
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise InputValueError(spec.name, f"expected a number, got {raw!r}")
    return float(raw)


def _read_date(spec: InputSpec, raw: Any) -> datetime.date:
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        for pattern in _DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
    raise InputValueError(spec.name, f"expected a date written MM/DD/YYYY, got {raw!r}")


def _read_boolean(spec: InputSpec, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    raise InputValueError(spec.name, f"expected True or False, got {raw!r}")


def read_entities(
    model: type[CalculatorInputs], entities: Mapping[str, Any], *, calculator: str
) -> Reading:
    """Canonical values for ``model`` from ``entities``; MissingInputError lists absent inputs."""
    table = _key_table(model)
    values: dict[str, Any] = {}
    conversions: list[Conversion] = []
    ignored: list[str] = []
    for key, raw in entities.items():
        spec = table.get(normalize_key(str(key)))
        if spec is None:
            ignored.append(str(key))
            continue
        if spec.name in values:
            raise InputValueError(spec.name, f"given twice (key {key!r})")
        if spec.kind is InputKind.QUANTITY:
            value, written, converted = _read_quantity(spec, raw)
            values[spec.name] = value
            conversions.append(
                Conversion(spec.name, spec.title, written, value, spec.shown_unit, converted)
            )
        elif spec.kind is InputKind.NUMBER:
            values[spec.name] = _read_number(spec, raw)
        elif spec.kind is InputKind.BOOLEAN:
            values[spec.name] = _read_boolean(spec, raw)
        elif spec.kind is InputKind.DATE:
            values[spec.name] = _read_date(spec, raw)
        else:
            values[spec.name] = raw
    missing = [s.title for s in input_specs(model) if s.required and s.name not in values]
    if missing:
        raise MissingInputError(calculator, missing)
    return Reading(values, tuple(conversions), tuple(ignored))
