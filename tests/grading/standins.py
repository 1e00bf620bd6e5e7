"""Stand-in verifiers for grading tests, used until (and alongside) the real task verifiers.

They follow the contract of ``ehrmind_rewards.verifiers`` (``verify_row(completion, row, spec)``)
with the simplest faithful semantics: envelope and payload through the project's parsers, MedCalc
values read as plain numbers/dates/durations and compared with the row's limits, trial and EHRSHOT
answers compared by index. They are module-level functions so worker processes can use them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ehrmind_rewards.grading.official import answer_kind, read_as
from ehrmind_rewards.grading.values import read_number
from ehrmind_rewards.parsing import Envelope, parse_envelope, parse_payload
from ehrmind_rewards.rewards import RewardSpec
from schemas import Reason, Verdict


def _payload(completion: object, keys: tuple[str, ...]) -> dict[str, Any] | tuple[Reason, str]:
    envelope = parse_envelope(completion)
    if not isinstance(envelope, Envelope):
        return envelope.reason, envelope.detail
    payload = parse_payload(envelope.answer, keys)
    if not isinstance(payload, dict):
        return payload.reason, payload.detail
    return payload


def medcalc_standin(completion: object, row: Mapping[str, Any], spec: RewardSpec) -> Verdict:
    payload = _payload(completion, ("answer",))
    if not isinstance(payload, dict):
        return spec.verdict(format_ok=False, correct=None, reason=payload[0], detail=payload[1])
    calculator_id = read_number(row.get("calculator_id"))
    if calculator_id is None:
        return spec.verdict(format_ok=True, correct=None, reason=Reason.BAD_RECORD, detail="id")
    kind = answer_kind(int(calculator_id))
    value = read_as(kind, str(payload["answer"]))
    truth = read_as(kind, row.get("ground_truth"))
    if truth is None:
        return spec.verdict(format_ok=True, correct=None, reason=Reason.BAD_RECORD, detail="label")
    if value is None:
        return spec.verdict(format_ok=True, correct=False, reason=Reason.UNPARSEABLE_VALUE)
    if kind == "decimal":
        low, high = read_number(row.get("lower_limit")), read_number(row.get("upper_limit"))
        assert low is not None and high is not None and isinstance(value, float)
        correct = low <= value <= high
    elif kind == "integer":
        assert isinstance(value, float) and isinstance(truth, float)
        correct = round(value) == truth
    else:
        correct = value == truth
    parsed = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if isinstance(value, float):
        parsed = f"{value:g}"
    return spec.verdict(
        format_ok=True,
        correct=correct,
        reason=Reason.CORRECT if correct else Reason.WRONG_ANSWER,
        parsed=parsed,
    )


TRIAL_NAMES = {0: "Irrelevant", 1: "Excluded", 2: "Eligible"}


def labels_standin(completion: object, row: Mapping[str, Any], spec: RewardSpec) -> Verdict:
    payload = _payload(completion, ("prediction",))
    if not isinstance(payload, dict):
        return spec.verdict(format_ok=False, correct=None, reason=payload[0], detail=payload[1])
    index = read_number(str(payload.get("idx", payload.get("label"))))
    truth = read_number(row.get("label"))
    if index is None or truth is None:
        return spec.verdict(format_ok=True, correct=False, reason=Reason.UNKNOWN_LABEL)
    correct = index == truth
    return spec.verdict(
        format_ok=True,
        correct=correct,
        reason=Reason.CORRECT if correct else Reason.WRONG_ANSWER,
        parsed=f"{payload['prediction']} ({int(index)})",
    )
