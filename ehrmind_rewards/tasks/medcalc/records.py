"""Read MedCalc-Bench CSV files (any released version) into :class:`~schemas.MedCalcRecord`.

The CSV columns (Khandekar et al., NeurIPS 2024; ``reference/medcalc-bench.md`` §2) are
``Row Number, Calculator ID, Calculator Name, Category, Output Type, Note ID, Note Type,
Patient Note, Question, Relevant Entities, Ground Truth Answer, Lower Limit, Upper Limit,
Ground Truth Explanation``; header spelling is matched loosely (case, spaces, underscores), so the
Hugging Face copies with ``snake_case`` headers read too. Only ``Calculator ID`` and
``Ground Truth Answer`` are required. ``Relevant Entities`` is a *Python* dict literal; it is read
with :func:`ast.literal_eval` (literals only, never ``eval``) and only when asked for.

Every problem raises :class:`MedCalcDataError` naming the file, the line and the column.
"""

from __future__ import annotations

import ast
import csv
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError

from ehrmind_rewards.core.errors import EhrmindError
from ehrmind_rewards.core.io import canonical_key
from schemas.records import MedCalcRecord

EXAMPLES_DIR: Final = Path(__file__).parent / "examples"
EXAMPLE_CSV: Final = EXAMPLES_DIR / "medcalc_v1_sample.csv"
"""A 40-row sample of the MedCalc-Bench v1.0 test set (CC-BY-SA 4.0; see ``SOURCE.md`` there)."""
EXAMPLE_PREDICTIONS: Final = EXAMPLES_DIR / "medcalc_v1_sample_predictions.jsonl"
"""Example completions for :data:`EXAMPLE_CSV`: ``{"id": <Row Number>, "completion": "…"}``."""

COLUMNS: Final = {
    "Row Number": "row_number",
    "Calculator ID": "calculator_id",
    "Calculator Name": "calculator_name",
    "Category": "category",
    "Output Type": "output_type",
    "Note ID": "note_id",
    "Note Type": "note_type",
    "Patient Note": "note",
    "Question": "question",
    "Relevant Entities": "entities",
    "Ground Truth Answer": "ground_truth",
    "Lower Limit": "lower_limit",
    "Upper Limit": "upper_limit",
    "Ground Truth Explanation": "explanation",
    "Original Ground Truth Answer": "original_ground_truth",
    "Relabel Status": "relabel_status",
    "Relabel Reason": "relabel_reason",
}
"""The one column map: MedCalc-Bench's CSV header (and ``relabel``'s added columns) → the field
names of :class:`~schemas.MedCalcRecord` and of the verifier's rows."""

COLUMN_ALIASES: Final = {
    canonical_key(header): name for header, name in COLUMNS.items() if canonical_key(header) != name
}
"""The same map keyed by :func:`~ehrmind_rewards.core.io.canonical_key` (``ground_truth_answer``),
where it differs from the field name: the MedCalc family's ``column_aliases``."""

_COMPACT: Final = {"".join(ch for ch in h.lower() if ch.isalnum()): n for h, n in COLUMNS.items()}
_RECORD_FIELDS: Final = frozenset(MedCalcRecord.model_fields)
_REQUIRED: Final = ("calculator_id", "ground_truth")


class MedCalcDataError(EhrmindError, ValueError):
    """A MedCalc-Bench file that cannot be read; the message names file, line and column."""


def field_name(header: str) -> str | None:
    """The field a MedCalc-Bench column holds, matching case, spaces and ``_`` loosely.

    >>> field_name("Ground Truth Answer"), field_name("ground_truth_answer"), field_name("x")
    ('ground_truth', 'ground_truth', None)
    """
    return _COMPACT.get("".join(ch for ch in header.lower() if ch.isalnum()))


def _field_name(header: str) -> str | None:
    name = field_name(header)
    return name if name in _RECORD_FIELDS else None


def _raise_field_limit() -> None:
    """Allow the very long patient notes (the csv module's default cap is 128 KiB)."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 10


def iter_medcalc_csv(
    path: str | Path, *, entities: bool = False, text: bool = True
) -> Iterator[MedCalcRecord]:
    """Yield one record per data row of the MedCalc-Bench CSV at ``path``.

    Args:
        path: the CSV file.
        entities: parse ``Relevant Entities`` into ``record.entities`` (a Python literal).
        text: keep the patient note and the question (drop them to save memory when grading).

    Raises:
        MedCalcDataError: a missing required column, a malformed row or an unreadable value.
    """
    path = Path(path)
    _raise_field_limit()
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise MedCalcDataError(f"{path}: empty file, expected a header row") from None
        fields = [_field_name(column) for column in header]
        missing = [name for name in _REQUIRED if name not in fields]
        if missing:
            raise MedCalcDataError(
                f"{path}:1: missing column(s) {', '.join(missing)}; header is {header}"
            )
        start = reader.line_num + 1
        for values in reader:
            if values:
                yield _record(path, start, header, fields, values, entities=entities, text=text)
            start = reader.line_num + 1


def read_medcalc_csv(
    path: str | Path, *, entities: bool = False, text: bool = True
) -> list[MedCalcRecord]:
    """All records of the MedCalc-Bench CSV at ``path`` (see :func:`iter_medcalc_csv`)."""
    return list(iter_medcalc_csv(path, entities=entities, text=text))


def _record(
    path: Path,
    line: int,
    header: list[str],
    fields: list[str | None],
    values: list[str],
    *,
    entities: bool,
    text: bool,
) -> MedCalcRecord:
    if len(values) != len(header):
        raise MedCalcDataError(
            f"{path}:{line}: {len(values)} fields, but the header has {len(header)}"
        )
    data: dict[str, Any] = {}
    for column, field, value in zip(header, fields, values, strict=True):
        if field is None or (not text and field in ("note", "question")):
            continue
        if field == "entities":
            if entities and value.strip():
                data[field] = _entities(path, line, column, value)
            continue
        if value.strip() or field in _REQUIRED:
            data[field] = value
    try:
        return MedCalcRecord.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        column = next((c for c, f in zip(header, fields, strict=True) if f == field), field)
        raise MedCalcDataError(
            f"{path}:{line}: column {column!r}: {first['msg']} (value {data.get(field)!r})"
        ) from None


def _entities(path: Path, line: int, column: str, value: str) -> dict[str, Any]:
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError, MemoryError, RecursionError) as error:
        raise MedCalcDataError(
            f"{path}:{line}: column {column!r}: not a Python dict literal ({error})"
        ) from None
    if not isinstance(parsed, dict):
        raise MedCalcDataError(f"{path}:{line}: column {column!r}: not a dict")
    return parsed
