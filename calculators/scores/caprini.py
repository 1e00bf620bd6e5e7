"""Caprini risk assessment model for venous thromboembolism, 2005 version (MedCalc-Bench ID 36).

Item weights of the 2005 form (Caprini 2005; MDCalc's "Caprini Score for Venous Thromboembolism
(2005)" lists the same items). "History of DVT/PE" is one item of 3 points: the benchmark records
a previous DVT and a previous PE under two keys, and either, or both, scores 3 once. BMI > 25 kg/m²
scores 1.
"""

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.criteria import (
    ScoreTable,
    above,
    age,
    at_least,
    bands,
    between,
    by_choice,
    choice,
    flag,
    if_true,
    quantity,
)
from calculators.registry import register

CITATION = (
    "Caprini JA. Thrombosis risk assessment as a guide to quality patient care. Dis Mon. "
    "2005;51(2-3):70-78. doi:10.1016/j.disamonth.2005.02.003"
)

SURGERY = {
    "none": ("no surgery", "false"),
    "minor": ("minor surgery",),
    "major": ("major surgery", "major >45 min", "major (>45 min)"),
    "laparoscopic": ("laparoscopic surgery", "laparoscopic >45 min"),
    "arthroscopic": ("arthroscopic surgery",),
    "elective major lower extremity arthroplasty": ("elective major lower-extremity arthroplasty",),
}
MOBILITY = {
    "normal": ("ambulatory", "normal/ambulatory"),
    "on bed rest": ("bed rest", "medical patient currently at bed rest"),
    "confined to bed >72 hours": ("confined to bed > 72 hours", "confined to bed >72h"),
}

TABLE = ScoreTable(
    info=CalculatorInfo(
        id=36,
        slug="caprini",
        name="Caprini Score for Venous Thromboembolism (2005)",
        category=Category.RISK,
        output_kind=OutputKind.INTEGER,
        unit="points",
        citation=CITATION,
    ),
    inputs=(
        age(),
        choice(
            "surgery",
            "Type of surgery",
            "Surgery Type",
            choices=SURGERY,
            default="none",
            default_note="not documented, assumed no surgery",
        ),
        flag("major_surgery_month", "Major surgery < 1 month", "Major Surgery in the last month"),
        flag("chf_month", "CHF < 1 month", "Congestive Heart Failure in the last month"),
        flag("sepsis_month", "Sepsis < 1 month", "Sepsis in the last month"),
        flag("pneumonia_month", "Pneumonia < 1 month", "Pneumonia in the last month"),
        flag(
            "cast_month",
            "Immobilizing plaster cast < 1 month",
            "Immobilizing plaster cast in the last month",
        ),
        flag(
            "fracture_month",
            "Hip, pelvis or leg fracture < 1 month",
            "Hip, pelvis, or leg fracture in the last month",
        ),
        flag("stroke_month", "Stroke < 1 month", "Stroke in the last month"),
        flag("trauma_month", "Multiple trauma < 1 month", "Multiple trauma in the last month"),
        flag(
            "spinal_cord_month",
            "Acute spinal cord injury < 1 month",
            "Acute spinal cord injury causing paralysis in the last month",
        ),
        flag("varicose_veins", "Varicose veins", "Varicose veins"),
        flag("swollen_legs", "Current swollen legs", "Current swollen legs"),
        flag(
            "central_venous_access",
            "Current central venous access",
            "Current central venous access",
        ),
        flag("previous_dvt", "History of DVT", "Previously documented Deep Vein Thrombosis"),
        flag("previous_pe", "History of PE", "Previously Documented Pulmonary Embolism"),
        flag("family_history", "Family history of thrombosis", "Family history of thrombosis"),
        flag("factor_v", "Factor V Leiden", "Positive Factor V Leiden"),
        flag("prothrombin", "Prothrombin 20210A", "Positive prothrombin 20210A"),
        flag("homocysteine", "Elevated serum homocysteine", "Elevated serum homocysteine"),
        flag("lupus_anticoagulant", "Lupus anticoagulant", "Positive lupus anticoagulant"),
        flag("anticardiolipin", "Anticardiolipin antibody", "Elevated anticardiolipin antibody"),
        flag("hit", "Heparin-induced thrombocytopenia", "Heparin-induced thrombocytopenia"),
        flag(
            "other_thrombophilia",
            "Other thrombophilia",
            "Other congenital or acquired thrombophilia",
        ),
        choice(
            "mobility",
            "Mobility",
            "Mobility",
            choices=MOBILITY,
            default="normal",
            default_note="not documented, assumed normal/ambulatory",
        ),
        flag("ibd", "Inflammatory bowel disease", "History of inflammatory bowel disease"),
        quantity(
            "bmi",
            "Body mass index",
            "Body Mass Index (BMI)",
            unit="kg/m²",
            dimension="bmi",
            bounds=(8.0, 120.0),
            default=None,
            default_note="not documented, assumed ≤ 25 kg/m²",
        ),
        flag("acute_mi", "Acute myocardial infarction", "Acute Myocardial infarction"),
        flag("copd", "COPD", "Chronic Obstructive Pulmonary Disease"),
        flag("malignancy", "Present or previous malignancy", "Present or previous malignancy"),
    ),
    criteria=(
        bands(
            "Age", "age", (at_least(75, 3), between(61, 75, 2), between(41, 61, 1)), unit="years"
        ),
        by_choice(
            "Type of surgery",
            "surgery",
            {
                "none": 0,
                "minor": 1,
                "major": 2,
                "laparoscopic": 2,
                "arthroscopic": 2,
                "elective major lower extremity arthroplasty": 5,
            },
        ),
        if_true("Major surgery in the last month", "major_surgery_month"),
        if_true("Congestive heart failure in the last month", "chf_month"),
        if_true("Sepsis in the last month", "sepsis_month"),
        if_true("Pneumonia in the last month", "pneumonia_month"),
        if_true("Immobilizing plaster cast in the last month", "cast_month", points=2),
        if_true("Hip, pelvis or leg fracture in the last month", "fracture_month", points=5),
        if_true("Stroke in the last month", "stroke_month", points=5),
        if_true("Multiple trauma in the last month", "trauma_month", points=5),
        if_true(
            "Acute spinal cord injury with paralysis in the last month",
            "spinal_cord_month",
            points=5,
        ),
        if_true("Varicose veins", "varicose_veins"),
        if_true("Current swollen legs", "swollen_legs"),
        if_true("Current central venous access", "central_venous_access", points=2),
        if_true("History of DVT/PE", "previous_dvt", "previous_pe", points=3),
        if_true("Family history of thrombosis", "family_history", points=3),
        if_true("Positive factor V Leiden", "factor_v", points=3),
        if_true("Positive prothrombin 20210A", "prothrombin", points=3),
        if_true("Elevated serum homocysteine", "homocysteine", points=3),
        if_true("Positive lupus anticoagulant", "lupus_anticoagulant", points=3),
        if_true("Elevated anticardiolipin antibody", "anticardiolipin", points=3),
        if_true("Heparin-induced thrombocytopenia", "hit", points=3),
        if_true("Other congenital or acquired thrombophilia", "other_thrombophilia", points=3),
        by_choice(
            "Mobility", "mobility", {"normal": 0, "on bed rest": 1, "confined to bed >72 hours": 2}
        ),
        if_true("History of inflammatory bowel disease", "ibd"),
        bands("BMI > 25 kg/m²", "bmi", (above(25, 1),), unit="kg/m²"),
        if_true("Acute myocardial infarction", "acute_mi"),
        if_true("COPD", "copd"),
        if_true("Present or previous malignancy", "malignancy", points=2),
    ),
    score_range=(0, 80),
    missing_convention="a risk factor that is not documented counts as absent (0 points).",
)

register(TABLE)
