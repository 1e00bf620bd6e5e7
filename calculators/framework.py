"""The shared machinery of every calculator: read inputs, evaluate, explain, return a result.

A calculator subclasses :class:`BaseCalculator` with its input model and implements
:meth:`BaseCalculator.evaluate`, which computes the answer *through* an :class:`Explanation`: every
intermediate value is produced by ``explanation.apply(formula, ...)`` or recorded with
``explanation.step(...)`` from the very number the computation uses, so the text cannot disagree
with the result. Point-based scores reuse the same class (``explanation.points(...)``).
"""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, Generic

from calculators.base import (
    CalculatorInfo,
    CalculatorResult,
    InputDeclaration,
    InputKind,
    ResultValue,
)
from calculators.conventions import Selection, describe, resolve
from calculators.entities import Reading, read_entities
from calculators.formula import Formula, number_text
from calculators.inputs import InputsT, build_inputs, input_specs


def format_value(value: ResultValue | bool | str | None, unit: str = "") -> str:
    """A result or input value as written in explanations."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.strftime("%m/%d/%Y")
    if isinstance(value, tuple):
        weeks, days = value
        return f"({weeks} weeks, {days} days)"
    if isinstance(value, int | float):
        text = number_text(float(value)).strip("()")
        return f"{text} {unit}".rstrip()
    return str(value)


class Explanation:
    """Collects the steps of one computation, each made from the numbers actually used."""

    def __init__(self) -> None:
        self.steps: list[str] = []
        self.applied: list[tuple[Formula, dict[str, float], float]] = []
        """Each formula evaluated, with the values it was given and its result, in order."""

    def step(self, text: str) -> None:
        """Record a sentence (a choice made, a rule applied)."""
        self.steps.append(text)

    def apply(self, formula: Formula, /, **values: float) -> float:
        """Evaluate ``formula`` exactly at ``values`` (:meth:`Formula.exact`, so a result on a
        published cut-off is on it) and record formula, substitution and result."""
        result = formula.exact(**values)
        self.applied.append((formula, values, result))
        unit = f" {formula.unit}" if formula.unit else ""
        self.steps.append(
            f"{formula.name} = {formula.text} = {formula.substituted(**values)}"
            f" = {format_value(result)}{unit}"
        )
        return result

    def value(self, name: str, value: float, unit: str = "", because: str = "") -> float:
        """Record a value chosen (not computed) with the reason; returns the value."""
        reason = f" ({because})" if because else ""
        self.steps.append(f"{name} = {format_value(value, unit)}{reason}")
        return value

    def points(self, criterion: str, finding: str, points: int | float) -> int | float:
        """Record the points a criterion contributes (for scores); returns the points."""
        self.steps.append(f"{criterion}: {finding} → {format_value(points)} point(s)")
        return points


class BaseCalculator(ABC, Generic[InputsT]):
    """A calculator: metadata (with its conventions), an input model, formulas and ``evaluate``."""

    def __init__(
        self,
        info: CalculatorInfo,
        inputs: type[InputsT],
        *,
        formulas: Sequence[Formula] = (),
        notes: Sequence[str] = (),
    ) -> None:
        """``notes`` are remarks for the docs (e.g. where this calculator departs from the
        benchmark); the conventions are declared in ``info``."""
        self._info = info
        self.inputs = inputs
        self.formulas = tuple(formulas)
        self.notes = tuple(notes)

    @property
    def info(self) -> CalculatorInfo:
        """Registry metadata."""
        return self._info

    def declared_inputs(self) -> tuple[InputDeclaration, ...]:
        """Every input of the input model, described independently of the framework."""
        return tuple(spec.declaration() for spec in input_specs(self.inputs))

    @abstractmethod
    def evaluate(
        self, inputs: InputsT, conventions: Selection, explanation: Explanation
    ) -> ResultValue:
        """The answer for canonical ``inputs`` under ``conventions`` (every declared convention
        resolved to an option), recording every step in ``explanation``."""

    def prepare_entities(self, entities: Mapping[str, Any]) -> Mapping[str, Any]:
        """Reshape dataset entities before reading (where the data packs several inputs)."""
        return entities

    def read(self, entities: Mapping[str, Any]) -> tuple[InputsT, Reading]:
        """Canonical, checked inputs from entities (dataset keys or field names)."""
        reading = read_entities(
            self.inputs, self.prepare_entities(entities), calculator=self._info.name
        )
        return build_inputs(self.inputs, reading.values), reading

    def compute_from_entities(
        self, entities: Mapping[str, Any], *, conventions: Selection | None = None
    ) -> CalculatorResult:
        """The result from a MedCalc-Bench "Relevant Entities" dict (or field-name → value dict)."""
        resolved = self.resolve_conventions(conventions)
        inputs, reading = self.read(entities)
        return self._result(inputs, reading, resolved)

    def compute(self, inputs: InputsT, *, conventions: Selection | None = None) -> CalculatorResult:
        """The result from an already-built input model (values in canonical units)."""
        return self._result(inputs, None, self.resolve_conventions(conventions))

    def trace(
        self, inputs: InputsT, *, conventions: Selection | None = None
    ) -> tuple[ResultValue, Explanation]:
        """The value and the filled explanation (with ``applied`` formulas), for analysis."""
        explanation = Explanation()
        resolved = self.resolve_conventions(conventions)
        return self.evaluate(inputs, resolved, explanation), explanation

    def resolve_conventions(self, conventions: Selection | None) -> dict[str, str]:
        """Every declared convention's option (defaults where not chosen); refuses unknowns."""
        return resolve(self._info.conventions, conventions, calculator=self._info.slug)

    def _result(
        self, inputs: InputsT, reading: Reading | None, conventions: dict[str, str]
    ) -> CalculatorResult:
        explanation = Explanation()
        value = self.evaluate(inputs, conventions, explanation)
        unit = self._info.unit
        lines = [f"{self._info.name}.", self._describe_inputs(inputs, reading)]
        if reading is not None:
            lines.extend(
                f"{c.label}: {c.written} = {format_value(c.value, c.unit)}."
                for c in reading.conversions
                if c.converted
            )
        lines.extend(f"{line}." for line in describe(self._info.conventions, conventions))
        lines.extend(f"{step}." if not step.endswith(".") else step for step in explanation.steps)
        lines.append(f"The answer is {format_value(value, unit or '')}.")
        return CalculatorResult(
            calculator_id=self._info.id,
            value=value,
            unit=unit,
            explanation="\n".join(lines),
            conventions=conventions,
            steps=tuple(explanation.steps),
        )

    def _describe_inputs(self, inputs: InputsT, reading: Reading | None) -> str:
        written = {c.field: c.written for c in reading.conversions} if reading else {}
        given = reading.values if reading else None
        parts: list[str] = []
        for spec in input_specs(self.inputs):
            value = getattr(inputs, spec.name)
            if value is None or (given is not None and spec.name not in given):
                continue  # not in the data: the default applies and is stated where it is used
            if spec.kind is InputKind.QUANTITY:
                text = written.get(spec.name) or format_value(value, spec.shown_unit)
            else:
                text = format_value(value)
            parts.append(f"{spec.title}: {text}")
        return "Patient data: " + "; ".join(parts) + "."
