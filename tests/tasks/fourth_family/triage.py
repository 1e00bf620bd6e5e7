"""A fourth task family defined only in the test tree: emergency-department triage (ESI 1–5).

It shows what a third party writes to add a task: one :class:`TaskFamily` subclass. The answer
is ``{"level": N}`` with N the Emergency Severity Index level 1 (most urgent) to 5; rows hold
``level``. Nothing in the package knows this family.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ehrmind_rewards.core.parsing import EnvelopeFailure, JSONNumber, answer_text, parse_payload
from ehrmind_rewards.core.rewards import RewardSpec
from ehrmind_rewards.core.task import TaskFamily
from schemas.reasons import Reason
from schemas.verdict import Verdict

LEVELS = ("ESI 1", "ESI 2", "ESI 3", "ESI 4", "ESI 5")


class TriageFamily(TaskFamily):
    """Emergency Severity Index triage: one level per patient."""

    name: ClassVar[str] = "triage"
    title: ClassVar[str] = "ED triage (ESI)"
    label_fields: ClassVar[tuple[str, ...]] = ("level",)
    row_markers: ClassVar[tuple[str, ...]] = ("esi_case_id",)
    source_markers: ClassVar[tuple[str, ...]] = ("triage",)
    classification: ClassVar[bool] = True

    def verify_row(self, completion: object, row: Mapping[str, Any], spec: RewardSpec) -> Verdict:
        gold = row.get("level")
        if not isinstance(gold, int) or not 1 <= gold <= 5:
            return spec.verdict(format_ok=True, correct=None, reason=Reason.BAD_RECORD)
        text = answer_text(completion)
        if isinstance(text, EnvelopeFailure):
            return spec.verdict(format_ok=False, correct=None, reason=text.reason)
        payload = parse_payload(text, ("level",))
        if not isinstance(payload, dict):
            return spec.verdict(format_ok=False, correct=None, reason=payload.reason)
        level = payload["level"]
        if not isinstance(level, JSONNumber) or level not in ("1", "2", "3", "4", "5"):
            return spec.verdict(format_ok=True, correct=False, reason=Reason.UNKNOWN_LABEL)
        correct = int(level) == gold
        return spec.verdict(
            format_ok=True,
            correct=correct,
            reason=Reason.CORRECT if correct else Reason.WRONG_ANSWER,
            parsed=f"{LEVELS[int(level) - 1]} ({int(level) - 1})",
            label=int(level) - 1,
        )

    def class_names(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        return LEVELS

    def gold_class(self, row: Mapping[str, Any]) -> int | None:
        level = row.get("level")
        return level - 1 if isinstance(level, int) else None

    def category(self, row: Mapping[str, Any]) -> str:
        return str(row.get("category") or "triage")


FAMILY = TriageFamily()
