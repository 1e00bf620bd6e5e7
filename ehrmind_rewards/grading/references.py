"""Reference datasets: the labels that prediction rows point to by id.

A dataset file is a MedCalc-Bench CSV of any version (v1.0, v1.1, v1.2, Verified, train or test),
a relabelled CSV written by ``ehrmind-rewards relabel`` (with ``Original Ground Truth Answer`` and
``Relabel Status``), or any CSV/JSONL holding the task's label columns. Columns are renamed to the
verifiers' keys (``Calculator ID`` → ``calculator_id``, ``Ground Truth Answer`` → ``ground_truth``,
…, see :func:`~ehrmind_rewards.grading.readers.canonical_key`), long text columns that grading never
reads (the patient note, entities, explanation) are left out, and rows are indexed by id:
``Row Number`` for MedCalc-Bench, else ``id``, or the column named by the caller.

The whole index is held in memory: it is the size of the dataset (≈ 10⁴ rows), not of the
prediction stream. Dataset problems are the user's data, not the model's: a dataset that cannot be
read, lacks the id column or repeats an id raises
:class:`~ehrmind_rewards.grading.readers.InputError`.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

from ehrmind_rewards.grading.readers import (
    CSV_FIELD_LIMIT,
    InputError,
    canonical_key,
    detect_format,
    open_checked,
)

UNUSED_COLUMNS = frozenset(
    {
        "patient_note",
        "relevant_entities",
        "ground_truth_explanation",
        "question",
        "note_id",
        "note_type",
    }
)
"""Columns kept out of the index: grading never reads them and they dominate the file's size."""

ID_COLUMN_CANDIDATES = ("row_number", "id")


def normalise_id(value: object) -> str | None:
    """Ids compare as text: JSON ``5`` and ``5.0`` and the CSV text ``"5"`` all give ``"5"``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def load_references(path: Path, id_column: str | None = None) -> dict[str, dict[str, Any]]:
    """Index the dataset at ``path`` by id (see module doc)."""
    fmt = detect_format(path)
    handle = open_checked(path)
    with handle:
        try:
            if fmt == "csv":
                csv.field_size_limit(min(CSV_FIELD_LIMIT, sys.maxsize))
                text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
                reader = csv.DictReader(text)
                rows = ((reader.line_num, row) for row in reader)
                return _index(path, rows, id_column)
            return _index(path, _jsonl_rows(path, handle), id_column)
        except UnicodeDecodeError as error:
            raise InputError(f"{path}: not UTF-8 ({error.reason}); re-encode it as UTF-8") from None
        except csv.Error as error:
            raise InputError(f"{path}: unreadable CSV: {error}") from None


def _jsonl_rows(path: Path, handle: io.BufferedIOBase | Any) -> Any:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"{path}: line {number}: invalid JSON ({error.msg})") from None
        if not isinstance(value, dict):
            raise InputError(f"{path}: line {number}: not a JSON object")
        yield number, value


def _index(path: Path, rows: Any, id_column: str | None) -> dict[str, dict[str, Any]]:
    index: dict[str, dict[str, Any]] = {}
    id_key: str | None = canonical_key(id_column) if id_column else None
    for line, raw in rows:
        if None in raw:
            raise InputError(f"{path}: line {line}: more fields than the header has")
        row = {
            canonical_key(k): v for k, v in raw.items() if canonical_key(k) not in UNUSED_COLUMNS
        }
        if id_key is None:
            id_key = next((c for c in ID_COLUMN_CANDIDATES if c in row), None)
            if id_key is None:
                raise InputError(
                    f"{path}: no id column (looked for 'Row Number' and 'id'); "
                    f"columns: {', '.join(map(repr, raw))}; name one with --dataset-id-field"
                )
        item_id = normalise_id(row.get(id_key))
        if item_id is None:
            raise InputError(f"{path}: line {line}: no value in id column {id_key!r}")
        if item_id in index:
            raise InputError(f"{path}: line {line}: id {item_id!r} appears twice")
        index[item_id] = row
    if not index:
        raise InputError(f"{path}: the dataset has no rows")
    return index
