"""Reading MedCalc-Bench "Relevant Entities" values into the canonical units the scores use.

The point scores need only a small, closed set of quantities (temperature, pressures, a handful
of analytes in mg/dL or g/dL, cell counts per µL, infusion rates, ages), so this module keeps an
explicit table of the unit spellings seen in the benchmark data and the factor to the score's
unit. Anything not in the table is a :class:`~calculators.errors.UnitError` naming the field and the
unit; nothing is guessed silently. Spelling repairs that change a value's meaning (e.g. a cell
count labelled "per L" whose value is only plausible per µL) are reported as notes so the caller
can show and count them.

Molar masses follow ``reference/medcalc-bench.md`` §6: bilirubin 584.66 g/mol, creatinine
113.12 g/mol, glucose 180.16 g/mol, urea nitrogen 28.02 g/mol (2 N per urea).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from calculators.errors import InputValueError, UnitError

_SPACES = re.compile(r"\s+")


def normalise_key(key: str) -> str:
    """Case-folded key with subscript digits, µ/μ and runs of spaces made uniform."""
    key = key.replace("₂", "2").casefold().replace("μ", "µ")
    return _SPACES.sub(" ", key).strip()


def normalise_unit(unit: str) -> str:
    """Case-folded unit spelling with spaces removed and µ unified (``"mm Hg"`` → ``"mmhg"``)."""
    return unit.replace("°", "deg").replace(" ", "").casefold().replace("μ", "µ")


@dataclass(frozen=True, slots=True)
class Reading:
    """A value in the score's unit, with any note about how it was read."""

    value: float
    note: str | None = None


Converter = Callable[[float], float]


def _factor(f: float) -> Converter:
    return lambda v: v * f


def _f_to_c(v: float) -> float:
    return (v - 32.0) * 5.0 / 9.0


def _identity(v: float) -> float:
    return v


_CELSIUS = ("degreescelsius", "degc", "c", "celsius", "degreesc")
_CELSIUS_TYPOS = ("degreescelsisus", "degreescelcius", "degreescelsuis")
_FAHRENHEIT = ("degreesfahrenheit", "degf", "f", "fahrenheit", "degreesf")
_FAHRENHEIT_TYPOS = ("degreesfahreinheit", "degreesfarenheit", "degreesfahrenhiet")

# dimension -> target unit -> {normalised spelling: converter}
_TABLES: dict[str, dict[str, Converter]] = {
    "temperature": {
        **dict.fromkeys(_CELSIUS + _CELSIUS_TYPOS, _identity),
        **dict.fromkeys(_FAHRENHEIT + _FAHRENHEIT_TYPOS, _f_to_c),
        "k": lambda v: v - 273.15,
    },
    "rate_per_min": dict.fromkeys(
        ("beatsperminute", "bpm", "/min", "permin", "breathsperminute", "perminute", "min^-1"),
        _identity,
    ),
    "pressure_mmhg": {
        **dict.fromkeys(("mmhg", "torr"), _identity),
        "kpa": _factor(7.500617),
    },
    "percent": dict.fromkeys(("%", "percent"), _identity),
    "bmi": dict.fromkeys(("kg/m^2", "kg/m2", "kg/m²"), _identity),
    "infusion": dict.fromkeys(
        ("mcg/kg/min", "mc/kg/min", "µg/kg/min", "ug/kg/min", "microgram/kg/min"), _identity
    ),
    "urine_ml_day": {
        **dict.fromkeys(("ml/day", "ml/24h", "ml/d", "mlperday"), _identity),
        "l/day": _factor(1000.0),
    },
    "mmol_l": dict.fromkeys(("mmol/l", "meq/l"), _identity),
}

# analyte -> {normalised spelling: converter to the analyte's score unit}
_ANALYTES: dict[str, tuple[str, dict[str, Converter]]] = {
    "bilirubin": ("mg/dL", {"mg/dl": _identity, "µmol/l": _factor(584.66 / 10_000)}),
    "creatinine": ("mg/dL", {"mg/dl": _identity, "µmol/l": _factor(113.12 / 10_000)}),
    "glucose": ("mg/dL", {"mg/dl": _identity, "mmol/l": _factor(180.16 / 10)}),
    "bun": ("mg/dL", {"mg/dl": _identity, "mmol/l": _factor(28.02 / 10)}),
    "albumin": ("g/dL", {"g/dl": _identity, "g/l": _factor(0.1)}),
    "hemoglobin": ("g/dL", {"g/dl": _identity, "g/l": _factor(0.1)}),
}

_PER_UL = ("µl", "ul", "mm^3", "mm3", "/µl", "/mm^3", "cells/µl", "cells/mm^3")
_COUNT_SCALES: dict[str, float] = {
    **dict.fromkeys(_PER_UL, 1.0),
    "l": 1e-6,
    "/l": 1e-6,
    "m^3": 1e-9,
    "10^9/l": 1e3,
    "x10^9/l": 1e3,
    "10^3/µl": 1e3,
    "k/µl": 1e3,
}


def convert(
    field: str,
    value: float,
    unit: str,
    *,
    dimension: str | None = None,
    analyte: str | None = None,
    plausible: tuple[float, float] | None = None,
) -> Reading:
    """``value unit`` in the score's unit for ``dimension``, ``analyte`` or ``"count_per_ul"``.

    Cell counts (``dimension="count_per_ul"``) are returned per µL (= per mm³). A count whose
    stated unit gives an implausible value (outside ``plausible``) while the bare number is
    plausible per µL is read per µL, with the note ``unit_typo:cell_count``: the benchmark labels
    many per-µL counts as ``L`` or ``m^3``.
    """
    spelling = normalise_unit(unit)
    if dimension == "count_per_ul":
        scale = _COUNT_SCALES.get(spelling)
        if scale is None:
            raise UnitError(field, unit, "not a cell-count unit (expected µL, mm^3, L, 10^9/L)")
        converted = value * scale
        if plausible is not None and not plausible[0] <= converted <= plausible[1]:
            if plausible[0] <= value <= plausible[1] and scale != 1.0:
                return Reading(value, "unit_typo:cell_count")
            raise InputValueError(
                field, f"{value} per {unit} is outside the plausible range {plausible} per µL"
            )
        return Reading(converted)
    if analyte is not None:
        target, table = _ANALYTES[analyte]
        converter = table.get(spelling)
        if converter is None:
            raise UnitError(field, unit, f"cannot convert {analyte} to {target}")
        return Reading(converter(value))
    if dimension is None:
        raise ValueError("convert needs a dimension or an analyte")
    converter = _TABLES[dimension].get(spelling)
    if converter is None:
        raise UnitError(field, unit, f"not a {dimension.replace('_', ' ')} unit")
    note = None
    if dimension == "temperature" and spelling in _CELSIUS_TYPOS + _FAHRENHEIT_TYPOS:
        note = "unit_typo:temperature"
    return Reading(converter(value), note)


_AGE_FACTORS: dict[str, float] = {
    "years": 1.0,
    "year": 1.0,
    "y": 1.0,
    "months": 1 / 12,
    "month": 1 / 12,
    "weeks": 7 / 365.25,
    "week": 7 / 365.25,
    "days": 1 / 365.25,
    "day": 1 / 365.25,
}


def read_age(field: str, raw: Any) -> float:
    """An age in years from ``[n, 'years'|'months'|'weeks'|'days']`` (pairs may repeat) or a number."""
    if isinstance(raw, bool):
        raise InputValueError(field, f"expected an age, got {raw!r}")
    if isinstance(raw, int | float):
        return float(raw)
    if not isinstance(raw, list | tuple) or len(raw) % 2 or not raw:
        raise InputValueError(field, f"expected [value, unit] pairs, got {raw!r}")
    years = 0.0
    for amount, unit in zip(raw[::2], raw[1::2], strict=True):
        factor = _AGE_FACTORS.get(str(unit).strip().casefold())
        if factor is None:
            raise UnitError(field, str(unit), "not an age unit (years, months, weeks, days)")
        years += _number(field, amount) * factor
    return years


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


def lookup(entities: Mapping[str, Any], keys: tuple[str, ...]) -> list[Any]:
    """Values of every key in ``keys`` present in ``entities`` (keys compared normalised)."""
    wanted = {normalise_key(k) for k in keys}
    return [v for k, v in entities.items() if normalise_key(k) in wanted]
