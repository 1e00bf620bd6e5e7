"""The grading engine: same results for any worker count, verdict files, labels by id or inline."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from ehrmind_rewards.grading.engine import GradeOptions, grade_file
from ehrmind_rewards.grading.references import load_references
from ehrmind_rewards.grading.summary import summarize
from ehrmind_rewards.tasks.medcalc.records import COLUMN_ALIASES as MEDCALC_ALIASES
from tests.helpers import V1_TEST_CSV, completion


def _mixed_rows(n: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    with V1_TEST_CSV.open(encoding="utf-8") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            if i >= n:
                break
            label = row["Ground Truth Answer"]
            answer = label if i % 3 else "nonsense"
            text = completion(answer) if i % 7 else "no envelope"
            rows.append({"id": int(row["Row Number"]), "completion": text})
    return rows


def test_workers_do_not_change_any_output(tmp_path: Path, jsonl, v1_references) -> None:
    path = jsonl(_mixed_rows(400))
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"id": 1, "completion": "trunc\n')
    outputs = []
    for workers in (1, 2):
        options = GradeOptions(
            task="medcalc", workers=workers, chunk_rows=37, verdicts_format="jsonl"
        )
        verdicts = tmp_path / f"verdicts_{workers}.jsonl"
        with verdicts.open("w", encoding="utf-8") as out:
            result = grade_file(path, options, references=v1_references, verdicts=out)
        summary = summarize(result.tally, task="medcalc", spec="ehrmind", records=result.records)
        outputs.append((json.dumps(summary, sort_keys=True), verdicts.read_text(encoding="utf-8")))
    assert outputs[0] == outputs[1]
    lines = outputs[0][1].splitlines()
    assert len(lines) == 401  # one verdict line per record, bad rows included
    assert [json.loads(line)["line"] for line in lines] == list(range(1, 402))
    assert json.loads(lines[-1])["bad_row"] == "truncated_json"


def test_csv_input_with_inline_labels_and_csv_verdicts(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["output", "Calculator ID", "Ground Truth Answer", "Lower Limit", "Upper Limit"]
        )
        writer.writerow([completion(25.3), 2, "25.238", "23.9761", "26.4999"])
        writer.writerow([completion(20), 2, "25.238", "23.9761", "26.4999"])
    options = GradeOptions(task="medcalc", completion_field="output", verdicts_format="csv")
    out_path = tmp_path / "v.csv"
    with out_path.open("w", encoding="utf-8", newline="") as out:
        result = grade_file(path, options, verdicts=out)
    assert (result.tally.total.n, result.tally.total.correct) == (2, 1)
    with out_path.open(encoding="utf-8") as handle:
        verdicts = list(csv.DictReader(handle))
    assert [v["correct"] for v in verdicts] == ["True", "False"]
    assert [v["line"] for v in verdicts] == ["2", "3"]
    assert json.loads(verdicts[0]["components"]) == {"format": 0.1, "correctness": 1.0}


def test_reward_spec_is_selectable(jsonl) -> None:
    path = jsonl(
        [
            {"completion": completion(4), "calculator_id": 4, "ground_truth": "4"},
            {"completion": "broken", "calculator_id": 4, "ground_truth": "4"},
        ]
    )
    ehrmind = grade_file(path, GradeOptions(task="medcalc"))
    binary = grade_file(path, GradeOptions(task="medcalc", spec="binary"))
    assert dict(ehrmind.tally.scores) == {1.1: 1, -2.0: 1}
    assert dict(binary.tally.scores) == {1.0: 1, 0.0: 1}


def test_relabelled_dataset_reports_both_official_numbers(tmp_path: Path, jsonl) -> None:
    dataset = tmp_path / "relabelled.csv"
    columns = [
        "Row Number",
        "Calculator ID",
        "Category",
        "Ground Truth Answer",
        "Lower Limit",
        "Upper Limit",
        "Original Ground Truth Answer",
        "Relabel Status",
        "Relabel Reason",
    ]
    with dataset.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerow([1, 2, "lab", "50", "47.5", "52.5", "100", "changed", "reference_bug:x"])
        writer.writerow([2, 4, "risk", "3", "3", "3", "3", "unchanged", ""])
    references = load_references(dataset, aliases=MEDCALC_ALIASES)
    path = jsonl([{"id": 1, "completion": completion(101)}, {"id": 2, "completion": completion(3)}])
    result = grade_file(path, GradeOptions(task="medcalc"), references=references)
    summary = summarize(result.tally, task="medcalc", spec="ehrmind", records=result.records)
    assert summary["accuracy"] == 0.5  # graded against the relabelled label (50): 101 is wrong
    assert summary["official"]["original_labels"] == {"n": 2, "accuracy": 1.0}
    assert summary["official"]["relabelled_labels"] == {
        "n": 2,
        "accuracy": 0.5,
        "changed_labels": 1,
    }


def test_json_summary_has_the_public_keys(jsonl, v1_references) -> None:
    path = jsonl(_mixed_rows(50))
    result = grade_file(path, GradeOptions(task="medcalc"), references=v1_references)
    summary = summarize(result.tally, task="medcalc", spec="ehrmind", records=result.records)
    for key in ("n", "accuracy", "mean_reward", "by_category", "bad_rows", "failure_kinds"):
        assert key in summary
    assert summary["n"] == 50
    assert summary["by_category"]["lab"]["n"] == 40  # v1.0 rows 1-40: calculators 2 and 3
    assert summary["by_category"]["risk"]["n"] == 10
    assert set(summary["by_category"]["lab"]) >= {"accuracy", "n"}
    assert sum(summary["failure_kinds"].values()) == 50 - summary["correct"]


def test_verified_csv_is_a_dataset_too(jsonl) -> None:
    verified = V1_TEST_CSV.parents[1] / "verified" / "one_shot_data.csv"
    references = load_references(verified, aliases=MEDCALC_ALIASES)
    assert len(references) == 55  # one example per calculator
    label = references["1"]["ground_truth"]  # calculator 2, a decimal
    path = jsonl(  # two samples of one item
        [
            {"id": 1, "sample": 0, "completion": completion(label)},
            {"id": 1, "sample": 1, "completion": completion("0")},
        ]
    )
    result = grade_file(path, GradeOptions(task="medcalc"), references=references)
    assert (result.tally.total.n, result.tally.total.correct) == (2, 1)
    assert set(result.tally.categories) == {references["1"]["category"]}
