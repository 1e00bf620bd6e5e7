"""Trial-matching error analysis: answers and labels that contradict the structured fields.

A dataset row built by :func:`~.dataset.build_trial_dataset` carries the pair's structured
pre-check in its ``structured_eligibility`` column (:func:`~.structured.structured_eligibility`,
as a mapping or its JSON text). Grading uses it through the trials family's two hooks:

* :func:`classify_wrong` — a wrong answer of **Eligible** for a pair where a structured field is
  not met (a 70-year-old for a trial with a maximum age of 65) is the error kind
  :data:`CONTRADICTS_STRUCTURED` with the unmet fields as sub-kind (``"age"``, ``"age, sex"``);
  any other wrong answer is ``wrong_label``;
* :class:`StructuredContradictions` — over every graded row, how many answers and how many
  reference labels say Eligible although a structured field is not met (a label that does points
  at the qrels, the topic text or the trial record), per field, with the first examples; rows
  whose column cannot be read are counted, not skipped silently. It adds the key
  ``structured_eligibility`` to the grading summary.

Rows without the column are left alone (the summary then has no such key).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ehrmind_rewards.core.task import ErrorKind
from ehrmind_rewards.tasks.trials.structured import (
    STRUCTURED_COLUMN,
    StructuredEligibility,
    structured_column,
)
from ehrmind_rewards.tasks.trials.verifier import row_label
from schemas.trials import TrialLabel
from schemas.verdict import Verdict

CONTRADICTS_STRUCTURED = "contradicts_structured_fields"
"""Error kind of an Eligible answer for a pair whose structured fields rule the patient out."""

EXAMPLES = 5
"""Examples kept per kind of contradiction (answer, label)."""


def _unmet(structured: StructuredEligibility) -> str:
    return ", ".join(check.field for check in structured.not_met)


def classify_wrong(row: Mapping[str, Any], verdict: Verdict) -> ErrorKind:
    """Why a readable wrong answer is wrong: :data:`CONTRADICTS_STRUCTURED` or ``wrong_label``.

    >>> from ehrmind_rewards.core.rewards import EHRMIND
    >>> from ehrmind_rewards.tasks.trials.verifier import verify_row
    >>> structured = {
    ...     "age": {"status": "not met", "patient": "70 years", "trial": "at most 65 Years"},
    ...     "sex": {"status": "met", "patient": "male", "trial": "All"},
    ...     "healthy_volunteers": {"status": "unknown", "patient": None, "trial": None},
    ... }
    >>> row = {"label": 0, "structured_eligibility": structured}
    >>> answer = '<think>…</think><answer>{"prediction": "Eligible", "idx": 2}</answer>'
    >>> classify_wrong(row, verify_row(answer, row, EHRMIND))
    ('contradicts_structured_fields', 'age')
    """
    structured = structured_column(row)
    if (
        structured is not None
        and isinstance(verdict.label, int)
        and structured.contradicts(verdict.label)
    ):
        return CONTRADICTS_STRUCTURED, _unmet(structured)
    return "wrong_label", f"{row.get('label')} → {verdict.parsed}"


@dataclass
class StructuredContradictions:
    """Grading counters for structured-field contradictions (a ``GradingExtension``)."""

    checked: int = 0
    """Graded rows with a readable ``structured_eligibility`` column."""
    unreadable: int = 0
    """Rows whose ``structured_eligibility`` column is present but not a pre-check result."""
    ruled_out: int = 0
    """Checked rows with at least one structured field not met."""
    answers: int = 0
    """Answers of Eligible for a ruled-out pair."""
    labels: int = 0
    """Reference labels of Eligible for a ruled-out pair."""
    fields: Counter[str] = field(default_factory=Counter)
    """Field → ruled-out rows on which it is not met."""
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """``"answer"``/``"label"`` → the first :data:`EXAMPLES` contradictions."""

    def observe(self, row: Mapping[str, Any], verdict: Verdict) -> None:
        """Count one graded row."""
        if row.get(STRUCTURED_COLUMN) is None:
            return
        structured = structured_column(row)
        if structured is None:
            self.unreadable += 1
            return
        self.checked += 1
        if not structured.not_met:
            return
        self.ruled_out += 1
        self.fields.update(check.field for check in structured.not_met)
        if isinstance(verdict.label, int) and structured.contradicts(verdict.label):
            self.answers += 1
            self._example("answer", row, structured)
        reference = row_label(row)
        if isinstance(reference, TrialLabel) and structured.contradicts(reference):
            self.labels += 1
            self._example("label", row, structured)

    def _example(self, who: str, row: Mapping[str, Any], structured: StructuredEligibility) -> None:
        kept = self.examples.setdefault(who, [])
        if len(kept) < EXAMPLES:
            kept.append(
                {
                    "query_id": row.get("query_id"),
                    "doc_id": row.get("doc_id"),
                    "fields": [check.describe() for check in structured.not_met],
                }
            )

    def merge(self, other: StructuredContradictions) -> None:
        """Add the counts of a later chunk."""
        self.checked += other.checked
        self.unreadable += other.unreadable
        self.ruled_out += other.ruled_out
        self.answers += other.answers
        self.labels += other.labels
        self.fields.update(other.fields)
        for who, examples in other.examples.items():
            kept = self.examples.setdefault(who, [])
            kept.extend(examples[: max(0, EXAMPLES - len(kept))])

    def summary(self) -> dict[str, Any]:
        """``{"structured_eligibility": {...}}``, or nothing when no row carried the column."""
        if not self.checked and not self.unreadable:
            return {}
        return {
            "structured_eligibility": {
                "checked": self.checked,
                "unreadable": self.unreadable,
                "ruled_out": self.ruled_out,
                "eligible_answers_contradicting": self.answers,
                "eligible_labels_contradicting": self.labels,
                "fields_not_met": dict(self.fields.most_common()),
                "examples": {who: list(kept) for who, kept in self.examples.items()},
            }
        }
