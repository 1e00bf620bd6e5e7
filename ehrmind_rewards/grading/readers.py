"""Streaming readers for prediction and dataset files (JSONL or CSV).

Prediction files are read in chunks of raw records so that memory stays constant however long the
file is, and so that decoding (JSON parsing, UTF-8 checks) happens in the worker processes. Every
record keeps its 1-based line number; a record that cannot be read becomes a :class:`BadRow`
(truncated or invalid JSON, bytes that are not UTF-8, a line that is not an object, a CSV record
with the wrong number of fields) and is counted, never dropped. A file that cannot be graded at all
(missing, empty, a CSV header without the completion column) raises :class:`InputError`.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json"})
CSV_SUFFIXES = frozenset({".csv"})
BYTES_PER_ROW = 512
"""JSONL blocks hold about ``chunk_rows`` × this many bytes."""
CSV_FIELD_LIMIT = 64 * 1024 * 1024
"""Largest CSV field accepted (the csv module's default, 128 KiB, is shorter than long rollouts)."""

COLUMN_ALIASES = {
    "ground_truth_answer": "ground_truth",
    "original_ground_truth_answer": "original_ground_truth",
}
"""MedCalc-Bench column names (after :func:`canonical_key`) that differ from the verifier's keys."""


class InputError(Exception):
    """The input cannot be graded at all; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class BadRow:
    """A record that could not be graded: where, what kind of problem, and a readable message."""

    line: int
    kind: str
    message: str


@dataclass(frozen=True, slots=True)
class RawChunk:
    """Consecutive records of a prediction file, as the reader hands them to a worker.

    ``records`` holds ``(line, raw)`` pairs: for JSONL one pair, a block of whole lines as bytes
    and the number of its first line; for CSV one pair per record, ``raw`` a dict of column → text
    or a :class:`BadRow` when the record is already known to be unreadable.
    """

    format: str
    records: list[tuple[int, Any]]
    bytes_read: int


@functools.lru_cache(maxsize=1024)
def canonical_key(name: str) -> str:
    """``"Ground Truth Answer"`` → ``"ground_truth"``, ``"Calculator ID"`` → ``"calculator_id"``."""
    key = name.strip().lower().replace(" ", "_").replace("-", "_")
    return COLUMN_ALIASES.get(key, key)


def detect_format(path: Path) -> str:
    """``"jsonl"`` or ``"csv"``, from the suffix or else from the first non-blank byte."""
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in CSV_SUFFIXES:
        return "csv"
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return "jsonl" if head.startswith(b"{") else "csv"


def open_checked(path: Path) -> BinaryIO:
    """Open ``path`` for reading, or raise :class:`InputError` if it is missing or empty."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a file")
    handle = path.open("rb")
    blank = True
    for block in iter(lambda: handle.read(1 << 16), b""):
        if block.strip(b"\xef\xbb\xbf \t\r\n"):
            blank = False
            break
    if blank:
        handle.close()
        raise InputError(f"{path}: the file is empty (no records to grade)")
    handle.seek(0)
    return handle


def iter_chunks(
    path: Path, *, chunk_rows: int, required_columns: tuple[str, ...] = ()
) -> Iterator[RawChunk]:
    """Stream ``path`` as :class:`RawChunk` objects of at most ``chunk_rows`` records."""
    fmt = detect_format(path)
    handle = open_checked(path)
    with handle:
        if fmt == "jsonl":
            yield from _jsonl_chunks(handle, chunk_rows)
        else:
            yield from _csv_chunks(path, handle, chunk_rows, required_columns)


def _jsonl_chunks(handle: BinaryIO, chunk_rows: int) -> Iterator[RawChunk]:
    """Blocks of whole lines (about ``chunk_rows`` × 512 bytes), each as one record
    ``(number of its first line, bytes)``: the main process never touches single lines, and
    workers split them (:func:`iter_block_lines`). A line longer than a block extends the block."""
    block_bytes = max(4096, chunk_rows * BYTES_PER_ROW)
    first_line = 1
    pending = b""
    while True:
        block = handle.read(block_bytes)
        if not block:
            break
        data = pending + block
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            pending = data
            continue
        lines, pending = data[:cut], data[cut:]
        yield RawChunk("jsonl", [(first_line, lines)], len(lines))
        first_line += lines.count(b"\n")
    if pending:
        yield RawChunk("jsonl", [(first_line, pending)], len(pending))


def iter_block_lines(first_line: int, block: bytes) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines of a block with their 1-based numbers (a UTF-8 BOM on line 1 dropped)."""
    for offset, line in enumerate(block.split(b"\n")):
        number = first_line + offset
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if line.strip():
            yield number, line


def decode_jsonl(line: int, raw: bytes) -> dict[str, Any] | BadRow:
    """One JSONL record as a dict, or the reason it is unreadable."""
    try:
        text = raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as error:
        return BadRow(
            line,
            "encoding",
            f"line {line}: not UTF-8 (byte 0x{raw[error.start]:02x} at column {error.start + 1});"
            " re-encode the file as UTF-8",
        )
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:  # a line that stops before its closing brace: truncated
        truncated = not text.rstrip().endswith("}")
        kind = "truncated_json" if truncated else "invalid_json"
        what = "truncated JSON (the line ends mid-object)" if truncated else "invalid JSON"
        return BadRow(line, kind, f"line {line}: {what}: {error.msg} (column {error.colno})")
    except RecursionError:
        return BadRow(line, "invalid_json", f"line {line}: JSON nested too deeply")
    if not isinstance(value, dict):
        return BadRow(
            line, "not_object", f"line {line}: expected a JSON object, got {type(value).__name__}"
        )
    return value


def _csv_chunks(
    path: Path, handle: BinaryIO, chunk_rows: int, required_columns: tuple[str, ...]
) -> Iterator[RawChunk]:
    csv.field_size_limit(min(CSV_FIELD_LIMIT, sys.maxsize))
    text = io.TextIOWrapper(handle, encoding="utf-8", errors="surrogateescape", newline="")
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{path}: the file is empty (no header row)") from None
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    if _has_surrogates(header):
        raise InputError(f"{path}: the header row is not UTF-8; re-encode the file as UTF-8")
    missing = [column for column in required_columns if column not in header]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(repr(c) for c in missing)}; the header has "
            f"{', '.join(repr(c) for c in header)} (map names with --completion-field/--id-field)"
        )
    records: list[tuple[int, Any]] = []
    previous_end = reader.line_num
    n_rows = reported = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            records.append((previous_end + 1, BadRow(previous_end + 1, "invalid_csv", f"{error}")))
            previous_end = reader.line_num
            continue
        line = previous_end + 1
        previous_end = reader.line_num
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        n_rows += 1
        records.append((line, _csv_record(line, header, fields)))
        if len(records) >= chunk_rows:
            position = handle.tell()
            yield RawChunk("csv", records, position - reported)
            records, reported = [], position
    if n_rows == 0 and not records:
        raise InputError(f"{path}: the file has a header but no data rows")
    if records:
        yield RawChunk("csv", records, handle.tell() - reported)


def _has_surrogates(fields: list[str]) -> bool:
    try:
        "".join(fields).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _csv_record(line: int, header: list[str], fields: list[str]) -> dict[str, str] | BadRow:
    if len(fields) != len(header):
        return BadRow(
            line,
            "wrong_column_count",
            f"line {line}: {len(fields)} fields, the header has {len(header)}",
        )
    if _has_surrogates(fields):
        return BadRow(line, "encoding", f"line {line}: not UTF-8; re-encode the file as UTF-8")
    return dict(zip(header, fields, strict=True))
