"""MedCalc's own grading counters: accuracy under the benchmark's official windows.

:class:`OfficialCounts` is the MedCalc family's grading extension
(:class:`~ehrmind_rewards.core.task.GradingExtension`): for every graded row it records whether the
answer this project read would pass MedCalc-Bench's own rule, on the original labels and, for
relabelled files, on the new ones (see :mod:`.official`). Its summary is the ``official`` key of a
grading summary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ehrmind_rewards.tasks.medcalc.official import official_outcomes
from schemas.verdict import Verdict


@dataclass(slots=True)
class OfficialCounts:
    """Correct counts under the benchmark's own windows (see :mod:`.official`)."""

    n_original: int = 0
    correct_original: int = 0
    n_relabelled: int = 0
    correct_relabelled: int = 0
    changed_labels: int = 0

    def observe(self, row: Mapping[str, Any], verdict: Verdict) -> None:
        """Count one graded row."""
        original, relabelled = official_outcomes(row, verdict.parsed)
        if original is not None:
            self.n_original += 1
            self.correct_original += original
        if relabelled is not None:
            self.n_relabelled += 1
            self.correct_relabelled += relabelled
            if _label_changed(row):
                self.changed_labels += 1

    def merge(self, other: OfficialCounts) -> None:
        """Add a later chunk's counts."""
        self.n_original += other.n_original
        self.correct_original += other.correct_original
        self.n_relabelled += other.n_relabelled
        self.correct_relabelled += other.correct_relabelled
        self.changed_labels += other.changed_labels

    def summary(self) -> dict[str, Any]:
        """``{"official": {"original_labels": …, "relabelled_labels": … or None}}``."""
        result: dict[str, Any] = {
            "original_labels": {
                "n": self.n_original,
                "accuracy": _rate(self.correct_original, self.n_original),
            },
            "relabelled_labels": None,
        }
        if self.n_relabelled:
            result["relabelled_labels"] = {
                "n": self.n_relabelled,
                "accuracy": _rate(self.correct_relabelled, self.n_relabelled),
                "changed_labels": self.changed_labels,
            }
        return {"official": result}


def _label_changed(row: Mapping[str, Any]) -> bool:
    """Whether a relabelled row's label differs from its original one (whatever the status:
    ``changed``, ``reinterpreted`` and ``suspect`` rows may all carry a new label)."""
    original = str(row.get("original_ground_truth", "")).strip()
    return bool(original) and str(row.get("ground_truth", "")).strip() != original


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None
