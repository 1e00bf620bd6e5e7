"""The EHRSHOT family: 15 prediction tasks over a patient's timeline (EHRMind's four by default).

Rows hold ``ehrshot_task`` (the labeler name), ``label`` and optionally ``class_weight``; answers
are ``{"prediction": NAME, "label": INDEX}`` with an optional ``probability``. See :mod:`.verifier`.
EHRMind's verl layout is read too: ``reward_model.ground_truth = {"target": <label>,
"prediction": <label name>}`` with the task named inside ``data_source`` (``new_acutemi_test``;
``linjc16/EHRMind`` ``verl/utils/reward_score/ehrshot.py``).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from ehrmind_rewards.core.errors import DataError
from ehrmind_rewards.core.rewards import RewardSpec
from ehrmind_rewards.core.task import ScoredOutcome, ScoredRow, TaskFamily
from ehrmind_rewards.tasks.ehrshot.benchmark import TASKS, Task, TaskKind
from ehrmind_rewards.tasks.ehrshot.verifier import verify_row
from schemas.verdict import Verdict

EXAMPLES = Path(__file__).resolve().parent / "examples"
"""The bundled SYNTHETIC example: 40 labels and example completions (``SOURCE.md``)."""


_TASKS_LONGEST_FIRST = sorted(TASKS, key=len, reverse=True)


def task_in_source(data_source: object) -> str | None:
    """The EHRSHOT task whose labeler name appears in a verl ``data_source`` (longest first).

    >>> task_in_source("ehrmind/new_pancan_test"), task_in_source("gsm8k")
    ('new_pancan', None)
    """
    if not isinstance(data_source, str):
        return None
    lowered = data_source.lower()
    return next((name for name in _TASKS_LONGEST_FIRST if name in lowered), None)


class EHRSHOTFamily(TaskFamily):
    """EHRSHOT (Wornow et al., 2023): operational outcomes, labs, new diagnoses, chest X-rays."""

    name: ClassVar[str] = "ehrshot"
    title: ClassVar[str] = "EHRSHOT"
    label_fields: ClassVar[tuple[str, ...]] = ("label",)
    row_markers: ClassVar[tuple[str, ...]] = ("ehrshot_task",)
    classification: ClassVar[bool] = True
    id_columns: ClassVar[tuple[str, ...]] = ("subject_id", "ehrshot_task", "prediction_time")
    source_markers: ClassVar[tuple[str, ...]] = ("ehrshot", *TASKS)
    """``ehrshot`` or any EHRSHOT labeler name inside a verl ``data_source``."""
    column_aliases: ClassVar[Mapping[str, str]] = {"target": "label"}
    integer_columns: ClassVar[tuple[str, ...]] = ("label",)
    training_formats: ClassVar[tuple[str, ...]] = ("ehrshot",)
    benchmark_name: ClassVar[str | None] = "ehrshot"

    def verify_row(self, completion: object, row: Mapping[str, Any], spec: RewardSpec) -> Verdict:
        """:func:`~.verifier.verify_row`, or EHRMind's own reading under a spec with
        ``compat="ehrmind"`` (:func:`~.ehrmind_compat.verify_ehrmind`)."""
        if spec.compat == "ehrmind":
            from ehrmind_rewards.tasks.ehrshot.ehrmind_compat import verify_ehrmind

            return verify_ehrmind(completion, row, spec)
        return verify_row(completion, row, spec)

    def normalize_row(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """The shared normalization, then ``ehrshot_task`` from ``data_source`` when the row has
        none (EHRMind names the task only there: ``new_hypertension_train``).

        >>> EHRSHOTFamily().normalize_row({"data_source": "new_acutemi_test",
        ...                                "reward_model": {"ground_truth": {"target": 1}}})
        {'label': 1, 'data_source': 'new_acutemi_test', 'ehrshot_task': 'new_acutemi'}
        """
        out = super().normalize_row(row)
        if out.get("ehrshot_task") is None:
            task = task_in_source(out.get("data_source"))
            if task is not None:
                out["ehrshot_task"] = task
        return out

    def category(self, row: Mapping[str, Any]) -> str:
        return str(row.get("category") or row.get("ehrshot_task") or self.name).strip()

    def grading_group(self, row: Mapping[str, Any]) -> str:
        return str(row.get("ehrshot_task") or self.name)

    def class_names(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        task = TASKS.get(str(row.get("ehrshot_task", "")))
        return () if task is None else task.class_names

    metric_group_name: ClassVar[str] = "task"

    def metric_group(self, row: Mapping[str, Any]) -> str | None:
        """Metrics are per EHRSHOT task, as EHRSHOT reports them: no cell mixes two tasks."""
        name = row.get("ehrshot_task")
        return name if isinstance(name, str) and name in TASKS else None

    def scored_outcomes(self, row: Mapping[str, Any], verdict: Verdict) -> ScoredRow | None:
        """The binary outcomes EHRSHOT evaluates, scored by the answer.

        As EHRSHOT's ``7_eval_finetune.py``: a binary task is one outcome; a lab task is
        "abnormal" = class ≥ 1 (``convert_multiclass_to_binary_labels(…, threshold=1)``) scored by
        1 − P(normal); chexpert is 14 outcomes, one per finding (``process_chexpert_labels``).
        The score is the stated probability, else the stated label (1 or 0, a certain answer);
        an unreadable answer scores 0.5. Bootstrap intervals resample patients (``subject_id``).
        """
        from ehrmind_rewards.tasks.ehrshot.verifier import _gold_label

        task = TASKS.get(str(row.get("ehrshot_task")))
        if task is None:
            return None
        gold = _gold_label(task, row["label"] if "label" in row else row.get("ground_truth"))
        if isinstance(gold, str):
            return None
        subject = row.get("subject_id")
        cluster = None if subject is None else f"subject:{subject}"
        stated, probability = verdict.label, verdict.probability
        answered = verdict.format_ok and stated is not None
        if isinstance(gold, tuple):
            if answered and isinstance(probability, tuple):
                scores = [float(p) for p in probability]
            elif answered and isinstance(stated, tuple):
                scores = [float(b) for b in stated]
            else:
                scores = [0.5] * len(gold)
            outcomes = tuple(
                ScoredOutcome(name, bit, score)
                for name, bit, score in zip(task.class_names, gold, scores, strict=True)
            )
            return ScoredRow(outcomes, cluster, answered and probability is not None, answered)
        if task.kind is TaskKind.MULTICLASS:
            truth = int(gold >= 1)
            if answered and isinstance(probability, tuple):
                score = 1.0 - float(probability[0])
            else:
                score = float(stated >= 1) if answered and isinstance(stated, int) else 0.5
        else:
            truth = gold
            if answered and isinstance(probability, float):
                score = probability
            else:
                score = float(stated) if answered and isinstance(stated, int) else 0.5
        stated_p = answered and probability is not None
        return ScoredRow((ScoredOutcome("", truth, score),), cluster, stated_p, answered)

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
        for ``data.ehrshot_tasks`` (default: EHRMind's four new-diagnosis tasks), class-weighted
        as ``data.ehrshot_class_weights`` says (default: evaluation splits only, as EHRMind)."""
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
                weighting=data.ehrshot_class_weights,
                training_splits=frozenset({data.ehrshot_splits.get("train", "train")}),
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

    def example_files(self) -> tuple[Path, Path]:
        """A SYNTHETIC example (the real EHRSHOT data is credentialed)."""
        return (
            EXAMPLES / "ehrshot_synthetic_sample_predictions.jsonl",
            EXAMPLES / "ehrshot_synthetic_sample.jsonl",
        )


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
