"""The official MedCalc-Bench tolerance rules (medcalc-bench.md §3), without its extractor."""

from __future__ import annotations

import pytest

from ehrmind_rewards.tasks.medcalc.official import (
    answer_kind,
    default_window,
    official_correct,
    official_outcomes,
)


def test_kinds_follow_the_official_id_sets() -> None:
    assert answer_kind(13) == answer_kind(68) == "date"
    assert answer_kind(69) == "weeks_days"
    assert answer_kind(4) == answer_kind(51) == "integer"
    # Wells PE (8) and MELD Na (23) are graded as decimals by the official script
    assert answer_kind(8) == answer_kind(23) == answer_kind(2) == "decimal"


def test_integer_scores_use_pythons_round_half_even() -> None:
    assert official_correct(4, "2.5", "2", "2", "2") is True  # round(2.5) == 2
    assert official_correct(4, "3.5", "4", "4", "4") is True  # round(3.5) == 4
    assert official_correct(4, "2.5", "3", "3", "3") is False


def test_decimal_limits_are_inclusive_and_ordered() -> None:
    assert official_correct(2, "23.9761", "25.238", "23.9761", "26.4999") is True
    assert official_correct(2, "26.5", "25.238", "23.9761", "26.4999") is False
    # negative label, limits written in either order
    assert official_correct(38, "-0.8", "-0.828", "-0.7866", "-0.8694") is True


def test_dates_and_gestational_age_must_be_equal() -> None:
    assert official_correct(13, "2014-09-23", "09/23/2014", None, None) is True
    assert official_correct(13, "2014-09-24", "09/23/2014", None, None) is False
    assert official_correct(69, "14 weeks, 1 day", "('14 weeks', '1 days')", None, None) is True
    assert official_correct(69, "14 weeks, 2 days", "('14 weeks', '1 days')", None, None) is False


def test_nothing_read_is_wrong_and_an_unreadable_label_is_unknown() -> None:
    assert official_correct(2, None, "25.238", "23.9761", "26.4999") is False
    assert official_correct(2, "25", "n/a", "23", "26") is None


def test_relabelled_rows_grade_the_original_label_with_the_default_window() -> None:
    assert default_window(2, "100") == pytest.approx((95.0, 105.0))
    assert default_window(2, "-10") == pytest.approx((-10.5, -9.5))
    assert default_window(4, "3") == ("3", "3")
    row = {
        "calculator_id": "2",
        "ground_truth": "50",
        "lower_limit": "47.5",
        "upper_limit": "52.5",
        "original_ground_truth": "100",
    }
    assert official_outcomes(row, "104") == (True, False)
    assert official_outcomes(row, "51") == (False, True)
    plain = {k: v for k, v in row.items() if k != "original_ground_truth"}
    assert official_outcomes(plain, "51") == (True, None)
