"""Model text and odd values never crash a command: each is a counted bad row or one line.

Every case here once ended a run with a traceback (or silently produced a wrong result).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ehrmind_rewards import tasks
from ehrmind_rewards.cli import main
from tests.helpers import completion

INLINE = {"calculator_id": 4, "ground_truth": "4", "lower_limit": "4", "upper_limit": "4"}
SURROGATE = "\ud83d"
PREDICTIONS, DATASET = tasks.get("medcalc").example_files()


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")  # \\ud83d
    return path


def _one_line_error(capsys: pytest.CaptureFixture[str], command: str) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"ehrmind-rewards {command}: "), err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize("mode", ["text", "json", "csv", "jsonl", "report"])
def test_lone_surrogates_in_completion_id_and_category_are_escaped(
    tmp_path: Path, mode: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if mode == "report":
        pytest.importorskip("matplotlib", reason="--report needs the report extra")
    rows = [
        {"id": f"a{SURROGATE}", "completion": completion(4) + SURROGATE, **INLINE},
        {"id": 2, "completion": f"<think>{SURROGATE}</think>", "category": SURROGATE, **INLINE},
        {"id": 3, "completion": completion(SURROGATE), "category": f"${SURROGATE}", **INLINE},
    ]
    path = _jsonl(tmp_path / "p.jsonl", rows)
    argv = ["grade", str(path), "--quiet"]
    out = tmp_path / f"out.{mode}"
    extra = {
        "text": [],
        "json": ["--json"],
        "csv": ["-o", str(out)],
        "jsonl": ["-o", str(out)],
        "report": ["--report", str(out)],
    }[mode]
    assert main([*argv, *extra]) == 0
    printed = capsys.readouterr().out
    if mode == "json":
        assert json.loads(printed)["n"] == 3
    if mode in ("csv", "jsonl", "report"):
        written = out.read_bytes()
        assert b"\\ud83d" in written
        written.decode("utf-8")  # valid UTF-8: the surrogate is an escape
    if mode == "jsonl":
        lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert lines[0]["id"] == f"a{SURROGATE}"  # the escape is JSON's own: it round-trips


def test_a_dollar_category_is_not_mathtext_in_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib", reason="--report needs the report extra")
    rows = [
        {"completion": completion(4), "category": "$\\frac{$", **INLINE},
        {"completion": completion(5), "category": "costs $5 and $6", **INLINE},
    ]
    path = _jsonl(tmp_path / "p.jsonl", rows)
    report = tmp_path / "r.html"
    assert main(["grade", str(path), "--report", str(report), "--quiet"]) == 0
    assert "$\\frac{$" in report.read_text(encoding="utf-8")


def test_over_long_integers_and_deep_nesting_are_bad_rows(tmp_path: Path) -> None:
    from ehrmind_rewards.grading.engine import GradeOptions, grade_file

    path = tmp_path / "p.jsonl"
    good = json.dumps({"completion": completion(4), **INLINE})
    path.write_text(
        good
        + "\n"
        + '{"completion": "x", "calculator_id": '
        + "9" * 5000
        + "}\n"
        + '{"completion": "x", "extra": '
        + "[" * 5000
        + "]" * 5000
        + "}\n"
        + '{"completion": "x", "extra": '
        + "[" * 200
        + "]" * 200
        + "}\n",
        encoding="utf-8",
    )
    result = grade_file(path, GradeOptions(task="medcalc"))
    assert result.tally.total.n == 1
    assert [(b.line, b.kind) for b in result.tally.bad_rows] == [
        (2, "invalid_json"),
        (3, "invalid_json"),
        (4, "invalid_json"),
    ]
    assert "5,000 digits" in result.tally.bad_rows[0].message


def test_an_over_long_integer_in_a_csv_label_is_a_bad_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["completion", "calculator_id", "ground_truth", "lower_limit", "upper_limit"]
        )
        writer.writerow([completion(4), 4, 4, 4, 4])
        writer.writerow([completion(4), 4, "9" * 5000, 1, 2])
    assert main(["grade", str(path), "--json", "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["n"] == 1 and summary["n_bad"] == 1
    assert len(summary["bad_row_details"][0]["message"]) < 300  # the value is cut in messages


@pytest.mark.parametrize(
    "record",
    [
        '{"id": 1, "x": ' + "9" * 5000 + "}",
        '{"id": 1, "x": ' + "[" * 3000 + "]" * 3000 + "}",
        '{"id": 1, "x": ' + "[" * 100 + "]" * 100 + "}",
        '{"id": 1, "id": 2}',
    ],
    ids=["long-integer", "deep", "nested-past-64", "repeated-key"],
)
def test_unreadable_dataset_and_samples_lines_are_one_line_errors(
    tmp_path: Path, record: str, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = tmp_path / "d.jsonl"
    dataset.write_text(record + "\n", encoding="utf-8")
    assert main(["grade", str(PREDICTIONS), "--dataset", str(dataset), "--quiet"]) == 2
    assert f"{dataset}:1: " in _one_line_error(capsys, "grade")
    assert main(["diagnose", str(dataset)]) == 2
    assert f"{dataset}:1: " in _one_line_error(capsys, "diagnose")


def test_entities_that_are_not_a_dict_of_names_are_counted_not_raised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with DATASET.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)[:3]
    rows[1]["Relevant Entities"] = "{[1]: 2}"
    rows[2]["Relevant Entities"] = "{1: 2}"
    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    relabelled = tmp_path / "out.csv"
    assert main(["relabel", str(source), "-o", str(relabelled), "-q"]) == 0
    with relabelled.open(encoding="utf-8", newline="") as handle:
        reasons = [r["Relabel Reason"] for r in csv.DictReader(handle)]
    assert reasons[1:] == ["unparseable_entities", "unparseable_entities"]
    assert main(["explain", str(source), "-o", str(tmp_path / "sft.jsonl")]) == 0
    assert "skipped 2" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"kind: sft\nx: caf\xe9\n", "not UTF-8 (byte 0xe9"),
        (b"kind: sft\nkind: grpo\n", ":2: the key 'kind' appears twice in one mapping"),
        (b"kind: sft\nmodel:\n  dtype: a\n  dtype: b\n", ":4: the key 'dtype' appears twice"),
        (b"kind: [sft\n", ":2:1: invalid YAML"),
    ],
)
def test_unreadable_run_files_are_one_line_errors(
    tmp_path: Path, content: bytes, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("yaml", reason="run files are YAML (the dev or train extra)")
    config = tmp_path / "run.yaml"
    config.write_bytes(content)
    for argv in (["train", "sft"], ["sample", "-o", str(tmp_path / "s.jsonl")], ["evaluate"]):
        assert main([*argv, "--config", str(config)]) == 2
        assert message in _one_line_error(capsys, argv[0])


@pytest.mark.parametrize("resamples", ["0", "-1", "many"])
def test_compare_resamples_must_be_a_positive_number(
    resamples: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["compare", str(PREDICTIONS), str(PREDICTIONS), "--resamples", resamples])
    assert exited.value.code == 2
    assert "argument --resamples:" in _one_line_error(capsys, "compare")


def test_train_with_no_reachable_model_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("trl", reason="the train extra is not installed")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    data = tmp_path / "rows.jsonl"
    data.write_text('{"prompt": "p", "completion": "c", "label": 1}\n', encoding="utf-8")
    config = tmp_path / "run.yaml"
    config.write_text(
        f"kind: sft\noutput_dir: {tmp_path / 'out'}\nmodel:\n"
        "  name_or_path: ehrmind-rewards-tests/no-such-model\n"
        f"data:\n  task: trials\n  train_file: {data}\n",
        encoding="utf-8",
    )
    assert main(["train", "sft", "--config", str(config), "-q"]) == 2
    err = _one_line_error(capsys, "train")
    assert "cannot load the model 'ehrmind-rewards-tests/no-such-model'" in err


def test_a_closed_pipe_ends_the_command_quietly(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "ehrmind_rewards.cli", "grade", "--example", "medcalc", "-q"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # as `| head` does once it has what it wants
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141
    assert err == ""


def test_a_broken_pipe_while_printing_returns_141(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class ClosedPipe:
        def write(self, text: str) -> int:
            raise BrokenPipeError

        def flush(self) -> None:
            raise BrokenPipeError

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["grade", "--example", "medcalc", "-q"]) == 141
    assert capsys.readouterr().err == ""
