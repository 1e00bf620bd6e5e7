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

import math
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
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
    """Severity thresholds of one lab task, in the canonical unit (EHRSHOT's ``value_to_label``).

    ``direction`` is ``"low"`` when low values are abnormal. ``bounds`` lists the mild, moderate
    and severe thresholds; ``inclusive`` says per threshold whether equality already counts
    (``≤``/``≥``) or not (``<``/``>``). ``unit_factors`` lists ``(prefix, factor)``: the first
    prefix that the lower-cased unit starts with gives the multiplier to ``unit``; ``None`` means
    EHRSHOT's labeler never reads the unit (platelets, sodium).
    """

    unit: str
    direction: str
    bounds: tuple[float, float, float]
    inclusive: tuple[bool, bool, bool]
    unit_factors: tuple[tuple[str, Fraction], ...] | None
    source: str
    """The EHRSHOT lines (``labelers/ehrshot.py``) the rule follows."""


NORMAL_TEXTS = frozenset({"normal", "adequate"})
"""Text results EHRSHOT labels class 0 ("normal") whatever the unit (``ehrshot.py:379``)."""


@dataclass(frozen=True, slots=True)
class DiagnosisRule:
    """The root concept of a new-diagnosis task (its code set is in ``code_sets.csv``)."""

    snomed: str


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
            f"Positive if {outcome} (SNOMED {rule.snomed} or a descendant) is recorded 1–365 "
            "days after the prediction time; discharges after the first diagnosis are excluded."
        ),
        diagnosis=rule,
    )


_F = Fraction

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
                definition="Positive if the inpatient stay lasts at least 7 days; admissions "
                "discharged on the day of admission are excluded.",
            ),
            _binary(
                "guo_readmission",
                TaskGroup.OPERATIONAL,
                "readmission",
                question="Will the patient be readmitted to hospital within 30 days of discharge?",
                prediction_time="23:59 on the day of discharge",
                definition="Positive if a new inpatient admission starts within 30 days; "
                "negatives need 30 days of follow-up.",
            ),
            _binary(
                "guo_icu",
                TaskGroup.OPERATIONAL,
                "ICU transfer",
                question="Will the patient be transferred to an intensive care unit during this "
                "admission?",
                prediction_time="23:59 on the day of admission",
                definition="Positive if an ICU stay starts after the prediction time and by "
                "discharge; admissions with an ICU transfer on the day of admission, or "
                "discharged that day, are excluded.",
            ),
            _lab(
                "lab_thrombocytopenia",
                "platelet count",
                LabRule(
                    unit="10*9/L",
                    direction="low",
                    bounds=(150.0, 100.0, 50.0),
                    inclusive=(False, False, False),
                    unit_factors=None,
                    source="ehrshot.py:378-388",
                ),
                "Platelets < 150 mild, < 100 moderate, < 50 severe (×10⁹/L; unit not read).",
            ),
            _lab(
                "lab_hyperkalemia",
                "potassium",
                LabRule(
                    unit="mmol/L",
                    direction="high",
                    bounds=(5.5, 6.0, 7.0),
                    inclusive=(False, False, False),
                    unit_factors=(("mmol/l", _F(1)), ("meq/l", _F(1)), ("mg/dl", _F(1, 18))),
                    source="ehrshot.py:403-431",
                ),
                "K⁺ > 5.5 mild, > 6 moderate, > 7 severe (mmol/L; mEq/L × 1, mg/dL ÷ 18).",
            ),
            _lab(
                "lab_hypoglycemia",
                "glucose",
                LabRule(
                    unit="mmol/L",
                    direction="low",
                    bounds=(3.9, 3.5, 3.0),
                    inclusive=(True, False, False),
                    unit_factors=(("mg/dl", _F(1, 18)), ("mmol/l", _F(1))),
                    source="ehrshot.py:445-469",
                ),
                "Glucose ≤ 3.9 mild, < 3.5 moderate, < 3 severe (mmol/L; mg/dL ÷ 18).",
            ),
            _lab(
                "lab_hyponatremia",
                "sodium",
                LabRule(
                    unit="mmol/L",
                    direction="low",
                    bounds=(135.0, 130.0, 125.0),
                    inclusive=(True, False, False),
                    unit_factors=None,
                    source="ehrshot.py:478-488",
                ),
                "Na⁺ ≤ 135 mild, < 130 moderate, < 125 severe (mmol/L; unit not read).",
            ),
            _lab(
                "lab_anemia",
                "hemoglobin",
                LabRule(
                    unit="g/L",
                    direction="low",
                    bounds=(120.0, 110.0, 70.0),
                    inclusive=(False, False, False),
                    unit_factors=(("g/dl", _F(10)), ("mg/dl", _F(1, 100)), ("g/l", _F(1))),
                    source="ehrshot.py:499-527",
                ),
                "Hb < 120 mild, < 110 moderate, < 70 severe (g/L; g/dL × 10, mg/dL ÷ 100).",
            ),
            _new_dx("new_hypertension", "hypertension", DiagnosisRule("59621000")),
            _new_dx("new_hyperlipidemia", "hyperlipidemia", DiagnosisRule("55822004")),
            _new_dx("new_pancan", "pancreatic cancer", DiagnosisRule("372003004")),
            _new_dx("new_celiac", "celiac disease", DiagnosisRule("396331005")),
            _new_dx("new_lupus", "lupus", DiagnosisRule("55464009")),
            _new_dx("new_acutemi", "acute MI", DiagnosisRule("57054005")),
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
                definition="One 0/1 label per CheXpert finding, from the report; reports within "
                "24 hours of the record's first event are excluded.",
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


def lab_class(rule: LabRule, value: float | str, unit: str | None) -> int:
    """Severity class 0–3 of one lab result as EHRSHOT's ``value_to_label`` gives it.

    A text ``normal`` / ``adequate`` (any case) is class 0 (``ehrshot.py:379``). Otherwise the
    value is read as a number (text too, as ``float(raw_value)`` does), converted with the first
    unit prefix the lower-cased unit starts with, and compared with the thresholds. Raises
    ``ValueError`` — EHRSHOT then skips the result (``omop_lab_values.py:57-68``) — for text that is
    not a number, a missing or unknown unit where the unit is read, or a non-finite value.

    The comparison is exact on the decimal value as written (``70.2 mg/dL`` is exactly 3.9 mmol/L,
    so mild), where EHRSHOT divides in binary floating point (70.2 / 18 = 3.9000000000000004,
    normal); this is the one intended difference.

    >>> rule = get_task("lab_hypoglycemia").lab
    >>> lab_class(rule, 70.2, "mg/dL"), lab_class(rule, "NORMAL", None)
    (1, 0)
    >>> lab_class(rule, 2.9, "MMOL/L (whole blood)")
    3
    """
    from decimal import Decimal, InvalidOperation

    if isinstance(value, str):
        text = value.strip()
        if text.lower() in NORMAL_TEXTS:
            return 0
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"text result {text[:40]!r} is not a number") from None
    else:
        number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"lab value {number!r} is not finite")
    factor = Fraction(1)
    if rule.unit_factors is not None:
        if unit is None:
            raise ValueError("no unit (EHRSHOT: unknown unit 'None')")
        lowered = unit.lower()
        for prefix, multiplier in rule.unit_factors:
            if lowered.startswith(prefix):
                factor = multiplier
                break
        else:
            accepted = ", ".join(prefix for prefix, _ in rule.unit_factors)
            raise ValueError(f"unit {unit[:40]!r} not accepted (prefixes: {accepted})")
    try:
        exact = Fraction(Decimal(repr(number))) * factor
    except InvalidOperation:  # pragma: no cover - finite floats always have a decimal repr
        raise ValueError(f"lab value {number!r} unreadable") from None
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
