"""Reading "Relevant Entities" values for the criteria tables of :mod:`calculators.criteria`.

Unit conversion and key normalization are the framework's (:mod:`calculators.units`,
:mod:`calculators.entities`); this module adds what point scores need on top: each score input's
target unit by dimension or analyte, yes/no and "not mentioned" spellings, ages in mixed units,
and two repairs that are reported as notes so relabelling can show and count them — a cell count
labelled per ``L`` or ``m^3`` whose value is only plausible per µL (``unit_typo:cell_count``) and a
misspelt temperature unit (``unit_typo:temperature``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from calculators import entities as framework_entities
from calculators import units
from calculators.errors import InputValueError, UnitError
from calculators.exact import nearest, written


def normalize_key(key: str) -> str:
    """Comparison form of an entity key (the framework's: NFKC, so ``₂`` = ``2``; casefolded)."""
    return framework_entities.normalize_key(key)


def normalize_unit(unit: str) -> str:
    """Case-folded unit spelling with single spaces."""
    return " ".join(unit.casefold().split())


@dataclass(frozen=True, slots=True)
class Reading:
    """A value in the score's unit, with any note about how it was read."""

    value: float
    note: str | None = None


_DIMENSION_TARGETS: dict[str, str] = {
    "temperature": "degC",
    "rate_per_min": "1/min",
    "pressure_mmhg": "mmHg",
    "percent": "percent",
    "bmi": "kg/m^2",
    "infusion": "µg/kg/min",
    "urine_ml_day": "mL/day",
    "count_per_ul": "1/µL",
}
# score analyte name -> (analyte in calculators.units, target unit)
_ANALYTE_TARGETS: dict[str, tuple[str, str]] = {
    "bilirubin": ("bilirubin", "mg/dL"),
    "creatinine": ("creatinine", "mg/dL"),
    "glucose": ("glucose", "mg/dL"),
    "bun": ("urea_nitrogen", "mg/dL"),
    "albumin": ("albumin", "g/dL"),
    "hemoglobin": ("hemoglobin", "g/dL"),
    "sodium": ("sodium", "mmol/L"),
    "potassium": ("potassium", "mmol/L"),
}
_TEMPERATURE_TYPOS = frozenset({"degrees celsisus", "degrees fahreinheit"})


def target_unit(*, dimension: str | None, analyte: str | None) -> tuple[str, str | None]:
    """(pint unit, :mod:`calculators.units` analyte) a score quantity is converted into."""
    if analyte is not None:
        name, target = _ANALYTE_TARGETS[analyte]
        return target, name
    if dimension is None:
        raise ValueError("a score quantity needs a dimension or an analyte")
    return _DIMENSION_TARGETS[dimension], None


def convert(
    field: str,
    value: float,
    unit: str,
    *,
    dimension: str | None = None,
    analyte: str | None = None,
    plausible: tuple[float, float] | None = None,
) -> Reading:
    """``value unit`` in the score's unit for ``dimension`` or ``analyte``.

    Cell counts (``dimension="count_per_ul"``) are returned per µL (= per mm³). A count whose
    stated unit gives an implausible value (outside ``plausible``) while the bare number is
    plausible per µL is read per µL, with the note ``unit_typo:cell_count``: the benchmark labels
    many per-µL counts as ``L`` or ``m^3``. Misspelt temperature units are accepted by
    :mod:`calculators.units` and reported here with the note ``unit_typo:temperature``.
    """
    target, name = target_unit(dimension=dimension, analyte=analyte)
    if analyte is not None:
        return Reading(units.convert(value, unit, target, analyte=name, field=field))
    converted = units.convert(value, unit, target, field=field)
    if dimension == "count_per_ul" and plausible is not None:
        low, high = plausible
        if not low <= converted <= high:
            if low <= value <= high:
                return Reading(value, "unit_typo:cell_count")
            raise InputValueError(
                field, f"{value} per {unit} is outside the plausible range {plausible} per µL"
            )
    note = None
    if dimension == "temperature" and normalize_unit(unit) in _TEMPERATURE_TYPOS:
        note = "unit_typo:temperature"
    return Reading(converted, note)


# Years per unit, exact: a year is 12 months and 365.25 days (the Julian year, as pint defines it).
_AGE_FACTORS: dict[str, Fraction] = {
    "years": Fraction(1),
    "year": Fraction(1),
    "y": Fraction(1),
    "months": Fraction(1, 12),
    "month": Fraction(1, 12),
    "weeks": Fraction(28, 1461),
    "week": Fraction(28, 1461),
    "days": Fraction(4, 1461),
    "day": Fraction(4, 1461),
}


def read_age(field: str, raw: Any) -> float:
    """Age in years from ``[n, unit]`` pairs (years, months, weeks, days) or a plain number.

    Parts are added exactly (:mod:`calculators.exact`), so 180 months is 15 years, not
    14.999999999999998.
    """
    if isinstance(raw, bool):
        raise InputValueError(field, f"expected an age, got {raw!r}")
    if isinstance(raw, int | float):
        return float(raw)
    if not isinstance(raw, list | tuple) or len(raw) % 2 or not raw:
        raise InputValueError(field, f"expected [value, unit] pairs, got {raw!r}")
    years = Fraction(0)
    for amount, unit in zip(raw[::2], raw[1::2], strict=True):
        factor = _AGE_FACTORS.get(str(unit).strip().casefold())
        if factor is None:
            raise UnitError(field, str(unit), "not an age unit (years, months, weeks, days)")
        years += written(_number(field, amount)) * factor
    return nearest(years)


def _number(field: str, raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise InputValueError(field, f"expected a number, got {raw!r}")
    return float(raw)


def read_number(field: str, raw: Any) -> float:
    """A plain number, or the number of a unitless ``[value, unit]`` pair."""
    if isinstance(raw, list | tuple) and len(raw) == 2:
        return _number(field, raw[0])
    return _number(field, raw)


def split_quantity(field: str, raw: Any) -> tuple[float, str | None]:
    """``[value, unit]`` → (value, unit); a bare number → (value, None)."""
    if isinstance(raw, list | tuple):
        if len(raw) != 2 or not isinstance(raw[1], str):
            raise InputValueError(field, f"expected [value, unit], got {raw!r}")
        return _number(field, raw[0]), raw[1]
    return _number(field, raw), None


_TRUE = frozenset({"true", "yes", "present", "y", "1"})
_FALSE = frozenset({"false", "no", "absent", "n", "0", "none"})
_NOT_MENTIONED = frozenset({"not mentioned", "not mentinoed", "unknown", "n/a", "not provided"})


def read_bool(field: str, raw: Any) -> bool | None:
    """True/False from a boolean or a yes/no spelling; ``None`` for "not mentioned" spellings."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        spelling = raw.strip().casefold()
        if spelling in _TRUE:
            return True
        if spelling in _FALSE:
            return False
        if spelling in _NOT_MENTIONED:
            return None
    raise InputValueError(field, f"expected true/false, got {raw!r}")
