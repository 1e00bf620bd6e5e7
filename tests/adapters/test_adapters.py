"""Adapters: TRL reward functions, verl, OpenRLHF and plain grading share one behaviour."""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest

from ehrmind_rewards import TaskReward, grade, medcalc_reward, reward_fn, tasks
from ehrmind_rewards.adapters.verl import compute_score
from ehrmind_rewards.core.errors import UngradedError
from schemas import MedCalcRecord, Reason

RIGHT = '<think>r</think><answer>{"answer": 25.24}</answer>'
WRONG = '<think>r</think><answer>{"answer": 30}</answer>'
BROKEN = "<answer>25.24</answer>"
ROW = {
    "calculator_id": "2",
    "ground_truth": "25.238",
    "lower_limit": "23.9761",
    "upper_limit": "26.4999",
}


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {key: [row.get(key) for row in rows] for key in rows[0]}


def test_reward_fn_scores_ehrmind_values_and_logs_components() -> None:
    metrics: dict[str, float] = {}
    extra: dict[str, list[Any]] = {}
    scores = reward_fn(
        prompts=["p"] * 3,
        completions=[RIGHT, WRONG, BROKEN],
        log_metric=metrics.__setitem__,
        log_extra=extra.__setitem__,
        **_columns([ROW] * 3),
    )
    assert scores == [1.1, 0.0, -2.0]
    assert metrics["reward_fn/correctness"] == pytest.approx(1 / 3)
    assert metrics["reward_fn/format"] == pytest.approx((0.1 + 0.0 - 2.0) / 3)
    assert extra["reward_fn_reason"] == ["correct", "wrong_answer", "missing_think"]


def test_rows_of_other_tasks_and_bad_records_give_none() -> None:
    rows = [
        {**ROW, "task": "medcalc"},
        {**ROW, "task": "no-such-task"},
        {**ROW, "task": "medcalc", "lower_limit": "30"},  # limits exclude the label
    ]
    assert reward_fn(prompts=["p"] * 3, completions=[RIGHT] * 3, **_columns(rows)) == [
        1.1,
        None,
        None,
    ]
    assert medcalc_reward(completions=[RIGHT], task=["trials"], **_columns([ROW])) == [None]


def test_reward_functions_pickle_and_keep_their_name() -> None:
    for function in (reward_fn, medcalc_reward, TaskReward("trials", "binary")):
        clone = pickle.loads(pickle.dumps(function))
        assert clone.__name__ == function.__name__
    assert medcalc_reward.__name__ == "medcalc_reward"
    assert TaskReward("medcalc", "graded").__name__ == "medcalc_reward_graded"


def test_internal_error_scores_as_format_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(tasks.get("medcalc"), "verify_row", explode)
    verdict = grade(RIGHT, ROW)
    assert verdict.reason is Reason.INTERNAL_ERROR and verdict.score == -2.0
    assert reward_fn(completions=[RIGHT], **_columns([ROW])) == [-2.0]


def test_grade_accepts_records_and_mappings() -> None:
    record = MedCalcRecord.model_validate(ROW)
    assert grade(RIGHT, record).score == grade(RIGHT, ROW).score == 1.1
    assert grade(WRONG, record, spec="binary").score == 0.0
    with pytest.raises(
        UngradedError, match=r"no task family recognizes a row with columns \[label\]"
    ):
        grade(RIGHT, {"label": 1})


def test_verl_compute_score_reads_ground_truth_and_extra_info() -> None:
    as_json = compute_score("medcalc", RIGHT, json.dumps(ROW))
    split = compute_score(
        "ehrmind/medcalc", RIGHT, "25.238", {k: v for k, v in ROW.items() if k != "ground_truth"}
    )
    assert as_json == split
    assert as_json["score"] == 1.1 and as_json["correctness"] == 1.0 and as_json["graded"] == 1.0
    unknown = compute_score("other", RIGHT, "{}")
    assert unknown.keys() == as_json.keys() and unknown["graded"] == 0.0


@pytest.mark.parametrize("source", ["trec_ct_2021", "ehrmind/trials", "TREC-CT-2022"])
def test_verl_routes_trial_sources_by_name(source: str) -> None:
    eligible = '<think>r</think><answer>{"prediction": "Eligible", "idx": 2}</answer>'
    result = compute_score(source, eligible, "2")
    assert result["graded"] == 1.0 and result["correct"] == 1.0


def test_openrlhf_reward_func_strips_the_prompt() -> None:
    torch = pytest.importorskip("torch", reason="the OpenRLHF adapter returns torch tensors")
    from ehrmind_rewards.adapters.openrlhf import reward_func

    out = reward_func(
        ["PROMPT<think>" + RIGHT[7:], "PROMPT" + BROKEN], ["PROMPT<think>", "PROMPT"], [ROW, ROW]
    )
    assert out["rewards"].tolist() == pytest.approx([1.1, -2.0])
    assert torch.equal(out["scores"], torch.tensor([1.0, 0.0]))
