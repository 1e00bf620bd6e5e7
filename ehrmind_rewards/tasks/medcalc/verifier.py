"""MedCalc-Bench verifier: the benchmark's grading semantics, done without its defects.

How an answer is compared with a row (``reference/medcalc-bench.md`` §3; Khandekar et al., NeurIPS
2024, ``evaluation/evaluate.py``):

* the **calculator ID decides the kind**, as in the benchmark: dates (IDs 13, 68), gestational age
  as weeks+days (69), integer scores (the benchmark's integer list) and decimals (everything else it
  lists). An ID the benchmark does not know falls back to the record's ``output_type`` column, and
  without one to the label and limits (a date, a weeks+days pair, equal limits → exact, else range);
* **decimals** are correct inside ``[lower_limit, upper_limit]``, both ends inclusive, compared as
  exact decimals (no float rounding at the edges). Limits are parsed as plain numbers, never
  evaluated. Without limits the v1.0 convention applies: ``[0.95·GT, 1.05·GT]`` (so GT = 0 needs 0);
* **integer scores** are correct when the answer rounds to the label. Halves round **away from
  zero** (2.5 → 3, −1.5 → −2), the arithmetic convention of the scoring papers, instead of the
  benchmark's accidental Python banker's rounding (2.5 → 2);
* **dates** are equal as calendar dates, whatever accepted form the answer uses;
* **gestational age** is equal as a duration (14 weeks 9 days = 15 weeks 2 days = 107 days).

A label or limit that cannot be read, limits that are reversed or exclude the label, or an unknown
kind give ``bad_record`` with ``correct=None``: a broken label is never scored as right or wrong.
For the graded spec, a wrong decimal answer earns ``closeness = 2^(−excess/w)``, where ``w`` is the
window's relative half-width and ``excess`` the answer's relative error beyond it (1 at the window's
edge, halving with every further window width).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any, Final

from ehrmind_rewards.core.parsing.envelope import EnvelopeFailure, answer_text
from ehrmind_rewards.core.parsing.payload import JSONNumber, parse_payload
from ehrmind_rewards.core.parsing.values import (
    ValueFailure,
    WeeksDays,
    format_date,
    parse_date,
    parse_number,
    parse_weeks_days,
)
from ehrmind_rewards.core.rewards import RewardSpec
from schemas.reasons import Reason
from schemas.verdict import Verdict

REQUIRED_KEYS: Final = ("answer",)


class AnswerKind(StrEnum):
    """How a MedCalc answer is compared with its label."""

    DECIMAL = "decimal"
    INTEGER = "integer"
    DATE = "date"
    WEEKS_DAYS = "weeks_days"


DATE_IDS: Final = frozenset({13, 68})
WEEKS_DAYS_IDS: Final = frozenset({69})
INTEGER_IDS: Final = frozenset(
    {4, 15, 16, 17, 18, 20, 21, 25, 27, 28, 29, 32, 33, 36, 43, 45, 48, 51}
)
DECIMAL_IDS: Final = frozenset(
    {2, 3, 5, 6, 7, 8, 9, 10, 11, 19, 22, 23, 24, 26, 30, 31, 38, 39, 40, 44, 46, 49}
    | set(range(56, 68))
)
"""The benchmark's grading branches by calculator ID (``evaluation/evaluate.py``)."""

_OUTPUT_TYPES: Final = {
    "decimal": AnswerKind.DECIMAL,
    "integer": AnswerKind.INTEGER,
    "date": AnswerKind.DATE,
    "weeks_days": AnswerKind.WEEKS_DAYS,
}
_DEFAULT_HALF_WIDTH: Final = Decimal("0.05")


class BadRecordError(ValueError):
    """The reference row cannot be graded (unreadable label or limits, unknown kind)."""


@dataclass(frozen=True, slots=True)
class Reference:
    """A row's label, ready for comparison (built once per distinct row and cached).

    ``lower``/``upper`` are the window of a decimal label (both ends inclusive) or, for an
    integer score, the numbers that round to the label half away from zero: ``[L − ½, L + ½)``
    for a positive label, ``(L − ½, L + ½]`` for a negative one, ``(−½, ½)`` for zero — so an
    answer is compared by two exact comparisons, with no rounding at grading time.
    """

    kind: AnswerKind
    label: Decimal | _dt.date | WeeksDays
    lower: Decimal | None = None
    upper: Decimal | None = None


_HALF: Final = Decimal("0.5")


def rounds_to(number: Decimal, ref: Reference) -> bool:
    """Whether ``number`` rounds half away from zero to the integer label of ``ref``.

    Equals ``number.to_integral_value(ROUND_HALF_UP) == label`` (a property test checks it).

    >>> ref = Reference(AnswerKind.INTEGER, Decimal(3), Decimal("2.5"), Decimal("3.5"))
    >>> rounds_to(Decimal("2.5"), ref), rounds_to(Decimal("3.5"), ref)
    (True, False)
    """
    low, high, label = ref.lower, ref.upper, ref.label
    assert low is not None and high is not None and isinstance(label, Decimal)
    if low < number < high:
        return True
    if number == low:  # L − ½ rounds away from zero: to L when L is positive
        return label > 0
    return number == high and label < 0  # L + ½: to L when L is negative


def kind_for(calculator_id: int, output_type: str | None = None) -> AnswerKind | None:
    """The comparison kind of a calculator ID (``None`` if neither ID nor output type decide).

    >>> kind_for(2), kind_for(69)
    (<AnswerKind.DECIMAL: 'decimal'>, <AnswerKind.WEEKS_DAYS: 'weeks_days'>)
    >>> kind_for(999), kind_for(999, "date")
    (None, <AnswerKind.DATE: 'date'>)
    """
    if calculator_id in DECIMAL_IDS:
        return AnswerKind.DECIMAL
    if calculator_id in INTEGER_IDS:
        return AnswerKind.INTEGER
    if calculator_id in DATE_IDS:
        return AnswerKind.DATE
    if calculator_id in WEEKS_DAYS_IDS:
        return AnswerKind.WEEKS_DAYS
    if output_type is not None:
        return _OUTPUT_TYPES.get(output_type.strip().lower())
    return None


def _record_text(value: object) -> object:
    """Record values as the parsers expect them: CSV strings become JSON-number-like text."""
    if isinstance(value, float):
        return JSONNumber(repr(value)) if math.isfinite(value) else value
    if isinstance(value, int) and not isinstance(value, bool):
        return JSONNumber(str(value))
    if isinstance(value, str):
        return value.strip()
    return value


def _record_number(value: object, field: str) -> Decimal:
    number = parse_number(_record_text(value))
    if isinstance(number, ValueFailure):
        raise BadRecordError(f"{field} {value!r}: {number.detail}")
    return number


_WHOLE_ID: Final = re.compile(r"\s*([0-9]{1,6})(?:\.0*)?\s*")


def _calculator_id(value: object) -> int:
    """A calculator ID: an int, an integral float (``2.0``) or an integral numeral (``"2.0"``)."""
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    if isinstance(value, str):
        match = _WHOLE_ID.fullmatch(value)
        if match is not None:
            return int(match.group(1))
    raise BadRecordError(f"calculator_id {value!r} is not an integer")


@lru_cache(maxsize=65_536, typed=True)
def reference_for(
    calculator_id: object, ground_truth: object, lower: object, upper: object, output_type: object
) -> Reference:
    """Read one row's label and limits; raises :class:`BadRecordError` if they are unusable.

    Cached by the arguments' types as well as their values (``typed=True``): ``2`` and ``2.0``,
    or ``1`` and ``True``, are equal and hash alike but are different record values, so a row's
    verdict never depends on what the process graded before.
    """
    cid = _calculator_id(calculator_id)
    if ground_truth is None or (isinstance(ground_truth, str) and not ground_truth.strip()):
        raise BadRecordError("ground_truth is missing")
    kind = kind_for(cid, output_type if isinstance(output_type, str) else None)
    if kind is None:
        kind = _kind_from_label(ground_truth, lower, upper)
    if kind is AnswerKind.DATE:
        date = parse_date(_record_text(ground_truth))
        if isinstance(date, ValueFailure):
            raise BadRecordError(f"ground_truth {ground_truth!r}: {date.detail}")
        return Reference(kind, date)
    if kind is AnswerKind.WEEKS_DAYS:
        duration = parse_weeks_days(_record_text(ground_truth))
        if isinstance(duration, ValueFailure):
            raise BadRecordError(f"ground_truth {ground_truth!r}: {duration.detail}")
        return Reference(kind, duration)
    label = _record_number(ground_truth, "ground_truth")
    if kind is AnswerKind.INTEGER:
        if label != label.to_integral_value():
            raise BadRecordError(f"integer ground_truth {ground_truth!r} is not whole")
        return Reference(kind, label, label - _HALF, label + _HALF)
    if _missing(lower) and _missing(upper):
        low, high = sorted((label * (1 - _DEFAULT_HALF_WIDTH), label * (1 + _DEFAULT_HALF_WIDTH)))
    elif _missing(lower) or _missing(upper):
        raise BadRecordError("only one of lower_limit/upper_limit is given")
    else:
        low, high = _record_number(lower, "lower_limit"), _record_number(upper, "upper_limit")
    if not low <= label <= high:
        raise BadRecordError(f"limits [{low}, {high}] do not contain ground_truth {label}")
    return Reference(kind, label, low, high)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _kind_from_label(ground_truth: object, lower: object, upper: object) -> AnswerKind:
    text = _record_text(ground_truth)
    if isinstance(text, str) and not isinstance(text, JSONNumber):
        if not isinstance(parse_date(text), ValueFailure):
            return AnswerKind.DATE
        if not isinstance(parse_weeks_days(text), ValueFailure):
            return AnswerKind.WEEKS_DAYS
    if not _missing(lower) and _record_text(lower) == _record_text(upper) == text:
        return AnswerKind.INTEGER
    return AnswerKind.DECIMAL


def _closeness(answer: Decimal, ref: Reference) -> float | None:
    """Partial credit in [0, 1) for a wrong decimal answer (see the module docstring)."""
    if ref.kind is not AnswerKind.DECIMAL or ref.lower is None or ref.upper is None:
        return None
    label = ref.label
    assert isinstance(label, Decimal)
    if not label:
        return 0.0
    half_width = float((ref.upper - ref.lower) / 2 / abs(label))
    if half_width <= 0:
        return 0.0
    relative_error = float(abs(answer - label) / abs(label))
    excess = max(relative_error - half_width, 0.0)
    return min(math.pow(2.0, -excess / half_width), 0.999_999)


_DECIMAL, _INTEGER, _DATE = AnswerKind.DECIMAL, AnswerKind.INTEGER, AnswerKind.DATE


def _compare(
    value: object, ref: Reference, graded: bool
) -> tuple[bool, str | None, float | None] | ValueFailure:
    """Whether ``value`` matches ``ref``: (correct, parsed text, closeness) or why unreadable."""
    kind = ref.kind
    if kind is _DECIMAL or kind is _INTEGER:
        number = parse_number(value)
        if type(number) is not Decimal:
            assert isinstance(number, ValueFailure)
            return number
        parsed = str(number)
        if "E" in parsed:
            parsed = format(number, "f")
        if kind is _INTEGER:
            return rounds_to(number, ref), parsed, None
        low, high = ref.lower, ref.upper
        assert low is not None and high is not None
        if low <= number <= high:
            return True, parsed, None
        return False, parsed, _closeness(number, ref) if graded else None
    if kind is _DATE:
        date = parse_date(value)
        if isinstance(date, ValueFailure):
            return date
        return date == ref.label, format_date(date), None
    duration = parse_weeks_days(value)
    if isinstance(duration, ValueFailure):
        return duration
    return duration == ref.label, str(duration), None


def reference_of(row: Mapping[str, Any]) -> Reference | str:
    """The row's :class:`Reference`, or why the row cannot be graded.

    >>> reference_of({"calculator_id": 4, "ground_truth": "3"}).kind
    <AnswerKind.INTEGER: 'integer'>
    >>> reference_of({"calculator_id": 2, "ground_truth": "25", "lower_limit": "26",
    ...               "upper_limit": "27"})
    'limits [26, 27] do not contain ground_truth 25'
    """
    try:
        return reference_for(
            row.get("calculator_id"),
            row.get("ground_truth"),
            row.get("lower_limit"),
            row.get("upper_limit"),
            row.get("output_type"),
        )
    except BadRecordError as error:
        return str(error)[:200]
    except TypeError:  # unhashable values (lists, dicts) cannot be a label
        return "record values must be strings or numbers"


def verify_answer(value: object, row: Mapping[str, Any], spec: RewardSpec) -> Verdict:
    """Grade an already-extracted answer value (the payload's ``answer``) against ``row``.

    >>> from ehrmind_rewards.core.rewards import EHRMIND
    >>> verify_answer("2.5", {"calculator_id": 4, "ground_truth": "3"}, EHRMIND).correct
    True
    """
    ref = reference_of(row)
    if isinstance(ref, str):
        return spec.verdict(format_ok=True, correct=None, reason=Reason.BAD_RECORD, detail=ref)
    return _grade_value(value, ref, spec)


def _unreadable(outcome: object, spec: RewardSpec) -> Verdict:
    """The verdict for an answer that is well formed but not one value of the right kind."""
    assert isinstance(outcome, ValueFailure)
    return spec.verdict(format_ok=True, correct=False, reason=outcome.reason, detail=outcome.detail)


def _grade_value(value: object, ref: Reference, spec: RewardSpec) -> Verdict:
    outcome = _compare(value, ref, spec.partial_credit != "none")
    if isinstance(outcome, ValueFailure):
        return _unreadable(outcome, spec)
    return spec.answered(*outcome)


def verify_row(completion: object, row: Mapping[str, Any], spec: RewardSpec) -> Verdict:
    """Grade one completion against one MedCalc row (columns as in the MedCalc-Bench CSV).

    The row is checked first: an unusable row gives ``bad_record`` (``correct=None``) whatever the
    completion, with ``format_ok`` still telling whether the completion's structure was valid.

    >>> from ehrmind_rewards.core.rewards import EHRMIND
    >>> row = {"calculator_id": 13, "ground_truth": "09/23/2014"}
    >>> verify_row('<think>LMP + 280 d</think><answer>{"answer": "2014-09-23"}</answer>', row,
    ...            EHRMIND).parsed
    '2014-09-23'
    """
    ref = reference_of(row)
    answer = answer_text(completion)
    if type(answer) is str:
        payload = parse_payload(answer, REQUIRED_KEYS)
        if isinstance(payload, dict):
            if isinstance(ref, str):
                return spec.verdict(
                    format_ok=True, correct=None, reason=Reason.BAD_RECORD, detail=ref
                )
            return _grade_value(payload["answer"], ref, spec)
        failure = payload.reason, payload.detail
    else:
        assert isinstance(answer, EnvelopeFailure)
        failure = answer.reason, answer.detail
    if isinstance(ref, str):
        return spec.malformed(Reason.BAD_RECORD, ref)
    return spec.malformed(*failure)
