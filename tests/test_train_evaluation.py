"""``evaluate``'s summary: per-category accuracy, and class metrics where answers are classes."""

from __future__ import annotations

from typing import Any

import pytest

from ehrmind_rewards.train.evaluation import predicted_class, summarize


def _record(
    task: str, category: str, gold: Any, answer: str | None, correct: bool
) -> dict[str, Any]:
    return {
        "task": task,
        "category": category,
        "gold": gold,
        "answer": answer,
        "correct": correct,
        "format_ok": answer is not None,
        "score": 1.1 if correct else (0.0 if answer is not None else -2.0),
    }


def test_canonical_label_text_gives_the_class_index() -> None:
    assert predicted_class("Eligible (2)") == 2
    assert predicted_class("no hypertension (0)") == 0
    assert predicted_class("Eligible / idx 1") is None  # name and idx disagree: invalid
    assert predicted_class(None) is None and predicted_class("25.24") is None


def test_trials_summary_reports_balanced_accuracy_and_kappa_from_the_shared_metrics() -> None:
    records = [
        _record("trials", "trial_matching", 0, "Irrelevant (0)", True),
        _record("trials", "trial_matching", 1, "Eligible (2)", False),
        _record("trials", "trial_matching", 2, "Eligible (2)", True),
        _record("trials", "trial_matching", 2, None, False),
        _record("medcalc", "lab", "25.2", "25.24", True),
        _record("medcalc", "lab", "4", "5", False),
    ]
    report = summarize(records)
    trials = report["categories"]["trial_matching"]
    assert trials["accuracy"] == 0.5
    assert trials["balanced_accuracy"] == pytest.approx((1.0 + 0.0 + 0.5) / 3)
    assert trials["classification"]["invalid"] == 1
    assert trials["classification"]["confusion"] == [[1, 0, 0], [0, 0, 1], [0, 0, 1]]
    assert trials["mean_reward"] == pytest.approx((1.1 + 0 + 1.1 - 2) / 4)
    lab = report["categories"]["lab"]
    assert lab["accuracy"] == 0.5 and lab["balanced_accuracy"] is None
    assert report["overall"]["n"] == 6 and report["overall"]["accuracy"] == 0.5
