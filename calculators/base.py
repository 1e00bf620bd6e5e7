"""What every calculator declares (its metadata and inputs) and returns (its result)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, TypeAlias

from calculators.conventions import Convention, Selection


class OutputKind(StrEnum):
    """How a calculator's answer is compared (MedCalc-Bench grading branches)."""

    DECIMAL = "decimal"
    INTEGER = "integer"
    DATE = "date"
    WEEKS_DAYS = "weeks_days"


class Category(StrEnum):
    """MedCalc-Bench's seven categories."""

    LAB = "lab"
    RISK = "risk"
    PHYSICAL = "physical"
    SEVERITY = "severity"
    DIAGNOSIS = "diagnosis"
    DATE = "date"
    DOSAGE = "dosage"


class InputKind(StrEnum):
    """What sort of value an input holds."""

    QUANTITY = "quantity"
    """A number with a unit, read from ``[value, unit]`` and converted to the canonical unit."""
    AGE = "age"
    """An age in years, read from ``[value, unit]`` pairs (years, months, weeks, days)."""
    NUMBER = "number"
    """A dimensionless number (INR, pH, GCS, a count)."""
    BOOLEAN = "boolean"
    """A yes/no finding."""
    CHOICE = "choice"
    """One of a fixed set of strings."""
    DATE = "date"
    """A calendar date (MedCalc-Bench writes MM/DD/YYYY)."""


@dataclass(frozen=True, slots=True)
class InputDeclaration:
    """One input of any calculator, described the same way for equations and point scores.

    Everything that consumes declarations (the generated docs, the hypothesis kit in
    :mod:`calculators.testing`, property tests) reads this, not the engine-specific specs
    (:class:`calculators.inputs.InputSpec`, :class:`calculators.criteria.Input`). It describes;
    reading and checking values stay with each engine.
    """

    name: str
    """The input's identifier (a field name of the calculator)."""
    label: str
    """A human label."""
    kind: InputKind
    keys: tuple[str, ...]
    """MedCalc-Bench entity keys that carry the input (matched case-insensitively)."""
    required: bool
    """Whether a missing value is always an error (otherwise a stated default applies)."""
    sometimes_required: bool = False
    """Optional, yet needed in some cases (APACHE II: PaO2 or the A-a gradient, by FiO2)."""
    unit: str | None = None
    """Canonical unit, a pint expression (quantities; ``"year"`` for ages)."""
    display_unit: str | None = None
    """The canonical unit as written for people."""
    analyte: str | None = None
    """Analyte of :data:`calculators.units.ANALYTES` for mass ↔ molar ↔ mEq conversions."""
    bounds: tuple[float, float] | None = None
    """Inclusive accepted range in the canonical unit (quantities, ages, numbers)."""
    integer: bool = False
    """Whether only whole numbers are meaningful (a cycle length in days, a GCS)."""
    choices: tuple[str, ...] = ()
    """The canonical choices (choice inputs)."""
    not_below: str | None = None
    """Name of another input this one may not be smaller than (systolic ≥ diastolic)."""
    packed_in: str | None = None
    """Dataset key whose list packs this input with others, in declaration order (MedCalc-Bench
    writes ``'input steroid': [name, dose, unit]``); ``keys`` then name the unpacked form."""

    @property
    def shown_unit(self) -> str:
        """The canonical unit as written for people ("" when unitless)."""
        return self.display_unit or self.unit or ""


ResultValue: TypeAlias = float | int | datetime.date | tuple[int, int]
"""float for decimals, int for scores, a date (IDs 13, 68), ``(weeks, days)`` (ID 69)."""


@dataclass(frozen=True, slots=True)
class CalculatorInfo:
    """Registry metadata of one calculator."""

    id: int
    slug: str
    name: str
    category: Category
    output_kind: OutputKind
    unit: str | None
    citation: str
    conventions: tuple[Convention, ...] = ()
    """The points where published practice differs, each with its options (the first is the
    default; see :mod:`calculators.conventions`)."""


@dataclass(frozen=True, slots=True)
class CalculatorResult:
    """A computed value with its unit and the step-by-step derivation that produced it."""

    calculator_id: int
    value: ResultValue
    unit: str | None
    explanation: str
    conventions: Mapping[str, str] = field(default_factory=dict)
    """The option used for each of the calculator's conventions."""
    steps: tuple[str, ...] = field(default_factory=tuple)


class Calculator(Protocol):
    """The interface the registry stores: metadata plus computation from benchmark entities."""

    @property
    def info(self) -> CalculatorInfo: ...

    def declared_inputs(self) -> tuple[InputDeclaration, ...]:
        """Every input the calculator reads, in declaration order."""
        ...

    def compute_from_entities(
        self, entities: Mapping[str, Any], *, conventions: Selection | None = None
    ) -> CalculatorResult: ...
