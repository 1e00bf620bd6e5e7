"""Every supported layout loads: fixtures written with the official ``meds`` package (0.4.1,
0.3.3, 0.3.0; see ``tests/data/ehrshot/make_fixtures.py``), EHRSHOT's MEDS release layout and
the original EHRSHOT release layout. All fixtures are SYNTHETIC."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from ehrmind_rewards.tasks.ehrshot.benchmark import get_task
from ehrmind_rewards.tasks.ehrshot.dataset import build_rows
from ehrmind_rewards.tasks.ehrshot.events import from_us, to_us
from ehrmind_rewards.tasks.ehrshot.io import EHRSHOTFormatError, detect_format, open_ehrshot
from ehrmind_rewards.tasks.ehrshot.io import release as release_module
from ehrmind_rewards.tasks.ehrshot.labelers import Labeler
from ehrmind_rewards.tasks.ehrshot.timeline import TimelineOptions, render_timeline
from tests.paths import ROOT

pytest.importorskip("pyarrow", reason="the MEDS readers need pyarrow (ehrshot extra)")

DATA = ROOT / "tests" / "data" / "ehrshot"
FIXTURES = {  # name: (format, events, splits, tasks)
    "meds_0.4_flat": (
        "meds",
        13,
        {1: "train", 2: "tuning", 3: "calibration"},
        ["guo_los", "lab_hyperkalemia", "chexpert"],
    ),
    "meds_0.4_nested": ("meds", 13, {}, ["guo_los"]),
    "meds_0.3.3_sharded_labels": (
        "meds",
        13,
        {1: "train", 2: "tuning", 3: "held_out"},
        ["guo_los"],
    ),
    "meds_0.3.0_patient_id": (
        "meds",
        13,
        {1: "train", 2: "tuning", 3: "held_out"},
        ["lab_hyperkalemia"],
    ),
    "ehrshot_meds_release": (
        "meds",
        13,
        {1: "train", 2: "tuning", 3: "held_out"},
        ["guo_los", "lab_hyperkalemia", "chexpert"],
    ),
    "original_release": (
        "release",
        13,
        {1: "train", 2: "val", 3: "test"},
        ["guo_los", "lab_hyperkalemia", "chexpert"],
    ),
}
EXPECTED_LABELS = {
    "guo_los": [(1, "2012-01-01T23:59:00", 1), (2, "2013-05-05T23:59:00", 0)],
    "lab_hyperkalemia": [(1, "2012-01-03T05:59:00", 2)],
    "chexpert": [(2, "2013-05-05T08:00:00", (1,) + (0,) * 12 + (1,))],
}


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_loads(name: str) -> None:
    fmt, n_events, splits, tasks = FIXTURES[name]
    source = open_ehrshot(DATA / name)
    assert source.format == fmt == detect_format(DATA / name)
    patients = sorted(source.patients(), key=lambda p: p.subject_id)  # nested: shard order
    assert [p.subject_id for p in patients] == [1, 2, 3]
    assert sum(len(p) for p in patients) == n_events
    assert source.splits() == splits
    assert source.tasks() == tasks
    for task in tasks:
        found = [
            (x.subject_id, from_us(x.prediction_time).isoformat(), x.value)
            for x in source.labels(task)
        ]
        assert found == EXPECTED_LABELS[task], task
    first = patients[0]
    potassium = list(first.code).index("LOINC/2823-3")
    if name != "meds_0.4_nested":  # the nested fixture has no numeric_value column (optional)
        assert first.numeric_value[potassium] == 6.2  # float32 read back as written
    assert first.time[list(first.code).index("Visit/IP")] == to_us(datetime(2012, 1, 1, 8))


def test_optional_columns_and_files_may_be_absent() -> None:
    source = open_ehrshot(DATA / "meds_0.4_nested")
    assert source.codes() == {}  # codes.parquet without descriptions
    assert source.splits() == {}  # no split file: empty, not an error
    patient = next(iter(source.patients()))
    assert all(v != v for v in patient.numeric_value)  # no numeric_value column: all NaN


def test_descriptions_and_custom_split_names() -> None:
    source = open_ehrshot(DATA / "meds_0.4_flat")
    assert source.codes()["LOINC/2823-3"] == "Potassium"
    rows = build_rows(DATA / "meds_0.4_flat", ["guo_los"], split="train")
    assert [r["subject_id"] for r in rows] == [1]


def test_ehrshot_meds_release_keeps_visit_events_in_timelines() -> None:
    # no visit_id / end columns: visits cannot be headers, so they are ordinary lines
    source = open_ehrshot(DATA / "ehrshot_meds_release")
    patient = next(iter(source.patients()))
    text = render_timeline(patient, to_us(datetime(2012, 6, 1)), {}, TimelineOptions()).text
    assert "Visit/IP" in text and "Visit/OP" in text and "Other events" not in text
    grouped = open_ehrshot(DATA / "meds_0.4_flat")
    text = render_timeline(next(iter(grouped.patients())), to_us(datetime(2012, 6, 1))).text
    assert "Visit 2012-01-01 (Visit/IP):" in text  # with visit ids, visits are headers


def test_ehrshot_meds_release_cannot_yield_admission_labels() -> None:
    labeler = Labeler()
    patients = list(open_ehrshot(DATA / "ehrshot_meds_release").patients())
    assert all(labeler.label(p, get_task("guo_los")) == [] for p in patients)
    assert labeler.skipped["visit_without_end"] == 2  # counted, so the CLI can say why
    assert [x.value for x in labeler.label(patients[0], get_task("lab_hyperkalemia"))] == [2]


def test_schema_warnings_against_the_installed_meds() -> None:
    pytest.importorskip("meds", reason="schema checks need the meds package (ehrshot extra)")
    source = open_ehrshot(DATA / "meds_0.3.3_sharded_labels")
    list(source.patients())
    from importlib import metadata

    if metadata.version("meds").startswith("0.4"):
        assert any("text_value" in w and "read anyway" in w for w in source.warnings)
    flat = open_ehrshot(DATA / "meds_0.4_flat")
    list(flat.patients())
    flat.labels("guo_los")
    assert flat.warnings == []  # written with meds 0.4.1's own schemas


def test_a_file_breaking_its_declared_meds_version_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("meds", reason="schema checks need the meds package (ehrshot extra)")
    from importlib import metadata

    import pyarrow as pa
    import pyarrow.parquet as pq

    if not metadata.version("meds").startswith("0.4"):
        pytest.skip("the fixture declares MEDS 0.4.1")
    root = Path(shutil.copytree(DATA / "meds_0.4_flat", tmp_path / "copy"))
    table = pq.read_table(root / "data" / "0.parquet")
    index = table.schema.get_field_index("time")
    pq.write_table(
        table.set_column(index, "time", table.column("time").cast(pa.timestamp("ns"))),
        root / "data" / "0.parquet",
    )
    with pytest.raises(EHRSHOTFormatError, match=r"0\.parquet: differs from the MEDS 0\.4"):
        list(open_ehrshot(root).patients())


def test_release_split_aliases_and_rows() -> None:
    held_out = build_rows(DATA / "original_release", ["guo_los"], split="held_out")
    assert held_out == []  # subject 3 (test) has no guo_los label
    tuning = build_rows(DATA / "original_release", ["guo_los"], split="tuning")
    assert [(r["subject_id"], r["split"], r["class_weight"]) for r in tuning] == [(2, "val", 1.0)]
    with pytest.raises(ValueError, match="no split 'calibration'"):
        build_rows(DATA / "original_release", ["guo_los"], split="calibration")


def test_release_with_interleaved_patients(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(shutil.copytree(DATA / "original_release", tmp_path / "copy"))
    events = root / "data" / "ehrshot.csv"
    header, *lines = events.read_text().splitlines()
    events.write_text("\n".join([header, *lines[::2], *lines[1::2]]) + "\n")  # interleave
    monkeypatch.setattr(release_module, "ROWS_PER_BUCKET", 4)  # several temporary buckets
    reread = {p.subject_id: p for p in open_ehrshot(root).patients()}
    original = {p.subject_id: p for p in open_ehrshot(DATA / "original_release").patients()}
    assert sorted(reread) == [1, 2, 3]
    for sid, patient in original.items():
        assert list(reread[sid].code) == list(patient.code)
        assert list(reread[sid].time) == list(patient.time)


def test_release_errors(tmp_path: Path) -> None:
    root = Path(shutil.copytree(DATA / "original_release", tmp_path / "copy"))
    events = root / "data" / "ehrshot.csv"
    lines = events.read_text().splitlines()
    lines[3] = lines[3].replace("2012-01-01 08:00:00", "yesterday")
    events.write_text("\n".join(lines) + "\n")
    with pytest.raises(EHRSHOTFormatError, match=r"ehrshot\.csv: line 4: column start"):
        list(open_ehrshot(root).patients())
    events.write_text("patient_id,start\n1,2012-01-01\n")
    with pytest.raises(EHRSHOTFormatError, match=r"missing column\(s\) code"):
        list(open_ehrshot(root).patients())


def test_meds_reader_database(tmp_path: Path) -> None:
    pytest.importorskip("meds_reader", reason="meds_reader is optional")
    convert = shutil.which("meds_reader_convert")
    if convert is None:
        pytest.skip("meds_reader_convert is not on PATH")
    database = tmp_path / "db"
    subprocess.run(
        [convert, str(DATA / "meds_0.4_flat"), str(database), "--num_threads", "1"],
        check=True,
        capture_output=True,
    )
    source = open_ehrshot(database)
    assert source.format == "meds_reader"
    mine = list(open_ehrshot(DATA / "meds_0.4_flat").patients())
    theirs = list(source.patients())
    assert [p.subject_id for p in theirs] == [1, 2, 3]
    for a, b in zip(mine, theirs, strict=True):
        assert list(a.code) == list(b.code) and list(a.time) == list(b.time)
        assert [x for x in a.numeric_value if x == x] == [x for x in b.numeric_value if x == x]
    assert source.splits() == {1: "train", 2: "tuning", 3: "calibration"}
