"""Probabilistic and multilabel metrics agree with scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import average_precision_score, f1_score, roc_auc_score

from ehrmind_rewards.metrics.probabilistic import (
    auprc,
    auroc,
    brier_score,
    macro_auroc,
    multilabel_macro_f1,
)

# scores on a coarse grid so that ties are frequent
_scores = st.integers(0, 10).map(lambda k: k / 10)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), _scores), min_size=2, max_size=80))
def test_auroc_and_auprc_equal_sklearn(pairs: list[tuple[int, float]]) -> None:
    y = [t for t, _ in pairs]
    s = [p for _, p in pairs]
    if 0 < sum(y) < len(y):
        assert auroc(y, s) == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    if sum(y) > 0:
        assert auprc(y, s) == pytest.approx(average_precision_score(y, s), abs=1e-12)


def test_auroc_textbook_case() -> None:
    # 2 positives, 2 negatives; pairs ordered correctly: (0.8>0.1),(0.8>0.4),(0.35>0.1) → 3/4
    assert auroc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.75)
    with pytest.raises(ValueError, match="positive and one negative"):
        auroc([1, 1], [0.2, 0.3])


def test_brier() -> None:
    assert brier_score([1, 0], [0.8, 0.4]) == pytest.approx((0.04 + 0.16) / 2)
    probs = [[0.7, 0.2, 0.1, 0.0], [0.25, 0.25, 0.25, 0.25]]
    expected = ((0.09 + 0.04 + 0.01) + (0.75**2 + 3 * 0.0625)) / 2
    assert brier_score([0, 3], probs) == pytest.approx(expected)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 30), st.randoms(use_true_random=False))
def test_macro_f1_equals_sklearn(n: int, rng: object) -> None:
    generator = np.random.default_rng(abs(hash(rng)) % 2**32)
    truth = generator.integers(0, 2, size=(n, 14))
    pred = generator.integers(0, 2, size=(n, 14))
    expected = f1_score(truth, pred, average="macro", zero_division=0)
    assert multilabel_macro_f1(truth, pred) == pytest.approx(expected, abs=1e-12)


def test_macro_auroc_skips_single_class_labels() -> None:
    truth = np.array([[1, 0], [0, 0], [1, 0]])
    score = np.array([[0.9, 0.1], [0.2, 0.3], [0.4, 0.5]])
    assert macro_auroc(truth.tolist(), score.tolist()) == pytest.approx(1.0)
