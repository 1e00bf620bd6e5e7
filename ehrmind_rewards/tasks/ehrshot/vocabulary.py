"""Codes used by the synthetic generator, with descriptions and (for measurements) units/values.

Descriptions are short paraphrases written for this project (not copied from code-system
releases). Diagnosis codes of the six new-diagnosis tasks appear here only in
:data:`DIAGNOSIS_CODES`; the background lists never contain a code of a task's concept set.
"""

from __future__ import annotations

BackgroundCode = tuple[str, str, str]
"""(code, description, OMOP table)."""

CONDITIONS: tuple[BackgroundCode, ...] = tuple(
    (f"ICD10CM/{code}", description, "condition_occurrence")
    for code, description in (
        ("E11.9", "Type 2 diabetes mellitus without complications"),
        ("J45.909", "Asthma, unspecified, uncomplicated"),
        ("J44.9", "Chronic obstructive pulmonary disease, unspecified"),
        ("N18.9", "Chronic kidney disease, unspecified"),
        ("K21.9", "Gastro-esophageal reflux disease without esophagitis"),
        ("M54.9", "Back pain, unspecified"),
        ("F32.9", "Major depressive disorder, single episode, unspecified"),
        ("F41.9", "Anxiety disorder, unspecified"),
        ("E66.9", "Obesity, unspecified"),
        ("I48.91", "Atrial fibrillation, unspecified"),
        ("I50.9", "Heart failure, unspecified"),
        ("J18.9", "Pneumonia, unspecified organism"),
        ("N39.0", "Urinary tract infection, site not specified"),
        ("R07.9", "Chest pain, unspecified"),
        ("E03.9", "Hypothyroidism, unspecified"),
        ("G47.33", "Obstructive sleep apnea"),
        ("M17.9", "Osteoarthritis of knee, unspecified"),
        ("R10.9", "Abdominal pain, unspecified"),
        ("D64.9", "Anemia, unspecified"),
        ("A41.9", "Sepsis, unspecified organism"),
        ("Z00.00", "General adult medical examination without abnormal findings"),
    )
)

PROCEDURES: tuple[BackgroundCode, ...] = tuple(
    (f"CPT4/{code}", description, "procedure_occurrence")
    for code, description in (
        ("99213", "Office visit, established patient"),
        ("80053", "Comprehensive metabolic panel"),
        ("85025", "Complete blood count with differential"),
        ("93000", "Electrocardiogram with interpretation"),
        ("36415", "Venous blood draw"),
        ("99232", "Subsequent hospital care"),
        ("74177", "CT of abdomen and pelvis with contrast"),
        ("93306", "Transthoracic echocardiography"),
        ("45378", "Diagnostic colonoscopy"),
        ("97110", "Therapeutic exercise"),
    )
)

CHEST_XRAY = ("CPT4/71045", "Chest X-ray, single view", "procedure_occurrence")

DRUGS: tuple[BackgroundCode, ...] = tuple(
    (f"RxNorm/{code}", description, "drug_exposure")
    for code, description in (
        ("6809", "metformin"),
        ("29046", "lisinopril"),
        ("83367", "atorvastatin"),
        ("17767", "amlodipine"),
        ("6918", "metoprolol"),
        ("7646", "omeprazole"),
        ("1191", "aspirin"),
        ("5224", "heparin"),
        ("4603", "furosemide"),
        ("161", "acetaminophen"),
        ("10582", "levothyroxine"),
        ("11124", "vancomycin"),
    )
)

Measurement = tuple[str, str, str, float, float, int]
"""(code, description, unit, mean, standard deviation, decimals)."""

MEASUREMENTS: tuple[Measurement, ...] = tuple(
    (f"LOINC/{code}", description, unit, mean, sd, decimals)
    for code, description, unit, mean, sd, decimals in (
        ("2160-0", "Creatinine, serum or plasma", "mg/dL", 1.0, 0.3, 2),
        ("6690-2", "Leukocytes, blood", "10*3/uL", 7.5, 2.5, 1),
        ("3094-0", "Urea nitrogen, serum or plasma", "mg/dL", 16.0, 6.0, 0),
        ("1742-6", "Alanine aminotransferase, serum or plasma", "U/L", 28.0, 12.0, 0),
        ("2075-0", "Chloride, serum or plasma", "mmol/L", 102.0, 3.0, 0),
        ("8867-4", "Heart rate", "/min", 78.0, 12.0, 0),
        ("8480-6", "Systolic blood pressure", "mm[Hg]", 128.0, 16.0, 0),
        ("8310-5", "Body temperature", "Cel", 36.8, 0.4, 1),
    )
)

TASK_LABS: dict[str, tuple[str, str, str]] = {
    "lab_thrombocytopenia": ("LOINC/777-3", "Platelets, blood, automated count", "10*3/uL"),
    "lab_hyperkalemia": ("LOINC/2823-3", "Potassium, serum or plasma", "mmol/L"),
    "lab_hypoglycemia": ("LOINC/2345-7", "Glucose, serum or plasma", "mg/dL"),
    "lab_hyponatremia": ("LOINC/2951-2", "Sodium, serum or plasma", "mmol/L"),
    "lab_anemia": ("LOINC/718-7", "Hemoglobin, blood", "g/dL"),
}
"""Lab task → (code, description, unit) of the measurement the generator records."""

DIAGNOSIS_CODES: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "new_hypertension": (
        ("SNOMED/59621000", "Essential hypertension"),
        ("ICD10CM/I10", "Essential (primary) hypertension"),
    ),
    "new_hyperlipidemia": (
        ("SNOMED/55822004", "Hyperlipidemia"),
        ("ICD10CM/E78.5", "Hyperlipidemia, unspecified"),
    ),
    "new_pancan": (
        ("SNOMED/372003004", "Primary malignant neoplasm of pancreas"),
        ("ICD10CM/C25.9", "Malignant neoplasm of pancreas, unspecified"),
    ),
    "new_celiac": (
        ("SNOMED/396331005", "Celiac disease"),
        ("ICD10CM/K90.0", "Celiac disease"),
    ),
    "new_lupus": (
        ("SNOMED/55464009", "Systemic lupus erythematosus"),
        ("ICD10CM/M32.9", "Systemic lupus erythematosus, unspecified"),
    ),
    "new_acutemi": (
        ("SNOMED/57054005", "Acute myocardial infarction"),
        ("ICD10CM/I21.9", "Acute myocardial infarction, unspecified"),
    ),
}
"""New-diagnosis task → its concept as a SNOMED code and as an ICD-10-CM code."""

VISITS: dict[str, str] = {
    "Visit/IP": "Inpatient visit",
    "Visit/ERIP": "Emergency room and inpatient visit",
    "Visit/OP": "Outpatient visit",
}

OTHER_CODES: dict[str, str] = {
    "MEDS_BIRTH": "Birth",
    "Gender/F": "Female",
    "Gender/M": "Male",
    "CARE_SITE/7928450": "Intensive care unit (care site; synthetic description)",
    "SYNTHETIC/CHEXPERT_REPORT": "Chest X-ray report findings (synthetic label carrier)",
}


def all_code_descriptions() -> dict[str, str]:
    """Every code the generator can emit → its description (for ``metadata/codes.parquet``)."""
    out: dict[str, str] = {}
    for code, description, _ in (*CONDITIONS, *PROCEDURES, CHEST_XRAY, *DRUGS):
        out[code] = description
    for code, description, *_ in MEASUREMENTS:
        out[code] = description
    for code, description, _ in TASK_LABS.values():
        out[code] = description
    for pair in DIAGNOSIS_CODES.values():
        out.update(dict(pair))
    out.update(VISITS)
    out.update(OTHER_CODES)
    return out
