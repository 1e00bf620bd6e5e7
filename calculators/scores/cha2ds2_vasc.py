"""CHA2DS2-VASc score for stroke risk in atrial fibrillation (MedCalc-Bench ID 4)."""

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.criteria import (
    ScoreTable,
    age,
    at_least,
    bands,
    between,
    by_choice,
    choice,
    flag,
    if_true,
)
from calculators.registry import register

CITATION = (
    "Lip GYH, Nieuwlaat R, Pisters R, Lane DA, Crijns HJGM. Refining clinical risk stratification "
    "for predicting stroke and thromboembolism in atrial fibrillation using a novel risk "
    "factor-based approach: the Euro Heart Survey on Atrial Fibrillation. Chest. "
    "2010;137(2):263-272. doi:10.1378/chest.09-1584"
)

SEX = {"Female": ("f", "woman"), "Male": ("m", "man")}

TABLE = ScoreTable(
    info=CalculatorInfo(
        id=4,
        slug="cha2ds2_vasc",
        name="CHA2DS2-VASc Score for Atrial Fibrillation Stroke Risk",
        category=Category.RISK,
        output_kind=OutputKind.INTEGER,
        unit="points",
        citation=CITATION,
    ),
    inputs=(
        age(),
        choice("sex", "Sex", "sex", choices=SEX),
        flag(
            "chf",
            "Congestive heart failure",
            "Congestive Heart Failure",
            "Congestive Heart Faliure",
        ),
        flag("hypertension", "Hypertension", "Hypertension history", "Hypertension"),
        flag("stroke", "Prior stroke", "Stroke"),
        flag("tia", "Prior TIA", "Transient Ischemic Attacks History"),
        flag("thromboembolism", "Prior thromboembolism", "Thromboembolism history"),
        flag("vascular", "Vascular disease", "Vascular disease history"),
        flag("diabetes", "Diabetes mellitus", "Diabetes history", "Diabetes mellitus"),
    ),
    criteria=(
        bands("Age", "age", (at_least(75, 2), between(65, 75, 1)), unit="years"),
        by_choice("Sex category", "sex", {"Female": 1, "Male": 0}),
        if_true("Congestive heart failure", "chf"),
        if_true("Hypertension", "hypertension"),
        if_true("Stroke, TIA or thromboembolism", "stroke", "tia", "thromboembolism", points=2),
        if_true("Vascular disease (prior MI, PAD or aortic plaque)", "vascular"),
        if_true("Diabetes mellitus", "diabetes"),
    ),
    score_range=(0, 9),
    missing_convention="a history item that is not documented counts as absent (0 points).",
)

register(TABLE)
