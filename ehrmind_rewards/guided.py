"""Guided decoding: one regular expression for the whole completion, and answer JSON Schemas.

:func:`completion_regex` is the pattern of a whole EHRMind completion for one task:

    <think>REASONING</think>\\n<answer>PAYLOAD</answer>

It is written for constrained decoders (vLLM's structured outputs, which TRL drives through
``GRPOConfig(vllm_structured_outputs_regex=...)``; xgrammar, llguidance, outlines): plain groups,
character classes and bounded repetition only — no look-around, no back-references, no anchors.
Every string it matches is a format-valid completion for the task's verifier (the tests generate
strings from it and grade them), so a guided model never earns the format penalty:

* the reasoning holds no tag: a ``<`` is always followed by a character other than ``/``, ``<``,
  ``a`` and ``t`` (``age < 65`` and ``<=`` are fine; ``</b>`` is not), and is at most
  ``max_think_chars`` characters long (a ``<`` and the character after it count as one), so the
  whole completion stays under the verifier's input cap
  (:data:`~ehrmind_rewards.core.parsing.envelope.MAX_COMPLETION_CHARS`);
* the payload is the task's :func:`answer_schema` written as JSON in one fixed layout
  (``{"key": value, "key": value}``, keys in schema order), label names from the label set, the
  class name and index of one class together (so a guided answer never contradicts itself).

With ``prefilled=True`` the pattern starts inside the think block, for prompts that end with
EHRMind's pre-fill ``Let me solve this step by step.\\n<think>`` (this project's training module
renders prompts that way).

:func:`answer_schema` is the task's answer payload as a JSON Schema (draft 2020-12) with ``enum``
and ``const`` label sets, for decoders that take a schema (vLLM ``structured_outputs.json``) and
for validating answers in other languages. Both come from the family's
:meth:`~ehrmind_rewards.core.task.TaskFamily.answer_schema` hook.

The schema subset turned into a pattern: ``const``; ``enum``; ``anyOf``/``oneOf``; objects with
``properties`` (the first one required; keys not in ``required`` are optional, in order);
integers in a range of at most 64 values, or ≥ 0, or unbounded; numbers unbounded, ≥ 0, or in
[0, 1] (no exponent; at most 16 integer and 15 fraction digits); strings with an anchored
``pattern`` whose matches hold no ``"``, ``\\\\`` or control character; arrays with ``maxItems``
(``uniqueItems`` over an ``enum`` is written as the enum's members in order, each at most once).
Anything else raises :class:`GuidedDecodingError`.

>>> import re
>>> from ehrmind_rewards.core.registry import DEFAULT_TASK
>>> pattern = completion_regex(DEFAULT_TASK)
>>> bool(re.fullmatch(pattern, '<think>CrCl < 30.</think>\\n<answer>{"answer": 25.2}</answer>'))
True
>>> bool(re.fullmatch(pattern, '<think>…</think>\\n<answer>{"answer": "25 mL/min"}</answer>'))
False
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from ehrmind_rewards.core import registry
from ehrmind_rewards.core.errors import EhrmindError
from ehrmind_rewards.core.parsing.envelope import (
    ANSWER_CLOSE,
    ANSWER_OPEN,
    MAX_COMPLETION_CHARS,
    THINK_CLOSE,
    THINK_OPEN,
)

__all__ = [
    "DEFAULT_MAX_THINK_CHARS",
    "GuidedDecodingError",
    "answer_schema",
    "completion_regex",
    "payload_regex",
]

DEFAULT_MAX_THINK_CHARS: Final = 65_536
"""Default cap on the reasoning in :func:`completion_regex`: about 16k tokens of English text."""

THINK_UNIT: Final = "([^<]|<[^/<at])"
"""One unit of reasoning: any character but ``<``, or ``<`` with a character that starts no tag."""

SEPARATOR: Final = ", "
"""Between array items and object members."""

_NUMBER_INT: Final = "(0|[1-9][0-9]{0,15})"
_NUMBER_FRACTION: Final = r"(\.[0-9]{1,15})?"
_UNIT_INTERVAL: Final = r"(0(\.[0-9]{1,15})?|1(\.0{1,15})?)"
_MAX_ENUMERATED_INTEGERS: Final = 64
_FORBIDDEN_IN_PATTERN: Final = re.compile(r'["\x00-\x1f]|\\\\')
_SPECIAL: Final = frozenset("\\.^$*+?()[]{}|")


class GuidedDecodingError(EhrmindError, ValueError):
    """A task, variant or schema that cannot become a guided-decoding pattern."""


def _literal(text: str) -> str:
    """``text`` as a pattern that matches exactly it (only metacharacters escaped)."""
    out = []
    for char in text:
        if char == "\n":
            out.append(r"\n")
        elif char in _SPECIAL:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def _json_text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _alternatives(parts: Sequence[tuple[str, int]]) -> tuple[str, int]:
    unique = list(dict.fromkeys(parts))
    if len(unique) == 1:
        return unique[0]
    return "(" + "|".join(p for p, _ in unique) + ")", max(n for _, n in unique)


def _compile(schema: Mapping[str, Any], where: str) -> tuple[str, int]:
    """The pattern of the JSON texts ``schema`` admits in this module's layout, and their
    maximum length in characters."""
    if "const" in schema:
        text = _json_text(schema["const"])
        return _literal(text), len(text)
    if "enum" in schema:
        texts = [_json_text(value) for value in schema["enum"]]
        if not texts:
            raise GuidedDecodingError(f"{where}: empty enum")
        return _alternatives([(_literal(t), len(t)) for t in texts])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = schema[key]
            if not options:
                raise GuidedDecodingError(f"{where}: empty {key}")
            return _alternatives(
                [_compile(option, f"{where}.{key}[{i}]") for i, option in enumerate(options)]
            )
    kind = schema.get("type")
    if kind == "object":
        return _object(schema, where)
    if kind == "array":
        return _array(schema, where)
    if kind == "integer":
        return _integer(schema, where)
    if kind == "number":
        return _number(schema, where)
    if kind == "string":
        return _string(schema, where)
    raise GuidedDecodingError(f"{where}: unsupported schema {sorted(schema)} (type {kind!r})")


def _object(schema: Mapping[str, Any], where: str) -> tuple[str, int]:
    properties: Mapping[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", ()))
    if not properties or next(iter(properties)) not in required:
        raise GuidedDecodingError(f"{where}: the first property of an object must be required")
    if required - set(properties):
        raise GuidedDecodingError(f"{where}: required keys without a schema")
    parts, length = [r"\{"], 2
    for index, (key, value) in enumerate(properties.items()):
        member, size = _compile(value, f"{where}.{key}")
        text = (SEPARATOR if index else "") + _json_text(key) + ": "
        piece = _literal(text) + member
        parts.append(piece if key in required else f"({piece})?")
        length += len(text) + size
    parts.append(r"\}")
    return "".join(parts), length


def _array(schema: Mapping[str, Any], where: str) -> tuple[str, int]:
    if "maxItems" not in schema or "items" not in schema:
        raise GuidedDecodingError(f"{where}: arrays need items and maxItems")
    low, high = int(schema.get("minItems", 0)), int(schema["maxItems"])
    if not 0 <= low <= high or high == 0:
        raise GuidedDecodingError(f"{where}: bad item bounds {low}..{high}")
    items = schema["items"]
    if schema.get("uniqueItems") and "enum" in items:
        if low:
            raise GuidedDecodingError(f"{where}: uniqueItems arrays must allow being empty")
        return _ordered_subset([_json_text(v) for v in items["enum"]], high)
    item, size = _compile(items, f"{where}[]")
    length = 2 + high * size + (high - 1) * len(SEPARATOR)
    rest = f"({_literal(SEPARATOR)}{item}){{{max(low - 1, 0)},{high - 1}}}"
    body = item + rest
    return (r"\[" + (body if low else f"({body})?") + r"\]"), length


def _ordered_subset(members: list[str], most: int) -> tuple[str, int]:
    """Arrays of distinct ``members`` in their given order: a subset, at most ``most`` long."""
    if most < len(members):
        raise GuidedDecodingError("uniqueItems arrays must allow every member (maxItems)")
    options = []
    for first, text in enumerate(members):
        tail = "".join(f"({_literal(SEPARATOR + other)})?" for other in members[first + 1 :])
        options.append(_literal(text) + tail)
    length = 2 + sum(len(m) for m in members) + (len(members) - 1) * len(SEPARATOR)
    return r"\[(" + "|".join(options) + r")?\]", length


def _integer(schema: Mapping[str, Any], where: str) -> tuple[str, int]:
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None and high - low < _MAX_ENUMERATED_INTEGERS:
        return _alternatives([(str(n), len(str(n))) for n in range(int(low), int(high) + 1)])
    if high is not None:
        raise GuidedDecodingError(f"{where}: integer maximum needs a minimum within 64 of it")
    if low is None:
        return "-?" + _NUMBER_INT, 17
    if low == 0:
        return _NUMBER_INT, 16
    raise GuidedDecodingError(f"{where}: integer minimum must be 0 or absent")


def _number(schema: Mapping[str, Any], where: str) -> tuple[str, int]:
    low, high = schema.get("minimum"), schema.get("maximum")
    if low == 0 and high == 1:
        return _UNIT_INTERVAL, 17
    if high is not None:
        raise GuidedDecodingError(f"{where}: number maximum must be 1 with minimum 0, or absent")
    if low is None:
        return "-?" + _NUMBER_INT + _NUMBER_FRACTION, 33
    if low == 0:
        return _NUMBER_INT + _NUMBER_FRACTION, 32
    raise GuidedDecodingError(f"{where}: number minimum must be 0 or absent")


def _string(schema: Mapping[str, Any], where: str) -> tuple[str, int]:
    pattern = schema.get("pattern")
    if not isinstance(pattern, str) or not (pattern.startswith("^") and pattern.endswith("$")):
        raise GuidedDecodingError(f"{where}: strings need an anchored pattern (^…$)")
    body = pattern[1:-1]
    if _FORBIDDEN_IN_PATTERN.search(body):
        raise GuidedDecodingError(f"{where}: the pattern may not admit quotes or backslashes")
    length = schema.get("maxLength")
    if not isinstance(length, int):
        raise GuidedDecodingError(f"{where}: strings need maxLength")
    return f'"({body})"', length + 2


def _family(task: str) -> Any:
    try:
        return registry.get(task)
    except EhrmindError as error:
        raise GuidedDecodingError(str(error)) from None


def answer_schema(task: str, variant: str | None = None) -> dict[str, Any]:
    """The JSON Schema of ``task``'s answer payload; ``variant`` narrows it to one answer shape.

    Raises :class:`GuidedDecodingError` for an unknown task or variant, or a family that
    declares no schema.

    >>> from ehrmind_rewards.core.registry import DEFAULT_TASK
    >>> schema = answer_schema(DEFAULT_TASK, "date")
    >>> schema["required"], schema["properties"]["answer"]["pattern"][:12]
    (['answer'], '^(0[1-9]|1[0')
    """
    family = _family(task)
    variants = family.answer_variants()
    if variant is not None and variant not in variants:
        known = ", ".join(variants) or "none"
        raise GuidedDecodingError(
            f"task {task!r} has no answer variant {variant!r}; known: {known}"
        )
    schema = family.answer_schema(variant)
    if schema is None:
        raise GuidedDecodingError(f"task {task!r} declares no answer schema")
    return dict(schema)


def payload_regex(task: str, variant: str | None = None) -> str:
    """The pattern of the JSON payload alone (what goes between ``<answer>`` and ``</answer>``).

    >>> import re
    >>> from ehrmind_rewards.core.registry import DEFAULT_TASK
    >>> bool(re.fullmatch(payload_regex(DEFAULT_TASK, "date"), '{"answer": "09/23/2014"}'))
    True
    """
    return _compile(answer_schema(task, variant), task)[0]


def completion_regex(
    task: str,
    variant: str | None = None,
    *,
    prefilled: bool = False,
    max_think_chars: int = DEFAULT_MAX_THINK_CHARS,
) -> str:
    """The pattern of a whole completion for ``task`` (see the module docstring).

    Args:
        task: a registered task name (:func:`ehrmind_rewards.core.registry.names`).
        variant: one of the family's answer variants (EHRSHOT: a labeler such as
            ``"new_hypertension"``; MedCalc: ``"decimal"``, ``"integer"``, ``"date"``,
            ``"weeks_days"``), or ``None`` for every answer the task accepts.
        prefilled: the prompt already opened ``<think>``; the pattern starts inside it.
        max_think_chars: the reasoning's length cap (a ``<`` and its next character count as
            one); the completion's maximum length must stay within the verifier's input cap.

    >>> import re
    >>> from ehrmind_rewards.core.registry import DEFAULT_TASK
    >>> pattern = completion_regex(DEFAULT_TASK, prefilled=True)
    >>> bool(re.fullmatch(pattern, 'CrCl = 25.2.</think>\\n<answer>{"answer": 25.2}</answer>'))
    True
    """
    if max_think_chars < 0:
        raise GuidedDecodingError("max_think_chars must be ≥ 0")
    payload, payload_length = _compile(answer_schema(task, variant), task)
    head = "" if prefilled else _literal(THINK_OPEN)
    middle = f"{THINK_CLOSE}\n{ANSWER_OPEN}"
    longest = (
        len(THINK_OPEN) + 2 * max_think_chars + len(middle) + payload_length + len(ANSWER_CLOSE)
    )
    if longest > MAX_COMPLETION_CHARS:
        most = math.floor((MAX_COMPLETION_CHARS - (longest - 2 * max_think_chars)) / 2)
        raise GuidedDecodingError(
            f"max_think_chars={max_think_chars} lets completions exceed the verifier's cap of "
            f"{MAX_COMPLETION_CHARS} characters; use at most {most}"
        )
    think = f"{THINK_UNIT}{{0,{max_think_chars}}}"
    return f"{head}{think}{_literal(middle)}{payload}{_literal(ANSWER_CLOSE)}"
