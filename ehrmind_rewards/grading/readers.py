"""Streaming readers for prediction and dataset files (JSONL or CSV).

Prediction files are read in chunks of raw records so that memory stays constant however long the
file is, and so that decoding (JSON parsing, UTF-8 checks) happens in the worker processes. Every
record keeps its 1-based line number; a record that cannot be read becomes a :class:`BadRow`
(truncated or invalid JSON, a key repeated in one object, an over-long integer, deep nesting, bytes
that are not UTF-8, a line that is not an object, a CSV record with the wrong number of fields or
unbalanced quotes) and is counted, never dropped. A file that cannot be graded at all (missing,
empty, a CSV header that repeats a column or lacks the completion column) raises
:class:`InputError`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ehrmind_rewards.core.errors import InputError
from ehrmind_rewards.core.io import (
    BadRow,
    check_header,
    csv_error_message,
    csv_reader,
    detect_format,
    has_surrogates,
    open_checked,
)

BYTES_PER_ROW = 512
"""JSONL blocks hold about ``chunk_rows`` × this many bytes."""


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


def _csv_chunks(
    path: Path, handle: BinaryIO, chunk_rows: int, required_columns: tuple[str, ...]
) -> Iterator[RawChunk]:
    text = io.TextIOWrapper(handle, encoding="utf-8", errors="surrogateescape", newline="")
    reader = csv_reader(text)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{path}: the file is empty (no header row)") from None
    except csv.Error as error:
        raise InputError(f"{path}:1: {csv_error_message(error, 1, reader.line_num)}") from None
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    check_header(path, header)
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
            line = previous_end + 1
            message = csv_error_message(error, line, reader.line_num)
            records.append((line, BadRow(line, "invalid_csv", f"line {line}: {message}")))
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


def _csv_record(line: int, header: list[str], fields: list[str]) -> dict[str, str] | BadRow:
    if len(fields) != len(header):
        return BadRow(
            line,
            "wrong_column_count",
            f"line {line}: {len(fields)} fields, the header has {len(header)}",
        )
    if has_surrogates(fields):
        return BadRow(line, "encoding", f"line {line}: not UTF-8; re-encode the file as UTF-8")
    return dict(zip(header, fields, strict=True))
