"""Recompute MedCalc-Bench labels from each row's "Relevant Entities" with our calculators.

:func:`relabel_rows` takes the rows of any MedCalc-Bench CSV version (dicts keyed by the CSV
header) and yields them with ``Ground Truth Answer``, ``Lower Limit`` and ``Upper Limit`` replaced
by the recomputed label and three columns added:

* ``Original Ground Truth Answer`` — the label as it was;
* ``Relabel Status`` — ``unchanged`` (the benchmark's own grading accepts the recomputed value
  against the original label: exact for integers and dates, within the original limits for
  decimals), ``changed``, or ``incomputable`` (original label, limits kept);
* ``Relabel Reason`` — empty when unchanged; for a change, a cause from
  :data:`.causes.CAUSES`; when incomputable, one of ``unparseable_entities``,
  ``unknown_calculator:<id>``, ``missing_input:<names>``, ``invalid_input:<field>``,
  ``unit_error:<field>``.

Limits follow the benchmark's convention: 0.95 × and 1.05 × the answer for decimals, the answer
itself otherwise. Entities are parsed with :func:`ast.literal_eval` (never ``eval``).

Calculator conventions (:mod:`calculators.conventions`) are the calculators' defaults, then those
a row's question states, then the run's ``conventions`` (``{"slug.name": option}``; see
:mod:`.conventions`).
"""

from __future__ import annotations

import ast
import csv
import datetime
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import calculators
from calculators.base import CalculatorResult, OutputKind, ResultValue
from calculators.criteria import Evaluation, ScoreTable
from calculators.errors import (
    CalculatorError,
    InputValueError,
    MissingInputError,
    UnitError,
    UnknownCalculatorError,
)
from ehrmind_rewards.core.errors import InputError
from ehrmind_rewards.core.io import read_table
from ehrmind_rewards.tasks.medcalc.bench.causes import attribute
from ehrmind_rewards.tasks.medcalc.bench.conventions import row_conventions
from ehrmind_rewards.tasks.medcalc.records import MedCalcDataError

ORIGINAL = "Original Ground Truth Answer"
STATUS = "Relabel Status"
REASON = "Relabel Reason"
ADDED_COLUMNS = (ORIGINAL, STATUS, REASON)
PROGRESS_MIN_ROWS = 200


@dataclass
class Summary:
    """Counts per calculator id and status, and per reason."""

    by_calculator: dict[int, Counter[str]] = field(default_factory=dict)
    reasons: Counter[str] = field(default_factory=Counter)

    def add(self, calculator_id: int, status: str, reason: str) -> None:
        """Count one row."""
        self.by_calculator.setdefault(calculator_id, Counter())[status] += 1
        if reason:
            self.reasons[reason] += 1

    def table(self) -> str:
        """A plain-text table: id, rows, unchanged, changed, incomputable."""
        lines = [f"{'ID':>4} {'rows':>5} {'unchanged':>9} {'changed':>7} {'incomputable':>12}"]
        totals: Counter[str] = Counter()
        for cid in sorted(self.by_calculator):
            counts = self.by_calculator[cid]
            totals.update(counts)
            lines.append(_summary_line(str(cid), counts))
        lines.append(_summary_line("all", totals))
        return "\n".join(lines)


def _summary_line(label: str, counts: Counter[str]) -> str:
    rows = sum(counts.values())
    return (
        f"{label:>4} {rows:>5} {counts['unchanged']:>9} {counts['changed']:>7} "
        f"{counts['incomputable']:>12}"
    )


def parse_entities(text: str) -> dict[str, Any]:
    """The "Relevant Entities" Python-literal dict of a row (``ast.literal_eval``, never eval)."""
    value = ast.literal_eval(text)
    if not isinstance(value, dict):
        raise ValueError("Relevant Entities is not a dict")
    return value


def format_answer(value: ResultValue, kind: OutputKind) -> str:
    """A value as the benchmark writes labels: ``4``, ``12.345``, ``09/23/2014``, weeks/days."""
    if isinstance(value, datetime.date):
        return value.strftime("%m/%d/%Y")
    if isinstance(value, tuple):
        weeks, days = value
        return str((f"{weeks} weeks", f"{days} days"))
    if kind is OutputKind.INTEGER:
        return str(round(value))
    number = round(float(value), 6)
    return f"{number:g}" if abs(number) >= 1e-4 or number == 0 else repr(number)


def limits(value: ResultValue, kind: OutputKind) -> tuple[str, str]:
    """Lower and upper limits by the benchmark's convention (±5 % for decimals)."""
    if kind is OutputKind.DECIMAL and isinstance(value, int | float):
        low, high = sorted((0.95 * float(value), 1.05 * float(value)))
        return format_answer(low, kind), format_answer(high, kind)
    answer = format_answer(value, kind)
    return answer, answer


def _agrees(value: ResultValue, kind: OutputKind, row: Mapping[str, str]) -> bool:
    """Whether the benchmark's grading accepts ``value`` against the row's original label."""
    original = row["Ground Truth Answer"].strip()
    if kind is OutputKind.DECIMAL and isinstance(value, int | float):
        try:
            low, high = float(row["Lower Limit"]), float(row["Upper Limit"])
        except (KeyError, ValueError):
            return format_answer(value, kind) == original
        return min(low, high) <= float(value) <= max(low, high)
    if kind is OutputKind.INTEGER and isinstance(value, int | float):
        try:
            return round(float(original)) == round(value)
        except ValueError:
            return False
    return format_answer(value, kind) == original


def _incomputable_reason(error: Exception) -> str:
    if isinstance(error, UnknownCalculatorError):
        return "unknown_calculator"
    if isinstance(error, MissingInputError):
        return "missing_input:" + ",".join(_slug(m) for m in error.missing)
    if isinstance(error, UnitError):
        return f"unit_error:{_slug(error.field)}"
    if isinstance(error, InputValueError):
        return f"invalid_input:{_slug(error.field)}"
    return "calculator_error"


def _slug(text: str) -> str:
    return "_".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


def relabel_row(
    row: Mapping[str, str], conventions: Mapping[str, str] | None = None
) -> tuple[dict[str, str], str, str]:
    """One row relabelled: (new row, status, reason); ``conventions`` are the run's qualified
    convention choices (``{"sofa.respiratory_support": "not_required"}``)."""
    out = dict(row)
    out[ORIGINAL] = row["Ground Truth Answer"]
    calculator_id = int(row["Calculator ID"])
    try:
        entities = parse_entities(row["Relevant Entities"])
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return _finish(out, "incomputable", "unparseable_entities")
    try:
        calculator = calculators.get(calculator_id)
    except UnknownCalculatorError:
        return _finish(out, "incomputable", f"unknown_calculator:{calculator_id}")
    evaluation: Evaluation | None = None
    chosen = row_conventions(
        calculator_id, calculator.info.slug, row.get("Question", ""), conventions
    )
    try:
        if isinstance(calculator, ScoreTable):
            evaluation = calculator.evaluate_entities(entities, chosen)
            result: CalculatorResult = calculator.result(evaluation)
        else:
            result = calculator.compute_from_entities(entities, conventions=chosen)
    except CalculatorError as error:
        return _finish(out, "incomputable", _incomputable_reason(error))
    kind = calculator.info.output_kind
    agrees = _agrees(result.value, kind, row)
    out["Ground Truth Answer"] = format_answer(result.value, kind)
    out["Lower Limit"], out["Upper Limit"] = limits(result.value, kind)
    if agrees:
        return _finish(out, "unchanged", "")
    table = calculator if isinstance(calculator, ScoreTable) else None
    reason = attribute(
        calculator_id, table, entities, evaluation, row["Ground Truth Answer"], conventions=chosen
    )
    return _finish(out, "changed", reason)


def _finish(out: dict[str, str], status: str, reason: str) -> tuple[dict[str, str], str, str]:
    out[STATUS] = status
    out[REASON] = reason
    return out, status, reason


def relabel_rows(
    rows: Iterable[Mapping[str, str]],
    summary: Summary | None = None,
    conventions: Mapping[str, str] | None = None,
) -> Iterator[dict[str, str]]:
    """Relabel each row, counting statuses into ``summary`` when given."""
    for row in rows:
        out, status, reason = relabel_row(row, conventions)
        if summary is not None:
            summary.add(int(row["Calculator ID"]), status, reason)
        yield out


def read_benchmark_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a MedCalc-Bench CSV; an unreadable file or a missing required column
    raises :class:`~ehrmind_rewards.tasks.medcalc.records.MedCalcDataError` naming it."""
    try:
        header, rows = read_table(path)
    except InputError as error:
        raise MedCalcDataError(str(error)) from None
    required = ("Calculator ID", "Relevant Entities", "Ground Truth Answer")
    missing = [c for c in required if c not in header]
    if missing:
        raise MedCalcDataError(f"{path}: missing column(s) {', '.join(missing)}")
    return header, rows


def relabel_csv(
    source: Path,
    target: Path,
    *,
    progress: bool = True,
    conventions: Mapping[str, str] | None = None,
) -> Summary:
    """Relabel ``source`` into ``target`` (same rows and columns plus the three added)."""
    header, rows = read_benchmark_csv(source)
    summary = Summary()
    columns = header + [c for c in ADDED_COLUMNS if c not in header]
    iterator: Iterable[Mapping[str, str]] = rows
    if progress and len(rows) >= PROGRESS_MIN_ROWS:
        from tqdm import tqdm  # type: ignore[import-untyped]

        iterator = tqdm(rows, desc="relabel", unit="row", file=sys.stderr)
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for out in relabel_rows(iterator, summary, conventions):
            writer.writerow(out)
    return summary
