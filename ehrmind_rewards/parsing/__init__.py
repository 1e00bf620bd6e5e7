"""Parsers for untrusted model output: linear-time, capped, never raising, never evaluating."""

from ehrmind_rewards.parsing.envelope import (
    END_OF_TURN_TOKENS,
    MAX_COMPLETION_CHARS,
    Completion,
    Envelope,
    EnvelopeError,
    answer_text,
    completion_parts,
    parse_envelope,
)
from ehrmind_rewards.parsing.payload import JSONNumber, PayloadError, parse_payload

__all__ = [
    "END_OF_TURN_TOKENS",
    "MAX_COMPLETION_CHARS",
    "Completion",
    "Envelope",
    "EnvelopeError",
    "JSONNumber",
    "PayloadError",
    "answer_text",
    "completion_parts",
    "parse_envelope",
    "parse_payload",
]
