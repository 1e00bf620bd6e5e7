"""Seeded synthetic patients in EHRSHOT's schema, labeled by EHRSHOT's rules. SYNTHETIC DATA.

Nothing here comes from real records. Each patient is drawn from its own random stream
(``numpy.random.default_rng([seed, index])``), so a dataset of any size is generated in chunks with
constant memory and any patient can be regenerated alone. A patient has: a birth event and a
gender, 2–10 years of visits (~10 a year; 12% inpatient, 3% ER-to-inpatient, the rest outpatient;
stays log-normal with a median of 3.5 days), ICU stays in 15% of admissions (``visit_detail``
events at one of EHRSHOT's ICU care sites), daily lab panels during admissions (platelets,
potassium, glucose in mg/dL, sodium, hemoglobin in g/dL, each with an abnormal tail; 1% text
results such as ``normal``, 0.5% without a unit), chest X-rays with CheXpert findings in 40% of
admissions, the six new-diagnosis concepts (pre-existing or incident, coded as SNOMED or
ICD-10-CM, recurring at later visits) and background conditions, procedures, drugs and vitals up
to ``events_per_patient`` events (EHRSHOT averages 41.6M / 6,739 ≈ 6,200).

Labels are never planned: :class:`~.labelers.Labeler` derives them from the generated events with
EHRSHOT's rules, exactly as it would from real data. Prevalences that result (7–11% for
hypertension, hyperlipidemia and acute MI, ~2–3% for the rarer concepts) are reported by the
benchmark ``benchmarks/ehrshot_synthesize.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import numpy as np

from ehrmind_rewards.tasks.ehrshot.benchmark import TASKS
from ehrmind_rewards.tasks.ehrshot.events import (
    CHEXPERT_REPORT_CODE,
    DAY_US,
    HOUR_US,
    ICU_CODE,
    MINUTE_US,
    NO_VISIT,
    STATIC_TIME,
    Patient,
    make_patient,
)
from ehrmind_rewards.tasks.ehrshot.io.common import SPLITS
from ehrmind_rewards.tasks.ehrshot.io.femr import FemrWriter
from ehrmind_rewards.tasks.ehrshot.io.meds_writer import MedsWriter
from ehrmind_rewards.tasks.ehrshot.labelers import Label, Labeler
from ehrmind_rewards.tasks.ehrshot.vocabulary import (
    CHEST_XRAY,
    CONDITIONS,
    DIAGNOSIS_CODES,
    DRUGS,
    MEASUREMENTS,
    PROCEDURES,
    TASK_LABS,
)

EHRSHOT_EVENTS_PER_PATIENT = 6_200
"""EHRSHOT's 41.6M events over 6,739 patients, rounded."""

YEAR_US = 365 * DAY_US
_RECORD_START_MIN = 36 * 365 * DAY_US  # ~2006
_RECORD_START_SPAN = 10 * 365 * DAY_US

DIAGNOSIS_RATES: dict[str, tuple[float, float]] = {
    "new_hypertension": (0.30, 0.25),
    "new_hyperlipidemia": (0.30, 0.22),
    "new_acutemi": (0.02, 0.32),
    "new_pancan": (0.01, 0.10),
    "new_celiac": (0.01, 0.08),
    "new_lupus": (0.01, 0.08),
}
"""New-diagnosis task → (P(pre-existing), P(incident during the record)); design parameters."""

CHEXPERT_RATES = (0.10, 0.25, 0.05, 0.35, 0.20, 0.10, 0.10, 0.20, 0.05, 0.30, 0.03, 0.04, 0.25)
"""P(finding) for the 13 CheXpert findings after "No Finding", when a study is not normal."""

_BACKGROUND = (*CONDITIONS, *PROCEDURES, *DRUGS)


class _Builder:
    """Column lists of one patient under construction."""

    def __init__(self) -> None:
        self.time: list[int] = []
        self.code: list[str] = []
        self.value: list[float] = []
        self.text: list[str | None] = []
        self.unit: list[str | None] = []
        self.table: list[str | None] = []
        self.visit: list[int] = []
        self.end: list[int] = []

    def add(
        self,
        time: int,
        code: str,
        table: str,
        visit: int = NO_VISIT,
        value: float = float("nan"),
        unit: str | None = None,
        text: str | None = None,
        end: int = STATIC_TIME,
    ) -> None:
        self.time.append(time)
        self.code.append(code)
        self.value.append(value)
        self.text.append(text)
        self.unit.append(unit)
        self.table.append(table)
        self.visit.append(visit)
        self.end.append(end)


def _task_lab_value(task: str, rng: np.random.Generator) -> float:
    """One result of a lab task's measurement, in the unit of :data:`TASK_LABS`."""
    abnormal = rng.random()
    if task == "lab_thrombocytopenia":
        value = rng.uniform(20, 160) if abnormal < 0.12 else rng.normal(250, 60)
        return float(max(round(value), 5))
    if task == "lab_hyperkalemia":
        value = rng.uniform(5.0, 7.6) if abnormal < 0.08 else rng.normal(4.2, 0.4)
        return float(round(max(value, 2.5), 1))
    if task == "lab_hypoglycemia":
        value = rng.uniform(40, 80) if abnormal < 0.08 else rng.normal(110, 25)
        return float(max(round(value), 30))
    if task == "lab_hyponatremia":
        value = rng.uniform(118, 137) if abnormal < 0.10 else rng.normal(139, 3)
        return float(round(value))
    value = rng.uniform(5.0, 12.5) if abnormal < 0.20 else rng.normal(13.5, 1.6)
    return float(round(max(value, 3.0), 1))


def generate_patient(
    subject_id: int, seed: int, events_per_patient: int = EHRSHOT_EVENTS_PER_PATIENT
) -> Patient:
    """The synthetic patient number ``subject_id`` of the dataset drawn with ``seed``."""
    rng = np.random.default_rng([seed, subject_id])
    out = _Builder()
    record_start = _RECORD_START_MIN + int(rng.integers(0, _RECORD_START_SPAN))
    birth = record_start - int(rng.uniform(18.5, 85) * 365.25 * DAY_US)
    out.add(birth, "MEDS_BIRTH", "person")
    out.add(STATIC_TIME, "Gender/F" if rng.random() < 0.55 else "Gender/M", "person")

    years = rng.uniform(2, 10)
    n_visits = max(2, int(rng.poisson(10 * years)))
    mean_gap = years * YEAR_US / n_visits
    visits: list[tuple[int, int, int, bool]] = []  # (id, start, end, inpatient)
    clock = record_start
    for visit_id in range(n_visits):
        start = clock + int(rng.exponential(mean_gap))
        kind = rng.random()
        inpatient = kind < 0.15
        if inpatient:
            start = (start // DAY_US) * DAY_US + int(rng.integers(0, 24 * 60)) * MINUTE_US
            stay = float(np.exp(rng.normal(np.log(3.5), 0.75)))
            end = start + int(stay * DAY_US)
            code = "Visit/IP" if kind < 0.12 else "Visit/ERIP"
        else:
            end = start + HOUR_US
            code = "Visit/OP"
        out.add(start, code, "visit_occurrence", visit_id, end=end)
        visits.append((visit_id, start, end, inpatient))
        clock = end

    for visit_id, start, end, inpatient in visits:
        if not inpatient:
            continue
        if rng.random() < 0.15:
            icu = int(rng.integers(start, end))
            out.add(icu, ICU_CODE, "visit_detail", visit_id, end=min(end, icu + 2 * DAY_US))
        for day in range(start, end, DAY_US):
            draw = day + int(rng.integers(0, 6 * 60)) * MINUTE_US
            if draw >= end:
                break
            for task, (code, _, unit) in TASK_LABS.items():
                if rng.random() >= 0.7:
                    continue
                quirk = rng.random()
                if quirk < 0.01:  # a text result, as EHRSHOT's data has ("normal" is class 0)
                    text = "normal" if quirk < 0.006 else "see comment"
                    out.add(draw, code, "measurement", visit_id, unit=unit, text=text)
                else:  # now and then without a unit, which the unit-reading labelers skip
                    shown = None if quirk < 0.015 else unit
                    out.add(draw, code, "measurement", visit_id, _task_lab_value(task, rng), shown)
        if rng.random() < 0.4:
            taken = int(rng.integers(start, end))
            out.add(taken, CHEST_XRAY[0], CHEST_XRAY[2], visit_id)
            if rng.random() < 0.25:
                bits = "1" + "0" * 13
            else:
                bits = "0" + "".join("1" if rng.random() < p else "0" for p in CHEXPERT_RATES)
            out.add(taken + 2 * HOUR_US, CHEXPERT_REPORT_CODE, "note", visit_id, text=bits)

    for task, (p_prior, p_incident) in DIAGNOSIS_RATES.items():
        roll = rng.random()
        if roll >= p_prior + p_incident:
            continue
        lo, hi = (0, max(1, n_visits // 5)) if roll < p_prior else (n_visits // 5, n_visits)
        first = int(rng.integers(lo, max(hi, lo + 1)))
        for visit_id, start, end, _ in visits[first:]:
            if visit_id == first or rng.random() < 0.3:
                code, _ = DIAGNOSIS_CODES[task][int(rng.integers(0, 2))]
                out.add(start + int(rng.integers(0, end - start + 1)), code, "condition_occurrence",
                        visit_id)  # fmt: skip

    background = _background(visits, events_per_patient - len(out.code), rng)
    return make_patient(
        subject_id,
        np.concatenate([np.asarray(out.time, np.int64), background["time"]]),
        [*out.code, *background["code"]],
        np.concatenate([np.asarray(out.value, np.float64), background["value"]]),
        [*out.text, *background["text"]],
        [*out.unit, *background["unit"]],
        [*out.table, *background["table"]],
        np.concatenate([np.asarray(out.visit, np.int64), background["visit"]]),
        np.concatenate([np.asarray(out.end, np.int64), background["end"]]),
    )


_CODES = np.array([c[0] for c in _BACKGROUND] + [m[0] for m in MEASUREMENTS], dtype=object)
_TABLES = np.array([c[2] for c in _BACKGROUND] + ["measurement"] * len(MEASUREMENTS), dtype=object)
_UNITS = np.array([None] * len(_BACKGROUND) + [m[2] for m in MEASUREMENTS], dtype=object)
_MEANS = np.array([np.nan] * len(_BACKGROUND) + [m[3] for m in MEASUREMENTS])
_SDS = np.array([0.0] * len(_BACKGROUND) + [m[4] for m in MEASUREMENTS])
_SCALE = np.array([1.0] * len(_BACKGROUND) + [10.0 ** m[5] for m in MEASUREMENTS])


def _background(
    visits: list[tuple[int, int, int, bool]], n: int, rng: np.random.Generator
) -> dict[str, Any]:
    """``n`` background events spread over visits in proportion to visit length (vectorised)."""
    n = max(n, 0)
    starts = np.array([v[1] for v in visits], dtype=np.int64)
    ends = np.array([v[2] for v in visits], dtype=np.int64)
    weights = np.maximum((ends - starts) / DAY_US, 0.05)
    which = rng.choice(len(visits), size=n, p=weights / weights.sum())
    times = starts[which] + (rng.random(n) * (ends[which] - starts[which])).astype(np.int64)
    picks = rng.integers(0, _CODES.size, size=n)
    raw = _MEANS[picks] + _SDS[picks] * rng.standard_normal(n)
    return {
        "time": times,
        "code": _CODES[picks].tolist(),
        "value": np.round(raw * _SCALE[picks]) / _SCALE[picks],
        "text": [None] * n,
        "unit": _UNITS[picks].tolist(),
        "table": _TABLES[picks].tolist(),
        "visit": which.astype(np.int64),
        "end": np.full(n, STATIC_TIME, np.int64),
    }


SYNTHETIC_MARKER = "SYNTHETIC.md"
"""The file that marks a generated dataset as synthetic."""


def synthesize(
    n_patients: int,
    seed: int,
    out_dir: str | Path,
    format: Literal["meds", "femr"] = "meds",
    *,
    events_per_patient: int | None = None,
    patients_per_shard: int = 1_000,
    patients_per_row_group: int = 100,
) -> Path:
    """Write a SYNTHETIC EHRSHOT-shaped dataset of ``n_patients`` and return its directory.

    Patients are generated, labeled (all 15 tasks, by EHRSHOT's rules) and written in chunks, so
    memory stays flat at any size. Subject ids are 1…n. The directory gets a ``SYNTHETIC.md``
    saying the data is synthetic. ``events_per_patient`` defaults to EHRSHOT's ≈ 6,200.
    """
    if n_patients < 1:
        raise ValueError("n_patients must be ≥ 1")
    if format not in ("meds", "femr"):
        raise ValueError(f"format must be 'meds' or 'femr', not {format!r}")
    root = Path(out_dir)
    root.mkdir(parents=True, exist_ok=True)
    per_patient = events_per_patient or EHRSHOT_EVENTS_PER_PATIENT
    writer: MedsWriter | FemrWriter = (
        MedsWriter(root, patients_per_shard, patients_per_row_group)
        if format == "meds"
        else FemrWriter(root)
    )
    labels: dict[str, list[Label]] = {task: [] for task in TASKS}
    labeler = Labeler()
    splits: dict[int, str] = {}
    split_rng = np.random.default_rng([seed, 0])  # patients use [seed, id ≥ 1]
    for subject in range(1, n_patients + 1):
        patient = generate_patient(subject, seed, per_patient)
        writer.add(patient)
        for task, found in labeler.label_all(patient).items():
            labels[task].extend(found)
        splits[subject] = SPLITS[int(split_rng.integers(0, 3))]
    writer.close()
    writer.write_metadata(splits)
    for task, found in labels.items():
        writer.write_labels(task, found)
    (root / SYNTHETIC_MARKER).write_text(
        "# SYNTHETIC DATA\n\nGenerated by ehrmind_rewards.tasks.ehrshot.synthetic.synthesize"
        f"(n_patients={n_patients}, seed={seed}, format={format!r}). No real patient records: "
        "events and labels are simulated in EHRSHOT's schema.\n",
        encoding="utf-8",
    )
    return root
