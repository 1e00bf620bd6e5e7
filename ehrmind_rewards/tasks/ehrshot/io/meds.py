"""EHRSHOT in MEDS form: a streaming reader and the writer the synthetic generator uses.

Layout (``root/``)::

    data/*.parquet                  subject_id int64, time timestamp, code string,
                                    numeric_value float (+ text_value, unit, omop_table,
                                    visit_id, end — optional)
    metadata/codes.parquet          code, description
    metadata/subject_splits.parquet subject_id, split ∈ {train, tuning, held_out}
    labels/<task>/labels.parquet    subject_id, prediction_time, boolean_value,
                                    integer_value, float_value, categorical_value

Label encoding: binary tasks ``boolean_value``; lab tasks ``integer_value`` 0–3; ``chexpert``
``integer_value`` = the 14 findings as bits, first finding (``No Finding``) most significant.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ehrmind_rewards.tasks.ehrshot.benchmark import (
    TASKS,
    TaskKind,
    bits_to_int,
    get_task,
)
from ehrmind_rewards.tasks.ehrshot.events import (
    NO_VISIT,
    STATIC_TIME,
    Patient,
    make_patient,
)
from ehrmind_rewards.tasks.ehrshot.io.common import (
    SPLITS,
    EHRSHOTFormatError,
    check_columns,
    label_value,
    require_pyarrow,
)
from ehrmind_rewards.tasks.ehrshot.labelers import Label

MEDS_REQUIRED = ("subject_id", "time", "code", "numeric_value")
MEDS_OPTIONAL = ("text_value", "unit", "omop_table", "visit_id", "end")

# --- MEDS reading -------------------------------------------------------------------------------


def _parquet_file(path: Path) -> Any:
    pa = require_pyarrow()
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    try:
        return pq.ParquetFile(path)
    except (OSError, pa.ArrowInvalid) as error:
        raise EHRSHOTFormatError(f"{path}: not a readable parquet file ({error})") from None


def _column(batch: Any, name: str, path: Path, first_row: int, kind: str) -> NDArray[Any]:
    """One batch column as numpy (kind: id, time, float, int, str), type-checked."""
    pa = require_pyarrow()
    import pyarrow.compute as pc  # type: ignore[import-untyped]
    import pyarrow.types as pt  # type: ignore[import-untyped]

    array = batch.column(name)
    ok = {
        "id": pt.is_integer,
        "int": pt.is_integer,
        "time": lambda t: pt.is_timestamp(t) or pt.is_date(t),
        "float": lambda t: pt.is_floating(t) or pt.is_integer(t) or pt.is_null(t),
        "str": lambda t: (
            pt.is_string(t)
            or pt.is_large_string(t)
            or pt.is_null(t)
            or (pt.is_dictionary(t) and pt.is_string(t.value_type))
        ),
    }[kind]
    if not ok(array.type):
        raise EHRSHOTFormatError(f"{path}: column {name} has type {array.type}, expected {kind}")
    if kind == "id":
        if array.null_count:
            row = first_row + int(pc.index(pc.is_null(array), True).as_py())
            raise EHRSHOTFormatError(f"{path}: row {row}: column {name} is null")
        return np.asarray(array.to_numpy(zero_copy_only=False).astype(np.int64))
    if kind in ("time",):
        # sub-microsecond parts (nanosecond timestamps) are truncated: times are kept in µs
        micro = pc.cast(pc.cast(array, pa.timestamp("us"), safe=False), pa.int64())
        return np.asarray(pc.fill_null(micro, STATIC_TIME).to_numpy(zero_copy_only=False))
    if kind == "int":
        return np.asarray(
            pc.fill_null(pc.cast(array, pa.int64()), NO_VISIT).to_numpy(zero_copy_only=False)
        )
    if kind == "float":
        if pt.is_float32(array.type):
            # MEDS stores float32: recover the decimal as written (shortest float32 repr), so
            # that 5.6 mmol/L is 5.6 and not 5.599999904632568 at a threshold comparison
            single = pc.fill_null(array, np.nan).to_numpy(zero_copy_only=False)
            return np.asarray(single.astype(str).astype(np.float64))
        values = pc.cast(array, pa.float64()).to_numpy(zero_copy_only=False)
        return np.asarray(values, dtype=np.float64)
    if pt.is_dictionary(array.type):
        array = pc.cast(array, pa.string())
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=object)


def iter_meds_patients(root: str | Path, batch_size: int = 65_536) -> Iterator[Patient]:
    """Stream the patients of a MEDS directory, one at a time, shard by shard.

    Reads ``data/*.parquet`` (sorted names) in batches of ``batch_size`` rows. Events of a
    subject must be contiguous and in one shard; ``code`` and ``subject_id`` may not be null.
    """
    files = sorted(Path(root, "data").glob("*.parquet"))
    if not files:
        raise EHRSHOTFormatError(f"{Path(root, 'data')}: no *.parquet files")
    seen: set[int] = set()
    for path in files:
        yield from _iter_shard(path, batch_size, seen)


def _iter_shard(path: Path, batch_size: int, seen: set[int]) -> Iterator[Patient]:
    import pyarrow.compute as pc

    parquet = _parquet_file(path)
    names = parquet.schema_arrow.names
    check_columns(path, names, MEDS_REQUIRED)
    present = [c for c in MEDS_OPTIONAL if c in names]
    kinds = {"text_value": "str", "unit": "str", "omop_table": "str", "visit_id": "int",
             "end": "time"}  # fmt: skip
    pending: list[dict[str, NDArray[Any]]] = []
    pending_id: int | None = None
    row = 0
    for batch in parquet.iter_batches(batch_size=batch_size, columns=[*MEDS_REQUIRED, *present]):
        code_nulls = batch.column("code").null_count
        if code_nulls:
            at = row + int(pc.index(pc.is_null(batch.column("code")), True).as_py())
            raise EHRSHOTFormatError(f"{path}: row {at}: column code is null")
        columns = {
            "subject_id": _column(batch, "subject_id", path, row, "id"),
            "time": _column(batch, "time", path, row, "time"),
            "code": _column(batch, "code", path, row, "str"),
            "numeric_value": _column(batch, "numeric_value", path, row, "float"),
            **{c: _column(batch, c, path, row, kinds[c]) for c in present},
        }
        ids = columns["subject_id"]
        cuts = np.flatnonzero(ids[1:] != ids[:-1]) + 1
        for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, ids.size], strict=True):
            subject = int(ids[lo])
            part = {name: values[lo:hi] for name, values in columns.items()}
            if subject == pending_id:
                pending.append(part)
                continue
            if pending_id is not None:
                yield _meds_patient(pending_id, pending)
            if subject in seen:
                raise EHRSHOTFormatError(
                    f"{path}: row {row + int(lo)}: subject_id {subject} appears again after "
                    "other subjects (events of a subject must be contiguous, in one shard)"
                )
            seen.add(subject)
            pending, pending_id = [part], subject
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


def read_meds_codes(root: str | Path) -> dict[str, str]:
    """``metadata/codes.parquet`` as code → description (missing file: empty mapping)."""
    path = Path(root, "metadata", "codes.parquet")
    if not path.exists():
        return {}
    table = _parquet_file(path).read()
    check_columns(path, table.column_names, ("code", "description"))
    codes = table.column("code").to_pylist()
    descriptions = table.column("description").to_pylist()
    return {c: d for c, d in zip(codes, descriptions, strict=True) if c is not None and d}


def read_meds_splits(root: str | Path) -> dict[int, str]:
    """``metadata/subject_splits.parquet`` as subject_id → split (train / tuning / held_out)."""
    path = Path(root, "metadata", "subject_splits.parquet")
    table = _parquet_file(path).read()
    check_columns(path, table.column_names, ("subject_id", "split"))
    out: dict[int, str] = {}
    for row, (subject, split) in enumerate(
        zip(table.column("subject_id").to_pylist(), table.column("split").to_pylist(), strict=True)
    ):
        if subject is None or split not in SPLITS:
            raise EHRSHOTFormatError(
                f"{path}: row {row}: split {split!r} of subject {subject!r} not in {SPLITS}"
            )
        out[int(subject)] = split
    return out


def read_meds_labels(root: str | Path, task: str) -> list[Label]:
    """``labels/<task>/labels.parquet`` as :class:`Label` values, in file order."""
    spec = get_task(task)
    path = Path(root, "labels", task, "labels.parquet")
    table = _parquet_file(path).read()
    column = "boolean_value" if spec.kind is TaskKind.BINARY else "integer_value"
    check_columns(path, table.column_names, ("subject_id", "prediction_time", column))
    if table.num_rows == 0:
        return []
    (data,) = table.combine_chunks().to_batches()
    subjects = _column(data, "subject_id", path, 0, "id")
    times = _column(data, "prediction_time", path, 0, "time")
    values = data.column(column).to_pylist()
    labels = []
    for row, (subject, time, value) in enumerate(zip(subjects, times, values, strict=True)):
        where = f"{path}: row {row}: column"
        if time == STATIC_TIME:
            raise EHRSHOTFormatError(f"{where} prediction_time is null")
        labels.append(Label(int(subject), int(time), label_value(spec.name, value, where, column)))
    return labels


class MedsWriter:
    """Write patients as MEDS parquet shards, then metadata and labels."""

    def __init__(self, root: Path, per_shard: int, per_row_group: int) -> None:
        require_pyarrow()
        self.root = root
        (root / "data").mkdir(exist_ok=True)
        self.per_shard, self.per_row_group = per_shard, per_row_group
        self.buffer: list[Patient] = []
        self.n_in_shard = 0
        self.shard = 0
        self.writer: Any = None

    def add(self, patient: Patient) -> None:
        self.buffer.append(patient)
        if len(self.buffer) >= min(self.per_row_group, self.per_shard - self.n_in_shard):
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.buffer:
            return
        table = _meds_table(self.buffer)
        if self.writer is None:
            path = self.root / "data" / f"{self.shard}.parquet"
            self.writer = pq.ParquetWriter(path, table.schema)
        self.writer.write_table(table, row_group_size=max(table.num_rows, 1))
        self.n_in_shard += len(self.buffer)
        self.buffer = []
        if self.n_in_shard >= self.per_shard:
            self.writer.close()
            self.writer, self.n_in_shard, self.shard = None, 0, self.shard + 1
        del pa

    def close(self) -> None:
        self._flush()
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def write_metadata(self, splits: dict[int, str]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        from ehrmind_rewards.tasks.ehrshot.vocabulary import all_code_descriptions

        meta = self.root / "metadata"
        meta.mkdir(exist_ok=True)
        codes = all_code_descriptions()
        pq.write_table(
            pa.table({"code": list(codes), "description": list(codes.values())}),
            meta / "codes.parquet",
        )
        pq.write_table(
            pa.table(
                {"subject_id": pa.array(list(splits), pa.int64()), "split": list(splits.values())}
            ),
            meta / "subject_splits.parquet",
        )

    def write_labels(self, task: str, labels: list[Label]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        kind = TASKS[task].kind
        values = [
            bits_to_int(label.value) if isinstance(label.value, tuple) else label.value
            for label in labels
        ]
        n = len(labels)
        table = pa.table(
            {
                "subject_id": pa.array([label.subject_id for label in labels], pa.int64()),
                "prediction_time": pa.array(
                    [label.prediction_time for label in labels], pa.int64()
                ).cast(pa.timestamp("us")),
                "boolean_value": pa.array(
                    [bool(v) for v in values] if kind is TaskKind.BINARY else [None] * n,
                    pa.bool_(),
                ),
                "integer_value": pa.array(
                    values if kind is not TaskKind.BINARY else [None] * n, pa.int64()
                ),
                "float_value": pa.array([None] * n, pa.float64()),
                "categorical_value": pa.array([None] * n, pa.string()),
            }
        )
        folder = self.root / "labels" / task
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, folder / "labels.parquet")


def _meds_table(patients: list[Patient]) -> Any:
    import pyarrow as pa

    def joined(index: int) -> NDArray[Any]:
        return np.concatenate([p.columns()[index] for p in patients])

    time, code, value, text, unit, table, visit, end = (joined(i) for i in range(8))
    ids = np.concatenate([np.full(len(p), p.subject_id, np.int64) for p in patients])
    return pa.table(
        {
            "subject_id": pa.array(ids, pa.int64()),
            "time": pa.array(time, pa.int64(), mask=time == STATIC_TIME).cast(pa.timestamp("us")),
            "code": pa.array(code, pa.string()),
            "numeric_value": pa.array(value, pa.float32(), mask=np.isnan(value)),
            "text_value": pa.array(text, pa.string()),
            "unit": pa.array(unit, pa.string()),
            "omop_table": pa.array(table, pa.string()),
            "visit_id": pa.array(visit, pa.int64(), mask=visit == NO_VISIT),
            "end": pa.array(end, pa.int64(), mask=end == STATIC_TIME).cast(pa.timestamp("us")),
        }
    )
