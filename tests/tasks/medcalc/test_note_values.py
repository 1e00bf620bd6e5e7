"""The number a note gives after (or before) a term, with its unit as the note writes it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehrmind_rewards.tasks.medcalc.bench.note_text import NoteText, TimePoint, compile_term
from ehrmind_rewards.tasks.medcalc.bench.note_values import (
    read_before,
    read_loose,
    read_parallel,
    read_values,
)


def _after(text: str, term: str, *, pairs: bool = False) -> list[tuple[float, str | None]]:
    note = NoteText.read(text)
    compiled = compile_term(term)
    start = note.find(compiled)[0]
    return [(m.value, m.unit) for m in read_values(note, start + len(compiled), pairs=pairs)]


@pytest.mark.parametrize(
    ("text", "term", "expected"),
    [
        ("a creatinine level of 180 µmol/L.", "creatinine", [(180.0, "µmol/l")]),
        ("serum creatinine (SCr), 7.2 mg/dl;", "creatinine", [(7.2, "mg/dl")]),
        ("S. Na+ - 133 mmol/L", "Na", [(133.0, "mmol/l")]),
        ("platelet count, 1.5 × 105/μl;", "platelet count", [(150000.0, "/µl")]),
        ("white blood cell count of 18.7 K/UL", "white blood cell count", [(18700.0, "/µl")]),
        ("WBC, 4.2 × 109/L;", "WBC", [(4.2e9, "/l")]),
        ("thrombocytopenia (119×106/L)", "thrombocytopenia", [(119e6, "/l")]),
        ("temperature 36.8°C (98.2°F)", "temperature", [(36.8, "°c")]),
        ("Height was 5 ft 7 in and", "Height", [(67.0, "in")]),
        ("urine output of only 132 mL/day.", "urine output", [(132.0, "ml/day")]),
        ("cholesterol of 182 milligrams per deciliter", "cholesterol", [(182.0, "mg/dl")]),
        ("body temperature 37.4 degrees celsisus", "temperature", [(37.4, "°c")]),
        ("pulse 95, respiratory rate 14", "pulse", [(95.0, None)]),
        ("blood pressure, 66/40 mmHg;", "blood pressure", [(66.0, "mm hg")]),
        ("creatinine clearance of 45 mL/min", "creatinine", []),  # another analyte
        ("albumin gradient 1.5", "albumin", []),
    ],
)
def test_value_after_term(text: str, term: str, expected: list[tuple[float, str | None]]) -> None:
    assert _after(text, term, pairs=term == "blood pressure") == expected


def test_censored_ranges_pairs() -> None:
    note = NoteText.read("bicarbonate below 10 mmol/L, potassium 2.7–3.3 meq/L, BP 128/73 mmHg")
    bicarbonate = read_values(note, note.find(compile_term("bicarbonate"))[0] + 1)[0]
    potassium = read_values(note, note.find(compile_term("potassium"))[0] + 1)[0]
    pressure = read_values(note, note.find(compile_term("BP"))[0] + 1, pairs=True)[0]
    assert (bicarbonate.value, bicarbonate.censored) == (10.0, "<")
    assert (potassium.value, potassium.high, potassium.unit) == (2.7, 3.3, "meq/l")
    assert (pressure.value, pressure.second) == (128.0, 73.0)


def test_from_to_gives_an_earlier_and_a_later_value() -> None:
    note = NoteText.read("her creatinine increased from 1.2 to 3.4 mg/dL over two days")
    start = note.find(compile_term("creatinine"))[0]
    first, second = read_values(note, start + 1)
    assert (first.value, first.unit, first.time) == (1.2, "mg/dl", TimePoint.BEFORE)
    assert (second.value, second.unit, second.time) == (3.4, "mg/dl", TimePoint.LATER)


def test_ranging_from_to_is_one_range() -> None:
    assert _after("serum creatinine ranging from 1.4 to 1.7 mg/dL", "creatinine") == [
        (1.4, "mg/dl")
    ]


@pytest.mark.parametrize(
    ("text", "term", "expected"),
    [
        ("A 172-cm tall, 18-year-old man", "tall", 172.0),
        ("She is 160 cm (5 ft 3 in) tall and", "tall", 160.0),
        ("He was 177 cm in height and 72 kg in weight", "height", 177.0),
        ("25.9 mg/dL blood urea nitrogen, 0.57 mg/dL creatinine", "creatinine", 0.57),
    ],
)
def test_value_before_term(text: str, term: str, expected: float) -> None:
    note = NoteText.read(text)
    start = note.find(compile_term(term))[0]
    assert [m.value for m in read_before(note, start)] == [expected]


@pytest.mark.parametrize(
    ("text", "term", "expected"),
    [
        (
            "The height and weight of the patient were 160 cm and 56.8 kg, respectively.",
            "weight",
            (56.8, "kg"),
        ),
        (
            "sodium and potassium concentrations at 137 and 4.8 mEq/L, respectively.",
            "sodium",
            (137.0, "meq/l"),
        ),
        ("total bilirubin 1.90 mg/dL, Na/K 127/2.6 mEq/L, Ca/P/Mg", "Na", (127.0, "meq/l")),
        ("Ca/P/Mg 8.5/5.3/1.6 mg/dL, total", "Mg", (1.6, "mg/dl")),
        (
            "The total cholesterol, triglyceride, high density lipoprotein-cholesterol and low "
            "density lipoprotein-cholesterol results were 162 mg/dL (139-230 mg/dL), 33 mg/dL "
            "(48-177 mg/dL), 64 mg/dL (>40 mg/dL) and 87 mg/dL (<130 mg/dL), respectively.",
            "triglyceride",
            (33.0, "mg/dl"),
        ),
    ],
)
def test_parallel_lists(text: str, term: str, expected: tuple[float, str]) -> None:
    note = NoteText.read(text)
    compiled = compile_term(term)
    start = note.find(compiled)[0]
    found = read_parallel(note, start, start + len(compiled))
    assert [(m.value, m.unit) for m in found] == [expected]


def test_no_parallel_list_without_evidence() -> None:
    note = NoteText.read("A 57-year-old male patient, weighing 60 kg and 165 cm in hight, was")
    start = note.find(compile_term("weighing"))[0]
    assert read_parallel(note, start, start + 1) == []


def test_loose_reading_stops_at_another_term_or_a_change() -> None:
    note = NoteText.read("his hemoglobin was on par with his previous readings at 14 g/dL.")
    start = note.find(compile_term("hemoglobin"))[0]
    assert [m.value for m in read_loose(note, start + 1, frozenset())] == [14.0]
    note = NoteText.read("the body weight decreased by 8.5 kg after the operation")
    start = note.find(compile_term("weight"))[0]
    assert read_loose(note, start + 1, frozenset()) == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,/-×x( )%<>ofmgdLµ ")), max_size=200))
def test_reading_never_raises_and_stays_in_the_sentence(text: str) -> None:
    note = NoteText.read("creatinine " + text)
    for mention in read_values(note, 1) + read_values(note, 1, pairs=True):
        assert note.sentence[mention.number_at] == note.sentence[0]
        assert mention.number_at < mention.end <= len(note)
