"""The machine-readable reasons a verdict can carry.

Every verifier in the project reports *why* it scored a completion the way it did with one of these
values, so that trainers can log them, graders can count them and users can filter on them.
Format failures (the envelope or the JSON payload is broken) are separated from answer failures
(well-formed, but the answer is wrong or cannot be read as a single value).
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Why a completion received its verdict."""

    # --- success ------------------------------------------------------------------------------
    CORRECT = "correct"

    # --- format failures: the completion does not follow the required structure -----------------
    NOT_TEXT = "not_text"
    """The completion is neither a string nor a conversational message list."""
    EMPTY = "empty"
    TOO_LONG = "too_long"
    """Longer than the parser's input cap; rejected without being scanned."""
    MISSING_THINK = "missing_think"
    """No ``</think>`` closing tag."""
    DUPLICATE_THINK = "duplicate_think"
    MISSING_ANSWER = "missing_answer"
    """No ``<answer>`` or no ``</answer>`` tag."""
    DUPLICATE_ANSWER = "duplicate_answer"
    TAG_ORDER = "tag_order"
    """Tags present once each but out of order (or nested)."""
    TEXT_BETWEEN_BLOCKS = "text_between_blocks"
    """Non-whitespace text between ``</think>`` and ``<answer>``."""
    TRAILING_TEXT = "trailing_text"
    """Something other than whitespace or an end-of-turn token after ``</answer>``."""
    INVALID_JSON = "invalid_json"
    PAYLOAD_NOT_OBJECT = "payload_not_object"
    MISSING_KEY = "missing_key"
    DUPLICATE_KEY = "duplicate_key"

    # --- answer failures: well-formed, but the answer is wrong --------------------------------
    WRONG_ANSWER = "wrong_answer"
    """A single readable value that does not match the label."""
    UNPARSEABLE_VALUE = "unparseable_value"
    MULTIPLE_CANDIDATES = "multiple_candidates"
    """A range, a list or an 'a or b' answer: hedging is never rewarded."""
    EXPRESSION = "expression"
    """An arithmetic expression instead of a value (never evaluated)."""
    NON_FINITE = "non_finite"
    """NaN or infinity."""
    WRONG_TYPE = "wrong_type"
    """A value of the wrong kind (a date where a number is expected, ...)."""
    UNKNOWN_LABEL = "unknown_label"
    """A label name outside the task's vocabulary."""
    LABEL_MISMATCH = "label_mismatch"
    """The answer's name and index disagree with each other."""

    # --- not gradable ------------------------------------------------------------------------
    BAD_RECORD = "bad_record"
    """The reference record (label, limits, calculator id) is unusable; nothing is scored."""
    INTERNAL_ERROR = "internal_error"
    """An unexpected error inside the verifier; scored as a format failure and logged once."""

    @property
    def is_format_failure(self) -> bool:
        """True for reasons that mean the completion's structure is broken."""
        return self in _FORMAT_FAILURES


_FORMAT_FAILURES = frozenset(
    {
        Reason.NOT_TEXT,
        Reason.EMPTY,
        Reason.TOO_LONG,
        Reason.MISSING_THINK,
        Reason.DUPLICATE_THINK,
        Reason.MISSING_ANSWER,
        Reason.DUPLICATE_ANSWER,
        Reason.TAG_ORDER,
        Reason.TEXT_BETWEEN_BLOCKS,
        Reason.TRAILING_TEXT,
        Reason.INVALID_JSON,
        Reason.PAYLOAD_NOT_OBJECT,
        Reason.MISSING_KEY,
        Reason.DUPLICATE_KEY,
        Reason.INTERNAL_ERROR,
    }
)
