"""CURB-65 score for pneumonia severity (MedCalc-Bench ID 45).

Urea > 7 mmol/L is applied as BUN > 19 mg/dL (7 mmol/L × 2.8 = 19.6; MDCalc's threshold).
"""

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.criteria import (
    Points,
    ScoreTable,
    Values,
    above,
    age,
    at_least,
    bands,
    derived,
    flag,
    if_true,
    quantity,
)
from calculators.registry import register
from calculators.scores._vitals import diastolic_bp, respiratory_rate, systolic_bp

CITATION = (
    "Lim WS, van der Eerden MM, Laing R, et al. Defining community acquired pneumonia severity on "
    "presentation to hospital: an international derivation and validation study. Thorax. "
    "2003;58(5):377-382. doi:10.1136/thorax.58.5.377"
)


def _blood_pressure(values: Values) -> tuple[Points, str]:
    sbp, dbp = values.get("sbp"), values.get("dbp")
    low_sbp = isinstance(sbp, float) and sbp < 90
    low_dbp = isinstance(dbp, float) and dbp <= 60
    shown = (
        f"SBP {sbp if sbp is not None else 'n/a'}, DBP {dbp if dbp is not None else 'n/a'} mm Hg"
    )
    if low_sbp or low_dbp:
        return 1, f"{shown}: SBP < 90 or DBP ≤ 60"
    return 0, f"{shown}: neither SBP < 90 nor DBP ≤ 60"


TABLE = ScoreTable(
    info=CalculatorInfo(
        id=45,
        slug="curb_65",
        name="CURB-65 Score for Pneumonia Severity",
        category=Category.RISK,
        output_kind=OutputKind.INTEGER,
        unit="points",
        citation=CITATION,
    ),
    inputs=(
        flag("confusion", "Confusion", "Confusion"),
        quantity(
            "bun",
            "Blood urea nitrogen",
            "Blood Urea Nitrogen (BUN)",
            unit="mg/dL",
            analyte="bun",
            bounds=(0.5, 300.0),
            default=None,
            default_note="not documented, assumed ≤ 19 mg/dL",
        ),
        respiratory_rate(default=None, default_note="not documented, assumed < 30/min"),
        systolic_bp(default=None),
        diastolic_bp(default=None),
        age(),
    ),
    criteria=(
        if_true("Confusion", "confusion"),
        bands("BUN > 19 mg/dL (urea > 7 mmol/L)", "bun", (above(19, 1),), unit="mg/dL"),
        bands("Respiratory rate ≥ 30", "respiratory_rate", (at_least(30, 1),), unit="breaths/min"),
        derived("Blood pressure", ("sbp", "dbp"), _blood_pressure),
        bands("Age ≥ 65", "age", (at_least(65, 1),), unit="years"),
    ),
    score_range=(0, 5),
    missing_convention="a criterion whose finding is not documented is not met (0 points).",
)

register(TABLE)
