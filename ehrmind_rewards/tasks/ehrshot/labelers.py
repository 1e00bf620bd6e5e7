"""EHRSHOT's labeling rules, applied to one patient's events.

These re-derive EHRSHOT's labels on MEDS or FEMR data (the synthetic data, or a user's own data,
``ehrmind-rewards ehrshot label``); EHRSHOT's releases ship their labels, which the readers read
as they are. Each rule follows EHRSHOT's code (som-shahlab/ehrshot-benchmark, ``ehrshot/``); the
cited lines are of ``labelers/ehrshot.py`` unless another file is named. Times are µs since 1970.

Shared definitions

* **Admissions** (``labelers/omop.py:174-207``): events whose code is in the ``inpatient_visit``
  set (``Visit/IP`` only, not expanded, ``omop.py:19-20,116-120``) from the ``visit_occurrence``
  table, with an end; zero-length ones are dropped. Events without an end (EHRSHOT raises) or
  ending before they start are skipped and counted.
* **Record start / end**: the first and last timed event (``patient.events[0].start`` /
  ``[-1].start``, ``labelers/core.py:526-528``).
* **End of day** is 23:59:59 (``omop.py:62-63``); label times are then floored to the minute
  (``2_generate_labels.py:219-222``), so they read 23:59.
* No age filter: EHRSHOT drops labels before age 18 only when sampling one label per patient
  (``2_generate_labels.py:45-53``), which its benchmark script does not ask for.

Tasks

* ``guo_los`` (``ehrshot.py:52-62``): per admission, skipped if discharged on the admission
  day; prediction at the end of the admission day; positive if the stay lasts ≥ 7 days.
* ``guo_readmission`` (``ehrshot.py:87-106``, ``labelers/core.py:544-631``): prediction at the
  end of each discharge day (sorted, duplicates once), except a discharge on the day an earlier
  admission started; positive if an admission starts in [+1 minute, +30 days]; a negative whose
  record ends before +30 days is censored (dropped, the default ``is_apply_censoring``).
* ``guo_icu`` (``ehrshot.py:132-153``, ``omop.py:129-154,266-345``): ICU stays are
  ``visit_detail`` events of the ``icu_care_site`` set (EHRSHOT's 25 care sites) with an end,
  zero-length ones dropped; per admission, skipped if discharged on the admission day or if an ICU
  stay starts on the admission day; prediction at the end of the admission day; positive if the
  first ICU stay starting at or after it starts by discharge.
* ``new_*`` (``ehrshot.py:540-680``): outcome = any event of the task's code set; prediction at
  the end of each discharge day (sorted, duplicates once) up to and including the first outcome;
  positive if an outcome falls in [+1 day, +365 days] (any record, not only the first);
  no censoring (``is_apply_censoring() = False``): without an outcome the label is negative.
* ``lab_*`` (``omop_lab_values.py:48-69``): per result of the task's code set with a value, one
  minute before it, except results at the record start; class from :func:`~.benchmark.lab_class`
  (text ``normal``/``adequate`` is class 0; unknown units and non-numeric text skip the result).
* ``chexpert`` (``ehrshot.py:821-840``): 24 hours before each report, except reports whose
  prediction time is at or before the record start; the label is the report's 14 bits (the
  synthetic data's :data:`~.events.CHEXPERT_REPORT_CODE` event; EHRSHOT reads them from a TSV of
  report labels that is not released).

Labels of a patient are ordered by (prediction time, value), as EHRSHOT saves them
(``2_generate_labels.py:101``). Where a dataset has no ``omop_table`` column the table checks are
not applied (every such event counts).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from ehrmind_rewards.tasks.ehrshot.benchmark import TASKS, Task, TaskGroup, lab_class
from ehrmind_rewards.tasks.ehrshot.code_sets import CodeSet, code_sets
from ehrmind_rewards.tasks.ehrshot.events import (
    CHEXPERT_REPORT_CODE,
    DAY_US,
    MINUTE_US,
    STATIC_TIME,
    Patient,
    day_of,
    end_of_day,
    floor_minute,
)

LOS_THRESHOLD_US = 7 * DAY_US
READMISSION_START_US = MINUTE_US
READMISSION_END_US = 30 * DAY_US
NEW_DIAGNOSIS_START_US = DAY_US
NEW_DIAGNOSIS_END_US = 365 * DAY_US
LAB_LEAD_US = MINUTE_US
CHEXPERT_LEAD_US = DAY_US
VISIT_TABLE = "visit_occurrence"
VISIT_DETAIL_TABLE = "visit_detail"


@dataclass(frozen=True, slots=True)
class Label:
    """One labeled prediction: who, when (µs since 1970) and the label (int, or 14 bits)."""

    subject_id: int
    prediction_time: int
    value: int | tuple[int, ...]


@lru_cache(maxsize=1)
def bundled_code_sets() -> Mapping[str, CodeSet]:
    """The bundled ``code_sets.csv`` without an ontology (read once)."""
    return code_sets()


@dataclass(slots=True)
class _View:
    """One patient's events indexed for the labelers."""

    patient: Patient
    positions: dict[str, list[int]]
    first: int | None
    last: int | None

    @classmethod
    def of(cls, patient: Patient) -> _View:
        positions: dict[str, list[int]] = {}
        for i, code in enumerate(patient.code.tolist()):
            positions.setdefault(code, []).append(i)
        timed = patient.time[patient.time != STATIC_TIME]
        first = int(timed.min()) if timed.size else None
        last = int(timed.max()) if timed.size else None
        return cls(patient, positions, first, last)

    def table_is(self, i: int, table: str) -> bool:
        known = self.patient.omop_table[i]
        return known is None or known == table


@dataclass
class Labeler:
    """EHRSHOT's labelers over a set of resolved code sets (default: the bundled file).

    ``skipped`` counts the events a rule could not use, by reason (``visit_without_end``,
    ``lab_unusable:<task>``, …), so a run can say what it left out.
    """

    sets: Mapping[str, CodeSet] = field(default_factory=lambda: bundled_code_sets())
    skipped: Counter[str] = field(default_factory=Counter)
    _member: dict[tuple[str, str], bool] = field(default_factory=dict, repr=False)

    def _in(self, set_name: str, code: str) -> bool:
        key = (set_name, code)
        hit = self._member.get(key)
        if hit is None:
            hit = self._member[key] = code in self.sets[set_name]
        return hit

    def _find(self, view: _View, set_name: str) -> list[int]:
        found = [i for code, at in view.positions.items() if self._in(set_name, code) for i in at]
        return sorted(found)

    def label_all(self, patient: Patient) -> dict[str, list[Label]]:
        """Labels of every task for one patient."""
        view = _View.of(patient)
        admissions = self._admissions(view)
        return {name: self._label(view, task, admissions) for name, task in TASKS.items()}

    def label(self, patient: Patient, task: Task) -> list[Label]:
        """All labels of ``task`` for ``patient``, ordered by (prediction time, value)."""
        view = _View.of(patient)
        return self._label(view, task, self._admissions(view))

    def _label(self, view: _View, task: Task, admissions: list[tuple[int, int]]) -> list[Label]:
        sid = view.patient.subject_id
        found: list[tuple[int, int]] | list[tuple[int, tuple[int, ...]]]
        if task.group is TaskGroup.LAB:
            found = self._labs(view, task)
        elif task.name == "chexpert":
            found = self._chexpert(view)
        elif task.name == "guo_los":
            found = _los(admissions)
        elif task.name == "guo_readmission":
            found = _readmission(admissions, view.last)
        elif task.name == "guo_icu":
            found = _icu(admissions, self._icu_starts(view))
        else:
            outcomes = sorted(int(view.patient.time[i]) for i in self._find(view, task.name))
            found = _new_diagnosis(admissions, outcomes)
        labels = [Label(sid, floor_minute(at), value) for at, value in found]
        labels.sort(key=lambda label: (label.prediction_time, _sort_value(label.value)))
        return labels

    def _admissions(self, view: _View) -> list[tuple[int, int]]:
        """(start, end) of each admission, in event order (``omop.py:174-207``)."""
        p = view.patient
        out = []
        for i in self._find(view, "inpatient_visit"):
            if not view.table_is(i, VISIT_TABLE):
                continue
            start, end = int(p.time[i]), int(p.end[i])
            if start == STATIC_TIME:
                self.skipped["visit_without_start"] += 1
            elif end == STATIC_TIME:
                self.skipped["visit_without_end"] += 1
            elif start > end:
                self.skipped["visit_end_before_start"] += 1
            elif start != end:  # single points in time are dropped (omop.py:185-187)
                out.append((start, end))
        return out

    def _icu_starts(self, view: _View) -> list[int]:
        """Start times of ICU stays (``omop.py:129-154``)."""
        p = view.patient
        starts = []
        for i in self._find(view, "icu_care_site"):
            if not view.table_is(i, VISIT_DETAIL_TABLE):
                continue
            start, end = int(p.time[i]), int(p.end[i])
            if start == STATIC_TIME or end == STATIC_TIME:
                self.skipped["icu_stay_without_end"] += 1
            elif start > end:
                self.skipped["icu_stay_end_before_start"] += 1
            elif start != end:
                starts.append(start)
        return sorted(starts)

    def _labs(self, view: _View, task: Task) -> list[tuple[int, int]]:
        """``omop_lab_values.py:48-69``: one label per usable result, 1 minute before it."""
        assert task.lab is not None
        p = view.patient
        out = []
        for i in self._find(view, task.name):
            time = int(p.time[i])
            if time == STATIC_TIME or time == view.first:
                continue  # "events that occur at the same time as the first event" (l. 51-53)
            number = float(p.numeric_value[i])
            raw: float | str | None = number if number == number else p.text_value[i]
            if raw is None:
                continue  # `if e.value is not None` (l. 56)
            unit = p.unit[i]
            try:
                value = lab_class(task.lab, raw, unit if isinstance(unit, str) else None)
            except ValueError:
                self.skipped[f"lab_unusable:{task.name}"] += 1  # the labeler's `except` (l. 62)
                continue
            out.append((time - LAB_LEAD_US, value))
        return out

    def _chexpert(self, view: _View) -> list[tuple[int, tuple[int, ...]]]:
        p = view.patient
        out = []
        for i in view.positions.get(CHEXPERT_REPORT_CODE, ()):
            bits = str(p.text_value[i])
            if len(bits) != 14 or set(bits) - {"0", "1"}:
                raise ValueError(f"subject {p.subject_id}: malformed CheXpert bits {bits!r}")
            at = int(p.time[i]) - CHEXPERT_LEAD_US
            if view.first is not None and at <= view.first:
                continue  # `if prediction_time <= start_time: continue` (l. 832-833)
            out.append((at, tuple(int(b) for b in bits)))
        return out


def _sort_value(value: int | tuple[int, ...]) -> int:
    if isinstance(value, tuple):
        return int("".join(map(str, value)), 2)
    return value


def _los(admissions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``ehrshot.py:52-62``."""
    out = []
    for start, end in admissions:
        if day_of(start) == day_of(end):
            continue  # "If admission and discharge are on the same day, then ignore"
        out.append((end_of_day(start), int(end - start >= LOS_THRESHOLD_US)))
    return out


def _readmission(admissions: list[tuple[int, int]], last: int | None) -> list[tuple[int, int]]:
    """``ehrshot.py:94-106`` (prediction times) and ``core.py:544-631`` (labels, censored)."""
    times: list[int] = []
    admission_days: set[int] = set()
    for start, end in admissions:
        at = end_of_day(end)
        if day_of(at) in admission_days:
            continue  # "Ignore patients who are readmitted the same day they were discharged"
        times.append(at)
        admission_days.add(day_of(start))
    outcomes = [start for start, _ in admissions]
    return _time_horizon(
        sorted(set(times)),
        outcomes,
        READMISSION_START_US,
        READMISSION_END_US,
        last,
        censor=True,
    )


def _time_horizon(
    times: Iterable[int],
    outcomes: list[int],
    start: int,
    end: int,
    last: int | None,
    *,
    censor: bool,
) -> list[tuple[int, int]]:
    """``TimeHorizonEventLabeler.label`` (``core.py:573-631``): positive if the first outcome at
    or after ``t + start`` is at or before ``t + end``; a negative whose record ends before
    ``t + end`` is dropped when ``censor``."""
    ordered = sorted(outcomes)
    out = []
    for t in times:
        k = bisect_left(ordered, t + start)
        positive = k < len(ordered) and ordered[k] <= t + end
        censored = last is not None and last < t + end
        if positive:
            out.append((t, 1))
        elif not censored or not censor:
            out.append((t, 0))
    return out


def _icu(admissions: list[tuple[int, int]], icu_starts: list[int]) -> list[tuple[int, int]]:
    """``ehrshot.py:136-153`` (visits) and ``WithinVisitLabeler.label`` (``omop.py:266-345``)."""
    icu_days = {day_of(t) for t in icu_starts}
    out = []
    for start, end in admissions:
        if day_of(start) == day_of(end):
            continue  # "If admission and discharge are on the same day, then ignore"
        if day_of(start) in icu_days:
            continue  # "If ICU transfer occurs on the same day as admission, then ignore"
        at = end_of_day(start)
        k = bisect_left(icu_starts, at)
        out.append((at, int(k < len(icu_starts) and icu_starts[k] <= end)))
    return out


def _new_diagnosis(admissions: list[tuple[int, int]], outcomes: list[int]) -> list[tuple[int, int]]:
    """``FirstDiagnosisTimeHorizonCodeLabeler`` (``ehrshot.py:562-680``)."""
    times = sorted({end_of_day(end) for _, end in admissions})
    if outcomes:
        first = min(outcomes)
        times = [t for t in times if t <= first]  # "Drop all times that occur after first dx"
    return _time_horizon(
        times, outcomes, NEW_DIAGNOSIS_START_US, NEW_DIAGNOSIS_END_US, None, censor=False
    )


def label_patient(patient: Patient, task: Task, labeler: Labeler | None = None) -> list[Label]:
    """All labels of ``task`` for ``patient`` (bundled code sets unless a ``labeler`` is given)."""
    return (labeler or Labeler()).label(patient, task)


def label_all(patient: Patient, labeler: Labeler | None = None) -> dict[str, list[Label]]:
    """Labels of every task for one patient."""
    return (labeler or Labeler()).label_all(patient)


def iter_labels(
    patients: Iterable[Patient], tasks: Iterable[str], labeler: Labeler | None = None
) -> Iterator[tuple[str, Label]]:
    """``(task, label)`` for every patient and task, patient by patient."""
    labeler = labeler or Labeler()
    wanted = [TASKS[name] for name in tasks]
    for patient in patients:
        view = _View.of(patient)
        admissions = labeler._admissions(view)
        for task in wanted:
            for label in labeler._label(view, task, admissions):
                yield task.name, label
