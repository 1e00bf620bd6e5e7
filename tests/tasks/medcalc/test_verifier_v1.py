"""Acceptance: every row of the real MedCalc-Bench v1.0 test set, through every reward entry point.

Each row's ground truth, written in every surface form of ``ehrmind_rewards.testing.answer_forms``
and wrapped in rotating envelope styles, must score 1.1; pushed just outside its limits it must
score 0; every structural defect must score −2.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehrmind_rewards import grade
from ehrmind_rewards.core.rewards import EHRMIND
from ehrmind_rewards.tasks.medcalc.records import read_medcalc_csv
from ehrmind_rewards.tasks.medcalc.verifier import AnswerKind, kind_for, verify_row
from ehrmind_rewards.testing import (
    ENVELOPE_STYLES,
    answer_forms,
    completion_around,
    structural_defects,
)
from schemas import MedCalcRecord, Reason
from tests.paths import DATA

V1_TEST = DATA / "medcalc_bench" / "v1.0" / "test_data.csv"
ROWS = read_medcalc_csv(V1_TEST, text=False)


def _row(record: MedCalcRecord) -> dict[str, object]:
    return record.model_dump(exclude_none=True)


def _kind(record: MedCalcRecord) -> AnswerKind:
    kind = kind_for(record.calculator_id)
    assert kind is not None, f"v1.0 calculator {record.calculator_id} has no grading kind"
    return kind


def test_the_v1_test_set_is_complete() -> None:
    assert len(ROWS) == 1047
    assert len({record.calculator_id for record in ROWS}) == 55


def test_every_ground_truth_in_every_surface_form_scores_1_1() -> None:
    failures = []
    for index, record in enumerate(ROWS):
        row = _row(record)
        for form_index, form in enumerate(answer_forms(str(record.ground_truth), _kind(record))):
            style = ENVELOPE_STYLES[(index + form_index) % len(ENVELOPE_STYLES)]
            verdict = verify_row(completion_around(form, style), row, EHRMIND)
            if verdict.score != 1.1:
                failures.append((record.row_number, form, style, verdict.reason, verdict.detail))
    assert not failures, failures[:10]


def _just_outside(record: MedCalcRecord, kind: AnswerKind) -> list[object]:
    truth = str(record.ground_truth)
    if kind is AnswerKind.DECIMAL:
        lower, upper = Decimal(str(record.lower_limit)), Decimal(str(record.upper_limit))
        step = Decimal(1).scaleb(min(lower.as_tuple().exponent, upper.as_tuple().exponent) - 1)
        return [format(upper + step, "f"), format(lower - step, "f")]
    if kind is AnswerKind.INTEGER:
        value = int(truth)
        outside = [str(value + 1), str(value - 1)]
        # the half on the far side from zero rounds away: 2.5 -> 3, -1.5 -> -2, ±0.5 -> ±1
        if value >= 0:
            outside.append(f"{value}.5")
        if value <= 0:
            outside.append(f"-{abs(value)}.5")
        return outside
    if kind is AnswerKind.DATE:
        month, day, year = (int(part) for part in truth.split("/"))
        date = dt.date(year, month, day)
        return [(date + dt.timedelta(days=delta)).strftime("%m/%d/%Y") for delta in (-1, 1)]
    weeks, days = (int(token) for token in truth.replace("'", " ").split() if token.isdigit())
    total = weeks * 7 + days
    return [f"({n // 7} weeks, {n % 7} days)" for n in (total - 1, total + 1) if n >= 0]


def test_answers_just_outside_the_limits_score_0() -> None:
    failures = []
    for record in ROWS:
        row = _row(record)
        for answer in _just_outside(record, _kind(record)):
            verdict = verify_row(completion_around(answer), row, EHRMIND)
            if verdict.score != 0.0 or verdict.reason is not Reason.WRONG_ANSWER:
                failures.append((record.row_number, answer, verdict.reason))
    assert not failures, failures[:10]


def test_every_structural_defect_scores_minus_2() -> None:
    failures = []
    for record in ROWS[::7]:
        row = _row(record)
        for completion, reason in structural_defects(str(record.ground_truth)):
            verdict = verify_row(completion, row, EHRMIND)
            if verdict.score != -2.0 or verdict.reason is not reason or verdict.format_ok:
                failures.append((record.row_number, reason, verdict.reason))
    assert not failures, failures[:10]


@pytest.mark.parametrize(
    ("answer", "truth", "correct"),
    [
        ("2.5", "3", True),  # halves round away from zero, not to even (Python's round gives 2)
        ("2.4", "2", True),
        ("2.5", "2", False),
        ("-1.5", "-2", True),
        ("-1.4", "-1", True),
    ],
)
def test_integer_scores_round_half_away_from_zero(answer: str, truth: str, correct: bool) -> None:
    row = {"calculator_id": 4, "ground_truth": truth, "lower_limit": truth, "upper_limit": truth}
    assert grade(completion_around(answer), row).correct is correct


def test_zero_ground_truth_needs_exactly_zero() -> None:
    row = {"calculator_id": 46, "ground_truth": "0", "lower_limit": "0", "upper_limit": "0"}
    assert grade(completion_around("0"), row).correct
    assert grade(completion_around("-0.0"), row).correct
    assert grade(completion_around("0.0001"), row).correct is False


@given(
    number=st.decimals(min_value=-60, max_value=60, places=3, allow_nan=False),
    label=st.integers(min_value=-50, max_value=50),
)
def test_integer_scores_round_half_away_from_zero_as_decimal_does(
    number: Decimal, label: int
) -> None:
    from decimal import ROUND_HALF_UP

    from ehrmind_rewards.tasks.medcalc.verifier import reference_for, rounds_to

    ref = reference_for(4, str(label), None, None, None)
    for candidate in (number, Decimal(label) - Decimal("0.5"), Decimal(label) + Decimal("0.5")):
        expected = candidate.to_integral_value(rounding=ROUND_HALF_UP) == label
        assert rounds_to(candidate, ref) is expected, (candidate, label)
