"""The JSON object inside ``<answer>…</answer>``.

Numbers are kept as their exact source text (:class:`JSONNumber`, a ``str`` subclass) so that the
value parsers see ``25.240`` and ``2.5e1`` as written, with no float round-trip and no huge-integer
conversion; ``NaN``/``Infinity`` literals come through the same way and are judged non-finite later.
Duplicate keys are refused (``{"answer": 1, "answer": 2}`` would otherwise hedge silently), and so
is a required key repeated in another case or with surrounding spaces (``{"answer": 25.2,
"Answer": 30}``: a reader that matches keys loosely would see two answers). Never raises.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from json.scanner import make_scanner
from typing import Any, cast

from schemas.reasons import Reason


class JSONNumber(str):
    """A JSON number literal, kept as its source text."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class PayloadFailure:
    """Why the answer block is not a JSON object with the required keys (a format failure)."""

    reason: Reason
    detail: str


class _DuplicateKeyError(ValueError):
    pass


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _DuplicateKeyError
    return obj


_DECODER = json.JSONDecoder(
    object_pairs_hook=_object_without_duplicates,
    parse_float=JSONNumber,
    parse_int=JSONNumber,
    parse_constant=JSONNumber,
)
_SCAN = make_scanner(cast(Any, _DECODER))  # typeshed types the argument as a scanner
"""The C scanner behind ``JSONDecoder.raw_decode``, called directly (the wrapper costs ~1 µs)."""
_SCAN_ONE_PAIR = make_scanner(
    cast(
        Any,
        json.JSONDecoder(parse_float=JSONNumber, parse_int=JSONNumber, parse_constant=JSONNumber),
    )
)
"""For text with a single ``:``: at most one key, so no duplicate check is needed."""


def parse_payload(
    answer_text: str, required_keys: Iterable[str]
) -> dict[str, Any] | PayloadFailure:
    """Decode ``answer_text`` as one JSON object holding every key in ``required_keys``.

    >>> parse_payload(' {"answer": 25.240} ', ("answer",))
    {'answer': '25.240'}
    >>> parse_payload('{"answer": 1, "answer": 2}', ("answer",)).reason
    <Reason.DUPLICATE_KEY: 'duplicate_key'>
    >>> parse_payload('{"answer": "25.2", "Answer": 30}', ("answer",)).reason
    <Reason.DUPLICATE_KEY: 'duplicate_key'>
    """
    source = answer_text.strip()
    if not source:
        return PayloadFailure(Reason.INVALID_JSON, "empty answer block")
    try:
        value, end = (_SCAN_ONE_PAIR if source.count(":") == 1 else _SCAN)(source, 0)
    except _DuplicateKeyError:
        return PayloadFailure(Reason.DUPLICATE_KEY, "a key appears twice in the answer object")
    except StopIteration:
        return PayloadFailure(Reason.INVALID_JSON, "invalid JSON: expecting a value at the start")
    except (ValueError, RecursionError) as error:
        return PayloadFailure(Reason.INVALID_JSON, f"invalid JSON: {str(error)[:80]}")
    if end != len(source):
        return PayloadFailure(Reason.INVALID_JSON, f"invalid JSON: extra data at char {end}")
    if not isinstance(value, dict):
        return PayloadFailure(Reason.PAYLOAD_NOT_OBJECT, f"answer is a JSON {type(value).__name__}")
    required = tuple(required_keys)
    for key in required:
        if key not in value:
            missing = ", ".join(k for k in required if k not in value)
            return PayloadFailure(Reason.MISSING_KEY, f"missing key(s): {missing}")
    if len(value) > len(required):
        for key in required:
            target = key.casefold()
            if sum(1 for other in value if other.strip().casefold() == target) > 1:
                return PayloadFailure(
                    Reason.DUPLICATE_KEY, f"key {key!r} appears twice (in another case or spacing)"
                )
    return value
