"""Which calculator conventions a MedCalc-Bench row is computed with.

Three layers, later ones winning:

1. each calculator's defaults (its original publication; :mod:`calculators.conventions`);
2. the conventions a row's **question states** (:data:`QUESTION_STATED`): the Cockcroft-Gault
   question asks for the BMI-based adjusted weight, so those rows use it whatever the default;
3. the run's own choices, qualified names from ``--convention slug.name=option``.

:data:`REFERENCE` records the options MedCalc-Bench's reference calculators use where they
differ from the defaults; :mod:`.causes` attributes a changed label to ``convention:<slug>.<name>``
when recomputing with them reproduces the original label.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from calculators.conventions import for_calculator


@dataclass(frozen=True, slots=True)
class StatedConvention:
    """A convention a question states, recognised by a phrase of the question."""

    calculator_id: int
    phrase: re.Pattern[str]
    convention: str
    option: str


QUESTION_STATED: tuple[StatedConvention, ...] = (
    StatedConvention(
        2, re.compile(r"adjusted body weight", re.IGNORECASE), "weight", "bmi_adjusted"
    ),
    StatedConvention(26, re.compile(r"Hillier", re.IGNORECASE), "factor", "hillier"),
    StatedConvention(
        49, re.compile(r"CDC .*2022", re.IGNORECASE | re.DOTALL), "factors", "cdc_2022"
    ),
)

REFERENCE: dict[int, dict[str, str]] = {
    2: {"weight": "bmi_adjusted"},
    13: {"rule": "lmp_plus_280_days"},
    63: {"definition": "delta_anion_gap"},
    66: {"definition": "delta_anion_gap"},
    68: {"rule": "lmp_plus_14_days"},
}
"""Options of MedCalc-Bench's reference calculators that differ from this project's defaults, by
calculator id (read from the reference code: ``estimated_due_date.py`` adds 280 days,
``conception_date.py`` adds 14 days, ``delta_gap.py`` and ``albumin_corrected_delta_gap.py``
subtract 12 only, ``creatinine_clearance.py`` chooses the weight by BMI)."""


def stated_by_question(calculator_id: int, question: str) -> dict[str, str]:
    """The conventions ``question`` states for calculator ``calculator_id``.

    >>> stated_by_question(2, "... use the patient's adjusted body weight ...")
    {'weight': 'bmi_adjusted'}
    """
    return {
        stated.convention: stated.option
        for stated in QUESTION_STATED
        if stated.calculator_id == calculator_id and stated.phrase.search(question)
    }


def row_conventions(
    calculator_id: int, slug: str, question: str, chosen: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The conventions to compute one row with: stated by its question, then the run's
    qualified choices ``chosen`` (``{"slug.name": option}``) for this calculator."""
    return {**stated_by_question(calculator_id, question), **for_calculator(chosen, slug)}
