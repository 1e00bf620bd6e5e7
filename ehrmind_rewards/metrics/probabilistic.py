"""Metrics from stated probabilities and multilabel answers: AUROC, AUPRC, Brier, macro-F1.

Definitions follow the standard ones (and agree with scikit-learn, which the tests check):

* AUROC — the probability that a random positive is scored above a random negative, ties
  counting one half (Mann–Whitney U / (n₊·n₋)), computed from average ranks.
* AUPRC — average precision, Σₙ (Rₙ − Rₙ₋₁)·Pₙ over distinct score thresholds in decreasing
  order (the step-wise area, without interpolation).
* Brier score — mean squared difference between the probability and the 0/1 outcome; for
  class-probability vectors the sum over classes, averaged over items (range [0, 2]).
* macro-F1 (multilabel) — the unweighted mean over labels of F1 = 2TP / (2TP + FP + FN); a label
  with no true and no predicted positives counts as F1 = 0 (scikit-learn's ``zero_division=0``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _binary_arrays(
    y_true: ArrayLike, y_score: ArrayLike
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    truth = np.asarray(y_true)
    score = np.asarray(y_score, dtype=np.float64)
    if truth.ndim != 1 or truth.shape != score.shape:
        raise ValueError(f"y_true {truth.shape} and y_score {score.shape} must be equal 1-D shapes")
    if not np.isin(truth, (0, 1)).all():
        raise ValueError("y_true must hold only 0 and 1")
    if not np.isfinite(score).all():
        raise ValueError("y_score must be finite")
    return truth.astype(np.int64), score


def auroc(y_true: ArrayLike, y_score: ArrayLike) -> float:
    """Area under the ROC curve; raises ``ValueError`` unless both classes are present."""
    truth, score = _binary_arrays(y_true, y_score)
    n_pos = int(truth.sum())
    n_neg = truth.size - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("AUROC needs at least one positive and one negative")
    order = np.argsort(score, kind="mergesort")
    sorted_scores = score[order]
    ranks = np.empty(truth.size, dtype=np.float64)
    # average rank (1-based) within each run of tied scores
    starts = np.flatnonzero(np.r_[True, sorted_scores[1:] != sorted_scores[:-1]])
    ends = np.r_[starts[1:], truth.size]
    average = (starts + ends + 1) / 2.0
    ranks[order] = np.repeat(average, ends - starts)
    u = ranks[truth == 1].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))


def auprc(y_true: ArrayLike, y_score: ArrayLike) -> float:
    """Average precision (step-wise area under the precision–recall curve)."""
    truth, score = _binary_arrays(y_true, y_score)
    n_pos = int(truth.sum())
    if n_pos == 0:
        raise ValueError("AUPRC needs at least one positive")
    order = np.argsort(-score, kind="mergesort")
    sorted_truth, sorted_score = truth[order], score[order]
    last_of_run = np.r_[sorted_score[1:] != sorted_score[:-1], True]
    true_pos = np.cumsum(sorted_truth)[last_of_run]
    predicted = (np.flatnonzero(last_of_run) + 1).astype(np.float64)
    precision = true_pos / predicted
    recall = true_pos / n_pos
    recall_steps = np.diff(np.r_[0.0, recall])
    return float((recall_steps * precision).sum())


def brier_score(y_true: ArrayLike, probabilities: ArrayLike) -> float:
    """Mean Brier score: binary (``probabilities`` = P(positive)) or per-class vectors.

    With a 2-D ``probabilities`` (items × classes) ``y_true`` holds class indices and the score is
    the mean over items of Σ_k (p_k − [y = k])².
    """
    probs = np.asarray(probabilities, dtype=np.float64)
    truth = np.asarray(y_true)
    if probs.ndim == 1:
        truth, probs = _binary_arrays(truth, probs)
        return float(np.mean((probs - truth) ** 2))
    if probs.ndim != 2 or truth.shape != (probs.shape[0],):
        raise ValueError("class probabilities must be items × classes with one label per item")
    onehot = np.zeros_like(probs)
    onehot[np.arange(truth.size), truth.astype(np.int64)] = 1.0
    return float(np.mean(((probs - onehot) ** 2).sum(axis=1)))


def multilabel_macro_f1(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Unweighted mean over labels of per-label F1 (items × labels 0/1 matrices)."""
    truth = np.asarray(y_true, dtype=np.int64)
    pred = np.asarray(y_pred, dtype=np.int64)
    if truth.ndim != 2 or truth.shape != pred.shape:
        raise ValueError(f"y_true {truth.shape} and y_pred {pred.shape} must be equal 2-D shapes")
    tp = ((truth == 1) & (pred == 1)).sum(axis=0)
    fp = ((truth == 0) & (pred == 1)).sum(axis=0)
    fn = ((truth == 1) & (pred == 0)).sum(axis=0)
    denominator = 2 * tp + fp + fn
    f1 = np.divide(
        2 * tp, denominator, out=np.zeros(tp.shape, dtype=np.float64), where=denominator > 0
    )
    return float(f1.mean())


def macro_auroc(y_true: Sequence[Sequence[int]], y_score: Sequence[Sequence[float]]) -> float:
    """Mean AUROC over the labels of a multilabel task that have both classes present."""
    truth = np.asarray(y_true)
    score = np.asarray(y_score, dtype=np.float64)
    values = [
        auroc(truth[:, k], score[:, k])
        for k in range(truth.shape[1])
        if 0 < truth[:, k].sum() < truth.shape[0]
    ]
    if not values:
        raise ValueError("no label has both classes present")
    return float(np.mean(values))
