"""Wells' criteria for deep vein thrombosis (MedCalc-Bench ID 16)."""

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.criteria import ScoreTable, flag, if_true
from calculators.registry import register

CITATION = (
    "Wells PS, Anderson DR, Rodger M, et al. Evaluation of D-dimer in the diagnosis of suspected "
    "deep-vein thrombosis. N Engl J Med. 2003;349(13):1227-1235. doi:10.1056/NEJMoa023153"
)

TABLE = ScoreTable(
    info=CalculatorInfo(
        id=16,
        slug="wells_dvt",
        name="Wells' Criteria for DVT",
        category=Category.RISK,
        output_kind=OutputKind.INTEGER,
        unit="points",
        citation=CITATION,
    ),
    inputs=(
        flag("active_cancer", "Active cancer", "Active cancer"),
        flag(
            "bedridden_or_surgery",
            "Bedridden > 3 days or major surgery ≤ 12 weeks",
            "Bedridden recently >3 days or major surgery within 12 weeks",
            "Bedridden recently >3 days",
            "Major surgery within 12 weeks",
        ),
        flag(
            "calf_swelling",
            "Calf swelling > 3 cm",
            "Calf swelling >3 centimeters compared to the other leg",
        ),
        flag(
            "collateral_veins",
            "Collateral superficial veins",
            "Collateral (nonvaricose) superficial veins present",
        ),
        flag("leg_swollen", "Entire leg swollen", "Entire Leg Swollen"),
        flag(
            "tenderness",
            "Localized tenderness along the deep veins",
            "Localized tenderness along the deep venous system",
        ),
        flag(
            "pitting_edema",
            "Pitting edema of the symptomatic leg",
            "Pitting edema, confined to symptomatic leg",
        ),
        flag(
            "paralysis",
            "Paralysis, paresis or recent cast",
            "Paralysis, paresis, or recent plaster immobilization of the lower extremity",
        ),
        flag("previous_dvt", "Previous DVT", "Previously documented Deep Vein Thrombosis"),
        flag(
            "alternative_diagnosis",
            "Alternative diagnosis as likely",
            "Alternative diagnosis to Deep Vein Thrombosis as likely or more likely",
        ),
    ),
    criteria=(
        if_true("Active cancer", "active_cancer"),
        if_true(
            "Bedridden recently > 3 days or major surgery within 12 weeks", "bedridden_or_surgery"
        ),
        if_true("Calf swelling > 3 cm compared with the other leg", "calf_swelling"),
        if_true("Collateral (nonvaricose) superficial veins", "collateral_veins"),
        if_true("Entire leg swollen", "leg_swollen"),
        if_true("Localized tenderness along the deep venous system", "tenderness"),
        if_true("Pitting edema confined to the symptomatic leg", "pitting_edema"),
        if_true("Paralysis, paresis or recent plaster immobilization of the leg", "paralysis"),
        if_true("Previously documented DVT", "previous_dvt"),
        if_true(
            "Alternative diagnosis at least as likely as DVT", "alternative_diagnosis", points=-2
        ),
    ),
    score_range=(-2, 9),
    missing_convention="a finding that is not documented counts as absent (0 points).",
)

register(TABLE)
