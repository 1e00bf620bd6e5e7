"""Chest X-ray findings under proper scores: per finding, balanced, not gameable by a constant."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehrmind_rewards import grade
from ehrmind_rewards.tasks.ehrshot.benchmark import CHEXPERT_FINDINGS
from ehrmind_rewards.tasks.ehrshot.verifier import multilabel_score

GOLDS = st.lists(st.integers(0, 1), min_size=14, max_size=14).filter(lambda g: 0 < sum(g) < 14)
UNINFORMATIVE = {"brier": 0.75, "log": 1 + (-0.30102999566398120) / 4}


@pytest.mark.parametrize("rule", ["brier", "log"])
@given(gold=GOLDS)
def test_degenerate_certain_answers_earn_half(rule: str, gold: list[int]) -> None:
    assert multilabel_score([0.0] * 14, gold, rule) == pytest.approx(0.5)
    assert multilabel_score([1.0] * 14, gold, rule) == pytest.approx(0.5)
    assert multilabel_score([float(y) for y in gold], gold, rule) == pytest.approx(1.0)


@pytest.mark.parametrize("rule", ["brier", "log"])
@given(gold=GOLDS, p=st.floats(0, 1))
def test_one_probability_for_every_finding_never_beats_the_uninformative_answer(
    rule: str, gold: list[int], p: float
) -> None:
    assert multilabel_score([p] * 14, gold, rule) <= UNINFORMATIVE[rule] + 1e-12


def test_a_study_with_one_kind_of_finding_averages_over_all() -> None:
    assert multilabel_score([0.2] * 14, [0] * 14, "brier") == pytest.approx(1 - 0.04)


def _answer(bits: list[int], probabilities: list[float] | None = None) -> str:
    names = [name for name, bit in zip(CHEXPERT_FINDINGS, bits, strict=True) if bit]
    payload: dict[str, object] = {"prediction": names, "label": bits}
    if probabilities is not None:
        payload["probability"] = probabilities
    return f"<think>x</think><answer>{json.dumps(payload)}</answer>"


def test_the_all_negative_answer_no_longer_earns_most_of_the_reward() -> None:
    gold = [0] * 14
    gold[13] = 1  # Support Devices only
    row = {"ehrshot_task": "chexpert", "label": gold}
    right, negative = grade(_answer(gold), row, "brier"), grade(_answer([0] * 14), row, "brier")
    assert right.score == pytest.approx(1.1)
    assert negative.components["correctness"] == pytest.approx(0.5)  # a plain mean paid 13/14
    hedged = grade(_answer([0] * 14, [0.5] * 14), row, "log_score")
    assert hedged.components["correctness"] == pytest.approx(UNINFORMATIVE["log"])
