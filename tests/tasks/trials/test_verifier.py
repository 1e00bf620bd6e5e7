"""The trial-matching verifier: rules, reward values, partial credit and hostile completions."""

from __future__ import annotations

import json
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehrmind_rewards import tasks
from ehrmind_rewards.core.rewards import BINARY, EHRMIND, GRADED, TRIALS_PARTIAL
from ehrmind_rewards.tasks.trials.verifier import verify_row
from ehrmind_rewards.testing import (
    assert_reward_invariants,
    hostile_completions,
    structural_defects,
)
from schemas.reasons import Reason

NAMES = ["Irrelevant", "Excluded", "Eligible"]


def answer(payload: str, think: str = "The patient has X.") -> str:
    return f"<think>{think}</think>\n<answer>{payload}</answer>"


def pred(name: str, idx: object) -> str:
    return answer(json.dumps({"prediction": name, "idx": idx}))


def test_registered() -> None:
    assert tasks.get("trials").verify_row("x", {"label": 1}, EHRMIND) == verify_row(
        "x", {"label": 1}, EHRMIND
    )


@pytest.mark.parametrize("grade", [0, 1, 2])
def test_correct_answer_for_each_grade(grade: int) -> None:
    verdict = verify_row(pred(NAMES[grade], grade), {"label": grade}, EHRMIND)
    assert (verdict.correct, verdict.reason, verdict.score) == (True, Reason.CORRECT, 1.1)
    assert verdict.parsed == f"{NAMES[grade]} ({grade})"


@pytest.mark.parametrize(
    ("completion", "reason", "score"),
    [
        (pred("Eligible", 1), Reason.LABEL_MISMATCH, 0.0),
        (pred("Excluded", 1), Reason.WRONG_ANSWER, 0.0),
        (pred("Maybe", 2), Reason.UNKNOWN_LABEL, 0.0),
        (pred("Eligible", 3), Reason.UNKNOWN_LABEL, 0.0),
        (pred("Eligible", -2), Reason.UNKNOWN_LABEL, 0.0),
        (pred("Eligible", "2"), Reason.WRONG_TYPE, 0.0),
        (pred("Eligible", 2.0), Reason.WRONG_TYPE, 0.0),
        (pred("Eligible", True), Reason.WRONG_TYPE, 0.0),
        (pred("Eligible", None), Reason.WRONG_TYPE, 0.0),
        (
            answer('{"prediction": ["Eligible", "Excluded"], "idx": 2}'),
            Reason.MULTIPLE_CANDIDATES,
            0.0,
        ),
        (answer('{"prediction": 2, "idx": 2}'), Reason.WRONG_TYPE, 0.0),
        (answer('{"prediction": "Eligible"}'), Reason.MISSING_KEY, -2.0),
        (answer('{"prediction": "Eligible", "idx": 2, "idx": 2}'), Reason.DUPLICATE_KEY, -2.0),
        (answer('["Eligible", 2]'), Reason.PAYLOAD_NOT_OBJECT, -2.0),
        (answer("Eligible"), Reason.INVALID_JSON, -2.0),
        (pred("Eligible", 2) + " I am sure.", Reason.TRAILING_TEXT, -2.0),
        (pred("Eligible", 2) + pred("Eligible", 2), Reason.DUPLICATE_THINK, -2.0),
        ('<answer>{"prediction": "Eligible", "idx": 2}</answer>', Reason.MISSING_THINK, -2.0),
        ("", Reason.EMPTY, -2.0),
    ],
)
def test_rules(completion: str, reason: Reason, score: float) -> None:
    verdict = verify_row(completion, {"label": 2}, EHRMIND)
    assert verdict.reason is reason
    assert verdict.score == score
    assert verdict.correct is (None if reason.is_format_failure else False)


def test_end_of_turn_token_and_synonym_accepted() -> None:
    completion = pred("eligible to enroll", 2) + "<|eot_id|>\n"
    assert verify_row(completion, {"label": 2}, EHRMIND).correct is True


def test_prefilled_think_and_conversational_completion() -> None:
    text = 'patient is 45 y.o.</think><answer>{"prediction": "Excluded", "idx": 1}</answer>'
    assert verify_row(text, {"label": 1}, EHRMIND).correct is True
    messages = [{"role": "assistant", "content": text}]
    assert verify_row(messages, {"label": 1}, EHRMIND).correct is True


@pytest.mark.parametrize(
    "row",
    [{"label": 2}, {"label": "2"}, {"label": "Eligible"}, {"label": 2, "idx": 2}],
)
def test_row_label_forms(row: dict[str, object]) -> None:
    assert verify_row(pred("Eligible", 2), row, EHRMIND).correct is True


@pytest.mark.parametrize(
    "row",
    [
        {},
        {"label": 3},
        {"label": None},
        {"label": "Maybe"},
        {"label": 2, "idx": 1},
        {"label": True},
    ],
)
def test_unusable_rows(row: dict[str, object]) -> None:
    verdict = verify_row(pred("Eligible", 2), row, EHRMIND)
    assert verdict.reason is Reason.BAD_RECORD
    assert verdict.correct is None
    assert verdict.format_ok is True


@pytest.mark.parametrize(
    ("predicted", "gold", "score"),
    [
        (2, 1, 0.5),  # eligible predicted, excluded gold: both relevant
        (1, 2, 0.5),
        (0, 1, 0.0),  # any confusion with not relevant earns nothing
        (2, 0, 0.0),
        (1, 1, 1.1),
    ],
)
def test_partial_credit_for_relevant_confusions(predicted: int, gold: int, score: float) -> None:
    verdict = verify_row(pred(NAMES[predicted], predicted), {"label": gold}, TRIALS_PARTIAL)
    assert verdict.score == pytest.approx(score)
    assert verify_row(pred(NAMES[predicted], predicted), {"label": gold}, GRADED).score == (
        pytest.approx(score)
    )
    assert verify_row(pred(NAMES[predicted], predicted), {"label": gold}, EHRMIND).score == (
        1.1 if predicted == gold else 0.0
    )


def test_no_partial_credit_for_contradiction() -> None:
    verdict = verify_row(pred("Eligible", 1), {"label": 1}, TRIALS_PARTIAL)
    assert verdict.score == 0.0


def test_binary_spec_and_picklable() -> None:
    assert verify_row(pred("Eligible", 2), {"label": 2}, BINARY).score == 1.0
    assert verify_row("junk", {"label": 2}, BINARY).score == 0.0
    assert pickle.loads(pickle.dumps(verify_row)) is verify_row


# ------------------------------------------------------------------ hostile completions

names = st.sampled_from([*NAMES, "eligible", "ELIGIBLE", "not relevant", "", "Eligible!", "x" * 70])
idx_values = st.one_of(
    st.integers(-5, 5), st.floats(allow_nan=True), st.booleans(), st.none(), st.text(max_size=3)
)
payload_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8), names),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
fragments = st.sampled_from(
    [
        "<think>",
        "</think>",
        "<answer>",
        "</answer>",
        "{",
        "}",
        '"idx": 2',
        '"prediction": "Eligible"',
        ",",
        " ",
        "\n",
        "<|eot_id|>",
        "\\",
        '"',
        "Eligible",
        "2",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(fragments, max_size=30).map("".join), st.integers(0, 2))
def test_tag_soup_never_raises_and_scores_in_range(text: str, grade: int) -> None:
    verdict = verify_row(text, {"label": grade}, EHRMIND)
    assert verdict.score in (-2.0, 0.0, 1.1)
    assert (verdict.score == -2.0) == (not verdict.format_ok)


@settings(max_examples=300, deadline=None)
@given(
    names,
    idx_values,
    st.dictionaries(st.text(max_size=5), payload_values, max_size=3),
    st.integers(0, 2),
)
def test_payloads_correct_only_when_name_and_idx_both_match(
    name: str, idx: object, extra: dict[str, object], grade: int
) -> None:
    payload = {**extra, "prediction": name, "idx": idx}
    verdict = verify_row(answer(json.dumps(payload)), {"label": grade}, TRIALS_PARTIAL)
    from schemas.trials import label_from_name

    exact_idx = type(idx) is int and idx == grade
    should_be_correct = (
        label_from_name(name) is not None and int(label_from_name(name)) == grade and exact_idx
    )
    assert verdict.correct is should_be_correct
    assert verdict.format_ok
    assert verdict.score in (0.0, 0.5, 1.1)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.integers(0, 2))
def test_arbitrary_text_never_raises(text: str, grade: int) -> None:
    for completion in (
        text,
        answer(text),
        pred("Eligible", 2) + text,
        [{"role": "assistant", "content": text}],
    ):
        verdict = verify_row(completion, {"label": grade}, EHRMIND)
        assert verdict.score in (-2.0, 0.0, 1.1)


@pytest.mark.parametrize(
    "completion",
    [
        answer("[" * 100_000 + "]" * 100_000),
        answer('{"prediction": "' + "E" * 200_000 + '", "idx": 2}'),
        answer('{"prediction": "Eligible", "idx": ' + "9" * 5000 + "}"),
        "<think>" * 50_000,
        {"role": "assistant", "content": None},
        12345,
        None,
    ],
)
def test_pathological_inputs_are_typed_failures(completion: object) -> None:
    verdict = verify_row(completion, {"label": 2}, EHRMIND)
    assert verdict.correct is not True


# ------------------------------------------------------------------ trainer entry points and kit


def test_trial_reward_and_reward_fn_dispatch() -> None:
    from ehrmind_rewards import reward_fn, trial_reward

    completions = [pred("Eligible", 2), pred("Excluded", 1), "junk", pred("Eligible", 2)]
    columns = {"task": ["trials", "trials", "trials", "medcalc"], "label": [2, 2, 0, 2]}
    assert trial_reward(completions=completions, **columns) == [1.1, 0.0, -2.0, None]
    assert reward_fn(completions=completions[:3], **{k: v[:3] for k, v in columns.items()}) == [
        1.1,
        0.0,
        -2.0,
    ]
    assert trial_reward.__name__ == "trial_reward"
    assert pickle.loads(pickle.dumps(trial_reward))(completions=completions[:1], label=[2]) == [1.1]
    # an unusable gold label is left out of the mean, not scored
    assert trial_reward(completions=[pred("Eligible", 2)], label=[7]) == [None]


@settings(max_examples=150, deadline=None)
@given(hostile_completions(), st.integers(0, 2))
def test_hostile_completions_from_the_kit(completion: object, grade: int) -> None:
    for spec in (EHRMIND, TRIALS_PARTIAL):
        assert_reward_invariants(
            lambda c, s=spec: verify_row(c, {"label": grade}, s).score, completion, spec
        )


@pytest.mark.parametrize(("completion", "reason"), structural_defects('"Eligible"'))
def test_structural_defects_from_the_kit(completion: object, reason: Reason) -> None:
    assert verify_row(completion, {"label": 2}, EHRMIND).reason is reason


def test_verl_compute_score_with_scalar_or_json_ground_truth() -> None:
    from ehrmind_rewards.adapters.verl import compute_score

    for truth in (2, "2", '{"label": 2, "idx": 2}'):
        result = compute_score("trial_matching", pred("Eligible", 2), truth)
        assert (result["score"], result["correct"]) == (1.1, 1.0)
    assert compute_score("trials", pred("Irrelevant", 0), 2)["score"] == 0.0


def test_predicted_grade_for_graders() -> None:
    from ehrmind_rewards.tasks.trials.verifier import predicted_grade

    assert [predicted_grade(pred(NAMES[g], g)) for g in range(3)] == [0, 1, 2]
    assert predicted_grade(pred("Eligible", 0)) is None  # contradiction
    assert predicted_grade(pred("Maybe", 1)) is None
    assert predicted_grade("no envelope") is None


def test_partial_credit_spec_is_selectable_by_name() -> None:
    from ehrmind_rewards import TaskReward

    reward = TaskReward("trials", "trials_partial")
    completion = '<think>r</think><answer>{"prediction": "Excluded", "idx": 1}</answer>'
    scores = reward(prompts=["p"], completions=[completion], label=[2])
    assert scores == [pytest.approx(0.5)]
