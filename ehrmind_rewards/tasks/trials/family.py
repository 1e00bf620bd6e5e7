"""The patient–trial matching family (TREC Clinical Trials 2021–2023, EHRMind's format).

Rows hold ``label`` (the qrels grade 0/1/2), optionally ``idx``, and — in rows built by
:func:`~.dataset.build_trial_dataset` — the pair's ``structured_eligibility`` pre-check; answers
are ``{"prediction": NAME, "idx": N}``. See :mod:`.verifier`; grading's error analysis flags
Eligible answers and labels that contradict the trial's structured fields (:mod:`.analysis`).
EHRMind's verl layout (``data_source`` ``matching_<split>``, ``reward_model.ground_truth =
{"target": <grade>}``, ``linjc16/EHRMind`` ``src/dataset/matching/rl/inst.py``) is read too.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from ehrmind_rewards.core.task import ErrorKind, GradingExtension, TaskFamily
from ehrmind_rewards.tasks.trials.verifier import verify_row
from schemas.trials import LABEL_NAMES
from schemas.verdict import Verdict

EXAMPLES = Path(__file__).resolve().parent / "examples"
"""The bundled example: 30 TREC CT 2021 judgments and example completions (``SOURCE.md``)."""

CLASS_NAMES: tuple[str, ...] = tuple(LABEL_NAMES[label] for label in sorted(LABEL_NAMES, key=int))
"""Label names by TREC grade: Irrelevant (0), Excluded (1), Eligible (2)."""


class TrialsFamily(TaskFamily):
    """TREC Clinical Trials patient–trial matching: irrelevant / excluded / eligible."""

    name: ClassVar[str] = "trials"
    title: ClassVar[str] = "TREC Clinical Trials"
    label_fields: ClassVar[tuple[str, ...]] = ("label",)
    classification: ClassVar[bool] = True
    id_columns: ClassVar[tuple[str, ...]] = ("query_id", "doc_id")
    source_markers: ClassVar[tuple[str, ...]] = ("trial", "trec", "matching")
    column_aliases: ClassVar[Mapping[str, str]] = {"target": "label", "corpus_id": "doc_id"}
    integer_columns: ClassVar[tuple[str, ...]] = ("label", "idx")
    benchmark_name: ClassVar[str | None] = "trec_ct"

    verify_row = staticmethod(verify_row)
    """See :func:`ehrmind_rewards.tasks.trials.verifier.verify_row`."""

    def category(self, row: Mapping[str, Any]) -> str:
        return str(row.get("category") or "trial_matching").strip()

    def grading_group(self, row: Mapping[str, Any]) -> str:
        """Graded rows are reported by their true label (``"Eligible (2)"``)."""
        index = self.gold_class(row)
        if index is None:
            return "(no label)"
        return f"{CLASS_NAMES[index]} ({index})" if 0 <= index < len(CLASS_NAMES) else f"({index})"

    def class_names(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        return CLASS_NAMES

    def classify_wrong(self, row: Mapping[str, Any], verdict: Verdict) -> ErrorKind:
        """``contradicts_structured_fields`` for an Eligible answer the structured fields rule
        out, else ``wrong_label`` (see :mod:`.analysis`)."""
        from ehrmind_rewards.tasks.trials.analysis import classify_wrong

        return classify_wrong(row, verdict)

    def grading_extension(self) -> GradingExtension:
        """Counts of Eligible answers and labels that contradict the structured fields."""
        from ehrmind_rewards.tasks.trials.analysis import StructuredContradictions

        return StructuredContradictions()

    def min_correct(self, category: str, k: int) -> int | None:
        return k // 3 + 2

    def n_classes(self, category: str) -> int | None:
        return len(CLASS_NAMES)

    def benchmark_rows(
        self,
        topics: str | Path,
        qrels: str | Path,
        trials: str | Path,
        *,
        per_class: int | None = None,
        balanced: bool = False,
        seed: int = 0,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """(patient, trial) pairs judged in ``qrels``: ``topics`` (TREC XML or TrialGPT JSONL),
        ``qrels`` (TREC text or TSV) and ``trials`` (a ClinicalTrials.gov XML/JSON file or a
        folder of them). Every judged pair by default; ``balanced`` samples ``per_class`` pairs
        per grade (default: as many as the rarest grade has) with ``seed``."""
        from ehrmind_rewards.tasks.trials.benchmark import benchmark_rows

        return benchmark_rows(
            topics, qrels, trials, per_class=per_class, balanced=balanced, seed=seed, limit=limit
        )

    def answer_schema(self, variant: str | None = None) -> dict[str, Any] | None:
        """One of three objects: a label name with its own grade (``{"prediction": "Eligible",
        "idx": 2}``), so a guided answer never contradicts itself."""
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "TrialAnswer",
            "oneOf": [
                {
                    "type": "object",
                    "properties": {"prediction": {"const": name}, "idx": {"const": index}},
                    "required": ["prediction", "idx"],
                    "additionalProperties": False,
                }
                for index, name in enumerate(CLASS_NAMES)
            ],
        }

    def register_commands(self, subparsers: Any) -> None:
        from ehrmind_rewards.tasks.trials.cli import register

        register(subparsers)

    def example_files(self) -> tuple[Path, Path]:
        return (
            EXAMPLES / "trec_ct_2021_sample_predictions.jsonl",
            EXAMPLES / "trec_ct_2021_sample.csv",
        )
