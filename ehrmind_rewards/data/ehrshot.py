"""EHRSHOT in MEDS and FEMR-CSV form: streaming readers, writers and the synthetic generator.

Bring your own EHRSHOT copy (credentialed: a signed data-use agreement); this project ships none.
:func:`synthesize` writes a SYNTHETIC dataset in the same layout for tests and benchmarks.

MEDS layout (``root/``)::

    data/*.parquet                  subject_id int64, time timestamp, code string,
                                    numeric_value float (+ text_value, unit, omop_table,
                                    visit_id, end — optional)
    metadata/codes.parquet          code, description
    metadata/subject_splits.parquet subject_id, split ∈ {train, tuning, held_out}
    labels/<task>/labels.parquet    subject_id, prediction_time, boolean_value,
                                    integer_value, float_value, categorical_value

FEMR-CSV layout (``root/``): ``events.csv`` (``patient_id,start,code,value`` + optional
``end,unit,visit_id,omop_table``; ``value`` holds a number or a text), optional ``codes.csv``
(``code,description``) and ``splits.csv`` (``patient_id,split``), and
``labels/<task>/labeled_patients.csv`` (``patient_id,prediction_time,label_type,value`` with
``label_type`` ∈ {boolean, numeric, categorical}).

Events stream one patient at a time (parquet batches, CSV lines): memory grows with the largest
patient, not with the dataset. Each patient's events must be contiguous in its file (MEDS and
FEMR exports are sorted by subject); anything else, and any malformed value, raises
:class:`EHRSHOTFormatError` naming the file, the row or line, and the column.

Label encoding: binary tasks ``boolean_value``; lab tasks ``integer_value`` 0–3; ``chexpert``
``integer_value`` = the 14 findings as bits, first finding (``No Finding``) most significant.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ehrmind_rewards.ehrshot.events import (
    NO_VISIT,
    STATIC_TIME,
    Patient,
    from_us,
    make_patient,
    to_us,
)
from ehrmind_rewards.ehrshot.labelers import Label, label_all
from ehrmind_rewards.ehrshot.tasks import TASKS, TaskKind, get_task

SPLITS = ("train", "tuning", "held_out")
MEDS_REQUIRED = ("subject_id", "time", "code", "numeric_value")
MEDS_OPTIONAL = ("text_value", "unit", "omop_table", "visit_id", "end")
FEMR_REQUIRED = ("patient_id", "start", "code", "value")
FEMR_OPTIONAL = ("end", "unit", "visit_id", "omop_table")
FEMR_EVENTS, FEMR_LABELS = "events.csv", "labeled_patients.csv"
SYNTHETIC_MARKER = "SYNTHETIC.md"


class EHRSHOTFormatError(ValueError):
    """A file does not follow the MEDS / FEMR-CSV layout; the message names file, row, column."""


def _require_pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            "reading EHRSHOT MEDS data needs pyarrow: pip install 'ehrmind-rewards[ehrshot]'"
        ) from error
    return pyarrow


# --- labels ---------------------------------------------------------------------------------------


def bits_to_int(bits: Sequence[int]) -> int:
    """14 CheXpert bits → integer, first finding most significant."""
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return value


def int_to_bits(value: int, width: int = 14) -> tuple[int, ...]:
    """Inverse of :func:`bits_to_int`; raises ``ValueError`` if ``value`` needs more bits."""
    if not 0 <= value < 1 << width:
        raise ValueError(f"{value} is not a {width}-bit label")
    return tuple((value >> (width - 1 - i)) & 1 for i in range(width))


# --- MEDS reading -------------------------------------------------------------------------------


def _parquet_file(path: Path) -> Any:
    pa = _require_pyarrow()
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except (OSError, pa.ArrowInvalid) as error:
        raise EHRSHOTFormatError(f"{path}: not a readable parquet file ({error})") from None


def _check_schema(path: Path, names: Sequence[str], required: Sequence[str]) -> None:
    missing = [column for column in required if column not in names]
    if missing:
        raise EHRSHOTFormatError(f"{path}: missing column(s) {', '.join(missing)}")


def _column(batch: Any, name: str, path: Path, first_row: int, kind: str) -> np.ndarray:  # type: ignore[type-arg]
    """One batch column as numpy (kind: id, time, float, int, str), type-checked."""
    pa = _require_pyarrow()
    import pyarrow.compute as pc
    import pyarrow.types as pt

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
        return array.to_numpy(zero_copy_only=False).astype(np.int64)
    if kind in ("time",):
        micro = pc.cast(pc.cast(array, pa.timestamp("us")), pa.int64())
        return pc.fill_null(micro, STATIC_TIME).to_numpy(zero_copy_only=False)
    if kind == "int":
        return pc.fill_null(pc.cast(array, pa.int64()), NO_VISIT).to_numpy(zero_copy_only=False)
    if kind == "float":
        if pt.is_float32(array.type):
            # MEDS stores float32: recover the decimal as written (shortest float32 repr), so
            # that 5.6 mmol/L is 5.6 and not 5.599999904632568 at a threshold comparison
            single = pc.fill_null(array, np.nan).to_numpy(zero_copy_only=False)
            return single.astype(str).astype(np.float64)
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
    _check_schema(path, names, MEDS_REQUIRED)
    present = [c for c in MEDS_OPTIONAL if c in names]
    kinds = {"text_value": "str", "unit": "str", "omop_table": "str", "visit_id": "int",
             "end": "time"}  # fmt: skip
    pending: list[dict[str, np.ndarray]] = []  # type: ignore[type-arg]
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


def _meds_patient(subject: int, parts: list[dict[str, np.ndarray]]) -> Patient:  # type: ignore[type-arg]
    def joined(name: str) -> np.ndarray | None:  # type: ignore[type-arg]
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
    _check_schema(path, table.column_names, ("code", "description"))
    codes = table.column("code").to_pylist()
    descriptions = table.column("description").to_pylist()
    return {c: d for c, d in zip(codes, descriptions, strict=True) if c is not None and d}


def read_meds_splits(root: str | Path) -> dict[int, str]:
    """``metadata/subject_splits.parquet`` as subject_id → split (train / tuning / held_out)."""
    path = Path(root, "metadata", "subject_splits.parquet")
    table = _parquet_file(path).read()
    _check_schema(path, table.column_names, ("subject_id", "split"))
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
    _check_schema(path, table.column_names, ("subject_id", "prediction_time", column))
    batch = table.combine_chunks().to_batches()
    if not batch:
        return []
    (data,) = table.combine_chunks().to_batches(max_chunksize=None)
    subjects = _column(data, "subject_id", path, 0, "id")
    times = _column(data, "prediction_time", path, 0, "time")
    values = data.column(column).to_pylist()
    labels = []
    for row, (subject, time, value) in enumerate(zip(subjects, times, values, strict=True)):
        where = f"{path}: row {row}: column"
        if time == STATIC_TIME:
            raise EHRSHOTFormatError(f"{where} prediction_time is null")
        labels.append(Label(int(subject), int(time), _label_value(spec.name, value, where, column)))
    return labels


def _label_value(task: str, value: object, where: str, column: str) -> int | tuple[int, ...]:
    spec = TASKS[task]
    if value is None:
        raise EHRSHOTFormatError(f"{where} {column} is null")
    if spec.kind is TaskKind.BINARY:
        if not isinstance(value, bool):
            raise EHRSHOTFormatError(f"{where} {column} {value!r} is not a boolean")
        return int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise EHRSHOTFormatError(f"{where} {column} {value!r} is not an integer")
    if spec.kind is TaskKind.MULTILABEL:
        try:
            return int_to_bits(value, spec.n_classes)
        except ValueError as error:
            raise EHRSHOTFormatError(f"{where} {column}: {error}") from None
    if not 0 <= value < spec.n_classes:
        raise EHRSHOTFormatError(f"{where} {column} {value} is not a class 0–{spec.n_classes - 1}")
    return value


# --- FEMR CSV reading ----------------------------------------------------------------------------


def _parse_time(text: str, where: str) -> int:
    try:
        return to_us(datetime.fromisoformat(text.strip()))
    except ValueError:
        raise EHRSHOTFormatError(f"{where}: {text[:40]!r} is not an ISO date-time") from None


def _parse_int(text: str, where: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise EHRSHOTFormatError(f"{where}: {text[:40]!r} is not an integer") from None


def _csv_rows(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of a CSV file whose header holds ``required``."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        _check_schema(path, header, required)
        for row in reader:
            if None in row or any(row[c] is None for c in required):
                raise EHRSHOTFormatError(
                    f"{path}: line {reader.line_num}: expected {len(header)} fields"
                )
            yield reader.line_num, row


def iter_femr_patients(root: str | Path) -> Iterator[Patient]:
    """Stream the patients of a FEMR-CSV export (``events.csv``), one at a time."""
    path = Path(root, FEMR_EVENTS)
    seen: set[int] = set()
    current: int | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for line, row in _csv_rows(path, FEMR_REQUIRED):
        patient = _parse_int(row["patient_id"], f"{path}: line {line}: column patient_id")
        if patient != current:
            if current is not None:
                yield _femr_patient(path, current, rows)
            if patient in seen:
                raise EHRSHOTFormatError(
                    f"{path}: line {line}: patient_id {patient} appears again after other "
                    "patients (events of a patient must be contiguous)"
                )
            seen.add(patient)
            current, rows = patient, []
        rows.append((line, row))
    if current is not None:
        yield _femr_patient(path, current, rows)


def _femr_patient(path: Path, patient: int, rows: list[tuple[int, dict[str, str]]]) -> Patient:
    time, code, value, text, unit, table, visit, end = [], [], [], [], [], [], [], []
    for line, row in rows:
        where = f"{path}: line {line}: column"
        time.append(_parse_time(row["start"], f"{where} start") if row["start"] else STATIC_TIME)
        if not row["code"]:
            raise EHRSHOTFormatError(f"{where} code is empty")
        code.append(row["code"])
        raw = row["value"]
        number = _maybe_float(raw)
        value.append(number)
        text.append(raw or None)  # FEMR's one value column: keep the text as well
        unit.append(row.get("unit") or None)
        table.append(row.get("omop_table") or None)
        visit_text = row.get("visit_id") or ""
        visit.append(_parse_int(visit_text, f"{where} visit_id") if visit_text else NO_VISIT)
        end_text = row.get("end") or ""
        end.append(_parse_time(end_text, f"{where} end") if end_text else STATIC_TIME)
    return make_patient(patient, time, code, value, text, unit, table, visit, end)


def _maybe_float(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        return math.nan
    return number if math.isfinite(number) else math.nan


def read_femr_labels(root: str | Path, task: str) -> list[Label]:
    """``labels/<task>/labeled_patients.csv`` as :class:`Label` values, in file order."""
    spec = get_task(task)
    path = Path(root, "labels", task, FEMR_LABELS)
    expected = "boolean" if spec.kind is TaskKind.BINARY else "categorical"
    labels = []
    for line, row in _csv_rows(path, ("patient_id", "prediction_time", "label_type", "value")):
        where = f"{path}: line {line}: column"
        patient = _parse_int(row["patient_id"], f"{where} patient_id")
        at = _parse_time(row["prediction_time"], f"{where} prediction_time")
        if row["label_type"] != expected:
            raise EHRSHOTFormatError(
                f"{where} label_type {row['label_type']!r}, expected {expected!r} for {task}"
            )
        raw = row["value"].strip()
        parsed: object
        if expected == "boolean":
            lowered = raw.casefold()
            if lowered not in ("true", "false", "1", "0"):
                raise EHRSHOTFormatError(f"{where} value {raw[:20]!r} is not a boolean")
            parsed = lowered in ("true", "1")
        else:
            parsed = _parse_int(raw, f"{where} value")
        labels.append(Label(patient, at, _label_value(task, parsed, where, "value")))
    return labels


def read_femr_codes(root: str | Path) -> dict[str, str]:
    """Optional ``codes.csv`` (code, description)."""
    path = Path(root, "codes.csv")
    if not path.exists():
        return {}
    return {row["code"]: row["description"] for _, row in _csv_rows(path, ("code", "description"))}


def read_femr_splits(root: str | Path) -> dict[int, str]:
    """Optional ``splits.csv`` (patient_id, split)."""
    path = Path(root, "splits.csv")
    if not path.exists():
        return {}
    out: dict[int, str] = {}
    for line, row in _csv_rows(path, ("patient_id", "split")):
        if row["split"] not in SPLITS:
            raise EHRSHOTFormatError(f"{path}: line {line}: column split {row['split']!r}")
        out[_parse_int(row["patient_id"], f"{path}: line {line}: column patient_id")] = row["split"]
    return out


# --- a dataset of either format ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EHRSHOTSource:
    """An EHRSHOT directory in MEDS or FEMR-CSV layout, read lazily."""

    root: Path
    format: Literal["meds", "femr"]

    def patients(self) -> Iterator[Patient]:
        """Stream patients (one in memory at a time)."""
        if self.format == "meds":
            return iter_meds_patients(self.root)
        return iter_femr_patients(self.root)

    def labels(self, task: str) -> list[Label]:
        """All labels of one task."""
        if self.format == "meds":
            return read_meds_labels(self.root, task)
        return read_femr_labels(self.root, task)

    def codes(self) -> dict[str, str]:
        """Code → description (empty when the dataset has none)."""
        return read_meds_codes(self.root) if self.format == "meds" else read_femr_codes(self.root)

    def splits(self) -> dict[int, str]:
        """Subject → split (empty when the dataset has none)."""
        if self.format == "meds":
            return read_meds_splits(self.root)
        return read_femr_splits(self.root)

    def tasks(self) -> list[str]:
        """The tasks with a label file, in registry order."""
        name = "labels.parquet" if self.format == "meds" else FEMR_LABELS
        return [t for t in TASKS if Path(self.root, "labels", t, name).exists()]


def open_ehrshot(root: str | Path) -> EHRSHOTSource:
    """Detect the layout of ``root`` (``data/`` → MEDS, ``events.csv`` → FEMR-CSV)."""
    path = Path(root)
    if (path / "data").is_dir():
        return EHRSHOTSource(path, "meds")
    if (path / FEMR_EVENTS).is_file():
        return EHRSHOTSource(path, "femr")
    raise EHRSHOTFormatError(f"{path}: neither a MEDS directory (data/) nor FEMR CSV (events.csv)")


# --- writing (synthetic data) --------------------------------------------------------------------


def synthesize(
    n_patients: int,
    seed: int,
    out_dir: str | Path,
    format: Literal["meds", "femr"] = "meds",
    *,
    events_per_patient: int | None = None,
    patients_per_shard: int = 1_000,
    patients_per_row_group: int = 100,
) -> Path:
    """Write a SYNTHETIC EHRSHOT-shaped dataset of ``n_patients`` and return its directory.

    Patients are generated, labeled (all 15 tasks, by EHRSHOT's rules) and written in chunks, so
    memory stays flat at any size. Subject ids are 1…n. The directory gets a ``SYNTHETIC.md``
    saying the data is synthetic. ``events_per_patient`` defaults to EHRSHOT's ≈ 6,200.
    """
    from ehrmind_rewards.ehrshot.synthetic import EHRSHOT_EVENTS_PER_PATIENT, generate_patient

    if n_patients < 1:
        raise ValueError("n_patients must be ≥ 1")
    if format not in ("meds", "femr"):
        raise ValueError(f"format must be 'meds' or 'femr', not {format!r}")
    root = Path(out_dir)
    root.mkdir(parents=True, exist_ok=True)
    per_patient = events_per_patient or EHRSHOT_EVENTS_PER_PATIENT
    writer: _MedsWriter | _FemrWriter = (
        _MedsWriter(root, patients_per_shard, patients_per_row_group)
        if format == "meds"
        else _FemrWriter(root)
    )
    labels: dict[str, list[Label]] = {task: [] for task in TASKS}
    splits: dict[int, str] = {}
    split_rng = np.random.default_rng([seed, 0])  # patients use [seed, id ≥ 1]
    for subject in range(1, n_patients + 1):
        patient = generate_patient(subject, seed, per_patient)
        writer.add(patient)
        for task, found in label_all(patient).items():
            labels[task].extend(found)
        splits[subject] = SPLITS[int(split_rng.integers(0, 3))]
    writer.close()
    writer.write_metadata(splits)
    for task, found in labels.items():
        writer.write_labels(task, found)
    (root / SYNTHETIC_MARKER).write_text(
        "# SYNTHETIC DATA\n\nGenerated by ehrmind_rewards.data.ehrshot.synthesize"
        f"(n_patients={n_patients}, seed={seed}, format={format!r}). No real patient records: "
        "events and labels are simulated in EHRSHOT's schema.\n",
        encoding="utf-8",
    )
    return root


class _MedsWriter:
    def __init__(self, root: Path, per_shard: int, per_row_group: int) -> None:
        _require_pyarrow()
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

        from ehrmind_rewards.ehrshot.vocabulary import all_code_descriptions

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

    def joined(index: int) -> np.ndarray:  # type: ignore[type-arg]
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


def _iso(us: int) -> str:
    return "" if us == STATIC_TIME else from_us(us).isoformat(sep=" ")


class _FemrWriter:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.handle = (root / FEMR_EVENTS).open("w", newline="", encoding="utf-8")
        self.writer = csv.writer(self.handle)
        self.writer.writerow([*FEMR_REQUIRED, *FEMR_OPTIONAL])

    def add(self, patient: Patient) -> None:
        for time, code, value, text, unit, table, visit, end in zip(
            *(column.tolist() for column in patient.columns()), strict=True
        ):
            shown = text if text is not None else ("" if math.isnan(value) else repr(value))
            self.writer.writerow(
                [
                    patient.subject_id,
                    _iso(time),
                    code,
                    shown,
                    _iso(end),
                    unit or "",
                    "" if visit == NO_VISIT else visit,
                    table or "",
                ]
            )

    def close(self) -> None:
        self.handle.close()

    def write_metadata(self, splits: dict[int, str]) -> None:
        from ehrmind_rewards.ehrshot.vocabulary import all_code_descriptions

        with (self.root / "codes.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["code", "description"])
            writer.writerows(all_code_descriptions().items())
        with (self.root / "splits.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["patient_id", "split"])
            writer.writerows(splits.items())

    def write_labels(self, task: str, labels: list[Label]) -> None:
        binary = TASKS[task].kind is TaskKind.BINARY
        folder = self.root / "labels" / task
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / FEMR_LABELS).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["patient_id", "prediction_time", "label_type", "value"])
            for label in labels:
                value = label.value
                shown = (
                    str(bool(value))
                    if binary
                    else str(bits_to_int(value) if isinstance(value, tuple) else value)
                )
                writer.writerow(
                    [
                        label.subject_id,
                        _iso(label.prediction_time),
                        "boolean" if binary else "categorical",
                        shown,
                    ]
                )
