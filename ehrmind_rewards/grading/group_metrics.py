"""Classification metrics per metric group, with bootstrap intervals, and their macro mean.

A family's :meth:`~ehrmind_rewards.core.task.TaskFamily.metric_group` (EHRSHOT: the task) splits
rows into groups that are never mixed.

For each group: the confusion matrix and classification report of its rows alone; and from its
scored outcomes (:class:`~ehrmind_rewards.core.task.ScoredRow`) AUROC, AUPRC (average precision)
and the Brier score, as scikit-learn's ``roc_auc_score``, ``average_precision_score`` and
``brier_score_loss`` define them, with 95% percentile intervals from a bootstrap that resamples
clusters (a family's resampling unit, e.g. patients) with replacement: 1,000 replicates, each
cluster weighted by how often it was drawn — EHRSHOT's evaluation (``7_eval_finetune.py``,
``calc_metrics``: ``sklearn.utils.resample`` over test patients, ``sample_weight`` = counts,
``np.percentile(…, [2.5, 97.5])``). A group whose rows have several parts (EHRSHOT's chexpert:
14 findings) reports each part and, as the group's figure, their mean. The macro figure is the
unweighted mean over groups; its interval comes from the same replicates (replicate *r* of the
macro is the mean of replicate *r* of each group). A metric undefined in a replicate (one class
drawn only) is left out of that replicate's percentile. Reliability bins and ROC / PR curve points
(at most :data:`CURVE_POINTS` each) come with every group for the report.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ehrmind_rewards.grading.tally import GroupScores, Tally

RESAMPLES = 1000
SEED = 0
CALIBRATION_BINS = 10
CURVE_POINTS = 200
METRICS = ("auroc", "auprc", "brier")
_BLOCK = 2_000_000


def _sorted_groups(
    truth: NDArray[np.int8], score: NDArray[np.float64]
) -> tuple[NDArray[np.intp], NDArray[np.intp], int]:
    """Row order by descending score, the start of each run of equal scores, and the run count."""
    order = np.argsort(-score, kind="mergesort")
    ordered = score[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    return order, starts, int(starts.size)


def weighted_metrics(
    truth: NDArray[np.int8],
    score: NDArray[np.float64],
    weights: NDArray[np.float64],
    prepared: tuple[NDArray[np.intp], NDArray[np.intp], int] | None = None,
) -> NDArray[np.float64]:
    """AUROC, AUPRC and Brier of weighted outcomes, one row per row of ``weights`` (B × n).

    Ties count one half in AUROC; AUPRC is Σ (R_k − R_{k−1}) P_k over distinct thresholds in
    decreasing order (no interpolation). NaN where a metric is undefined (no positive or no
    negative weight).

    >>> y, p = np.array([0, 0, 1, 1], np.int8), np.array([0.1, 0.4, 0.35, 0.8])
    >>> weighted_metrics(y, p, np.ones((1, 4))).round(4).tolist()
    [[0.75, 0.8333, 0.1581]]
    """
    order, starts, _ = prepared or _sorted_groups(truth, score)
    w = np.atleast_2d(weights)[:, order]
    y = truth[order].astype(np.float64)
    pos = np.add.reduceat(w * y, starts, axis=1)
    neg = np.add.reduceat(w * (1.0 - y), starts, axis=1)
    total_pos, total_neg = pos.sum(axis=1), neg.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        # AUROC: each positive run beats the negatives with lower scores (later runs) + ties / 2
        lower_neg = total_neg[:, None] - np.cumsum(neg, axis=1)
        auroc = (pos * (lower_neg + 0.5 * neg)).sum(axis=1) / (total_pos * total_neg)
        tp, fp = np.cumsum(pos, axis=1), np.cumsum(neg, axis=1)
        precision = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        recall_step = pos / total_pos[:, None]
        auprc = (recall_step * precision).sum(axis=1)
        brier = (w * (score[order] - y) ** 2).sum(axis=1) / w.sum(axis=1)
    auroc[(total_pos <= 0) | (total_neg <= 0)] = np.nan
    auprc[total_pos <= 0] = np.nan
    return np.stack([auroc, auprc, brier], axis=1)


def _replicates(
    truth: NDArray[np.int8],
    score: NDArray[np.float64],
    clusters: NDArray[np.intp],
    n_clusters: int,
    draws: NDArray[np.intp],
) -> NDArray[np.float64]:
    """The metrics under each replicate's cluster draw (``draws``: replicates × clusters)."""
    prepared = _sorted_groups(truth, score)
    out = np.empty((draws.shape[0], len(METRICS)))
    block = max(1, _BLOCK // max(truth.size, 1))
    for lo in range(0, draws.shape[0], block):
        counts = np.stack(
            [np.bincount(d, minlength=n_clusters) for d in draws[lo : lo + block]]
        ).astype(np.float64)
        out[lo : lo + block] = weighted_metrics(truth, score, counts[:, clusters], prepared)
    return out


def _interval(values: NDArray[np.float64]) -> list[float] | None:
    finite = values[np.isfinite(values)]
    if not finite.size:
        return None
    low, high = np.percentile(finite, [2.5, 97.5])
    return [float(low), float(high)]


def _curves(truth: NDArray[np.int8], score: NDArray[np.float64]) -> dict[str, Any]:
    order, starts, _ = _sorted_groups(truth, score)
    y = truth[order].astype(np.float64)
    pos = np.add.reduceat(y, starts)
    neg = np.add.reduceat(1.0 - y, starts)
    tp, fp = np.r_[0.0, np.cumsum(pos)], np.r_[0.0, np.cumsum(neg)]
    keep = np.unique(np.linspace(0, tp.size - 1, min(tp.size, CURVE_POINTS)).round().astype(int))
    out: dict[str, Any] = {}
    if tp[-1] > 0 and fp[-1] > 0:
        out["roc"] = [[float(fp[i] / fp[-1]), float(tp[i] / tp[-1])] for i in keep]
    if tp[-1] > 0:
        precision = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1e-300), 1.0)
        out["pr"] = [[float(tp[i] / tp[-1]), float(precision[i])] for i in keep if i > 0]
    return out


def _calibration(truth: NDArray[np.int8], score: NDArray[np.float64]) -> list[dict[str, Any]]:
    index = np.minimum((score * CALIBRATION_BINS).astype(int), CALIBRATION_BINS - 1)
    bins = []
    for b in range(CALIBRATION_BINS):
        chosen = index == b
        n = int(chosen.sum())
        bins.append(
            {
                "low": b / CALIBRATION_BINS,
                "high": (b + 1) / CALIBRATION_BINS,
                "n": n,
                "mean_probability": float(score[chosen].mean()) if n else None,
                "observed_rate": float(truth[chosen].mean()) if n else None,
            }
        )
    return bins


def _metric_dict(point: NDArray[np.float64], replicates: NDArray[np.float64]) -> dict[str, Any]:
    return {
        name: {
            "value": None if not np.isfinite(point[k]) else float(point[k]),
            "ci95": _interval(replicates[:, k]),
        }
        for k, name in enumerate(METRICS)
    }


def score_summary(
    scores: GroupScores, rng: np.random.Generator, resamples: int
) -> tuple[dict[str, Any], NDArray[np.float64]]:
    """One group's score metrics (and their replicates, for the macro)."""
    truth = np.frombuffer(scores.truth, dtype=np.int8)
    score = np.clip(np.frombuffer(scores.score, dtype=np.float64), 0.0, 1.0)
    part = np.frombuffer(scores.part, dtype=np.uint16)
    keys, clusters = np.unique(np.frombuffer(scores.cluster, dtype=np.int64), return_inverse=True)
    draws = rng.integers(0, keys.size, size=(resamples, keys.size))
    per_part: dict[str, Any] = {}
    point_parts, replicate_parts = [], []
    for index, name in enumerate(scores.parts):
        chosen = part == index
        y, p = truth[chosen], score[chosen]
        point = weighted_metrics(y, p, np.ones((1, y.size)))[0]
        replicates = _replicates(y, p, clusters[chosen], keys.size, draws)
        point_parts.append(point)
        replicate_parts.append(replicates)
        per_part[name] = {
            "n": int(y.size),
            "prevalence": float(y.mean()) if y.size else None,
            **_metric_dict(point, replicates),
            "curves": _curves(y, p),
        }
    with np.errstate(all="ignore"), _quiet():
        point = np.nanmean(np.stack(point_parts), axis=0)
        replicates = np.nanmean(np.stack(replicate_parts), axis=0)
    summary: dict[str, Any] = {
        "n": scores.rows,
        "n_outcomes": int(truth.size),
        "n_clusters": int(keys.size),
        "n_stated_probability": scores.stated,
        "n_unanswered": scores.unanswered,
        "prevalence": float(truth.mean()) if truth.size else None,
        **_metric_dict(point, replicates),
        "calibration": _calibration(truth, score),
    }
    if list(per_part) == [""]:
        summary["curves"] = per_part[""]["curves"]
    else:
        summary["parts"] = per_part
    return summary, replicates


class _quiet:
    """Silence numpy's "mean of empty slice" warning for all-NaN columns."""

    def __enter__(self) -> None:
        import warnings

        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore", category=RuntimeWarning)

    def __exit__(self, *args: object) -> None:
        self._catch.__exit__(*args)


def grouped_summary(
    tally: Tally, *, resamples: int = RESAMPLES, seed: int = SEED
) -> dict[str, Any]:
    """``by_metric_group`` (per group: rows, confusion, classification report, scores) and
    ``macro`` (the mean over groups of AUROC, AUPRC and Brier, with intervals)."""
    from ehrmind_rewards.grading.summary import confusion_summary, label_metrics

    rng = np.random.default_rng(seed)
    names = sorted({g for g, _, _ in tally.group_confusion} | set(tally.group_scores))
    groups: dict[str, Any] = {}
    replicates: list[NDArray[np.float64]] = []
    points: list[NDArray[np.float64]] = []
    for name in names:
        confusion: Counter[tuple[str, str]] = Counter(
            {(t, p): n for (g, t, p), n in tally.group_confusion.items() if g == name}
        )
        entry: dict[str, Any] = {}
        if confusion:
            entry["confusion"] = confusion_summary(confusion)
            entry["metrics"] = label_metrics(confusion)
        scores = tally.group_scores.get(name)
        if scores is not None and scores.rows:
            entry["scores"], reps = score_summary(scores, rng, resamples)
            replicates.append(reps)
            values = [entry["scores"][m]["value"] for m in METRICS]
            points.append(np.array([np.nan if v is None else v for v in values]))
        groups[name] = entry
    out: dict[str, Any] = {"by_metric_group": groups}
    if points:
        with np.errstate(all="ignore"), _quiet():
            point = np.nanmean(np.stack(points), axis=0)
            macro = np.nanmean(np.stack(replicates), axis=0)
        out["macro"] = {"n_groups": len(points), **_metric_dict(point, macro)}
    return out
