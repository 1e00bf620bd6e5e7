"""Charlson Comorbidity Index, age-adjusted (MedCalc-Bench ID 32).

Comorbidity weights of Charlson et al. 1987 plus one point per decade from age 50 (Charlson et al.
1994), as MDCalc scores it: age < 50 0, 50–59 1, 60–69 2, 70–79 3, ≥ 80 4. Liver disease: mild 1,
moderate to severe 3; diabetes: uncomplicated 1, end-organ damage 2; solid tumour: localized 2,
metastatic 6.
"""

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
    "Charlson ME, Pompei P, Ales KL, MacKenzie CR. A new method of classifying prognostic "
    "comorbidity in longitudinal studies: development and validation. J Chronic Dis. "
    "1987;40(5):373-383. Age adjustment: Charlson M, Szatrowski TP, Peterson J, Gold J. "
    "Validation of a combined comorbidity index. J Clin Epidemiol. 1994;47(11):1245-1251."
)

LIVER = {
    "none": ("false", "no", "absent"),
    "mild": ("mild liver disease", "chronic hepatitis"),
    "moderate to severe": ("moderate", "severe", "moderate-severe", "cirrhosis"),
}
DIABETES = {
    "none or diet-controlled": ("none", "false", "no", "diet-controlled"),
    "uncomplicated": ("true",),
    "end-organ damage": ("end organ damage",),
}
TUMOR = {
    "none": ("false", "no"),
    "localized": ("true", "local"),
    "metastatic": ("metastases",),
}
CKD = {"no": ("false", "none", "mild"), "yes": ("true", "moderate", "severe", "moderate to severe")}

TABLE = ScoreTable(
    info=CalculatorInfo(
        id=32,
        slug="charlson",
        name="Charlson Comorbidity Index (CCI)",
        category=Category.RISK,
        output_kind=OutputKind.INTEGER,
        unit="points",
        citation=CITATION,
    ),
    inputs=(
        age(),
        flag("mi", "Myocardial infarction", "Myocardial infarction"),
        flag(
            "chf",
            "Congestive heart failure",
            "Congestive Heart Failure",
            "Congestive Heart Faliure",
        ),
        flag("pvd", "Peripheral vascular disease", "Peripheral vascular disease"),
        flag("cva", "Cerebrovascular accident", "Cerebrovascular Accident"),
        flag("tia", "Transient ischemic attack", "Transient Ischemic Attacks History"),
        flag("dementia", "Dementia", "Dementia"),
        flag(
            "copd",
            "Chronic pulmonary disease",
            "Chronic Pulmonary Disease",
            "Chronic Obstructive Pulmonary Disease",
        ),
        flag("connective_tissue", "Connective tissue disease", "Connective tissue disease"),
        flag("peptic_ulcer", "Peptic ulcer disease", "Peptic ulcer disease"),
        choice(
            "liver",
            "Liver disease",
            "Liver disease severity",
            choices=LIVER,
            default="none",
            default_note="not documented, assumed none",
        ),
        choice(
            "diabetes",
            "Diabetes mellitus",
            "Diabetes mellitus criteria for CCI rule",
            "Diabetes mellitus",
            choices=DIABETES,
            default="none or diet-controlled",
            default_note="not documented, assumed none",
        ),
        flag("hemiplegia", "Hemiplegia", "Hemiplegia"),
        choice(
            "ckd",
            "Moderate to severe CKD",
            "Moderate to severe Chronic Kidney Disease",
            choices=CKD,
            default="no",
            default_note="not documented, assumed absent",
        ),
        choice(
            "solid_tumor",
            "Solid tumor",
            "Solid tumor",
            choices=TUMOR,
            default="none",
            default_note="not documented, assumed none",
        ),
        flag("leukemia", "Leukemia", "Leukemia"),
        flag("lymphoma", "Lymphoma", "Lymphoma"),
        flag("aids", "AIDS", "AIDS"),
    ),
    criteria=(
        bands(
            "Age",
            "age",
            (at_least(80, 4), between(70, 80, 3), between(60, 70, 2), between(50, 60, 1)),
            unit="years",
        ),
        if_true("Myocardial infarction", "mi"),
        if_true("Congestive heart failure", "chf"),
        if_true("Peripheral vascular disease", "pvd"),
        if_true("Cerebrovascular accident or TIA", "cva", "tia"),
        if_true("Dementia", "dementia"),
        if_true("Chronic pulmonary disease", "copd"),
        if_true("Connective tissue disease", "connective_tissue"),
        if_true("Peptic ulcer disease", "peptic_ulcer"),
        by_choice("Liver disease", "liver", {"none": 0, "mild": 1, "moderate to severe": 3}),
        by_choice(
            "Diabetes mellitus",
            "diabetes",
            {"none or diet-controlled": 0, "uncomplicated": 1, "end-organ damage": 2},
        ),
        if_true("Hemiplegia", "hemiplegia", points=2),
        by_choice("Moderate to severe CKD", "ckd", {"no": 0, "yes": 2}),
        by_choice("Solid tumor", "solid_tumor", {"none": 0, "localized": 2, "metastatic": 6}),
        if_true("Leukemia", "leukemia", points=2),
        if_true("Lymphoma", "lymphoma", points=2),
        if_true("AIDS", "aids", points=6),
    ),
    score_range=(0, 37),
    missing_convention="a comorbidity that is not documented counts as absent (0 points).",
)

register(TABLE)
