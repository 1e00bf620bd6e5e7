"""EHRMind's class weights for EHRSHOT rows: mean weighted correctness = balanced accuracy.

EHRMind weights only its test sources; training rewards are unweighted (see
:data:`ClassWeighting`). The row builder follows that by default.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, Literal


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


ClassWeighting = Literal["eval", "all", "none"]
"""Which rows carry EHRMind's class weight (the others carry 1):

* ``"eval"`` (default) — rows of evaluation splits only, as EHRMind does: its released reward
  (``verl/utils/reward_score/ehrshot.py``, ``calculate_answer_score``) pays a correct answer
  0.5·N/N_class only when the verl ``data_source`` contains ``_test``, and 1 during training;
* ``"all"`` — every split, training included (a class-balanced training objective);
* ``"none"`` — no row.
"""

CLASS_WEIGHTINGS: tuple[ClassWeighting, ...] = ("eval", "all", "none")

TRAINING_SPLITS: frozenset[str] = frozenset({"train"})
"""Patient splits whose rows are training rows (unweighted under ``"eval"``)."""


def is_weighted(
    split: str | None, mode: ClassWeighting, training_splits: frozenset[str] = TRAINING_SPLITS
) -> bool:
    """Whether a row of patient split ``split`` carries its class weight under ``mode``.

    Under ``"eval"`` a row is weighted when its split is known and is not a training split: a
    dataset without a split file has no evaluation rows.

    >>> is_weighted("train", "eval"), is_weighted("held_out", "eval"), is_weighted(None, "eval")
    (False, True, False)
    >>> is_weighted("train", "all"), is_weighted("held_out", "none")
    (True, False)
    """
    if mode == "all":
        return True
    if mode == "none":
        return False
    return split is not None and split not in training_splits
