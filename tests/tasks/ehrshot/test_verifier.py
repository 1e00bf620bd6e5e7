"""EHRSHOT verifier: labels, name/label agreement, class weights, proper scores, hostile input."""

from __future__ import annotations

import json
import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import balanced_accuracy_score

from ehrmind_rewards import ehrshot_reward, reward_fn, tasks
from ehrmind_rewards.core.rewards import BINARY, BRIER, EHRMIND, GRADED, LOG_SCORE, get_spec
from ehrmind_rewards.tasks.ehrshot.benchmark import CHEXPERT_FINDINGS, TASKS, TaskKind, get_task
from ehrmind_rewards.tasks.ehrshot.verifier import verify_row
from ehrmind_rewards.tasks.ehrshot.weights import class_weights, with_class_weights
from ehrmind_rewards.testing import assert_reward_invariants, hostile_completions
from schemas import Reason


def answer(payload: object, think: str = "reasoning") -> str:
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return f"<think>{think}</think><answer>{body}</answer>"


def row(task: str, label: object, weight: float | None = None) -> dict[str, object]:
    out: dict[str, object] = {"task": "ehrshot", "ehrshot_task": task, "label": label}
    if weight is not None:
        out["class_weight"] = weight
    return out


def test_registry_has_all_fifteen_tasks_with_ehrshot_names() -> None:
    assert set(TASKS) == {
        "guo_los", "guo_readmission", "guo_icu",
        "lab_thrombocytopenia", "lab_hyperkalemia", "lab_hypoglycemia", "lab_hyponatremia",
        "lab_anemia",
        "new_hypertension", "new_hyperlipidemia", "new_pancan", "new_celiac", "new_lupus",
        "new_acutemi",
        "chexpert",
    }  # fmt: skip
    assert tasks.get("ehrshot").verify_row("x", {}, EHRMIND).reason == "bad_record"


def test_binary_label_names_follow_the_outcome() -> None:
    task = get_task("new_acutemi")
    assert task.class_names == ("no acute MI", "acute MI")
    assert task.label_index("  ACUTE   mi ") == 1
    assert task.label_index("yes") == 1 and task.label_index("No") == 0
    assert get_task("lab_anemia").class_names == ("normal", "mild", "moderate", "severe")
    assert len(get_task("chexpert").class_names) == 14


@pytest.mark.parametrize(
    ("payload", "gold", "reason", "score"),
    [
        ({"prediction": "hypertension", "label": 1}, 1, Reason.CORRECT, 1.1),
        ({"prediction": "yes", "label": 1}, 1, Reason.CORRECT, 1.1),
        ({"prediction": "no hypertension", "label": 0}, 1, Reason.WRONG_ANSWER, 0.0),
        ({"prediction": "hypertension", "label": 0}, 0, Reason.LABEL_MISMATCH, 0.0),
        ({"prediction": "diabetes", "label": 1}, 1, Reason.UNKNOWN_LABEL, 0.0),
        ({"prediction": "hypertension", "label": 2}, 1, Reason.UNKNOWN_LABEL, 0.0),
        ({"prediction": "hypertension", "label": "1"}, 1, Reason.WRONG_TYPE, 0.0),
        ({"prediction": "hypertension", "label": True}, 1, Reason.WRONG_TYPE, 0.0),
        ({"prediction": "hypertension", "label": 1.0}, 1, Reason.WRONG_TYPE, 0.0),
        ({"prediction": ["hypertension", "no hypertension"], "label": 1}, 1,
         Reason.MULTIPLE_CANDIDATES, 0.0),
        ({"prediction": "hypertension", "label": 1, "probability": 0.2}, 1,
         Reason.LABEL_MISMATCH, 0.0),
        ({"prediction": "hypertension", "label": 1, "probability": 1.5}, 1,
         Reason.UNPARSEABLE_VALUE, 0.0),
        ({"prediction": "hypertension"}, 1, Reason.MISSING_KEY, -2.0),
    ],
)  # fmt: skip
def test_binary_outcomes(payload: object, gold: int, reason: Reason, score: float) -> None:
    verdict = verify_row(answer(payload), row("new_hypertension", gold), EHRMIND)
    assert verdict.reason is reason
    assert verdict.score == pytest.approx(score)


def test_lab_and_bad_records() -> None:
    good = answer({"prediction": "Moderate", "label": 2})
    assert verify_row(good, row("lab_hyponatremia", 2), EHRMIND).correct is True
    assert verify_row(good, row("lab_hyponatremia", 3), EHRMIND).reason is Reason.WRONG_ANSWER
    for bad in (row("lab_hyponatremia", 4), row("nope", 1), row("new_lupus", "x"),
                row("new_lupus", 1, weight=float("nan")), {"label": 1}):  # fmt: skip
        verdict = verify_row(good, bad, EHRMIND)
        assert verdict.reason is Reason.BAD_RECORD and verdict.correct is None


def test_chexpert_exact_match_and_jaccard_partial_credit() -> None:
    gold = [0] * 14
    gold[2] = gold[10] = 1  # Cardiomegaly, Pleural Effusion
    exact = answer({"prediction": ["Cardiomegaly", "pleural effusion"], "label": gold})
    assert verify_row(exact, row("chexpert", gold), EHRMIND).score == pytest.approx(1.1)
    half = [0] * 14
    half[2] = 1
    partial = answer({"prediction": ["Cardiomegaly"], "label": half})
    verdict = verify_row(partial, row("chexpert", gold), GRADED)
    assert verdict.correct is False and verdict.score == pytest.approx(0.5)  # |∩|=1, |∪|=2
    nothing = answer({"prediction": [], "label": [0] * 14})
    assert verify_row(nothing, row("chexpert", gold), GRADED).score == 0.0
    lying = answer({"prediction": ["Cardiomegaly"], "label": gold})
    assert verify_row(lying, row("chexpert", gold), EHRMIND).reason is Reason.LABEL_MISMATCH
    repeated = answer({"prediction": ["Edema", "Edema"], "label": [0] * 14})
    assert verify_row(repeated, row("chexpert", gold), EHRMIND).reason is (
        Reason.MULTIPLE_CANDIDATES
    )


def test_class_weights_are_half_n_over_n_class() -> None:
    assert class_weights([0, 0, 0, 1]) == {0: 0.5 * 4 / 3, 1: 0.5 * 4 / 1}
    rows = with_class_weights([row("new_lupus", 0), row("new_lupus", 1), row("new_lupus", 0)])
    assert [r["class_weight"] for r in rows] == [0.75, 1.5, 0.75]


@pytest.mark.filterwarnings("ignore::UserWarning")
@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["new_hypertension", "guo_icu", "lab_anemia", "lab_hypoglycemia"]),
    st.data(),
)
def test_mean_weighted_reward_equals_balanced_accuracy(task_name: str, data: st.DataObject) -> None:
    task = get_task(task_name)
    n = task.n_classes
    gold = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=60))
    pred = data.draw(st.lists(st.integers(0, n - 1), min_size=len(gold), max_size=len(gold)))
    rows = with_class_weights(row(task_name, g) for g in gold)
    completions = [answer({"prediction": task.class_names[p], "label": p}) for p in pred]
    binary = [verify_row(c, r, BINARY).score for c, r in zip(completions, rows, strict=True)]
    ehrmind = [
        verify_row(c, r, EHRMIND).components["correctness"]
        for c, r in zip(completions, rows, strict=True)
    ]
    expected = balanced_accuracy_score(gold, pred)
    assert np.mean(binary) == pytest.approx(expected, abs=1e-12)
    assert np.mean(ehrmind) == pytest.approx(expected, abs=1e-12)


def test_proper_scores() -> None:
    task_row = row("new_pancan", 1)
    stated = answer({"prediction": "pancreatic cancer", "label": 1, "probability": 0.8})
    brier = verify_row(stated, task_row, BRIER)
    assert brier.components["correctness"] == pytest.approx(1 - 0.2**2)
    log = verify_row(stated, task_row, get_spec("log_score"))
    assert log.components["correctness"] == pytest.approx(1 + math.log10(0.8) / 4)
    wrong = answer({"prediction": "no pancreatic cancer", "label": 0, "probability": 0.3})
    assert verify_row(wrong, task_row, BRIER).components["correctness"] == pytest.approx(1 - 0.49)
    certain = answer({"prediction": "no pancreatic cancer", "label": 0})
    assert verify_row(certain, task_row, LOG_SCORE).components["correctness"] == 0.0
    lab = answer({"prediction": "mild", "label": 1, "probability": [0.2, 0.5, 0.2, 0.1]})
    expected = 1 - (0.2**2 + 0.5**2 + 0.2**2 + 0.1**2) / 2
    assert verify_row(lab, row("lab_anemia", 1), BRIER).components["correctness"] == (
        pytest.approx(expected)
    )
    # expected Brier credit is maximised by the true probability (properness, grid check)
    grid = np.linspace(0, 1, 101)
    q = 0.3
    expected_credit = [q * (1 - (1 - p) ** 2) + (1 - q) * (1 - p**2) for p in grid]
    assert grid[int(np.argmax(expected_credit))] == pytest.approx(q)


# --- hostile completions -------------------------------------------------------------------------

_names = st.sampled_from(
    [*(n for t in TASKS.values() for n in t.class_names), "yes", "no", "", "YES ", "maybe"]
)
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 20) | st.floats(allow_nan=True) | _names,
    lambda inner: st.lists(inner, max_size=16) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(TASKS)),
    st.dictionaries(st.sampled_from(["prediction", "label", "probability", "extra"]), _json_values),
    st.data(),
)
def test_hostile_payloads_never_raise_and_never_win_by_hedging(
    task_name: str, payload: dict[str, object], data: st.DataObject
) -> None:
    task = get_task(task_name)
    if task.kind is TaskKind.MULTILABEL:
        gold: object = data.draw(st.lists(st.integers(0, 1), min_size=14, max_size=14))
    else:
        gold = data.draw(st.integers(0, task.n_classes - 1))
    text = answer(json.dumps(payload, allow_nan=True))
    for spec in (EHRMIND, GRADED, BRIER, LOG_SCORE):
        verdict = verify_row(text, row(task_name, gold), spec)
        assert math.isfinite(verdict.score)
        if verdict.correct:
            # a correct verdict means the payload stated exactly the gold label, by name and index
            stated = payload["label"]
            assert stated == gold and not isinstance(stated, bool)
            if task.kind is TaskKind.MULTILABEL:
                named = payload["prediction"]
                names = [named] if isinstance(named, str) else named
                assert isinstance(names, list)
                assert sorted(task.label_index(n) for n in names) == [  # type: ignore[type-var]
                    i
                    for i, b in enumerate(gold)
                    if b  # type: ignore[arg-type]
                ]
            else:
                assert isinstance(payload["prediction"], str)
                assert task.label_index(payload["prediction"]) == gold


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.sampled_from(sorted(TASKS)))
def test_arbitrary_text_never_raises(text: str, task_name: str) -> None:
    gold: object = [0] * 14 if task_name == "chexpert" else 0
    verdict = verify_row(text, row(task_name, gold), EHRMIND)
    assert verdict.score in (-2.0, 0.0, 1.1)
    assert verdict.reason is not Reason.INTERNAL_ERROR


def test_chexpert_names_are_unique_and_distinct_from_other_vocabularies() -> None:
    assert len({n.casefold() for n in CHEXPERT_FINDINGS}) == 14


# --- trainer-facing names -----------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(hostile_completions(), st.sampled_from(["new_acutemi", "lab_anemia", "chexpert"]))
def test_shared_hostile_completions_keep_the_reward_invariants(
    completion: object, task_name: str
) -> None:
    gold: object = [0] * 14 if task_name == "chexpert" else 1
    for spec in (EHRMIND, GRADED):
        assert_reward_invariants(
            lambda c, spec=spec: verify_row(c, row(task_name, gold), spec).score, completion, spec
        )


def test_ehrshot_reward_and_reward_fn_dispatch_and_pickle() -> None:
    completions = [
        answer({"prediction": "acute MI", "label": 1}),
        answer({"prediction": "no acute MI", "label": 0}),
        "no envelope",
    ]
    columns = {
        "task": ["ehrshot", "ehrshot", "ehrshot"],
        "ehrshot_task": ["new_acutemi"] * 3,
        "label": [1, 1, 0],
        "class_weight": [2.0, 2.0, 0.5],
    }
    assert ehrshot_reward(prompts=["p"] * 3, completions=completions, **columns) == [
        2.1,
        0.0,
        -2.0,
    ]
    assert reward_fn(prompts=["p"] * 3, completions=completions, **columns) == [2.1, 0.0, -2.0]
    clone = pickle.loads(pickle.dumps(ehrshot_reward))
    assert clone.__name__ == "ehrshot_reward"
    assert clone(completions=completions[:1], **{k: v[:1] for k, v in columns.items()}) == [2.1]
    # an unusable reference row is "not applicable" (None), never a reward
    assert ehrshot_reward(completions=completions[:1], task=["ehrshot"], ehrshot_task=["x"],
                          label=[1]) == [None]  # fmt: skip


LUPUS_EXTRA = {"task": "ehrshot", "ehrshot_task": "new_lupus", "class_weight": 3.0}


def test_verl_adapter_grades_ehrshot_rows() -> None:
    from ehrmind_rewards.adapters.verl import compute_score

    text = answer({"prediction": "lupus", "label": 1})
    scalar = compute_score("ehrshot", text, 1, LUPUS_EXTRA)
    assert scalar["score"] == pytest.approx(3.1) and scalar["correct"] == 1
    record = json.dumps({**LUPUS_EXTRA, "label": 0})
    assert compute_score("ehrshot", text, record)["score"] == 0.0


def test_openrlhf_adapter_grades_ehrshot_rows() -> None:
    pytest.importorskip("torch", reason="the OpenRLHF adapter returns torch tensors")
    from ehrmind_rewards.adapters.openrlhf import reward_func

    text = answer({"prediction": "lupus", "label": 1})
    out = reward_func([f"prompt{text}"], ["prompt"], [{**LUPUS_EXTRA, "label": 1}])
    assert float(out["rewards"][0]) == pytest.approx(3.1)


def test_reference_labels_in_other_encodings() -> None:
    text = answer({"prediction": "lupus", "label": 1})
    for gold in (1, True, 1.0, "1", np.int64(1), np.float64(1.0)):
        assert verify_row(text, row("new_lupus", gold), EHRMIND).correct is True, gold
    for bad in (1.5, "one", None, [1]):
        assert verify_row(text, row("new_lupus", bad), EHRMIND).reason is Reason.BAD_RECORD
    findings = [0] * 14
    findings[0] = findings[13] = 1
    chest = answer({"prediction": ["No Finding", "Support Devices"], "label": findings})
    assert verify_row(chest, row("chexpert", 2**13 + 1), EHRMIND).correct is True
    assert verify_row(chest, row("chexpert", 2**14), EHRMIND).reason is Reason.BAD_RECORD
