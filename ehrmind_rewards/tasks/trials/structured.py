"""A deterministic pre-check of a patient against a trial's structured eligibility fields.

ClinicalTrials.gov records three eligibility facts as fields rather than free text: the minimum
and maximum age, the sex the trial enrolls, and whether it accepts healthy volunteers.
:func:`structured_eligibility` compares a patient with each and says, per field, **met**, **not
met** or **unknown**, with the two values it compared. The result never says a patient *is*
eligible — the criteria text decides that — but a field that is not met means the patient cannot
be eligible, so an answer or a label of "Eligible" for that pair contradicts the registry
(:meth:`StructuredEligibility.contradicts`; the trials family's error analysis counts these).

**The patient's facts.** A 2023 questionnaire (:class:`~schemas.trials.TrialTopic` with
``fields``) gives age and sex only in fields named ``age`` and ``sex`` or ``gender`` (numbers
without a unit are years); the free-text topics of 2021 and 2022, and any other text, are read:

* age — the first age phrase: ``45-year-old``, ``44 year old``, ``5 months old``, ``3-day-old``,
  ``32 yo``, ``70 y/o``, ``41 year man``, ``aged 60``, or a note opening ``48 M`` / ``74M``;
* sex — ``M``/``F`` right after that age phrase, else the first sex-specific word of the text
  (*woman, female, girl, lady, she, her, …* / *man, male, boy, gentleman, he, his, …*);
* healthy volunteer — a questionnaire field ``healthy volunteer`` (yes/no) when present, else a
  questionnaire describes a patient with its template's condition (the 2023 track's design); a
  text saying ``healthy volunteer`` describes one; otherwise unknown.

**The comparison.** Ages are compared exactly (as whole hundredths of a minute; 1 year = 365.25
days, 1 month = 1/12 year; ages have at most two decimals) in completed units, as ages are
stated: a "65-year-old" is between 65 and 66 years old, a trial's "Maximum Age: 65 Years" admits
everyone whose completed age is at most 65 years (younger than 66), and "Minimum Age: 18 Years"
everyone at least 18 years old. The age field is met when every age the patient's statement
allows is admitted, not met when none is, and unknown when the statement straddles a limit (a
"1-year-old" against a minimum of 18 months) or is missing. A trial without age limits meets
every patient. Sex ``All`` meets every patient; ``Female``/``Male`` is compared with the
patient's sex. A trial that accepts healthy volunteers meets every patient (it enrolls patients
too); one that does not is not met only by a healthy volunteer. A trial record with neither sex
nor ages (an ``ir_datasets`` document) is unknown on every field.

>>> from schemas.trials import TrialRecord
>>> trial = TrialRecord(nct_id="NCT1", title="t", gender="All", maximum_age="65 Years")
>>> result = structured_eligibility("A 70-year-old man with COPD.", trial)
>>> result.age.status, result.age.patient, result.age.trial
(<FieldStatus.NOT_MET: 'not met'>, '70 years', 'at most 65 Years')
>>> result.contradicts(2)
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache
from typing import Any

from schemas.trials import TrialLabel, TrialRecord, TrialTopic

MAX_PATIENT_CHARS = 100_000
"""Only the first this many characters of a patient text are searched (topics are far shorter)."""

DAYS_PER_UNIT: dict[str, Fraction] = {
    "year": Fraction(1461, 4),
    "month": Fraction(1461, 48),
    "week": Fraction(7),
    "day": Fraction(1),
    "hour": Fraction(1, 24),
    "minute": Fraction(1, 1440),
}
"""Days per age unit: the Julian year of 365.25 days and its twelfth, as ClinicalTrials.gov ages
are converted elsewhere in this package (:func:`~.ctgov.age_in_years`)."""

_TICKS_PER_DAY = 1440 * 100
"""Ages are compared as integers of 1/100 minute: every unit above, and two decimals of it, is a
whole number of these, so the comparison is exact without fractions."""
_TICKS: dict[str, int] = {unit: int(days * _TICKS_PER_DAY) for unit, days in DAYS_PER_UNIT.items()}


class FieldStatus(StrEnum):
    """The outcome of one structured field."""

    MET = "met"
    NOT_MET = "not met"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class FieldCheck:
    """One structured field: its outcome and the two values compared (``None``: not stated)."""

    field: str
    """``"age"``, ``"sex"`` or ``"healthy volunteers"``."""
    status: FieldStatus
    patient: str | None
    """The patient's value as read (``"70 years"``, ``"female"``, ``"healthy volunteer"``)."""
    trial: str | None
    """The trial's requirement (``"18 Years to 65 Years"``, ``"Female"``, …)."""

    def describe(self) -> str:
        """One line for reports: ``age: patient 70 years, trial at most 65 Years → not met``."""
        patient = self.patient or "not stated"
        trial = self.trial or "not stated"
        return f"{self.field}: patient {patient}, trial {trial} → {self.status.value}"


@dataclass(frozen=True, slots=True)
class StructuredEligibility:
    """The three structured fields of one (patient, trial) pair."""

    age: FieldCheck
    sex: FieldCheck
    healthy_volunteers: FieldCheck

    @property
    def checks(self) -> tuple[FieldCheck, FieldCheck, FieldCheck]:
        """Age, sex and healthy volunteers, in that order."""
        return self.age, self.sex, self.healthy_volunteers

    @property
    def not_met(self) -> tuple[FieldCheck, ...]:
        """The fields the patient does not meet (empty: none rules the patient out)."""
        return tuple(check for check in self.checks if check.status is FieldStatus.NOT_MET)

    def contradicts(self, grade: int | TrialLabel) -> bool:
        """Whether ``grade`` (an answer's or a label's) is Eligible although a field is not met."""
        return int(grade) == TrialLabel.ELIGIBLE and bool(self.not_met)

    def to_dict(self) -> dict[str, dict[str, str | None]]:
        """``{field: {"status", "patient", "trial"}}``: the row column :meth:`from_dict` reads."""
        return {
            _KEYS[check.field]: {
                "status": check.status.value,
                "patient": check.patient,
                "trial": check.trial,
            }
            for check in self.checks
        }

    @classmethod
    def from_dict(cls, value: object) -> StructuredEligibility | None:
        """The result :meth:`to_dict` wrote, or ``None`` when ``value`` is not one."""
        if not isinstance(value, Mapping):
            return None
        checks = []
        for name, key in _KEYS.items():
            item = value.get(key)
            if not isinstance(item, Mapping):
                return None
            status, patient, trial = item.get("status"), item.get("patient"), item.get("trial")
            if status not in _STATUSES or not all(
                v is None or isinstance(v, str) for v in (patient, trial)
            ):
                return None
            checks.append(FieldCheck(name, FieldStatus(status), patient, trial))
        return cls(*checks)


_KEYS = {"age": "age", "sex": "sex", "healthy volunteers": "healthy_volunteers"}
_STATUSES = {status.value for status in FieldStatus}

# -------------------------------------------------------------------------------- patient facts

_UNIT = r"(?:years?|yrs?|months?|mos?|weeks?|wks?|days?|hours?|hrs?|minutes?|mins?)"
_AGE_TEXT = re.compile(
    # one alternation, so one scan finds the first age phrase of any form
    rf"\b(?P<n1>\d{{1,3}}(?:\.\d{{1,2}})?)\s*-?\s*(?P<unit>{_UNIT})\s*-?\s*old\b"  # 45-year-old
    r"|\b(?P<n2>\d{1,3})\s*(?:yo|y/o|y\.o\.?)(?![a-z])"  # 32 yo, 70 y/o
    r"|\b(?P<n3>\d{1,3})\s*-?\s*(?:years?|yrs?)\s+"
    r"(?=(?:man|woman|male|female|boy|girl|gentleman|lady)\b)"  # 41 year man
    r"|\baged\s+(?P<n4>\d{1,3})\b"  # aged 60
    r"|\A\W*(?:(?:pt|patient)\.?\s+is\s+)?(?:an?\s+)?(?P<n5>\d{1,3})\s?(?=(?-i:[MF])\b)",  # 48 M
    re.IGNORECASE,
)
_SEX_LETTER = re.compile(r"\s*(?P<sex>[MF])\b")
_SEX_WORDS = re.compile(
    r"\b(?:(?P<female>woman|women|female|girl|lady|she|her|hers|herself|mrs|ms)"
    r"|(?P<male>man|men|male|boy|gentleman|he|him|his|himself|mr))\b",
    re.IGNORECASE,
)
_HEALTHY_VOLUNTEER = re.compile(r"\bhealthy\s+volunteers?\b", re.IGNORECASE)
_HEALTHY_FIELDS = ("healthy volunteer", "healthy volunteers", "healthy")
_YES_NO = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}
_CANONICAL_UNIT = {
    "y": "year", "m": "month", "w": "week", "d": "day", "h": "hour",
}  # fmt: skip
_AGE_FIELDS = ("age", "patient age", "age (years)")
_SEX_FIELDS = ("sex", "gender", "biological sex")
_SEX_VALUES = {
    "female": "female", "f": "female", "woman": "female", "girl": "female",
    "male": "male", "m": "male", "man": "male", "boy": "male",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Age:
    low: int
    """Completed age in ticks (the youngest the statement allows)."""
    high: int
    """The exclusive upper end in ticks (one step of the stated unit above ``low``)."""
    text: str


def _unit_name(word: str) -> str:
    word = word.casefold()
    if word.startswith("mi"):
        return "minute"
    if word.startswith("mo"):
        return "month"
    return _CANONICAL_UNIT[word[0]]


@lru_cache(maxsize=1024)
def _age(number: str, unit: str) -> _Age:
    """``number`` (at most two decimals) of ``unit`` as a completed age in ticks."""
    whole, _, decimals = number.partition(".")
    hundredths = int(whole) * 100 + int((decimals + "00")[:2])  # two decimals kept
    step = 100 if not decimals else 10 ** (2 - min(len(decimals), 2))
    ticks = _TICKS[unit]
    plural = "" if number in ("1", "1.0") else "s"
    return _Age(
        hundredths * ticks // 100, (hundredths + step) * ticks // 100, f"{number} {unit}{plural}"
    )


def _age_from_text(text: str) -> tuple[_Age | None, int]:
    """The first age phrase of ``text`` and the index just after it (``-1`` when none)."""
    match = _AGE_TEXT.search(text)
    if match is None:
        return None, -1
    number = next(match[g] for g in ("n1", "n2", "n3", "n4", "n5") if match[g] is not None)
    return _age(number, _unit_name(match["unit"] or "year")), match.end()


def _sex_from_text(text: str, after_age: int) -> str | None:
    if after_age >= 0:
        letter = _SEX_LETTER.match(text, after_age)
        if letter is not None:
            return "female" if letter["sex"] == "F" else "male"
    word = _SEX_WORDS.search(text)
    if word is None:
        return None
    return "female" if word["female"] else "male"


def _field(fields: Mapping[str, str], names: tuple[str, ...]) -> str | None:
    for name, value in fields.items():
        if name.strip().casefold() in names and value.strip():
            return value.strip()
    return None


_FIELD_AGE = re.compile(rf"(?P<n>\d{{1,3}}(?:\.\d{{1,2}})?)\s*(?P<unit>{_UNIT})?\Z", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Patient:
    age: _Age | None
    sex: str | None
    healthy: bool | None
    healthy_text: str | None


def _patient(patient: str | TrialTopic) -> _Patient:
    if isinstance(patient, TrialTopic):
        return _patient_facts(patient.text, patient.template, tuple(patient.fields.items()))
    return _patient_facts(patient, None, ())


@lru_cache(maxsize=4096)
def _patient_facts(text: str, template: str | None, items: tuple[tuple[str, str], ...]) -> _Patient:
    """The patient's facts (cached: a topic is compared with many trials)."""
    fields = dict(items)
    text = text[:MAX_PATIENT_CHARS]
    age: _Age | None = None
    sex: str | None = None
    if not (fields or template):  # a questionnaire's facts are in its fields only
        age, after_age = _age_from_text(text)
        sex = _sex_from_text(text, after_age)
    age_field = _field(fields, _AGE_FIELDS)
    if age_field is not None:
        match = _FIELD_AGE.match(age_field)
        if match is not None:
            age = _age(match["n"], _unit_name(match["unit"] or "year"))
    sex_field = _field(fields, _SEX_FIELDS)
    if sex_field is not None:
        sex = _SEX_VALUES.get(sex_field.casefold())
    healthy_field = _field(fields, _HEALTHY_FIELDS)
    healthy = _YES_NO.get(healthy_field.casefold()) if healthy_field else None
    if healthy is not None:
        return _Patient(age, sex, healthy, "healthy volunteer" if healthy else "not healthy")
    if fields or template:
        condition = f" ({template})" if template else ""
        return _Patient(age, sex, False, f"has the questionnaire's condition{condition}")
    if _HEALTHY_VOLUNTEER.search(text):
        return _Patient(age, sex, True, "healthy volunteer")
    return _Patient(age, sex, None, None)


# -------------------------------------------------------------------------------- trial limits

_TRIAL_AGE = re.compile(rf"(?P<n>\d{{1,4}}(?:\.\d{{1,2}})?)\s*(?P<unit>{_UNIT})", re.IGNORECASE)


@lru_cache(maxsize=1024)
def _limit(text: str) -> tuple[int, int] | None:
    """``(ticks, ticks one step more)`` of a registry age (``"65 Years"``); ``None`` if absent."""
    match = _TRIAL_AGE.fullmatch(text.strip())
    if match is None:
        return None
    age = _age(match["n"], _unit_name(match["unit"]))
    return age.low, age.high


def _check_age(patient: _Age | None, trial: TrialRecord) -> FieldCheck:
    minimum, maximum = _limit(trial.minimum_age), _limit(trial.maximum_age)
    if minimum and maximum:
        requirement = f"{trial.minimum_age} to {trial.maximum_age}"
    elif minimum:
        requirement = f"at least {trial.minimum_age}"
    elif maximum:
        requirement = f"at most {trial.maximum_age}"
    elif not trial.gender:
        return FieldCheck("age", FieldStatus.UNKNOWN, _text(patient), None)
    else:
        return FieldCheck("age", FieldStatus.MET, _text(patient), "no age limit")
    if patient is None:
        return FieldCheck("age", FieldStatus.UNKNOWN, None, requirement)
    lowest = minimum[0] if minimum else 0
    beyond = maximum[1] if maximum else None  # first age no longer admitted
    if patient.high <= lowest or (beyond is not None and patient.low >= beyond):
        status = FieldStatus.NOT_MET
    elif patient.low >= lowest and (beyond is None or patient.high <= beyond):
        status = FieldStatus.MET
    else:
        status = FieldStatus.UNKNOWN
    return FieldCheck("age", status, patient.text, requirement)


def _text(age: _Age | None) -> str | None:
    return None if age is None else age.text


def _check_sex(sex: str | None, trial: TrialRecord) -> FieldCheck:
    if not trial.gender:
        return FieldCheck("sex", FieldStatus.UNKNOWN, sex, None)
    if trial.gender == "All":
        return FieldCheck("sex", FieldStatus.MET, sex, "All")
    if sex is None:
        return FieldCheck("sex", FieldStatus.UNKNOWN, None, trial.gender)
    status = FieldStatus.MET if sex == trial.gender.casefold() else FieldStatus.NOT_MET
    return FieldCheck("sex", status, sex, trial.gender)


def _check_healthy(patient: _Patient, trial: TrialRecord) -> FieldCheck:
    name = "healthy volunteers"
    if trial.healthy_volunteers is None:
        return FieldCheck(name, FieldStatus.UNKNOWN, patient.healthy_text, None)
    if trial.healthy_volunteers:
        return FieldCheck(name, FieldStatus.MET, patient.healthy_text, "accepts healthy volunteers")
    requirement = "does not accept healthy volunteers"
    if patient.healthy is None:
        return FieldCheck(name, FieldStatus.UNKNOWN, None, requirement)
    status = FieldStatus.NOT_MET if patient.healthy else FieldStatus.MET
    return FieldCheck(name, status, patient.healthy_text, requirement)


def structured_eligibility(
    patient_text_or_topic: str | TrialTopic, trial: TrialRecord
) -> StructuredEligibility:
    """Compare a patient (a note, or a topic of any year) with a trial's structured fields.

    See the module docstring for how the patient's age, sex and healthy-volunteer status are read
    and how each field is compared. Never raises; what cannot be read is ``unknown``.

    >>> from schemas.trials import TrialRecord
    >>> trial = TrialRecord(nct_id="NCT1", title="t", gender="Female", minimum_age="18 Years")
    >>> [c.describe() for c in structured_eligibility("A 17-year-old girl.", trial).checks]
    ... # doctest: +NORMALIZE_WHITESPACE
    ['age: patient 17 years, trial at least 18 Years → not met',
     'sex: patient female, trial Female → met',
     'healthy volunteers: patient not stated, trial not stated → unknown']
    """
    patient = _patient(patient_text_or_topic)
    return StructuredEligibility(
        age=_check_age(patient.age, trial),
        sex=_check_sex(patient.sex, trial),
        healthy_volunteers=_check_healthy(patient, trial),
    )


def structured_column(row: Mapping[str, Any]) -> StructuredEligibility | None:
    """The ``structured_eligibility`` column of a dataset row (a mapping or its JSON text), or
    ``None`` when the row has none or it is not a pre-check result.

    >>> structured_column({"structured_eligibility": "not json"}) is None
    True
    """
    value = row.get(STRUCTURED_COLUMN)
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return None
    return StructuredEligibility.from_dict(value)


STRUCTURED_COLUMN = "structured_eligibility"
"""The dataset column holding :meth:`StructuredEligibility.to_dict` (see :mod:`.dataset`)."""
