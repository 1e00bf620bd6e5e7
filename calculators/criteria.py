"""Declarative criteria tables: the engine behind every point-based clinical score.

A score is a :class:`ScoreTable`: typed :class:`Input` declarations (which benchmark keys feed
them, their unit, bounds and what a missing item means) and :class:`Criterion` rows (which inputs,
which condition, how many points). The same table computes the total and writes the explanation,
so the explanation cannot disagree with the number.

Conditions are written with four constructors:

* :func:`if_true` — points when a yes/no input is true (optionally any of several inputs);
* :func:`bands` — points by the first matching numeric :class:`Band` (thresholds in the input's
  unit, bounds inclusive or exclusive as published);
* :func:`by_choice` — points per category of a categorical input;
* :func:`derived` — a named rule over several inputs, for the few items no table expresses
  (HEART's risk-factor count, SOFA's ventilated P/F bands, APACHE II's oxygenation branch).

Rules receive the read values as :class:`Facts`, which also carry the score's conventions in
force (:mod:`calculators.conventions`), so a rule that depends on a convention reads
``values.conventions[name]``. Derived quantities compared with cut-offs (P/F ratios, mean
arterial pressures) are computed by the exact-threshold rule of :mod:`calculators.exact`.

Missing inputs take the declared ``default`` (the score's published convention, usually
"absent"); the explanation says so. An input declared without a default is required and its
absence raises :class:`~calculators.errors.MissingInputError`. Categorical spellings are matched
case-insensitively and with surrounding spaces ignored; an unknown spelling raises
:class:`~calculators.errors.InputValueError` (never zero points).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from calculators import entity_values as _read
from calculators.base import CalculatorInfo, CalculatorResult, InputDeclaration, InputKind
from calculators.conventions import Selection, describe, resolve
from calculators.errors import InputValueError, MissingInputError

Value: TypeAlias = bool | float | str
Points: TypeAlias = int | float


class Facts(Mapping[str, Value | None]):
    """The read values of a score's inputs (name → value) and the conventions in force."""

    __slots__ = ("_values", "conventions")

    def __init__(
        self, values: Mapping[str, Value | None], conventions: Mapping[str, str] | None = None
    ) -> None:
        self._values = values
        self.conventions: Mapping[str, str] = dict(conventions or {})

    def __getitem__(self, name: str) -> Value | None:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


Values: TypeAlias = Facts


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()
"""Default of an input whose absence is an error."""


@dataclass(frozen=True, slots=True)
class Input:
    """One input of a score: where it comes from in the data and what it means.

    ``keys`` are the benchmark's spellings of the key (matched case-insensitively; ``₂`` = ``2``).
    When several keys of a flag are present, the flag is true if any is true. ``unit`` is the unit
    the criteria's thresholds use; ``dimension``/``analyte`` select the conversion into it.
    ``bounds`` are the physiologically possible values (inclusive): values outside are rejected,
    and property-based strategies draw from them. ``choices`` maps each canonical category to the
    spellings that mean it.
    """

    name: str
    label: str
    keys: tuple[str, ...]
    kind: InputKind
    unit: str | None = None
    dimension: str | None = None
    analyte: str | None = None
    bounds: tuple[float, float] | None = None
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    default: Any = REQUIRED
    default_note: str = ""
    integer: bool = False
    """Whether only whole numbers are meaningful (a GCS)."""
    sometimes_required: bool = False
    """Optional, yet needed by a derived criterion in some cases (stated in its convention)."""

    @property
    def required(self) -> bool:
        """Whether the input has no default."""
        return self.default is REQUIRED

    def declaration(self) -> InputDeclaration:
        """The calculator-independent description of this input (canonical unit in pint)."""
        unit, analyte = self.unit, None
        if self.kind is InputKind.QUANTITY:
            unit, analyte = _read.target_unit(dimension=self.dimension, analyte=self.analyte)
        elif self.kind is InputKind.AGE:
            unit = "year"
        return InputDeclaration(
            name=self.name,
            label=self.label,
            kind=self.kind,
            keys=self.keys,
            required=self.required,
            unit=unit,
            display_unit=self.unit,
            analyte=analyte,
            bounds=self.bounds,
            sometimes_required=self.sometimes_required,
            integer=self.integer,
            choices=tuple(self.choices),
        )


def flag(name: str, label: str, *keys: str, default: bool | None = False) -> Input:
    """A yes/no input; missing means ``default`` (``False`` = "absent" unless stated)."""
    note = "not documented, assumed absent" if default is False else ""
    if default is None:
        return Input(name, label, keys or (label,), InputKind.BOOLEAN)
    return Input(
        name, label, keys or (label,), InputKind.BOOLEAN, default=default, default_note=note
    )


def quantity(
    name: str,
    label: str,
    *keys: str,
    unit: str,
    bounds: tuple[float, float],
    dimension: str | None = None,
    analyte: str | None = None,
    default: Any = REQUIRED,
    default_note: str = "",
    sometimes_required: bool = False,
) -> Input:
    """A measured input read from ``[value, unit]`` and converted to ``unit``."""
    return Input(
        name,
        label,
        keys or (label,),
        InputKind.QUANTITY,
        unit=unit,
        dimension=dimension,
        analyte=analyte,
        bounds=bounds,
        default=default,
        default_note=default_note,
        sometimes_required=sometimes_required,
    )


def number(
    name: str,
    label: str,
    *keys: str,
    bounds: tuple[float, float],
    default: Any = REQUIRED,
    default_note: str = "",
    integer: bool = False,
    sometimes_required: bool = False,
) -> Input:
    """A unitless number (pH, INR, GCS, counts); ``integer`` marks whole-number scales."""
    return Input(
        name,
        label,
        keys or (label,),
        InputKind.NUMBER,
        bounds=bounds,
        default=default,
        default_note=default_note,
        integer=integer,
        sometimes_required=sometimes_required,
    )


def age(name: str = "age", label: str = "Age", *keys: str) -> Input:
    """Age in years from ``[n, 'years'|'months'|…]``; required."""
    return Input(name, label, keys or ("age",), InputKind.AGE, unit="years", bounds=(0.0, 130.0))


def choice(
    name: str,
    label: str,
    *keys: str,
    choices: Mapping[str, tuple[str, ...]],
    default: str | None = None,
    default_note: str = "",
) -> Input:
    """A categorical input; each canonical category lists the spellings that mean it."""
    missing: Any = REQUIRED if default is None else default
    return Input(
        name,
        label,
        keys or (label,),
        InputKind.CHOICE,
        choices=choices,
        default=missing,
        default_note=default_note,
    )


# --- criteria ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Band:
    """``points`` when ``low ≤ x < high`` (inclusivity per flag; ``None`` = unbounded)."""

    points: Points
    low: float | None = None
    high: float | None = None
    low_inclusive: bool = True
    high_inclusive: bool = False

    def contains(self, x: float) -> bool:
        """Whether ``x`` lies in the band."""
        if self.low is not None and (x < self.low or (x == self.low and not self.low_inclusive)):
            return False
        return not (
            self.high is not None
            and (x > self.high or (x == self.high and not self.high_inclusive))
        )

    def describe(self, unit: str | None) -> str:
        """The band as text, e.g. ``"≥ 45 and < 65 years"``."""
        parts = []
        if self.low is not None:
            parts.append(f"{'≥' if self.low_inclusive else '>'} {_fmt(self.low)}")
        if self.high is not None:
            parts.append(f"{'≤' if self.high_inclusive else '<'} {_fmt(self.high)}")
        text = " and ".join(parts) if parts else "any value"
        return f"{text} {unit}" if unit else text


def at_least(x: float, points: Points) -> Band:
    """``points`` when value ≥ x."""
    return Band(points, low=x)


def above(x: float, points: Points) -> Band:
    """``points`` when value > x."""
    return Band(points, low=x, low_inclusive=False)


def below(x: float, points: Points) -> Band:
    """``points`` when value < x."""
    return Band(points, high=x)


def at_most(x: float, points: Points) -> Band:
    """``points`` when value ≤ x."""
    return Band(points, high=x, high_inclusive=True)


def between(low: float, high: float, points: Points, *, high_inclusive: bool = False) -> Band:
    """``points`` when low ≤ value < high (or ≤ high)."""
    return Band(points, low=low, high=high, high_inclusive=high_inclusive)


Rule: TypeAlias = Callable[[Facts], tuple[Points, str]]
"""A derived criterion: from the read values (and conventions), (points, one-line reason)."""


@dataclass(frozen=True, slots=True)
class Criterion:
    """One row of a score table: a label, the inputs it reads and the rule giving its points."""

    label: str
    inputs: tuple[str, ...]
    rule: Rule


def if_true(label: str, *names: str, points: Points = 1) -> Criterion:
    """``points`` when any of the flags ``names`` is true."""

    def rule(values: Values) -> tuple[Points, str]:
        hits = [n for n in names if values.get(n) is True]
        if hits:
            return points, "present"
        return 0, "absent"

    return Criterion(label, names, rule)


def bands(label: str, name: str, table: tuple[Band, ...], *, unit: str | None = None) -> Criterion:
    """Points by the first band of ``table`` containing the value of ``name``; 0 if none does.

    A missing optional value (default ``None``) scores 0 and says so.
    """

    def rule(values: Values) -> tuple[Points, str]:
        x = values.get(name)
        if x is None:
            return 0, "not documented, assumed normal"
        assert isinstance(x, float)
        for band in table:
            if band.contains(x):
                return band.points, f"{_fmt(x)}{_unit(unit)} is {band.describe(unit)}"
        return 0, f"{_fmt(x)}{_unit(unit)} is in the normal range"

    return Criterion(label, (name,), rule)


def by_choice(label: str, name: str, points: Mapping[str, Points]) -> Criterion:
    """Points per canonical category of the choice input ``name``."""

    def rule(values: Values) -> tuple[Points, str]:
        category = values.get(name)
        if not isinstance(category, str) or category not in points:
            raise InputValueError(name, f"no points defined for category {category!r}")
        return points[category], f"'{category}'"

    return Criterion(label, (name,), rule)


def derived(label: str, inputs: tuple[str, ...], rule: Rule) -> Criterion:
    """A criterion computed by ``rule`` from several inputs."""
    return Criterion(label, inputs, rule)


# --- the table ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Points per criterion, in table order, for one set of read values and conventions."""

    values: Mapping[str, Value | None]
    points: tuple[tuple[str, Points, str], ...]
    notes: tuple[str, ...]
    defaults_used: tuple[str, ...]
    conventions: Mapping[str, str] = field(default_factory=dict)

    @property
    def total(self) -> Points:
        """Sum of the criteria's points."""
        return sum(p for _, p, _ in self.points)


@dataclass(frozen=True, slots=True)
class ScoreTable:
    """A point score: metadata, inputs, criteria, score range and the missing-data convention."""

    info: CalculatorInfo
    inputs: tuple[Input, ...]
    criteria: tuple[Criterion, ...]
    score_range: tuple[Points, Points]
    missing_convention: str
    preamble: str = ""
    _by_name: dict[str, Input] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name = {i.name: i for i in self.inputs}
        for criterion in self.criteria:
            unknown = [n for n in criterion.inputs if n not in by_name]
            if unknown:
                raise ValueError(f"{self.info.slug}: criterion {criterion.label!r} reads {unknown}")
        object.__setattr__(self, "_by_name", by_name)

    def input(self, name: str) -> Input:
        """The input declaration called ``name``."""
        return self._by_name[name]

    def declared_inputs(self) -> tuple[InputDeclaration, ...]:
        """Every input of the table, described independently of the criteria engine."""
        return tuple(spec.declaration() for spec in self.inputs)

    # reading ------------------------------------------------------------------------------

    def read(
        self, entities: Mapping[str, Any]
    ) -> tuple[dict[str, Value | None], list[str], list[str]]:
        """Read every input from ``entities``: (values, notes, names of inputs left at default)."""
        normalized: dict[str, list[Any]] = {}
        for key, raw in entities.items():
            normalized.setdefault(_read.normalize_key(str(key)), []).append(raw)
        values: dict[str, Value | None] = {}
        notes: list[str] = []
        defaults: list[str] = []
        missing: list[str] = []
        for spec in self.inputs:
            raws = [r for k in spec.keys for r in normalized.get(_read.normalize_key(k), [])]
            value = _read_input(spec, raws, notes) if raws else None
            if value is None:
                if spec.required:
                    missing.append(spec.label)
                    continue
                value = spec.default
                defaults.append(spec.name)
            values[spec.name] = value
        if missing:
            raise MissingInputError(self.info.name, missing)
        return values, notes, defaults

    def validate(self, values: Mapping[str, Any]) -> dict[str, Value | None]:
        """Check already-canonical ``values`` (name → value) against the declarations."""
        checked: dict[str, Value | None] = {}
        missing = []
        for spec in self.inputs:
            if spec.name not in values or values[spec.name] is None:
                if spec.required:
                    missing.append(spec.label)
                checked[spec.name] = None if spec.required else spec.default
                continue
            checked[spec.name] = _check(spec, values[spec.name])
        if missing:
            raise MissingInputError(self.info.name, missing)
        return checked

    # computing ------------------------------------------------------------------------------

    def resolve_conventions(self, conventions: Selection | None) -> dict[str, str]:
        """Every declared convention's option (defaults where not chosen); refuses unknowns."""
        return resolve(self.info.conventions, conventions, calculator=self.info.slug)

    def evaluate(
        self, values: Mapping[str, Value | None], conventions: Selection | None = None
    ) -> tuple[tuple[str, Points, str], ...]:
        """Points per criterion for canonical ``values`` under ``conventions``."""
        facts = Facts(values, self.resolve_conventions(conventions))
        return tuple((c.label, *c.rule(facts)) for c in self.criteria)

    def evaluate_entities(
        self, entities: Mapping[str, Any], conventions: Selection | None = None
    ) -> Evaluation:
        """Read ``entities`` and score every criterion."""
        resolved = self.resolve_conventions(conventions)
        values, notes, defaults = self.read(entities)
        return Evaluation(
            values, self.evaluate(values, resolved), tuple(notes), tuple(defaults), resolved
        )

    def compute_from_entities(
        self, entities: Mapping[str, Any], *, conventions: Selection | None = None
    ) -> CalculatorResult:
        """The score computed from a "Relevant Entities" dict, with its explanation."""
        return self.result(self.evaluate_entities(entities, conventions))

    def compute(
        self, values: Mapping[str, Any], *, conventions: Selection | None = None
    ) -> CalculatorResult:
        """The score from canonical input values (name → bool/float/category)."""
        resolved = self.resolve_conventions(conventions)
        checked = self.validate(values)
        defaults = tuple(n for n in checked if n not in values or values[n] is None)
        evaluation = Evaluation(checked, self.evaluate(checked, resolved), (), defaults, resolved)
        return self.result(evaluation)

    def result(self, evaluation: Evaluation) -> CalculatorResult:
        """Package an evaluation as a :class:`CalculatorResult` with its explanation."""
        total = evaluation.total
        low, high = self.score_range
        if not low <= total <= high:
            raise AssertionError(f"{self.info.slug}: total {total} outside {self.score_range}")
        value: int | float = int(total) if float(total).is_integer() else float(total)
        steps = self._steps(evaluation)
        return CalculatorResult(
            calculator_id=self.info.id,
            value=value,
            unit=self.info.unit,
            explanation="\n".join(steps),
            conventions=dict(evaluation.conventions),
            steps=tuple(steps),
        )

    def _steps(self, evaluation: Evaluation) -> list[str]:
        lines = [f"The {self.info.name} is the sum of the points of each criterion below."]
        if self.preamble:
            lines.append(self.preamble)
        lines.append(f"Missing information: {self.missing_convention}")
        resolved = self.resolve_conventions(evaluation.conventions)
        lines.extend(f"{line}." for line in describe(self.info.conventions, resolved))
        for name in evaluation.defaults_used:
            spec = self._by_name[name]
            if spec.default_note:
                lines.append(f"{spec.label}: {spec.default_note}.")
        for note in evaluation.notes:
            lines.append(f"Note: {note}.")
        for label, pts, reason in evaluation.points:
            lines.append(f"{label}: {reason} → {_signed(pts)} point{_plural(pts)}.")
        terms = " + ".join(_fmt(p) if p >= 0 else f"({_fmt(p)})" for _, p, _ in evaluation.points)
        lines.append(f"Total = {terms} = {_fmt(evaluation.total)}.")
        lines.append(f"The answer is {_fmt(evaluation.total)}.")
        return lines


def _read_input(spec: Input, raws: list[Any], notes: list[str]) -> Value | None:
    """The value of ``spec`` from the raw entity values of its keys (``None`` = not mentioned)."""
    if spec.kind is InputKind.BOOLEAN:
        flags = [_read.read_bool(spec.label, r) for r in raws]
        known = [f for f in flags if f is not None]
        return any(known) if known else None
    raw = raws[0]
    if spec.kind is InputKind.CHOICE:
        return _category(spec, raw)
    if spec.kind is InputKind.AGE:
        return _check(spec, _read.read_age(spec.label, raw))
    if spec.kind is InputKind.NUMBER:
        return _check(spec, _read.read_number(spec.label, raw))
    amount, unit = _read.split_quantity(spec.label, raw)
    if unit is None:
        return _check(spec, amount)
    reading = _read.convert(
        spec.label,
        amount,
        unit,
        dimension=spec.dimension,
        analyte=spec.analyte,
        plausible=spec.bounds,
    )
    if reading.note:
        notes.append(f"{spec.label}: {reading.note} (read {_fmt(amount)} {unit!r})")
    return _check(spec, reading.value)


def _category(spec: Input, raw: Any) -> str | None:
    if isinstance(raw, bool):
        raw = "true" if raw else "false"
    if not isinstance(raw, str):
        raise InputValueError(spec.label, f"expected one of {list(spec.choices)}, got {raw!r}")
    spelling = " ".join(raw.split()).casefold()
    if spelling in {"not mentioned", "not mentinoed", "unknown"}:
        return None
    for category, spellings in spec.choices.items():
        if spelling == category.casefold() or spelling in (s.casefold() for s in spellings):
            return category
    raise InputValueError(
        spec.label, f"unrecognized value {raw!r}; expected one of {list(spec.choices)}"
    )


def _check(spec: Input, value: Any) -> Value:
    if spec.kind is InputKind.BOOLEAN:
        if not isinstance(value, bool):
            raise InputValueError(spec.label, f"expected true/false, got {value!r}")
        return value
    if spec.kind is InputKind.CHOICE:
        category = _category(spec, value)
        if category is None:
            raise InputValueError(spec.label, f"expected one of {list(spec.choices)}")
        return category
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise InputValueError(spec.label, f"expected a number, got {value!r}")
    number = float(value)
    if spec.bounds is not None and not spec.bounds[0] <= number <= spec.bounds[1]:
        raise InputValueError(
            spec.label,
            f"{_fmt(number)}{_unit(spec.unit)} is outside the plausible range "
            f"{_fmt(spec.bounds[0])}–{_fmt(spec.bounds[1])}{_unit(spec.unit)}",
        )
    return number


def _fmt(x: float) -> str:
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.4g}" if abs(x) < 1 else f"{round(x, 3):g}"


def _signed(x: Points) -> str:
    return f"+{_fmt(x)}" if x >= 0 else _fmt(x)


def _unit(unit: str | None) -> str:
    return f" {unit}" if unit else ""


def _plural(x: Points) -> str:
    return "" if abs(x) == 1 else "s"
