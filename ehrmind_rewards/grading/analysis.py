"""Error analysis: *why* a graded answer failed, as one kind (and an optional sub-kind) per row.

Kinds, in the order they are tested:

* **format failures**, one kind per :class:`~schemas.Reason` (``missing_think``,
  ``missing_answer``, ``duplicate_answer``, ``invalid_json``, ``missing_key``,
  ``trailing_text``, …);
* ``unparseable_value``: a well-formed payload whose answer is not one readable value, sub-kind the
  verifier's reason (``multiple_candidates``, ``expression``, ``non_finite``, ``wrong_type``, …);
* ``unknown_label`` / ``label_mismatch`` (classification tasks): a name outside the vocabulary, or
  a name and index that disagree;
* otherwise the task family's own classification of a readable wrong answer
  (:meth:`~ehrmind_rewards.core.task.TaskFamily.classify_wrong`): for MedCalc ``near_miss``,
  ``sign_error``, ``unit_slip``, … (see :mod:`ehrmind_rewards.tasks.medcalc.analysis`); for label
  tasks ``wrong_label`` with sub-kind ``"truth → prediction"``.

The classifiers read only the verdict and the row's label; they never raise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ehrmind_rewards.core.task import ErrorKind, TaskFamily
from schemas import Reason, Verdict

VALUE_REASONS = frozenset(
    {
        Reason.UNPARSEABLE_VALUE,
        Reason.MULTIPLE_CANDIDATES,
        Reason.EXPRESSION,
        Reason.NON_FINITE,
        Reason.WRONG_TYPE,
    }
)


def analyze(family: TaskFamily, row: Mapping[str, Any], verdict: Verdict) -> ErrorKind | None:
    """Why ``verdict`` is a failure, or ``None`` when it is correct."""
    if verdict.correct:
        return None
    reason = Reason(verdict.reason)
    if reason.is_format_failure:
        return reason.value, None
    if reason in VALUE_REASONS:
        return "unparseable_value", reason.value
    if reason in (Reason.UNKNOWN_LABEL, Reason.LABEL_MISMATCH):
        return reason.value, None
    return family.classify_wrong(row, verdict)
