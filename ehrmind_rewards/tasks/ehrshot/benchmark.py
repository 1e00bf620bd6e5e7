"""The 15 EHRSHOT tasks: labeler names, label vocabularies, questions and outcome definitions.

Task names are EHRSHOT's labeler names (som-shahlab/ehrshot-benchmark, arXiv 2307.02028). Three
families plus chest X-ray findings:

* operational, binary: ``guo_los`` (length of stay ≥ 7 days), ``guo_readmission`` (inpatient
  readmission within 30 days), ``guo_icu`` (transfer to an ICU during the admission);
* lab, four classes (normal / mild / moderate / severe = 0–3) from the value of the next result,
  thresholds as published by EHRSHOT: platelets < 150 / < 100 / < 50 ×10⁹/L, K⁺ > 5.5 / > 6 / > 7
  mmol/L, glucose ≤ 3.9 / < 3.5 / < 3 mmol/L, Na⁺ ≤ 135 / < 130 / < 125 mmol/L, Hb < 120 / < 110 /
  < 70 g/L;
* new diagnosis within 1–365 days after discharge, binary: hypertension, hyperlipidemia,
  pancreatic cancer, celiac disease, lupus, acute MI (SNOMED concepts 59621000, 55822004,
  372003004, 396331005, 55464009, 57054005);
* ``chexpert``: 14 CheXpert findings, multilabel.

Answer payload: ``{"prediction": <label name>, "label": <index>}`` (multilabel: the list of
positive finding names and a list of 14 zeros and ones), optionally ``"probability"``.
For a binary task the positive name is the outcome (``"hypertension"``) and the negative is
``"no "`` + the outcome; ``"yes"`` and ``"no"`` are accepted synonyms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from schemas.labels import normalize_label_name


class TaskKind(StrEnum):
    """How a task's label is shaped."""

    BINARY = "binary"
    MULTICLASS = "multiclass"
    MULTILABEL = "multilabel"


class TaskGroup(StrEnum):
    """EHRSHOT's task groups."""

    OPERATIONAL = "operational"
    LAB = "lab"
    NEW_DIAGNOSIS = "new_diagnosis"
    CHEST_XRAY = "chest_xray"


LAB_CLASSES: tuple[str, ...] = ("normal", "mild", "moderate", "severe")
"""Class names of the lab tasks, index = class (0–3)."""

CHEXPERT_FINDINGS: tuple[str, ...] = (
    "No Finding",
    "Enlarged Cardiomediastinum",
    "Cardiomegaly",
    "Lung Lesion",
    "Lung Opacity",
    "Edema",
    "Consolidation",
    "Pneumonia",
    "Atelectasis",
    "Pneumothorax",
    "Pleural Effusion",
    "Pleural Other",
    "Fracture",
    "Support Devices",
)
"""The 14 CheXpert observations (Irvin et al., AAAI 2019), in CheXpert's column order."""


@dataclass(frozen=True, slots=True)
class LabRule:
    """Severity thresholds of one lab task, in the canonical unit.

    ``direction`` is ``"low"`` when low values are abnormal. ``bounds`` lists the mild, moderate
    and severe thresholds; ``inclusive`` says per threshold whether equality already counts
    (``≤``/``≥``) or not (``<``/``>``).
    """

    loinc: tuple[str, ...]
    unit: str
    direction: str
    bounds: tuple[float, float, float]
    inclusive: tuple[bool, bool, bool]
    unit_factors: MappingProxyType[str, float]
    """Multipliers from accepted source units to ``unit`` (case-sensitive UCUM-like spellings)."""


@dataclass(frozen=True, slots=True)
class DiagnosisRule:
    """The code set of a new-diagnosis task: a SNOMED concept and ICD-10-CM code prefixes."""

    snomed: str
    icd10cm_prefixes: tuple[str, ...]

    def matches(self, code: str) -> bool:
        """True if ``code`` (``VOCAB/value``) belongs to the concept."""
        if code == f"SNOMED/{self.snomed}":
            return True
        if code.startswith("ICD10CM/"):
            value = code[len("ICD10CM/") :]
            return any(value.startswith(prefix) for prefix in self.icd10cm_prefixes)
        return False


@dataclass(frozen=True, slots=True)
class Task:
    """One EHRSHOT task: its name, label vocabulary, question and outcome definition."""

    name: str
    group: TaskGroup
    kind: TaskKind
    outcome: str
    """The positive label name of a binary task; the measured quantity of a lab task."""
    class_names: tuple[str, ...]
    question: str
    prediction_time: str
    """When predictions are made, in words (documentation and prompts)."""
    definition: str
    lab: LabRule | None = None
    diagnosis: DiagnosisRule | None = None
    synonyms: MappingProxyType[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def n_classes(self) -> int:
        """Number of classes (binary 2, lab 4) or of labels (multilabel 14)."""
        return len(self.class_names)

    def label_index(self, name: str) -> int | None:
        """The class index a label name stands for (case and spacing ignored), or ``None``."""
        key = normalize_label_name(name)
        for index, class_name in enumerate(self.class_names):
            if normalize_label_name(class_name) == key:
                return index
        return self.synonyms.get(key)

    def answer_example(self, label: int | list[int]) -> dict[str, object]:
        """The answer payload that states ``label`` correctly (for prompts and SFT targets)."""
        if isinstance(label, list):
            names = [n for n, bit in zip(self.class_names, label, strict=True) if bit]
            return {"prediction": names, "label": label}
        return {"prediction": self.class_names[label], "label": label}


def bits_to_int(bits: tuple[int, ...] | list[int]) -> int:
    """CheXpert bits → one integer, the first finding (No Finding) the most significant bit."""
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return value


def int_to_bits(value: int, width: int = len(CHEXPERT_FINDINGS)) -> tuple[int, ...]:
    """Inverse of :func:`bits_to_int`; raises ``ValueError`` if ``value`` needs more bits."""
    if not 0 <= value < 1 << width:
        raise ValueError(f"{value} is not a {width}-bit label")
    return tuple((value >> (width - 1 - i)) & 1 for i in range(width))


_YES_NO = MappingProxyType({"no": 0, "yes": 1})


def _binary(
    name: str,
    group: TaskGroup,
    outcome: str,
    question: str,
    prediction_time: str,
    definition: str,
    diagnosis: DiagnosisRule | None = None,
) -> Task:
    return Task(
        name=name,
        group=group,
        kind=TaskKind.BINARY,
        outcome=outcome,
        class_names=(f"no {outcome}", outcome),
        question=question,
        prediction_time=prediction_time,
        definition=definition,
        diagnosis=diagnosis,
        synonyms=_YES_NO,
    )


def _lab(name: str, quantity: str, rule: LabRule, definition: str) -> Task:
    return Task(
        name=name,
        group=TaskGroup.LAB,
        kind=TaskKind.MULTICLASS,
        outcome=quantity,
        class_names=LAB_CLASSES,
        question=(
            f"The patient's next {quantity} result is about to be reported. How severe will "
            f"{name.removeprefix('lab_')} be: normal, mild, moderate or severe?"
        ),
        prediction_time="1 minute before the lab result is recorded",
        definition=definition,
        lab=rule,
    )


def _new_dx(name: str, outcome: str, rule: DiagnosisRule) -> Task:
    return _binary(
        name,
        TaskGroup.NEW_DIAGNOSIS,
        outcome,
        question=(
            f"This patient has no recorded diagnosis of {outcome}. Will the patient first be "
            f"diagnosed with {outcome} within the next year after this discharge?"
        ),
        prediction_time="23:59 on the day of discharge from an inpatient visit",
        definition=(
            f"Positive if the first {outcome} diagnosis (SNOMED {rule.snomed} or a descendant) "
            "is recorded 1–365 days after the prediction time; patients already diagnosed at "
            "prediction time are excluded."
        ),
        diagnosis=rule,
    )


_MMOL = MappingProxyType({"mmol/L": 1.0, "mEq/L": 1.0})

TASKS: MappingProxyType[str, Task] = MappingProxyType(
    {
        task.name: task
        for task in (
            _binary(
                "guo_los",
                TaskGroup.OPERATIONAL,
                "long length of stay",
                question="Will this hospital admission last 7 days or longer?",
                prediction_time="23:59 on the day of admission",
                definition="Positive if the inpatient stay lasts at least 7 days.",
            ),
            _binary(
                "guo_readmission",
                TaskGroup.OPERATIONAL,
                "readmission",
                question="Will the patient be readmitted to hospital within 30 days of discharge?",
                prediction_time="23:59 on the day of discharge",
                definition="Positive if a new inpatient admission starts within 30 days.",
            ),
            _binary(
                "guo_icu",
                TaskGroup.OPERATIONAL,
                "ICU transfer",
                question="Will the patient be transferred to an intensive care unit during this "
                "admission?",
                prediction_time="23:59 on the day of admission",
                definition="Positive if the patient enters an ICU after the prediction time and "
                "before discharge; admissions with an ICU stay before it are excluded.",
            ),
            _lab(
                "lab_thrombocytopenia",
                "platelet count",
                LabRule(
                    loinc=("777-3", "26515-7"),
                    unit="10*9/L",
                    direction="low",
                    bounds=(150.0, 100.0, 50.0),
                    inclusive=(False, False, False),
                    unit_factors=MappingProxyType({"10*9/L": 1.0, "10*3/uL": 1.0, "K/uL": 1.0}),
                ),
                "Platelets < 150 mild, < 100 moderate, < 50 severe (×10⁹/L).",
            ),
            _lab(
                "lab_hyperkalemia",
                "potassium",
                LabRule(
                    loinc=("2823-3", "6298-4"),
                    unit="mmol/L",
                    direction="high",
                    bounds=(5.5, 6.0, 7.0),
                    inclusive=(False, False, False),
                    unit_factors=_MMOL,
                ),
                "K⁺ > 5.5 mild, > 6 moderate, > 7 severe (mmol/L).",
            ),
            _lab(
                "lab_hypoglycemia",
                "glucose",
                LabRule(
                    loinc=("2345-7", "2339-0"),
                    unit="mmol/L",
                    direction="low",
                    bounds=(3.9, 3.5, 3.0),
                    inclusive=(True, False, False),
                    unit_factors=MappingProxyType({"mmol/L": 1.0, "mg/dL": 1.0 / 18.0}),
                ),
                "Glucose ≤ 3.9 mild, < 3.5 moderate, < 3 severe (mmol/L; mg/dL ÷ 18).",
            ),
            _lab(
                "lab_hyponatremia",
                "sodium",
                LabRule(
                    loinc=("2951-2", "2947-0"),
                    unit="mmol/L",
                    direction="low",
                    bounds=(135.0, 130.0, 125.0),
                    inclusive=(True, False, False),
                    unit_factors=_MMOL,
                ),
                "Na⁺ ≤ 135 mild, < 130 moderate, < 125 severe (mmol/L).",
            ),
            _lab(
                "lab_anemia",
                "hemoglobin",
                LabRule(
                    loinc=("718-7", "30313-1"),
                    unit="g/L",
                    direction="low",
                    bounds=(120.0, 110.0, 70.0),
                    inclusive=(False, False, False),
                    unit_factors=MappingProxyType({"g/L": 1.0, "g/dL": 10.0}),
                ),
                "Hb < 120 mild, < 110 moderate, < 70 severe (g/L; g/dL × 10).",
            ),
            _new_dx(
                "new_hypertension",
                "hypertension",
                DiagnosisRule("59621000", ("I10", "I11", "I12", "I13", "I15", "I16")),
            ),
            _new_dx("new_hyperlipidemia", "hyperlipidemia", DiagnosisRule("55822004", ("E78",))),
            _new_dx("new_pancan", "pancreatic cancer", DiagnosisRule("372003004", ("C25",))),
            _new_dx("new_celiac", "celiac disease", DiagnosisRule("396331005", ("K90.0",))),
            _new_dx("new_lupus", "lupus", DiagnosisRule("55464009", ("M32",))),
            _new_dx("new_acutemi", "acute MI", DiagnosisRule("57054005", ("I21",))),
            Task(
                name="chexpert",
                group=TaskGroup.CHEST_XRAY,
                kind=TaskKind.MULTILABEL,
                outcome="chest X-ray findings",
                class_names=CHEXPERT_FINDINGS,
                question=(
                    "A chest X-ray report will be written in 24 hours. Which of the 14 CheXpert "
                    "findings will it report? List the finding names that will be present."
                ),
                prediction_time="24 hours before the radiology report",
                definition="One 0/1 label per CheXpert finding, from the report.",
            ),
        )
    }
)
"""All 15 tasks by labeler name."""

EHRMIND_TASKS: tuple[str, ...] = (
    "new_acutemi",
    "new_hyperlipidemia",
    "new_hypertension",
    "new_pancan",
)
"""The four new-diagnosis tasks EHRMind trained and evaluated on."""


def get_task(name: str) -> Task:
    """The task called ``name`` (EHRSHOT labeler name); raises ``KeyError`` listing known names."""
    try:
        return TASKS[name]
    except KeyError:
        raise KeyError(f"unknown EHRSHOT task {name!r}; known: {', '.join(TASKS)}") from None


def lab_class(rule: LabRule, value: float, unit: str) -> int:
    """Severity class 0–3 of one lab value given in ``unit`` (converted to the rule's unit).

    The comparison is exact on the decimal value as written (``70.2 mg/dL`` is exactly 3.9 mmol/L),
    so threshold equality never depends on binary floating-point rounding. Raises ``ValueError``
    for an unknown unit or a non-finite value.
    """
    from decimal import Decimal
    from fractions import Fraction

    if unit not in rule.unit_factors:
        raise ValueError(
            f"unit {unit!r} not accepted (expected one of {sorted(rule.unit_factors)})"
        )
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"lab value {value!r} is not finite")
    exact = Fraction(Decimal(repr(float(value)))) * Fraction(
        rule.unit_factors[unit]
    ).limit_denominator(1000)
    severity = 0
    for level, (bound, inclusive) in enumerate(zip(rule.bounds, rule.inclusive, strict=True), 1):
        limit = Fraction(Decimal(repr(bound)))
        if rule.direction == "low":
            hit = exact <= limit if inclusive else exact < limit
        else:
            hit = exact >= limit if inclusive else exact > limit
        if hit:
            severity = level
    return severity
