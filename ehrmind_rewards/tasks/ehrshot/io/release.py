"""The original EHRSHOT release (``EHRSHOT_ASSETS``), read as it is shipped.

Layout, after EHRSHOT's README and scripts (``1_create_femr_database.py``,
``2_generate_labels.py``, ``scripts/convert_to_meds.py``)::

    data/ehrshot.csv                     FEMR "simple" CSV: patient_id, start, end, code,
                                         value, unit, visit_id, omop_table (an unnamed leading
                                         index column is ignored); value is a number or text
    benchmark/<task>/labeled_patients.csv  patient_id, prediction_time, value, label_type
    splits/person_id_map.csv             split (train / val / test), omop_person_id

The layout is detected by ``data/ehrshot.csv`` (or ``benchmark/`` with the split map), never
by guesswork about ``data/``. Split names are kept as shipped (``val``, ``test``); the row
builder maps MEDS's ``tuning``/``held_out`` onto them (:data:`~.common.SPLIT_ALIASES`).

The CSV is read with pyarrow in blocks. A first pass reads ``patient_id`` alone to check that each
patient's rows are contiguous (FEMR's ETL does not need that, so a file may interleave patients);
if they are not, rows are spread over temporary Arrow files by patient (about a million rows
each) and each file is grouped in memory, so memory stays bounded either way.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ehrmind_rewards.tasks.ehrshot.benchmark import TASKS
from ehrmind_rewards.tasks.ehrshot.events import NO_VISIT, STATIC_TIME, Patient, make_patient
from ehrmind_rewards.tasks.ehrshot.io.common import EHRSHOTFormatError, require_pyarrow
from ehrmind_rewards.tasks.ehrshot.io.femr import read_labeled_patients, read_split_csv
from ehrmind_rewards.tasks.ehrshot.labelers import Label

EVENTS = Path("data", "ehrshot.csv")
SPLIT_MAP = Path("splits", "person_id_map.csv")
BENCHMARK = "benchmark"
LABEL_FILE = "labeled_patients.csv"
REQUIRED = ("patient_id", "start", "code")
OPTIONAL = ("end", "value", "unit", "visit_id", "omop_table")
ROWS_PER_BUCKET = 1_000_000
_NUMBER = r"^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$"


def is_release(root: str | Path) -> bool:
    """Whether ``root`` is laid out as the original EHRSHOT release."""
    path = Path(root)
    return (path / EVENTS).is_file() or (
        (path / BENCHMARK).is_dir() and (path / SPLIT_MAP).is_file()
    )


def _header(path: Path) -> list[str]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            names = next(csv.reader(handle), [])
    except OSError as error:
        raise EHRSHOTFormatError(f"{path}: cannot read ({error.strerror})") from None
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise EHRSHOTFormatError(f"{path}: missing column(s) {', '.join(missing)}")
    return names


def _batches(path: Path, columns: list[str]) -> Iterator[Any]:
    pa = require_pyarrow()
    from pyarrow import csv as pacsv  # type: ignore[import-untyped]

    names = _header(path)
    unique = [name if name else f"_unnamed_{i}" for i, name in enumerate(names)]
    wanted = [c for c in columns if c in names]
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(column_names=unique, skip_rows=1, block_size=1 << 23),
        convert_options=pacsv.ConvertOptions(
            include_columns=wanted,
            column_types={c: pa.string() for c in wanted},
            strings_can_be_null=True,
        ),
    )
    try:
        yield from reader
    except pa.ArrowInvalid as error:
        raise EHRSHOTFormatError(f"{path}: unreadable CSV ({error})") from None


def _locate(values: list[Any], convert: Any) -> int:
    for i, value in enumerate(values):
        try:
            convert(value)
        except (TypeError, ValueError):
            return i
    return 0  # pragma: no cover - called only when some value fails


def _cast(array: Any, kind: str, path: Path, first_row: int, name: str) -> NDArray[Any]:
    """A string column as µs times (``time``), integers (``int``) or floats (``float``)."""
    pa = require_pyarrow()
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    target = {"time": pa.timestamp("us"), "int": pa.int64(), "float": pa.float64()}[kind]
    try:
        if kind == "int":  # visit ids are written as floats ("31251999.0")
            cast = pc.cast(pc.cast(array, pa.float64()), pa.int64())
        else:
            cast = pc.cast(array, target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        from datetime import datetime

        convert = {"time": datetime.fromisoformat, "int": float, "float": float}[kind]
        row = first_row + _locate([v for v in array.to_pylist() if v is not None], convert)
        expected = "a date-time" if kind == "time" else "a number"
        raise EHRSHOTFormatError(
            f"{path}: line {row + 2}: column {name} is not {expected}"
        ) from None
    if kind == "time":
        cast = pc.cast(cast, pa.int64())
        return np.asarray(pc.fill_null(cast, STATIC_TIME).to_numpy(zero_copy_only=False))
    if kind == "int":
        return np.asarray(pc.fill_null(cast, NO_VISIT).to_numpy(zero_copy_only=False))
    return np.asarray(cast.to_numpy(zero_copy_only=False), dtype=np.float64)


def _parse(batch: Any, path: Path, first_row: int) -> dict[str, NDArray[Any]]:
    """One CSV batch as the :class:`Patient` columns (plus ``patient_id``)."""
    pa = require_pyarrow()
    import pyarrow.compute as pc

    def text(name: str) -> NDArray[Any]:
        if name not in batch.schema.names:
            return np.full(batch.num_rows, None, dtype=object)
        return np.asarray(batch.column(name).to_numpy(zero_copy_only=False), dtype=object)

    for name in REQUIRED:
        nulls = batch.column(name).null_count
        if nulls:
            row = first_row + int(pc.index(pc.is_null(batch.column(name)), True).as_py())
            raise EHRSHOTFormatError(f"{path}: line {row + 2}: column {name} is empty")
    out = {
        "patient_id": _cast(batch.column("patient_id"), "int", path, first_row, "patient_id"),
        "time": _cast(batch.column("start"), "time", path, first_row, "start"),
        "code": text("code"),
        "unit": text("unit"),
        "omop_table": text("omop_table"),
    }
    n = batch.num_rows
    names = batch.schema.names
    out["end"] = (
        _cast(batch.column("end"), "time", path, first_row, "end")
        if "end" in names
        else np.full(n, STATIC_TIME, np.int64)
    )
    out["visit_id"] = (
        _cast(batch.column("visit_id"), "int", path, first_row, "visit_id")
        if "visit_id" in names
        else np.full(n, NO_VISIT, np.int64)
    )
    if "value" in names:
        value = batch.column("value")
        numeric = pc.fill_null(pc.match_substring_regex(value, _NUMBER), False)
        numbers = pc.cast(pc.if_else(numeric, value, pa.scalar(None, pa.string())), pa.float64())
        out["numeric_value"] = np.asarray(
            pc.fill_null(numbers, np.nan).to_numpy(zero_copy_only=False), dtype=np.float64
        )
        texts = pc.if_else(numeric, pa.scalar(None, pa.string()), value)
        out["text_value"] = np.asarray(texts.to_numpy(zero_copy_only=False), dtype=object)
    else:
        out["numeric_value"] = np.full(n, np.nan)
        out["text_value"] = np.full(n, None, dtype=object)
    return out


_COLUMNS = ("time", "code", "numeric_value", "text_value", "unit", "omop_table", "visit_id", "end")


def _patient(sid: int, parts: list[dict[str, NDArray[Any]]]) -> Patient:
    joined = {name: np.concatenate([p[name] for p in parts]) for name in _COLUMNS}
    return make_patient(
        sid,
        joined["time"],
        list(joined["code"]),
        joined["numeric_value"],
        list(joined["text_value"]),
        list(joined["unit"]),
        list(joined["omop_table"]),
        joined["visit_id"],
        joined["end"],
    )


def _contiguous(path: Path) -> tuple[bool, int]:
    """Whether each patient's rows are contiguous, and the number of rows (``patient_id`` only)."""
    seen: set[int] = set()
    previous: int | None = None
    rows = 0
    for batch in _batches(path, ["patient_id"]):
        ids = _cast(batch.column("patient_id"), "int", path, rows, "patient_id")
        rows += batch.num_rows
        if not ids.size:
            continue
        starts = np.r_[0, np.flatnonzero(ids[1:] != ids[:-1]) + 1]
        runs = ids[starts].tolist()
        if previous is not None and runs[0] == previous:
            runs = runs[1:]
        for sid in runs:
            if sid in seen:
                return False, rows
            seen.add(sid)
        previous = int(ids[-1])
    return True, rows


def iter_release_patients(root: str | Path) -> Iterator[Patient]:
    """Stream the patients of ``data/ehrshot.csv`` (see the module docstring)."""
    path = Path(root, EVENTS)
    if not path.is_file():
        raise EHRSHOTFormatError(f"{path}: the release's event file is missing")
    contiguous, rows = _contiguous(path)
    if contiguous:
        yield from _stream(path)
    else:
        yield from _bucketed(path, max(1, rows // ROWS_PER_BUCKET + 1))


def _stream(path: Path) -> Iterator[Patient]:
    pending: list[dict[str, NDArray[Any]]] = []
    pending_id: int | None = None
    row = 0
    for batch in _batches(path, [*REQUIRED, *OPTIONAL]):
        columns = _parse(batch, path, row)
        row += batch.num_rows
        ids = columns["patient_id"]
        cuts = np.flatnonzero(ids[1:] != ids[:-1]) + 1
        for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, ids.size], strict=True):
            sid = int(ids[lo])
            part = {name: values[lo:hi] for name, values in columns.items()}
            if sid != pending_id and pending_id is not None:
                yield _patient(pending_id, pending)
                pending = []
            pending.append(part)
            pending_id = sid
    if pending_id is not None:
        yield _patient(pending_id, pending)


def _bucketed(path: Path, n_buckets: int) -> Iterator[Patient]:
    pa = require_pyarrow()

    with tempfile.TemporaryDirectory(prefix="ehrshot-release-") as scratch:
        files = [Path(scratch, f"{b}.arrow") for b in range(n_buckets)]
        writers: list[Any] = [None] * n_buckets
        row = 0
        try:
            for batch in _batches(path, [*REQUIRED, *OPTIONAL]):
                columns = _parse(batch, path, row)
                row += batch.num_rows
                bucket = columns["patient_id"] % n_buckets
                for b in np.unique(bucket).tolist():
                    keep = bucket == b
                    table = pa.table(
                        {name: pa.array(values[keep]) for name, values in columns.items()}
                    )
                    if writers[b] is None:
                        writers[b] = pa.ipc.new_file(str(files[b]), table.schema)
                    writers[b].write_table(table)
        finally:
            for writer in writers:
                if writer is not None:
                    writer.close()
        for b, file in enumerate(files):
            if writers[b] is None:
                continue
            table = pa.ipc.open_file(str(file)).read_all()
            columns = {name: _numpy(table.column(name)) for name in table.column_names}
            order = np.lexsort((columns["time"], columns["patient_id"]))
            columns = {name: values[order] for name, values in columns.items()}
            ids = columns["patient_id"]
            cuts = np.flatnonzero(ids[1:] != ids[:-1]) + 1
            for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, ids.size], strict=True):
                part = {name: values[lo:hi] for name, values in columns.items()}
                yield _patient(int(ids[lo]), [part])


def _numpy(chunked: Any) -> NDArray[Any]:
    import pyarrow.types as pt  # type: ignore[import-untyped]

    array = chunked.combine_chunks()
    if pt.is_string(array.type) or pt.is_null(array.type):
        return np.asarray(array.to_numpy(zero_copy_only=False), dtype=object)
    return np.asarray(array.to_numpy(zero_copy_only=False))


def release_label_path(root: str | Path, task: str) -> Path:
    """``benchmark/<task>/labeled_patients.csv``."""
    return Path(root, BENCHMARK, task, LABEL_FILE)


def read_release_labels(root: str | Path, task: str) -> list[Label]:
    """A task's ``labeled_patients.csv``, as EHRSHOT's ``2_generate_labels.py`` writes it."""
    path = release_label_path(root, task)
    if not path.is_file():
        raise EHRSHOTFormatError(f"{path}: no labels for {task}")
    return read_labeled_patients(path, task)


def read_release_splits(root: str | Path) -> dict[int, str]:
    """``splits/person_id_map.csv`` (``omop_person_id`` → ``train``/``val``/``test``); none: {}."""
    path = Path(root, SPLIT_MAP)
    if not path.is_file():
        return {}
    return read_split_csv(path, "omop_person_id")


def release_tasks(root: str | Path) -> list[str]:
    """The tasks with a label file, in registry order."""
    return [task for task in TASKS if release_label_path(root, task).is_file()]
