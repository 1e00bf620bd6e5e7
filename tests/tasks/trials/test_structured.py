"""The structured pre-check: age, sex and healthy volunteers against the trial's fields."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehrmind_rewards.tasks.trials import (
    FieldStatus,
    StructuredEligibility,
    load_topics,
    structured_eligibility,
)
from ehrmind_rewards.tasks.trials.ctgov import read_trial
from schemas.trials import TrialRecord, TrialTopic
from tests.paths import DATA

TREC = DATA / "trec_ct"
MET, NOT_MET, UNKNOWN = FieldStatus.MET, FieldStatus.NOT_MET, FieldStatus.UNKNOWN
TOPICS = {
    topic.query_id: topic
    for year in (2021, 2022)
    for topic in load_topics(TREC / "trialgpt" / f"trec_{year}" / "queries.jsonl")
}
(WOMEN_40_80,) = read_trial(TREC / "clinicaltrials" / "json_v2" / "NCT90000003.json")
ADULTS_18_65, NEONATES = read_trial(TREC / "clinicaltrials" / "json_v2" / "studies_page.json")


def trial(**fields: object) -> TrialRecord:
    return TrialRecord(nct_id="NCT1", title="t", **{"gender": "All", **fields})  # type: ignore[arg-type]


# Real TREC CT 2021/2022 topics, one per way of writing age and sex; the expected values were
# read off each topic's text (quoted) by hand.
@pytest.mark.parametrize(
    ("query_id", "age", "sex"),
    [
        ("trec-20211", "45 years", "male"),  # "Patient is a 45-year-old man"
        ("trec-20212", "48 years", "male"),  # "48 M with a h/o HTN"
        ("trec-20213", "32 years", "female"),  # "A 32 yo woman"
        ("trec-20215", "74 years", "male"),  # "74M hx of CAD"
        ("trec-20216", "55 years", "female"),  # "Patient is a 55yo woman"
        ("trec-20217", "60 years", "male"),  # "60 yo M with Hep C cirrhosis"
        ("trec-202110", "22 years", "female"),  # "Pt is a 22yo F"
        ("trec-202114", "70 years", "female"),  # "70 y/o with COPD … She has had"
        ("trec-202139", "3 days", "female"),  # "A 3-day-old Asian female infant"
        ("trec-202141", "57 years", "male"),  # "A 57-year old farmer … He experiences"
        ("trec-202148", "41 years", "male"),  # "Fernandez is a 41 year man"
        ("trec-202150", "5 months", "male"),  # "A 5 months old male"
        ("trec-20228", "7 months", "male"),  # "A 7-month-old boy"
        (
            "trec-202245",
            "15 weeks",
            "male",
        ),  # "A 15-week-old infant … He was born … 39-year-old woman"
        ("trec-202214", "39 years", "male"),  # "A 39-year-old man … brother who is 41 years old"
    ],
)
def test_age_and_sex_read_from_real_topics(query_id: str, age: str, sex: str) -> None:
    result = structured_eligibility(TOPICS[query_id], trial())
    assert (result.age.patient, result.sex.patient) == (age, sex)


def test_real_topics_against_constructed_trials() -> None:
    # "A 70-year-old man comes to the office" vs a trial for adults aged 18–65 (any sex)
    old_man = structured_eligibility(TOPICS["trec-202250"], ADULTS_18_65)
    assert (old_man.age.status, old_man.age.patient, old_man.age.trial) == (
        NOT_MET,
        "70 years",
        "18 Years to 65 Years",
    )
    assert old_man.sex.status is MET and old_man.contradicts(2) and not old_man.contradicts(1)
    # "A 66-year-old woman" vs a trial for women aged 40–80
    woman = structured_eligibility(TOPICS["trec-20224"], WOMEN_40_80)
    assert [c.status for c in woman.checks] == [MET, MET, UNKNOWN]
    assert not woman.contradicts(2)
    # "A 61-year-old man" vs the same trial
    man = structured_eligibility(TOPICS["trec-20226"], WOMEN_40_80)
    assert (man.sex.status, man.sex.patient, man.sex.trial) == (NOT_MET, "male", "Female")
    # "A 7-month-old boy" vs a trial for neonates up to 28 days
    infant = structured_eligibility(TOPICS["trec-20228"], NEONATES)
    assert infant.age.status is NOT_MET and infant.age.trial == "at most 28 Days"


@pytest.mark.parametrize(
    ("note", "limits", "status"),
    [
        # minimum 18 years: just below, on, just above
        ("a 17-year-old", {"minimum_age": "18 Years"}, NOT_MET),
        ("an 18-year-old", {"minimum_age": "18 Years"}, MET),
        ("a 19-year-old", {"minimum_age": "18 Years"}, MET),
        # maximum 65 years (completed years: a 65-year-old is admitted)
        ("a 64-year-old", {"maximum_age": "65 Years"}, MET),
        ("a 65-year-old", {"maximum_age": "65 Years"}, MET),
        ("a 66-year-old", {"maximum_age": "65 Years"}, NOT_MET),
        # months
        ("a 5-month-old", {"minimum_age": "6 Months"}, NOT_MET),
        ("a 6-month-old", {"minimum_age": "6 Months"}, MET),
        ("a 7-month-old", {"minimum_age": "6 Months"}, MET),
        ("an 11-month-old", {"maximum_age": "12 Months"}, MET),
        ("a 12-month-old", {"maximum_age": "12 Months"}, MET),
        ("a 13-month-old", {"maximum_age": "12 Months"}, NOT_MET),
        # weeks and days
        ("a 1-week-old", {"minimum_age": "2 Weeks"}, NOT_MET),
        ("a 2-week-old", {"minimum_age": "2 Weeks"}, MET),
        ("a 27-day-old", {"maximum_age": "28 Days"}, MET),
        ("a 28-day-old", {"maximum_age": "28 Days"}, MET),
        ("a 29-day-old", {"maximum_age": "28 Days"}, NOT_MET),
        # hours
        ("a 23-hour-old", {"minimum_age": "24 Hours"}, NOT_MET),
        ("a 24-hour-old", {"minimum_age": "24 Hours"}, MET),
        # across units: decided only when every age the statement allows falls on one side
        ("a 3-week-old", {"maximum_age": "28 Days"}, MET),  # 21–27 days
        ("a 4-week-old", {"maximum_age": "28 Days"}, UNKNOWN),  # 28–34 days
        ("a 5-week-old", {"maximum_age": "28 Days"}, NOT_MET),  # 35–41 days
        ("a 1-year-old", {"minimum_age": "18 Months"}, UNKNOWN),  # 12–23 months
        ("a 2-year-old", {"minimum_age": "18 Months"}, MET),
        ("a 6-month-old", {"maximum_age": "1 Year"}, MET),
        ("a 17-month-old", {"minimum_age": "1 Year"}, MET),
        ("an 11-month-old", {"minimum_age": "1 Year"}, NOT_MET),
        ("a 13-month-old", {"maximum_age": "1 Year"}, MET),  # completed age 1 year
        ("a 24-month-old", {"maximum_age": "1 Year"}, NOT_MET),
        # both limits, no limits, no age in the note
        ("a 70-year-old", {"minimum_age": "18 Years", "maximum_age": "65 Years"}, NOT_MET),
        ("a 40-year-old", {"minimum_age": "18 Years", "maximum_age": "65 Years"}, MET),
        ("a 99-year-old", {}, MET),
        ("the patient", {"minimum_age": "18 Years"}, UNKNOWN),
    ],
)
def test_age_limits_in_every_unit(note: str, limits: dict[str, str], status: FieldStatus) -> None:
    assert structured_eligibility(f"{note} woman.", trial(**limits)).age.status is status


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 120),
    st.integers(0, 120),
    st.sampled_from(["year", "month", "week", "day"]),
    st.booleans(),
)
def test_same_unit_limits_follow_completed_age(
    age: int, limit: int, unit: str, is_minimum: bool
) -> None:
    word = {"year": "Years", "month": "Months", "week": "Weeks", "day": "Days"}[unit]
    field = "minimum_age" if is_minimum else "maximum_age"
    result = structured_eligibility(f"A {age}-{unit}-old", trial(**{field: f"{limit} {word}"}))
    admitted = age >= limit if is_minimum else age <= limit
    assert result.age.status is (MET if admitted else NOT_MET)


@pytest.mark.parametrize(
    ("note", "gender", "status"),
    [
        ("A 40-year-old woman.", "All", MET),
        ("A 40-year-old woman.", "Female", MET),
        ("A 40-year-old woman.", "Male", NOT_MET),
        ("A 40-year-old man.", "Female", NOT_MET),
        ("A 40-year-old man.", "Male", MET),
        ("A 40-year-old with fever.", "Male", UNKNOWN),
        ("A 40-year-old with fever.", "All", MET),
    ],
)
def test_sex(note: str, gender: str, status: FieldStatus) -> None:
    assert structured_eligibility(note, trial(gender=gender)).sex.status is status


@pytest.mark.parametrize(
    ("patient", "accepts", "status"),
    [
        ("A 40-year-old woman with asthma.", True, MET),
        ("A 40-year-old woman with asthma.", False, UNKNOWN),
        ("A 30-year-old healthy volunteer.", False, NOT_MET),
        ("A 30-year-old healthy volunteer.", True, MET),
        ("A 40-year-old woman with asthma.", None, UNKNOWN),
        (TrialTopic(query_id="1", text="", template="COPD", fields={"age": "60"}), False, MET),
        (
            TrialTopic(query_id="1", text="", template="x", fields={"healthy volunteer": "yes"}),
            False,
            NOT_MET,
        ),
    ],
)
def test_healthy_volunteers(
    patient: str | TrialTopic, accepts: bool | None, status: FieldStatus
) -> None:
    check = structured_eligibility(patient, trial(healthy_volunteers=accepts)).healthy_volunteers
    assert check.status is status


def test_2023_questionnaire_fields_give_age_and_sex() -> None:
    anxiety, copd = load_topics(TREC / "trec_2023" / "topics2023_sample.xml")[1:3]
    adults = trial(gender="Female", minimum_age="18 Years", maximum_age="65 Years")
    first = structured_eligibility(anxiety, adults)  # age 39, gender female
    assert [(c.status, c.patient) for c in first.checks[:2]] == [(MET, "39 years"), (MET, "female")]
    second = structured_eligibility(copd, adults)  # age 71, sex male
    assert [(c.status, c.patient) for c in second.checks[:2]] == [
        (NOT_MET, "71 years"),
        (NOT_MET, "male"),
    ]
    # a form without age or sex fields is not searched for them in its other answers
    form = TrialTopic(query_id="9", text="", template="x", fields={"history": "A 5-year-old man"})
    result = structured_eligibility(form, adults)
    assert (result.age.status, result.sex.status) == (UNKNOWN, UNKNOWN)


def test_a_record_without_structured_fields_is_unknown() -> None:
    bare = TrialRecord(nct_id="NCT1", title="t")  # what an ir_datasets document gives
    result = structured_eligibility("A 70-year-old man.", bare)
    assert [c.status for c in result.checks] == [UNKNOWN, UNKNOWN, UNKNOWN]
    assert [c.trial for c in result.checks] == [None, None, None]


def test_round_trip_through_a_row_column() -> None:
    result = structured_eligibility(TOPICS["trec-202250"], ADULTS_18_65)
    assert StructuredEligibility.from_dict(result.to_dict()) == result
    for broken in (None, [], {"age": {}}, {**result.to_dict(), "sex": {"status": "maybe"}}):
        assert StructuredEligibility.from_dict(broken) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_never_raises_on_text(text: str) -> None:
    result = structured_eligibility(text, trial(minimum_age="18 Years", gender="Male"))
    assert all(check.status in FieldStatus for check in result.checks)
