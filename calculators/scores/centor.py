"""Centor score modified by McIsaac for streptococcal pharyngitis (MedCalc-Bench ID 20).

Temperature in °C (°F converted; the benchmark's misspelt units "degrees fahreinheit" are read as
Fahrenheit). Age 3–14 +1, 15–44 0, ≥ 45 −1 (the score is defined from age 3; younger scores 0).
"""

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.criteria import (
    ScoreTable,
    above,
    age,
    at_least,
    bands,
    between,
    flag,
    if_true,
)
from calculators.registry import register
from calculators.scores._vitals import temperature

CITATION = (
    "McIsaac WJ, White D, Tannenbaum D, Low DE. A clinical score to reduce unnecessary antibiotic "
    "use in patients with sore throat. CMAJ. 1998;158(1):75-83."
)

TABLE = ScoreTable(
    info=CalculatorInfo(
        id=20,
        slug="centor",
        name="Centor Score (Modified/McIsaac) for Strep Pharyngitis",
        category=Category.SEVERITY,
        output_kind=OutputKind.INTEGER,
        unit="points",
        citation=CITATION,
    ),
    inputs=(
        age(),
        temperature(default=None, default_note="not documented, assumed ≤ 38 °C"),
        flag("cough_absent", "Cough absent", "Cough Absent"),
        flag(
            "nodes",
            "Tender/swollen anterior cervical nodes",
            "Tender/swollen anterior cervical lymph nodes",
        ),
        flag("exudate", "Tonsillar exudate or swelling", "Exudate or swelling on tonsils"),
    ),
    criteria=(
        bands("Age", "age", (between(3, 15, 1), at_least(45, -1)), unit="years"),
        bands("Temperature > 38 °C", "temperature", (above(38, 1),), unit="°C"),
        if_true("Absence of cough", "cough_absent"),
        if_true("Tender/swollen anterior cervical lymph nodes", "nodes"),
        if_true("Tonsillar exudate or swelling", "exudate"),
    ),
    score_range=(-1, 5),
    missing_convention="a finding that is not documented counts as absent (0 points); "
    "an undocumented cough status does not score 'cough absent'.",
)

register(TABLE)
