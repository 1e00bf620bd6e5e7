"""Loaders: streaming by patient, and clear errors (file, row/line, column) on malformed input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ehrmind_rewards.core.rewards import BINARY
from ehrmind_rewards.tasks.ehrshot.benchmark import bits_to_int, int_to_bits
from ehrmind_rewards.tasks.ehrshot.dataset import build_rows
from ehrmind_rewards.tasks.ehrshot.io import EHRSHOTFormatError, open_ehrshot
from ehrmind_rewards.tasks.ehrshot.io.femr import read_femr_labels
from ehrmind_rewards.tasks.ehrshot.io.meds import (
    iter_meds_patients,
    read_meds_labels,
    read_meds_splits,
)
from ehrmind_rewards.tasks.ehrshot.synthetic import synthesize
from ehrmind_rewards.tasks.ehrshot.verifier import verify_row


@pytest.fixture(scope="module")
def meds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthesize(10, 2, tmp_path_factory.mktemp("meds"), events_per_patient=300)


@pytest.fixture(scope="module")
def femr(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthesize(5, 2, tmp_path_factory.mktemp("femr"), "femr", events_per_patient=100)


def copy(root: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(root, tmp_path / "copy"))


def events_table(root: Path) -> pa.Table:
    return pq.read_table(root / "data" / "0.parquet")


def test_streams_in_small_batches_identically(meds: Path) -> None:
    whole = list(iter_meds_patients(meds))
    tiny = list(iter_meds_patients(meds, batch_size=7))  # patients span many batches
    assert [p.subject_id for p in whole] == list(range(1, 11))
    assert all(list(a.code) == list(b.code) for a, b in zip(whole, tiny, strict=True))


def test_bits_roundtrip() -> None:
    bits = (1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
    assert bits_to_int(bits) == 2**13 + 1 and int_to_bits(2**13 + 1) == bits


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t.drop_columns(["code"]), r"0\.parquet: missing column\(s\) code"),
        (
            lambda t: t.set_column(2, "code", pa.array([None] * t.num_rows, pa.string())),
            r"0\.parquet: row 0: column code is null",
        ),
        (
            lambda t: t.set_column(0, "subject_id", pa.array(["x"] * t.num_rows)),
            r"column subject_id has type string, expected id",
        ),
        (
            lambda t: pa.concat_tables([t, t.slice(0, 3)]),
            r"row \d+: subject_id 1 appears again after other subjects",
        ),
    ],
)
def test_malformed_meds_events(meds: Path, tmp_path: Path, mutate: object, message: str) -> None:
    root = copy(meds, tmp_path)
    table = mutate(events_table(root))  # type: ignore[operator]
    pq.write_table(table, root / "data" / "0.parquet")
    with pytest.raises(EHRSHOTFormatError, match=message):
        list(iter_meds_patients(root))


def test_not_parquet_and_empty_dirs(meds: Path, tmp_path: Path) -> None:
    root = copy(meds, tmp_path)
    (root / "data" / "0.parquet").write_text("hello")
    with pytest.raises(EHRSHOTFormatError, match=r"0\.parquet: not a readable parquet file"):
        list(iter_meds_patients(root))
    with pytest.raises(EHRSHOTFormatError, match=r"no \*\.parquet files"):
        list(iter_meds_patients(tmp_path / "nothing"))
    with pytest.raises(EHRSHOTFormatError, match="neither a MEDS directory"):
        open_ehrshot(tmp_path / "nothing")


def test_malformed_meds_labels_and_splits(meds: Path, tmp_path: Path) -> None:
    root = copy(meds, tmp_path)
    path = root / "labels" / "lab_anemia" / "labels.parquet"
    table = pq.read_table(path)
    values = table.column("integer_value").to_pylist()
    values[2] = 9
    index = table.schema.get_field_index("integer_value")
    pq.write_table(table.set_column(index, "integer_value", pa.array(values, pa.int64())), path)
    with pytest.raises(EHRSHOTFormatError, match=r"labels\.parquet: row 2: column integer_value 9"):
        read_meds_labels(root, "lab_anemia")
    splits = root / "metadata" / "subject_splits.parquet"
    pq.write_table(pa.table({"subject_id": [1, 2], "split": ["train", "test"]}), splits)
    assert read_meds_splits(root) == {1: "train", 2: "test"}  # any split names
    pq.write_table(pa.table({"subject_id": [1, 2], "split": ["train", None]}), splits)
    with pytest.raises(EHRSHOTFormatError, match=r"row 1: subject 2 has split None"):
        read_meds_splits(root)


def test_malformed_femr_files(femr: Path, tmp_path: Path) -> None:
    root = copy(femr, tmp_path)
    events = root / "events.csv"
    lines = events.read_text().splitlines()
    lines[4] = lines[4].replace(lines[4].split(",")[1], "not-a-date", 1)
    events.write_text("\n".join(lines) + "\n")
    with pytest.raises(EHRSHOTFormatError, match=r"events\.csv: line 5: column start"):
        list(open_ehrshot(root).patients())
    events.write_text("patient_id,start,value\n1,2012-01-01,3\n")
    with pytest.raises(EHRSHOTFormatError, match=r"missing column\(s\) code"):
        list(open_ehrshot(root).patients())
    labels = root / "labels" / "new_lupus" / "labeled_patients.csv"
    labels.write_text("patient_id,prediction_time,label_type,value\n1,2012-01-01,boolean,maybe\n")
    with pytest.raises(EHRSHOTFormatError, match=r"line 2: column value 'maybe'"):
        read_femr_labels(root, "new_lupus")
    labels.write_text("patient_id,prediction_time,label_type,value\n1,2012-01-01,numeric,1\n")
    with pytest.raises(EHRSHOTFormatError, match=r"label_type 'numeric', expected 'boolean'"):
        read_femr_labels(root, "new_lupus")


def test_dataset_rows_are_trl_ready_and_gradable(meds: Path) -> None:
    rows = build_rows(meds, ["new_hypertension", "lab_hyponatremia", "chexpert"])
    assert {r["ehrshot_task"] for r in rows} == {"new_hypertension", "lab_hyponatremia", "chexpert"}
    for row in rows:
        assert row["task"] == "ehrshot" and [m["role"] for m in row["prompt"]] == ["system", "user"]
        assert "SYNTHETIC/" not in row["prompt"][1]["content"]
    held_out = build_rows(meds, ["lab_hyponatremia"], split="held_out")
    assert {r["split"] for r in held_out} == {"held_out"}
    # an oracle answering every row correctly earns the mean weight 1 per task (= balanced acc. 1)
    from ehrmind_rewards.tasks.ehrshot.benchmark import get_task

    for name in ("new_hypertension", "lab_hyponatremia"):
        task_rows = [r for r in rows if r["ehrshot_task"] == name]
        task = get_task(name)
        scores = [
            verify_row(
                f"<think>x</think><answer>{_json(task.answer_example(r['label']))}</answer>",
                r,
                BINARY,
            ).score
            for r in task_rows
        ]
        assert sum(scores) / len(scores) == pytest.approx(1.0)


def _json(payload: object) -> str:
    import json

    return json.dumps(payload)
