"""Grade a prediction file: stream it in chunks, verify rows in parallel, tally in input order.

The main process only reads raw records and merges per-chunk results; worker processes decode the
records, resolve labels (inline fields or an id into a reference dataset), call the task's verifier,
classify failures and fill a :class:`~ehrmind_rewards.grading.tally.Tally`. At most
``2 × workers`` chunks are in flight, so memory stays constant on any input length; results are
merged in chunk order, so output (summaries, verdict files, examples kept) is the same for any
number of workers.

When labels are looked up in a dataset, each id is graded once: a later row with an id already
graded is a ``duplicate_id`` bad row (rows with a ``sample`` field, as ``ehrmind-rewards sample``
writes them, are samples of one item and may share it). With ``keep_items`` (paired comparison)
every id must be unique. The check runs in the main process on the ids each chunk reports, so it
is the same for any number of workers; a chunk with a repeated id is graded again there with the
repeats marked. Its memory is bounded by the dataset (or, for comparisons, by the items kept).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TextIO, cast

from ehrmind_rewards.core import registry
from ehrmind_rewards.core.errors import InputError, UnknownTaskError
from ehrmind_rewards.core.io import (
    BadRow,
    decode_jsonl,
    detect_format,
    quoted,
    spreadsheet_cell,
)
from ehrmind_rewards.core.rewards import get_spec
from ehrmind_rewards.core.task import TaskFamily
from ehrmind_rewards.grading.analysis import analyze
from ehrmind_rewards.grading.readers import RawChunk, iter_block_lines, iter_chunks
from ehrmind_rewards.grading.references import normalize_id
from ehrmind_rewards.grading.tally import NO_ANSWER, Group, GroupScores, Tally
from schemas import Reason, Verdict

CHUNK_ROWS = 2048
VERDICT_COLUMNS = (
    "line",
    "id",
    "category",
    "score",
    "correct",
    "format_ok",
    "reason",
    "parsed",
    "error_kind",
    "error_subkind",
    "detail",
    "components",
    "bad_row",
    "message",
)
"""Columns of a per-row verdict CSV (JSONL lines carry the same keys)."""
SAMPLE_FIELD = "sample"
"""A row with this field is one of several samples of its item: its id may repeat."""


@dataclass(frozen=True)
class GradeOptions:
    """What to grade and how."""

    task: str
    spec: str = "ehrmind"
    completion_field: str = "completion"
    id_field: str = "id"
    workers: int = 1
    chunk_rows: int = CHUNK_ROWS
    """Records per chunk (CSV); JSONL is read in blocks of about ``chunk_rows`` × 512 bytes."""
    verdicts_format: str | None = None
    """``"jsonl"`` or ``"csv"`` to produce per-row verdicts, else ``None``."""
    keep_items: bool = False
    """Keep ``(id, category, correct, score)`` per row (for :mod:`.compare`)."""
    examples_per_kind: int = 5


@dataclass
class GradeResult:
    """A finished run: the merged tally, per-item outcomes if asked, and rows read."""

    tally: Tally
    items: list[tuple[str, str, bool, float]] = field(default_factory=list)
    records: int = 0


class Outcome(NamedTuple):
    """One graded row: where it was, what it is, its verdict and why it failed (if it did)."""

    line: int
    item_id: str | None
    category: str
    verdict: Verdict
    error_kind: str | None
    error_subkind: str | None

    @property
    def key(self) -> str:
        """The item's id, or ``line:N`` for rows without one."""
        return self.item_id if self.item_id is not None else f"line:{self.line}"

    def as_dict(self) -> dict[str, Any]:
        """The row's entry in a verdict file (keys :data:`VERDICT_COLUMNS`)."""
        verdict = self.verdict
        return {
            "line": self.line,
            "id": self.key,
            "category": self.category,
            "score": verdict.score,
            "correct": verdict.correct,
            "format_ok": verdict.format_ok,
            "reason": str(verdict.reason),
            "parsed": verdict.parsed,
            "error_kind": self.error_kind,
            "error_subkind": self.error_subkind,
            "detail": verdict.detail,
            "components": verdict.components,
        }


@dataclass
class ChunkResult:
    tally: Tally
    verdict_text: str
    items: list[tuple[str, str, bool, float]]
    records: int
    ids: list[tuple[int, str]] = field(default_factory=list)
    """``(line, id)`` of graded rows whose id must be unique (see the module doc)."""


Repeats = dict[int, tuple[str, int]]
"""Line of a row whose id was already graded → (the id, the line that graded it)."""


def resolve_family(task: str) -> TaskFamily:
    """The task family named ``task``; :class:`InputError` listing the known names otherwise."""
    try:
        return registry.get(task)
    except UnknownTaskError as error:
        raise InputError(str(error)) from None


class _Grader:
    """Per-process state: options, spec, references and verifier; grades one chunk at a time."""

    def __init__(
        self,
        options: GradeOptions,
        references: Mapping[str, Mapping[str, Any]] | None,
        family: TaskFamily,
    ) -> None:
        self.options = options
        self.spec = get_spec(options.spec)
        self.references = references
        self.family = family
        self.verifier = family.verify_row
        self.label_fields = family.label_fields
        self.unique_ids = references is not None or options.keep_items

    def grade_chunk(self, chunk: RawChunk, repeats: Repeats | None = None) -> ChunkResult:
        """Grade every record of ``chunk``; rows at the lines of ``repeats`` are bad rows."""
        tally = Tally(
            examples_per_kind=self.options.examples_per_kind,
            extension=self.family.grading_extension(),
        )
        out = io.StringIO()
        writer = csv.writer(out) if self.options.verdicts_format == "csv" else None
        items: list[tuple[str, str, bool, float]] = []
        ids: list[tuple[int, str]] = []
        records = (
            (line for first, block in chunk.records for line in iter_block_lines(first, block))
            if chunk.format == "jsonl"
            else iter(chunk.records)
        )
        count = 0
        for line, raw in records:
            count += 1
            record: Mapping[str, Any] | BadRow
            if chunk.format == "jsonl":
                record = decode_jsonl(line, raw)
            else:
                record = cast("Mapping[str, Any] | BadRow", raw)
            if isinstance(record, BadRow):
                self._bad(tally, record, writer, out)
                continue
            if repeats and line in repeats:
                self._bad(tally, self._repeated(line, *repeats[line]), writer, out)
                continue
            outcome = self._grade_record(line, record, tally)
            if isinstance(outcome, BadRow):
                self._bad(tally, outcome, writer, out)
                continue
            if self._must_be_unique(outcome, record):
                ids.append((line, outcome.key))
            if self.options.verdicts_format:
                self._write(out, writer, outcome.as_dict())
            if self.options.keep_items:
                verdict = outcome.verdict
                items.append((outcome.key, outcome.category, bool(verdict.correct), verdict.score))
        return ChunkResult(tally, out.getvalue(), items, count, ids)

    def _must_be_unique(self, outcome: Outcome, record: Mapping[str, Any]) -> bool:
        if not self.unique_ids or outcome.item_id is None:
            return False
        return self.options.keep_items or SAMPLE_FIELD not in record

    def _repeated(self, line: int, item_id: str, first: int) -> BadRow:
        why = (
            "a comparison pairs one prediction per item"
            if self.options.keep_items
            else f"one prediction per dataset item; give samples of one item a {SAMPLE_FIELD!r}"
            " field"
        )
        return BadRow(
            line,
            "duplicate_id",
            f"line {line}: id {quoted(item_id)} was already graded at line {first} ({why})",
        )

    def _grade_record(self, line: int, record: Mapping[str, Any], tally: Tally) -> Outcome | BadRow:
        options = self.options
        if options.completion_field not in record:
            return BadRow(
                line,
                "missing_field",
                f"line {line}: no field {options.completion_field!r} (fields: "
                f"{', '.join(map(repr, list(record)[:12]))}); name it with --completion-field",
            )
        completion = record[options.completion_field]
        item_id = normalize_id(record.get(options.id_field))
        row: Mapping[str, Any] = (
            self.family.normalize_row(
                {
                    k: v
                    for k, v in record.items()
                    if k != options.completion_field and k != options.id_field
                }
            )
            if len(record) > 2 or options.id_field not in record
            else {}
        )
        if self.references is not None:
            if item_id is None:
                return BadRow(
                    line,
                    "missing_field",
                    f"line {line}: no id field {options.id_field!r} to look up in the dataset;"
                    " name it with --id-field",
                )
            reference = self.references.get(item_id)
            if reference is None:
                return BadRow(
                    line,
                    "unknown_id",
                    f"line {line}: id {quoted(item_id)} is not in the dataset (name the id "
                    "columns with --id-field and --dataset-id-field)",
                )
            row = {**row, **reference} if row else reference  # the dataset's label wins
        else:
            missing = [key for key in self.label_fields if row.get(key) in (None, "")]
            if missing:
                return BadRow(
                    line,
                    "no_label",
                    f"line {line}: no label field(s) {', '.join(missing)} and no --dataset to "
                    "look them up in",
                )
        try:
            verdict = self.verifier(completion, row, self.spec)
        except Exception as error:  # a verifier bug must not be scored as the model's failure
            return BadRow(
                line, "verifier_error", f"line {line}: verifier raised {quoted(error, 200)}"
            )
        if verdict.reason == Reason.BAD_RECORD:
            detail = verdict.detail or ""
            detail = detail if len(detail) <= 200 else detail[:199] + "…"
            return BadRow(line, "bad_record", f"line {line}: unusable label: {detail}")
        return self._tally(line, item_id, row, completion, verdict, tally)

    def _tally(
        self,
        line: int,
        item_id: str | None,
        row: Mapping[str, Any],
        completion: object,
        verdict: Verdict,
        tally: Tally,
    ) -> Outcome:
        family = self.family
        category = family.grading_group(row)
        correct = bool(verdict.correct)
        score = verdict.score
        subgroup = family.subgroup(row)
        key = ""
        if subgroup is not None:
            key = subgroup[0]
            if key not in tally.subgroup_names:
                tally.subgroup_names[key] = subgroup[1]
        cell = tally.cells.get((category, key))
        if cell is None:
            cell = tally.cells[(category, key)] = Group()
        cell.add(correct, score, verdict.format_ok)
        tally.scores[round(score, 4)] += 1
        tally.reasons[verdict.reason] += 1
        if tally.extension is not None:
            tally.extension.observe(row, verdict)
        confusion = self._tally_labels(row, verdict, tally, line)
        outcome = Outcome(line, item_id, category, verdict, None, None)
        if correct:
            return outcome
        kind = analyze(family, row, verdict)
        if kind is None:
            return outcome
        error_kind, error_subkind = kind
        if error_kind == "wrong_label" and confusion is not None:
            error_subkind = f"{confusion[0]} → {confusion[1]}"
        outcome = Outcome(line, item_id, category, verdict, error_kind, error_subkind)
        tally.kinds[error_kind] += 1
        tally.kind_categories[(error_kind, category)] += 1
        if error_subkind is not None:
            tally.subkinds[(error_kind, error_subkind)] += 1
        if len(tally.examples.get(error_kind, ())) < tally.examples_per_kind:
            expected = confusion[0] if confusion is not None else row.get("ground_truth")
            tally.add_example(error_kind, _example(outcome, subgroup, completion, expected))
        return outcome

    def _tally_labels(
        self, row: Mapping[str, Any], verdict: Verdict, tally: Tally, line: int
    ) -> tuple[str, str] | None:
        """Count the (truth, prediction) pair and any stated probability (per metric group when
        the family names one, with the row's scored outcomes); return the pair."""
        group = self.family.metric_group(row)
        if group is not None:
            scored = self.family.scored_outcomes(row, verdict)
            if scored is not None:
                scores = tally.group_scores.get(group)
                if scores is None:
                    scores = tally.group_scores[group] = GroupScores()
                scores.add(scored, f"line:{line}")
        names = self.family.class_names(row)
        if not names:
            return None
        label = self.family.gold_class(row)
        truth = _label_name(names, label)
        if truth is None:
            return None
        if not verdict.format_ok:
            predicted = NO_ANSWER
        elif verdict.correct:
            predicted = truth
        elif isinstance(verdict.label, int):
            predicted = _label_name(names, verdict.label) or "(other)"
        else:
            predicted = "(unreadable)" if verdict.parsed is None else "(other)"
        if group is not None:  # per group only: no cell mixes two groups
            tally.group_confusion[(group, truth, predicted)] += 1
            return truth, predicted
        tally.confusion[(truth, predicted)] += 1
        if label in (0, 1) and isinstance(verdict.probability, float):
            tally.probabilities.append(verdict.probability)
            tally.outcomes.append(float(label))
        return truth, predicted

    def _bad(self, tally: Tally, bad: BadRow, writer: Any, out: io.StringIO) -> None:
        tally.add_bad(bad)
        if not self.options.verdicts_format:
            return
        record = {"line": bad.line, "bad_row": bad.kind, "message": bad.message}
        if writer is not None:
            writer.writerow([spreadsheet_cell(record.get(c, "")) for c in VERDICT_COLUMNS])
        else:
            out.write(json.dumps(record, ensure_ascii=False))
            out.write("\n")

    @staticmethod
    def _write(out: io.StringIO, writer: Any, outcome: dict[str, Any]) -> None:
        if writer is not None:
            values = dict(outcome, components=json.dumps(outcome["components"]))
            writer.writerow(
                [
                    "" if values.get(c) is None else spreadsheet_cell(values[c])
                    for c in VERDICT_COLUMNS
                ]
            )
        else:
            out.write(json.dumps(outcome, ensure_ascii=False))
            out.write("\n")


def _label_name(names: tuple[str, ...], index: int | None) -> str | None:
    """``"Eligible (2)"``, ``"hypertension (1)"``: the name and index of a single-label class."""
    if index is None:
        return None
    return f"{names[index]} ({index})" if 0 <= index < len(names) else f"({index})"


def _example(
    outcome: Outcome, subgroup: tuple[str, str] | None, completion: object, expected: object
) -> dict[str, Any]:
    text = completion if isinstance(completion, str) else json.dumps(completion, ensure_ascii=False)
    return {
        "line": outcome.line,
        "id": outcome.key,
        "category": outcome.category,
        "subgroup": None if subgroup is None else subgroup[1],
        "expected": expected,
        "parsed": outcome.verdict.parsed,
        "subkind": outcome.error_subkind,
        "detail": outcome.verdict.detail,
        "completion_tail": text[-240:],
    }


# --- process pool plumbing ------------------------------------------------------------------

_WORKER: _Grader | None = None


def _init_worker(
    options: GradeOptions,
    references: Mapping[str, Mapping[str, Any]] | None,
    family: TaskFamily,
) -> None:
    global _WORKER
    _WORKER = _Grader(options, references, family)


def _grade_in_worker(chunk: RawChunk) -> ChunkResult:
    assert _WORKER is not None
    return _WORKER.grade_chunk(chunk)


def required_columns(path: Path, options: GradeOptions, with_dataset: bool) -> tuple[str, ...]:
    """CSV columns without which no row of ``path`` could be graded."""
    if not path.is_file() or detect_format(path) != "csv":
        return ()
    return (
        (options.completion_field, options.id_field)
        if with_dataset
        else (options.completion_field,)
    )


def grade_file(
    path: Path,
    options: GradeOptions,
    *,
    references: Mapping[str, Mapping[str, Any]] | None = None,
    verdicts: TextIO | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> GradeResult:
    """Grade every record of ``path``; write per-row verdicts to ``verdicts`` if given.

    ``on_progress(records, bytes)`` is called after each chunk. Raises
    :class:`~ehrmind_rewards.grading.readers.InputError` when the file cannot be graded at all.
    """
    family = resolve_family(options.task)
    chunks = iter_chunks(
        path,
        chunk_rows=options.chunk_rows,
        required_columns=required_columns(path, options, references is not None),
    )
    first = next(chunks, None)  # reads the header / first chunk: unusable input fails here
    if first is not None:
        chunks = itertools.chain([first], chunks)
    if verdicts is not None and options.verdicts_format == "csv":
        csv.writer(verdicts).writerow(VERDICT_COLUMNS)
    result = GradeResult(Tally(examples_per_kind=options.examples_per_kind))
    graded_at: dict[str, int] = {}
    local: _Grader | None = None
    for chunk, chunk_result in _run(chunks, options, references, family):
        repeats = _repeats(chunk_result.ids, graded_at)
        if repeats:
            local = local or _Grader(options, references, family)
            chunk_result = local.grade_chunk(chunk, repeats)
        result.tally.merge(chunk_result.tally)
        result.items.extend(chunk_result.items)
        result.records += chunk_result.records
        if verdicts is not None:
            verdicts.write(chunk_result.verdict_text)
        if on_progress is not None:
            on_progress(chunk_result.records, chunk.bytes_read)
    if not result.tally.cells and not result.tally.bad_lines:
        raise InputError(f"{path}: no records to grade")
    return result


def _repeats(ids: list[tuple[int, str]], graded_at: dict[str, int]) -> Repeats:
    """The rows of a chunk whose id was graded before; records the chunk's other ids."""
    repeats: Repeats = {}
    for line, item_id in ids:
        first = graded_at.get(item_id)
        if first is None:
            graded_at[item_id] = line
        else:
            repeats[line] = (item_id, first)
    return repeats


def _run(
    chunks: Iterator[RawChunk],
    options: GradeOptions,
    references: Mapping[str, Mapping[str, Any]] | None,
    family: TaskFamily,
) -> Iterator[tuple[RawChunk, ChunkResult]]:
    if options.workers <= 1:
        grader = _Grader(options, references, family)
        for chunk in chunks:
            yield chunk, grader.grade_chunk(chunk)
        return
    context = multiprocessing.get_context()
    with context.Pool(
        options.workers, initializer=_init_worker, initargs=(options, references, family)
    ) as pool:
        pending: deque[tuple[RawChunk, Any]] = deque()
        for chunk in chunks:
            pending.append((chunk, pool.apply_async(_grade_in_worker, (chunk,))))
            if len(pending) >= 2 * options.workers:
                done, handle = pending.popleft()
                yield done, handle.get()
        while pending:
            done, handle = pending.popleft()
            yield done, handle.get()
