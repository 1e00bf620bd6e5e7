"""The official MedCalc-Bench tolerance windows, applied to answers read by this project's parser.

This is the "official-number bridge": it tells users what their answers would score under the
benchmark's own rules (MedCalc-Bench ``evaluation/evaluate.py``, all released versions), so that
their numbers can be related to published ones. Only the *rules* are reproduced, by calculator ID:

* dates (IDs 13, 68): the answer date equals the label date;
* gestational age (ID 69): the (weeks, days) pair equals the label's;
* integer scores (:data:`INTEGER_IDS`): ``round(answer) == label`` with Python's round-half-even,
  as the official script does (2.5 → 2);
* decimals (every other ID): ``lower ≤ answer ≤ upper`` with the limits from the CSV.

The official *extractor* is not reproduced (it ``eval``s model text, reads "22.5 kg/m^2" as 2,
"0.5%" as 0.005, "1, 2, 3" as 3, …; see ``docs/grading.md``): the answer is the value this
project's verifier read (``Verdict.parsed``), and a completion whose format failed counts as wrong,
as non-JSON output does officially.

Relabelled files (``ehrmind-rewards relabel``) keep the original label in
``Original Ground Truth Answer`` but not the original limits; those are rebuilt by the benchmark's
convention (decimals ±5 % of the label, ordered for negative labels; exact otherwise).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ehrmind_rewards.core.parsing.values import (
    Value,
    read_date,
    read_duration,
    read_number,
)
from ehrmind_rewards.tasks.medcalc.verifier import AnswerKind, kind_for

RELATIVE_WINDOW = 0.05
"""The benchmark's decimal tolerance: limits are 0.95·label and 1.05·label."""


def answer_kind(calculator_id: int) -> AnswerKind:
    """The official branch for an ID (every ID the benchmark does not list is a decimal).

    >>> answer_kind(13), answer_kind(4), answer_kind(999)
    (<AnswerKind.DATE: 'date'>, <AnswerKind.INTEGER: 'integer'>, <AnswerKind.DECIMAL: 'decimal'>)
    """
    return kind_for(calculator_id) or AnswerKind.DECIMAL


def read_as(kind: AnswerKind, text: object) -> Value | None:
    """Read ``text`` as a value of ``kind`` (see :func:`answer_kind`), or ``None``."""
    if kind is AnswerKind.DATE:
        return read_date(text)
    if kind is AnswerKind.WEEKS_DAYS:
        return read_duration(text)
    return read_number(text)


def official_correct(
    calculator_id: int, answer: str | None, label: object, lower: object, upper: object
) -> bool | None:
    """Whether ``answer`` passes the official rule; ``None`` if the label is unreadable.

    ``answer`` is the verifier's reading of the completion (``None``: nothing was read → wrong).
    """
    kind = answer_kind(calculator_id)
    truth = read_as(kind, label)
    if truth is None:
        return None
    value = read_as(kind, answer) if answer is not None else None
    if value is None:
        return False
    if kind in (AnswerKind.DATE, AnswerKind.WEEKS_DAYS):
        return value == truth
    assert isinstance(value, float) and isinstance(truth, float)
    if kind is AnswerKind.INTEGER:
        return round(value) == truth
    low, high = read_number(lower), read_number(upper)
    if low is None or high is None:
        return None
    return min(low, high) <= value <= max(low, high)


def default_window(calculator_id: int, label: object) -> tuple[object, object]:
    """The benchmark's limits for a label: ±5 % for decimals, the label itself otherwise."""
    if answer_kind(calculator_id) is not AnswerKind.DECIMAL:
        return label, label
    truth = read_number(label)
    if truth is None:
        return None, None
    low, high = truth * (1 - RELATIVE_WINDOW), truth * (1 + RELATIVE_WINDOW)
    return min(low, high), max(low, high)


@dataclass(frozen=True, slots=True)
class _Window:
    kind: AnswerKind
    truth: Value
    low: float | None
    high: float | None

    def accepts(self, value: Value | None) -> bool:
        if value is None:
            return False
        if self.kind in (AnswerKind.DATE, AnswerKind.WEEKS_DAYS):
            return value == self.truth
        if self.kind is AnswerKind.INTEGER:
            return isinstance(value, float) and round(value) == self.truth
        assert self.low is not None and self.high is not None
        return isinstance(value, float) and self.low <= value <= self.high


def _window(calculator_id: int, label: object, lower: object, upper: object) -> _Window | None:
    kind = answer_kind(calculator_id)
    truth = read_as(kind, label)
    if truth is None:
        return None
    if kind is not AnswerKind.DECIMAL:
        return _Window(kind, truth, None, None)
    low, high = read_number(lower), read_number(upper)
    if low is None or high is None:
        return None
    return _Window(kind, truth, min(low, high), max(low, high))


@lru_cache(maxsize=16384)
def _windows(
    calculator_id: object, label: object, lower: object, upper: object, original: object
) -> tuple[int, _Window | None, _Window | None] | None:
    """The row's (kind's calculator id, current window, original window), parsed once per row."""
    identifier = _int(calculator_id)
    if identifier is None:
        return None
    current = _window(identifier, label, lower, upper)
    if original in (None, ""):
        return identifier, current, None
    return identifier, _window(identifier, original, *default_window(identifier, original)), current


def official_outcomes(
    row: Mapping[str, Any], answer: str | None
) -> tuple[bool | None, bool | None]:
    """``(on original labels, on relabelled labels)`` for one MedCalc row.

    Without relabelling columns the row's own label is the original one and the second item is
    ``None``. With them (``original_ground_truth`` present), the original label is graded with the
    benchmark's default window and the current label with the row's limits. ``None`` marks a label
    that cannot be read.
    """
    get = row.get
    key = (
        get("calculator_id"),
        get("ground_truth"),
        get("lower_limit"),
        get("upper_limit"),
        get("original_ground_truth"),
    )
    try:
        windows = _windows(*key)
    except TypeError:  # unhashable values (lists, dicts) are not labels
        return None, None
    if windows is None:
        return None, None
    calculator_id, first, second = windows
    value = read_as(answer_kind(calculator_id), answer) if answer is not None else None
    relabelled_given = key[4] not in (None, "")
    original = first.accepts(value) if first is not None else None
    if not relabelled_given:
        return original, None
    return original, (second.accepts(value) if second is not None else None)


def _int(value: object) -> int | None:
    number = read_number(value)
    return int(number) if number is not None and number.is_integer() else None
