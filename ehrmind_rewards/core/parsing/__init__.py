"""Parsers for untrusted model output: linear-time, capped, never raising, never evaluating."""

from ehrmind_rewards.core.parsing.envelope import (
    END_OF_TURN,
    END_OF_TURN_TOKENS,
    MAX_COMPLETION_CHARS,
    PREFILL,
    REASONING_FIELDS,
    Completion,
    Envelope,
    EnvelopeFailure,
    answer_text,
    clean_tail,
    completion_parts,
    parse_envelope,
)
from ehrmind_rewards.core.parsing.payload import JSONNumber, PayloadFailure, parse_payload

__all__ = [
    "END_OF_TURN",
    "END_OF_TURN_TOKENS",
    "MAX_COMPLETION_CHARS",
    "PREFILL",
    "REASONING_FIELDS",
    "Completion",
    "Envelope",
    "EnvelopeFailure",
    "JSONNumber",
    "PayloadFailure",
    "answer_text",
    "clean_tail",
    "completion_parts",
    "parse_envelope",
    "parse_payload",
]
