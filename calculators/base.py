"""What every calculator declares (its metadata) and returns (its result)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, TypeAlias


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
    conventions: tuple[str, ...] = ("default",)
    """Named conventions the calculator accepts; the first is the default."""


@dataclass(frozen=True, slots=True)
class CalculatorResult:
    """A computed value with its unit and the step-by-step derivation that produced it."""

    calculator_id: int
    value: ResultValue
    unit: str | None
    explanation: str
    convention: str = "default"
    steps: tuple[str, ...] = field(default_factory=tuple)


class Calculator(Protocol):
    """The interface the registry stores: metadata plus computation from benchmark entities."""

    @property
    def info(self) -> CalculatorInfo: ...

    def compute_from_entities(
        self, entities: Mapping[str, Any], *, convention: str | None = None
    ) -> CalculatorResult: ...
