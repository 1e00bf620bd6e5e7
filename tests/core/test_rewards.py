"""Reward specs: EHRMind's values, the alternatives, and the fast Verdict construction."""

from __future__ import annotations

import copy
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehrmind_rewards import grade
from ehrmind_rewards.core.rewards import BINARY, EHRMIND, GRADED, SPECS, RewardSpec, get_spec
from ehrmind_rewards.testing import completion_around
from schemas import Reason, Verdict

ROW = {"calculator_id": 2, "ground_truth": "100", "lower_limit": "95", "upper_limit": "105"}


@pytest.mark.parametrize(
    ("spec", "expected"),
    [(EHRMIND, (-2.0, 0.0, 1.1)), (BINARY, (0.0, 0.0, 1.0)), (GRADED, (-2.0, 0.0, 1.1))],
)
def test_spec_values(spec: RewardSpec, expected: tuple[float, float, float]) -> None:
    broken = grade("<answer>{}</answer>", ROW, spec=spec)
    wrong = grade(completion_around("500"), ROW, spec=spec)
    right = grade(completion_around("100"), ROW, spec=spec)
    assert (broken.score, wrong.score, right.score) == pytest.approx(expected, abs=1e-12)
    for verdict in (broken, wrong, right):
        assert sum(verdict.components.values()) == pytest.approx(verdict.score)


def test_ehrmind_components_are_format_plus_correctness() -> None:
    verdict = grade(completion_around("100"), ROW)
    assert verdict.components == {"format": 0.1, "correctness": 1.0}


@pytest.mark.parametrize(
    ("answer", "credit"),
    [
        ("105", 1.0),  # inside the window: correct, 1.0 + 0.1
        ("110", 0.5),  # relative error 0.10 = window (0.05) + one more window width: 2^-1
        ("115", 0.25),  # two window widths beyond: 2^-2
        ("90", 0.5),
        ("1000", 0.0),
    ],
)
def test_graded_credit_halves_with_every_window_width(answer: str, credit: float) -> None:
    verdict = grade(completion_around(answer), ROW, spec="graded")
    assert verdict.components["correctness"] == pytest.approx(credit, abs=1e-12)


def test_graded_gives_no_partial_credit_to_scores_dates_and_zero_labels() -> None:
    score_row = {"calculator_id": 4, "ground_truth": "3", "lower_limit": "3", "upper_limit": "3"}
    zero_row = {"calculator_id": 46, "ground_truth": "0", "lower_limit": "0", "upper_limit": "0"}
    assert grade(completion_around("4"), score_row, spec=GRADED).score == 0.0
    assert grade(completion_around("0.001"), zero_row, spec=GRADED).score == 0.0


def test_fast_verdict_equals_model_construct() -> None:
    fast = EHRMIND.verdict(format_ok=True, correct=True, reason=Reason.CORRECT, parsed="1")
    slow = Verdict.model_construct(
        score=1.1,
        components={"format": 0.1, "correctness": 1.0},
        format_ok=True,
        correct=True,
        reason=Reason.CORRECT,
        parsed="1",
        detail=None,
        label=None,
        probability=None,
    )
    assert fast == slow and repr(fast) == repr(slow)
    assert fast.model_dump() == slow.model_dump() and fast.model_fields_set == slow.model_fields_set
    assert Verdict.model_validate(fast.model_dump()) == fast
    assert pickle.loads(pickle.dumps(fast)) == fast and copy.deepcopy(fast) == fast
    assert fast.model_copy(update={"detail": "x"}).detail == "x" and fast.detail is None
    with pytest.raises(ValueError, match="frozen"):
        fast.score = 0.0  # type: ignore[misc]


def test_get_spec() -> None:
    assert get_spec(None) is EHRMIND and get_spec("binary") is BINARY
    with pytest.raises(ValueError, match="unknown reward spec"):
        get_spec("nope")


@given(
    spec=st.sampled_from(sorted(SPECS.values(), key=lambda spec: spec.name)),
    correct=st.booleans(),
    parsed=st.one_of(st.none(), st.text(max_size=8)),
    closeness=st.one_of(st.none(), st.floats(min_value=-1, max_value=2, allow_nan=False)),
)
def test_answered_is_the_verdict_of_a_well_formed_answer(
    spec: RewardSpec, correct: bool, parsed: str | None, closeness: float | None
) -> None:
    general = spec.verdict(
        format_ok=True,
        correct=correct,
        reason=Reason.CORRECT if correct else Reason.WRONG_ANSWER,
        parsed=parsed,
        closeness=closeness,
    )
    fast = spec.answered(correct, parsed, closeness)
    assert fast == general and fast.model_dump() == general.model_dump()


@given(
    spec=st.sampled_from(sorted(SPECS.values(), key=lambda spec: spec.name)),
    reason=st.sampled_from([reason for reason in Reason if reason.is_format_failure]),
    detail=st.one_of(st.none(), st.text(max_size=8)),
)
def test_malformed_is_the_verdict_of_a_format_failure(
    spec: RewardSpec, reason: Reason, detail: str | None
) -> None:
    general = spec.verdict(format_ok=False, correct=None, reason=reason, detail=detail)
    fast = spec.malformed(reason, detail)
    assert fast == general and fast.model_dump() == general.model_dump()
