"""EHRSHOT in the older FEMR-CSV form: a streaming reader and the synthetic generator's writer.

Layout (``root/``): ``events.csv`` (``patient_id,start,code,value`` + optional
``end,unit,visit_id,omop_table``; ``value`` holds a number or a text), optional ``codes.csv``
(``code,description``) and ``splits.csv`` (``patient_id,split``), and
``labels/<task>/labeled_patients.csv`` (``patient_id,prediction_time,label_type,value`` with
``label_type`` ∈ {boolean, numeric, categorical}).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

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
    from_us,
    make_patient,
    to_us,
)
from ehrmind_rewards.tasks.ehrshot.io.common import (
    EHRSHOTFormatError,
    check_columns,
    label_value,
)
from ehrmind_rewards.tasks.ehrshot.labelers import Label

FEMR_REQUIRED = ("patient_id", "start", "code", "value")
FEMR_OPTIONAL = ("end", "unit", "visit_id", "omop_table")
FEMR_EVENTS, FEMR_LABELS = "events.csv", "labeled_patients.csv"

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
        check_columns(path, header, required)
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
    return read_labeled_patients(Path(root, "labels", task, FEMR_LABELS), task)


def read_labeled_patients(path: Path, task: str) -> list[Label]:
    """A FEMR ``labeled_patients.csv`` (``patient_id, prediction_time, label_type, value`` in any
    column order, as EHRSHOT's ``2_generate_labels.py:94-103`` writes it) as :class:`Label`
    values. Booleans are ``True``/``False`` (any case, or 1/0); categorical values integers."""
    spec = get_task(task)
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
        labels.append(Label(patient, at, label_value(task, parsed, where, "value")))
    return labels


def read_femr_codes(root: str | Path) -> dict[str, str]:
    """Optional ``codes.csv`` (code, description)."""
    path = Path(root, "codes.csv")
    if not path.exists():
        return {}
    return {row["code"]: row["description"] for _, row in _csv_rows(path, ("code", "description"))}


def read_femr_splits(root: str | Path) -> dict[int, str]:
    """Optional ``splits.csv`` (patient_id, split); any split names."""
    path = Path(root, "splits.csv")
    if not path.exists():
        return {}
    return read_split_csv(path, "patient_id")


def read_split_csv(path: Path, id_column: str) -> dict[int, str]:
    """A CSV of (``id_column``, ``split``) as id → split (any split names, none empty)."""
    out: dict[int, str] = {}
    for line, row in _csv_rows(path, (id_column, "split")):
        if not row["split"].strip():
            raise EHRSHOTFormatError(f"{path}: line {line}: column split is empty")
        out[_parse_int(row[id_column], f"{path}: line {line}: column {id_column}")] = row[
            "split"
        ].strip()
    return out


def _iso(us: int) -> str:
    return "" if us == STATIC_TIME else from_us(us).isoformat(sep=" ")


class FemrWriter:
    """Write patients as FEMR-CSV ``events.csv``, then codes, splits and labels."""

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
        from ehrmind_rewards.tasks.ehrshot.vocabulary import all_code_descriptions

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
