"""HAS-BLED score for major bleeding risk on anticoagulation (MedCalc-Bench ID 25)."""

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.criteria import ScoreTable, above, age, at_least, bands, flag, if_true, number
from calculators.registry import register

CITATION = (
    "Pisters R, Lane DA, Nieuwlaat R, de Vos CB, Crijns HJGM, Lip GYH. A novel user-friendly score "
    "(HAS-BLED) to assess 1-year risk of major bleeding in patients with atrial fibrillation: the "
    "Euro Heart Survey. Chest. 2010;138(5):1093-1100. doi:10.1378/chest.10-0134"
)

TABLE = ScoreTable(
    info=CalculatorInfo(
        id=25,
        slug="has_bled",
        name="HAS-BLED Score for Major Bleeding Risk",
        category=Category.RISK,
        output_kind=OutputKind.INTEGER,
        unit="points",
        citation=CITATION,
    ),
    inputs=(
        flag(
            "hypertension",
            "Hypertension (uncontrolled, SBP > 160)",
            "Hypertension history",
            "Hypertension",
        ),
        flag("renal", "Abnormal renal function", "Renal disease criteria for the HAS-BLED rule"),
        flag("liver", "Abnormal liver function", "Liver disease criteria for the HAS-BLED rule"),
        flag("stroke", "Stroke history", "Stroke"),
        flag(
            "bleeding",
            "Prior major bleeding or predisposition",
            "Prior major bleeding or predisposition to bleeding",
        ),
        flag("labile_inr", "Labile INR", "Labile international normalized ratio"),
        age(),
        flag(
            "drugs",
            "Medication predisposing to bleeding",
            "Medication usage predisposing to bleeding",
        ),
        number(
            "alcohol",
            "Alcoholic drinks per week",
            "Number of Alcoholic Drinks Per Week",
            bounds=(0, 200),
            default=0.0,
            default_note="not documented, assumed 0",
        ),
    ),
    criteria=(
        if_true("Hypertension", "hypertension"),
        if_true("Abnormal renal function", "renal"),
        if_true("Abnormal liver function", "liver"),
        if_true("Stroke", "stroke"),
        if_true("Bleeding history or predisposition", "bleeding"),
        if_true("Labile INR", "labile_inr"),
        bands("Elderly (age > 65)", "age", (above(65, 1),), unit="years"),
        if_true("Drugs predisposing to bleeding (antiplatelets, NSAIDs)", "drugs"),
        bands("Alcohol use (≥ 8 drinks/week)", "alcohol", (at_least(8, 1),), unit="drinks/week"),
    ),
    score_range=(0, 9),
    missing_convention="an item that is not documented counts as absent (0 points).",
)

register(TABLE)
