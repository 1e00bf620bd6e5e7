"""Shared inputs and rules for the pregnancy-dating calculators (IDs 13, 68, 69)."""

from __future__ import annotations

import datetime
from typing import Annotated

from calculators.inputs import CalculatorInputs, date, quantity

LMP = date(keys=("Last menstrual date", "LMP"), label="Last menstrual period")
CYCLE_LENGTH = quantity(
    "day",
    20,
    45,
    keys=("cycle length",),
    label="Cycle length",
    display_unit="days",
    bare_unit="days",
    integer=True,
)


class LmpInputs(CalculatorInputs):
    """Last menstrual period and cycle length (28 days when not documented)."""

    lmp: Annotated[datetime.date, LMP]
    cycle_length: Annotated[float, CYCLE_LENGTH] = 28


NAEGELE_CITATION = (
    "Naegele FC. Erfahrungen und Abhandlungen aus dem Gebiete der Krankheiten des weiblichen "
    "Geschlechtes. Mannheim: Loeffler; 1812. ACOG Committee Opinion No. 700: Methods for "
    "estimating the due date. Obstet Gynecol. 2017;129(5):e150-e154."
)
