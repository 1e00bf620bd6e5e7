"""Glasgow-Blatchford bleeding score (MedCalc-Bench ID 27).

Published in mmol/L of urea; the thresholds are applied to BUN in mg/dL (urea mmol/L × 2.8):
6.5 → 18.2, 8 → 22.4, 10 → 28, 25 → 70 mg/dL. Haemoglobin in g/dL.
"""

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.criteria import (
    Points,
    ScoreTable,
    Values,
    at_least,
    bands,
    below,
    between,
    choice,
    derived,
    flag,
    if_true,
    quantity,
)
from calculators.registry import register
from calculators.scores._vitals import heart_rate, systolic_bp

CITATION = (
    "Blatchford O, Murray WR, Blatchford M. A risk score to predict need for treatment for "
    "upper-gastrointestinal haemorrhage. Lancet. 2000;356(9238):1318-1321. "
    "doi:10.1016/S0140-6736(00)02816-6"
)

SEX = {"Female": ("f", "woman"), "Male": ("m", "man")}


def _hemoglobin(values: Values) -> tuple[Points, str]:
    hb = values["hemoglobin"]
    assert isinstance(hb, float)
    table: tuple[tuple[float, int], ...]
    if values["sex"] == "Male":
        table = ((12.0, 1), (10.0, 3), (0.0, 6))
        top = 13.0
    else:
        table = ((10.0, 1), (0.0, 6))
        top = 12.0
    if hb >= top:
        return 0, f"{hb:g} g/dL ≥ {top:g} g/dL ({values['sex']})"
    for low, points in table:
        if hb >= low:
            return points, f"{hb:g} g/dL, {values['sex']}: ≥ {low:g} and < {top:g} g/dL"
    return 6, f"{hb:g} g/dL"


TABLE = ScoreTable(
    info=CalculatorInfo(
        id=27,
        slug="glasgow_blatchford",
        name="Glasgow-Blatchford Bleeding Score (GBS)",
        category=Category.RISK,
        output_kind=OutputKind.INTEGER,
        unit="points",
        citation=CITATION,
    ),
    inputs=(
        quantity(
            "bun",
            "Blood urea nitrogen",
            "Blood Urea Nitrogen (BUN)",
            unit="mg/dL",
            analyte="bun",
            bounds=(0.5, 300.0),
        ),
        choice("sex", "Sex", "sex", choices=SEX),
        quantity(
            "hemoglobin",
            "Hemoglobin",
            "Hemoglobin",
            unit="g/dL",
            analyte="hemoglobin",
            bounds=(1.0, 25.0),
        ),
        systolic_bp(),
        heart_rate(default=None, default_note="not documented, assumed < 100 beats/min"),
        flag("melena", "Melena", "Melena present"),
        flag("syncope", "Syncope", "Recent syncope"),
        flag("hepatic_disease", "Hepatic disease", "Hepatic disease history"),
        flag("cardiac_failure", "Cardiac failure", "Cardiac failure present"),
    ),
    criteria=(
        bands(
            "Blood urea nitrogen",
            "bun",
            (at_least(70, 6), between(28, 70, 4), between(22.4, 28, 3), between(18.2, 22.4, 2)),
            unit="mg/dL",
        ),
        derived("Hemoglobin", ("hemoglobin", "sex"), _hemoglobin),
        bands(
            "Systolic blood pressure",
            "sbp",
            (below(90, 3), between(90, 100, 2), between(100, 110, 1)),
            unit="mm Hg",
        ),
        bands("Heart rate ≥ 100", "heart_rate", (at_least(100, 1),), unit="beats/min"),
        if_true("Melena", "melena"),
        if_true("Syncope", "syncope", points=2),
        if_true("Hepatic disease", "hepatic_disease", points=2),
        if_true("Cardiac failure", "cardiac_failure", points=2),
    ),
    score_range=(0, 23),
    missing_convention="a finding that is not documented counts as absent (0 points).",
)

register(TABLE)
