"""Why a readable MedCalc answer is wrong, compared with the row's label and limits.

Kinds (see :mod:`ehrmind_rewards.grading.analysis` for the shared ones tested first):

* ``near_miss``: within twice the tolerance (decimals: twice the half-width of the row's limits,
  ±5 % by default; integer scores: off by one point);
* ``sign_error``: the label's magnitude with the opposite sign (within the tolerance);
* ``unit_slip``: the label times or divided by a known conversion factor (:data:`UNIT_FACTORS`),
  or converted between °C and °F, within the tolerance; sub-kind names the conversion;
* ``date_off_by_one``: a date or a gestational age one day away;
* ``day_month_swap``: the label date with day and month exchanged (09/11 for 11/09);
* ``other_wrong``: none of these.

The classifier reads only the verifier's canonical answer (``Verdict.parsed``) and the row's
label and limits; it never raises.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from ehrmind_rewards.core.parsing.values import WeeksDays, read_number, read_value
from ehrmind_rewards.core.task import ErrorKind
from ehrmind_rewards.tasks.medcalc.official import answer_kind, read_as
from ehrmind_rewards.tasks.medcalc.verifier import AnswerKind

UNIT_FACTORS: tuple[tuple[float, str], ...] = (
    (88.4, "creatinine mg/dL↔µmol/L"),
    (88.57, "triglycerides mg/dL↔mmol/L"),
    (38.67, "cholesterol mg/dL↔mmol/L"),
    (18.016, "glucose mg/dL↔mmol/L"),
    (17.1, "bilirubin mg/dL↔µmol/L"),
    (4.008, "calcium mg/dL↔mmol/L"),
    (2.801, "urea nitrogen mg/dL↔mmol/L"),
    (10.0, "g/dL↔g/L"),
    (2.20462, "kg↔lb"),
    (2.54, "cm↔in"),
    (12.0, "ft↔in"),
    (100.0, "%↔fraction (or m↔cm)"),
    (1000.0, "×1000 (g↔kg, mL↔L, ms↔s, µg↔mg)"),
    (60.0, "per minute↔per hour"),
    (24.0, "per hour↔per day"),
)
"""Conversion factors a unit slip multiplies or divides the correct value by (standard molar
masses: creatinine 113.12 g/mol, glucose 180.16, cholesterol 386.65, triglycerides 885.7 (as
triolein), bilirubin 584.66, calcium 40.08, urea nitrogen 28.01 (2 N); 1 lb = 0.45359237 kg;
1 in = 2.54 cm)."""

_LOG_FACTORS = tuple((math.log(factor), factor, name) for factor, name in UNIT_FACTORS)

DEFAULT_RELATIVE_TOLERANCE = 0.05
"""Used when a decimal row has no readable limits (the benchmark's ±5 %)."""


def classify_wrong_value(row: Mapping[str, Any], parsed: str | None) -> ErrorKind:
    """Classify a wrong MedCalc answer against the row's label and limits (see module doc)."""
    calculator_id = read_number(row.get("calculator_id"))
    label = row.get("ground_truth")
    if calculator_id is not None and calculator_id.is_integer():
        kind = answer_kind(int(calculator_id))
        truth, value = read_as(kind, label), read_as(kind, parsed)
    else:
        kind = AnswerKind.DECIMAL
        truth, value = read_value(label), read_value(parsed)
    if truth is None or value is None:
        return "other_wrong", None
    if isinstance(truth, date) and isinstance(value, date):
        return _classify_date(truth, value)
    if isinstance(truth, WeeksDays) and isinstance(value, WeeksDays):
        if abs(truth.total_days - value.total_days) == 1:
            return "date_off_by_one", "gestational age"
        return "other_wrong", None
    if isinstance(truth, float) and isinstance(value, float):
        if kind is AnswerKind.INTEGER:
            return _classify_integer(truth, value)
        return _classify_decimal(truth, value, _tolerance(row, truth))
    return "other_wrong", None


def _classify_date(truth: date, value: date) -> ErrorKind:
    if abs((value - truth).days) == 1:
        return "date_off_by_one", "date"
    if truth.day <= 12 and truth.day != truth.month:
        try:
            swapped = date(truth.year, truth.day, truth.month)
        except ValueError:
            swapped = None
        if value == swapped:
            return "day_month_swap", None
    return "other_wrong", None


def _classify_integer(truth: float, value: float) -> ErrorKind:
    if truth != 0 and value == -truth:
        return "sign_error", None
    if abs(value - truth) <= 1.0:
        return "near_miss", "off by one point"
    return "other_wrong", None


def _tolerance(row: Mapping[str, Any], truth: float) -> float:
    """Half-width of the row's window, or the benchmark's ±5 % when limits are unreadable."""
    low, high = read_number(row.get("lower_limit")), read_number(row.get("upper_limit"))
    if low is not None and high is not None and low != high:
        return abs(high - low) / 2
    return abs(truth) * DEFAULT_RELATIVE_TOLERANCE


def _classify_decimal(truth: float, value: float, tolerance: float) -> ErrorKind:
    error = abs(value - truth)
    if error <= 2 * tolerance:
        return "near_miss", None
    if truth != 0 and abs(value + truth) <= tolerance:
        return "sign_error", None
    slip = _unit_slip(truth, value, tolerance)
    if slip is not None:
        return "unit_slip", slip
    return "other_wrong", None


def _unit_slip(truth: float, value: float, tolerance: float) -> str | None:
    """The conversion that best explains ``value`` as a slip from ``truth``, if any fits.

    Candidates are compared by relative distance (for factors, the distance of the log ratio) and
    must lie within half the row's relative tolerance, kept between 0.5 % and 2.5 %: tight enough
    that a wrong answer lands on a factor by chance rarely (the factors near 2–3 would otherwise
    cover most ratios there), loose enough for an answer rounded after converting.
    """
    if truth == 0 or value == 0:
        return None
    relative = min(max(tolerance / abs(truth) / 2, 0.005), 0.025)
    candidates: list[tuple[float, str]] = []
    for converted, name in ((truth * 1.8 + 32, "°C→°F"), ((truth - 32) / 1.8, "°F→°C")):
        if converted != 0:
            candidates.append((abs(value - converted) / abs(converted), name))
    if (truth > 0) == (value > 0):
        log_ratio = math.log(abs(value) / abs(truth))
        sign = "×" if log_ratio >= 0 else "÷"
        for log_factor, factor, name in _LOG_FACTORS:
            distance = math.expm1(abs(abs(log_ratio) - log_factor))
            if distance <= relative:
                candidates.append((distance, f"{sign}{factor:g} {name}"))
    fitting = [c for c in candidates if c[0] <= relative]
    return min(fitting)[1] if fitting else None
