"""The EHRSHOT family: 15 prediction tasks over a patient's timeline (EHRMind's four by default).

Rows hold ``ehrshot_task`` (the labeler name), ``label`` and optionally ``class_weight``; answers
are ``{"prediction": NAME, "label": INDEX}`` with an optional ``probability``. See :mod:`.verifier`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from ehrmind_rewards.core.errors import DataError
from ehrmind_rewards.core.task import TaskFamily
from ehrmind_rewards.tasks.ehrshot.benchmark import TASKS, Task, TaskKind
from ehrmind_rewards.tasks.ehrshot.verifier import verify_row


class EHRSHOTFamily(TaskFamily):
    """EHRSHOT (Wornow et al., 2023): operational outcomes, labs, new diagnoses, chest X-rays."""

    name: ClassVar[str] = "ehrshot"
    title: ClassVar[str] = "EHRSHOT"
    label_fields: ClassVar[tuple[str, ...]] = ("label",)
    row_markers: ClassVar[tuple[str, ...]] = ("ehrshot_task",)
    classification: ClassVar[bool] = True
    id_columns: ClassVar[tuple[str, ...]] = ("subject_id", "ehrshot_task", "prediction_time")
    source_markers: ClassVar[tuple[str, ...]] = ("ehrshot",)
    training_formats: ClassVar[tuple[str, ...]] = ("ehrshot",)
    benchmark_name: ClassVar[str | None] = "ehrshot"

    verify_row = staticmethod(verify_row)
    """See :func:`ehrmind_rewards.tasks.ehrshot.verifier.verify_row`."""

    def category(self, row: Mapping[str, Any]) -> str:
        return str(row.get("category") or row.get("ehrshot_task") or self.name).strip()

    def grading_group(self, row: Mapping[str, Any]) -> str:
        return str(row.get("ehrshot_task") or self.name)

    def class_names(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        task = TASKS.get(str(row.get("ehrshot_task", "")))
        return () if task is None else task.class_names

    def min_correct(self, category: str, k: int) -> int | None:
        """The trial-matching rule, applied to EHRSHOT's few-class labels (EHRMind states none)."""
        return k // 3 + 2

    def training_source(self, fmt: str, data: Any, split: str) -> Path | None:
        """One EHRSHOT directory (``data.train_file``) holds every patient split."""
        path: Path | None = getattr(data, f"{split}_file", None) or data.train_file
        return path

    def training_rows(
        self, fmt: str, data: Any, split: str, *, with_completion: bool
    ) -> list[dict[str, Any]]:
        """Rows of the directory's patient split that ``data.ehrshot_splits`` maps ``split`` to,
        for ``data.ehrshot_tasks`` (default: EHRMind's four new-diagnosis tasks)."""
        from ehrmind_rewards.tasks.ehrshot.benchmark import EHRMIND_TASKS
        from ehrmind_rewards.tasks.ehrshot.dataset import EHRMIND_OPTIONS, build_rows

        root = self.training_source(fmt, data, split)
        if split not in data.ehrshot_splits:
            raise DataError(f"data.ehrshot_splits has no entry for {split!r}")
        options = dataclasses.replace(EHRMIND_OPTIONS, max_tokens=data.ehrshot_max_tokens)
        try:
            rows = build_rows(
                Path(str(root)),
                data.ehrshot_tasks or EHRMIND_TASKS,
                split=data.ehrshot_splits[split],
                options=options,
            )
        except (KeyError, ValueError, OSError) as error:
            raise DataError(f"{root}: {error}") from None
        return rows if data.max_rows is None else rows[: data.max_rows]

    def benchmark_rows(
        self,
        path: str | Path,
        *,
        tasks: tuple[str, ...] | list[str] | None = None,
        split: str | None = "test",
        max_tokens: int = 4000,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """One row per label of ``tasks`` (default: EHRMind's four new-diagnosis tasks) in an
        EHRSHOT folder (MEDS or FEMR CSV), for the patients of ``split`` (``None``: all), with
        timelines cut to ``max_tokens`` (EHRMind: conditions and procedures, 4,000 tokens)."""
        from ehrmind_rewards.tasks.ehrshot.benchmark import EHRMIND_TASKS
        from ehrmind_rewards.tasks.ehrshot.dataset import EHRMIND_OPTIONS, build_rows

        options = dataclasses.replace(EHRMIND_OPTIONS, max_tokens=max_tokens)
        try:
            rows = build_rows(Path(path), tasks or EHRMIND_TASKS, split=split, options=options)
        except (KeyError, ValueError, OSError) as error:
            raise DataError(f"{path}: {error}") from None
        if not rows:
            raise DataError(
                f"{path}: no labels of {', '.join(tasks or EHRMIND_TASKS)}"
                f"{f' in split {split!r}' if split else ''}"
            )
        for row in rows:
            row["id"] = f"{row['subject_id']}:{row['ehrshot_task']}:{row['prediction_time']}"
        return rows if limit is None else rows[:limit]

    def answer_variants(self) -> tuple[str, ...]:
        return tuple(TASKS)

    def answer_schema(self, variant: str | None = None) -> dict[str, Any] | None:
        """For one labeler: one object per class, its name and index together, with an optional
        ``probability``; CheXpert: the findings present (in order, each once), 14 zeros and ones
        and optional per-finding probabilities. Without a variant: any labeler's answer."""
        tasks = [TASKS[variant]] if variant else list(TASKS.values())
        options = [option for task in tasks for option in _answer_options(task)]
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"EHRSHOTAnswer ({variant or 'any task'})",
            "oneOf": list({json.dumps(o, sort_keys=True): o for o in options}.values()),
        }

    def register_commands(self, subparsers: Any) -> None:
        from ehrmind_rewards.tasks.ehrshot.cli import register

        register(subparsers)


_PROBABILITY: dict[str, Any] = {"type": "number", "minimum": 0, "maximum": 1}


def _answer_options(task: Task) -> list[dict[str, Any]]:
    """The answer objects of one EHRSHOT task (see :meth:`EHRSHOTFamily.answer_schema`)."""
    n = task.n_classes
    if task.kind is TaskKind.MULTILABEL:
        properties: dict[str, Any] = {
            "prediction": {
                "type": "array",
                "items": {"enum": list(task.class_names)},
                "uniqueItems": True,
                "maxItems": n,
            },
            "label": {"type": "array", "items": {"enum": [0, 1]}, "minItems": n, "maxItems": n},
            "probability": {"type": "array", "items": _PROBABILITY, "minItems": n, "maxItems": n},
        }
        return [_object(properties)]
    probability = (
        _PROBABILITY
        if task.kind is TaskKind.BINARY
        else {"type": "array", "items": _PROBABILITY, "minItems": n, "maxItems": n}
    )
    return [
        _object(
            {"prediction": {"const": name}, "label": {"const": index}, "probability": probability}
        )
        for index, name in enumerate(task.class_names)
    ]


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": ["prediction", "label"],
        "additionalProperties": False,
    }
