"""TRL-ready rows from an EHRSHOT directory (MEDS or FEMR-CSV): one row per label.

Each row holds ``prompt`` (chat messages), ``task="ehrshot"``, ``ehrshot_task``, ``label`` (int,
or a list of 14 ints for ``chexpert``), ``class_weight`` (EHRMind's 0.5·N/N_class from the label
counts of the selected rows, so mean weighted correctness = balanced accuracy), plus
``subject_id``, ``prediction_time`` (ISO) and ``split``. Patients stream one at a time.
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
from ehrmind_rewards.tasks.ehrshot.weights import class_weights

EHRMIND_OPTIONS = TimelineOptions(tables=EHRMIND_TABLES, max_tokens=4000)
"""EHRMind's EHRSHOT setting: conditions and procedures, 4,000 prompt tokens."""


def iter_training_rows(
    root: str | Path,
    tasks: Iterable[str] = EHRMIND_TASKS,
    *,
    split: str | None = None,
    options: TimelineOptions = EHRMIND_OPTIONS,
    count_tokens: Callable[[str], int] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield one row per label of ``tasks`` (optionally of one ``split``), patient by patient."""
    from ehrmind_rewards.tasks.ehrshot.io import open_ehrshot

    source = open_ehrshot(root)
    splits = source.splits()
    if split is not None and not splits:
        raise ValueError(f"{root}: no split file, cannot select split {split!r}")
    wanted = [get_task(name).name for name in tasks]
    by_subject: dict[int, list[tuple[str, Label]]] = {}
    counts: dict[str, list[int]] = {}
    for name in wanted:
        for label in source.labels(name):
            if split is not None and splits.get(label.subject_id) != split:
                continue
            by_subject.setdefault(label.subject_id, []).append((name, label))
            if isinstance(label.value, int):
                counts.setdefault(name, []).append(label.value)
    weights = {name: class_weights(values) for name, values in counts.items()}
    descriptions = source.codes()
    for patient in source.patients():
        wanted_here = by_subject.pop(patient.subject_id, [])
        if not wanted_here:
            continue
        renderer = TimelineRenderer(patient, descriptions, options, count_tokens)
        for name, label in wanted_here:
            task = get_task(name)
            timeline = renderer.render(label.prediction_time)
            value = label.value
            yield {
                "prompt": build_messages(task, timeline.text, label.prediction_time),
                "task": "ehrshot",
                "ehrshot_task": name,
                "label": list(value) if isinstance(value, tuple) else value,
                "class_weight": 1.0 if isinstance(value, tuple) else weights[name][value],
                "subject_id": patient.subject_id,
                "prediction_time": from_us(label.prediction_time).isoformat(),
                "split": splits.get(patient.subject_id),
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
