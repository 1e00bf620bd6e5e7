"""The synthetic generator's labels, re-derived by an independent implementation of EHRSHOT's rules.

This file re-implements EHRSHOT's labelers (som-shahlab/ehrshot-benchmark: ``labelers/ehrshot.py``,
``labelers/omop.py``, ``labelers/omop_lab_values.py``, ``labelers/core.py``) from their code, on
plain Python rows read straight from the written parquet files, with ``datetime`` values and
explicit threshold ladders instead of the task registry and the code-set file, and checks that
every label the generator wrote is reproduced and nothing else is (100% agreement, all 15 tasks).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from ehrmind_rewards.tasks.ehrshot.benchmark import LAB_CLASSES, get_task, lab_class
from ehrmind_rewards.tasks.ehrshot.io import open_ehrshot
from ehrmind_rewards.tasks.ehrshot.labelers import label_all
from ehrmind_rewards.tasks.ehrshot.synthetic import generate_patient, synthesize

# --- the independent rules ------------------------------------------------------------------------

CONCEPTS = {  # the synthetic generator's codes of each concept (SNOMED root or an ICD-10-CM code)
    "new_hypertension": {"SNOMED/59621000", "ICD10CM/I10"},
    "new_hyperlipidemia": {"SNOMED/55822004", "ICD10CM/E78.5"},
    "new_pancan": {"SNOMED/372003004", "ICD10CM/C25.9"},
    "new_celiac": {"SNOMED/396331005", "ICD10CM/K90.0"},
    "new_lupus": {"SNOMED/55464009", "ICD10CM/M32.9"},
    "new_acutemi": {"SNOMED/57054005", "ICD10CM/I21.9"},
}
ICU_SITES = {"CARE_SITE/7928450"}  # one of omop.py:31-59's 25 care sites


def exact(value: float) -> Fraction:
    """The decimal a float32 MEDS value was written as."""
    return Fraction(Decimal(str(np.float32(value))))


def severity(task: str, value: object, unit: str | None) -> int | None:
    """EHRSHOT's ``value_to_label`` (ehrshot.py:378-527); ``None`` where it raises (skipped)."""
    if isinstance(value, str):
        if value.lower() in ("normal", "adequate"):
            return 0
        try:
            v = Fraction(Decimal(str(float(value))))
        except ValueError:
            return None
    else:
        v = exact(value)  # type: ignore[arg-type]
    u = str(unit).lower()  # str(e.unit): a missing unit is "none"
    if task == "lab_thrombocytopenia":  # unit never read
        return 3 if v < 50 else 2 if v < 100 else 1 if v < 150 else 0
    if task == "lab_hyponatremia":  # unit never read
        return 3 if v < 125 else 2 if v < 130 else 1 if v <= 135 else 0
    if task == "lab_hyperkalemia":
        if u.startswith(("mmol/l", "meq/l")):
            pass
        elif u.startswith("mg/dl"):
            v = v / 18
        else:
            return None
        return 3 if v > 7 else 2 if v > 6 else 1 if v > Fraction(11, 2) else 0
    if task == "lab_hypoglycemia":
        if u.startswith("mg/dl"):
            v = v / 18
        elif not u.startswith("mmol/l"):
            return None
        return 3 if v < 3 else 2 if v < Fraction(7, 2) else 1 if v <= Fraction(39, 10) else 0
    assert task == "lab_anemia"
    if u.startswith("g/dl"):
        v = v * 10
    elif u.startswith("mg/dl"):
        v = v / 100
    elif not u.startswith("g/l"):
        return None
    return 3 if v < 70 else 2 if v < 110 else 1 if v < 120 else 0


LAB_CODES = {
    "lab_thrombocytopenia": "LOINC/777-3",
    "lab_hyperkalemia": "LOINC/2823-3",
    "lab_hypoglycemia": "LOINC/2345-7",
    "lab_hyponatremia": "LOINC/2951-2",
    "lab_anemia": "LOINC/718-7",
}


def eod(moment: datetime) -> datetime:
    """move_datetime_to_end_of_day (omop.py:62-63)."""
    return moment.replace(hour=23, minute=59, second=59)


def midnight(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def minute(moment: datetime) -> datetime:
    """2_generate_labels.py:219-222."""
    return moment.replace(second=0, microsecond=0)


def horizon(
    times: list[datetime],
    outcomes: list[datetime],
    start: timedelta,
    end: timedelta,
    last: datetime,
    censor: bool,
) -> list[tuple[datetime, int]]:
    """TimeHorizonEventLabeler.label (core.py:573-631), as a plain loop over outcomes."""
    out = []
    for t in times:
        after = [o for o in sorted(outcomes) if o >= t + start]
        if after and after[0] <= t + end:
            out.append((t, 1))
        elif not (last < t + end) or not censor:
            out.append((t, 0))
    return out


def rederive(rows: list[dict]) -> dict[str, Counter]:  # type: ignore[type-arg]
    by_subject: dict[int, list[dict]] = defaultdict(list)  # type: ignore[type-arg]
    for row in rows:
        by_subject[row["subject_id"]].append(row)
    out: dict[str, Counter] = defaultdict(Counter)  # type: ignore[type-arg]
    for sid, events in by_subject.items():
        timed = sorted((e for e in events if e["time"] is not None), key=lambda e: e["time"])
        first, last = timed[0]["time"], timed[-1]["time"]

        def add(task: str, at: datetime, value: object, sid: int = sid) -> None:
            out[task][(sid, minute(at), value)] += 1

        stays = [
            (e["time"], e["end"])
            for e in timed  # omop.py:174-192
            if e["code"] == "Visit/IP"
            and e["omop_table"] == "visit_occurrence"
            and e["end"] is not None
            and e["time"] != e["end"]
        ]
        icu = [
            e["time"]
            for e in timed
            if e["code"] in ICU_SITES  # omop.py:129-154
            and e["omop_table"] == "visit_detail"
            and e["end"] != e["time"]
        ]
        icu_days = {midnight(t) for t in icu}
        for start, end in stays:
            if start.date() == end.date():
                continue
            add("guo_los", eod(start), int(end - start >= timedelta(days=7)))  # ehrshot.py:52-62
            if midnight(start) not in icu_days:  # ehrshot.py:136-153, omop.py:266-345
                after = [t for t in icu if t >= eod(start)]
                add("guo_icu", eod(start), int(bool(after) and min(after) <= end))
        times, seen_days = [], set()
        for start, end in stays:  # ehrshot.py:94-106
            if midnight(eod(end)) in seen_days:
                continue
            times.append(eod(end))
            seen_days.add(midnight(start))
        starts = [s for s, _ in stays]
        for at, value in horizon(
            sorted(set(times)), starts, timedelta(minutes=1), timedelta(days=30), last, censor=True
        ):
            add("guo_readmission", at, value)
        discharges = sorted({eod(end) for _, end in stays})
        for task, codes in CONCEPTS.items():  # ehrshot.py:562-680
            seen = [e["time"] for e in timed if e["code"] in codes]
            kept = [t for t in discharges if not seen or t <= min(seen)]
            for at, value in horizon(
                kept, seen, timedelta(days=1), timedelta(days=365), last, censor=False
            ):
                add(task, at, value)
        for e in timed:  # omop_lab_values.py:48-69
            if e["time"] == first:
                continue
            for task, code in LAB_CODES.items():
                value = e["numeric_value"] if e["numeric_value"] is not None else e["text_value"]
                if e["code"] == code and value is not None:
                    level = severity(task, value, e["unit"])
                    if level is not None:
                        add(task, e["time"] - timedelta(minutes=1), level)
            if e["code"] == "SYNTHETIC/CHEXPERT_REPORT":  # ehrshot.py:821-840
                at = e["time"] - timedelta(hours=24)
                if at > first:
                    add("chexpert", at, int(e["text_value"], 2))
    return out


def written_labels(root: Path, task: str) -> Counter:  # type: ignore[type-arg]
    rows = pq.read_table(root / "labels" / task / "labels.parquet").to_pylist()
    column = "boolean_value" if get_task(task).kind == "binary" else "integer_value"
    return Counter((r["subject_id"], r["prediction_time"], int(r[column])) for r in rows)


@pytest.fixture(scope="module")
def meds_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthesize(40, 7, tmp_path_factory.mktemp("meds"), events_per_patient=400)


def test_written_labels_match_an_independent_rederivation(meds_root: Path) -> None:
    events = [
        row
        for f in sorted((meds_root / "data").glob("*.parquet"))
        for row in pq.read_table(f).to_pylist()
    ]
    expected = rederive(events)
    total = 0
    for task in get_task.__globals__["TASKS"]:
        written = written_labels(meds_root, task)
        assert written == expected[task], task
        assert written, task  # every task has labels, so every rule ran
        total += sum(written.values())
    assert total > 500
    classes = Counter(v for *_, v in written_labels(meds_root, "lab_hyponatremia"))
    assert set(classes) == {0, 1, 2, 3}  # every severity occurs, so thresholds were exercised


def test_seeded_and_chunk_independent(tmp_path: Path) -> None:
    a = synthesize(6, 3, tmp_path / "a", events_per_patient=200, patients_per_row_group=2)
    b = synthesize(6, 3, tmp_path / "b", events_per_patient=200, patients_per_shard=4)
    pa_, pb = list(open_ehrshot(a).patients()), list(open_ehrshot(b).patients())
    assert [p.subject_id for p in pa_] == [p.subject_id for p in pb] == [1, 2, 3, 4, 5, 6]
    for x, y in zip(pa_, pb, strict=True):
        assert np.array_equal(x.time, y.time) and list(x.code) == list(y.code)
    assert len(list((tmp_path / "b" / "data").glob("*.parquet"))) == 2
    assert "SYNTHETIC" in (a / "SYNTHETIC.md").read_text()


def test_femr_layout_carries_the_same_labels(tmp_path: Path) -> None:
    meds = open_ehrshot(synthesize(8, 5, tmp_path / "m", events_per_patient=200))
    femr = open_ehrshot(synthesize(8, 5, tmp_path / "f", "femr", events_per_patient=200))
    assert femr.format == "femr" and meds.format == "meds"
    for task in ("guo_los", "lab_anemia", "chexpert", "new_hypertension"):
        assert meds.labels(task) == femr.labels(task)
    for p in femr.patients():
        relabeled = label_all(p)
        assert relabeled["lab_anemia"] == [
            x for x in femr.labels("lab_anemia") if x.subject_id == p.subject_id
        ]


def test_new_diagnosis_prevalence_is_realistic() -> None:
    counts: Counter[str] = Counter()
    positives: Counter[str] = Counter()
    for sid in range(1, 201):
        for task, labels in label_all(generate_patient(sid, 11, 150)).items():
            if task.startswith("new_"):
                counts[task] += len(labels)
                positives[task] += sum(int(label.value == 1) for label in labels)
    for task in ("new_hypertension", "new_hyperlipidemia", "new_acutemi"):
        assert 0.05 <= positives[task] / counts[task] <= 0.16, task
    for task in ("new_pancan", "new_celiac", "new_lupus"):
        assert 0.003 <= positives[task] / counts[task] <= 0.06, task


@pytest.mark.parametrize(
    ("task", "value", "unit", "expected"),
    [
        ("lab_hypoglycemia", 70.2, "mg/dL", "mild"),  # 3.9 mmol/L exactly: ≤ 3.9
        ("lab_hypoglycemia", 63.0, "mg/dL", "mild"),  # 3.5: not < 3.5
        ("lab_hypoglycemia", 54.0, "mg/dL", "moderate"),  # 3.0: not < 3
        ("lab_hypoglycemia", 2.9, "mmol/L", "severe"),
        ("lab_hyperkalemia", 5.5, "mmol/L", "normal"),  # > 5.5 is mild
        ("lab_hyperkalemia", 6.0, "mEq/L", "mild"),
        ("lab_hyperkalemia", 7.1, "mmol/L", "severe"),
        ("lab_hyponatremia", 135.0, "mmol/L", "mild"),  # ≤ 135
        ("lab_hyponatremia", 124.0, "mmol/L", "severe"),
        ("lab_anemia", 12.0, "g/dL", "normal"),  # 120 g/L: not < 120
        ("lab_anemia", 10.9, "g/dL", "moderate"),
        ("lab_anemia", 69.0, "g/L", "severe"),
        ("lab_thrombocytopenia", 150.0, "10*3/uL", "normal"),
        ("lab_thrombocytopenia", 49.0, "10*9/L", "severe"),
    ],
)
def test_published_thresholds(task: str, value: float, unit: str, expected: str) -> None:
    rule = get_task(task).lab
    assert rule is not None
    assert LAB_CLASSES[lab_class(rule, value, unit)] == expected


def test_unknown_lab_unit_is_refused() -> None:
    rule = get_task("lab_hyperkalemia").lab
    assert rule is not None
    with pytest.raises(ValueError, match="unit 'g/L' not accepted"):
        lab_class(rule, 5.0, "g/L")  # ehrshot.py:421: raise ValueError(f"Unknown unit: {unit}")
