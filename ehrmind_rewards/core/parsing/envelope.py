"""The ``<think>…</think><answer>…</answer>`` envelope of an EHRMind completion.

Rules (EHRMind, arXiv 2505.24105, and ``docs/answer-format.md``):

* exactly one ``</think>`` and at most one ``<think>``; with none, the completion is taken to start
  inside a think block that the prompt pre-filled (``Let me solve this step by step.\\n<think>``);
* exactly one ``<answer>`` and one ``</answer>``, after ``</think>``, with only whitespace between
  ``</think>`` and ``<answer>``;
* nothing after ``</answer>`` but whitespace and end-of-turn tokens (``<|eot_id|>``, ``<|im_end|>``,
  ``</s>``, ``<|endoftext|>``, …), unless the caller allows trailing text;
* TRL's conversational form (a list of messages) is read from the last assistant message; when the
  chat template split the reasoning off into ``reasoning_content``, that text is the think block and
  ``content`` must hold the answer block alone.

The scan uses ``str.count``/``str.find`` only (linear time, no regular expressions, no backtracking)
and rejects inputs longer than :data:`MAX_COMPLETION_CHARS` before reading them. Nothing here
raises: every outcome is an :class:`Envelope` or an :class:`EnvelopeFailure`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from schemas.reasons import Reason

PREFILL = "Let me solve this step by step.\n<think>"
"""EHRMind's assistant-turn pre-fill: prompts end with it, so completions start inside ``<think>``
(which is why a completion without ``<think>`` but with one ``</think>`` is valid)."""

MAX_COMPLETION_CHARS = 262_144
"""Default input cap in characters (256 Ki): about 64k tokens, far beyond any rollout budget."""

END_OF_TURN_TOKENS: tuple[str, ...] = (
    "<|eot_id|>",
    "<|im_end|>",
    "</s>",
    "<|endoftext|>",
    "<|end_of_text|>",
    "<end_of_turn>",
    "<|end|>",
    "<eos>",
)
"""Tokens a decoder may leave after ``</answer>``; they and whitespace are ignored there."""

THINK_OPEN, THINK_CLOSE = "<think>", "</think>"
ANSWER_OPEN, ANSWER_CLOSE = "<answer>", "</answer>"

Message: TypeAlias = Mapping[str, Any]
Completion: TypeAlias = str | Sequence[Message]
"""A completion as trainers pass it: plain text, or TRL's conversational list of messages."""


@dataclass(frozen=True, slots=True)
class Envelope:
    """A structurally valid completion: its reasoning and the raw text inside the answer tags."""

    think: str
    answer: str


@dataclass(frozen=True, slots=True)
class EnvelopeFailure:
    """Why a completion is not a valid envelope (a format failure)."""

    reason: Reason
    detail: str


def _strip_end_of_turn(text: str) -> str:
    """Remove trailing whitespace and end-of-turn tokens; each loop removes at least one char."""
    while True:
        stripped = text.rstrip()
        for token in END_OF_TURN_TOKENS:
            if stripped.endswith(token):
                stripped = stripped[: -len(token)]
                break
        if stripped == text:
            return text
        text = stripped


def _message_text(content: object) -> str | None:
    """The text of a message's ``content``: a string, or a list of ``{"type": "text"}`` parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, Sequence) and not isinstance(content, (bytes, bytearray)):
        parts: list[str] = []
        for part in content:
            if isinstance(part, Mapping) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            elif isinstance(part, str):
                parts.append(part)
            else:
                return None
        return "".join(parts)
    return None


def completion_parts(completion: object) -> tuple[str, str | None] | EnvelopeFailure:
    """Split a completion into its text and, if the template split it off, its reasoning text.

    >>> completion_parts([{"role": "assistant", "content": "<answer>1</answer>",
    ...                    "reasoning_content": "why"}])
    ('<answer>1</answer>', 'why')
    """
    if isinstance(completion, str):
        return completion, None
    if isinstance(completion, Mapping):
        completion = [completion]
    if isinstance(completion, Sequence) and not isinstance(completion, (bytes, bytearray)):
        messages = [m for m in completion if isinstance(m, Mapping)]
        if not messages or len(messages) != len(completion):
            return EnvelopeFailure(Reason.NOT_TEXT, "conversational completion with no messages")
        assistant = [m for m in messages if m.get("role", "assistant") == "assistant"]
        message = assistant[-1] if assistant else messages[-1]
        text = _message_text(message.get("content", ""))
        if text is None:
            return EnvelopeFailure(Reason.NOT_TEXT, "message content is not text")
        reasoning = message.get("reasoning_content")
        return text, reasoning if isinstance(reasoning, str) else None
    return EnvelopeFailure(Reason.NOT_TEXT, f"completion of type {type(completion).__name__}")


def parse_envelope(
    completion: object,
    *,
    max_chars: int = MAX_COMPLETION_CHARS,
    allow_trailing_text: bool = False,
) -> Envelope | EnvelopeFailure:
    """Check the envelope of ``completion`` and return its think and answer texts.

    Args:
        completion: a string, or a list of chat messages (TRL's conversational form).
        max_chars: inputs longer than this are a ``too_long`` format failure.
        allow_trailing_text: accept any text after ``</answer>`` (EHRMind's MedCalc reward did).

    >>> parse_envelope("Step 1 …</think><answer>{}</answer>").think
    'Step 1 …'
    >>> parse_envelope("<answer>{}</answer>").reason
    <Reason.MISSING_THINK: 'missing_think'>
    """
    found = _scan(completion, max_chars, allow_trailing_text)
    if isinstance(found, EnvelopeFailure):
        return found
    text, think, (think_start, think_end), (answer_start, answer_end) = found
    return Envelope(
        think=text[think_start:think_end] if think is None else think,
        answer=text[answer_start:answer_end],
    )


def answer_text(
    completion: object,
    *,
    max_chars: int = MAX_COMPLETION_CHARS,
    allow_trailing_text: bool = False,
) -> str | EnvelopeFailure:
    """The text inside ``<answer>…</answer>`` after the same checks as :func:`parse_envelope`.

    For verifiers that never read the reasoning: it skips copying it.

    >>> answer_text('<think>…</think>\\n<answer>{"answer": 4}</answer><|im_end|>')
    '{"answer": 4}'
    >>> answer_text("<think>…</think><answer>4</answer> extra").reason
    <Reason.TRAILING_TEXT: 'trailing_text'>
    """
    found = _scan(completion, max_chars, allow_trailing_text)
    if isinstance(found, EnvelopeFailure):
        return found
    text, _, _, (answer_start, answer_end) = found
    return text[answer_start:answer_end]


_Span: TypeAlias = tuple[int, int]


def _scan(
    completion: object, max_chars: int, allow_trailing_text: bool
) -> tuple[str, str | None, _Span, _Span] | EnvelopeFailure:
    """Check the envelope; return the text, split-off reasoning (if any) and the two spans."""
    if type(completion) is str:  # the common case, without the general dispatch
        text, reasoning = completion, None
    else:
        parts = completion_parts(completion)
        if isinstance(parts, EnvelopeFailure):
            return parts
        text, reasoning = parts
    if len(text) + len(reasoning or "") > max_chars:
        return EnvelopeFailure(Reason.TOO_LONG, f"{len(text)} characters > cap {max_chars}")
    if not text or text.isspace():
        return EnvelopeFailure(Reason.EMPTY, "empty completion")
    if reasoning is not None and THINK_CLOSE not in text:
        if THINK_OPEN in text:
            return EnvelopeFailure(
                Reason.DUPLICATE_THINK, "<think> in content and reasoning_content"
            )
        answer = _answer_span(text, 0, (0, 0), allow_trailing_text)
        if isinstance(answer, EnvelopeFailure):
            return answer
        return text, reasoning, (0, 0), answer

    close = text.rfind(THINK_CLOSE)
    if close == -1:
        return EnvelopeFailure(Reason.MISSING_THINK, "no </think> tag")
    start = close + len(THINK_CLOSE)
    first_open, think_open, think_close, answer_tags = _head_tags(text, close)
    n_open_after = text.count(THINK_OPEN, start)
    if think_close or think_open + n_open_after > 1:
        return EnvelopeFailure(Reason.DUPLICATE_THINK, "more than one think block")
    if n_open_after:
        return EnvelopeFailure(Reason.TAG_ORDER, "<think> after </think>")
    answer = _answer_span(text, start, answer_tags, allow_trailing_text)
    if isinstance(answer, EnvelopeFailure):
        return answer
    think_start = first_open + len(THINK_OPEN) if think_open else 0
    return text, None, (think_start, close), answer


_MAX_LT_WALK = 16
"""Up to this many ``<`` in the reasoning are classified one by one; beyond it tags are counted."""


def _head_tags(text: str, end: int) -> tuple[int, int, int, tuple[int, int]]:
    """Tags in ``text[:end]``: (first ``<think>``, ``<think>`` count, ``</think>`` count,
    (``<answer>`` count, ``</answer>`` count)), in one forward pass over the ``<`` characters.

    Reasoning rarely holds more than a few ``<``, so walking them is cheaper than counting each
    tag over the whole text; past :data:`_MAX_LT_WALK` of them the tags are counted instead.
    Either way the cost is linear in ``end``.
    """
    first_open, think_open, think_close, answer_open, answer_close = -1, 0, 0, 0, 0
    at = text.find("<", 0, end)
    for _ in range(_MAX_LT_WALK):
        if at == -1:
            return first_open, think_open, think_close, (answer_open, answer_close)
        if text.startswith(THINK_OPEN, at):
            think_open += 1
            first_open = at if first_open == -1 else first_open
        elif text.startswith(THINK_CLOSE, at):
            think_close += 1
        elif text.startswith(ANSWER_OPEN, at):
            answer_open += 1
        elif text.startswith(ANSWER_CLOSE, at):
            answer_close += 1
        at = text.find("<", at + 1, end)
    return (
        text.find(THINK_OPEN, 0, end),
        text.count(THINK_OPEN, 0, end),
        text.count(THINK_CLOSE, 0, end),
        (text.count(ANSWER_OPEN, 0, end), text.count(ANSWER_CLOSE, 0, end)),
    )


def _answer_span(
    text: str,
    start: int,
    tags_before: tuple[int, int],
    allow_trailing_text: bool,
) -> _Span | EnvelopeFailure:
    """Find the single answer block of ``text`` that must begin at or after ``start``.

    ``tags_before`` counts the ``<answer>`` and ``</answer>`` tags before ``start``. Returns the
    span of the text between the tags.
    """
    n_open = tags_before[0] + text.count(ANSWER_OPEN, start)
    n_close = tags_before[1] + text.count(ANSWER_CLOSE, start)
    if n_open == 0 or n_close == 0:
        return EnvelopeFailure(Reason.MISSING_ANSWER, "no <answer>…</answer> block")
    if n_open > 1 or n_close > 1:
        return EnvelopeFailure(Reason.DUPLICATE_ANSWER, "more than one answer block")
    open_, close = text.find(ANSWER_OPEN, start), text.find(ANSWER_CLOSE, start)
    if tags_before != (0, 0) or not start <= open_ < close:
        return EnvelopeFailure(Reason.TAG_ORDER, "answer block not after the think block")
    between = text[start:open_]
    if between and not between.isspace():
        return EnvelopeFailure(Reason.TEXT_BETWEEN_BLOCKS, "text between </think> and <answer>")
    tail = text[close + len(ANSWER_CLOSE) :]
    if tail and not allow_trailing_text and not tail.isspace() and _strip_end_of_turn(tail):
        return EnvelopeFailure(Reason.TRAILING_TEXT, "text after </answer>")
    return open_ + len(ANSWER_OPEN), close
