"""Classification metrics: hand-computed cases and agreement with scikit-learn."""

from __future__ import annotations

import random

import pytest

from ehrmind_rewards.metrics import (
    accuracy,
    balanced_accuracy,
    classification_report,
    cohen_kappa,
    confusion_matrix,
    macro_precision_recall_f1,
)

# A 3-class example worked by hand:
# gold  0 0 0 0 1 1 1 2 2 2
# pred  0 0 1 2 1 1 0 2 2 1
Y_TRUE = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]
Y_PRED = [0, 0, 1, 2, 1, 1, 0, 2, 2, 1]
LABELS = [0, 1, 2]


def test_hand_computed() -> None:
    assert confusion_matrix(Y_TRUE, Y_PRED, LABELS) == [[2, 1, 1], [1, 2, 0], [0, 1, 2]]
    assert accuracy(Y_TRUE, Y_PRED, LABELS) == pytest.approx(6 / 10)
    # recalls 2/4, 2/3, 2/3
    assert balanced_accuracy(Y_TRUE, Y_PRED, LABELS) == pytest.approx((1 / 2 + 2 / 3 + 2 / 3) / 3)
    # precisions 2/3, 2/4, 2/3; F1 = 2PR/(P+R): 4/7, 4/7, 2/3
    precision, recall, f1 = macro_precision_recall_f1(Y_TRUE, Y_PRED, LABELS)
    assert precision == pytest.approx((2 / 3 + 1 / 2 + 2 / 3) / 3)
    assert recall == pytest.approx((1 / 2 + 2 / 3 + 2 / 3) / 3)
    assert f1 == pytest.approx((4 / 7 + 4 / 7 + 2 / 3) / 3)
    # p_o = 0.6; p_e = (4·3 + 3·4 + 3·3) / 100 = 0.33; κ = 0.27 / 0.67
    assert cohen_kappa(Y_TRUE, Y_PRED, LABELS) == pytest.approx(0.27 / 0.67)


def test_invalid_predictions_count_as_wrong_but_not_as_any_class() -> None:
    report = classification_report([0, 1, 2, 2], [0, None, 2, "Maybe"], LABELS)
    assert report.invalid == 2
    assert report.accuracy == 0.5
    assert report.per_class["1"]["recall"] == 0.0
    assert report.per_class["2"] == {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2.0}
    assert report.confusion == [[1, 0, 0], [0, 0, 0], [0, 0, 1]]
    # p_o = 0.5; p_e = (1/4)(1/4) + (1/4)(0) + (2/4)(1/4) = 3/16
    assert report.cohen_kappa == pytest.approx((0.5 - 3 / 16) / (1 - 3 / 16))


def test_degenerate_and_errors() -> None:
    assert cohen_kappa([1, 1], [1, 1], LABELS) == 0.0
    assert balanced_accuracy([], [], LABELS) == 0.0
    with pytest.raises(ValueError, match="not in labels"):
        accuracy([3], [3], LABELS)
    with pytest.raises(ValueError, match="predictions"):
        accuracy([1, 2], [1], LABELS)
    report = classification_report(Y_TRUE, Y_PRED, LABELS).to_dict()
    assert report["labels"] == ["0", "1", "2"] and report["n"] == 10


@pytest.mark.parametrize("seed", range(20))
def test_agrees_with_scikit_learn(seed: int) -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    rng = random.Random(seed)
    n = rng.randint(5, 60)
    y_true = [rng.choice(LABELS) for _ in range(n)]
    y_pred = [rng.choice(LABELS) for _ in range(n)]
    report = classification_report(y_true, y_pred, LABELS)
    assert report.accuracy == pytest.approx(metrics.accuracy_score(y_true, y_pred))
    assert report.confusion == metrics.confusion_matrix(y_true, y_pred, labels=LABELS).tolist()
    if len(set(y_true)) == len(LABELS):
        assert report.balanced_accuracy == pytest.approx(
            metrics.balanced_accuracy_score(y_true, y_pred)
        )
    if len(set(y_true) | set(y_pred)) > 1:
        assert report.cohen_kappa == pytest.approx(
            metrics.cohen_kappa_score(y_true, y_pred, labels=LABELS)
        )
    p, r, f, _ = metrics.precision_recall_fscore_support(
        y_true, y_pred, labels=LABELS, average="macro", zero_division=0
    )
    assert (report.macro_precision, report.macro_recall, report.macro_f1) == pytest.approx(
        (p, r, f)
    )
