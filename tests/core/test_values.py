"""Single-value parsers: numbers, dates and weeks+days durations, and their failure reasons."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehrmind_rewards.core.parsing import JSONNumber
from ehrmind_rewards.core.parsing.values import (
    ValueFailure,
    WeeksDays,
    parse_date,
    parse_number,
    parse_weeks_days,
)
from schemas import Reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25.24", "25.24"),
        ("  25.24  ", "25.24"),
        ("-3", "-3"),
        ("−3.5", "-3.5"),  # unicode minus
        ("+7", "7"),
        (".5", "0.5"),
        ("5.", "5"),
        ("2.5e3", "2500"),
        ("2.5E-2", "0.025"),
        ("2.5 × 10^3", "2500"),
        ("2.5x10^-1", "0.25"),
        ("1,234.5", "1234.5"),
        ("12,345,678", "12345678"),
        ("25.24 mL/min", "25.24"),
        ("25.2 mL/min/1.73 m²", "25.2"),
        ("25.2 mL/min/1.73m2", "25.2"),
        ("23.9 kg/m²", "23.9"),
        ("22.5 kg/m^2", "22.5"),  # the official extractor reads 2
        ("4 points", "4"),
        ("0.5%", "0.5"),  # a percent stays a percent (the official extractor gives 0.005)
        ("12 %", "12"),
        ("٣٤.٥", "34.5"),  # Arabic-Indic digits
        ("１２", "12"),  # full-width digits
    ],
)
def test_numbers_in_their_written_forms(text: str, expected: str) -> None:
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("25-26", Reason.MULTIPLE_CANDIDATES),
        ("25 – 26", Reason.MULTIPLE_CANDIDATES),
        ("25 or 26", Reason.MULTIPLE_CANDIDATES),
        ("25 to 26 mL/min", Reason.MULTIPLE_CANDIDATES),
        ("1, 2, 3", Reason.MULTIPLE_CANDIDATES),  # the official extractor reads 3
        ("25 ± 2", Reason.MULTIPLE_CANDIDATES),
        (["25", "26"], Reason.MULTIPLE_CANDIDATES),
        ([25], Reason.MULTIPLE_CANDIDATES),
        ("(3+4)*2", Reason.EXPRESSION),
        ("25/3", Reason.EXPRESSION),
        ("25 * 3", Reason.EXPRESSION),
        ("round(2.5)", Reason.EXPRESSION),
        ("str(25.2)", Reason.EXPRESSION),
        ("NaN", Reason.NON_FINITE),
        ("-Infinity", Reason.NON_FINITE),
        ("∞", Reason.NON_FINITE),
        (JSONNumber("NaN"), Reason.NON_FINITE),
        (JSONNumber("-Infinity"), Reason.NON_FINITE),
        (float("nan"), Reason.NON_FINITE),
        ("1e999999", Reason.UNPARSEABLE_VALUE),
        (JSONNumber("1e999999"), Reason.UNPARSEABLE_VALUE),
        (True, Reason.WRONG_TYPE),
        ({"value": 1}, Reason.WRONG_TYPE),
        ("09/23/2014", Reason.WRONG_TYPE),
        (None, Reason.UNPARSEABLE_VALUE),
        ("", Reason.UNPARSEABLE_VALUE),
        ("about twenty", Reason.UNPARSEABLE_VALUE),
        ("1" * 300, Reason.UNPARSEABLE_VALUE),
        ("__import__('os').system('true')", Reason.EXPRESSION),
    ],
)
def test_answers_that_are_not_one_number(value: object, reason: Reason) -> None:
    result = parse_number(value)
    assert isinstance(result, ValueFailure) and result.reason is reason, result


def test_json_numbers_keep_their_exact_decimal_value() -> None:
    assert parse_number(JSONNumber("0.1")) == Decimal("0.1")  # not 0.1000000000000000055…
    assert parse_number(JSONNumber("26.4999")) == Decimal("26.4999")
    assert parse_number(JSONNumber("1E+3")) == Decimal(1000)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=-1e9, max_value=1e9))
def test_any_plain_decimal_reads_back_exactly(value: Decimal) -> None:
    assert parse_number(format(value, "f")) == value
    assert parse_number(JSONNumber(format(value, "f"))) == value


@pytest.mark.parametrize(
    "text",
    [
        "09/23/2014",
        "9/23/2014",
        "2014-09-23",
        "2014/09/23",
        "September 23, 2014",
        "Sep 23 2014",
        "Sept. 23, 2014",
        "23 Sep 2014",
        "23rd September 2014",
        "  september 23, 2014. ",
    ],
)
def test_dates_in_their_written_forms(text: str) -> None:
    assert parse_date(text) == dt.date(2014, 9, 23)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("02/30/2014", Reason.UNPARSEABLE_VALUE),
        ("Smarch 3, 2014", Reason.UNPARSEABLE_VALUE),
        ("09/23/2014 or 09/24/2014", Reason.MULTIPLE_CANDIDATES),
        (["09/23/2014"], Reason.MULTIPLE_CANDIDATES),
        (JSONNumber("20140923"), Reason.WRONG_TYPE),
        ("42", Reason.WRONG_TYPE),
        ("23/09/14", Reason.UNPARSEABLE_VALUE),
    ],
)
def test_answers_that_are_not_one_date(value: object, reason: Reason) -> None:
    result = parse_date(value)
    assert isinstance(result, ValueFailure) and result.reason is reason, result


@pytest.mark.parametrize(
    "value",
    [
        "(14 weeks, 1 day)",
        "14 weeks and 1 day",
        "14 weeks, 1 days",
        "14w 1d",
        "14w1d",
        "14 wks 1 d",
        "('14 weeks', '1 days')",
        ["14 weeks", "1 days"],
        [JSONNumber("14"), JSONNumber("1")],
        [14, 1],
        {"weeks": 14, "days": 1},
        "99 days",
        "13 weeks 8 days",  # equal as a duration
    ],
)
def test_weeks_days_in_their_written_forms(value: object) -> None:
    assert parse_weeks_days(value) == WeeksDays(99)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("14 or 15 weeks", Reason.MULTIPLE_CANDIDATES),
        ("14-15 weeks", Reason.MULTIPLE_CANDIDATES),
        (["14 weeks", "1 day", "2 days"], Reason.MULTIPLE_CANDIDATES),
        (["14 weeks", "15 weeks"], Reason.MULTIPLE_CANDIDATES),
        ("99", Reason.WRONG_TYPE),
        (JSONNumber("99"), Reason.WRONG_TYPE),
        ("14.5 weeks", Reason.WRONG_TYPE),
        ("fourteen weeks", Reason.UNPARSEABLE_VALUE),
        ({"weeks": 14, "hours": 3}, Reason.WRONG_TYPE),
    ],
)
def test_answers_that_are_not_one_duration(value: object, reason: Reason) -> None:
    result = parse_weeks_days(value)
    assert isinstance(result, ValueFailure) and result.reason is reason, result


def test_weeks_days_canonical_text() -> None:
    assert str(WeeksDays(99)) == "14 weeks, 1 days"


def test_scientific_notation_is_exact_beyond_28_digits() -> None:
    exact = Decimal("123.4567890123456789012345678901")  # 31 digits; the default context keeps 28
    assert parse_number("1.234567890123456789012345678901e2") == exact


_NUMBERISH = st.text(alphabet="0123456789.,-+eE x×^/*%²٣٫ mLkgortwnyhal()", max_size=40)


@given(st.one_of(_NUMBERISH, st.text(max_size=40)))
def test_fast_number_path_agrees_with_the_general_path(text: str) -> None:
    from ehrmind_rewards.core.parsing.values import _general_number, _number_from_text

    fast, general = _number_from_text(text), _general_number(text)
    if isinstance(general, ValueFailure):
        assert isinstance(fast, ValueFailure) and fast.reason is general.reason
    else:
        assert fast == general


@given(value=st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False))
def test_hedged_answers_are_never_one_value(value: Decimal) -> None:
    from ehrmind_rewards.testing import hedged_answers

    for text, reason in hedged_answers(format(value, "f")):
        result = parse_number(text)
        assert isinstance(result, ValueFailure) and result.reason is reason, (text, result)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("٢٥٫٢", "25.2"),  # Arabic-Indic digits and the Arabic decimal separator
        ("٢٥٬٢٠٠٫٥", "25200.5"),  # and the Arabic thousands separator
        ("۲۵٫۲", "25.2"),  # Persian digits
        ("２５．２", "25.2"),  # full-width digits and full stop
        ("25.2 mm3", "25.2"),
        ("25.2 mL/min per 1.73 m2", "25.2"),
        ("25.2 (approx.)", "25.2"),
        ("25.2 mmol/L", "25.2"),
    ],
)
def test_more_written_forms(text: str, expected: str) -> None:
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("25.2 1.73", Reason.MULTIPLE_CANDIDATES),  # 1.73 only counts after "/" or "per"
        ("25 mg 2", Reason.MULTIPLE_CANDIDATES),
        ("25²", Reason.EXPRESSION),
        ("25³", Reason.EXPRESSION),
        ("25^2", Reason.EXPRESSION),
        ("up to 30", Reason.MULTIPLE_CANDIDATES),
        ("less than 5", Reason.MULTIPLE_CANDIDATES),
        ("<5", Reason.MULTIPLE_CANDIDATES),
        ("about 25", Reason.UNPARSEABLE_VALUE),
    ],
)
def test_second_numbers_powers_and_bounds(text: str, reason: Reason) -> None:
    result = parse_number(text)
    assert isinstance(result, ValueFailure) and result.reason is reason, result


@pytest.mark.parametrize(
    "value",
    [
        {"weeks": JSONNumber("14.0"), "days": JSONNumber("1")},
        {"weeks": 14.0, "days": 1},
        [JSONNumber("14.0"), JSONNumber("1.00")],
        {"weeks": "14", "days": "1.0"},
    ],
)
def test_integral_weeks_and_days(value: object) -> None:
    assert parse_weeks_days(value) == WeeksDays(99)


@pytest.mark.parametrize(
    "value", [{"weeks": 14.5, "days": 1}, {"weeks": JSONNumber("1e1"), "days": 1}]
)
def test_fractional_weeks_are_not_whole(value: object) -> None:
    result = parse_weeks_days(value)
    assert isinstance(result, ValueFailure) and result.reason is Reason.UNPARSEABLE_VALUE
