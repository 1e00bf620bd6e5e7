"""``ehrmind-rewards grade`` and ``compare`` end to end through the command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from ehrmind_rewards import tasks
from ehrmind_rewards.cli import main
from tests.helpers import V1_TEST_CSV, completion


def test_grade_example_runs_offline_and_prints_a_summary(capsys) -> None:
    predictions, dataset = tasks.get("medcalc").example_files()
    assert predictions.is_file() and dataset.is_file()
    assert main(["grade", "--example", "medcalc", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "MedCalc-Bench grading ·" in out and "accuracy" in out and "why answers fail" in out


def test_grade_json_and_verdict_files(tmp_path: Path, jsonl, capsys) -> None:
    path = jsonl(
        [
            {"id": 1, "completion": completion(25.3)},
            {"id": 2, "completion": completion(3359.2)},
            {"id": 41, "completion": "no envelope"},
        ]
    )
    output = tmp_path / "verdicts.csv"
    args = ["grade", str(path), "--dataset", str(V1_TEST_CSV), "--json", "--quiet"]
    assert main([*args, "--output", str(output)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["n"] == 3 and summary["correct"] == 1
    assert summary["failure_kinds"] == {"unit_slip": 1, "missing_think": 1}
    assert summary["by_category"]["lab"] == {**summary["by_category"]["lab"], "n": 2}
    assert summary["bad_rows"] == []
    with output.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["error_kind"] for r in rows] == ["", "unit_slip", "missing_think"]


def test_grade_strict_fails_on_bad_rows(tmp_path: Path, capsys) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(
        json.dumps({"id": 1, "completion": completion(25.3)}) + "\n" + '{"id": 2, "compl\n',
        encoding="utf-8",
    )
    base = ["grade", str(path), "--dataset", str(V1_TEST_CSV), "--quiet"]
    assert main(base) == 0
    assert "1 bad row(s) not graded (lines 2)" in capsys.readouterr().err
    assert main([*base, "--strict"]) == 1


def test_compare_reports_paired_statistics(tmp_path: Path, jsonl, capsys) -> None:
    # rows 1-20: calculator 2 (lab); rows 41-60: calculator 4 (risk, label in the CSV)
    with V1_TEST_CSV.open(encoding="utf-8") as handle:
        labels = {r["Row Number"]: r["Ground Truth Answer"] for r in csv.DictReader(handle)}
    ids = list(range(1, 21)) + list(range(41, 61))
    a_right = set(ids[:30])  # A: 30 right
    b_right = set(ids[5:40])  # B: 35 right; only A: ids[:5]; only B: ids[30:40]

    def rows(right: set[int]) -> list[dict[str, object]]:
        return [
            {"id": i, "completion": completion(labels[str(i)] if i in right else "-999")}
            for i in ids
        ]

    a, b = jsonl(rows(a_right)), jsonl(rows(b_right))
    base = ["compare", str(a), str(b), "--dataset", str(V1_TEST_CSV), "--quiet"]
    assert main([*base, "--json"]) == 0
    comparison = json.loads(capsys.readouterr().out)
    overall = comparison["overall"]
    assert comparison["n_shared"] == 40
    assert (overall["only_a_correct"], overall["only_b_correct"]) == (5, 10)
    assert overall["accuracy_delta"] == (35 - 30) / 40
    low, high = overall["accuracy_delta_ci95"]
    assert low < overall["accuracy_delta"] < high
    assert overall["mcnemar_p_exact"] > 0.05  # 5 vs 10 discordant pairs: not significant
    assert comparison["only_a_correct"] == [str(i) for i in ids[:5]]
    assert comparison["only_b_correct"] == [str(i) for i in ids[30:40]]
    assert set(comparison["by_category"]) == {"lab", "risk"}
    assert comparison["by_category"]["risk"]["only_b_correct"] == 10
    assert main([*base, "--json"]) == 0  # seeded: identical output on a rerun
    assert json.loads(capsys.readouterr().out) == comparison
    assert main(base) == 0
    assert "only A right (5)" in capsys.readouterr().out


def test_relabelled_example_reports_both_official_numbers(tmp_path: Path, capsys) -> None:
    predictions, dataset = tasks.get("medcalc").example_files()
    relabelled = tmp_path / "relabelled.csv"
    assert main(["relabel", str(dataset), "--output", str(relabelled)]) == 0
    capsys.readouterr()
    base = ["grade", str(predictions), "--json", "--quiet"]
    assert main([*base, "--dataset", str(dataset)]) == 0
    original = json.loads(capsys.readouterr().out)
    assert main([*base, "--dataset", str(relabelled)]) == 0
    summary = json.loads(capsys.readouterr().out)
    with relabelled.open(encoding="utf-8") as handle:
        changed = sum(
            r["Ground Truth Answer"] != r["Original Ground Truth Answer"]
            for r in csv.DictReader(handle)
        )
    bridge = summary["official"]
    # the original labels graded through the relabelled file's Original Ground Truth Answer
    # give what the original file gives
    assert bridge["original_labels"] == original["official"]["original_labels"]
    assert bridge["relabelled_labels"]["changed_labels"] <= changed
    assert bridge["relabelled_labels"]["n"] == summary["n"] == original["n"]
