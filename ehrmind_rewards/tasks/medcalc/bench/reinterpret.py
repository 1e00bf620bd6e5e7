"""Read an obvious unit typo the only plausible way, and say so.

When a calculator refuses an entity because its value is impossible in the unit written
(sodium 137 mg/dL, albumin 3.2 mg/dL or 4.2 g/L, a white cell count of 4.1 per µL, platelets
0.119 × 10⁹/L, a fentanyl patch "60 mg"), :func:`reinterpret` tries the same number in each
conventional unit of the input's dimension and, for cell counts, the value × 10ⁿ for
n ∈ {±3, ±6, 9}. It keeps the reading only if every candidate the calculator accepts gives the
*same* value — one plausible reading, not a guess between several — and reports both the
written and the read value. The calculator's own range check decides plausibility, so no
second set of limits exists here.

>>> import calculators
>>> entities = {"Sodium": [137.0, "mg/dL"], "Chloride": [95.0, "mmol/L"],
...             "Bicarbonate": [30.0, "mmol/L"]}
>>> outcome = reinterpret(calculators.get(39), entities)
>>> outcome.readings[0].describe()
'Sodium 137 mg/dL read as 137 mEq/L'
>>> round(float(outcome.result.value), 1)
12.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from calculators import units
from calculators.base import Calculator, CalculatorResult, InputDeclaration, InputKind
from calculators.criteria import Evaluation, ScoreTable
from calculators.entities import normalize_key
from calculators.errors import CalculatorError, InputValueError, UnitError

MAX_FIELDS = 3
"""Inputs of one row that may be reinterpreted before giving up."""
_IONS = ("mmol/L", "mEq/L")
_PROTEINS = ("g/dL", "g/L")
_SMALL_MOLECULES = ("mg/dL", "mmol/L", "µmol/L")
_COUNTS = ("µL", "/µL", "L", "/L", "10^9/L", "10^3/µL")
_POWERS = (1e3, 1e6, 1e9, 1e-3, 1e-6)


@dataclass(frozen=True, slots=True)
class Reading:
    """One entity read in another unit."""

    key: str
    label: str
    written: Any
    read: Any
    shown: str
    """The read value in the input's canonical unit, for people."""

    def describe(self) -> str:
        """``label written read as value`` for the relabel reason."""
        return f"{self.label} {_written(self.written)} read as {self.shown}"


@dataclass(frozen=True, slots=True)
class Outcome:
    """A computation, with the entity readings it needed (none when the entities were fine)."""

    result: CalculatorResult
    evaluation: Evaluation | None
    entities: dict[str, Any]
    readings: tuple[Reading, ...]


def compute(
    calculator: Calculator,
    entities: Mapping[str, Any],
    conventions: Mapping[str, str] | None = None,
) -> Outcome:
    """The calculator's result from ``entities`` under ``conventions`` (the calculator's own
    convention names → options; its defaults otherwise). Raises the calculator's error on
    failure."""
    if isinstance(calculator, ScoreTable):
        evaluation = calculator.evaluate_entities(entities, conventions)
        readings = tuple(_cell_count_notes(calculator, entities, evaluation))
        return Outcome(calculator.result(evaluation), evaluation, dict(entities), readings)
    result = calculator.compute_from_entities(entities, conventions=conventions)
    return Outcome(result, None, dict(entities), ())


def reinterpret(
    calculator: Calculator,
    entities: Mapping[str, Any],
    conventions: Mapping[str, str] | None = None,
) -> Outcome | None:
    """The computation after reading refused unit typos the only plausible way, or ``None``
    when some refusal has no single plausible reading (or is not about a unit)."""
    current = dict(entities)
    readings: list[Reading] = []
    for _ in range(MAX_FIELDS):
        try:
            outcome = compute(calculator, current, conventions)
        except CalculatorError as error:
            reading = _one_reading(calculator, current, error)
            if reading is None:
                return None
            readings.append(reading)
            current[reading.key] = reading.read
            continue
        return Outcome(outcome.result, outcome.evaluation, current, (*readings, *outcome.readings))
    return None


def _one_reading(
    calculator: Calculator, entities: Mapping[str, Any], error: CalculatorError
) -> Reading | None:
    if not isinstance(error, InputValueError | UnitError):
        return None
    declaration = _declaration(calculator, error.field)
    if declaration is None or declaration.kind is not InputKind.QUANTITY:
        return None
    key = next(
        (k for k in entities if normalize_key(str(k)) in _keys(declaration)),
        None,
    )
    if key is None:
        return None
    raw = entities[key]
    if not (
        isinstance(raw, list | tuple)
        and len(raw) == 2
        and isinstance(raw[0], int | float)
        and not isinstance(raw[0], bool)
        and isinstance(raw[1], str)
    ):
        return None
    accepted: dict[float, tuple[list[Any], float]] = {}
    for candidate in _candidates(declaration, float(raw[0]), raw[1]):
        try:
            compute(calculator, {**entities, key: candidate})
        except CalculatorError:
            continue
        value = _canonical(declaration, candidate)
        if value is None:
            continue
        accepted.setdefault(_rounded(value), (candidate, value))
    if len(accepted) != 1:
        return None
    candidate, value = next(iter(accepted.values()))
    return Reading(str(key), declaration.label, list(raw), candidate, _shown(declaration, value))


def _candidates(declaration: InputDeclaration, number: float, unit: str) -> list[list[Any]]:
    assert declaration.unit is not None
    target, analyte = declaration.unit, declaration.analyte
    count = _is_count(target)
    spellings = _COUNTS if count else _family(analyte)
    if not spellings:
        spellings = units.accepted_units(target, analyte)
    out: list[list[Any]] = []
    for spelling in spellings:
        other = units.is_known_unit(spelling) and spelling.casefold() != unit.casefold()
        if other and _converts(spelling, target, analyte):
            out.append([number, spelling])
    if count:
        out.extend([number * power, unit] for power in _POWERS)
    return out


def _family(analyte: str | None) -> tuple[str, ...]:
    """The units an analyte is reported in: ions in mmol/L or mEq/L, proteins in g/dL or g/L,
    small molecules in mg/dL, mmol/L or µmol/L (nobody writes serum sodium in g/L)."""
    facts = units.ANALYTES.get(analyte or "")
    if facts is None:
        return ()
    if facts.valence is not None:
        return _IONS
    if facts.molar_mass is not None and facts.molar_mass > 10_000:
        return _PROTEINS
    return _SMALL_MOLECULES


def _is_count(target: str) -> bool:
    try:
        units.conversion("/µL", target)
    except CalculatorError:
        return False
    return True


def _converts(spelling: str, target: str, analyte: str | None) -> bool:
    try:
        units.conversion(spelling, target, analyte)
    except CalculatorError:
        return False
    return True


def _canonical(declaration: InputDeclaration, candidate: list[Any]) -> float | None:
    assert declaration.unit is not None
    try:
        return units.convert(
            float(candidate[0]), str(candidate[1]), declaration.unit, analyte=declaration.analyte
        )
    except CalculatorError:
        return None


def _rounded(value: float) -> float:
    if value == 0 or not math.isfinite(value):
        return value
    return float(f"{value:.9g}")


def _declaration(calculator: Calculator, field: str) -> InputDeclaration | None:
    wanted = normalize_key(field)
    for declaration in calculator.declared_inputs():
        names = {normalize_key(declaration.name), normalize_key(declaration.label)}
        if wanted in names:
            return declaration
    return None


def _keys(declaration: InputDeclaration) -> set[str]:
    return {normalize_key(k) for k in (*declaration.keys, declaration.name)}


def _cell_count_notes(
    table: ScoreTable, entities: Mapping[str, Any], evaluation: Evaluation
) -> list[Reading]:
    """The score engine's own cell-count repairs (a count labelled per L or m³ whose value is
    only plausible per µL), reported as readings."""
    out: list[Reading] = []
    for note in evaluation.notes:
        if "unit_typo:cell_count" not in note:
            continue
        label = note.split(":", 1)[0]
        spec = next((i for i in table.inputs if i.label == label), None)
        if spec is None:
            continue
        key = next((k for k in entities if normalize_key(str(k)) in _spec_keys(spec.keys)), None)
        if key is None:
            continue
        raw = entities[key]
        number = raw[0] if isinstance(raw, list | tuple) and raw else raw
        out.append(Reading(str(key), label, raw, [number, "µL"], f"{_plain(float(number))} /µL"))
    return out


def _spec_keys(keys: tuple[str, ...]) -> set[str]:
    return {normalize_key(k) for k in keys}


def _shown(declaration: InputDeclaration, value: float) -> str:
    unit = declaration.shown_unit
    unit = {"1/µL": "/µL", "1/nL": "× 10⁹/L", "µg/h": "µg/h"}.get(unit, unit)
    return f"{_plain(value)} {unit}".strip()


def _plain(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    return f"{value:.4g}"


def _written(raw: Any) -> str:
    if isinstance(raw, list | tuple):
        return " ".join(_plain(float(p)) if isinstance(p, int | float) else str(p) for p in raw)
    return str(raw)
