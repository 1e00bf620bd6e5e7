"""Trial-matching prompts (budget trimming) and the patient-split, class-balanced dataset."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from ehrmind_rewards.core.parsing.envelope import PREFILL
from ehrmind_rewards.core.rewards import EHRMIND
from ehrmind_rewards.tasks.trials import load_qrels, load_topics
from ehrmind_rewards.tasks.trials.ctgov import read_trial
from ehrmind_rewards.tasks.trials.dataset import build_trial_dataset, split_patients
from ehrmind_rewards.tasks.trials.prompts import (
    TRUNCATION_MARK,
    PromptTooLongError,
    approx_token_count,
    trial_messages,
)
from ehrmind_rewards.tasks.trials.verifier import verify_row
from schemas.trials import LABEL_NAMES, TrialLabel, TrialQrel, TrialRecord, TrialTopic
from tests.paths import DATA

TREC = DATA / "trec_ct"
(TRIAL,) = read_trial(TREC / "clinicaltrials" / "snapshot_2021" / "NCT9000xxxx" / "NCT90000001.xml")
PATIENT = "A 52-year-old woman with primary Sjögren's syndrome, anti-SSA positive, on no therapy."


def words(text: str) -> int:
    return len(text.split())


def test_messages_ask_for_the_answer_format_with_the_shared_names() -> None:
    messages = trial_messages(PATIENT, TRIAL)
    assert [m["role"] for m in messages] == ["system", "user", "assistant"]
    assert messages[-1]["content"] == PREFILL
    system = messages[0]["content"]
    for label in TrialLabel:
        assert f'"{LABEL_NAMES[label]}" with idx {int(label)}' in system
    user = messages[1]["content"]
    assert PATIENT in user and "1. Age ≥ 18 years" in user and "Exclusion criteria:" in user
    assert TRUNCATION_MARK not in user
    assert trial_messages(PATIENT, TRIAL, prefill=False)[-1]["role"] == "user"


def test_budget_trims_trial_from_the_end_never_the_patient() -> None:
    full = trial_messages(PATIENT, TRIAL, count_tokens=words)
    size = sum(words(m["content"]) for m in full)
    budget = size - 40
    trimmed = trial_messages(PATIENT, TRIAL, max_prompt_tokens=budget, count_tokens=words)
    assert sum(words(m["content"]) for m in trimmed) <= budget
    user = trimmed[1]["content"]
    assert PATIENT in user and TRUNCATION_MARK in user
    assert "Summary:" not in user  # the least important line goes first
    assert f"Trial {TRIAL.nct_id}" in user
    # the largest prefix that fits: one more line would exceed the budget
    kept = user.split("Clinical trial:\n")[1].split(f"\n{TRUNCATION_MARK}")[0].splitlines()
    assert 0 < len(kept) < len(full[1]["content"].splitlines())


def test_patient_alone_over_budget_raises() -> None:
    long_patient = "word " * 3000
    with pytest.raises(PromptTooLongError):
        trial_messages(long_patient, TRIAL, max_prompt_tokens=1500)
    assert approx_token_count("abcd" * 10) == 10


def _toy_inputs() -> tuple[list[TrialTopic], list[TrialQrel], dict[str, TrialRecord]]:
    topics = [TrialTopic(query_id=f"p{i}", text=f"patient {i}") for i in range(10)]
    trials = {f"NCT{j}": TRIAL.model_copy(update={"nct_id": f"NCT{j}"}) for j in range(6)}
    qrels = [
        TrialQrel(query_id=f"p{i}", doc_id=f"NCT{j}", label=TrialLabel((i + j) % 3 if j else 0))
        for i in range(10)
        for j in range(7)  # NCT6 has no trial record
    ]
    return topics, qrels, trials


def test_dataset_rows_split_by_patient_balanced_and_seeded() -> None:
    topics, qrels, trials = _toy_inputs()
    dataset = build_trial_dataset(topics, qrels, trials, seed=3)
    train, test = dataset.splits["train"], dataset.splits["test"]
    assert {r["query_id"] for r in train}.isdisjoint({r["query_id"] for r in test})
    assert len({r["query_id"] for r in test}) == 2  # 20% of 10 patients
    for rows in (train, test):
        counts = Counter(r["label"] for r in rows)
        assert len(set(counts.values())) == 1 and set(counts) == {0, 1, 2}
    row = train[0]
    assert row["task"] == "trials" and row["label_name"] == LABEL_NAMES[TrialLabel(row["label"])]
    assert dataset.missing_trials == ["NCT6"]
    again = build_trial_dataset(topics, qrels, trials, seed=3)
    assert json.dumps(again.splits) == json.dumps(dataset.splits)
    other = build_trial_dataset(topics, qrels, trials, seed=4)
    assert json.dumps(other.splits) != json.dumps(dataset.splits)


def test_dataset_options_and_reports() -> None:
    topics, qrels, trials = _toy_inputs()
    everything = build_trial_dataset(
        topics[:9], qrels, trials, balanced=False, fractions={"all": 1.0}
    )
    assert len(everything.splits["all"]) == 9 * 6
    assert everything.missing_topics == ["p9"]
    capped = build_trial_dataset(topics, qrels, trials, per_class=1, fractions={"all": 1.0})
    assert Counter(r["label"] for r in capped.splits["all"]) == {0: 1, 1: 1, 2: 1}
    tight = build_trial_dataset(topics, qrels, trials, max_prompt_tokens=10, fractions={"all": 1.0})
    assert tight.splits["all"] == [] and len(tight.too_long) > 0
    with pytest.raises(ValueError, match="sum to"):
        split_patients(["a"], {"train": 0.5}, 0)


def test_rows_grade_with_the_verifier() -> None:
    topics, qrels, trials = _toy_inputs()
    for row in build_trial_dataset(topics, qrels, trials).splits["train"]:
        name = row["label_name"]
        completion = f'x</think><answer>{{"prediction": "{name}", "idx": {row["label"]}}}</answer>'
        assert verify_row(completion, row, EHRMIND).correct is True


def test_real_topics_split_without_patient_leakage() -> None:
    topics = load_topics(TREC / "trialgpt/trec_2021/queries.jsonl")
    qrels = load_qrels(TREC / "trialgpt/trec_2021/qrels/test.tsv")
    splits = split_patients((q.query_id for q in qrels), {"train": 0.7, "dev": 0.1, "test": 0.2}, 0)
    assert sum(len(ids) for ids in splits.values()) == len(topics) == 75
    assert [len(ids) for ids in splits.values()] == [
        52,
        8,
        15,
    ]  # boundaries round(52.5) = 52 (half to even), round(60) = 60
    seen = [qid for ids in splits.values() for qid in ids]
    assert len(seen) == len(set(seen))


def test_rows_carry_the_structured_pre_check() -> None:
    topics, qrels, trials = _toy_inputs()
    for row in build_trial_dataset(topics, qrels, trials).splits["train"]:
        checks = row["structured_eligibility"]
        assert set(checks) == {"age", "sex", "healthy_volunteers"}
        assert checks["age"]["trial"] == "at least 18 Years"  # the fixture trial's limit


def test_questionnaire_topics_prompt_with_their_field_names() -> None:
    (glaucoma, *_) = load_topics(TREC / "trec_2023" / "topics2023_sample.xml")
    user = trial_messages(glaucoma.text, TRIAL)[1]["content"]
    assert "Questionnaire template: glaucoma\ndefinitive diagnosis: primary open angle" in user


def test_a_record_without_structured_fields_claims_no_age_range() -> None:
    bare = TrialRecord(nct_id="NCT1", title="T", inclusion=("adults",))
    user = trial_messages(PATIENT, bare)[1]["content"]
    assert "Ages:" not in user and "Sex:" not in user
