"""No command writes over its inputs, and a failed run leaves existing outputs as they were.

Every case asserts the bytes of the files involved after the refused or failed command.
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from ehrmind_rewards import tasks
from ehrmind_rewards.cli import main

PREDICTIONS, DATASET = tasks.get("medcalc").example_files()


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    predictions, dataset = tmp_path / "preds.jsonl", tmp_path / "dataset.csv"
    shutil.copyfile(PREDICTIONS, predictions)
    shutil.copyfile(DATASET, dataset)
    return predictions, dataset


def _snapshot(*paths: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in paths}


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str], *guarded: Path) -> str:
    before = _snapshot(*guarded)
    assert main(argv) == 2
    assert _snapshot(*guarded) == before
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"ehrmind-rewards {argv[0]}: ")
    return err


def test_grade_never_writes_over_its_inputs(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    predictions, dataset = files
    base = ["grade", str(predictions), "--dataset", str(dataset), "--quiet"]
    err = _refused([*base, "--output", str(predictions)], capsys, predictions, dataset)
    assert "--output is the input FILE" in err
    err = _refused([*base, "-o", str(dataset)], capsys, predictions, dataset)
    assert "--output is the input --dataset" in err
    err = _refused([*base, "--report", str(predictions)], capsys, predictions, dataset)
    assert "--report is the input FILE" in err
    link = tmp_path / "link.jsonl"
    link.symlink_to(predictions)
    err = _refused([*base, "--output", str(link)], capsys, predictions, dataset)
    assert "--output is the input FILE" in err
    hard = tmp_path / "hard.csv"
    os.link(dataset, hard)
    _refused([*base, "--report", str(hard)], capsys, predictions, dataset)


def test_grade_refuses_one_path_for_two_outputs(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    predictions, dataset = files
    both = tmp_path / "out.html"
    both.write_bytes(b"an earlier report")
    argv = ["grade", str(predictions), "--dataset", str(dataset), "-o", str(both)]
    err = _refused([*argv, "--report", str(both)], capsys, both, predictions)
    assert "--report and --output are the same file" in err


def test_a_failed_grade_leaves_the_old_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    verdicts = tmp_path / "verdicts.csv"
    verdicts.write_bytes(b"yesterday's verdicts")
    missing = tmp_path / "missing.jsonl"
    _refused(["grade", str(missing), "-o", str(verdicts)], capsys, verdicts)
    no_completion = tmp_path / "p.csv"
    no_completion.write_text("id,output\n1,x\n", encoding="utf-8")
    _refused(["grade", str(no_completion), "-o", str(verdicts)], capsys, verdicts)
    assert sorted(os.listdir(tmp_path)) == ["p.csv", "verdicts.csv"]  # no temporary file left


def test_relabel_and_explain_never_write_over_their_input(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, dataset = files
    _refused(["relabel", str(dataset), "-o", str(dataset)], capsys, dataset)
    _refused(["explain", str(dataset), "-o", str(dataset)], capsys, dataset)
    errata = tmp_path / "errata.md"
    _refused(["relabel", str(dataset), "-o", str(errata), "--errata", str(errata)], capsys, dataset)
    link = tmp_path / "same.csv"
    link.symlink_to(dataset)
    _refused(["relabel", str(dataset), "--output", str(link)], capsys, dataset)


def test_a_relabel_that_fails_on_a_later_row_leaves_the_old_output(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, dataset = files
    with dataset.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)[:3]
    rows[2]["Calculator ID"] = "not a number"
    broken = tmp_path / "broken.csv"
    with broken.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "relabelled.csv"
    out.write_bytes(b"the relabelled file of an earlier run")
    err = _refused(["relabel", str(broken), "-o", str(out)], capsys, out, broken)
    assert "column 'Calculator ID': 'not a number' is not a calculator number" in err


def test_ehrshot_rows_never_write_into_the_dataset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "synthetic"
    argv = ["ehrshot", "synthesize", "--patients", "2", "--events-per-patient", "40"]
    assert main([*argv, "--format", "femr", "-o", str(root)]) == 0
    capsys.readouterr()
    inside = next(p for p in sorted(root.rglob("*")) if p.is_file())
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert main(["ehrshot", "rows", str(root), "-o", str(inside)]) == 2
    assert "lies inside the input folder ROOT" in capsys.readouterr().err
    assert main(["ehrshot", "rows", str(root), "-o", str(root / "rows.jsonl")]) == 2
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    # synthesize never writes into a folder that holds files
    assert main([*argv, "-o", str(root)]) == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_sample_and_train_never_write_over_their_config_or_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("yaml", reason="run files are YAML (the dev or train extra)")
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}", encoding="utf-8")
    data = tmp_path / "rows.jsonl"
    data.write_text('{"prompt": "p", "label": 1}\n', encoding="utf-8")
    config = tmp_path / "run.yaml"
    config.write_text(
        f"kind: sft\noutput_dir: {model}\nmodel:\n  name_or_path: {model}\n"
        f"data:\n  task: trials\n  train_file: {data}\n",
        encoding="utf-8",
    )
    guarded = (config, data, model / "config.json")
    err = _refused(["train", "sft", "--config", str(config)], capsys, *guarded)
    assert "output_dir is the input model.name_or_path" in err
    err = _refused(["sample", "--config", str(config), "-o", str(config)], capsys, *guarded)
    assert "--output is the input --config" in err
    err = _refused(["evaluate", "--config", str(config), "-o", str(data)], capsys, *guarded)
    assert "--output is the input data.train_file" in err
