"""Failures never look like success: nothing graded, repeated keys, columns and ids, broken
quoting and spreadsheet formulas are each counted, named or refused."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from ehrmind_rewards import tasks
from ehrmind_rewards.cli import main
from ehrmind_rewards.grading.engine import GradeOptions, grade_file
from tests.helpers import completion

PREDICTIONS, DATASET = tasks.get("medcalc").example_files()
INLINE = {"calculator_id": 4, "ground_truth": "4", "lower_limit": "4", "upper_limit": "4"}


def test_grading_without_labels_exits_3_and_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grade", str(PREDICTIONS), "--quiet"]) == 3
    captured = capsys.readouterr()
    reason = (
        "no row was graded: 40 rows have no label: pass --dataset FILE or label columns "
        "(calculator_id, ground_truth)"
    )
    assert reason in captured.out
    assert "every graded answer is correct" not in captured.out
    assert captured.err == f"ehrmind-rewards grade: {reason}\n"
    assert main(["grade", str(PREDICTIONS), "--quiet", "--json"]) == 3
    assert json.loads(capsys.readouterr().out)["nothing_graded"] == reason


def test_a_repeated_completion_key_is_a_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"completion": "wrong", "completion": '
        + json.dumps(completion(4))
        + ', "calculator_id": 4, "ground_truth": "4"}\n'
        + json.dumps({"completion": completion(4), **INLINE})
        + "\n",
        encoding="utf-8",
    )
    result = grade_file(path, GradeOptions(task="medcalc"))
    assert [(b.line, b.kind) for b in result.tally.bad_rows] == [(1, "duplicate_key")]
    assert result.tally.total.n == 1


def test_a_repeated_csv_column_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.csv"
    path.write_text("completion,calculator_id,completion\nx,4,y\n", encoding="utf-8")
    assert main(["grade", str(path), "--quiet"]) == 2
    assert capsys.readouterr().err == (
        f"ehrmind-rewards grade: {path}:1: the column 'completion' appears twice in the header "
        "(columns 1 and 3); rename one\n"
    )
    dataset = tmp_path / "d.csv"
    dataset.write_text("Row Number,Row Number,Calculator ID\n1,2,4\n", encoding="utf-8")
    assert main(["grade", str(PREDICTIONS), "--dataset", str(dataset), "--quiet"]) == 2
    assert f"{dataset}:1: the column 'Row Number' appears twice" in capsys.readouterr().err


def test_an_unclosed_csv_quote_is_a_bad_row_and_the_next_rows_are_read(tmp_path: Path) -> None:
    good = completion(4).replace('"', '""')
    path = tmp_path / "p.csv"
    path.write_text(
        "completion,calculator_id,ground_truth\n"
        f'"{good}",4,4\n'
        '"unclosed,4,4\n'  # line 3: the quote closes at the start of line 4...
        f'"{good}",4,4\n'  # ...followed by text: both lines are one broken record
        f'"{good}",4,4\n',
        encoding="utf-8",
    )
    result = grade_file(path, GradeOptions(task="medcalc"))
    (bad,) = result.tally.bad_rows
    assert (bad.line, bad.kind) == (3, "invalid_csv")
    assert "lines 3–4 not read" in bad.message
    assert result.tally.total.n == 2  # lines 2 and 5; the permissive reader reported 3 rows


def test_a_repeated_prediction_id_is_a_bad_row(
    tmp_path: Path, v1_references: dict[str, dict[str, str]]
) -> None:
    rows = [
        {"id": 1, "completion": completion(25.3)},
        {"id": 41, "completion": completion(4)},
        {"id": 1, "completion": completion(0)},  # the same item again: which answer counts?
        {"id": 1.0, "completion": completion(0)},  # JSON 1.0 is id "1" too
    ]
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for workers, chunk_rows in ((1, 2048), (2, 1)):
        options = GradeOptions(task="medcalc", workers=workers, chunk_rows=chunk_rows)
        result = grade_file(path, options, references=v1_references)
        assert [(b.line, b.kind) for b in result.tally.bad_rows] == [
            (3, "duplicate_id"),
            (4, "duplicate_id"),
        ]
        assert "id '1' was already graded at line 1" in result.tally.bad_rows[0].message
        assert (result.tally.total.n, result.tally.total.correct) == (2, 2)


def test_samples_of_one_item_may_share_its_id(
    tmp_path: Path, v1_references: dict[str, dict[str, str]]
) -> None:
    rows = [{"id": 1, "sample": k, "completion": completion(25.3)} for k in range(3)]
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = grade_file(path, GradeOptions(task="medcalc"), references=v1_references)
    assert result.tally.total.n == 3 and not result.tally.bad_rows


def test_compare_pairs_one_prediction_per_item(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = PREDICTIONS.read_text(encoding="utf-8").splitlines()
    repeated = tmp_path / "b.jsonl"
    repeated.write_text("\n".join([*lines, lines[0]]) + "\n", encoding="utf-8")
    argv = ["compare", str(PREDICTIONS), str(repeated), "--dataset", str(DATASET), "-q"]
    assert main([*argv, "--json"]) == 0
    captured = capsys.readouterr()
    comparison = json.loads(captured.out)
    assert comparison["n_shared"] == 40 and comparison["b"]["bad_rows"] == [41]
    assert captured.err == "ehrmind-rewards compare: warning: 1 bad row(s) in B\n"
    assert main(["compare", str(PREDICTIONS), str(PREDICTIONS), "-q"]) == 3  # no labels
    assert "no row was graded: 40 rows have no label" in capsys.readouterr().err


def test_verdict_csv_cells_are_never_formulas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        {"id": "=cmd|' /C calc'!A0", "completion": completion(4), **INLINE},
        {"id": "+SUM(A1:A2)", "completion": completion("=1+1"), **INLINE},
        {"id": "@HYPERLINK", "completion": completion(-3), **INLINE},
        {"id": "-5", "completion": "no envelope", **INLINE},
    ]
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "verdicts.csv"
    assert main(["grade", str(path), "-o", str(out), "-q"]) == 0
    with out.open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and not _number(c))]
    with out.open(encoding="utf-8", newline="") as handle:
        ids = [row["id"] for row in csv.DictReader(handle)]
    assert ids == ["'=cmd|' /C calc'!A0", "'+SUM(A1:A2)", "'@HYPERLINK", "-5"]


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    ("columns", "task"),
    [
        ({"calculator_id": 4, "ground_truth": "4"}, "medcalc"),
        ({"Calculator ID": 4, "Ground Truth Answer": "4"}, "medcalc"),
        ({"ehrshot_task": "new_lupus", "label": 1}, "ehrshot"),
        ({"label": 2}, "trials"),
        ({"task": "trials", "label": 2, "calculator_id": 1}, "trials"),
    ],
)
def test_the_task_is_read_from_the_columns(columns: dict[str, object], task: str) -> None:
    from ehrmind_rewards.grading.inference import fitting_families

    assert [f.name for f in fitting_families({"id": 1, "completion": "x", **columns})] == [task]


def test_grade_infers_the_task_and_honours_it_with_examples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trial_predictions, trial_labels = tasks.get("trials").example_files()
    assert main(["grade", str(trial_predictions), "--dataset", str(trial_labels), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["task"] == "trials"
    inline = tmp_path / "inline.jsonl"
    inline.write_text(json.dumps({"completion": completion(4), **INLINE}) + "\n", "utf-8")
    assert main(["grade", str(inline), "--json", "-q"]) == 0
    assert json.loads(capsys.readouterr().out)["task"] == "medcalc"
    assert main(["grade", "--example", "--task", "ehrshot", "--json", "-q"]) == 0
    assert json.loads(capsys.readouterr().out)["task"] == "ehrshot"
    assert main(["grade", "--example", "trials", "--task", "medcalc"]) == 2
    assert "--task medcalc contradicts it" in capsys.readouterr().err


@pytest.mark.parametrize("task", ["medcalc", "trials", "ehrshot"])
def test_every_bundled_example_grades(task: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grade", "--example", task, "--json", "-q"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["task"] == task and summary["n"] >= 30 and summary["n_bad"] == 0
    assert 0 < summary["correct"] < summary["n"] and summary["error_analysis"]
