"""EHRSHOT's labeling rules, applied to one patient's events.

Used to label the synthetic data (and by anyone who wants to re-derive labels on their own MEDS
data; the real EHRSHOT release ships its labels, which the loaders read as they are). Rules, after
EHRSHOT (arXiv 2307.02028, §3 and its labelers) and ``docs/ehrshot.md``:

* Admissions are ``Visit/IP`` / ``Visit/ERIP`` events with an ``end``; patients must be ≥ 18 years
  old at the prediction time when a birth event is present.
* ``guo_los`` / ``guo_icu``: prediction at 23:59 on the admission day; admissions already over by
  then are skipped. LOS positive if end − start ≥ 7 days. ICU positive if an ICU stay starts in
  (prediction time, discharge]; admissions with an ICU stay starting at or before the prediction
  time are skipped.
* ``guo_readmission``: prediction at 23:59 on the discharge day; positive if another admission
  starts in (prediction time, prediction time + 30 days]; skipped if one started in
  (discharge, prediction time]; a negative needs follow-up (an event at or after the window end),
  otherwise it is censored and skipped.
* ``new_*``: prediction at 23:59 on each discharge day; skipped if the concept was recorded at or
  before the prediction time; positive if its first record falls in (prediction time, prediction
  time + 365 days] — days 1–365 after the discharge day; negatives need follow-up as above.
* ``lab_*``: one prediction per result of the task's LOINC codes, 1 minute before it; the class
  comes from the result's value and unit (:func:`~.benchmark.lab_class`).
* ``chexpert``: one prediction per report, 24 hours before it; the label is the report's 14 bits
  (in the synthetic data a :data:`~.events.CHEXPERT_REPORT_CODE` event).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ehrmind_rewards.tasks.ehrshot.benchmark import TASKS, Task, TaskGroup, lab_class
from ehrmind_rewards.tasks.ehrshot.events import (
    BIRTH_CODES,
    CHEXPERT_REPORT_CODE,
    DAY_US,
    ICU_CODE,
    INPATIENT_VISIT_CODES,
    MINUTE_US,
    STATIC_TIME,
    Patient,
    end_of_day,
)

ADULT_AGE_DAYS = 18 * 365.25
LOS_THRESHOLD_US = 7 * DAY_US
READMISSION_WINDOW_US = 30 * DAY_US
NEW_DIAGNOSIS_WINDOW_US = 365 * DAY_US
CHEXPERT_LEAD_US = DAY_US


@dataclass(frozen=True, slots=True)
class Label:
    """One labeled prediction: who, when (µs since 1970) and the label (int, or 14 bits)."""

    subject_id: int
    prediction_time: int
    value: int | tuple[int, ...]


class _CodeIndex:
    """Positions of each code in one patient's events, built in one pass."""

    def __init__(self, patient: Patient) -> None:
        self.positions: dict[str, list[int]] = {}
        for i, code in enumerate(patient.code.tolist()):
            self.positions.setdefault(code, []).append(i)

    def find(self, codes: Iterable[str]) -> NDArray[np.intp]:
        found = [i for code in codes for i in self.positions.get(code, ())]
        return np.array(sorted(found), dtype=np.intp)


def label_patient(patient: Patient, task: Task, index: _CodeIndex | None = None) -> list[Label]:
    """All labels of ``task`` for ``patient``, in prediction-time order."""
    index = index or _CodeIndex(patient)
    births = patient.time[index.find(BIRTH_CODES)]
    births = births[births != STATIC_TIME]
    adult_from = int(births.min()) + int(ADULT_AGE_DAYS * DAY_US) if births.size else STATIC_TIME
    labels = [lab for lab in _labels(patient, task, index) if lab.prediction_time >= adult_from]
    labels.sort(key=lambda label: label.prediction_time)
    return labels


def _labels(patient: Patient, task: Task, index: _CodeIndex) -> Iterator[Label]:
    sid = patient.subject_id
    if task.group is TaskGroup.LAB:
        assert task.lab is not None
        for i in index.find(f"LOINC/{code}" for code in task.lab.loinc):
            value = float(patient.numeric_value[i])
            if value != value:
                continue
            unit = patient.unit[i]
            yield Label(sid, int(patient.time[i]) - MINUTE_US, lab_class(task.lab, value, unit))
        return
    if task.name == "chexpert":
        for i in index.find([CHEXPERT_REPORT_CODE]):
            bits = str(patient.text_value[i])
            if len(bits) != 14 or set(bits) - {"0", "1"}:
                raise ValueError(f"subject {sid}: malformed CheXpert bits {bits!r}")
            yield Label(sid, int(patient.time[i]) - CHEXPERT_LEAD_US, tuple(int(b) for b in bits))
        return
    visits = index.find(INPATIENT_VISIT_CODES)
    visits = visits[patient.end[visits] != STATIC_TIME]
    admissions = [(int(patient.time[i]), int(patient.end[i])) for i in visits]
    last = int(patient.time.max()) if len(patient) else STATIC_TIME
    if task.name in ("guo_los", "guo_icu"):
        icu = patient.time[index.find([ICU_CODE])]
        for start, end in admissions:
            at = end_of_day(start)
            if end <= at:
                continue
            if task.name == "guo_los":
                yield Label(sid, at, int(end - start >= LOS_THRESHOLD_US))
            elif not ((icu >= start) & (icu <= at)).any():
                yield Label(sid, at, int(((icu > at) & (icu <= end)).any()))
        return
    if task.name == "guo_readmission":
        starts = np.array([s for s, _ in admissions], dtype=np.int64)
        for _, end in admissions:
            at = end_of_day(end)
            if ((starts > end) & (starts <= at)).any():
                continue
            positive = bool(((starts > at) & (starts <= at + READMISSION_WINDOW_US)).any())
            if positive or last >= at + READMISSION_WINDOW_US:
                yield Label(sid, at, int(positive))
        return
    assert task.diagnosis is not None
    rule = task.diagnosis
    hits = patient.time[index.find(code for code in index.positions if rule.matches(code))]
    first = int(hits.min()) if hits.size else None
    for _, end in admissions:
        at = end_of_day(end)
        if first is not None and first <= at:
            continue
        positive = first is not None and first <= at + NEW_DIAGNOSIS_WINDOW_US
        if positive or last >= at + NEW_DIAGNOSIS_WINDOW_US:
            yield Label(sid, at, int(positive))


def label_all(patient: Patient) -> dict[str, list[Label]]:
    """Labels of every task for one patient."""
    index = _CodeIndex(patient)
    return {name: label_patient(patient, task, index) for name, task in TASKS.items()}
