"""The server's grading functions give exactly what the in-process adapters give."""

from __future__ import annotations

import json
import time

import pytest

from ehrmind_rewards import grade
from ehrmind_rewards.core.dispatch import task_of
from ehrmind_rewards.core.rewards import EHRMIND, SPECS, get_spec
from ehrmind_rewards.serve.scoring import (
    UNHANDLED,
    GradingTimeout,
    Tally,
    openrlhf_rewards,
    result_of,
    score_items,
)
from tests.serve.cases import all_items


@pytest.mark.parametrize("spec", sorted(SPECS))
def test_batch_results_equal_grade(spec: str) -> None:
    items = all_items()
    tally = Tally()
    results = score_items([c for c, _ in items], [r for _, r in items], get_spec(spec), tally=tally)
    expected = [result_of(grade(c, r, spec), task_of(r) or "") for c, r in items]
    assert results == expected
    assert sum(tally.verdicts.values()) == len(items)
    json.dumps(results, allow_nan=False)  # JSON as it stands


def test_unhandled_records_are_results_not_errors() -> None:
    tally = Tally()
    results = score_items(["x", "x"], [{}, {"foo": 1}], EHRMIND, tally=tally)
    results += score_items(
        ["x"], [{"task": "trials", "label": 2}], EHRMIND, task="medcalc", tally=tally
    )
    assert [r["reason"] for r in results] == [UNHANDLED] * 3
    assert [r["score"] for r in results] == [None] * 3
    assert "keys: foo" in results[1]["detail"]
    assert "the record's task is 'trials', the request asks for 'medcalc'" in results[2]["detail"]
    assert tally.unhandled == 3
    # a task given for the whole request grades records without markers as that task
    forced = score_items(["x"], [{}], EHRMIND, task="medcalc")[0]
    assert (forced["reason"], forced["task"], forced["score"]) == ("bad_record", "medcalc", None)


def test_openrlhf_rewards_equal_the_in_process_reward_func() -> None:
    torch = pytest.importorskip("torch", reason="OpenRLHF's in-process adapter returns tensors")
    from ehrmind_rewards.adapters.openrlhf import reward_func

    items = all_items()
    prompts = [f"<|user|>Question {i}<|assistant|>" for i in range(len(items))]
    queries = [
        p + (c if isinstance(c, str) else "") for p, (c, _) in zip(prompts, items, strict=True)
    ]
    labels = [json.dumps(r) for _, r in items] + ["not a record"]
    queries, prompts = [*queries, "P x"], [*prompts, "P"]
    served = openrlhf_rewards(queries, prompts, labels, EHRMIND)
    local = reward_func(queries, prompts, labels)
    assert served["rewards"] == pytest.approx(local["rewards"].tolist())
    assert served["scores"] == local["scores"].tolist()
    for key in ("accuracy", "format_ok"):
        assert served["extra_logs"][key] == pytest.approx(float(local["extra_logs"][key]))
    assert served["extra_logs"]["graded"] < 1.0  # the unhandled label is visible
    assert isinstance(torch.tensor(served["rewards"]), torch.Tensor)


def test_a_passed_deadline_stops_grading() -> None:
    items = all_items() * 3
    with pytest.raises(GradingTimeout):
        score_items(
            [c for c, _ in items], [r for _, r in items], EHRMIND, deadline=time.monotonic() - 1
        )
    with pytest.raises(GradingTimeout):
        openrlhf_rewards(
            ["q"] * 40, ["q"] * 40, ["{}"] * 40, EHRMIND, deadline=time.monotonic() - 1
        )
