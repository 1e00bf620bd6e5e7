"""``ehrmind-rewards ehrshot synthesize|rows``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ehrmind_rewards.cli import main
from ehrmind_rewards.core.rewards import EHRMIND
from ehrmind_rewards.tasks.ehrshot.verifier import verify_row


def test_synthesize_then_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "synthetic"
    args = ["ehrshot", "synthesize", "--patients", "4", "-o", str(out)]
    assert main([*args, "--events-per-patient", "150"]) == 0
    assert (out / "SYNTHETIC.md").is_file()
    rows_path = tmp_path / "rows.jsonl"
    assert main(["ehrshot", "rows", str(out), "-o", str(rows_path), "--tasks", "lab_anemia"]) == 0
    rows = [json.loads(line) for line in rows_path.read_text().splitlines()]
    assert rows and all(r["ehrshot_task"] == "lab_anemia" for r in rows)
    gold = rows[0]["label"]
    names = ("normal", "mild", "moderate", "severe")
    text = f'<think>x</think><answer>{{"prediction": "{names[gold]}", "label": {gold}}}</answer>'
    assert verify_row(text, rows[0], EHRMIND).correct is True
    assert main(["ehrshot", "rows", str(tmp_path / "missing"), "-o", str(rows_path)]) == 2
    assert "neither a MEDS directory" in capsys.readouterr().err


def test_label_writes_meds_label_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import pyarrow.parquet as pq

    data = tmp_path / "synthetic"
    assert (
        main(
            [
                "ehrshot",
                "synthesize",
                "--patients",
                "6",
                "--out",
                str(data),
                "--events-per-patient",
                "120",
            ]
        )
        == 0
    )
    out = tmp_path / "derived"
    assert main(["ehrshot", "label", str(data), "--task", "all", "--output", str(out)]) == 0
    for task in ("guo_los", "lab_anemia", "chexpert", "new_hypertension"):
        written = pq.read_table(out / f"{task}.parquet")
        shipped = pq.read_table(data / "labels" / task / "labels.parquet")
        assert written.equals(shipped), task  # the generator's labels, re-derived from events
    assert set(pq.read_table(out / "guo_los.parquet").column_names) == {
        "subject_id",
        "prediction_time",
        "boolean_value",
    }
    one = tmp_path / "los.parquet"
    assert main(["ehrshot", "label", str(data), "--task", "guo_los", "-o", str(one)]) == 0
    assert pq.read_table(one).equals(pq.read_table(out / "guo_los.parquet"))
    inside = data / "labels" / "guo_los" / "labels.parquet"
    assert main(["ehrshot", "label", str(data), "--task", "guo_los", "-o", str(inside)]) == 2
    assert "inside the input folder" in capsys.readouterr().err


def test_label_says_why_nothing_was_labelled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.paths import ROOT

    release = ROOT / "tests" / "data" / "ehrshot" / "ehrshot_meds_release"
    code = main(
        ["ehrshot", "label", str(release), "--task", "guo_los", "-o", str(tmp_path / "x.parquet")]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "visit_without_end" in err and "EHRSHOT's MEDS release has none" in err


def test_rows_weight_evaluation_splits_only(tmp_path: Path) -> None:
    data = tmp_path / "synthetic"
    main(
        [
            "ehrshot",
            "synthesize",
            "--patients",
            "20",
            "--out",
            str(data),
            "--events-per-patient",
            "100",
        ]
    )
    for mode, train_weighted in (("eval", False), ("all", True)):
        path = tmp_path / f"{mode}.jsonl"
        assert (
            main(
                [
                    "ehrshot",
                    "rows",
                    str(data),
                    "-o",
                    str(path),
                    "--tasks",
                    "lab_anemia",
                    "--class-weights",
                    mode,
                ]
            )
            == 0
        )
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        train = {r["class_weight"] for r in rows if r["split"] == "train"}
        assert (train != {1.0}) is train_weighted
        assert {r["class_weight"] for r in rows if r["split"] == "held_out"} != {1.0}
