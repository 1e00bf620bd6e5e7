"""``evaluate``'s summary: per-category accuracy, and class metrics where answers are classes."""

from __future__ import annotations

from typing import Any

import pytest

from ehrmind_rewards import grade
from ehrmind_rewards.train.evaluation import summarize_records


def _record(
    task: str, category: str, gold: Any, answer: str | None, correct: bool
) -> dict[str, Any]:
    return {
        "task": task,
        "category": category,
        "gold": gold,
        "answer": answer,
        "predicted": _index(answer),
        "correct": correct,
        "format_ok": answer is not None,
        "score": 1.1 if correct else (0.0 if answer is not None else -2.0),
    }


def _index(answer: str | None) -> int | None:
    """The class index these fixtures write in their canonical answers (``"Eligible (2)"``)."""
    if answer is None or not answer.endswith(")"):
        return None
    inside = answer[answer.rfind("(") + 1 : -1]
    return int(inside) if inside.isdigit() else None


def _answer(payload: str) -> str:
    return f"<think>…</think><answer>{payload}</answer>"


def test_verdicts_carry_the_predicted_class_index() -> None:
    trials = grade(_answer('{"prediction": "Eligible", "idx": 2}'), {"label": 1}, task="trials")
    assert trials.label == 2 and trials.parsed == "Eligible (2)"
    ehrshot = grade(
        _answer('{"prediction": "no hypertension", "label": 0}'),
        {"ehrshot_task": "new_hypertension", "label": 1},
        task="ehrshot",
    )
    assert ehrshot.label == 0
    mismatch = grade(_answer('{"prediction": "Eligible", "idx": 1}'), {"label": 1}, task="trials")
    assert mismatch.label is None  # name and idx disagree: invalid
    row = {"calculator_id": 2, "ground_truth": "25.2", "lower_limit": "24", "upper_limit": "26"}
    assert grade(_answer('{"answer": 25.24}'), row).label is None


def test_trials_summary_reports_balanced_accuracy_and_kappa_from_the_shared_metrics() -> None:
    records = [
        _record("trials", "trial_matching", 0, "Irrelevant (0)", True),
        _record("trials", "trial_matching", 1, "Eligible (2)", False),
        _record("trials", "trial_matching", 2, "Eligible (2)", True),
        _record("trials", "trial_matching", 2, None, False),
        _record("medcalc", "lab", "25.2", "25.24", True),
        _record("medcalc", "lab", "4", "5", False),
    ]
    report = summarize_records(records)
    trials = report["categories"]["trial_matching"]
    assert trials["accuracy"] == 0.5
    assert trials["balanced_accuracy"] == pytest.approx((1.0 + 0.0 + 0.5) / 3)
    assert trials["classification"]["invalid"] == 1
    assert trials["classification"]["confusion"] == [[1, 0, 0], [0, 0, 1], [0, 0, 1]]
    assert trials["mean_reward"] == pytest.approx((1.1 + 0 + 1.1 - 2) / 4)
    lab = report["categories"]["lab"]
    assert lab["accuracy"] == 0.5 and lab["balanced_accuracy"] is None
    assert report["overall"]["n"] == 6 and report["overall"]["accuracy"] == 0.5
