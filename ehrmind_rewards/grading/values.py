"""Read the values that grading compares: verdict answers and MedCalc-Bench labels.

Verifiers report the answer they read in canonical text (``Verdict.parsed``: ``"25.24"``,
``"2014-09-11"``, ``"14 weeks, 1 day"``) and labels arrive as MedCalc-Bench writes them
(``"25.238"``, ``"09/23/2014"``, ``"('14 weeks', '1 days')"``). Error analysis and the
official-window bridge need those as numbers, dates and day counts. These readers accept only
those short, known shapes (anchored patterns on text capped at :data:`MAX_VALUE_CHARS`) and
return ``None`` for anything else; they never evaluate text and never raise.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

MAX_VALUE_CHARS = 64
"""Longer texts are not values of any kind handled here."""

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_WEEKS_DAYS = re.compile(
    r"\(?\s*'?(\d{1,3})\s*weeks?'?\s*,?\s*(?:and\s+)?'?(\d{1,3})\s*days?'?\s*\)?", re.IGNORECASE
)
_DAYS = re.compile(r"(\d{1,4})\s*days?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Duration:
    """A gestational age in whole days (weeks·7 + days)."""

    days: int

    def __str__(self) -> str:
        weeks, days = divmod(self.days, 7)
        return f"{weeks} weeks, {days} days"


Value = float | date | Duration
"""A comparable value: a finite number, a calendar date, or a weeks+days duration."""


def read_number(text: object) -> float | None:
    """A finite number from a bare numeric text or a number (no units, no separators)."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        value = float(text)
    elif isinstance(text, str) and len(text) <= MAX_VALUE_CHARS:
        try:  # fast path for plain numerals; float() also takes "1_0", which is refused
            value = float(text)
        except ValueError:
            stripped = text.strip().replace("\u2212", "-")
            if not _NUMBER.fullmatch(stripped):
                return None
            value = float(stripped)
        else:
            if "_" in text:
                return None
    else:
        return None
    return value if math.isfinite(value) else None


def read_date(text: object) -> date | None:
    """A date written ``YYYY-MM-DD`` or ``M/D/YYYY``."""
    if not isinstance(text, str) or len(text) > MAX_VALUE_CHARS:
        return None
    stripped = text.strip()
    match = _ISO_DATE.fullmatch(stripped)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _US_DATE.fullmatch(stripped)
        if not match:
            return None
        month, day, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def read_duration(text: object) -> Duration | None:
    """A weeks+days duration: ``"14 weeks, 1 day"``, ``"('14 weeks', '1 days')"``, ``"99 days"``."""
    if not isinstance(text, str) or len(text) > MAX_VALUE_CHARS:
        return None
    stripped = text.strip()
    match = _WEEKS_DAYS.fullmatch(stripped)
    if match:
        return Duration(int(match.group(1)) * 7 + int(match.group(2)))
    match = _DAYS.fullmatch(stripped)
    if match:
        return Duration(int(match.group(1)))
    return None


def read_value(text: object) -> Value | None:
    """The first reading that fits: number, then date, then duration; ``None`` if none does."""
    number = read_number(text)
    if number is not None:
        return number
    return read_date(text) or read_duration(text)
