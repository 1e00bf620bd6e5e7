"""The synthetic generator's labels, re-derived by an independent implementation of EHRSHOT's rules.

This file re-implements the labeling rules from their definitions (tasks.md §3, docs/ehrshot.md)
on plain Python rows read straight from the written parquet files, with datetimes instead of
microsecond integers and explicit threshold ladders instead of the task registry, and checks that
every label the generator wrote is reproduced and nothing else is (100% agreement).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, time, timedelta
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

CONCEPTS = {
    "new_hypertension": {"SNOMED/59621000", "ICD10CM/I10"},
    "new_hyperlipidemia": {"SNOMED/55822004", "ICD10CM/E78.5"},
    "new_pancan": {"SNOMED/372003004", "ICD10CM/C25.9"},
    "new_celiac": {"SNOMED/396331005", "ICD10CM/K90.0"},
    "new_lupus": {"SNOMED/55464009", "ICD10CM/M32.9"},
    "new_acutemi": {"SNOMED/57054005", "ICD10CM/I21.9"},
}


def exact(value: float) -> Fraction:
    """The decimal a float32 MEDS value was written as."""
    return Fraction(Decimal(str(np.float32(value))))


def severity(task: str, value: float, unit: str) -> int:
    v = exact(value)
    if task == "lab_thrombocytopenia":  # ×10⁹/L (= 10*3/uL)
        assert unit == "10*3/uL"
        return 3 if v < 50 else 2 if v < 100 else 1 if v < 150 else 0
    if task == "lab_hyperkalemia":
        assert unit == "mmol/L"
        return 3 if v > 7 else 2 if v > 6 else 1 if v > Fraction(11, 2) else 0
    if task == "lab_hypoglycemia":  # mg/dL; 1 mmol/L = 18 mg/dL
        assert unit == "mg/dL"
        mmol = v / 18
        return (
            3 if mmol < 3 else 2 if mmol < Fraction(7, 2) else 1 if mmol <= Fraction(39, 10) else 0
        )
    if task == "lab_hyponatremia":
        assert unit == "mmol/L"
        return 3 if v < 125 else 2 if v < 130 else 1 if v <= 135 else 0
    assert task == "lab_anemia" and unit == "g/dL"
    grams_per_litre = v * 10
    return (
        3
        if grams_per_litre < 70
        else 2
        if grams_per_litre < 110
        else 1
        if grams_per_litre < 120
        else 0
    )


LAB_CODES = {
    "lab_thrombocytopenia": "LOINC/777-3",
    "lab_hyperkalemia": "LOINC/2823-3",
    "lab_hypoglycemia": "LOINC/2345-7",
    "lab_hyponatremia": "LOINC/2951-2",
    "lab_anemia": "LOINC/718-7",
}


def eod(moment: datetime) -> datetime:
    return datetime.combine(moment.date(), time(23, 59))


def rederive(rows: list[dict]) -> dict[str, set[tuple]]:  # type: ignore[type-arg]
    by_subject: dict[int, list[dict]] = defaultdict(list)  # type: ignore[type-arg]
    for row in rows:
        by_subject[row["subject_id"]].append(row)
    out: dict[str, set[tuple]] = defaultdict(set)  # type: ignore[type-arg]
    for sid, events in by_subject.items():
        timed = [e for e in events if e["time"] is not None]
        last = max(e["time"] for e in timed)
        birth = min(e["time"] for e in timed if e["code"] == "MEDS_BIRTH")

        def add(task: str, at: datetime, value: object, sid: int = sid, birth: datetime = birth):
            if at - birth >= timedelta(days=18 * 365.25):
                out[task].add((sid, at, value))

        stays = [(e["time"], e["end"]) for e in timed
                 if e["code"] in ("Visit/IP", "Visit/ERIP") and e["end"]]  # fmt: skip
        icu = [e["time"] for e in timed if e["code"] == "CARE_SITE/ICU"]
        for start, end in stays:
            at = eod(start)
            if end > at:
                add("guo_los", at, int(end - start >= timedelta(days=7)))
                if not any(start <= t <= at for t in icu):
                    add("guo_icu", at, int(any(at < t <= end for t in icu)))
            at = eod(end)
            if not any(end < s <= at for s, _ in stays):
                readmitted = any(at < s <= at + timedelta(days=30) for s, _ in stays)
                if readmitted or last >= at + timedelta(days=30):
                    add("guo_readmission", at, int(readmitted))
            for task, codes in CONCEPTS.items():
                seen = [e["time"] for e in timed if e["code"] in codes]
                if seen and min(seen) <= at:
                    continue
                positive = bool(seen) and min(seen) <= at + timedelta(days=365)
                if positive or last >= at + timedelta(days=365):
                    add(task, at, int(positive))
        for e in timed:
            for task, code in LAB_CODES.items():
                if e["code"] == code and e["numeric_value"] is not None:
                    add(task, e["time"] - timedelta(minutes=1),
                        severity(task, e["numeric_value"], e["unit"]))  # fmt: skip
            if e["code"] == "SYNTHETIC/CHEXPERT_REPORT":
                add("chexpert", e["time"] - timedelta(hours=24), int(e["text_value"], 2))
    return out


def written_labels(root: Path, task: str) -> set[tuple]:  # type: ignore[type-arg]
    rows = pq.read_table(root / "labels" / task / "labels.parquet").to_pylist()
    column = "boolean_value" if get_task(task).kind == "binary" else "integer_value"
    return {(r["subject_id"], r["prediction_time"], int(r[column])) for r in rows}


@pytest.fixture(scope="module")
def meds_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthesize(40, 7, tmp_path_factory.mktemp("meds"), events_per_patient=400)


def test_written_labels_match_an_independent_rederivation(meds_root: Path) -> None:
    events = [row for f in sorted((meds_root / "data").glob("*.parquet"))
              for row in pq.read_table(f).to_pylist()]  # fmt: skip
    expected = rederive(events)
    total = 0
    for task in get_task.__globals__["TASKS"]:
        written = written_labels(meds_root, task)
        assert written == expected[task], task
        total += len(written)
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
        assert relabeled["lab_anemia"] == [x for x in femr.labels("lab_anemia")
                                           if x.subject_id == p.subject_id]  # fmt: skip


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
    with pytest.raises(ValueError, match="unit 'mg/dL' not accepted"):
        lab_class(rule, 5.0, "mg/dL")
