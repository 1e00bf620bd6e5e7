"""Recompute MedCalc-Bench labels, checking every entity against the row's patient note.

:func:`relabel_rows` takes the rows of any MedCalc-Bench CSV version (dicts keyed by the CSV
header) and yields them with ``Ground Truth Answer``, ``Lower Limit`` and ``Upper Limit``
replaced by the best computed label and three columns added: ``Original Ground Truth Answer``
(the label as it was), ``Relabel Status`` and ``Relabel Reason``.

Each row's "Relevant Entities" are grounded in its "Patient Note"
(:func:`.grounding.ground`); entities the note settles are corrected; the calculator runs on
the result, reading an obvious unit typo the only plausible way when it refuses a value
(:mod:`.reinterpret`). The status, in order of precedence:

* ``not_computable`` — a required input is absent from the note (or given only as "<10"), or
  the calculator cannot run. The original label and limits are kept.
* ``suspect`` — some entity is not supported by the note: not in it, contradicted by it
  without one settled value, or a documented finding left out.
* ``reinterpreted`` — an entity's unit was read the only plausible way (both values shown).
* ``changed`` — the recomputed label differs; the cause is ``entity_corrected_from_note``
  when a correction from the note changed it, else a documented reference bug from
  :data:`.causes.CAUSES` (or ``unattributed``).
* ``confirmed`` — the benchmark's own grading accepts the recomputed value against the
  original label (exact for integers and dates, within the original limits for decimals).

``Relabel Reason`` is a ``"; "``-separated list of items ``code — detail``: the first item
explains the status, later ones add what else was found (a reference bug behind a suspect
row's change, a correction that left the label as it was). :func:`reason_codes` recovers the
codes; :class:`Summary` counts rows by status and items by code. A row without a note (another
CSV layout) is relabelled from its entities alone and counted as ``note_not_checked``.
Limits follow the benchmark's convention: 0.95 × and 1.05 × the answer for decimals, the
answer itself otherwise. Entities are parsed with :func:`ast.literal_eval` (never ``eval``).

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
from calculators.base import Calculator, OutputKind, ResultValue
from calculators.criteria import ScoreTable
from calculators.errors import (
    CalculatorError,
    InputValueError,
    MissingInputError,
    UnitError,
    UnknownCalculatorError,
)
from ehrmind_rewards.core.errors import InputError
from ehrmind_rewards.core.io import atomic_output, quoted, read_numbered_table
from ehrmind_rewards.tasks.medcalc.bench.causes import UNATTRIBUTED, attribute
from ehrmind_rewards.tasks.medcalc.bench.conventions import row_conventions
from ehrmind_rewards.tasks.medcalc.bench.grounding import Check, Grounding, Verdict, ground
from ehrmind_rewards.tasks.medcalc.bench.reinterpret import Outcome, compute, reinterpret
from ehrmind_rewards.tasks.medcalc.records import MedCalcDataError

ORIGINAL = "Original Ground Truth Answer"
STATUS = "Relabel Status"
REASON = "Relabel Reason"
NOTE = "Patient Note"
ADDED_COLUMNS = (ORIGINAL, STATUS, REASON)
PROGRESS_MIN_ROWS = 200

STATUS_MEANINGS: dict[str, str] = {
    "confirmed": "The recomputed value passes the benchmark's own grading against the original "
    "label, and the note supports every entity (or settles it on a value giving the same label).",
    "changed": "The recomputed label differs, and the note supports every entity; the reason "
    "gives the cause.",
    "reinterpreted": "An entity's unit is an obvious typo, read the only plausible way (both "
    "values in the reason); the note supports every entity.",
    "suspect": "Some entity is not supported by the note: absent from it, contradicted without "
    "one settled value, or a documented finding left out. The label is recomputed all the same.",
    "not_computable": "A required input is absent from the note (or given only as a bound such "
    "as '<10'), or the calculator cannot run; the original label and limits are kept.",
}
"""Every ``Relabel Status``, from the least to the most in need of review."""
STATUSES = tuple(STATUS_MEANINGS)
CORRECTED = "entity_corrected_from_note"
REINTERPRETED = "unit_typo_reinterpreted"
NOTE_NOT_CHECKED = "note_not_checked"
ABSENT = "absent_from_note"
CENSORED = "censored_in_note"
SUSPECT_CODES = {
    Verdict.NOT_IN_NOTE: "not_in_note",
    Verdict.CONFLICTS: "conflicts_with_note",
    Verdict.OMITTED: "omitted_from_entities",
    Verdict.CENSORED: CENSORED,
}
REASON_CODES: dict[str, str] = {
    CORRECTED: "The note settles an entity on another value (one value at the presentation, a "
    "more precise one, or an explicit negation of a listed finding); the label is recomputed "
    "with it. Both values are shown.",
    REINTERPRETED: "A unit typo read the only plausible way (sodium 137 mg/dL as 137 mEq/L, a "
    "white count of 4.1 per µL as 4,100 per µL).",
    "not_in_note": "An entity the note does not mention (an optional input: the row is suspect).",
    "conflicts_with_note": "The note gives other values without settling on one, or mentions "
    "only another condition ('portal hypertension' for hypertension), a current episode for a "
    "previous one, or a mere possibility.",
    "omitted_from_entities": "The note documents a finding or value the entities leave out or "
    "deny.",
    CENSORED: "The note gives the value only as a bound ('bicarbonate below 10 mmol/L').",
    ABSENT: "A required input the note does not give (the row is not computable).",
    NOTE_NOT_CHECKED: "The row has no patient note; its entities were used as they are.",
}
"""The grounding codes of ``Relabel Reason`` (the reference-bug causes are
:data:`.causes.CAUSES`; calculator failures are ``missing_input:…``, ``invalid_input:…``,
``unit_error:…``, ``unknown_calculator:…``, ``unparseable_entities``)."""
ITEM_SEPARATOR = "; "
DETAIL_SEPARATOR = " — "


@dataclass
class Summary:
    """Rows per calculator id and status, and reason items per code."""

    by_calculator: dict[int, Counter[str]] = field(default_factory=dict)
    reasons: Counter[str] = field(default_factory=Counter)

    def add(self, calculator_id: int, status: str, reason: str) -> None:
        """Count one row (every item code of its reason)."""
        self.by_calculator.setdefault(calculator_id, Counter())[status] += 1
        self.reasons.update(reason_codes(reason))

    @property
    def totals(self) -> Counter[str]:
        """Rows per status over all calculators."""
        total: Counter[str] = Counter()
        for counts in self.by_calculator.values():
            total.update(counts)
        return total

    def table(self) -> str:
        """A plain-text table: id, rows, then one column per status."""
        widths = [max(len(s), 5) for s in STATUSES]
        head = " ".join(f"{s:>{w}}" for s, w in zip(STATUSES, widths, strict=True))
        lines = [f"{'ID':>4} {'rows':>5} {head}"]
        for cid in sorted(self.by_calculator):
            lines.append(_summary_line(str(cid), self.by_calculator[cid], widths))
        lines.append(_summary_line("all", self.totals, widths))
        return "\n".join(lines)


def _summary_line(label: str, counts: Counter[str], widths: list[int]) -> str:
    cells = " ".join(f"{counts[s]:>{w}}" for s, w in zip(STATUSES, widths, strict=True))
    return f"{label:>4} {sum(counts.values()):>5} {cells}"


def reason_codes(reason: str) -> list[str]:
    """The codes of a ``Relabel Reason`` ("not_in_note — …; reference_bug:x" → both codes).

    >>> reason_codes("not_in_note — Albumin: entity 3 g/dL; not in the note; reference_bug:x")
    ['not_in_note', 'reference_bug:x']
    """
    if not reason:
        return []
    codes = []
    for item in _split_items(reason):
        code = item.split(DETAIL_SEPARATOR, 1)[0].strip()
        if code:
            codes.append(code)
    return codes


def _split_items(reason: str) -> list[str]:
    # Details may contain "; " (quotes from the note), so items start only where a code does.
    items: list[str] = []
    for piece in reason.split(ITEM_SEPARATOR):
        head = piece.split(DETAIL_SEPARATOR, 1)[0]
        if items and not _looks_like_code(head):
            items[-1] += ITEM_SEPARATOR + piece
        else:
            items.append(piece)
    return items


def _looks_like_code(text: str) -> bool:
    return bool(text) and all(c.isalnum() or c in "_:,-" for c in text)


def parse_entities(text: str) -> dict[str, Any]:
    """The "Relevant Entities" Python-literal dict of a row (``ast.literal_eval``, never eval)."""
    try:
        value = ast.literal_eval(text)
    except TypeError as error:  # an unhashable key such as {[1]: 2}
        raise ValueError(f"Relevant Entities is not a valid dict literal ({error})") from None
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise ValueError("Relevant Entities is not a dict with text keys")
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
    number = round(float(value), 6) + 0.0  # + 0.0 turns -0.0 into 0.0
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


def _error_reason(error: Exception) -> str:
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


def _item(code: str, detail: str = "") -> str:
    detail = " ".join(detail.replace(ITEM_SEPARATOR, ", ").split()) if detail else ""
    return f"{code}{DETAIL_SEPARATOR}{detail}" if detail else code


def relabel_row(
    row: Mapping[str, str],
    conventions: Mapping[str, str] | None = None,
    *,
    ground_note: bool = True,
) -> tuple[dict[str, str], str, str]:
    """One row relabelled: (new row, status, reason).

    ``conventions`` are the run's qualified convention choices
    (``{"sofa.respiratory_support": "not_required"}``). ``ground_note=False`` recomputes from
    the entities alone (as the benchmark did), for studying reference bugs; the status is then
    never ``suspect``.
    """
    out = dict(row)
    out[ORIGINAL] = row["Ground Truth Answer"]
    calculator_id = int(row["Calculator ID"])
    try:
        entities = parse_entities(row["Relevant Entities"])
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return _finish(out, "not_computable", "unparseable_entities")
    try:
        calculator = calculators.get(calculator_id)
    except UnknownCalculatorError:
        return _finish(out, "not_computable", f"unknown_calculator:{calculator_id}")
    note = row.get(NOTE, "") if ground_note else ""
    grounding = ground(note, entities, calculator) if note.strip() else None
    unchecked = ground_note and grounding is None
    chosen = row_conventions(
        calculator_id, calculator.info.slug, row.get("Question", ""), conventions
    )
    return _relabel(out, row, calculator, entities, grounding, chosen, unchecked=unchecked)


def _relabel(
    out: dict[str, str],
    row: Mapping[str, str],
    calculator: Calculator,
    entities: dict[str, Any],
    grounding: Grounding | None,
    chosen: Mapping[str, str],
    *,
    unchecked: bool,
) -> tuple[dict[str, str], str, str]:
    extra = [NOTE_NOT_CHECKED] if unchecked else []
    missing = _required_missing(grounding)
    if missing:
        return _finish(out, "not_computable", ITEM_SEPARATOR.join(missing + extra))
    corrections = grounding.with_verdict(Verdict.CORRECTED) if grounding else []
    corrected = grounding.corrected(entities) if grounding else entities
    outcome, error = _run(calculator, corrected, chosen)
    if outcome is None:
        assert error is not None
        failed = [_error_reason(error)] + [_item(CORRECTED, c.describe()) for c in corrections]
        return _finish(out, "not_computable", ITEM_SEPARATOR.join(failed + extra))
    kind = calculator.info.output_kind
    value = outcome.result.value
    out["Ground Truth Answer"] = format_answer(value, kind)
    out["Lower Limit"], out["Upper Limit"] = limits(value, kind)
    agrees = _agrees(value, kind, row)
    change = "" if agrees else _cause(calculator, row, entities, corrections, outcome, chosen)
    problems = grounding.with_verdict(*SUSPECT_CODES) if grounding else []
    items: list[str] = []
    if problems:
        status = "suspect"
        items += [_item(SUSPECT_CODES[c.verdict], c.describe()) for c in problems]
    if outcome.readings:
        status = "suspect" if problems else "reinterpreted"
        items += [_item(REINTERPRETED, r.describe()) for r in outcome.readings]
    if not problems and not outcome.readings:
        status = "confirmed" if agrees else "changed"
    if change:
        items.append(change)
    if corrections and CORRECTED not in reason_codes(change):
        items += [_item(CORRECTED, f"no effect on the label: {c.describe()}") for c in corrections]
    return _finish(out, status, ITEM_SEPARATOR.join(items + extra))


def _required_missing(grounding: Grounding | None) -> list[str]:
    """Reason items for required inputs the note lacks (or gives only as "<10")."""
    if grounding is None:
        return []
    items = []
    for check in grounding.checks:
        if not check.required:
            continue
        if check.verdict is Verdict.NOT_IN_NOTE:
            items.append(_item(ABSENT, check.describe()))
        elif check.verdict is Verdict.CENSORED:
            items.append(_item(CENSORED, check.describe()))
    return items


def _run(
    calculator: Calculator, entities: Mapping[str, Any], chosen: Mapping[str, str]
) -> tuple[Outcome | None, CalculatorError | None]:
    try:
        return compute(calculator, entities, chosen), None
    except CalculatorError as error:
        outcome = reinterpret(calculator, entities, chosen)
        return (outcome, None) if outcome is not None else (None, error)


def _cause(
    calculator: Calculator,
    row: Mapping[str, str],
    entities: dict[str, Any],
    corrections: list[Check],
    outcome: Outcome,
    chosen: Mapping[str, str],
) -> str:
    """Why the recomputed label differs from the original one."""
    original = row["Ground Truth Answer"]
    table = calculator if isinstance(calculator, ScoreTable) else None
    if not corrections:
        cause = attribute(
            calculator.info.id,
            table,
            outcome.entities,
            outcome.evaluation,
            original,
            conventions=chosen,
        )
        # A reinterpreted unit explains the change by itself: the reference read the typo
        # literally (sodium 137 mg/dL as 59.6 mmol/L).
        return "" if cause == UNATTRIBUTED and outcome.readings else cause
    listed, _ = _run(calculator, entities, chosen)
    corrected_detail = ", ".join(c.describe() for c in corrections)
    if listed is None:
        return _item(CORRECTED, corrected_detail)
    kind = calculator.info.output_kind
    same = format_answer(listed.result.value, kind) == format_answer(outcome.result.value, kind)
    if same:
        return attribute(
            calculator.info.id,
            table,
            listed.entities,
            listed.evaluation,
            original,
            conventions=chosen,
        )
    item = _item(
        CORRECTED,
        f"{corrected_detail} (the listed entities give {format_answer(listed.result.value, kind)})",
    )
    if _agrees(listed.result.value, kind, row):
        return item
    bug = attribute(
        calculator.info.id, table, listed.entities, listed.evaluation, original, conventions=chosen
    )
    return item + ITEM_SEPARATOR + bug


def _finish(out: dict[str, str], status: str, reason: str) -> tuple[dict[str, str], str, str]:
    out[STATUS] = status
    out[REASON] = reason
    return out, status, reason


def relabel_rows(
    rows: Iterable[Mapping[str, str]],
    summary: Summary | None = None,
    conventions: Mapping[str, str] | None = None,
    *,
    ground_note: bool = True,
) -> Iterator[dict[str, str]]:
    """Relabel each row, counting statuses into ``summary`` when given."""
    for row in rows:
        out, status, reason = relabel_row(row, conventions, ground_note=ground_note)
        if summary is not None:
            summary.add(int(row["Calculator ID"]), status, reason)
        yield out


def read_benchmark_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a MedCalc-Bench CSV; an unreadable file or a missing required column
    raises :class:`~ehrmind_rewards.tasks.medcalc.records.MedCalcDataError` naming it."""
    try:
        header, numbered = read_numbered_table(path)
    except InputError as error:
        raise MedCalcDataError(str(error)) from None
    required = ("Calculator ID", "Relevant Entities", "Ground Truth Answer")
    missing = [c for c in required if c not in header]
    if missing:
        raise MedCalcDataError(f"{path}: missing column(s) {', '.join(missing)}")
    for line, row in numbered:
        if not row["Calculator ID"].strip().isdigit():
            raise MedCalcDataError(
                f"{path}:{line}: column 'Calculator ID': {quoted(row['Calculator ID'])} is not "
                "a calculator number"
            )
    return header, [row for _, row in numbered]


def relabel_csv(
    source: Path,
    target: Path,
    *,
    progress: bool = True,
    conventions: Mapping[str, str] | None = None,
) -> Summary:
    """Relabel ``source`` into ``target`` (same rows and columns plus the three added).

    ``target`` is written to a temporary file beside it and moved into place at the end, so an
    interrupted run leaves no half-written file; writing over ``source`` is refused.
    """
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise MedCalcDataError(f"{target}: the output would overwrite the input")
    header, rows = read_benchmark_csv(source)
    summary = Summary()
    columns = header + [c for c in ADDED_COLUMNS if c not in header]
    iterator: Iterable[Mapping[str, str]] = rows
    if progress and len(rows) >= PROGRESS_MIN_ROWS:
        from tqdm import tqdm  # type: ignore[import-untyped]

        iterator = tqdm(rows, desc="relabel", unit="row", file=sys.stderr)
    with atomic_output(target, newline="") as handle:  # a failed run leaves target as it was
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for out in relabel_rows(iterator, summary, conventions):
            writer.writerow(out)
    return summary
