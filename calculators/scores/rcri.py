"""Revised Cardiac Risk Index (Lee index) for pre-operative risk (MedCalc-Bench ID 17).

Cerebrovascular disease is read from both spellings the benchmark uses ("History of
cerebrovascular disease" and "Cerebrovascular disease history"); either being true scores.
"""

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.criteria import ScoreTable, above, bands, flag, if_true, quantity
from calculators.registry import register

CITATION = (
    "Lee TH, Marcantonio ER, Mangione CM, et al. Derivation and prospective validation of a simple "
    "index for prediction of cardiac risk of major noncardiac surgery. Circulation. "
    "1999;100(10):1043-1049. doi:10.1161/01.cir.100.10.1043"
)

TABLE = ScoreTable(
    info=CalculatorInfo(
        id=17,
        slug="rcri",
        name="Revised Cardiac Risk Index for Pre-Operative Risk",
        category=Category.RISK,
        output_kind=OutputKind.INTEGER,
        unit="points",
        citation=CITATION,
    ),
    inputs=(
        flag("high_risk_surgery", "Elevated-risk surgery", "Elevated-risk surgery"),
        flag(
            "ischemic_heart_disease", "Ischemic heart disease", "History of ischemic heart disease"
        ),
        flag(
            "chf",
            "Congestive heart failure",
            "Congestive Heart Failure criteria for the Cardiac Risk Index rule",
        ),
        flag(
            "cerebrovascular",
            "Cerebrovascular disease",
            "History of cerebrovascular disease",
            "Cerebrovascular disease history",
        ),
        flag("insulin", "Pre-operative insulin", "Pre-operative treatment with insulin"),
        quantity(
            "creatinine",
            "Pre-operative creatinine",
            "Pre-operative creatinine",
            "creatinine",
            unit="mg/dL",
            analyte="creatinine",
            bounds=(0.05, 40.0),
            default=None,
            default_note="not documented, assumed ≤ 2 mg/dL",
        ),
    ),
    criteria=(
        if_true(
            "Elevated-risk surgery (intraperitoneal, intrathoracic, suprainguinal vascular)",
            "high_risk_surgery",
        ),
        if_true("History of ischemic heart disease", "ischemic_heart_disease"),
        if_true("History of congestive heart failure", "chf"),
        if_true("History of cerebrovascular disease", "cerebrovascular"),
        if_true("Pre-operative treatment with insulin", "insulin"),
        bands("Pre-operative creatinine > 2 mg/dL", "creatinine", (above(2, 1),), unit="mg/dL"),
    ),
    score_range=(0, 6),
    missing_convention="a history item that is not documented counts as absent (0 points).",
)

register(TABLE)
