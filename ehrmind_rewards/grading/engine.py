"""Grade a prediction file: stream it in chunks, verify rows in parallel, tally in input order.

The main process only reads raw records and merges per-chunk results; worker processes decode the
records, resolve labels (inline fields or an id into a reference dataset), call the task's verifier,
classify failures and fill a :class:`~ehrmind_rewards.grading.tally.Tally`. At most
``2 × workers`` chunks are in flight, so memory stays constant on any input length; results are
merged in chunk order, so output (summaries, verdict files, examples kept) is the same for any
number of workers.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
import multiprocessing
import re
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TextIO, cast

from ehrmind_rewards.grading.analysis import analyse
from ehrmind_rewards.grading.official import official_outcomes
from ehrmind_rewards.grading.readers import (
    BadRow,
    InputError,
    RawChunk,
    canonical_key,
    decode_jsonl,
    detect_format,
    iter_block_lines,
    iter_chunks,
)
from ehrmind_rewards.grading.references import normalise_id
from ehrmind_rewards.grading.tally import NO_ANSWER, Group, Tally
from ehrmind_rewards.grading.values import read_number
from ehrmind_rewards.rewards import RewardSpec, get_spec
from schemas import Reason, Verdict

TASKS = ("medcalc", "trials", "ehrshot")
LABEL_FIELDS: dict[str, tuple[str, ...]] = {
    "medcalc": ("calculator_id", "ground_truth"),
    "trials": ("label",),
    "ehrshot": ("label",),
}
"""Row keys a prediction must carry inline when no dataset is given."""

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

Verifier = Callable[[object, Mapping[str, Any], RewardSpec], Verdict]


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


def resolve_verifier(task: str) -> Verifier:
    """The task's ``verify_row(completion, row, spec)``, importing its module on first use."""
    if task not in TASKS:
        raise InputError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")
    from ehrmind_rewards.verifiers import verifier_for

    verifier = verifier_for(task)
    if verifier is None:
        raise InputError(f"no verifier for task {task!r} is installed")
    return verifier


class _Grader:
    """Per-process state: options, spec, references and verifier; grades one chunk at a time."""

    def __init__(
        self,
        options: GradeOptions,
        references: Mapping[str, Mapping[str, Any]] | None,
        verifier: Verifier,
    ) -> None:
        self.options = options
        self.spec = get_spec(options.spec)
        self.references = references
        self.verifier = verifier
        self.label_fields = LABEL_FIELDS[options.task]

    def grade_chunk(self, chunk: RawChunk) -> ChunkResult:
        tally = Tally(examples_per_kind=self.options.examples_per_kind)
        out = io.StringIO()
        writer = csv.writer(out) if self.options.verdicts_format == "csv" else None
        items: list[tuple[str, str, bool, float]] = []
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
            outcome = self._grade_record(line, record, tally)
            if isinstance(outcome, BadRow):
                self._bad(tally, outcome, writer, out)
                continue
            if self.options.verdicts_format:
                self._write(out, writer, outcome.as_dict())
            if self.options.keep_items:
                verdict = outcome.verdict
                items.append((outcome.key, outcome.category, bool(verdict.correct), verdict.score))
        return ChunkResult(tally, out.getvalue(), items, count)

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
        item_id = normalise_id(record.get(options.id_field))
        row: Mapping[str, Any] = (
            {
                canonical_key(k): v
                for k, v in record.items()
                if k != options.completion_field and k != options.id_field
            }
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
                    line, "unknown_id", f"line {line}: id {item_id!r} is not in the dataset"
                )
            row = {**row, **reference} if row else reference  # the dataset's label wins
        else:
            missing = [key for key in self.label_fields if row.get(key) in (None, "")]
            if missing:
                return BadRow(
                    line,
                    "missing_field",
                    f"line {line}: no label field(s) {', '.join(missing)} and no --dataset to "
                    "look them up in",
                )
        try:
            verdict = self.verifier(completion, row, self.spec)
        except Exception as error:  # a verifier bug must not be scored as the model's failure
            return BadRow(line, "verifier_error", f"line {line}: verifier raised {error!r}")
        if verdict.reason == Reason.BAD_RECORD:
            return BadRow(line, "bad_record", f"line {line}: unusable label: {verdict.detail}")
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
        task = self.options.task
        category = _category(task, row)
        correct = bool(verdict.correct)
        score = verdict.score
        format_ok = verdict.format_ok
        calculator = ""
        if task == "medcalc":
            calculator = str(row.get("calculator_id", "?")).strip()
            if calculator not in tally.calculator_names:
                tally.calculator_names[calculator] = str(row.get("calculator_name") or calculator)
        cell = tally.cells.get((category, calculator))
        if cell is None:
            cell = tally.cells[(category, calculator)] = Group()
        cell.add(correct, score, format_ok)
        tally.scores[round(score, 4)] += 1
        tally.reasons[verdict.reason] += 1
        confusion = None
        if task == "medcalc":
            self._tally_medcalc(row, verdict, tally)
        else:
            confusion = self._tally_labels(task, row, completion, verdict, tally)
        outcome = Outcome(line, item_id, category, verdict, None, None)
        if correct:
            return outcome
        kind = analyse(task, row, verdict)
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
            tally.add_example(error_kind, _example(outcome, row, completion, expected))
        return outcome

    def _tally_medcalc(self, row: Mapping[str, Any], verdict: Verdict, tally: Tally) -> None:
        original, relabelled = official_outcomes(row, verdict.parsed)
        official = tally.official
        if original is not None:
            official.n_original += 1
            official.correct_original += original
        if relabelled is not None:
            official.n_relabelled += 1
            official.correct_relabelled += relabelled
            if str(row.get("relabel_status", "")).strip().lower() == "changed":
                official.changed_labels += 1

    def _tally_labels(
        self,
        task: str,
        row: Mapping[str, Any],
        completion: object,
        verdict: Verdict,
        tally: Tally,
    ) -> tuple[str, str] | None:
        """Count the (truth, prediction) pair and any stated probability; return the pair."""
        truth = _label_name(task, row, row.get("label"))
        if truth is None:
            return None
        if not verdict.format_ok:
            predicted = NO_ANSWER
        elif verdict.correct:
            predicted = truth
        else:
            predicted = _predicted_label(task, row, verdict.parsed)
        tally.confusion[(truth, predicted)] += 1
        label = read_number(row.get("label"))
        if task == "ehrshot" and label in (0.0, 1.0):
            probability = stated_probability(completion)
            if probability is not None:
                tally.probabilities.append(probability)
                tally.outcomes.append(float(label))
        return truth, predicted

    def _bad(self, tally: Tally, bad: BadRow, writer: Any, out: io.StringIO) -> None:
        tally.add_bad(bad)
        if not self.options.verdicts_format:
            return
        record = {"line": bad.line, "bad_row": bad.kind, "message": bad.message}
        if writer is not None:
            writer.writerow([record.get(column, "") for column in VERDICT_COLUMNS])
        else:
            out.write(json.dumps(record, ensure_ascii=False))
            out.write("\n")

    @staticmethod
    def _write(out: io.StringIO, writer: Any, outcome: dict[str, Any]) -> None:
        if writer is not None:
            values = dict(outcome, components=json.dumps(outcome["components"]))
            writer.writerow(
                ["" if values.get(c) is None else values.get(c) for c in VERDICT_COLUMNS]
            )
        else:
            out.write(json.dumps(outcome, ensure_ascii=False))
            out.write("\n")


def _category(task: str, row: Mapping[str, Any]) -> str:
    if task == "medcalc":
        return str(row.get("category") or "(no category)").strip()
    if task == "trials":
        return _label_name(task, row, row.get("label")) or "(no label)"
    return str(row.get("ehrshot_task") or "ehrshot")


@functools.lru_cache(maxsize=64)
def _class_names(task: str, ehrshot_task: str) -> tuple[str, ...]:
    """Label names by index: TREC grades for trials, the EHRSHOT task's classes otherwise."""
    if task == "trials":
        from schemas.trials import LABEL_NAMES

        return tuple(LABEL_NAMES[label] for label in sorted(LABEL_NAMES, key=int))
    try:
        from ehrmind_rewards.ehrshot.tasks import get_task

        return get_task(ehrshot_task).class_names
    except (ImportError, KeyError):
        return ()


def _label_name(task: str, row: Mapping[str, Any], label: object) -> str | None:
    """``"Eligible (2)"``, ``"hypertension (1)"``: the name and index of a single-label class."""
    number = read_number(label)
    if number is None or not number.is_integer():
        return None
    index = int(number)
    names = _class_names(task, str(row.get("ehrshot_task", "")))
    return f"{names[index]} ({index})" if 0 <= index < len(names) else f"({index})"


_TRAILING_INDEX = re.compile(r"\((\d{1,3})\)\s*$")


def _predicted_label(task: str, row: Mapping[str, Any], parsed: str | None) -> str:
    """The class a wrong, well-formed answer predicted, from the verifier's canonical text
    (``"Excluded (1)"``); answers whose name and index disagree are ``(other)``."""
    if parsed is None:
        return "(unreadable)"
    match = _TRAILING_INDEX.search(parsed[:200])
    name = _label_name(task, row, match.group(1)) if match else None
    return name or "(other)"


def stated_probability(completion: object) -> float | None:
    """The ``probability`` an EHRSHOT answer states, if it is a number in [0, 1]."""
    from ehrmind_rewards.parsing import Envelope, parse_envelope, parse_payload

    envelope = parse_envelope(completion)
    if not isinstance(envelope, Envelope):
        return None
    payload = parse_payload(envelope.answer, ())
    if not isinstance(payload, dict):
        return None
    value = read_number(payload.get("probability"))
    return value if value is not None and 0.0 <= value <= 1.0 else None


def _example(
    outcome: Outcome, row: Mapping[str, Any], completion: object, expected: object
) -> dict[str, Any]:
    text = completion if isinstance(completion, str) else json.dumps(completion, ensure_ascii=False)
    return {
        "line": outcome.line,
        "id": outcome.key,
        "category": outcome.category,
        "calculator": row.get("calculator_name") or row.get("calculator_id"),
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
    verifier: Verifier,
) -> None:
    global _WORKER
    _WORKER = _Grader(options, references, verifier)


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
    verifier: Verifier | None = None,
    verdicts: TextIO | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> GradeResult:
    """Grade every record of ``path``; write per-row verdicts to ``verdicts`` if given.

    ``on_progress(records, bytes)`` is called after each chunk. Raises
    :class:`~ehrmind_rewards.grading.readers.InputError` when the file cannot be graded at all.
    """
    if options.task not in TASKS:
        raise InputError(f"unknown task {options.task!r}; choose one of {', '.join(TASKS)}")
    chunks = iter_chunks(
        path,
        chunk_rows=options.chunk_rows,
        required_columns=required_columns(path, options, references is not None),
    )
    first = next(chunks, None)  # reads the header / first chunk: unusable input fails here
    if first is not None:
        chunks = itertools.chain([first], chunks)
    verifier = verifier or resolve_verifier(options.task)
    if verdicts is not None and options.verdicts_format == "csv":
        csv.writer(verdicts).writerow(VERDICT_COLUMNS)
    result = GradeResult(Tally(examples_per_kind=options.examples_per_kind))
    for chunk, chunk_result in _run(chunks, options, references, verifier):
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


def _run(
    chunks: Iterator[RawChunk],
    options: GradeOptions,
    references: Mapping[str, Mapping[str, Any]] | None,
    verifier: Verifier,
) -> Iterator[tuple[RawChunk, ChunkResult]]:
    if options.workers <= 1:
        grader = _Grader(options, references, verifier)
        for chunk in chunks:
            yield chunk, grader.grade_chunk(chunk)
        return
    context = multiprocessing.get_context()
    with context.Pool(
        options.workers, initializer=_init_worker, initargs=(options, references, verifier)
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
