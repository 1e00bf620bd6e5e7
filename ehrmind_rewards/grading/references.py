"""Reference datasets: the labels that prediction rows point to by id.

A dataset file is a MedCalc-Bench CSV of any version (v1.0, v1.1, v1.2, Verified, train or test),
a relabelled CSV written by ``ehrmind-rewards relabel`` (with ``Original Ground Truth Answer`` and
``Relabel Status``), or any CSV/JSONL holding the task's label columns. Columns are renamed to the
verifiers' keys (``Calculator ID`` → ``calculator_id``, ``Ground Truth Answer`` → ``ground_truth``,
…, see :func:`~ehrmind_rewards.core.io.canonical_key` and the task family's ``column_aliases``),
long text columns that grading never reads (the patient note, entities, explanation) are left out,
and rows are indexed by id: ``Row Number`` for MedCalc-Bench, else ``id``, or the column named by
the caller.

The whole index is held in memory: it is the size of the dataset (≈ 10⁴ rows), not of the
prediction stream. Dataset problems are the user's data, not the model's: a dataset that cannot be
read (a record that is not JSON or not UTF-8, a repeated key or column, an unclosed quote, an
over-long integer, deep nesting), lacks the id column or repeats an id raises
:class:`~ehrmind_rewards.core.errors.InputError` naming the file and line.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ehrmind_rewards.core.errors import InputError
from ehrmind_rewards.core.io import canonical_key, iter_rows, quoted

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


def normalize_id(value: object) -> str | None:
    """Ids compare as text: JSON ``5`` and ``5.0`` and the CSV text ``"5"`` all give ``"5"``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def load_references(
    path: Path, id_column: str | None = None, aliases: Mapping[str, str] | None = None
) -> dict[str, dict[str, Any]]:
    """Index the dataset at ``path`` by id (see module doc).

    ``aliases`` renames canonical column names to the verifier's (a task family's
    :attr:`~ehrmind_rewards.core.task.TaskFamily.column_aliases`).
    """
    return _index(path, iter_rows(path), id_column, aliases or {})


def _index(
    path: Path, rows: Any, id_column: str | None, aliases: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    index: dict[str, dict[str, Any]] = {}
    id_key: str | None = canonical_key(id_column) if id_column else None

    def key(name: str) -> str:
        canonical = canonical_key(name)
        return aliases.get(canonical, canonical)

    for line, raw in rows:
        row = {key(k): v for k, v in raw.items() if canonical_key(k) not in UNUSED_COLUMNS}
        if id_key is None:
            id_key = next((c for c in ID_COLUMN_CANDIDATES if c in row), None)
            if id_key is None:
                raise InputError(
                    f"{path}: no id column (looked for 'Row Number' and 'id'); "
                    f"columns: {', '.join(map(repr, raw))}; name one with --dataset-id-field"
                )
        item_id = normalize_id(row.get(id_key))
        if item_id is None:
            raise InputError(f"{path}:{line}: no value in the id column {id_key!r}")
        if item_id in index:
            raise InputError(
                f"{path}:{line}: id {quoted(item_id)} appears twice; each dataset row needs its "
                "own id"
            )
        index[item_id] = row
    if not index:
        raise InputError(f"{path}: the dataset has no rows")
    return index
