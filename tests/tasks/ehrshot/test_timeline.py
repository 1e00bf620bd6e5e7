"""Timeline rendering: no event after the prediction time ever appears; filters; token budget."""

from __future__ import annotations

import re
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from ehrmind_rewards.tasks.ehrshot.events import DAY_US, STATIC_TIME, from_us, make_patient, to_us
from ehrmind_rewards.tasks.ehrshot.synthetic import generate_patient
from ehrmind_rewards.tasks.ehrshot.timeline import (
    EHRMIND_TABLES,
    TimelineOptions,
    TimelineRenderer,
    render_timeline,
)

BASE = to_us(datetime(2015, 6, 1))
TABLES = ["condition_occurrence", "procedure_occurrence", "measurement", "drug_exposure",
          "visit_occurrence", "note", None]  # fmt: skip

options_strategy = st.builds(
    TimelineOptions,
    tables=st.none() | st.frozensets(st.sampled_from(TABLES[:-1]), max_size=3),
    code_prefixes=st.none() | st.just(("E/",)),
    with_dates=st.booleans(),
    with_values=st.booleans(),
    group_by_visit=st.booleans(),
    max_tokens=st.none() | st.integers(1, 400),
    chars_per_token=st.sampled_from([1.0, 4.0]),
)


@st.composite
def patients(draw: st.DrawFn) -> tuple[object, int]:
    n = draw(st.integers(0, 40))
    offsets = draw(st.lists(st.integers(-400, 400), min_size=n, max_size=n))
    # every event's code names its own index, so the text tells which events it shows
    times = [STATIC_TIME if draw(st.integers(0, 9)) == 0 else BASE + o * DAY_US // 3
             for o in offsets]  # fmt: skip
    visits = draw(st.lists(st.integers(-1, 3), min_size=n, max_size=n))
    tables = draw(st.lists(st.sampled_from(TABLES), min_size=n, max_size=n))
    ends = [t + draw(st.integers(0, 30)) * DAY_US if tb == "visit_occurrence" and t != STATIC_TIME
            else STATIC_TIME for t, tb in zip(times, tables, strict=True)]  # fmt: skip
    values = draw(st.lists(st.floats(-5, 5) | st.just(float("nan")), min_size=n, max_size=n))
    patient = make_patient(
        1,
        times,
        [f"E/{i}" for i in range(n)],
        values,
        [None] * n,
        ["u"] * n,
        tables,
        visits,
        ends,
    )
    prediction = BASE + draw(st.integers(-400, 400)) * DAY_US // 3
    return patient, prediction


@settings(max_examples=200, deadline=None)
@given(patients(), options_strategy)
def test_no_event_after_the_prediction_time_can_appear(
    case: tuple, options: TimelineOptions
) -> None:  # type: ignore[type-arg]
    patient, prediction = case
    descriptions = {code: f"thing {code}" for code in patient.code[::2]}
    timeline = render_timeline(patient, prediction, descriptions, options)
    shown = {int(i) for i in re.findall(r"E/(\d+)", timeline.text)}
    for i in shown:
        assert patient.time[list(patient.code).index(f"E/{i}")] <= prediction
    cutoff = from_us(prediction).date().isoformat()
    for date in re.findall(r"\d{4}-\d{2}-\d{2}", timeline.text):
        assert date <= cutoff
    later = int((patient.time > prediction).sum())
    assert timeline.n_future == later
    assert timeline.n_events + timeline.n_dropped + timeline.n_filtered + later == len(patient)
    if options.max_tokens is not None and options.chars_per_token == 1.0:
        assert timeline.n_tokens <= options.max_tokens or timeline.n_events == 0


def test_budget_drops_oldest_first_and_says_how_many() -> None:
    patient = generate_patient(5, 0, 400)
    prediction = int(patient.time.max())
    full = render_timeline(patient, prediction, None, TimelineOptions(group_by_visit=False))
    cut = render_timeline(
        patient, prediction, None, TimelineOptions(group_by_visit=False, max_tokens=200)
    )
    assert cut.n_dropped > 0 and cut.n_events + cut.n_dropped == full.n_events
    first, *kept = cut.text.splitlines()
    assert first == f"[{cut.n_dropped} older events omitted to fit the token budget]"
    assert kept == full.text.splitlines()[-len(kept) :]  # the newest events, in order
    assert cut.n_tokens <= 200
    counted = render_timeline(
        patient, prediction, None, TimelineOptions(max_tokens=50), count_tokens=lambda s: 1
    )
    assert counted.n_tokens <= 50


def test_filters_and_formats() -> None:
    p = make_patient(
        7,
        [BASE, BASE, BASE + DAY_US, BASE + 2 * DAY_US, BASE + 40 * DAY_US],
        ["Visit/IP", "ICD10CM/I10", "LOINC/2951-2", "CPT4/71045", "ICD10CM/E11.9"],
        [float("nan"), float("nan"), 131.0, float("nan"), float("nan")],
        None,
        [None, None, "mmol/L", None, None],
        ["visit_occurrence", "condition_occurrence", "measurement", "procedure_occurrence",
         "condition_occurrence"],
        [1, 1, 1, 1, 2],
        [BASE + 10 * DAY_US, STATIC_TIME, STATIC_TIME, STATIC_TIME, STATIC_TIME],
    )  # fmt: skip
    names = {"Visit/IP": "Inpatient visit", "ICD10CM/I10": "Essential hypertension",
             "LOINC/2951-2": "Sodium"}  # fmt: skip
    at = BASE + 3 * DAY_US
    text = render_timeline(p, at, names).text
    assert text.splitlines() == [
        "Visit 2015-06-01 (Inpatient visit):",
        "- 2015-06-01 Essential hypertension [ICD10CM/I10]",
        "- 2015-06-02 Sodium [LOINC/2951-2]: 131 mmol/L",
        "- 2015-06-03 CPT4/71045",
    ]
    ehrmind = render_timeline(p, at, names, TimelineOptions(tables=EHRMIND_TABLES))
    assert "Sodium" not in ehrmind.text and "CPT4/71045" in ehrmind.text
    assert ehrmind.n_future == 1  # the diabetes code 40 days later
    plain = render_timeline(p, at, names, TimelineOptions(with_dates=False, group_by_visit=False))
    assert "2015" not in plain.text and "- Inpatient visit [Visit/IP]" in plain.text
    by_words = render_timeline(p, at, names, TimelineOptions(description_terms=("hypertension",)))
    assert "I10" in by_words.text and "Sodium" not in by_words.text
    by_code = render_timeline(p, at, names, TimelineOptions(code_prefixes=("CPT4/",)))
    assert by_code.n_events == 1


@settings(max_examples=100, deadline=None)
@given(patients(), options_strategy, st.lists(st.integers(-400, 400), min_size=1, max_size=5))
def test_a_reused_renderer_equals_fresh_renderings(
    case: tuple,  # type: ignore[type-arg]
    options: TimelineOptions,
    offsets: list[int],
) -> None:
    patient, _ = case
    names = {code: f"thing {code}" for code in patient.code[1::2]}
    renderer = TimelineRenderer(patient, names, options)
    for offset in offsets:  # later then earlier cuts: cached lines must not leak across cuts
        at = BASE + offset * DAY_US // 3
        assert renderer.render(at) == render_timeline(patient, at, names, options)
