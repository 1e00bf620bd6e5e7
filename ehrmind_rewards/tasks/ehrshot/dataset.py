"""TRL-ready rows from an EHRSHOT directory (any layout :func:`~.io.open_ehrshot` reads).

Each row holds ``prompt`` (chat messages), ``task="ehrshot"``, ``ehrshot_task``, ``label`` (int,
or a list of 14 ints for ``chexpert``), ``class_weight``, ``subject_id``, ``prediction_time``
(ISO), ``split`` and ``n_dropped_events``. Patients stream one at a time.

``class_weight`` follows EHRMind (:data:`~.weights.ClassWeighting`): by default it is 1 on rows
of the training split and EHRMind's 0.5·N/N_class on rows of the other (evaluation) splits, with
N and N_class counted per task *within that split*, as EHRMind counts each test source; pass
``weighting="all"`` to weight training rows too, ``"none"`` for no weighting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ehrmind_rewards.tasks.ehrshot.benchmark import EHRMIND_TASKS, get_task
from ehrmind_rewards.tasks.ehrshot.events import from_us
from ehrmind_rewards.tasks.ehrshot.labelers import Label
from ehrmind_rewards.tasks.ehrshot.prompts import build_messages
from ehrmind_rewards.tasks.ehrshot.timeline import EHRMIND_TABLES, TimelineOptions, TimelineRenderer
from ehrmind_rewards.tasks.ehrshot.weights import (
    TRAINING_SPLITS,
    ClassWeighting,
    class_weights,
    is_weighted,
)

EHRMIND_OPTIONS = TimelineOptions(tables=EHRMIND_TABLES, max_tokens=4000)
"""EHRMind's EHRSHOT setting: conditions and procedures, 4,000 prompt tokens."""


def iter_training_rows(
    root: str | Path,
    tasks: Iterable[str] = EHRMIND_TASKS,
    *,
    split: str | None = None,
    options: TimelineOptions = EHRMIND_OPTIONS,
    count_tokens: Callable[[str], int] | None = None,
    weighting: ClassWeighting = "eval",
    training_splits: frozenset[str] = TRAINING_SPLITS,
) -> Iterator[dict[str, Any]]:
    """Yield one row per label of ``tasks`` (optionally of one ``split``), patient by patient.

    ``split`` is a split name of the dataset or a standard alias of one (``tuning`` for ``val``,
    ``held_out`` for ``test`` and back); ``training_splits`` names the splits whose rows are
    training rows for ``weighting="eval"``.
    """
    from ehrmind_rewards.tasks.ehrshot.io import open_ehrshot
    from ehrmind_rewards.tasks.ehrshot.io.common import resolve_split

    source = open_ehrshot(root)
    splits = source.splits()
    wanted_split = None if split is None else resolve_split(split, set(splits.values()), root)
    training = frozenset(resolve_split(s, set(splits.values()), None) or s for s in training_splits)
    wanted = [get_task(name).name for name in tasks]
    by_subject: dict[int, list[tuple[str, Label]]] = {}
    counts: dict[tuple[str, str | None], list[int]] = {}
    for name in wanted:
        for label in source.labels(name):
            label_split = splits.get(label.subject_id)
            if wanted_split is not None and label_split != wanted_split:
                continue
            by_subject.setdefault(label.subject_id, []).append((name, label))
            if isinstance(label.value, int):
                counts.setdefault((name, label_split), []).append(label.value)
    weights = {key: class_weights(values) for key, values in counts.items()}
    descriptions = source.codes()
    for patient in source.patients():
        wanted_here = by_subject.pop(patient.subject_id, [])
        if not wanted_here:
            continue
        renderer = TimelineRenderer(patient, descriptions, options, count_tokens)
        patient_split = splits.get(patient.subject_id)
        weighted = is_weighted(patient_split, weighting, training)
        for name, label in wanted_here:
            task = get_task(name)
            timeline = renderer.render(label.prediction_time)
            value = label.value
            weight = 1.0
            if weighted and isinstance(value, int):
                weight = weights[(name, patient_split)][value]
            yield {
                "prompt": build_messages(task, timeline.text, label.prediction_time),
                "task": "ehrshot",
                "ehrshot_task": name,
                "label": list(value) if isinstance(value, tuple) else value,
                "class_weight": weight,
                "subject_id": patient.subject_id,
                "prediction_time": from_us(label.prediction_time).isoformat(),
                "split": patient_split,
                "n_dropped_events": timeline.n_dropped,
            }
    if by_subject:
        missing = sorted(by_subject)[:5]
        raise ValueError(f"{root}: labels for subjects with no events, e.g. {missing}")


def build_rows(
    root: str | Path, tasks: Iterable[str] = EHRMIND_TASKS, **kwargs: Any
) -> list[dict[str, Any]]:
    """All rows of :func:`iter_training_rows`, as a list ``datasets.Dataset.from_list`` reads."""
    return list(iter_training_rows(root, tasks, **kwargs))
