"""HEART score for major adverse cardiac events (MedCalc-Bench ID 18).

Risk factors: hypertension, hypercholesterolemia, diabetes mellitus, obesity (BMI > 30), current or
recent smoking, family history of premature cardiovascular disease. Known atherosclerotic disease
(prior MI, PCI/CABG, CVA/TIA, peripheral arterial disease) scores 2 on its own, whatever the
number of risk factors (Six et al. 2008; Backus et al. 2013; MDCalc's form lists "CVA/TIA" among
the atherosclerotic diseases). A documented transient ischaemic attack (the benchmark's key
"Transient Ischemic Attacks History") therefore counts as known atherosclerotic disease.
"""

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.criteria import (
    Points,
    ScoreTable,
    Values,
    age,
    at_least,
    bands,
    between,
    by_choice,
    choice,
    derived,
    flag,
)
from calculators.registry import register

CITATION = (
    "Six AJ, Backus BE, Kelder JC. Chest pain in the emergency room: value of the HEART score. "
    "Neth Heart J. 2008;16(6):191-196. doi:10.1007/BF03086144"
)

HISTORY = {
    "slightly suspicious": ("slightly", "low"),
    "moderately suspicious": ("moderately", "moderate"),
    "highly suspicious": ("highly", "high"),
}
ECG = {
    "normal": (),
    "non-specific repolarization disturbance": (
        "nonspecific repolarization disturbance",
        "non-specific repolarisation disturbance",
    ),
    "significant st deviation": ("significant st depression", "st deviation"),
}
TROPONIN = {
    "≤ normal limit": ("less than or equal to normal limit", "normal"),
    "1–3× normal limit": (
        "between the normal limit or up to three times the normal limit",
        "1-3x normal limit",
    ),
    "> 3× normal limit": ("greater than three times normal limit", ">3x normal limit"),
}
RISK_FACTORS = (
    "hypertension",
    "hypercholesterolemia",
    "diabetes",
    "obesity",
    "smoking",
    "family_history",
)


def _risk_factors(values: Values) -> tuple[Points, str]:
    count = sum(values.get(name) is True for name in RISK_FACTORS)
    if values.get("atherosclerotic_disease") is True:
        return 2, f"known atherosclerotic disease ({count} other risk factor(s))"
    if values.get("tia") is True:
        return 2, f"prior TIA: known atherosclerotic disease ({count} other risk factor(s))"
    if count >= 3:
        return 2, f"{count} risk factors (≥ 3)"
    if count >= 1:
        return 1, f"{count} risk factor(s) (1–2)"
    return 0, "no known risk factors"


TABLE = ScoreTable(
    info=CalculatorInfo(
        id=18,
        slug="heart",
        name="HEART Score for Major Cardiac Events",
        category=Category.RISK,
        output_kind=OutputKind.INTEGER,
        unit="points",
        citation=CITATION,
    ),
    inputs=(
        choice("history", "History (suspicion of ACS)", "Suspicion History", choices=HISTORY),
        choice(
            "ecg",
            "ECG",
            "Electrocardiogram Test",
            choices=ECG,
            default="normal",
            default_note="not documented, assumed normal",
        ),
        age(),
        flag("hypertension", "Hypertension", "Hypertension history", "Hypertension"),
        flag("hypercholesterolemia", "Hypercholesterolemia", "hypercholesterolemia"),
        flag(
            "diabetes",
            "Diabetes mellitus",
            "Diabetes mellitus",
            "Diabetes mellitus criteria for CCI rule",
        ),
        flag("obesity", "Obesity (BMI > 30)", "obesity"),
        flag("smoking", "Smoking", "smoking"),
        flag(
            "family_history",
            "Family history of premature CVD",
            "parent or sibling with Cardiovascular disease before age 65",
        ),
        flag("atherosclerotic_disease", "Known atherosclerotic disease", "atherosclerotic disease"),
        flag(
            "tia",
            "Prior transient ischaemic attack",
            "Transient Ischemic Attacks History",
            "Transient ischemic attack",
        ),
        choice(
            "troponin",
            "Initial troponin",
            "Initial troponin",
            choices=TROPONIN,
            default="≤ normal limit",
            default_note="not documented, assumed ≤ normal limit",
        ),
    ),
    criteria=(
        by_choice(
            "History",
            "history",
            {"slightly suspicious": 0, "moderately suspicious": 1, "highly suspicious": 2},
        ),
        by_choice(
            "EKG",
            "ecg",
            {
                "normal": 0,
                "non-specific repolarization disturbance": 1,
                "significant st deviation": 2,
            },
        ),
        bands("Age", "age", (at_least(65, 2), between(45, 65, 1)), unit="years"),
        derived("Risk factors", (*RISK_FACTORS, "atherosclerotic_disease", "tia"), _risk_factors),
        by_choice(
            "Troponin",
            "troponin",
            {"≤ normal limit": 0, "1–3× normal limit": 1, "> 3× normal limit": 2},
        ),
    ),
    score_range=(0, 10),
    missing_convention="a risk factor that is not documented counts as absent; an undocumented "
    "ECG or troponin counts as normal (0 points); the history is required.",
)

register(TABLE)
