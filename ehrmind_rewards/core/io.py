"""Reading rows from JSONL, JSON, CSV and parquet files, with errors that name file and line.

Every reader here reports a problem as an :class:`~ehrmind_rewards.core.errors.InputError` whose
message starts ``<file>:<line>:`` (or a :class:`BadRow` where the caller counts bad rows instead of
stopping). Column names are compared in one canonical spelling (:func:`canonical_key`), so
``"Ground Truth Answer"``, ``ground_truth_answer`` and ``Ground-Truth-Answer`` are the same column.

>>> canonical_key(" Calculator ID ")
'calculator_id'
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

from ehrmind_rewards.core.errors import InputError

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json"})
CSV_SUFFIXES = frozenset({".csv"})
CSV_FIELD_LIMIT = 64 * 1024 * 1024
"""Largest CSV field accepted (the csv module's default, 128 KiB, is shorter than long rollouts)."""


@dataclass(frozen=True, slots=True)
class BadRow:
    """A record that could not be used: where, what kind of problem, and a readable message."""

    line: int
    kind: str
    message: str


@functools.lru_cache(maxsize=1024)
def canonical_key(name: str) -> str:
    """A column name in canonical spelling: stripped, lower case, words joined by ``_``.

    >>> canonical_key("Ground Truth Answer")
    'ground_truth_answer'
    """
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def detect_format(path: Path) -> str:
    """``"jsonl"`` or ``"csv"``, from the suffix or else from the first non-blank byte.

    >>> from pathlib import Path
    >>> detect_format(Path("preds.jsonl")), detect_format(Path("test_data.csv"))
    ('jsonl', 'csv')
    """
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in CSV_SUFFIXES:
        return "csv"
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return "jsonl" if head.startswith(b"{") else "csv"


def open_checked(path: Path) -> BinaryIO:
    """Open ``path`` for reading, or raise :class:`InputError` if it is missing or empty.

    >>> import tempfile, pathlib
    >>> try:
    ...     open_checked(pathlib.Path(tempfile.mkdtemp()) / "missing.jsonl")
    ... except InputError as error:
    ...     print(str(error).endswith("missing.jsonl: no such file"))
    True
    """
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


def decode_jsonl(line: int, raw: bytes) -> dict[str, Any] | BadRow:
    """One JSONL record as a dict, or the reason it is unreadable.

    >>> decode_jsonl(3, b'{"id": 1}')
    {'id': 1}
    >>> decode_jsonl(4, b'{"id": 1').kind
    'truncated_json'
    """
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


def allow_long_csv_fields() -> None:
    """Raise the csv module's field cap to :data:`CSV_FIELD_LIMIT` (long notes and rollouts)."""
    csv.field_size_limit(min(CSV_FIELD_LIMIT, sys.maxsize))


def iter_rows(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line, row)`` for every record of a ``.jsonl``/``.json``/``.csv`` file.

    JSONL (one object per line; a ``.json`` file may also hold one JSON list of objects) or CSV
    with a header row (values stay text). Blank lines are skipped. Any unreadable record raises
    :class:`InputError` naming the file and line (for a JSON list, the 1-based item).

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "rows.csv"
    >>> _ = path.write_text("id,label\\n7,2\\n", encoding="utf-8")
    >>> list(iter_rows(path))
    [(2, {'id': '7', 'label': '2'})]
    """
    path = Path(path)
    suffix = path.suffix.lower()
    handle = open_checked(path)
    with handle:
        if suffix == ".json" and _starts_with(handle, b"["):
            yield from _json_list_rows(path, handle)
        elif detect_format(path) == "jsonl":
            for number, raw in enumerate(handle, start=1):
                if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                if not raw.strip():
                    continue
                record = decode_jsonl(number, raw)
                if isinstance(record, BadRow):
                    raise InputError(f"{path}: {record.message}")
                yield number, record
        else:
            yield from _csv_rows(path, handle)


def read_table(path: str | Path) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a CSV file, for commands that write the same columns back.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = path.write_text("a,b\\n1,2\\n", encoding="utf-8")
    >>> read_table(path)
    (['a', 'b'], [{'a': '1', 'b': '2'}])
    """
    path = Path(path)
    handle = open_checked(path)
    with handle:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        header = next(csv.reader(text), [])
    rows = [row for _, row in iter_rows(path)] if header else []
    return header, rows


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """Every record of ``path`` as a list (see :func:`iter_rows`).

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "rows.jsonl"
    >>> _ = path.write_text('{"label": 2}\\n\\n{"label": 0}\\n', encoding="utf-8")
    >>> read_rows(path)
    [{'label': 2}, {'label': 0}]
    """
    return [row for _, row in iter_rows(path)]


def _starts_with(handle: BinaryIO, prefix: bytes) -> bool:
    head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    handle.seek(0)
    return head.startswith(prefix)


def _json_list_rows(path: Path, handle: BinaryIO) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        data = json.loads(handle.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise InputError(f"{path}: not a JSON list of objects ({error})") from None
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON list of objects")
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise InputError(f"{path}: item {number}: expected a JSON object")
        yield number, item


def _csv_rows(path: Path, handle: BinaryIO) -> Iterator[tuple[int, dict[str, Any]]]:
    allow_long_csv_fields()
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    try:
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{path}: the file is empty (no header row)") from None
        start = reader.line_num + 1
        for fields in reader:
            if fields and not (len(fields) == 1 and not fields[0].strip()):
                if len(fields) != len(header):
                    raise InputError(
                        f"{path}:{start}: {len(fields)} fields, the header has {len(header)}"
                    )
                yield start, dict(zip(header, fields, strict=True))
            start = reader.line_num + 1
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 ({error.reason}); re-encode it as UTF-8") from None
    except csv.Error as error:
        raise InputError(f"{path}:{reader.line_num}: unreadable CSV: {error}") from None
