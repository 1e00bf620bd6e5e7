"""EHRSHOT's labeling rules, case by case; each expected label follows the cited EHRSHOT line
(som-shahlab/ehrshot-benchmark, ``ehrshot/labelers/…`` and ``ehrshot/2_generate_labels.py``)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from ehrmind_rewards.tasks.ehrshot.benchmark import get_task
from ehrmind_rewards.tasks.ehrshot.events import STATIC_TIME, from_us, make_patient, to_us
from ehrmind_rewards.tasks.ehrshot.labelers import Labeler, label_patient

BIRTH = datetime(1950, 1, 1)
ICU = "CARE_SITE/7928450"  # labelers/omop.py:34


def patient(*events: tuple, sid: int = 1):  # type: ignore[no-untyped-def, type-arg]
    """Events (time, code, table, end, value, unit, text), birth first; then a far-away event so
    that records never end early unless a test says so."""
    rows = [(BIRTH, "MEDS_BIRTH", "person", None, None, None, None), *events]
    times, codes, tables, ends, values, units, texts = [], [], [], [], [], [], []
    for time, code, table, *rest in rows:
        end, value, unit, text = (*rest, None, None, None, None)[:4]
        times.append(STATIC_TIME if time is None else to_us(time))
        codes.append(code)
        tables.append(table)
        ends.append(STATIC_TIME if end is None else to_us(end))
        values.append(float("nan") if value is None else value)
        units.append(unit)
        texts.append(text)
    return make_patient(sid, times, codes, values, texts, units, tables, end=ends)


FAR = (datetime(2030, 1, 1), "CPT4/99213", "procedure_occurrence")


def visit(start: datetime, end: datetime | None, code: str = "Visit/IP") -> tuple:  # type: ignore[type-arg]
    return (start, code, "visit_occurrence", end)


def labels(task: str, *events: tuple, labeler: Labeler | None = None) -> list[tuple[str, int]]:  # type: ignore[type-arg]
    found = label_patient(patient(*events), get_task(task), labeler)
    return [(from_us(x.prediction_time).isoformat(sep=" "), x.value) for x in found]  # type: ignore[misc]


D = datetime


# --- new diagnosis (ehrshot.py:540-680) ---------------------------------------------------------


def test_censored_new_diagnosis_patient_is_negative() -> None:
    # is_apply_censoring() returns False (ehrshot.py:593-594): a record ending before +365 days
    # without the diagnosis is labelled False, not dropped
    assert labels("new_lupus", visit(D(2012, 1, 1, 8), D(2012, 1, 3, 9))) == [
        ("2012-01-03 23:59:00", 0)
    ]


def test_new_diagnosis_window_opens_one_day_after_prediction() -> None:
    # TimeHorizon(timedelta(days=1), timedelta(days=365)) (ehrshot.py:560): a record 12 hours
    # after the prediction time is before the window, so it does not count
    dx = (D(2012, 1, 4, 12), "SNOMED/55464009", "condition_occurrence")
    assert labels("new_lupus", visit(D(2012, 1, 1), D(2012, 1, 3)), dx, FAR) == [
        ("2012-01-03 23:59:00", 0)
    ]


def test_any_record_in_the_window_counts_not_only_the_first() -> None:
    # the prediction time is kept (t <= first diagnosis, ehrshot.py:577-579); the label looks for
    # the first outcome at or after t + 1 day (core-style loop, ehrshot.py:629-660): the second
    # record, 30 days later, makes it positive
    dx = "SNOMED/55464009"
    events = (
        visit(D(2012, 1, 1), D(2012, 1, 3)),
        (D(2012, 1, 4, 12), dx, "condition_occurrence"),
        (D(2012, 2, 2), dx, "condition_occurrence"),
    )
    assert labels("new_lupus", *events, FAR) == [("2012-01-03 23:59:00", 1)]


def test_window_end_and_discharges_after_first_diagnosis() -> None:
    dx = "ICD10CM/M32.9"  # an ICD-10-CM code of the concept (fallback code set, no ontology)
    events = (
        visit(D(2012, 1, 1), D(2012, 1, 3)),  # diagnosis 366 days later: outside, 0
        visit(D(2012, 6, 1), D(2012, 6, 2)),  # within 365 days: 1
        (D(2013, 1, 4), dx, "condition_occurrence"),
        visit(D(2013, 3, 1), D(2013, 3, 2)),  # after the first diagnosis: dropped
    )
    assert labels("new_lupus", *events, FAR) == [
        ("2012-01-03 23:59:00", 0),
        ("2012-06-02 23:59:00", 1),
    ]


def test_duplicate_discharge_days_give_one_prediction() -> None:
    # times = sorted(list(set(times))) (ehrshot.py:568)
    events = (visit(D(2012, 1, 1), D(2012, 1, 3, 10)), visit(D(2012, 1, 2), D(2012, 1, 3, 18)))
    assert labels("new_pancan", *events, FAR) == [("2012-01-03 23:59:00", 0)]
    assert labels("guo_readmission", *events, FAR) == [("2012-01-03 23:59:00", 0)]


# --- inpatient admissions and ICU (omop.py) -----------------------------------------------------


def test_er_to_inpatient_visit_is_not_an_admission() -> None:
    # get_inpatient_admission_concepts() returns ["Visit/IP"] (omop.py:19-20); "Visit/ERIP" is
    # added only for MIMIC-IV labelers (2_generate_labels.py:186-189)
    erip = visit(D(2012, 1, 1), D(2012, 1, 10), "Visit/ERIP")
    assert labels("guo_los", erip, FAR) == []
    assert labels("guo_los", visit(D(2012, 1, 1), D(2012, 1, 10)), FAR) == [
        ("2012-01-01 23:59:00", 1)
    ]


def test_admission_must_come_from_visit_occurrence() -> None:
    # e.omop_table == "visit_occurrence" (omop.py:179)
    elsewhere = (D(2012, 1, 1), "Visit/IP", "observation", D(2012, 1, 10))
    assert labels("guo_los", elsewhere, FAR) == []


def test_los_threshold_and_same_day_discharge() -> None:
    # (discharge - admission) >= 7 days (ehrshot.py:59); same-day stays ignored (l. 57-58)
    assert labels(
        "guo_los",
        visit(D(2012, 1, 1, 10), D(2012, 1, 8, 10)),  # exactly 7 days: long
        visit(D(2012, 2, 1, 10), D(2012, 2, 8, 9, 59)),  # a minute short
        visit(D(2012, 3, 1, 1), D(2012, 3, 1, 23)),  # same day
        FAR,
    ) == [("2012-01-01 23:59:00", 1), ("2012-02-01 23:59:00", 0)]


def test_real_icu_care_site_in_visit_detail_is_a_transfer() -> None:
    # get_icu_events: a code of get_icu_visit_detail_concepts() in visit_detail (omop.py:137-139)
    stay = visit(D(2012, 1, 1, 10), D(2012, 1, 6))
    icu = (D(2012, 1, 3), ICU, "visit_detail", D(2012, 1, 4))
    assert labels("guo_icu", stay, icu, FAR) == [("2012-01-01 23:59:00", 1)]
    in_visit_table = (D(2012, 1, 3), ICU, "visit_occurrence", D(2012, 1, 4))
    assert labels("guo_icu", stay, in_visit_table, FAR) == [("2012-01-01 23:59:00", 0)]
    made_up = (D(2012, 1, 3), "CARE_SITE/ICU", "visit_detail", D(2012, 1, 4))
    assert labels("guo_icu", stay, made_up, FAR) == [("2012-01-01 23:59:00", 0)]


def test_icu_transfer_on_admission_day_excludes_the_admission() -> None:
    # "If ICU transfer occurs on the same day as admission, then ignore" (ehrshot.py:150-151),
    # even before the admission started that day
    stay = visit(D(2012, 1, 1, 14), D(2012, 1, 6))
    icu_before = (D(2012, 1, 1, 2), ICU, "visit_detail", D(2012, 1, 1, 6))
    assert labels("guo_icu", stay, icu_before, FAR) == []
    icu_after_discharge = (D(2012, 1, 7), ICU, "visit_detail", D(2012, 1, 8))
    assert labels("guo_icu", stay, icu_after_discharge, FAR) == [("2012-01-01 23:59:00", 0)]


# --- readmission (ehrshot.py:87-106, core.py:544-631) -------------------------------------------


def test_same_evening_readmission_is_kept_as_negative() -> None:
    # the horizon starts 1 minute after 23:59:59 on the discharge day (ehrshot.py:83): an admission
    # that evening is before it, so the discharge is labelled by later admissions only
    events = (visit(D(2012, 1, 1), D(2012, 1, 3, 10)), visit(D(2012, 1, 3, 20), D(2012, 1, 5)))
    found = labels("guo_readmission", *events, FAR)
    assert found[0] == ("2012-01-03 23:59:00", 0)


def test_readmission_window_and_censoring() -> None:
    # positive within 30 days; a negative without 30 days of record is censored (the default
    # is_apply_censoring() = True, core.py:538-542, 664-674)
    first = visit(D(2012, 1, 1), D(2012, 1, 3))
    back = visit(D(2012, 2, 1), D(2012, 2, 3))  # 28 days after: positive
    assert labels("guo_readmission", first, back, FAR) == [
        ("2012-01-03 23:59:00", 1),
        ("2012-02-03 23:59:00", 0),
    ]
    assert labels("guo_readmission", first) == []  # record ends at discharge: censored


# --- labs (omop_lab_values.py:48-69, ehrshot.py:368-527) ----------------------------------------

K = "LOINC/2823-3"


LAB_TIME = datetime(2012, 1, 2, 8)


def lab(
    code: str,
    value: float | None,
    unit: str | None,
    text: str | None = None,
    at: datetime = LAB_TIME,
) -> tuple:  # type: ignore[type-arg]
    return (at, code, "measurement", None, value, unit, text)


@pytest.mark.parametrize(
    ("value", "unit", "text", "expected"),
    [
        (6.5, "MMOL/L", None, [2]),  # unit.lower().startswith("mmol/l") (ehrshot.py:408-409)
        (6.5, "mmol/L (see comment)", None, [2]),  # prefix match (omop_lab_values.py:88-90)
        (117.0, "mg/dL", None, [2]),  # mg/dL ÷ 18 = 6.5 (ehrshot.py:417-420)
        (6.5, "g/L", None, []),  # unknown unit: ValueError, label skipped (l. 421-422, 62-68)
        (6.5, None, None, []),  # str(None) = "None": unknown unit, skipped
        (None, "mmol/L", "normal", [0]),  # raw_value.lower() in ["normal", "adequate"] (l. 404)
        (None, "mmol/L", "ADEQUATE", [0]),
        (None, "mmol/L", "hemolyzed", []),  # float("hemolyzed") raises: skipped
        (None, None, None, []),  # no value (l. 56)
    ],
)
def test_potassium_units_and_text(
    value: float | None, unit: str | None, text: str | None, expected: list[int]
) -> None:
    found = labels("lab_hyperkalemia", lab(K, value, unit, text))
    assert [v for _, v in found] == expected
    if expected:
        assert found[0][0] == "2012-01-02 07:59:00"  # 1 minute before (l. 60)


def test_platelets_and_sodium_ignore_the_unit() -> None:
    # value_to_label never reads `unit` for these two (ehrshot.py:378-388, 478-488)
    assert labels("lab_thrombocytopenia", lab("LOINC/777-3", 49.0, "furlongs")) == [
        ("2012-01-02 07:59:00", 3)
    ]
    assert labels("lab_hyponatremia", lab("LOINC/2951-2", 135.0, None)) == [
        ("2012-01-02 07:59:00", 1)
    ]


def test_a_bad_unit_skips_one_label_not_the_patient() -> None:
    labeler = Labeler()
    found = labels(
        "lab_anemia",
        lab("LOINC/718-7", 10.0, "g/dL", at=D(2012, 1, 2)),
        lab("LOINC/718-7", 10.0, "mmol/L", at=D(2012, 1, 3)),  # unknown to the anemia labeler
        labeler=labeler,
    )
    assert found == [("2012-01-01 23:59:00", 2)]
    assert labeler.skipped["lab_unusable:lab_anemia"] == 1


def test_lab_at_the_first_event_is_skipped() -> None:
    # "Ignore events that occur at the same time as the first event" (omop_lab_values.py:51-53)
    assert labels("lab_hyperkalemia", lab(K, 6.5, "mmol/L", at=BIRTH)) == []


def test_lab_codes_come_from_the_code_sets() -> None:
    # anemia's root is LOINC/LP392452-1 (ehrshot.py:495-497); without an ontology the bundled
    # fallback codes stand for its descendants, and the root itself always counts
    assert labels("lab_anemia", lab("LOINC/LP392452-1", 7.0, "g/dL")) == [
        ("2012-01-02 07:59:00", 2)
    ]
    assert labels("lab_anemia", lab("LOINC/718-7", 6.9, "g/dL")) == [("2012-01-02 07:59:00", 3)]
    assert labels("lab_anemia", lab("LOINC/9999-9", 6.9, "g/dL")) == []


# --- no age filter, chexpert -----------------------------------------------------------------


def test_no_age_filter_in_the_default_pipeline() -> None:
    # the < 18 years filter lives in process_patient_ids, used only with
    # --is_sample_one_label_per_patient (2_generate_labels.py:45-53, 212-214)
    child = lab(K, 4.0, "mmol/L", at=D(1955, 6, 1))
    assert labels("lab_hyperkalemia", child) == [("1955-05-31 23:59:00", 0)]


def test_chexpert_report_within_24_hours_of_first_event_is_excluded() -> None:
    # `if prediction_time <= start_time: continue` (ehrshot.py:830-833)
    report = "SYNTHETIC/CHEXPERT_REPORT"
    early = (BIRTH + timedelta(hours=23), report, "note", None, None, None, "10000000000000")
    late = (BIRTH + timedelta(hours=25), report, "note", None, None, None, "00100000000010")
    found = label_patient(patient(early, late), get_task("chexpert"))
    assert [x.value for x in found] == [(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0)]


def test_chexpert_bit_order_is_ehrshots() -> None:
    # label_num = int("".join(bits), 2) over CHEXPERT_LABELS, "No Finding" first
    # (ehrshot.py:725-740, 835-837): "No Finding" alone is 2**13 = 8192
    from ehrmind_rewards.tasks.ehrshot.benchmark import bits_to_int

    assert bits_to_int((1,) + (0,) * 13) == 8192 == int("1" + "0" * 13, 2)


def test_visits_without_an_end_are_counted_not_labelled() -> None:
    labeler = Labeler()
    assert labels("guo_los", visit(D(2012, 1, 1), None), FAR, labeler=labeler) == []
    assert labeler.skipped["visit_without_end"] == 1
