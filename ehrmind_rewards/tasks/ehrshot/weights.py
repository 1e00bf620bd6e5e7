"""EHRMind's class weights for EHRSHOT rows: mean weighted correctness = balanced accuracy."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any


def class_weights(labels: Iterable[int]) -> dict[int, float]:
    """EHRMind's class weights N / (K · N_class) from a dataset's labels (K = classes present).

    For binary tasks this is 0.5·N/N_class. With these weights the mean weighted correctness of a
    set of answers equals its balanced accuracy (the mean per-class recall, as
    ``sklearn.metrics.balanced_accuracy_score``): Σ_c Σ_{i∈c} correct_i · N/(K·N_c) / N
    = (1/K) Σ_c recall_c.

    >>> class_weights([0, 0, 0, 1])
    {0: 0.6666666666666666, 1: 2.0}
    """
    counts = Counter(labels)
    total = sum(counts.values())
    if not total:
        return {}
    return {label: total / (len(counts) * count) for label, count in counts.items()}


def with_class_weights(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Copies of ``rows`` with a ``class_weight`` column from the class counts of each task.

    Multilabel rows (``chexpert``) get weight 1: class balance is not defined for label sets.

    >>> rows = with_class_weights([{"ehrshot_task": "new_lupus", "label": 0},
    ...                            {"ehrshot_task": "new_lupus", "label": 1}])
    >>> [row["class_weight"] for row in rows]
    [1.0, 1.0]
    """
    materialized = [dict(row) for row in rows]
    by_task: dict[str, list[int]] = {}
    for row in materialized:
        if not isinstance(row["label"], list):
            by_task.setdefault(row["ehrshot_task"], []).append(int(row["label"]))
    weights = {task: class_weights(labels) for task, labels in by_task.items()}
    for row in materialized:
        label = row["label"]
        row["class_weight"] = (
            1.0 if isinstance(label, list) else weights[row["ehrshot_task"]][int(label)]
        )
    return materialized
