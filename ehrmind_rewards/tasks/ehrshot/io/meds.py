"""MEDS datasets (0.3.x and 0.4.x, EHRSHOT's MEDS release included): a streaming reader.

Layout (``root/``), after the MEDS README::

    data/**/*.parquet                 subject_id int64 (0.3.0–0.3.2: patient_id), time
                                      timestamp, code string; optional numeric_value,
                                      text_value, and EHRSHOT's unit, omop_table, visit_id, end
    metadata/dataset.json             optional; meds_version
    metadata/codes.parquet            optional; code, optional description
    metadata/subject_splits.parquet   optional (0.3.0–0.3.2: patient_splits.parquet);
                                      subject_id, split (any split names)
    labels/<task>/**/*.parquet        or labels/<task>.parquet; subject_id, prediction_time,
                                      boolean_value / integer_value (MEDS label schema)

Shards are read in sorted path order (``data/train/0.parquet`` and ``data/0.parquet`` alike), in
batches; a subject's events must be contiguous in one shard, as MEDS writers produce them. With
the ``meds`` package installed every file's schema is checked against it (:mod:`.meds_schema`).

Label encoding: binary tasks ``boolean_value`` (or a 0/1 ``integer_value``); lab tasks
``integer_value`` 0–3; ``chexpert`` ``integer_value`` = the 14 findings as bits, ``No Finding``
the most significant, as EHRSHOT encodes them (``labelers/ehrshot.py:835-837``).

EHRSHOT's MEDS release (``metadata/dataset.json`` says MEDS 0.3.3; one ``data/data.parquet``;
no ``visit_id`` or ``end``) reads like any other: its visits have no end, so admission-based
labels cannot be re-derived from it (use its shipped labels), and timelines show visit events as
ordinary lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ehrmind_rewards.tasks.ehrshot.benchmark import TaskKind, get_task
from ehrmind_rewards.tasks.ehrshot.events import STATIC_TIME, Patient, make_patient
from ehrmind_rewards.tasks.ehrshot.io.arrow import check_type, column, parquet_file
from ehrmind_rewards.tasks.ehrshot.io.common import EHRSHOTFormatError, check_columns, label_value
from ehrmind_rewards.tasks.ehrshot.io.meds_schema import check_schema, declared_version
from ehrmind_rewards.tasks.ehrshot.labelers import Label

ID_COLUMNS = ("subject_id", "patient_id")
"""The subject id column: MEDS ≥ 0.3.3, and MEDS 0.3.0–0.3.2."""
OPTIONAL = {
    "numeric_value": "float",
    "text_value": "str",
    "unit": "str",
    "omop_table": "str",
    "visit_id": "int",
    "end": "time",
}
SPLIT_FILES = ("subject_splits.parquet", "patient_splits.parquet")
LABEL_DIRECTORIES = ("labels",)


def id_column(names: list[str], path: Path) -> str:
    """The id column a file uses, or an error naming the file."""
    for name in ID_COLUMNS:
        if name in names:
            return name
    raise EHRSHOTFormatError(f"{path}: missing column subject_id (or MEDS 0.3.0's patient_id)")


def data_files(root: str | Path) -> list[Path]:
    """The event shards, ``data/**/*.parquet`` in sorted path order."""
    folder = Path(root, "data")
    return sorted(folder.rglob("*.parquet"), key=lambda p: p.relative_to(folder).parts)


def is_meds(root: str | Path) -> bool:
    """Whether ``root`` holds MEDS event shards."""
    return Path(root, "data").is_dir() and bool(data_files(root))


def iter_meds_patients(
    root: str | Path, batch_size: int = 65_536, warnings: list[str] | None = None
) -> Iterator[Patient]:
    """Stream the patients of a MEDS directory, one at a time, shard by shard.

    Schema warnings (see :mod:`.meds_schema`) are appended to ``warnings`` when given.
    """
    files = data_files(root)
    if not files:
        raise EHRSHOTFormatError(f"{Path(root, 'data')}: no *.parquet files")
    declared = declared_version(root)
    seen: set[int] = set()
    for path in files:
        yield from _iter_shard(path, batch_size, seen, declared, warnings)


def _iter_shard(
    path: Path, batch_size: int, seen: set[int], declared: str | None, warnings: list[str] | None
) -> Iterator[Patient]:
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    parquet = parquet_file(path)
    schema = parquet.schema_arrow
    names = schema.names
    subject = id_column(names, path)
    check_columns(path, names, ("time", "code"))
    present = [c for c in OPTIONAL if c in names]
    kinds = {subject: "id", "time": "time", "code": "str", **{c: OPTIONAL[c] for c in present}}
    for name, kind in kinds.items():
        check_type(path, name, schema.field(name).type, kind)
    found = check_schema(path, schema, "data", declared)
    if warnings is not None:
        warnings.extend(found)
    pending: list[dict[str, NDArray[Any]]] = []
    pending_id: int | None = None
    row = 0
    for batch in parquet.iter_batches(
        batch_size=batch_size, columns=[subject, "time", "code", *present]
    ):
        code_nulls = batch.column("code").null_count
        if code_nulls:
            at = row + int(pc.index(pc.is_null(batch.column("code")), True).as_py())
            raise EHRSHOTFormatError(f"{path}: row {at}: column code is null")
        columns = {
            "subject_id": column(batch, subject, path, row, "id"),
            "time": column(batch, "time", path, row, "time"),
            "code": column(batch, "code", path, row, "str"),
            **{c: column(batch, c, path, row, OPTIONAL[c]) for c in present},
        }
        ids = columns["subject_id"]
        cuts = np.flatnonzero(ids[1:] != ids[:-1]) + 1
        for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, ids.size], strict=True):
            sid = int(ids[lo])
            part = {name: values[lo:hi] for name, values in columns.items()}
            if sid == pending_id:
                pending.append(part)
                continue
            if pending_id is not None:
                yield _meds_patient(pending_id, pending)
            if sid in seen:
                raise EHRSHOTFormatError(
                    f"{path}: row {row + int(lo)}: subject_id {sid} appears again after "
                    "other subjects (events of a subject must be contiguous, in one shard)"
                )
            seen.add(sid)
            pending, pending_id = [part], sid
        row += batch.num_rows
    if pending_id is not None:
        yield _meds_patient(pending_id, pending)


def _meds_patient(subject: int, parts: list[dict[str, NDArray[Any]]]) -> Patient:
    def joined(name: str) -> NDArray[Any] | None:
        if name not in parts[0]:
            return None
        return np.concatenate([part[name] for part in parts])

    return make_patient(
        subject,
        time=joined("time"),  # type: ignore[arg-type]
        code=joined("code"),  # type: ignore[arg-type]
        numeric_value=joined("numeric_value"),
        text_value=joined("text_value"),  # type: ignore[arg-type]
        unit=joined("unit"),  # type: ignore[arg-type]
        omop_table=joined("omop_table"),  # type: ignore[arg-type]
        visit_id=joined("visit_id"),
        end=joined("end"),
    )


def read_meds_codes(root: str | Path, warnings: list[str] | None = None) -> dict[str, str]:
    """``metadata/codes.parquet`` as code → description (no file or no descriptions: empty)."""
    path = Path(root, "metadata", "codes.parquet")
    if not path.exists():
        return {}
    parquet = parquet_file(path)
    names = parquet.schema_arrow.names
    check_columns(path, names, ("code",))
    found = check_schema(path, parquet.schema_arrow, "codes", declared_version(root))
    if warnings is not None:
        warnings.extend(found)
    if "description" not in names:
        return {}
    table = parquet.read(columns=["code", "description"])
    codes = table.column("code").to_pylist()
    descriptions = table.column("description").to_pylist()
    return {c: d for c, d in zip(codes, descriptions, strict=True) if c is not None and d}


def read_meds_splits(root: str | Path, warnings: list[str] | None = None) -> dict[int, str]:
    """``metadata/subject_splits.parquet`` (or 0.3.0's ``patient_splits.parquet``) as subject_id
    → split; any split names; no file: an empty mapping."""
    for name in SPLIT_FILES:
        path = Path(root, "metadata", name)
        if path.exists():
            break
    else:
        return {}
    parquet = parquet_file(path)
    subject = id_column(parquet.schema_arrow.names, path)
    check_columns(path, parquet.schema_arrow.names, ("split",))
    check_type(path, subject, parquet.schema_arrow.field(subject).type, "id")
    check_type(path, "split", parquet.schema_arrow.field("split").type, "str")
    found = check_schema(path, parquet.schema_arrow, "split", declared_version(root))
    if warnings is not None:
        warnings.extend(found)
    table = parquet.read(columns=[subject, "split"])
    out: dict[int, str] = {}
    ids, splits = table.column(subject).to_pylist(), table.column("split").to_pylist()
    for row, (sid, split) in enumerate(zip(ids, splits, strict=True)):
        if sid is None or not isinstance(sid, int) or not isinstance(split, str) or not split:
            raise EHRSHOTFormatError(f"{path}: row {row}: subject {sid!r} has split {split!r}")
        out[int(sid)] = split
    return out


def label_files(root: str | Path, task: str) -> list[Path]:
    """The parquet files holding ``task``'s labels: ``labels/<task>/**/*.parquet`` (sorted) or
    ``labels/<task>.parquet``; empty when there are none."""
    for directory in LABEL_DIRECTORIES:
        folder = Path(root, directory, task)
        if folder.is_dir():
            found = sorted(folder.rglob("*.parquet"), key=lambda p: p.relative_to(folder).parts)
            if found:
                return found
        single = Path(root, directory, f"{task}.parquet")
        if single.is_file():
            return [single]
    return []


def read_meds_labels(root: str | Path, task: str, warnings: list[str] | None = None) -> list[Label]:
    """Every label file of ``task`` (:func:`label_files`) as :class:`Label` values, in order."""
    spec = get_task(task)
    files = label_files(root, task)
    if not files:
        raise EHRSHOTFormatError(f"{Path(root, 'labels', task)}: no label parquet files")
    declared = declared_version(root)
    labels: list[Label] = []
    for path in files:
        labels.extend(_read_label_file(path, spec.name, spec.kind, declared, warnings))
    return labels


def _read_label_file(
    path: Path, task: str, kind: TaskKind, declared: str | None, warnings: list[str] | None
) -> list[Label]:
    parquet = parquet_file(path)
    names = parquet.schema_arrow.names
    subject = id_column(names, path)
    value_column = "integer_value"
    if kind is TaskKind.BINARY and "boolean_value" in names:
        value_column = "boolean_value"
    check_columns(path, names, ("prediction_time", value_column))
    found = check_schema(path, parquet.schema_arrow, "label", declared)
    if warnings is not None:
        warnings.extend(found)
    table = parquet.read(columns=[subject, "prediction_time", value_column])
    if table.num_rows == 0:
        return []
    (data,) = table.combine_chunks().to_batches()
    subjects = column(data, subject, path, 0, "id")
    times = column(data, "prediction_time", path, 0, "time")
    values = data.column(value_column).to_pylist()
    labels = []
    for row, (sid, time, value) in enumerate(zip(subjects, times, values, strict=True)):
        where = f"{path}: row {row}: column"
        if time == STATIC_TIME:
            raise EHRSHOTFormatError(f"{where} prediction_time is null")
        if kind is TaskKind.BINARY and value_column == "integer_value" and value in (0, 1):
            value = bool(value)
        labels.append(Label(int(sid), int(time), label_value(task, value, where, value_column)))
    return labels
