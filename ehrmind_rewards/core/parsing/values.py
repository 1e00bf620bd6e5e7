"""Single values read from an answer: numbers, dates and weeks+days durations.

Each parser takes the raw JSON value of the ``answer`` key (a ``JSONNumber``, a string, a list,
…) and returns the value or a :class:`ValueFailure` with a typed reason. None of
them raises, evaluates anything, or scans more than :data:`MAX_VALUE_CHARS` characters; every
regular expression is anchored and has no nested unbounded quantifiers, so matching is linear.

Accepted forms (see ``docs/answer-format.md``):

* **numbers**: optional sign (``+``, ``-``, unicode minus ``−``), digits with an optional decimal
  part, thousands separators (``1,234.5``), scientific notation (``2.5e3``, ``2.5 × 10^3``), any
  unicode decimal digits, and trailing unit text without further numbers (``mL/min/1.73 m²``,
  ``kg/m²``, ``points``, ``%``), and the Arabic decimal and thousands separators (``٢٥٫٢``). A
  percent stays a percent: ``"12.5%"`` reads as 12.5, never 0.125.
* **dates**: ``M/D/YYYY`` (US order, as MedCalc-Bench asks, with or without zero padding),
  ISO ``YYYY-MM-DD`` (or ``YYYY/MM/DD``), ``September 23, 2014``, ``Sep 23 2014``, ``23 Sep 2014``.
* **weeks+days durations**: ``(14 weeks, 1 day)``, ``14 weeks and 1 day``, ``14w 1d``,
  ``["14 weeks", "1 days"]``, ``[14, 1]``, ``{"weeks": 14, "days": 1}``, ``14 weeks`` or a
  total such as ``99 days``. The result is the total number of days.

Well-formed but unusable answers get answer-failure reasons (they score as *wrong*, not as format
failures): more than one candidate (``25-26``, ``25 or 26``, ``1, 2, 3``, a list) or a bound
instead of a value (``25.2+``, ``25.2 or more``, ``at least 25.2``, ``> 25``), a second candidate
in words (``25.2 or thirty``, ``25.2 (twenty-six)``) and a second number that is not unit text
(``25.2 1.73``: ``1.73`` only counts as unit text in ``/1.73 m²``) are ``multiple_candidates``;
arithmetic (``(3+4)*2``, ``25/3``, ``25²``, ``25^2``) is ``expression`` and is never evaluated —
a superscript or ``^2`` is read as a unit's power only right after a unit (``kg/m²``, ``m^2``);
``NaN``/``Infinity`` is ``non_finite``; a value of another kind is ``wrong_type``.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Final

from ehrmind_rewards.core.parsing.payload import JSONNumber
from schemas.reasons import Reason

MAX_VALUE_CHARS: Final = 256
"""Longest answer text read as a single value; longer text is ``unparseable_value`` unread."""

MAX_EXPONENT: Final = 1000
"""Numbers whose decimal exponent exceeds this in magnitude are refused (no huge arithmetic)."""


@dataclass(frozen=True, slots=True)
class ValueFailure:
    """Why an answer could not be read as one value of the expected kind (an answer failure)."""

    reason: Reason
    detail: str


_NON_FINITE_WORDS: Final = frozenset(
    {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "∞", "+∞"}
    | {"-∞", "−∞", "−inf", "−infinity"}
)
_JSON_CONSTANTS: Final = frozenset({"NaN", "Infinity", "-Infinity"})

# One number at the start of the text: sign, integer part with optional thousands separators,
# fraction, exponent; then optionally "× 10^k". ASCII digits only (input is translated first).
_NUMBER: Final = re.compile(
    r"[ ]?([+-]?)[ ]?((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?:[eE]([+-]?[0-9]{1,6}))?"
    r"(?:[ ]?[x×*·][ ]?10[ ]?\^[ ]?([+-]?[0-9]{1,6}))?"
)
_UNIT_DIGITS: Final = re.compile(
    r"(?:/ ?|per )1\.73 ?(?=m)|(?<=[a-zµμ])(?:\^ ?|\*\*)?[23](?![0-9.,])"
)
"""Digits that belong to unit text: the body-surface-area divisor (``mL/min/1.73 m²``) and a
unit's square or cube (``kg/m^2``, ``/mm3``)."""
_SUPERSCRIPT_POWER: Final = re.compile(r"(?<![a-zµμ])[⁰¹²³⁴⁵⁶⁷⁸⁹]")
"""A superscript digit that is not a unit's power (``25²``, unlike ``kg/m²``)."""
_HEDGE: Final = re.compile(
    r"[+±]|\b(?:or|and|to|vs|versus|either|between|plus|minus|more|less|fewer|greater|higher|"
    r"lower|least|most|above|below|over|under|exceeds?|exceeding|maximum|minimum|zero|one|two|"
    r"three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    r"thousand|million|billion|half|quarter|dozen)\b"
)
"""Unit text that makes the answer more than one value: an open range (``25.2+``,
``25.2 or more``, ``25.2 at least``) or a second candidate in words (``25.2 or thirty``,
``25.2 (twenty-six)``). Matched on lower-cased text of at most :data:`MAX_VALUE_CHARS`."""
_BOUND_START: Final = re.compile(
    r"(?:[<>≤≥≦≧⩽⩾]|at (?:least|most) |(?:no )?(?:more|less|fewer|greater|higher|lower) than |"
    r"(?:over|under|above|below|up to|exceeding|exceeds|minimum|maximum) )"
)
"""A bound written before the number (``at least 25.2``, ``> 25``, ``more than 25``)."""
_RANGE_OR_LIST_STARTS: Final = ("-", "–", "—", "to ", "or ", ",", ";", "±", "+/-", "and ", "~")
_OPERATOR_STARTS: Final = ("+", "*", "/", "^", "×", "÷", "x", "**", "(", ")")
_EXPRESSION_CHARS: Final = frozenset("+-*/^()×÷%")


class _AsciiDigitTable(dict[int, str]):
    """``str.translate`` table mapping unicode decimal digits and minus signs to ASCII.

    Filled on demand (one entry per distinct code point seen, at most :data:`_TABLE_CAP`), so
    translating costs one C-level dict lookup per character.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        mapped = str(unicodedata.decimal(char)) if char.isdecimal() else _SEPARATORS.get(char, char)
        if len(self) < _TABLE_CAP:
            self[code] = mapped
        return mapped


_SEPARATORS: Final = {"−": "-", "﹣": "-", "－": "-", "٫": ".", "٬": ",", "．": "."}
"""Minus signs, and the Arabic (and full-width) decimal and thousands separators, in ASCII."""
_TABLE_CAP: Final = 4096
_ASCII_TABLE: Final = _AsciiDigitTable()


def _ascii_digits(text: str) -> str:
    """Replace unicode decimal digits and minus signs by ASCII and collapse whitespace."""
    if not text.isascii():
        text = text.translate(_ASCII_TABLE)
    return " ".join(text.split())


_ASCII_DIGIT: Final = re.compile(r"[0-9]")


def _has_ascii_digit(text: str) -> bool:
    return _ASCII_DIGIT.search(text) is not None


def parse_number(value: object) -> Decimal | ValueFailure:
    """Read ``value`` as one finite decimal number (units and a percent sign may follow).

    >>> parse_number("25.24 mL/min/1.73 m²"), parse_number("2.5 × 10^3")
    (Decimal('25.24'), Decimal('2.5E+3'))
    >>> parse_number("25-26").reason, parse_number("(3+4)*2").reason
    (<Reason.MULTIPLE_CANDIDATES: 'multiple_candidates'>, <Reason.EXPRESSION: 'expression'>)
    """
    if type(value) is str:  # the common case first
        return _number_from_text(value)
    if isinstance(value, JSONNumber):
        if value in _JSON_CONSTANTS:
            return ValueFailure(Reason.NON_FINITE, f"{value} is not a finite number")
        try:
            number = Decimal(value)
        except InvalidOperation:  # pragma: no cover - JSON grammar guarantees a valid literal
            return ValueFailure(Reason.UNPARSEABLE_VALUE, "invalid number literal")
        if len(value) <= _SIMPLE_DIGITS and "e" not in value and "E" not in value:
            return number  # finite, and its exponent is far inside MAX_EXPONENT
        return _in_range(number)
    if isinstance(value, bool):
        return ValueFailure(Reason.WRONG_TYPE, "a boolean, not a number")
    if isinstance(value, int):
        return _in_range(Decimal(value)) if abs(value) < 10**MAX_EXPONENT else _too_big()
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ValueFailure(Reason.NON_FINITE, "not a finite number")
        return Decimal(repr(value))
    if isinstance(value, str):
        return _number_from_text(value)
    return _other_kind(value, "a number")


def _too_big() -> ValueFailure:
    return ValueFailure(Reason.UNPARSEABLE_VALUE, "exponent out of range")


def _in_range(number: Decimal) -> Decimal | ValueFailure:
    if not number.is_finite():
        return ValueFailure(Reason.NON_FINITE, "not a finite number")
    if abs(number.adjusted()) > MAX_EXPONENT:
        return _too_big()
    return number


def _other_kind(value: object, expected: str) -> ValueFailure:
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes, bytearray)):
        if not value:
            return ValueFailure(Reason.UNPARSEABLE_VALUE, "an empty list")
        return ValueFailure(Reason.MULTIPLE_CANDIDATES, f"a list of {len(value)} values")
    if value is None:
        return ValueFailure(Reason.UNPARSEABLE_VALUE, "null")
    return ValueFailure(Reason.WRONG_TYPE, f"a JSON {type(value).__name__}, not {expected}")


_SIMPLE_DIGITS: Final = 30
_SIMPLE_NUMBER: Final = re.compile(r"([+-]?[0-9]{1,30}(?:\.[0-9]{1,30})?)( ?\D{0,200})")
"""The common case: ASCII digits, then unit text holding no digit at all (``25.24 mL/min``)."""

_UNIT_CACHE_SIZE: Final = 4096
"""Distinct unit texts whose reading is kept (a run's answers use a few dozen: ``units``,
``points``, ``mL/min/1.73 m²``); the reading is a pure function of the text, so the cache never
changes a result, only skips the hedge and power patterns for a unit seen before."""


def _number_from_text(raw: str) -> Decimal | ValueFailure:
    """Read one number from text: the common case directly, anything else by the general path.

    The fast path gives exactly what :func:`_general_number` gives (a property test checks it).
    """
    if len(raw) <= _SIMPLE_DIGITS and raw.isdigit() and raw.isascii():  # a bare whole number
        return Decimal(raw)
    match = _SIMPLE_NUMBER.fullmatch(raw)
    if match is not None:
        number, unit = match.groups()
        if not unit:
            return Decimal(number)
        if unit.isascii():
            problem = _unit_problem(unit.lower())
            return Decimal(number) if problem is None else problem
    return _general_number(raw)


def _general_number(raw: str) -> Decimal | ValueFailure:
    if len(raw) > MAX_VALUE_CHARS:
        return ValueFailure(Reason.UNPARSEABLE_VALUE, f"answer longer than {MAX_VALUE_CHARS} chars")
    text = _ascii_digits(raw)
    if not text:
        return ValueFailure(Reason.UNPARSEABLE_VALUE, "empty answer")
    match = _NUMBER.match(text)
    if match is None:
        return _not_a_number(text)
    sign, digits, exponent, power = match.groups()
    rest = text[match.end() :]
    if rest[:1] in ("/", "-") and _DATE_ANYWHERE.match(text):
        return ValueFailure(Reason.WRONG_TYPE, "a date, not a number")
    problem = _classify_rest(rest)
    if problem is not None:
        return problem
    literal = sign + digits.replace(",", "")
    if literal.endswith("."):
        literal += "0"
    number = Decimal(literal)
    if exponent is None and power is None:
        return number
    shift = int(exponent or 0) + int(power or 0)
    if abs(shift) > MAX_EXPONENT:
        return _too_big()
    sign_bit, digit_tuple, exponent_value = number.as_tuple()
    assert isinstance(exponent_value, int)  # finite by construction
    return _in_range(Decimal((sign_bit, digit_tuple, exponent_value + shift)))  # exact, no rounding


@lru_cache(maxsize=_UNIT_CACHE_SIZE)
def _classify_rest(rest: str) -> ValueFailure | None:
    """Judge the text after the number: unit text is fine, another number or a hedge is not
    (cached by text, see :data:`_UNIT_CACHE_SIZE`)."""
    if not rest:
        return None
    lowered = rest.lower().lstrip()
    if _has_ascii_digit(lowered):
        stripped = _UNIT_DIGITS.sub(" ", lowered)
        if _has_ascii_digit(stripped):
            if lowered.startswith(_RANGE_OR_LIST_STARTS) or " or " in lowered or " to " in lowered:
                return ValueFailure(
                    Reason.MULTIPLE_CANDIDATES, "more than one number (a range or list)"
                )
            if lowered.startswith(_OPERATOR_STARTS):
                return ValueFailure(Reason.EXPRESSION, "an arithmetic expression (never evaluated)")
            return ValueFailure(Reason.MULTIPLE_CANDIDATES, "more than one number")
        lowered = stripped
    return _unit_problem(lowered)


@lru_cache(maxsize=_UNIT_CACHE_SIZE)
def _unit_problem(unit: str) -> ValueFailure | None:
    """Why digit-free, lower-cased text after a number is not unit text, or ``None`` if it is
    (cached by text, see :data:`_UNIT_CACHE_SIZE`)."""
    bare = unit.strip()
    if bare in ("/", "*", "^"):
        return ValueFailure(Reason.EXPRESSION, "a dangling operator")
    if bare in ("-", "–", "—"):
        return ValueFailure(Reason.MULTIPLE_CANDIDATES, "an unfinished range")
    if _SUPERSCRIPT_POWER.search(unit) is not None:
        return ValueFailure(Reason.EXPRESSION, "a power (never evaluated)")
    if _HEDGE.search(unit) is not None:
        return ValueFailure(
            Reason.MULTIPLE_CANDIDATES, "a bound or a second candidate, not one value"
        )
    return None


def _not_a_number(text: str) -> ValueFailure:
    lowered = text.lower()
    if lowered in _NON_FINITE_WORDS:
        return ValueFailure(Reason.NON_FINITE, f"{text!r} is not a finite number")
    if _BOUND_START.match(lowered) is not None and _has_ascii_digit(lowered):
        return ValueFailure(
            Reason.MULTIPLE_CANDIDATES, "a bound (at least, more than, >), not a value"
        )
    has_call = "(" in lowered and ")" in lowered
    if has_call or (_has_ascii_digit(lowered) and any(ch in _EXPRESSION_CHARS for ch in lowered)):
        return ValueFailure(Reason.EXPRESSION, "an arithmetic expression (never evaluated)")
    if _DATE_ANYWHERE.search(lowered):
        return ValueFailure(Reason.WRONG_TYPE, "a date, not a number")
    return ValueFailure(Reason.UNPARSEABLE_VALUE, "no number at the start of the answer")


# --- dates -------------------------------------------------------------------------------------

_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_US_DATE: Final = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_ISO_DATE: Final = re.compile(r"([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})")
_MONTH_FIRST: Final = re.compile(r"([a-z]{3,9})\.? ([0-9]{1,2})(?:st|nd|rd|th)?,? ([0-9]{4})")
_DAY_FIRST: Final = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)? ([a-z]{3,9})\.?,? ([0-9]{4})")
_DATE_ANYWHERE: Final = re.compile(r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
_YEAR: Final = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")


def parse_date(value: object) -> _dt.date | ValueFailure:
    """Read ``value`` as one calendar date (slash dates are month first, as MedCalc-Bench asks).

    >>> parse_date("9/23/2014"), parse_date("September 23, 2014")
    (datetime.date(2014, 9, 23), datetime.date(2014, 9, 23))
    """
    if isinstance(value, str) and not isinstance(value, JSONNumber):
        if len(value) > MAX_VALUE_CHARS:
            return ValueFailure(Reason.UNPARSEABLE_VALUE, f"answer longer than {MAX_VALUE_CHARS}")
        us = _US_DATE.fullmatch(value)
        if us is not None:  # the form MedCalc-Bench asks for, read directly
            return _make_date(us.groups(), "mdy")
        text = _ascii_digits(value).lower().rstrip(".")
        for pattern, order in _DATE_FORMS:
            match = pattern.fullmatch(text)
            if match is not None:
                return _make_date(match.groups(), order)
        if len(_YEAR.findall(text)) > 1:
            return ValueFailure(Reason.MULTIPLE_CANDIDATES, "more than one date")
        if not isinstance(_number_from_text(text), ValueFailure):
            return ValueFailure(Reason.WRONG_TYPE, "a number, not a date")
        return ValueFailure(Reason.UNPARSEABLE_VALUE, "not a date in a recognized form")
    if isinstance(value, (JSONNumber, int, float)):
        return ValueFailure(Reason.WRONG_TYPE, "a number, not a date")
    return _other_kind(value, "a date")


_DATE_FORMS: Final = (
    (_US_DATE, "mdy"),
    (_ISO_DATE, "ymd"),
    (_MONTH_FIRST, "Mdy"),
    (_DAY_FIRST, "dMy"),
)


def _make_date(parts: Sequence[str], order: str) -> _dt.date | ValueFailure:
    fields: dict[str, int] = {}
    for key, part in zip(order, parts, strict=True):
        if key == "M":
            month = _MONTHS.get(part)
            if month is None:
                return ValueFailure(Reason.UNPARSEABLE_VALUE, f"unknown month name {part!r}")
            fields["m"] = month
        else:
            fields[key] = int(part)
    try:
        return _dt.date(fields["y"], fields["m"], fields["d"])
    except ValueError:
        return ValueFailure(Reason.UNPARSEABLE_VALUE, "no such calendar date")


def format_date(date: _dt.date) -> str:
    """Canonical text of a date: ISO ``YYYY-MM-DD``.

    >>> import datetime
    >>> format_date(datetime.date(2014, 9, 23))
    '2014-09-23'
    """
    return date.isoformat()


# --- weeks + days ------------------------------------------------------------------------------

_WEEKS_DAYS: Final = re.compile(
    r"(?:([0-9]{1,4}) ?(?:weeks|week|wks|wk|w))?"
    r"(?: ?(?:,|and|&|\+)? ?)"
    r"(?:([0-9]{1,4}) ?(?:days|day|d))?"
)
_DURATION_DECORATION: Final = str.maketrans({c: " " for c in "()[]{}'\""})


@dataclass(frozen=True, slots=True)
class WeeksDays:
    """A duration in whole days, shown as weeks and days (gestational age)."""

    total_days: int

    def __str__(self) -> str:
        weeks, days = divmod(self.total_days, 7)
        return f"{weeks} weeks, {days} days"


def parse_weeks_days(value: object) -> WeeksDays | ValueFailure:
    """Read ``value`` as one weeks+days duration and return its total length in days.

    >>> parse_weeks_days("14 weeks and 1 day").total_days, parse_weeks_days([14, 1]).total_days
    (99, 99)
    >>> parse_weeks_days("99").reason
    <Reason.WRONG_TYPE: 'wrong_type'>
    """
    if isinstance(value, Mapping):
        return _duration_from_mapping(value)
    if isinstance(value, str) and not isinstance(value, JSONNumber):
        return _duration_from_text(value)
    if isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray, str)):
        return _duration_from_pair(value)
    if isinstance(value, (JSONNumber, int, float)) and not isinstance(value, bool):
        return ValueFailure(Reason.WRONG_TYPE, "a bare number: weeks or days?")
    return _other_kind(value, "a duration")


_WHOLE_TEXT: Final = re.compile(r"([0-9]{1,4})(?:\.0*)?")


def _whole(part: object) -> int | None:
    """A non-negative whole number below 10,000 given as an int, an integral float or an
    integral numeral (``14``, ``14.0``, ``"14"``), else None."""
    if isinstance(part, bool):
        return None
    if isinstance(part, int):
        return part if 0 <= part < 10_000 else None
    if isinstance(part, float):
        return int(part) if part.is_integer() and 0 <= part < 10_000 else None
    if isinstance(part, str) and len(part) <= 16:
        match = _WHOLE_TEXT.fullmatch(part.strip())
        return int(match.group(1)) if match is not None else None
    return None


def _duration_from_mapping(value: Mapping[object, object]) -> WeeksDays | ValueFailure:
    keys = set(value)
    if not keys or not keys <= {"weeks", "days"}:
        return ValueFailure(Reason.WRONG_TYPE, "an object other than {weeks, days}")
    weeks, days = _whole(value.get("weeks", 0)), _whole(value.get("days", 0))
    if weeks is None or days is None:
        return ValueFailure(Reason.UNPARSEABLE_VALUE, "weeks and days must be whole numbers")
    return WeeksDays(weeks * 7 + days)


def _duration_from_pair(value: Sequence[object]) -> WeeksDays | ValueFailure:
    if len(value) != 2:
        return _other_kind(value, "a duration")
    first, second = value
    if isinstance(first, str) and isinstance(second, str) and not isinstance(first, JSONNumber):
        duration = _duration_from_text(f"{first}, {second}", require_both=True)
        if isinstance(duration, ValueFailure):
            return ValueFailure(Reason.MULTIPLE_CANDIDATES, "a list that is not [weeks, days]")
        return duration
    weeks, days = _whole(first), _whole(second)
    if weeks is None or days is None:
        return ValueFailure(Reason.MULTIPLE_CANDIDATES, "a list that is not [weeks, days]")
    return WeeksDays(weeks * 7 + days)


def _duration_from_text(raw: str, *, require_both: bool = False) -> WeeksDays | ValueFailure:
    if len(raw) > MAX_VALUE_CHARS:
        return ValueFailure(Reason.UNPARSEABLE_VALUE, f"answer longer than {MAX_VALUE_CHARS}")
    text = _ascii_digits(raw.translate(_DURATION_DECORATION)).lower().rstrip(".")
    match = _WEEKS_DAYS.fullmatch(text)
    if match is not None and (match.group(1) or match.group(2)):
        weeks, days = match.groups()
        if require_both and (weeks is None or days is None):
            return ValueFailure(Reason.UNPARSEABLE_VALUE, "not [weeks, days]")
        return WeeksDays(int(weeks or 0) * 7 + int(days or 0))
    if " or " in f" {text} " or "-" in text or " to " in text:
        return ValueFailure(Reason.MULTIPLE_CANDIDATES, "more than one duration")
    if not isinstance(_number_from_text(text), ValueFailure):
        return ValueFailure(Reason.WRONG_TYPE, "a bare number: weeks or days?")
    if _DATE_ANYWHERE.search(text):
        return ValueFailure(Reason.WRONG_TYPE, "a date, not a duration")
    return ValueFailure(Reason.UNPARSEABLE_VALUE, "not a weeks+days duration")


# --- canonical texts: labels and verdict answers ------------------------------------------------
#
# Verifiers report the answer they read in canonical text (``Verdict.parsed``: ``"25.24"``,
# ``"2014-09-11"``, ``"14 weeks, 1 days"``) and labels arrive as benchmarks write them
# (``"25.238"``, ``"09/23/2014"``, ``"('14 weeks', '1 days')"``). Grading (error analysis, the
# official-window bridge) needs those as numbers, dates and day counts. These readers accept only
# those short, known shapes (anchored patterns on text capped at :data:`MAX_LABEL_CHARS`) and
# return ``None`` for anything else; they never evaluate text and never raise.

MAX_LABEL_CHARS = 64
"""Longer label texts are not values of any kind read by the readers below."""

_LABEL_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?")
_LABEL_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_LABEL_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_LABEL_WEEKS_LABEL_DAYS = re.compile(
    r"\(?\s*'?(\d{1,3})\s*weeks?'?\s*,?\s*(?:and\s+)?'?(\d{1,3})\s*days?'?\s*\)?", re.IGNORECASE
)
_LABEL_DAYS = re.compile(r"(\d{1,4})\s*days?", re.IGNORECASE)


Value = float | _dt.date | WeeksDays
"""A comparable value: a finite number, a calendar date, or a weeks+days duration."""


def read_number(text: object) -> float | None:
    """A finite number from a bare numeric text or a number (no units, no separators).

    >>> read_number("25.238"), read_number("1_0"), read_number("nan")
    (25.238, None, None)
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        value = float(text)
    elif isinstance(text, str) and len(text) <= MAX_LABEL_CHARS:
        try:  # fast path for plain numerals; float() also takes "1_0", which is refused
            value = float(text)
        except ValueError:
            stripped = text.strip().replace("\u2212", "-")
            if not _LABEL_NUMBER.fullmatch(stripped):
                return None
            value = float(stripped)
        else:
            if "_" in text:
                return None
    else:
        return None
    return value if math.isfinite(value) else None


def read_date(text: object) -> _dt.date | None:
    """A date written ``YYYY-MM-DD`` or ``M/D/YYYY``.

    >>> read_date("09/23/2014"), read_date("2014-09-23")
    (datetime.date(2014, 9, 23), datetime.date(2014, 9, 23))
    """
    if not isinstance(text, str) or len(text) > MAX_LABEL_CHARS:
        return None
    stripped = text.strip()
    match = _LABEL_ISO_DATE.fullmatch(stripped)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _LABEL_US_DATE.fullmatch(stripped)
        if not match:
            return None
        month, day, year = (int(g) for g in match.groups())
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def read_duration(text: object) -> WeeksDays | None:
    """A weeks+days duration: ``"14 weeks, 1 day"``, ``"('14 weeks', '1 days')"``, ``"99 days"``.

    >>> str(read_duration("('14 weeks', '1 days')"))
    '14 weeks, 1 days'
    """
    if not isinstance(text, str) or len(text) > MAX_LABEL_CHARS:
        return None
    stripped = text.strip()
    match = _LABEL_WEEKS_LABEL_DAYS.fullmatch(stripped)
    if match:
        return WeeksDays(int(match.group(1)) * 7 + int(match.group(2)))
    match = _LABEL_DAYS.fullmatch(stripped)
    if match:
        return WeeksDays(int(match.group(1)))
    return None


def read_value(text: object) -> Value | None:
    """The first reading that fits: number, then date, then duration; ``None`` if none does.

    >>> read_value("4"), read_value("2014-09-23"), read_value("two")
    (4.0, datetime.date(2014, 9, 23), None)
    """
    number = read_number(text)
    if number is not None:
        return number
    return read_date(text) or read_duration(text)
