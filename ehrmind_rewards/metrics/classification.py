"""Classification metrics over label sequences (trial matching, EHRSHOT, any graded task).

Definitions follow scikit-learn's (``accuracy_score``, ``balanced_accuracy_score``,
``cohen_kappa_score``, ``precision_recall_fscore_support(average="macro", zero_division=0)``) so
results can be cross-checked, with one addition for graders: a prediction outside ``labels``
(``None`` for an unreadable answer, an unknown name) is **invalid**. It counts as wrong for accuracy
and for the recall of its true class, is never a true or false positive of any class, and is
reported as ``invalid``. Gold labels outside ``labels`` raise :class:`ValueError`.

* accuracy = correct / n;
* recall_c = TP_c / support_c; precision_c = TP_c / (predicted as c); F1_c = 2PR / (P + R), each 0
  when its denominator is 0; macro = unweighted mean over ``labels``;
* balanced accuracy = mean recall over the classes present in the gold labels;
* Cohen's κ = (p_o − p_e) / (1 − p_e) with p_o = accuracy and p_e = Σ_c (support_c/n)·(pred_c/n)
  (Cohen 1960); invalid predictions form an extra category that no gold label has. κ is reported
  as 0 when p_e = 1 (all gold and predicted labels one class), where scikit-learn returns NaN.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any


def _check(
    y_true: Sequence[Hashable], y_pred: Sequence[Hashable], labels: Sequence[Hashable]
) -> None:
    if len(y_true) != len(y_pred):
        raise ValueError(f"{len(y_true)} gold labels but {len(y_pred)} predictions")
    if len(set(labels)) != len(labels):
        raise ValueError("labels contain duplicates")
    known = set(labels)
    for position, gold in enumerate(y_true):
        if gold not in known:
            raise ValueError(f"gold label {gold!r} at position {position} is not in labels")


def confusion_matrix(
    y_true: Sequence[Hashable], y_pred: Sequence[Hashable], labels: Sequence[Hashable]
) -> list[list[int]]:
    """``matrix[i][j]`` = gold ``labels[i]`` predicted as ``labels[j]`` (invalid omitted)."""
    _check(y_true, y_pred, labels)
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for gold, pred in zip(y_true, y_pred, strict=True):
        column = index.get(pred)
        if column is not None:
            matrix[index[gold]][column] += 1
    return matrix


@dataclass(frozen=True)
class ClassificationReport:
    """Every classification metric for one set of predictions (see the module docstring)."""

    labels: list[Hashable]
    n: int
    invalid: int
    accuracy: float
    balanced_accuracy: float
    cohen_kappa: float
    macro_precision: float
    macro_recall: float
    macro_f1: float
    per_class: dict[str, dict[str, float]] = field(default_factory=dict)
    """``str(label)`` → precision, recall, f1, support."""
    confusion: list[list[int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable view (labels as strings)."""
        return {
            "labels": [str(label) for label in self.labels],
            "n": self.n,
            "invalid": self.invalid,
            "accuracy": self.accuracy,
            "balanced_accuracy": self.balanced_accuracy,
            "cohen_kappa": self.cohen_kappa,
            "macro_precision": self.macro_precision,
            "macro_recall": self.macro_recall,
            "macro_f1": self.macro_f1,
            "per_class": self.per_class,
            "confusion": self.confusion,
        }


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def classification_report(
    y_true: Sequence[Hashable], y_pred: Sequence[Hashable], labels: Sequence[Hashable]
) -> ClassificationReport:
    """All metrics in one pass; ``labels`` fixes the class order of the confusion matrix."""
    matrix = confusion_matrix(y_true, y_pred, labels)
    n = len(y_true)
    gold_support = [0] * len(labels)
    index = {label: i for i, label in enumerate(labels)}
    for gold in y_true:
        gold_support[index[gold]] += 1
    predicted = [sum(row[j] for row in matrix) for j in range(len(labels))]
    correct = sum(matrix[i][i] for i in range(len(labels)))
    invalid = n - sum(predicted)
    per_class: dict[str, dict[str, float]] = {}
    precisions, recalls, f1s, present_recalls = [], [], [], []
    for i, label in enumerate(labels):
        precision = _ratio(matrix[i][i], predicted[i])
        recall = _ratio(matrix[i][i], gold_support[i])
        f1 = _ratio(2 * precision * recall, precision + recall)
        precisions.append(precision)
        recalls.append(recall)
        f1s.append(f1)
        if gold_support[i]:
            present_recalls.append(recall)
        per_class[str(label)] = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": float(gold_support[i]),
        }
    accuracy = _ratio(correct, n)
    expected = sum(_ratio(gold_support[i], n) * _ratio(predicted[i], n) for i in range(len(labels)))
    kappa = _ratio(accuracy - expected, 1.0 - expected) if expected != 1.0 else 0.0
    return ClassificationReport(
        labels=list(labels),
        n=n,
        invalid=invalid,
        accuracy=accuracy,
        balanced_accuracy=_ratio(sum(present_recalls), len(present_recalls)),
        cohen_kappa=kappa,
        macro_precision=_ratio(sum(precisions), len(labels)),
        macro_recall=_ratio(sum(recalls), len(labels)),
        macro_f1=_ratio(sum(f1s), len(labels)),
        per_class=per_class,
        confusion=matrix,
    )


def accuracy(
    y_true: Sequence[Hashable], y_pred: Sequence[Hashable], labels: Sequence[Hashable]
) -> float:
    """Fraction of predictions equal to the gold label (invalid predictions are wrong)."""
    return classification_report(y_true, y_pred, labels).accuracy


def balanced_accuracy(
    y_true: Sequence[Hashable], y_pred: Sequence[Hashable], labels: Sequence[Hashable]
) -> float:
    """Mean per-class recall over the classes present in ``y_true``."""
    return classification_report(y_true, y_pred, labels).balanced_accuracy


def cohen_kappa(
    y_true: Sequence[Hashable], y_pred: Sequence[Hashable], labels: Sequence[Hashable]
) -> float:
    """Cohen's κ between gold labels and predictions (unweighted)."""
    return classification_report(y_true, y_pred, labels).cohen_kappa


def macro_precision_recall_f1(
    y_true: Sequence[Hashable], y_pred: Sequence[Hashable], labels: Sequence[Hashable]
) -> tuple[float, float, float]:
    """Unweighted means over ``labels`` of per-class precision, recall and F1."""
    report = classification_report(y_true, y_pred, labels)
    return report.macro_precision, report.macro_recall, report.macro_f1
