"""What each MedCalc-Bench entity key means in a patient note: its spellings, unit and cues.

One :class:`Concept` per clinical idea, listing the dataset keys that carry it (all versions'
spellings, matched like :func:`calculators.entities.normalize_key`). A concept says how the
note writes it (``terms``; a term with a capital letter matches case-sensitively, so "PE" never
matches "pe"), which neighbouring words turn a term into another idea (``exclude_before``:
"*portal* hypertension" is not hypertension; ``exclude_after``: "creatinine *clearance*"), and,
for values, the unit comparisons are made in (a pint expression, with the
:mod:`calculators.units` analyte for mass ↔ molar ↔ mEq conversions), the plausible range in
that unit and how a number written without a unit is read (``bare``: (low, high, unit) — a
temperature of 98.6 is °F, of 38.3 °C).

Findings carry ``previous`` when the key means a past episode ("Previously documented
pulmonary embolism" — a PE diagnosed now is not one) and ``inverted`` when the key states an
absence ("Cough Absent"). ``class_terms`` are class words whose negation also denies the
finding ("has not required *vasopressors*" denies norepinephrine). ``check_omitted`` is false
for findings whose terms are too generic ("swelling") to say that a missing or false entity
contradicts the note. Keys with no concept here are reported as unchecked, never guessed.

>>> concept_for("Pre-operative creatinine").label
'creatinine'
>>> concept_for("Hypertension history").exclude_before[:2]
('portal', 'pulmonary')
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum

from calculators.entities import normalize_key


class Shape(StrEnum):
    """How an entity's value is looked for in the note."""

    QUANTITY = "quantity"
    """A number with a unit, compared in any equivalent unit."""
    NUMBER = "number"
    """A unitless number (pH, INR, GCS)."""
    FINDING = "finding"
    """A condition, finding or treatment: true, false, or a graded choice meaning present."""
    PRESENCE = "presence"
    """A test the entity grades (ECG, troponin, the operation): only whether the note has it."""
    DOSE = "dose"
    """A dose or dosing frequency next to a drug name (template notes)."""
    AGE = "age"
    SEX = "sex"
    DATE = "date"


@dataclass(frozen=True, slots=True)
class Concept:
    """One clinical idea and how a note writes it."""

    label: str
    shape: Shape
    keys: tuple[str, ...]
    terms: tuple[str, ...] = ()
    pair_terms: tuple[str, ...] = ()
    """Terms followed by an "a/b" pair ("blood pressure 128/73")."""
    pair_index: int = 0
    """Which number of the pair is this concept's (0: systolic, 1: diastolic)."""
    unit: str | None = None
    analyte: str | None = None
    bounds: tuple[float, float] | None = None
    bare: tuple[tuple[float, float, str], ...] = ()
    exclude_before: tuple[str, ...] = ()
    exclude_after: tuple[str, ...] = ()
    negative_terms: tuple[str, ...] = ()
    """Words that state the finding is absent ("afebrile", "normotensive")."""
    class_terms: tuple[str, ...] = ()
    previous: bool = False
    recent: bool = False
    """The key means a current or recent episode ("Stroke in the last month"): a mention
    qualified as past ("history of stroke", "in 2010") does not count."""
    inverted: bool = False
    check_omitted: bool = True
    fixed: tuple[tuple[str, float], ...] = ()
    """Terms that give a value by themselves ("room air": FiO₂ 21 %)."""
    absent_choices: tuple[str, ...] = ()
    """Choice spellings that mean "absent" (all others mean present)."""
    unknown_choices: tuple[str, ...] = ()
    """Choice spellings that say neither (not checked)."""
    drug: str = ""
    """For doses: which drug (matched in the note)."""
    per_day: bool = False
    """For doses: the number of doses a day, not the dose."""
    value_before: bool = False
    """The note may write the number first ("173 cm tall", "72 kg in weight")."""
    before_gap: tuple[str, ...] = ()
    """Words one of which must stand between a number written first and the term ("72 kg *in*
    weight"; "a 2.3 kg weight" is an object, not the patient's weight)."""
    derivable: tuple[str, ...] = ()
    """Terms from which the value can be worked out when no number is given (the eye, verbal
    and motor responses of a GCS)."""
    suffixes: tuple[str, ...] = ()
    """Word endings that also count as a term ("…ectomy", "…plasty" for an operation)."""
    support_terms: tuple[str, ...] = ()
    """Weaker evidence: supports a listed finding, never contradicts an absent one (coronary
    artery disease for "vascular disease"; a statin for hypercholesterolaemia)."""
    context: tuple[str, ...] = ()
    """Words one of which must occur in the sentence for a term to count ("pus" only about
    the tonsils or throat)."""
    specimen: str = ""
    """``"blood"``: terms in a sentence about urine are not this analyte; ``"urine"``: the
    ``urine_terms`` count only in such a sentence ("The urine studies revealed sodium 32")."""
    urine_terms: tuple[str, ...] = ()


def _t(spellings: str) -> tuple[str, ...]:
    """A tuple of spellings written as one ``|``-separated string."""
    return tuple(spellings.split("|"))


_CANCER = _t(
    "cancer|cancers|carcinoma|carcinomas|adenocarcinoma|malignancy|malignancies|malignant|tumor|"
    "tumour|tumors|tumours|neoplasm|neoplasia|neoplastic|metastatic|metastasis|metastases|"
    "lymphoma|leukemia|leukaemia|myeloma|sarcoma|melanoma|mesothelioma|glioblastoma|"
    "carcinomatosis|oncologic"
)
_NOT_CANCER = _t("benign|no|phyllodes")
_RELATIVES = _t(
    "family history|father|mother|brother|sister|sibling|siblings|parents|grandmother|"
    "grandfather|grandparent|aunt|uncle|cousin|son|daughter|paternal|maternal|relatives|relative"
)
_THROAT = _t(
    "tonsil|tonsils|tonsillar|pharynx|pharyngeal|oropharynx|oropharyngeal|throat|uvula|palate|"
    "pharyngitis|tonsillitis"
)
_CANCER_SUFFIXES = _t("carcinoma|sarcoma|blastoma")
"""Word endings of cancers ("hepatoblastoma", "adenocarcinoma", "liposarcoma")."""
_BLOOD_CANCERS = _t("lymphoma|leukemia|leukaemia|myeloma")
_SURGERY = _t(
    "surgery|surgeries|surgical|operation|operative|preoperative|pre-operative|postoperative|"
    "post-operative|postoperatively|operated|resection|resected|laparotomy|laparoscopy|"
    "laparoscopic|thoracotomy|craniotomy|arthroplasty|replacement|repair|bypass|endarterectomy|"
    "amputation|transplant|transplantation|cholecystectomy|appendectomy|colectomy|hysterectomy|"
    "mastectomy|nephrectomy|gastrectomy|esophagectomy|lobectomy|pneumonectomy|prostatectomy|"
    "hemicolectomy|pancreatectomy|splenectomy|thyroidectomy|cystectomy|hepatectomy|whipple|"
    "Whipple|CABG|procedure|fixation|osteotomy|fusion|laminectomy|discectomy|herniorrhaphy|"
    "caesarean|cesarean|sternotomy|anastomosis|excision|excised|underwent|thrombectomy|"
    "embolectomy|removal"
)
_STROKE = _t(
    "stroke|strokes|CVA|cerebrovascular accident|cerebral vascular accident|cerebral infarction|"
    "cerebral infarct|brain infarction|cerebellar infarction|lacunar infarct|lacunar infarcts|"
    "lacunar infarction|intracerebral hemorrhage|intracerebral haemorrhage|"
    "cerebrovascular disease|cerebral hemorrhage|cerebral haemorrhage|cerebrovascular event|"
    "cerebrovascular events|cerebrovascular insult|cerebral vascular event"
)
_TIA = _t(
    "transient ischemic attack|transient ischemic attacks|transient ischaemic attack|"
    "transient ischaemic attacks|TIA|TIAs"
)
_CHF = _t(
    "heart failure|cardiac failure|CHF|HFrEF|HFpEF|HF|cardiomyopathy|"
    "left ventricular dysfunction|LV dysfunction|ventricular systolic dysfunction|"
    "reduced ejection fraction|pulmonary edema|pulmonary oedema|cardiogenic shock"
)
_MI = _t(
    "myocardial infarction|myocardial infarctions|myocardial infarct|MI|STEMI|NSTEMI|"
    "heart attack|heart attacks"
)
_CAD = _t(
    "coronary artery disease|coronary heart disease|CAD|ischemic heart disease|"
    "ischaemic heart disease|IHD|angina|PCI|CABG|coronary artery bypass|percutaneous coronary|"
    "coronary stent|coronary stenting|stents|stent|angioplasty|triple-vessel disease|"
    "multivessel disease|acute coronary syndrome"
)
_PAD = _t(
    "peripheral arterial disease|peripheral artery disease|peripheral vascular disease|PAD|PVD|"
    "claudication|aortic plaque|aortic aneurysm|abdominal aortic aneurysm|atherosclerosis|"
    "atherosclerotic|carotid stenosis|carotid artery stenosis|carotid artery disease"
)
_LIVER = _t(
    "cirrhosis|cirrhotic|hepatitis|liver disease|hepatic disease|liver failure|hepatic failure|"
    "chronic liver|hepatic impairment|liver dysfunction|hepatic dysfunction|NASH|NAFLD|"
    "fatty liver|hepatic steatosis|esophageal varices|oesophageal varices|varices|"
    "portal hypertension|biliary atresia|biliary cholangitis|sclerosing cholangitis|"
    "hepatic encephalopathy|hepatocellular carcinoma|liver transplant|liver transplantation|"
    "hemochromatosis|Wilson|autoimmune hepatitis|hepatopathy"
)
_RENAL = _t(
    "chronic kidney disease|CKD|ESRD|ESKD|end-stage renal|end stage renal|end-stage kidney|"
    "renal failure|kidney failure|renal insufficiency|renal impairment|kidney disease|"
    "renal disease|nephropathy|dialysis|hemodialysis|haemodialysis|renal transplant|"
    "kidney transplant|renal transplantation|kidney transplantation|glomerulonephritis|nephrotic|"
    "polycystic kidney"
)
_DIALYSIS = _t(
    "dialysis|hemodialysis|haemodialysis|CVVHD|CVVH|CVVHDF|CRRT|continuous veno-venous|"
    "continuous venovenous|renal replacement therapy|HD"
)
_CONFUSION = _t(
    "confusion|confused|disoriented|disorientation|altered mental status|altered mental state|"
    "altered mentation|altered sensorium|AMS|obtunded|obtundation|lethargic|lethargy|somnolent|"
    "somnolence|stupor|stuporous|altered consciousness|decreased consciousness|"
    "level of consciousness|delirium|delirious|encephalopathy|unresponsive|drowsy|drowsiness|"
    "agitated|agitation|coma|comatose"
)
_DVT = _t(
    "deep vein thrombosis|deep venous thrombosis|deep-vein thrombosis|DVT|DVTs|"
    "venous thromboembolism|VTE|venous thrombosis"
)
_PE = _t(
    "pulmonary embolism|pulmonary embolus|pulmonary emboli|pulmonary thromboembolism|PE|PEs|"
    "venous thromboembolism|VTE"
)
_CONCEPTS: tuple[Concept, ...] = (
    # --- demographics ----------------------------------------------------------------------
    Concept("age", Shape.AGE, ("age",)),
    Concept("sex", Shape.SEX, ("sex", "gender")),
    # --- body size ---------------------------------------------------------------------------
    Concept(
        "height",
        Shape.QUANTITY,
        ("height", "target height"),
        terms=_t("height|tall|stature|body height|hight"),
        unit="cm",
        bounds=(40.0, 250.0),
        bare=((1.0, 2.5, "m"), (100.0, 230.0, "cm")),
        exclude_after=_t("percentile|centile|SDS"),
        value_before=True,
    ),
    Concept(
        "weight",
        Shape.QUANTITY,
        ("weight", "body weight"),
        terms=_t("weight|weighed|weighing|weighs|body weight|wt|Wt"),
        unit="kg",
        bounds=(0.3, 400.0),
        exclude_after=_t("gain|loss|bearing|percentile|centile|SDS"),
        exclude_before=_t("birth|ideal|dry|target|baseline|lost|gained"),
        value_before=True,
        before_gap=("in", "of"),
    ),
    Concept(
        "body mass index",
        Shape.QUANTITY,
        ("Body Mass Index (BMI)", "target BMI", "BMI"),
        terms=("body mass index", "BMI"),
        unit="kg/m^2",
        bounds=(8.0, 90.0),
        bare=((8.0, 90.0, "kg/m^2"),),
    ),
    # --- vital signs -------------------------------------------------------------------------
    Concept(
        "heart rate",
        Shape.QUANTITY,
        ("Heart Rate or Pulse", "heart rate"),
        terms=_t(
            "heart rate|HR|pulse|pulse rate|heart rates|tachycardic|tachycardia|bradycardic|"
            "bradycardia|ventricular rate"
        ),
        unit="1/min",
        bounds=(20.0, 260.0),
        bare=((20.0, 260.0, "/min"),),
        exclude_after=_t("oximetry|oximeter|pressure|ox|variability|deficit"),
    ),
    Concept(
        "respiratory rate",
        Shape.QUANTITY,
        ("respiratory rate",),
        terms=_t(
            "respiratory rate|respiration rate|respirations|respiration|RR|breathing rate|"
            "respiratory frequency|tachypneic|tachypnoeic|tachypnea|RespR"
        ),
        unit="1/min",
        bounds=(4.0, 80.0),
        bare=((4.0, 80.0, "/min"),),
        exclude_after=_t("interval|intervals|ratio"),
    ),
    Concept(
        "systolic blood pressure",
        Shape.QUANTITY,
        ("Systolic Blood Pressure",),
        terms=_t("systolic blood pressure|systolic BP|SBP|systolic pressure|systolic"),
        pair_terms=_t("blood pressure|BP|arterial pressure|blood pressures|B.P."),
        pair_index=0,
        unit="mmHg",
        bounds=(30.0, 300.0),
        bare=((30.0, 300.0, "mm hg"),),
        exclude_before=_t("pulmonary|mean|artery|wedge|ventricular"),
    ),
    Concept(
        "diastolic blood pressure",
        Shape.QUANTITY,
        ("Diastolic Blood Pressure",),
        terms=_t("diastolic blood pressure|diastolic BP|DBP|diastolic pressure|diastolic"),
        pair_terms=_t("blood pressure|BP|arterial pressure|blood pressures|B.P."),
        pair_index=1,
        unit="mmHg",
        bounds=(10.0, 200.0),
        bare=((10.0, 200.0, "mm hg"),),
        exclude_before=_t("pulmonary|mean|artery|wedge|ventricular"),
    ),
    Concept(
        "mean arterial pressure",
        Shape.QUANTITY,
        ("Mean arterial pressure",),
        terms=_t("mean arterial pressure|MAP|mean arterial blood pressure"),
        unit="mmHg",
        bounds=(20.0, 250.0),
        bare=((20.0, 250.0, "mm hg"),),
    ),
    Concept(
        "temperature",
        Shape.QUANTITY,
        ("Temperature",),
        terms=_t("temperature|temperatures|temp|Temp|T|Tmax|fever|fevers|febrile|pyrexia|pyrexial"),
        unit="degC",
        bounds=(25.0, 45.0),
        bare=((25.0, 45.0, "°c"), (77.0, 113.0, "°f")),
        exclude_after=("gradient",),
        exclude_before=("room", "skin"),
    ),
    Concept(
        "oxygen saturation",
        Shape.QUANTITY,
        ("O₂ saturation percentage", "O2 saturation percentage", "oxygen saturation"),
        terms=_t(
            "oxygen saturation|O2 saturation|O2 sat|O2 sats|SpO2|SaO2|SpO 2|saturation|"
            "saturations|saturating|sat|sats|pulse oximetry|oximetry"
        ),
        unit="percent",
        bounds=(30.0, 100.0),
        bare=((30.0, 100.0, "%"),),
        exclude_before=_t("venous|transferrin|mixed"),
    ),
    # --- blood gases and respiratory support ------------------------------------------------------
    Concept(
        "fraction of inspired oxygen",
        Shape.QUANTITY,
        ("FiO₂", "FiO2"),
        terms=_t(
            "FiO2|FIO2|Fio2|fio2|FiO 2|fraction of inspired oxygen|inspired oxygen fraction|"
            "inspired oxygen"
        ),
        unit="percent",
        bounds=(21.0, 100.0),
        bare=((21.0, 100.0, "%"),),
        fixed=(("room air", 21.0),),
    ),
    Concept(
        "partial pressure of oxygen",
        Shape.QUANTITY,
        (
            "PaO₂",
            "PaO2",
            "Partial pressure of oxygen",
            "Partial pressure of oxygen (PaO₂) for Apache II",
        ),
        terms=_t(
            "PaO2|PaO 2|Pao2|pO2|PO2|pO 2|partial pressure of oxygen|arterial oxygen tension|"
            "oxygen tension|arterial oxygen pressure"
        ),
        unit="mmHg",
        bounds=(15.0, 700.0),
        bare=((15.0, 700.0, "mm hg"),),
    ),
    Concept(
        "partial pressure of carbon dioxide",
        Shape.QUANTITY,
        ("PaCO₂", "PaCO2"),
        terms=_t("PaCO2|PaCO 2|Paco2|pCO2|PCO2|pCO 2|partial pressure of carbon dioxide"),
        unit="mmHg",
        bounds=(5.0, 200.0),
        bare=((5.0, 200.0, "mm hg"),),
    ),
    Concept(
        "A-a gradient",
        Shape.NUMBER,
        ("A-a gradient",),
        terms=_t("A-a gradient|A-a|Aa gradient|alveolar-arterial gradient|A-a O2 gradient"),
        bounds=(0.0, 700.0),
    ),
    Concept(
        "pH",
        Shape.NUMBER,
        ("pH",),
        terms=("pH", "PH"),
        bounds=(6.5, 8.0),
        exclude_before=_t("urine|urinary|gastric|stool|fluid|pleural|CSF|vaginal"),
    ),
    Concept(
        "mechanical ventilation",
        Shape.FINDING,
        ("On mechanical ventilation",),
        terms=_t(
            "mechanical ventilation|mechanically ventilated|ventilator|ventilated|intubated|"
            "intubation|endotracheal|invasive ventilation|ventilatory support|"
            "mechanical ventilatory"
        ),
        exclude_before=_t("non|noninvasive|non-invasive|bag|bag-mask"),
    ),
    Concept(
        "continuous positive airway pressure",
        Shape.FINDING,
        ("Continous positive airway pressure", "Continuous positive airway pressure"),
        terms=_t(
            "CPAP|continuous positive airway pressure|BiPAP|BIPAP|NIV|non-invasive ventilation|"
            "noninvasive ventilation|non-invasive positive pressure|"
            "noninvasive positive pressure|NIPPV"
        ),
    ),
    # --- laboratory values -------------------------------------------------------------------
    Concept(
        "creatinine",
        Shape.QUANTITY,
        ("creatinine", "Pre-operative creatinine", "serum creatinine"),
        terms=_t(
            "creatinine|Cr|SCr|sCr|Scr|Creat|creat|serum creatinine|creatinine level|creatininemia"
        ),
        unit="mg/dL",
        analyte="creatinine",
        bounds=(0.1, 30.0),
        bare=((0.1, 20.0, "mg/dl"), (30.0, 2500.0, "µmol/l")),
        exclude_before=_t("urine|urinary|spot|CSF|fluid|24-hour|24-h|peritoneal"),
        exclude_after=_t("clearance|kinase|ratio|phosphokinase|excretion|clearances"),
        specimen="blood",
    ),
    Concept(
        "urine creatinine",
        Shape.QUANTITY,
        ("Urine creatinine",),
        terms=_t("urine creatinine|urinary creatinine|urine Cr|UCr|spot urine creatinine"),
        specimen="urine",
        urine_terms=_t("creatinine|Cr|creat"),
        unit="mg/dL",
        analyte="creatinine",
        bounds=(1.0, 1000.0),
        bare=((1.0, 1000.0, "mg/dl"),),
    ),
    Concept(
        "blood urea nitrogen",
        Shape.QUANTITY,
        ("Blood Urea Nitrogen (BUN)", "BUN"),
        terms=_t("blood urea nitrogen|BUN|urea nitrogen|urea|Urea|serum urea|blood urea"),
        unit="mg/dL",
        analyte="urea_nitrogen",
        bounds=(0.5, 300.0),
        exclude_before=("urine", "urinary"),
        exclude_after=("breath", "cycle"),
    ),
    Concept(
        "sodium",
        Shape.QUANTITY,
        ("Sodium",),
        terms=_t(
            "sodium|Na|Na+|serum sodium|natremia|sodium level|hyponatremia|hyponatraemia|"
            "hypernatremia|hypernatraemia"
        ),
        unit="mmol/L",
        analyte="sodium",
        bounds=(95.0, 200.0),
        bare=((95.0, 200.0, "mmol/l"),),
        exclude_before=_t("urine|urinary|spot|low|fractional"),
        exclude_after=_t(
            "bicarbonate|chloride|valproate|phosphate|citrate|nitroprusside|polystyrene|"
            "restriction|intake|diet|excretion|channel|hydroxide|thiosulfate|lactate"
        ),
        specimen="blood",
    ),
    Concept(
        "urine sodium",
        Shape.QUANTITY,
        ("Urine sodium",),
        terms=_t("urine sodium|urinary sodium|urine Na|UNa|urine Na+|spot urine sodium"),
        specimen="urine",
        urine_terms=_t("sodium|Na|Na+"),
        unit="mmol/L",
        analyte="sodium",
        bounds=(1.0, 400.0),
        bare=((1.0, 400.0, "mmol/l"),),
    ),
    Concept(
        "potassium",
        Shape.QUANTITY,
        ("Potassium",),
        terms=_t(
            "potassium|K|K+|serum potassium|kalemia|hypokalemia|hypokalaemia|hyperkalemia|"
            "hyperkalaemia"
        ),
        unit="mmol/L",
        analyte="potassium",
        bounds=(1.0, 10.0),
        bare=((1.0, 10.0, "mmol/l"),),
        exclude_before=_t("urine|urinary|spot"),
        exclude_after=_t("chloride|citrate|supplementation|supplements|supplement|binder"),
        specimen="blood",
    ),
    Concept(
        "chloride",
        Shape.QUANTITY,
        ("Chloride",),
        terms=_t("chloride|Cl|Cl-|serum chloride|hypochloremia|hyperchloremia"),
        unit="mmol/L",
        analyte="chloride",
        bounds=(50.0, 160.0),
        bare=((50.0, 160.0, "mmol/l"),),
        exclude_before=_t("sodium|potassium|calcium|ammonium|urine|urinary|magnesium"),
        specimen="blood",
    ),
    Concept(
        "bicarbonate",
        Shape.QUANTITY,
        ("Bicarbonate", "HCO3"),
        terms=_t(
            "bicarbonate|HCO3|HCO3-|HCO 3|bicarb|total CO2|CO2|TCO2|tCO2|serum CO2|"
            "carbon dioxide|serum bicarbonate|bicarbonate level"
        ),
        unit="mmol/L",
        analyte="bicarbonate",
        bounds=(1.0, 60.0),
        bare=((1.0, 60.0, "mmol/l"),),
        exclude_before=_t("sodium|urine|urinary|end-tidal|tidal|standard|potassium"),
        exclude_after=_t("infusion|drip|therapy|tablets"),
    ),
    Concept(
        "albumin",
        Shape.QUANTITY,
        ("Albumin",),
        terms=_t("albumin|Alb|serum albumin|albumin level|hypoalbuminemia|hypoalbuminaemia"),
        unit="g/dL",
        analyte="albumin",
        bounds=(0.5, 7.0),
        bare=((0.5, 7.0, "g/dl"), (10.0, 60.0, "g/l")),
        exclude_before=_t("urine|urinary|micro|ascites|serum-ascites|fluid|CSF|pleural"),
        exclude_after=_t("gradient|creatinine|ratio|infusion|infusions|excretion"),
        specimen="blood",
    ),
    Concept(
        "calcium",
        Shape.QUANTITY,
        ("Calcium",),
        terms=_t("calcium|Ca|Ca2+|Ca++|serum calcium|total calcium|calcium level"),
        unit="mg/dL",
        analyte="calcium",
        bounds=(3.0, 20.0),
        bare=((3.0, 20.0, "mg/dl"), (0.8, 3.5, "mmol/l")),
        exclude_before=_t("ionized|ionised|urine|urinary|coronary|corrected"),
        exclude_after=_t(
            "channel|carbonate|gluconate|oxalate|score|supplement|supplements|supplementation|"
            "ionized|ionised|blocker|blockers|chloride|citrate|antagonist|deposits"
        ),
    ),
    Concept(
        "glucose",
        Shape.QUANTITY,
        ("Glucose",),
        terms=_t(
            "glucose|blood glucose|serum glucose|blood sugar|sugar|glycemia|glycaemia|BG|"
            "plasma glucose|glucose level|hyperglycemia|hyperglycaemia|hypoglycemia|"
            "hypoglycaemia|euglycemia|euglycaemia"
        ),
        unit="mg/dL",
        analyte="glucose",
        bounds=(10.0, 3000.0),
        exclude_before=_t("urine|urinary|CSF|fluid|pleural|dextrose"),
        exclude_after=_t("tolerance|infusion|absent|negative"),
        specimen="blood",
    ),
    Concept(
        "insulin",
        Shape.QUANTITY,
        ("Insulin",),
        terms=_t("insulin|fasting insulin|serum insulin|insulin level"),
        unit="µIU/mL",
        analyte="insulin",
        bounds=(0.1, 1000.0),
        bare=((0.1, 1000.0, "µiu/ml"),),
    ),
    Concept(
        "hemoglobin",
        Shape.QUANTITY,
        ("Hemoglobin",),
        terms=_t("hemoglobin|haemoglobin|Hb|Hgb|HGB|HB|Hemoglobin"),
        unit="g/dL",
        analyte="hemoglobin",
        bounds=(1.0, 25.0),
        bare=((1.0, 25.0, "g/dl"),),
        exclude_before=_t("glycated|glycosylated|mean|corpuscular|urine|free|fetal"),
        exclude_after=_t("A1c|A1C|a1c|electrophoresis|S|SS|H|A1"),
    ),
    Concept(
        "hematocrit",
        Shape.QUANTITY,
        ("Hematocrit",),
        terms=_t("hematocrit|haematocrit|Hct|HCT|PCV|packed cell volume"),
        unit="percent",
        bounds=(5.0, 80.0),
        bare=((5.0, 80.0, "%"),),
    ),
    Concept(
        "white blood cell count",
        Shape.QUANTITY,
        ("White blood cell count", "WBC"),
        terms=_t(
            "white blood cell|white blood cells|white blood cell count|white cell count|"
            "white cells|white count|WBC|WBCs|WCC|leukocyte|leukocytes|leucocyte|leucocytes|"
            "leukocyte count|leukocytosis|leukopenia|TLC|total leukocyte count|TWBC"
        ),
        unit="1/µL",
        bounds=(100.0, 500_000.0),
        bare=((0.1, 500.0, "k/µl"), (500.0, 500_000.0, "/µl")),
        exclude_before=_t("urine|urinary|CSF|ascitic|pleural|peritoneal|fluid|stool"),
        exclude_after=_t("casts|cast|esterase"),
    ),
    Concept(
        "platelet count",
        Shape.QUANTITY,
        ("Platelet count", "platelets"),
        terms=_t(
            "platelet|platelets|platelet count|PLT|Plt|PLTs|thrombocytes|thrombocytopenia|"
            "thrombocytosis"
        ),
        unit="1/µL",
        bounds=(1000.0, 3_000_000.0),
        bare=((1.0, 2000.0, "k/µl"), (2000.0, 3_000_000.0, "/µl")),
        exclude_after=_t("transfusion|transfusions|aggregation|units|unit"),
    ),
    Concept(
        "aspartate aminotransferase",
        Shape.QUANTITY,
        ("Aspartate aminotransferase", "AST"),
        terms=_t(
            "aspartate aminotransferase|aspartate transaminase|aspartate amino transferase|AST|"
            "SGOT|GOT|AST/ALT"
        ),
        unit="U/L",
        bounds=(1.0, 50_000.0),
        bare=((1.0, 50_000.0, "u/l"),),
    ),
    Concept(
        "alanine aminotransferase",
        Shape.QUANTITY,
        ("Alanine aminotransferase", "ALT"),
        terms=_t(
            "alanine aminotransferase|alanine transaminase|alanine amino transferase|ALT|SGPT|GPT"
        ),
        unit="U/L",
        bounds=(1.0, 50_000.0),
        bare=((1.0, 50_000.0, "u/l"),),
    ),
    Concept(
        "bilirubin",
        Shape.QUANTITY,
        ("Bilirubin",),
        terms=_t(
            "bilirubin|total bilirubin|T. bili|Tbil|TBil|TBIL|T-bil|T.bil|bili|serum bilirubin|"
            "hyperbilirubinemia|bilirubin level"
        ),
        unit="mg/dL",
        analyte="bilirubin",
        bounds=(0.05, 80.0),
        bare=((0.05, 15.0, "mg/dl"), (50.0, 1300.0, "µmol/l")),
        exclude_before=_t("direct|conjugated|indirect|unconjugated|D|urine|urinary"),
    ),
    Concept(
        "international normalized ratio",
        Shape.NUMBER,
        ("international normalized ratio", "INR"),
        terms=_t("INR|international normalized ratio|international normalised ratio|PT-INR"),
        bounds=(0.5, 20.0),
    ),
    Concept(
        "total cholesterol",
        Shape.QUANTITY,
        ("Total cholesterol",),
        terms=_t("total cholesterol|cholesterol|TC|serum cholesterol|T-Chol|TCHOL"),
        unit="mg/dL",
        analyte="cholesterol",
        bounds=(50.0, 1000.0),
        bare=((50.0, 1000.0, "mg/dl"), (1.0, 26.0, "mmol/l")),
        exclude_before=_t(
            "HDL|LDL|VLDL|high-density|low-density|non-HDL|lipoprotein|high|elevated|density"
        ),
        exclude_after=_t("lowering|crystals|emboli|embolism"),
    ),
    Concept(
        "HDL cholesterol",
        Shape.QUANTITY,
        ("high-density lipoprotein cholesterol", "HDL cholesterol"),
        terms=_t(
            "HDL|HDL-C|HDL cholesterol|high-density lipoprotein|high density lipoprotein|"
            "high-density lipoprotein cholesterol"
        ),
        unit="mg/dL",
        analyte="cholesterol",
        bounds=(5.0, 250.0),
        bare=((5.0, 250.0, "mg/dl"), (0.1, 5.0, "mmol/l")),
        exclude_before=("non", "non-"),
    ),
    Concept(
        "triglycerides",
        Shape.QUANTITY,
        ("Triglycerides",),
        terms=_t("triglycerides|triglyceride|TG|TGs|triacylglycerol|TAG|serum triglycerides"),
        unit="mg/dL",
        analyte="triglycerides",
        bounds=(10.0, 20000.0),
        bare=((20.0, 20000.0, "mg/dl"), (0.1, 19.0, "mmol/l")),
    ),
    Concept(
        "QT interval",
        Shape.QUANTITY,
        ("QT interval", "QT Interval"),
        terms=_t("QT interval|QT|QT-interval"),
        unit="ms",
        bounds=(150.0, 800.0),
        bare=((150.0, 800.0, "ms"),),
    ),
    Concept(
        "urine output",
        Shape.QUANTITY,
        ("Urine Output",),
        terms=_t(
            "urine output|urinary output|UOP|urine volume|diuresis|urine production|"
            "output of urine|oliguria|anuria"
        ),
        unit="mL/day",
        bounds=(0.0, 20_000.0),
    ),
    Concept(
        "norepinephrine",
        Shape.QUANTITY,
        ("norEPINEPHrine", "norepinephrine"),
        terms=_t("norepinephrine|noradrenaline|Levophed|levophed|norepi|NE"),
        unit="µg/kg/min",
        bounds=(0.0, 10.0),
        class_terms=_t(
            "vasopressor|vasopressors|pressor|pressors|vasoactive|inotropes|catecholamines"
        ),
    ),
    Concept(
        "epinephrine",
        Shape.QUANTITY,
        ("EPINEPHrine", "epinephrine"),
        terms=_t("epinephrine|adrenaline|epi"),
        unit="µg/kg/min",
        bounds=(0.0, 10.0),
        class_terms=_t(
            "vasopressor|vasopressors|pressor|pressors|vasoactive|inotropes|catecholamines"
        ),
        exclude_before=_t("racemic|nebulized|lidocaine|with"),
    ),
    Concept(
        "dopamine",
        Shape.QUANTITY,
        ("DOPamine", "dopamine"),
        terms=("dopamine",),
        unit="µg/kg/min",
        bounds=(0.0, 50.0),
        class_terms=_t(
            "vasopressor|vasopressors|pressor|pressors|vasoactive|inotropes|inotropic|"
            "catecholamines"
        ),
        exclude_after=_t("agonist|agonists|antagonist|antagonists|transporter"),
    ),
    Concept(
        "dobutamine",
        Shape.QUANTITY,
        ("DOBUTamine", "dobutamine"),
        terms=("dobutamine",),
        unit="µg/kg/min",
        bounds=(0.0, 50.0),
        class_terms=_t("inotropes|inotrope|inotropic|vasoactive|catecholamines"),
        exclude_after=_t("stress|echocardiography|echo"),
    ),
    Concept(
        "Glasgow Coma Score",
        Shape.NUMBER,
        ("Glasgow Coma Score",),
        terms=_t(
            "GCS|Glasgow Coma Scale|Glasgow Coma Score|Glasgow coma scale|Glasgow coma score|"
            "Glasgow Coma Scale score|Glasgow"
        ),
        bounds=(3.0, 15.0),
        derivable=_t(
            "eye opening|eyes open|opens eyes|opens his eyes|opens her eyes|eye movements|verbal|"
            "confused|oriented|disoriented|localizes|localized pain|localizing|obeys|withdraws|"
            "withdrawal|alert|unresponsive|flexion|extension|eye response|inappropriate|"
            "incomprehensible|withdraws|withdrawls|withdrawal|motor response|verbal response"
        ),
    ),
    Concept(
        "cycle length",
        Shape.NUMBER,
        ("cycle length",),
        terms=_t("cycle length|cycle|cycles"),
        bounds=(15.0, 60.0),
    ),
    # Values no calculator reads, known so that a number of theirs is never taken for another
    # analyte's ("its 148 is the LDL cholesterol").
    *(
        Concept(label, Shape.NUMBER, (f"{label} (not an input)",), terms=terms)
        for label, terms in (
            (
                "LDL cholesterol",
                ("LDL", "LDL-C", "low-density lipoprotein", "low density lipoprotein"),
            ),
            ("C-reactive protein", ("CRP", "C-reactive protein", "C reactive protein")),
            ("lactate", ("lactate", "lactic acid")),
            ("magnesium", ("magnesium", "Mg")),
            ("phosphate", ("phosphate", "phosphorus", "P")),
            ("uric acid", ("uric acid", "urate")),
            ("alkaline phosphatase", ("alkaline phosphatase", "ALP")),
            ("gamma-glutamyl transferase", ("GGT", "gamma-glutamyl transferase", "γ-GTP")),
            ("lactate dehydrogenase", ("LDH", "lactate dehydrogenase")),
            ("creatine kinase", ("CK", "creatine kinase", "CPK", "creatine phosphokinase")),
            ("hemoglobin A1c", ("HbA1c", "hemoglobin A1c", "A1c")),
            ("neutrophils", ("neutrophils", "neutrophil", "lymphocytes", "monocytes")),
            ("ferritin", ("ferritin",)),
            ("amylase", ("amylase", "lipase")),
        )
    ),
    Concept("last menstrual date", Shape.DATE, ("Last menstrual date", "LMP")),
    Concept("current date", Shape.DATE, ("Current Date",)),
    # --- tests whose result the entity grades ----------------------------------------------------
    Concept(
        "electrocardiogram",
        Shape.PRESENCE,
        ("Electrocardiogram Test",),
        terms=_t(
            "ECG|ECGs|EKG|EKGs|electrocardiogram|electrocardiograms|electrocardiography|"
            "electrocardiographic|12-lead|ST|telemetry"
        ),
    ),
    Concept(
        "troponin",
        Shape.PRESENCE,
        ("Initial troponin",),
        terms=_t(
            "troponin|troponins|troponinI|troponinT|troponin-I|troponin-T|TnI|TnT|hs-TnT|hs-TnI|"
            "hsTnT|hsTnI|cTnI|cTnT|hs-cTnT|hs-cTnI|cardiac enzymes|cardiac biomarkers|"
            "cardiac markers|TroponinT|TroponinI|hs-TroponinT|hs-TroponinI"
        ),
    ),
    Concept(
        "type of surgery",
        Shape.PRESENCE,
        ("Elevated-risk surgery",),
        terms=(*_SURGERY, "biopsy", "biopsies", "lumpectomy", "excisional"),
        suffixes=_t("ectomy|otomy|ostomy|plasty|pexy|orrhaphy"),
    ),
    # --- conditions and findings -----------------------------------------------------------------
    Concept(
        "hypertension",
        Shape.FINDING,
        ("Hypertension history", "Hypertension", "Blood pressure being treated with medicines"),
        terms=_t(
            "hypertension|hypertensive|HTN|high blood pressure|elevated blood pressure|"
            "antihypertensive|antihypertensives|anti-hypertensive"
        ),
        exclude_before=_t(
            "portal|pulmonary|intracranial|ocular|intra-abdominal|venous|gestational|induced|"
            "intraabdominal"
        ),
    ),
    Concept(
        "congestive heart failure",
        Shape.FINDING,
        (
            "Congestive Heart Faliure",
            "Congestive Heart Failure",
            "Congestive Heart Failure criteria for the Cardiac Risk Index rule",
            "Cardiac failure present",
        ),
        terms=_CHF,
        exclude_before=("no",),
    ),
    Concept(
        "stroke",
        Shape.FINDING,
        ("Stroke", "Cerebrovascular Accident"),
        terms=_STROKE,
        exclude_before=("heat", "sun"),
        exclude_after=_t("volume|index|prevention|risk|unit"),
    ),
    Concept(
        "transient ischemic attack",
        Shape.FINDING,
        ("Transient Ischemic Attacks History",),
        terms=_TIA,
    ),
    Concept(
        "cerebrovascular disease",
        Shape.FINDING,
        ("Cerebrovascular disease history", "History of cerebrovascular disease"),
        terms=(*_STROKE, *_TIA),
        exclude_before=("heat", "sun"),
        exclude_after=_t("volume|index|prevention|risk|unit"),
    ),
    Concept(
        "thromboembolism",
        Shape.FINDING,
        ("Thromboembolism history",),
        terms=(
            "thromboembolism",
            "thromboembolic",
            "embolism",
            "embolic",
            "emboli",
            "embolus",
            "thrombosis",
            *_DVT,
            *_PE,
        ),
        exclude_before=_t(
            "portal|vein|mesenteric|splenic|catheter|sinus|stent|graft|hemorrhoidal|superficial|"
            "venous"
        ),
    ),
    Concept(
        "vascular disease",
        Shape.FINDING,
        ("Vascular disease history",),
        terms=(*_MI, *_PAD),
        support_terms=(*_CAD, "coronary arterial disease", "coronary disease"),
    ),
    Concept(
        "diabetes",
        Shape.FINDING,
        ("Diabetes history", "Diabetes mellitus", "Diabetes mellitus criteria for CCI rule"),
        terms=_t(
            "diabetes|diabetic|diabetics|DM|T2DM|T1DM|T2D|DM2|IDDM|NIDDM|diabetes mellitus|"
            "metformin|glipizide|glyburide|glibenclamide|gliclazide|glimepiride|sitagliptin|"
            "linagliptin|saxagliptin|vildagliptin|dapagliflozin|empagliflozin|canagliflozin|"
            "liraglutide|semaglutide|dulaglutide|exenatide|pioglitazone"
        ),
        exclude_before=_t("gestational|pre|induced"),
        exclude_after=("insipidus",),
        absent_choices=("none or diet-controlled",),
    ),
    Concept(
        "pre-operative insulin",
        Shape.FINDING,
        ("Pre-operative treatment with insulin",),
        terms=_t(
            "insulin|insulin-dependent|IDDM|glargine|lispro|aspart|detemir|degludec|NPH|Lantus|"
            "Humalog|Novolog|Levemir"
        ),
        exclude_after=_t(
            "resistance|like|levels|level|sensitivity|secretion|growth|tolerance|autoantibodies|"
            "antibodies"
        ),
    ),
    Concept(
        "hypercholesterolemia",
        Shape.FINDING,
        ("hypercholesterolemia",),
        terms=_t(
            "hypercholesterolemia|hypercholesterolaemia|hyperlipidemia|hyperlipidaemia|"
            "dyslipidemia|dyslipidaemia|high cholesterol|elevated cholesterol|"
            "hyperlipoproteinemia|hypertriglyceridemia|statin|statins|atorvastatin|simvastatin|"
            "rosuvastatin|pravastatin|lovastatin|pitavastatin|fluvastatin|ezetimibe|"
            "lipid-lowering"
        ),
    ),
    Concept(
        "obesity",
        Shape.FINDING,
        ("obesity",),
        terms=_t("obesity|obese|morbidly obese|morbid obesity|bariatric"),
    ),
    Concept(
        "smoking",
        Shape.FINDING,
        ("smoking", "Smoker"),
        terms=_t(
            "smoker|smokers|smokes|smoking|smoked|cigarette|cigarettes|tobacco|pack-year|"
            "pack-years|pack year|pack years|cigars"
        ),
    ),
    Concept(
        "family history of premature cardiovascular disease",
        Shape.FINDING,
        ("parent or sibling with Cardiovascular disease before age 65",),
        terms=_RELATIVES,
        check_omitted=False,
    ),
    Concept(
        "atherosclerotic disease",
        Shape.FINDING,
        ("atherosclerotic disease",),
        terms=(*_MI, *_CAD, *_PAD, *_STROKE, *_TIA),
        exclude_after=_t("volume|index|prevention|risk|unit"),
        check_omitted=False,
    ),
    Concept(
        "ischemic heart disease",
        Shape.FINDING,
        ("History of ischemic heart disease",),
        terms=(*_MI, *_CAD, "nitroglycerin", "nitrates", "Q waves"),
    ),
    Concept(
        "myocardial infarction",
        Shape.FINDING,
        ("Myocardial infarction",),
        terms=_MI,
    ),
    Concept(
        "recent congestive heart failure",
        Shape.FINDING,
        ("Congestive Heart Failure in the last month",),
        terms=_CHF,
        recent=True,
    ),
    Concept(
        "recent stroke",
        Shape.FINDING,
        ("Stroke in the last month",),
        terms=_STROKE,
        exclude_before=("heat", "sun"),
        exclude_after=_t("volume|index|prevention|risk|unit"),
        recent=True,
    ),
    Concept(
        "acute myocardial infarction",
        Shape.FINDING,
        ("Acute Myocardial infarction",),
        terms=_MI,
        recent=True,
    ),
    Concept(
        "peripheral vascular disease",
        Shape.FINDING,
        ("Peripheral vascular disease",),
        terms=_PAD,
    ),
    Concept(
        "liver disease",
        Shape.FINDING,
        (
            "Hepatic disease history",
            "Liver disease criteria for the HAS-BLED rule",
            "Liver disease history",
            "Liver disease severity",
        ),
        terms=_LIVER,
        absent_choices=("none", "absent"),
    ),
    Concept(
        "renal disease",
        Shape.FINDING,
        (
            "Renal disease criteria for the HAS-BLED rule",
            "Renal disease",
            "Renal disease history",
            "Moderate to severe Chronic Kidney Disease",
            "Chronic Renal Failure",
        ),
        terms=_RENAL,
        exclude_before=("acute",),
        absent_choices=("none", "absent"),
    ),
    Concept(
        "acute renal failure",
        Shape.FINDING,
        ("Acute renal failure",),
        terms=_t(
            "acute renal failure|acute kidney injury|AKI|ARF|acute renal injury|"
            "acute tubular necrosis|ATN|acute renal insufficiency|acute kidney failure"
        ),
    ),
    Concept(
        "dialysis",
        Shape.FINDING,
        (
            "Dialysis at least twice in the past week",
            "Continuous veno-venous hemodialysis for ≥24 hours in the past week",
        ),
        terms=_DIALYSIS,
    ),
    Concept(
        "prior major bleeding",
        Shape.FINDING,
        ("Prior major bleeding or predisposition to bleeding",),
        terms=_t(
            "bleeding|bleed|bleeds|hemorrhage|haemorrhage|hematemesis|melena|hematochezia|"
            "coagulopathy|hemophilia|thrombocytopenia|anemia|anaemia"
        ),
        check_omitted=False,
    ),
    Concept(
        "labile INR",
        Shape.FINDING,
        ("Labile international normalized ratio",),
        terms=_t(
            "labile|fluctuating|fluctuated|fluctuations|fluctuate|supratherapeutic|"
            "subtherapeutic|unstable|unpredictable|TTR|time in therapeutic range|erratic|"
            "variable|inconsistent"
        ),
        check_omitted=False,
    ),
    Concept(
        "drugs predisposing to bleeding",
        Shape.FINDING,
        ("Medication usage predisposing to bleeding",),
        terms=_t(
            "aspirin|acetylsalicylic|ASA|clopidogrel|prasugrel|ticagrelor|dipyridamole|"
            "antiplatelet|antiplatelets|anti-platelet|NSAID|NSAIDs|ibuprofen|naproxen|diclofenac|"
            "ketorolac|celecoxib|meloxicam|indomethacin|Plavix|cilostazol"
        ),
    ),
    Concept(
        "active cancer",
        Shape.FINDING,
        (
            "Active cancer",
            "Malignancy with treatment within 6 months or palliative",
            "Neoplastic disease",
            "Present or previous malignancy",
        ),
        terms=_CANCER,
        exclude_before=_NOT_CANCER,
        exclude_after=_t("marker|markers|screening|antigen|risk"),
        absent_choices=("none", "absent"),
        support_terms=_t("chemotherapy|radiotherapy|oncology"),
        suffixes=_CANCER_SUFFIXES,
    ),
    Concept(
        "solid tumour",
        Shape.FINDING,
        ("Solid tumor",),
        terms=tuple(t for t in _CANCER if t not in _BLOOD_CANCERS),
        exclude_before=_NOT_CANCER,
        exclude_after=_t("marker|markers|screening|antigen|risk"),
        absent_choices=("none", "absent"),
        suffixes=_CANCER_SUFFIXES,
    ),
    Concept(
        "leukemia",
        Shape.FINDING,
        ("Leukemia",),
        terms=_t("leukemia|leukaemia|CLL|AML|CML|leukemic"),
    ),
    Concept(
        "lymphoma",
        Shape.FINDING,
        ("Lymphoma",),
        terms=_t("lymphoma|lymphomas|Hodgkin|NHL|Hodgkin's"),
    ),
    Concept(
        "AIDS",
        Shape.FINDING,
        ("AIDS",),
        terms=_t("AIDS|acquired immunodeficiency syndrome|acquired immune deficiency syndrome"),
    ),
    Concept(
        "dementia",
        Shape.FINDING,
        ("Dementia",),
        terms=_t(
            "dementia|Alzheimer|Alzheimer's|alzheimer|cognitive impairment|cognitive decline|"
            "neurocognitive disorder"
        ),
    ),
    Concept(
        "chronic pulmonary disease",
        Shape.FINDING,
        ("Chronic Obstructive Pulmonary Disease", "Chronic Pulmonary Disease"),
        terms=_t(
            "COPD|chronic obstructive pulmonary disease|chronic obstructive lung disease|"
            "chronic obstructive|emphysema|chronic bronchitis|asthma|pulmonary fibrosis|"
            "interstitial lung disease|ILD|bronchiectasis|obstructive lung disease|"
            "obstructive pulmonary"
        ),
    ),
    Concept(
        "connective tissue disease",
        Shape.FINDING,
        ("Connective tissue disease",),
        terms=_t(
            "lupus|SLE|rheumatoid arthritis|scleroderma|systemic sclerosis|polymyositis|"
            "dermatomyositis|connective tissue disease|polymyalgia rheumatica|Sjogren|Sjögren|"
            "Sjogren's|Sjögren's|mixed connective tissue"
        ),
    ),
    Concept(
        "peptic ulcer disease",
        Shape.FINDING,
        ("Peptic ulcer disease",),
        terms=_t(
            "peptic ulcer|gastric ulcer|duodenal ulcer|PUD|peptic ulcers|gastric ulcers|"
            "duodenal ulcers|ulcer disease"
        ),
    ),
    Concept(
        "hemiplegia",
        Shape.FINDING,
        ("Hemiplegia",),
        terms=_t(
            "hemiplegia|hemiplegic|hemiparesis|paraplegia|paraplegic|quadriplegia|tetraplegia|"
            "hemiparetic|sided weakness|sided paralysis|hemibody weakness"
        ),
    ),
    Concept(
        "previous deep vein thrombosis",
        Shape.FINDING,
        ("Previously documented Deep Vein Thrombosis",),
        terms=_DVT,
        previous=True,
    ),
    Concept(
        "previous pulmonary embolism",
        Shape.FINDING,
        ("Previously Documented Pulmonary Embolism",),
        terms=_PE,
        previous=True,
    ),
    Concept(
        "hemoptysis",
        Shape.FINDING,
        ("Hemoptysis",),
        terms=_t(
            "hemoptysis|haemoptysis|coughing up blood|coughed up blood|blood-tinged sputum|"
            "bloody sputum|blood in his sputum|blood in her sputum|blood in the sputum|"
            "blood-streaked sputum"
        ),
    ),
    Concept(
        "hormone use",
        Shape.FINDING,
        ("Hormone use",),
        terms=_t(
            "oral contraceptive|oral contraceptives|OCP|OCPs|contraceptive pill|birth control|"
            "hormone replacement|HRT|estrogen|oestrogen|estradiol|hormonal therapy|"
            "hormone therapy|ethinyl|tamoxifen"
        ),
    ),
    Concept(
        "cough",
        Shape.FINDING,
        ("Cough Absent",),
        terms=_t("cough|coughing|coughs"),
        inverted=True,
    ),
    Concept(
        "cough or coryza",
        Shape.FINDING,
        ("Absence of cough or coryza",),
        terms=_t(
            "cough|coughing|coughs|coryza|rhinorrhea|rhinorrhoea|runny nose|nasal congestion|"
            "nasal discharge"
        ),
        inverted=True,
    ),
    Concept(
        "tender or swollen anterior cervical lymph nodes",
        Shape.FINDING,
        ("Tender/swollen anterior cervical lymph nodes",),
        terms=_t(
            "lymphadenopathy|lymph node|lymph nodes|cervical nodes|adenopathy|lymph glands|"
            "swollen glands|lymphadenitis"
        ),
        exclude_before=_t(
            "posterior|auricular|axillary|inguinal|mediastinal|hilar|abdominal|retroperitoneal|"
            "mesenteric|supraclavicular|occipital|paraaortic|para-aortic|aortic|pelvic|iliac|"
            "celiac|generalized"
        ),
    ),
    Concept(
        "tonsillar exudate or swelling",
        Shape.FINDING,
        ("Exudate or swelling on tonsils",),
        terms=_t(
            "exudate|exudates|exudative|tonsillar swelling|swollen tonsils|enlarged tonsils|"
            "tonsillar enlargement|tonsillar hypertrophy|pus|purulent|white patches|"
            "kissing tonsils|hypertrophic tonsils"
        ),
        context=_THROAT,
    ),
    Concept(
        "purulent tonsils",
        Shape.FINDING,
        ("Purulent tonsils",),
        terms=_t(
            "pus|purulent|purulence|exudate|exudates|exudative|white patches|white, patchy|"
            "white plaques|pustules"
        ),
        context=_THROAT,
    ),
    Concept(
        "fever in the past 24 hours",
        Shape.FINDING,
        ("Fever in past 24 hours",),
        terms=_t(
            "fever|fevers|febrile|pyrexia|pyrexial|high temperature|elevated temperature|"
            "high-grade fever"
        ),
        negative_terms=("afebrile", "apyrexial"),
        exclude_before=_t("hay|yellow|scarlet|rheumatic|typhoid|dengue|Q"),
    ),
    Concept(
        "severe tonsil inflammation",
        Shape.FINDING,
        ("Severe tonsil inflammation",),
        terms=_t(
            "tonsillitis|inflamed tonsils|tonsillar inflammation|enlarged tonsils|"
            "swollen tonsils|erythematous tonsils|tonsillar erythema|tonsils|tonsillar"
        ),
        check_omitted=False,
    ),
    Concept(
        "melena",
        Shape.FINDING,
        ("Melena present",),
        terms=_t(
            "melena|melaena|black stools|black stool|tarry stools|tarry stool|black tarry|"
            "dark stools|black, tarry"
        ),
    ),
    Concept(
        "syncope",
        Shape.FINDING,
        ("Recent syncope",),
        terms=_t(
            "syncope|syncopal|fainted|fainting|passed out|loss of consciousness|collapsed|collapse"
        ),
    ),
    Concept(
        "nursing home resident",
        Shape.FINDING,
        ("Nursing home resident",),
        terms=_t(
            "nursing home|nursing facility|care home|long-term care|assisted living|"
            "skilled nursing|nursing-home"
        ),
    ),
    Concept(
        "altered mental status",
        Shape.FINDING,
        ("Altered mental status", "Confusion"),
        terms=_CONFUSION,
    ),
    Concept(
        "pleural effusion",
        Shape.FINDING,
        ("Pleural effusion on x-ray",),
        terms=_t("pleural effusion|pleural effusions|pleural fluid|hydrothorax|effusions"),
    ),
    Concept(
        "hypotension",
        Shape.FINDING,
        ("Hypotension",),
        terms=_t(
            "hypotension|hypotensive|shock|hemodynamic instability|hemodynamically unstable|"
            "haemodynamic instability|low blood pressure"
        ),
        negative_terms=("normotensive",),
        exclude_before=_t("orthostatic|postural|no"),
    ),
    Concept(
        "sepsis",
        Shape.FINDING,
        ("Sepsis in the last month",),
        terms=_t("sepsis|septic|septicemia|bacteremia|urosepsis"),
        recent=True,
    ),
    Concept(
        "pneumonia",
        Shape.FINDING,
        ("Pneumonia in the last month",),
        terms=_t("pneumonia|pneumonias|pneumonitis|bronchopneumonia"),
        recent=True,
    ),
    Concept(
        "varicose veins",
        Shape.FINDING,
        ("Varicose veins",),
        terms=_t("varicose veins|varicose|varicosities|varicosity"),
    ),
    Concept(
        "central venous access",
        Shape.FINDING,
        ("Current central venous access",),
        terms=_t(
            "central venous catheter|central line|CVC|PICC|port-a-cath|Port-a-Cath|"
            "central venous access|Hickman|dialysis catheter|central venous line|implanted port"
        ),
    ),
    Concept(
        "factor V Leiden",
        Shape.FINDING,
        ("Positive Factor V Leiden",),
        terms=_t("factor V Leiden|Factor V Leiden|FVL|factor V|Factor V"),
    ),
    Concept(
        "prothrombin 20210A",
        Shape.FINDING,
        ("Positive prothrombin 20210A",),
        terms=_t(
            "prothrombin 20210|prothrombin 20210A|G20210A|20210A|prothrombin gene|"
            "prothrombin G20210A"
        ),
    ),
    Concept(
        "elevated homocysteine",
        Shape.FINDING,
        ("Elevated serum homocysteine",),
        terms=_t("homocysteine|hyperhomocysteinemia|hyperhomocysteinaemia"),
    ),
    Concept(
        "lupus anticoagulant",
        Shape.FINDING,
        ("Positive lupus anticoagulant",),
        terms=("lupus anticoagulant",),
    ),
    Concept(
        "anticardiolipin antibody",
        Shape.FINDING,
        ("Elevated anticardiolipin antibody",),
        terms=_t("anticardiolipin|anti-cardiolipin|cardiolipin"),
    ),
    Concept(
        "heparin-induced thrombocytopenia",
        Shape.FINDING,
        ("Heparin-induced thrombocytopenia",),
        terms=_t("heparin-induced thrombocytopenia|heparin induced thrombocytopenia|HIT"),
    ),
    Concept(
        "thrombophilia",
        Shape.FINDING,
        ("Other congenital or acquired thrombophilia",),
        terms=_t(
            "thrombophilia|protein C deficiency|protein S deficiency|antithrombin deficiency|"
            "antiphospholipid syndrome|APS|antiphospholipid|hypercoagulable"
        ),
    ),
    Concept(
        "inflammatory bowel disease",
        Shape.FINDING,
        ("History of inflammatory bowel disease",),
        terms=_t("inflammatory bowel disease|IBD|Crohn|Crohn's|crohn|ulcerative colitis|UC"),
    ),
    # Findings whose wording is too generic to say a missing or false entity is contradicted:
    # only a true entity is checked for some mention.
    Concept(
        "recent surgery",
        Shape.FINDING,
        (
            "Surgery in the previous 4 weeks",
            "Major surgery within 12 weeks",
            "Major Surgery in the last month",
        ),
        terms=_SURGERY,
        check_omitted=False,
    ),
    Concept(
        "bedridden or recent surgery",
        Shape.FINDING,
        (
            "Bedridden recently >3 days or major surgery within 12 weeks",
            "Bedridden recently >3 days",
        ),
        terms=(
            *_SURGERY,
            "bedridden",
            "bed-ridden",
            "bed rest",
            "bedbound",
            "bed-bound",
            "immobile",
            "immobilized",
            "immobilised",
            "immobilization",
            "immobility",
            "confined to bed",
        ),
        check_omitted=False,
    ),
    Concept(
        "immobilization",
        Shape.FINDING,
        ("Immobilization for at least 3 days",),
        terms=_t(
            "bedridden|bed-ridden|bed rest|bedbound|bed-bound|immobile|immobilized|immobilised|"
            "immobilization|immobility|confined to bed|cast|wheelchair"
        ),
        check_omitted=False,
    ),
    Concept(
        "recent surgery or trauma",
        Shape.FINDING,
        ("Recent surgery or trauma",),
        terms=(*_SURGERY, "trauma", "injury", "injuries", "fracture", "fractures", "accident"),
        check_omitted=False,
    ),
    Concept(
        "leg swelling",
        Shape.FINDING,
        (
            "Unilateral Leg Swelling",
            "Entire Leg Swollen",
            "Current swollen legs",
            "Calf swelling >3 centimeters compared to the other leg",
            "Pitting edema, confined to symptomatic leg",
        ),
        terms=_t("swelling|swollen|edema|oedema|edematous|enlarged|circumference"),
        check_omitted=False,
    ),
    Concept(
        "signs of deep vein thrombosis",
        Shape.FINDING,
        ("Clinical signs and symptoms of Deep Vein Thrombosis",),
        terms=(
            "swelling",
            "swollen",
            "edema",
            "oedema",
            "tenderness",
            "tender",
            "leg pain",
            "calf pain",
            "erythema",
            *_DVT,
        ),
        check_omitted=False,
    ),
    Concept(
        "tenderness along the deep veins",
        Shape.FINDING,
        ("Localized tenderness along the deep venous system",),
        terms=_t("tenderness|tender|pain on palpation|painful"),
        check_omitted=False,
    ),
    Concept(
        "collateral superficial veins",
        Shape.FINDING,
        ("Collateral (nonvaricose) superficial veins present",),
        terms=_t(
            "collateral|collaterals|superficial veins|superficial venous|dilated veins|"
            "prominent veins|distended veins"
        ),
        check_omitted=False,
    ),
    Concept(
        "paralysis or plaster immobilization",
        Shape.FINDING,
        ("Paralysis, paresis, or recent plaster immobilization of the lower extremity",),
        terms=_t(
            "paralysis|paresis|paraplegia|hemiplegia|plaster|cast|paralyzed|paralysed|"
            "immobilization|splint|hemiparesis|paraparesis|weakness"
        ),
        check_omitted=False,
    ),
    Concept(
        "plaster cast",
        Shape.FINDING,
        ("Immobilizing plaster cast in the last month",),
        terms=_t("cast|plaster|splint|immobilizer|brace"),
        check_omitted=False,
    ),
    Concept(
        "hip, pelvis or leg fracture",
        Shape.FINDING,
        ("Hip, pelvis, or leg fracture in the last month",),
        terms=_t("fracture|fractures|fractured"),
        check_omitted=False,
    ),
    Concept(
        "multiple trauma",
        Shape.FINDING,
        ("Multiple trauma in the last month",),
        terms=_t(
            "multiple trauma|multiple traumas|polytrauma|multiple injuries|trauma|traumas|"
            "multitrauma"
        ),
        check_omitted=False,
    ),
    Concept(
        "acute spinal cord injury",
        Shape.FINDING,
        ("Acute spinal cord injury causing paralysis in the last month",),
        terms=_t(
            "spinal cord injury|spinal cord|myelopathy|cord compression|paraplegia|quadriplegia|"
            "tetraplegia"
        ),
        check_omitted=False,
    ),
    Concept(
        "family history of thrombosis",
        Shape.FINDING,
        ("Family history of thrombosis",),
        terms=_RELATIVES,
        check_omitted=False,
    ),
    Concept(
        "severe organ insufficiency or immunocompromise",
        Shape.FINDING,
        ("History of severe organ failure or immunocompromise",),
        terms=(
            *_LIVER,
            *_DIALYSIS,
            "immunosuppression",
            "immunosuppressed",
            "immunosuppressive",
            "immunocompromised",
            "immunodeficiency",
            "chemotherapy",
            "transplant",
            "transplantation",
            "steroids",
            "HIV",
            "AIDS",
            "leukemia",
            "lymphoma",
            "NYHA",
            "COPD",
            "heart failure",
        ),
        check_omitted=False,
    ),
    # --- doses in the template notes -------------------------------------------------------------
    *(
        Concept(
            f"{drug} {'doses a day' if per_day else 'dose'}",
            Shape.DOSE,
            (f"{key} Dose Per Day" if per_day else f"{key} Dose",),
            drug=drug,
            per_day=per_day,
        )
        for key, drug in (
            ("Codeine", "codeine"),
            ("FentaNYL buccal", "fentanyl buccal"),
            ("FentANYL patch", "fentanyl patch"),
            ("HYDROcodone", "hydrocodone"),
            ("HYDROmorphone", "hydromorphone"),
            ("Methadone", "methadone"),
            ("Morphine", "morphine"),
            ("OxyCODONE", "oxycodone"),
            ("OxyMORphone", "oxymorphone"),
            ("Tapentadol", "tapentadol"),
            ("TraMADol", "tramadol"),
        )
        for per_day in (False, True)
    ),
)


@functools.cache
def _by_key() -> dict[str, Concept]:
    table: dict[str, Concept] = {}
    for concept in _CONCEPTS:
        for key in concept.keys:
            normal = normalize_key(key)
            if normal in table and table[normal] is not concept:
                raise ValueError(f"entity key {key!r} given two concepts")
            table[normal] = concept
    return table


def concept_for(key: str) -> Concept | None:
    """The concept an entity key carries, or ``None`` when grounding does not check it."""
    return _by_key().get(normalize_key(key))


def concepts() -> tuple[Concept, ...]:
    """Every concept (for docs and tests)."""
    return _CONCEPTS


ESSENTIAL: dict[int, tuple[str, ...]] = {
    18: ("Electrocardiogram Test", "Initial troponin"),
    17: ("Elevated-risk surgery",),
}
"""Inputs a calculator defaults when absent but that a note must document for its answer to be
known: HEART's ECG and troponin are two of its five components (Six et al. 2008) — scoring an
undocumented ECG or troponin as normal gives a number the note cannot support; RCRI's first
item is the risk class of the planned operation (Lee et al. 1999), unknowable without one."""
