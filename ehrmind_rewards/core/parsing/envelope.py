"""The ``<think>…</think><answer>…</answer>`` envelope of an EHRMind completion.

Rules (EHRMind, arXiv 2505.24105, and ``docs/answer-format.md``):

* exactly one ``</think>`` and at most one ``<think>``; with none, the completion is taken to start
  inside a think block that the prompt pre-filled (``Let me solve this step by step.\\n<think>``);
* exactly one ``<answer>`` and one ``</answer>``, after ``</think>``, with only whitespace between
  ``</think>`` and ``<answer>``;
* nothing after ``</answer>`` but whitespace and the end-of-turn, end-of-sequence and padding
  tokens of the major open chat templates (:data:`END_OF_TURN`: ``<|eot_id|>``, ``<|im_end|>``,
  ``</s>``, ``<｜end▁of▁sentence｜>``, ``<|return|>``, ``<end_of_turn>``, …), unless the caller
  allows trailing text;
* TRL's conversational form (a list of messages) is read from the last assistant message; when the
  chat template split the reasoning off (TRL and vLLM name it ``reasoning_content`` — Qwen3, GLM —,
  ``thinking`` — gpt-oss, LFM — or ``reasoning``: :data:`REASONING_FIELDS`), that text is the think
  block and ``content`` must hold the answer block alone. A message with no reasoning field and no
  think tag at all is a think block the template split off and dropped because it was empty
  (Qwen3's response parser leaves the key out then).

The scan uses ``str.count``/``str.find`` and one possessive, fully anchored pattern for the tail
after ``</answer>`` (linear time, no backtracking), and rejects inputs longer than
:data:`MAX_COMPLETION_CHARS` before reading them. Nothing here raises: every outcome is an
:class:`Envelope` or an :class:`EnvelopeFailure`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeAlias

from schemas.reasons import Reason

PREFILL = "Let me solve this step by step.\n<think>"
"""EHRMind's assistant-turn pre-fill: prompts end with it, so completions start inside ``<think>``
(which is why a completion without ``<think>`` but with one ``</think>`` is valid)."""

MAX_COMPLETION_CHARS = 262_144
"""Default input cap in characters (256 Ki): about 64k tokens, far beyond any rollout budget."""

END_OF_TURN: Final[Mapping[str, str]] = {
    "<|eot_id|>": "Llama 3, 3.1, 3.2, 3.3 (end of turn)",
    "<|eom_id|>": "Llama 3.1+ (end of message, tool use)",
    "<|end_of_text|>": "Llama 3.x, Granite 3 (end of text)",
    "<|eot|>": "Llama 4 (end of turn)",
    "<|eom|>": "Llama 4 (end of message, tool use)",
    "<|finetune_right_pad_id|>": "Llama 3.1+ (padding)",
    "<|im_end|>": "ChatML: Qwen 2, 2.5, 3, QwQ, Phi-4, SmolLM, Yi, InternLM, Kimi",
    "<|endoftext|>": "Qwen, GLM-4, Phi-3/4, OLMo 2, Falcon 3 (end of text)",
    "</s>": "Llama 2, Mistral, Mixtral, Zephyr, Vicuna",
    "<｜end▁of▁sentence｜>": "DeepSeek-R1, DeepSeek-V3 and the R1 distills",
    "<｜▁pad▁｜>": "DeepSeek-V3 (padding)",
    "<|return|>": "gpt-oss, harmony format (end of the final answer)",
    "<|end|>": "gpt-oss (end of a message), Phi-3, Phi-3.5, Phi-4-mini (end of turn)",
    "<end_of_turn>": "Gemma 2, Gemma 3 (end of turn)",
    "<eos>": "Gemma (end of sequence)",
    "<pad>": "Gemma (padding)",
    "<|user|>": "GLM-4, OLMo 2, Tulu (the next user turn, where generation stops)",
    "<|observation|>": "GLM-4 (a tool result, where generation stops)",
    "<|END_OF_TURN_TOKEN|>": "Cohere Command R, R+ (end of turn)",
    "[|endofturn|]": "EXAONE 3.5 (end of turn)",
}
"""Tokens a decoder may leave after ``</answer>``, with the model families that emit them; they
and whitespace are ignored there, in any number and order. No token is a prefix of another,
so the tail is read without backtracking (a test checks it)."""

END_OF_TURN_TOKENS: tuple[str, ...] = tuple(END_OF_TURN)
"""The tokens of :data:`END_OF_TURN`."""


def end_of_turn_table() -> str:
    """:data:`END_OF_TURN` as the Markdown table of ``docs/answer-format.md``.

    >>> end_of_turn_table().splitlines()[2]
    '| `<|eot_id|>` | Llama 3, 3.1, 3.2, 3.3 (end of turn) |'
    """
    rows = [f"| `{token}` | {family} |" for token, family in END_OF_TURN.items()]
    return "\n".join(["| token | emitted by |", "|---|---|", *rows])


REASONING_FIELDS: Final = ("reasoning_content", "thinking", "reasoning")
"""Message fields a chat template's response parser puts the split-off think text in:
``reasoning_content`` (TRL and vLLM: Qwen3, GLM), ``thinking`` (TRL: gpt-oss, LFM) and
``reasoning`` (vLLM's OpenAI-compatible server)."""


def _alternation(tokens: Sequence[str]) -> str:
    """A regular expression matching any of ``tokens``, factored by common prefixes (a trie), so
    that each character is tried against one branch instead of every token."""
    branches: dict[str, list[str]] = {}
    for token in tokens:
        branches.setdefault(token[:1], []).append(token[1:])
    parts = []
    for head, rests in sorted(branches.items()):
        if rests == [""]:
            parts.append(re.escape(head))
        else:
            assert "" not in rests, "an end-of-turn token is a prefix of another"
            parts.append(re.escape(head) + _alternation(rests))
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


_TAIL_PATTERN: Final = r"(?:\s+|" + _alternation(list(END_OF_TURN)) + r")*+"
_END_OF_TURN_TAIL: Final = re.compile(_TAIL_PATTERN)
"""Whitespace and end-of-turn tokens, possessively: a tail is clean iff this matches all of it."""
_COMMON_END: Final = re.compile(r"</think>\s*+<answer>([^<]*+)</answer>" + _TAIL_PATTERN)
"""From ``</think>`` to the end of a valid completion of the common shape (see
:func:`_common_end`): possessive throughout and fully anchored, so linear."""

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


_EMPTY: Final = EnvelopeFailure(Reason.EMPTY, "empty completion")
_MISSING_THINK: Final = EnvelopeFailure(Reason.MISSING_THINK, "no </think> tag")
_DUPLICATE_THINK: Final = EnvelopeFailure(Reason.DUPLICATE_THINK, "more than one think block")
_THINK_AFTER_CLOSE: Final = EnvelopeFailure(Reason.TAG_ORDER, "<think> after </think>")
_MISSING_ANSWER: Final = EnvelopeFailure(Reason.MISSING_ANSWER, "no <answer>…</answer> block")
_DUPLICATE_ANSWER: Final = EnvelopeFailure(Reason.DUPLICATE_ANSWER, "more than one answer block")
_ANSWER_BEFORE_THINK: Final = EnvelopeFailure(
    Reason.TAG_ORDER, "answer block not after the think block"
)
_TEXT_BETWEEN: Final = EnvelopeFailure(
    Reason.TEXT_BETWEEN_BLOCKS, "text between </think> and <answer>"
)
_TRAILING_TEXT: Final = EnvelopeFailure(Reason.TRAILING_TEXT, "text after </answer>")
"""The failures whose detail never varies, built once (failures are immutable)."""


def clean_tail(text: str, start: int = 0) -> bool:
    """Whether ``text[start:]`` holds only whitespace and :data:`END_OF_TURN` tokens.

    One possessive, fully anchored match: linear in the tail's length, whatever it holds.

    >>> clean_tail(" <|eot_id|>\\n</s></s>"), clean_tail("<|im_end|> Hope this helps!")
    (True, False)
    """
    return _END_OF_TURN_TAIL.fullmatch(text, start) is not None


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


def _reasoning(message: Message, text: str) -> str | None:
    """The split-off think text of a message (see the module docstring), or ``None``."""
    found: str | None = None
    for field in REASONING_FIELDS:
        value = message.get(field)
        if isinstance(value, str):
            if value:
                return value
            found = ""
    if found is None and THINK_OPEN not in text and THINK_CLOSE not in text:
        return ""  # an empty think block the template dropped
    return found


def completion_parts(completion: object) -> tuple[str, str | None] | EnvelopeFailure:
    """Split a completion into its text and, if the template split it off, its reasoning text.

    >>> completion_parts([{"role": "assistant", "content": "<answer>1</answer>",
    ...                    "thinking": "why"}])
    ('<answer>1</answer>', 'why')
    >>> completion_parts([{"role": "assistant", "content": "<answer>1</answer>"}])
    ('<answer>1</answer>', '')
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
        return text, _reasoning(message, text)
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
    if type(completion) is str and max_chars == MAX_COMPLETION_CHARS and not allow_trailing_text:
        spans = _simple_spans(completion)
        if spans is not None:
            return Envelope(
                think=completion[spans[0] : spans[1]], answer=completion[spans[2] : spans[3]]
            )
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
    if type(completion) is str and max_chars == MAX_COMPLETION_CHARS and not allow_trailing_text:
        end = _common_end(completion)
        if end is not None:
            return end.group(1)
    found = _scan(completion, max_chars, allow_trailing_text)
    if isinstance(found, EnvelopeFailure):
        return found
    text, _, _, (answer_start, answer_end) = found
    return text[answer_start:answer_end]


_Span: TypeAlias = tuple[int, int]
_THINK_OPEN_LEN = len(THINK_OPEN)


def _common_end(text: str) -> re.Match[str] | None:
    """The match of :data:`_COMMON_END` from ``</think>`` to the end of a valid completion of the
    common shape, else ``None``.

    The common shape: no ``<`` in the reasoning but an optional first ``<think>``, only whitespace
    between ``</think>`` and ``<answer>``, no ``<`` in the answer, a clean tail. Such a text has
    exactly one of each tag in order, so it is valid, and :func:`_scan` finds the same spans (a
    property test checks it); anything else (``None``) takes the general scan, which also says
    what is wrong. One or two ``str.find`` calls (one ``memchr`` pass over the reasoning) and one
    possessive match over the rest: linear, and a few C calls in all.
    """
    if len(text) > MAX_COMPLETION_CHARS:
        return None
    if text.startswith(THINK_OPEN):
        close = text.find("<", _THINK_OPEN_LEN)
    else:
        close = text.find("<")
        if close != -1 and text.startswith(THINK_OPEN, close):
            close = text.find("<", close + _THINK_OPEN_LEN)
    return None if close == -1 else _COMMON_END.fullmatch(text, close)


def _simple_spans(text: str) -> tuple[int, int, int, int] | None:
    """The think and answer spans of a valid completion of the common shape (see
    :func:`_common_end`), else ``None``."""
    end = _common_end(text)
    if end is None:
        return None
    close = end.start()
    first = text.find(THINK_OPEN, 0, close)
    think_start = 0 if first == -1 else first + _THINK_OPEN_LEN
    return (think_start, close, *end.span(1))


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
        return _EMPTY
    if reasoning is not None and THINK_CLOSE not in text:
        if THINK_OPEN in text:
            return EnvelopeFailure(
                Reason.DUPLICATE_THINK, "<think> in content and in a reasoning field"
            )
        answer = _answer_span(text, 0, (0, 0), allow_trailing_text)
        if isinstance(answer, EnvelopeFailure):
            return answer
        return text, reasoning, (0, 0), answer

    close = text.rfind(THINK_CLOSE)
    if close == -1:
        return _MISSING_THINK
    start = close + len(THINK_CLOSE)
    first_open, think_open, think_close, answer_tags = _head_tags(text, close)
    n_open_after = text.count(THINK_OPEN, start)
    if think_close or think_open + n_open_after > 1:
        return _DUPLICATE_THINK
    if n_open_after:
        return _THINK_AFTER_CLOSE
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
        return _MISSING_ANSWER
    if n_open > 1 or n_close > 1:
        return _DUPLICATE_ANSWER
    open_, close = text.find(ANSWER_OPEN, start), text.find(ANSWER_CLOSE, start)
    if tags_before != (0, 0) or not start <= open_ < close:
        return _ANSWER_BEFORE_THINK
    between = text[start:open_]
    if between and not between.isspace():
        return _TEXT_BETWEEN
    end = close + len(ANSWER_CLOSE)
    if end < len(text) and not allow_trailing_text and not clean_tail(text, end):
        return _TRAILING_TEXT
    return open_ + len(ANSWER_OPEN), close
