"""The value readers used by error analysis and the official bridge: known shapes only, no eval."""

from __future__ import annotations

from datetime import date

import pytest

from ehrmind_rewards.core.parsing.values import WeeksDays, read_date, read_duration, read_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25.238", 25.238),
        ("-1", -1.0),
        ("\u22123.5", -3.5),
        (" 4 ", 4.0),
        ("1e3", 1000.0),
        (7, 7.0),
    ],
)
def test_numbers(text: object, expected: float) -> None:
    assert read_number(text) == expected


@pytest.mark.parametrize(
    "text", ["inf", "nan", "1e400", "1_000", "0x10", "2+2", "__import__('os')", "", True, "9" * 99]
)
def test_not_numbers(text: object) -> None:
    assert read_number(text) is None


def test_dates_and_durations() -> None:
    assert read_date("09/23/2014") == read_date("2014-09-23") == date(2014, 9, 23)
    assert read_date("02/30/2014") is None and read_date("23/09/2014") is None
    assert read_duration("('14 weeks', '1 days')") == WeeksDays(99)
    assert read_duration("14 weeks, 1 day") == read_duration("99 days") == WeeksDays(99)
    assert read_duration("14 weeks") is None
