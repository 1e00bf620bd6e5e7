"""The patient–trial matching family (TREC Clinical Trials 2021/2022, EHRMind's format).

Rows hold ``label`` (the qrels grade 0/1/2) and optionally ``idx``; answers are
``{"prediction": NAME, "idx": N}``. See :mod:`.verifier`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from ehrmind_rewards.core.task import TaskFamily
from ehrmind_rewards.tasks.trials.verifier import verify_row
from schemas.trials import LABEL_NAMES

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
    source_markers: ClassVar[tuple[str, ...]] = ("trial", "trec")

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

    def min_correct(self, category: str, k: int) -> int | None:
        return k // 3 + 2

    def n_classes(self, category: str) -> int | None:
        return len(CLASS_NAMES)

    def register_commands(self, subparsers: Any) -> None:
        from ehrmind_rewards.tasks.trials.cli import register

        register(subparsers)

    def example_files(self) -> tuple[Path, Path]:
        return (
            EXAMPLES / "trec_ct_2021_sample_predictions.jsonl",
            EXAMPLES / "trec_ct_2021_sample.csv",
        )
