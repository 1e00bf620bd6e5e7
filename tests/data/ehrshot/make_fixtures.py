"""Write the EHRSHOT reader fixtures with the official ``meds`` package's schemas. SYNTHETIC DATA.

Three hand-made patients (no real records) in six layouts. Run once per MEDS version, each in
an environment with that version installed (``pip install meds==X pyarrow``):

    python tests/data/ehrshot/make_fixtures.py   # with meds 0.4.1: meds_0.4_flat, meds_0.4_nested
    python tests/data/ehrshot/make_fixtures.py   # with meds 0.3.3: meds_0.3.3_sharded_labels,
                                                 #   ehrshot_meds_release, original_release
    python tests/data/ehrshot/make_fixtures.py   # with meds 0.3.0: meds_0.3.0_patient_id

Every table is built with ``pa.Table.from_pylist(rows, schema=<the package's schema>)`` and,
for MEDS 0.4, checked with the package's ``validate``.
"""

from __future__ import annotations

import csv
import json
import shutil
from datetime import datetime
from importlib import metadata
from pathlib import Path

import meds
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).parent
VERSION = metadata.version("meds")
D = datetime

# (subject, time, code, numeric_value, text_value, unit, omop_table, visit_id, end)
EVENTS = [
    (1, D(1960, 5, 1), "MEDS_BIRTH", None, None, None, "person", None, None),
    (1, D(1960, 5, 1), "Gender/F", None, None, None, "person", None, None),
    (1, D(2012, 1, 1, 8), "Visit/IP", None, None, None, "visit_occurrence", 10, D(2012, 1, 9, 10)),
    (1, D(2012, 1, 2, 9), "ICD10CM/I10", None, None, None, "condition_occurrence", 10, None),
    (1, D(2012, 1, 3, 6), "LOINC/2823-3", 6.2, None, "mmol/L", "measurement", 10, None),
    (1, D(2012, 1, 4, 6), "LOINC/718-7", None, "normal", "g/dL", "measurement", 10, None),
    (1, D(2012, 3, 1, 9), "Visit/OP", None, None, None, "visit_occurrence", 11, D(2012, 3, 1, 10)),
    (2, D(1975, 2, 2), "MEDS_BIRTH", None, None, None, "person", None, None),
    (2, D(2013, 5, 5, 14), "Visit/IP", None, None, None, "visit_occurrence", 20, D(2013, 5, 7, 9)),
    (2, D(2013, 5, 6, 7), "LOINC/2951-2", 128.0, None, "mmol/L", "measurement", 20, None),
    (2, D(2013, 5, 6, 8), "CPT4/71045", None, None, None, "procedure_occurrence", 20, None),
    (3, D(1990, 7, 7), "MEDS_BIRTH", None, None, None, "person", None, None),
    (
        3,
        D(2014, 2, 1, 9),
        "Visit/OP",
        None,
        None,
        None,
        "visit_occurrence",
        30,
        D(2014, 2, 1, 9, 30),
    ),
]
DESCRIPTIONS = {
    "Visit/IP": "Inpatient visit",
    "ICD10CM/I10": "Essential hypertension",
    "LOINC/2823-3": "Potassium",
    "LOINC/2951-2": "Sodium",
}
SPLITS = {1: "train", 2: "tuning", 3: "held_out"}
# task → [(subject, prediction_time, value)]
LABELS = {
    "guo_los": [(1, D(2012, 1, 1, 23, 59), True), (2, D(2013, 5, 5, 23, 59), False)],
    "lab_hyperkalemia": [(1, D(2012, 1, 3, 5, 59), 2)],
    "chexpert": [(2, D(2013, 5, 5, 8), 8192 + 1)],  # No Finding and Support Devices
}
BINARY = {"guo_los"}


def event_rows(id_name: str, extra: tuple[str, ...], numeric: bool = True) -> list[dict]:
    names = ("numeric_value", "text_value", "unit", "omop_table", "visit_id", "end")
    rows = []
    for sid, time, code, *rest in EVENTS:
        row = {id_name: sid, "time": time, "code": code}
        values = dict(zip(names, rest, strict=True))
        if numeric:
            row["numeric_value"] = values["numeric_value"]
        for name in extra:
            row[name] = values[name]
        rows.append(row)
    return rows


def label_rows(id_name: str, task: str) -> list[dict]:
    key = "boolean_value" if task in BINARY else "integer_value"
    return [{id_name: s, "prediction_time": t, key: v} for s, t, v in LABELS[task]]


def label_schema_04(task: str) -> pa.Schema:
    """MEDS 0.4's LabelSchema with the one value column a task uses (0.4 forbids all-null
    optional columns)."""
    key = "boolean_value" if task in BINARY else "integer_value"
    return pa.schema(
        [f for f in meds.LabelSchema.schema() if f.name in ("subject_id", "prediction_time", key)]
    )


def fresh(name: str) -> Path:
    root = HERE / name
    shutil.rmtree(root, ignore_errors=True)
    (root / "data").mkdir(parents=True)
    (root / "metadata").mkdir()
    (root / "SYNTHETIC.md").write_text(
        f"# SYNTHETIC DATA\n\nHand-made test fixture written with meds {VERSION} by "
        "make_fixtures.py; no real patient records.\n"
    )
    return root


def dataset_json(root: Path, version: str = VERSION) -> None:
    info = {
        "dataset_name": "SYNTHETIC fixture",
        "etl_name": "make_fixtures.py",
        "meds_version": version,
    }
    (root / "metadata" / "dataset.json").write_text(json.dumps(info))


def v04() -> None:
    extra = (
        ("text_value", pa.large_string()),
        ("unit", pa.string()),
        ("omop_table", pa.string()),
        ("visit_id", pa.int64()),
        ("end", pa.timestamp("us")),
    )
    schema = meds.DataSchema.schema()
    for name, kind in extra:
        if name not in schema.names:
            schema = schema.append(pa.field(name, kind))
    # flat: data/0.parquet, every metadata file, one label file per task, a custom split name
    root = fresh("meds_0.4_flat")
    table = pa.Table.from_pylist(event_rows("subject_id", tuple(n for n, _ in extra)), schema)
    meds.DataSchema.validate(table)
    pq.write_table(table, root / "data" / "0.parquet")
    dataset_json(root)
    codes = pa.Table.from_pylist(
        [{"code": c, "description": d, "parent_codes": None} for c, d in DESCRIPTIONS.items()],
        meds.CodeMetadataSchema.schema(),
    )
    pq.write_table(codes, root / "metadata" / "codes.parquet")
    splits = [{"subject_id": s, "split": "calibration" if s == 3 else v} for s, v in SPLITS.items()]
    pq.write_table(
        pa.Table.from_pylist(splits, meds.SubjectSplitSchema.schema()),
        root / "metadata" / "subject_splits.parquet",
    )
    for task in LABELS:
        folder = root / "labels" / task
        folder.mkdir(parents=True)
        labels = pa.Table.from_pylist(label_rows("subject_id", task), label_schema_04(task))
        meds.LabelSchema.validate(labels)
        pq.write_table(labels, folder / "labels.parquet")
    # nested: data/<split>/0.parquet, no numeric_value or text_value (optional in 0.4),
    # codes without descriptions, no split file, labels as labels/<task>.parquet
    root = fresh("meds_0.4_nested")
    core = pa.schema(
        [f for f in meds.DataSchema.schema() if f.name in ("subject_id", "time", "code")]
    )
    core = core.append(pa.field("omop_table", pa.string()))
    for split in ("train", "tuning", "held_out"):
        subjects = [s for s, v in SPLITS.items() if v == split]
        rows = [
            r
            for r in event_rows("subject_id", ("omop_table",), numeric=False)
            if r["subject_id"] in subjects
        ]
        table = pa.Table.from_pylist(rows, core)
        meds.DataSchema.validate(table)
        (root / "data" / split).mkdir()
        pq.write_table(table, root / "data" / split / "0.parquet")
    dataset_json(root)
    pq.write_table(
        pa.Table.from_pylist(
            [{"code": c} for c in DESCRIPTIONS], pa.schema([("code", pa.string())])
        ),
        root / "metadata" / "codes.parquet",
    )
    (root / "labels").mkdir()
    labels = pa.Table.from_pylist(label_rows("subject_id", "guo_los"), label_schema_04("guo_los"))
    meds.LabelSchema.validate(labels)
    pq.write_table(labels, root / "labels" / "guo_los.parquet")


def v033() -> None:
    # sharded labels: labels/<task>/0.parquet and labels/<task>/more/1.parquet
    root = fresh("meds_0.3.3_sharded_labels")
    schema = meds.data_schema([("text_value", pa.string()), ("unit", pa.string())])
    pq.write_table(
        pa.Table.from_pylist(event_rows("subject_id", ("text_value", "unit")), schema),
        root / "data" / "0.parquet",
    )
    dataset_json(root)
    pq.write_table(
        pa.Table.from_pylist(
            [{"subject_id": s, "split": v} for s, v in SPLITS.items()], meds.subject_split_schema
        ),
        root / "metadata" / "subject_splits.parquet",
    )
    rows = label_rows("subject_id", "guo_los")
    folder = root / "labels" / "guo_los"
    (folder / "more").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows[:1], meds.label_schema), folder / "0.parquet")
    pq.write_table(pa.Table.from_pylist(rows[1:], meds.label_schema), folder / "more" / "1.parquet")
    ehrshot_meds_release()
    original_release()


def ehrshot_meds_release() -> None:
    """As EHRSHOT's scripts/convert_to_meds.py writes it (meds 0.3.3): data/data.parquet with
    text_value, unit, omop_table and no visit_id or end; codes with empty descriptions."""
    root = fresh("ehrshot_meds_release")
    schema = meds.data_schema(
        [("text_value", pa.string()), ("unit", pa.string()), ("omop_table", pa.string())]
    )
    rows = event_rows("subject_id", ("text_value", "unit", "omop_table"))
    pq.write_table(pa.Table.from_pylist(rows, schema), root / "data" / "data.parquet")
    info = {
        "dataset_name": "EHRSHOT",
        "dataset_version": "1.0",
        "etl_name": "EHRSHOT => MEDS ETL",
        "etl_version": "1.0",
        "meds_version": "0.3.3",
        "created_at": "2024-01-01",
    }
    (root / "metadata" / "dataset.json").write_text(json.dumps(info))
    codes = [{"code": c, "description": ""} for c in dict.fromkeys(r["code"] for r in rows)]
    pq.write_table(
        pa.Table.from_pylist(codes, meds.code_metadata_schema()),
        root / "metadata" / "codes.parquet",
    )
    pq.write_table(
        pa.Table.from_pylist(
            [{"subject_id": s, "split": v} for s, v in SPLITS.items()], meds.subject_split_schema
        ),
        root / "metadata" / "subject_splits.parquet",
    )
    for task in LABELS:
        folder = root / "labels" / task
        folder.mkdir(parents=True)
        full = [
            {
                "boolean_value": None,
                "integer_value": None,
                "float_value": None,
                "categorical_value": None,
                **r,
            }
            for r in label_rows("subject_id", task)
        ]
        pq.write_table(pa.Table.from_pylist(full, meds.label_schema), folder / "labels.parquet")


def original_release() -> None:
    """As the original EHRSHOT release ships it: data/ehrshot.csv (FEMR simple CSV with an unnamed
    index column), benchmark/<task>/labeled_patients.csv, splits/person_id_map.csv."""
    root = HERE / "original_release"
    shutil.rmtree(root, ignore_errors=True)
    (root / "data").mkdir(parents=True)
    (root / "SYNTHETIC.md").write_text(
        "# SYNTHETIC DATA\n\nHand-made test fixture; no real patient records.\n"
    )
    with (root / "data" / "ehrshot.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["", "patient_id", "start", "end", "code", "value", "unit", "visit_id", "omop_table"]
        )
        for i, (sid, time, code, number, text, unit, table, visit, end) in enumerate(EVENTS):
            value = text if text is not None else ("" if number is None else repr(number))
            writer.writerow(
                [
                    i,
                    sid,
                    time.isoformat(sep=" "),
                    "" if end is None else end.isoformat(sep=" "),
                    code,
                    value,
                    unit or "",
                    "" if visit is None else f"{float(visit)}",
                    table,
                ]
            )
    for task, rows in LABELS.items():
        folder = root / "benchmark" / task
        folder.mkdir(parents=True)
        kind = "boolean" if task in BINARY else "categorical"
        with (folder / "labeled_patients.csv").open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["patient_id", "prediction_time", "value", "label_type"])
            for sid, time, value in rows:
                writer.writerow([sid, time.isoformat(sep=" "), value, kind])
    (root / "splits").mkdir()
    names = {"train": "train", "tuning": "val", "held_out": "test"}
    with (root / "splits" / "person_id_map.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["split", "omop_person_id"])
        for sid, split in SPLITS.items():
            writer.writerow([names[split], sid])


def v030() -> None:
    root = fresh("meds_0.3.0_patient_id")
    pq.write_table(
        pa.Table.from_pylist(event_rows("patient_id", ()), meds.data_schema()),
        root / "data" / "0.parquet",
    )
    dataset_json(root)
    pq.write_table(
        pa.Table.from_pylist(
            [{"patient_id": s, "split": v} for s, v in SPLITS.items()], meds.patient_split_schema
        ),
        root / "metadata" / "patient_splits.parquet",
    )
    folder = root / "labels" / "lab_hyperkalemia"
    folder.mkdir(parents=True)
    full = [
        {"boolean_value": None, "float_value": None, "categorical_value": None, **r}
        for r in label_rows("patient_id", "lab_hyperkalemia")
    ]
    pq.write_table(pa.Table.from_pylist(full, meds.label_schema), folder / "labels.parquet")


if __name__ == "__main__":
    {"0.4": v04, "0.3": v033 if VERSION == "0.3.3" else v030}[VERSION[:3]]()
    print(f"fixtures written with meds {VERSION}")
