"""Grading flags Eligible answers and labels that the trial's structured fields rule out."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ehrmind_rewards.grading.engine import GradeOptions, grade_file
from ehrmind_rewards.grading.summary import summarize
from ehrmind_rewards.tasks.trials import load_topics, structured_eligibility
from ehrmind_rewards.tasks.trials.analysis import CONTRADICTS_STRUCTURED
from ehrmind_rewards.tasks.trials.ctgov import read_trial
from ehrmind_rewards.tasks.trials.dataset import build_trial_dataset
from schemas.trials import TrialQrel, TrialTopic
from tests.paths import DATA

TREC = DATA / "trec_ct"
TOPICS = {t.query_id: t for t in load_topics(TREC / "trialgpt" / "trec_2022" / "queries.jsonl")}
ADULTS_18_65, _ = read_trial(TREC / "clinicaltrials" / "json_v2" / "studies_page.json")
OLD_MAN = TOPICS["trec-202250"]  # "A 70-year-old man comes to the office accompanied by his wife"
WOMAN = TOPICS["trec-20224"]  # "A 66-year-old woman comes to the office …"
YOUNG_MAN = TOPICS["trec-20225"]  # "A 23-year-old man comes to the emergency department …"


def answer(name: str, idx: int) -> str:
    return f'<think>…</think><answer>{{"prediction": "{name}", "idx": {idx}}}</answer>'


def row(topic: TrialTopic, label: int, completion: str) -> dict[str, Any]:
    return {
        "completion": completion,
        "label": label,
        "query_id": topic.query_id,
        "doc_id": ADULTS_18_65.nct_id,
        "structured_eligibility": structured_eligibility(topic, ADULTS_18_65).to_dict(),
    }


def test_grading_flags_structured_contradictions(jsonl: Callable[[list[dict]], Path]) -> None:
    rows = [
        row(OLD_MAN, 0, answer("Eligible", 2)),  # wrong, and ruled out by age: flagged
        row(OLD_MAN, 2, answer("Eligible", 2)),  # "correct", but the label contradicts the age
        row(OLD_MAN, 0, answer("Excluded", 1)),  # wrong, not a contradiction
        row(YOUNG_MAN, 0, answer("Eligible", 2)),  # wrong, nothing rules the patient out
        row(WOMAN, 0, answer("Irrelevant", 0)),  # age 66: ruled out, answer agrees
        {**row(YOUNG_MAN, 1, answer("Excluded", 1)), "structured_eligibility": "garbled"},
        {"completion": answer("Eligible", 2), "label": 0},  # no column: left alone
    ]
    result = grade_file(jsonl(rows), GradeOptions(task="trials"))
    tally = result.tally
    assert dict(tally.kinds) == {CONTRADICTS_STRUCTURED: 1, "wrong_label": 3}
    assert tally.subkinds[(CONTRADICTS_STRUCTURED, "age")] == 1
    summary = summarize(tally, task="trials", spec="ehrmind", records=result.records)
    structured = summary["structured_eligibility"]
    assert {k: v for k, v in structured.items() if k != "examples"} == {
        "checked": 5,
        "unreadable": 1,
        "ruled_out": 4,
        "eligible_answers_contradicting": 2,
        "eligible_labels_contradicting": 1,
        "fields_not_met": {"age": 4},
    }
    (label_example,) = structured["examples"]["label"]
    assert label_example == {
        "query_id": "trec-202250",
        "doc_id": "NCT90000004",
        "fields": ["age: patient 70 years, trial 18 Years to 65 Years → not met"],
    }
    json.dumps(summary)  # the summary stays JSON


def test_counts_merge_across_workers_and_chunks(jsonl: Callable[[list[dict]], Path]) -> None:
    rows = [row(OLD_MAN, g % 3, answer("Eligible", 2)) for g in range(9)]
    rows += [row(WOMAN, 2, answer("Irrelevant", 0)) for _ in range(4)]
    path = jsonl(rows)
    summaries = []
    for options in (
        GradeOptions(task="trials"),
        GradeOptions(task="trials", workers=2, chunk_rows=3),
    ):
        result = grade_file(path, options)
        summary = summarize(result.tally, task="trials", spec="ehrmind", records=result.records)
        summaries.append(summary["structured_eligibility"])
    assert summaries[0] == summaries[1]
    assert summaries[0]["eligible_answers_contradicting"] == 9
    assert summaries[0]["eligible_labels_contradicting"] == 3 + 4
    assert [e["query_id"] for e in summaries[0]["examples"]["label"]] == ["trec-202250"] * 3 + [
        "trec-20224"
    ] * 2


def test_rows_without_the_column_add_nothing(jsonl: Callable[[list[dict]], Path]) -> None:
    path = jsonl([{"completion": answer("Eligible", 2), "label": 0}])
    result = grade_file(path, GradeOptions(task="trials"))
    summary = summarize(result.tally, task="trials", spec="ehrmind", records=result.records)
    assert "structured_eligibility" not in summary
    assert dict(result.tally.kinds) == {"wrong_label": 1}


def test_dataset_rows_carry_the_column_and_grade_with_it(
    jsonl: Callable[[list[dict]], Path],
) -> None:
    patients = [OLD_MAN, WOMAN, YOUNG_MAN]
    qrels = [TrialQrel(query_id=t.query_id, doc_id="NCT90000004", label=2) for t in patients]
    dataset = build_trial_dataset(
        patients, qrels, {"NCT90000004": ADULTS_18_65}, balanced=False, fractions={"all": 1.0}
    )
    rows = dataset.splits["all"]
    by_patient = {r["query_id"]: r["structured_eligibility"]["age"]["status"] for r in rows}
    assert by_patient == {"trec-202250": "not met", "trec-20224": "not met", "trec-20225": "met"}
    graded = [{**r, "completion": answer("Eligible", 2)} for r in rows]
    result = grade_file(jsonl(graded), GradeOptions(task="trials"))
    summary = summarize(result.tally, task="trials", spec="ehrmind", records=result.records)
    assert summary["structured_eligibility"]["eligible_labels_contradicting"] == 2
    assert summary["structured_eligibility"]["eligible_answers_contradicting"] == 2
