"""Grounding ages, sex, dates and the template notes' doses by their own patterns.

Ages are read from "87-year-old", "87 years old", "fifty-year-old", "aged 87", "87 yo" (a
relative's age — "her 5-year-old son" — is skipped); sex from the words the note uses for the
patient (a note that only ever says "she", "woman" corrects a "Male" entity); dates in the
usual spellings; doses as the number next to the drug's name.

>>> from ehrmind_rewards.tasks.medcalc.bench.grounding_terms import concept_for
>>> reader = PatternReader(NoteText.read("A fifty-year-old man presented with chest pain."))
>>> reader.age("age", [50, "years"], concept_for("age")).verdict.value
'supported'
>>> reader.age("age", [55, "years"], concept_for("age")).replacement
[50.0, 'years']
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from ehrmind_rewards.tasks.medcalc.bench.grounding_checks import (
    Check,
    Verdict,
    as_written,
    first_number,
    plain,
    with_flags,
)
from ehrmind_rewards.tasks.medcalc.bench.grounding_terms import Concept
from ehrmind_rewards.tasks.medcalc.bench.note_text import Kind, NoteText, compile_term


@dataclass(slots=True)
class PatternReader:
    """Ages, sex, dates and doses in one note."""

    note: NoteText

    def age(self, key: str, raw: Any, concept: Concept) -> Check:
        entity = _age_years(raw)
        if entity is None:
            return Check(key, "age", Verdict.UNCHECKED, f"entity value {raw!r} not read")
        ages = _note_ages(self.note)
        written = as_written(raw)
        for years, _ in ages:
            if abs(years - entity) < 0.5 or (entity < 2 and abs(years - entity) < 1 / 24):
                return Check(key, "age", Verdict.SUPPORTED)
        number = first_number(raw)
        if not ages:
            if number is not None and number in self.note.numbers:
                return Check(key, "age", Verdict.SUPPORTED, f"{written} appears in the note")
            return Check(key, "age", Verdict.NOT_IN_NOTE, f"entity {written}; no age in the note")
        distinct = {round(years, 2) for years, _ in ages}
        years, position = ages[0]
        if len(distinct) == 1:
            return Check(
                key,
                "age",
                Verdict.CORRECTED,
                f"entity {written}; the note gives {plain(years)} years",
                self.note.excerpt(position),
                [years, "years"],
            )
        return Check(
            key,
            "age",
            Verdict.CONFLICTS,
            f"entity {written}; the note gives ages {', '.join(map(plain, sorted(distinct)))}",
            self.note.excerpt(position),
        )

    def sex(self, key: str, raw: Any, concept: Concept) -> Check:
        if not isinstance(raw, str) or raw.strip().casefold() not in {"male", "female"}:
            return Check(key, "sex", Verdict.UNCHECKED, f"entity value {raw!r} not read")
        female = sum(len(self.note.index.get(w, ())) for w in _FEMALE)
        male = sum(len(self.note.index.get(w, ())) for w in _MALE)
        listed = raw.strip().casefold()
        ours, theirs = (female, male) if listed == "female" else (male, female)
        if ours == 0 and theirs >= 2:
            other = "Male" if listed == "female" else "Female"
            return Check(
                key,
                "sex",
                Verdict.CORRECTED,
                f"entity {raw}; the note speaks of a {other.lower()} patient only",
                "",
                other,
            )
        return Check(key, "sex", Verdict.SUPPORTED)

    def date(self, key: str, raw: Any, concept: Concept) -> Check:
        date = _parse_date(raw)
        if date is None:
            return Check(key, concept.label, Verdict.UNCHECKED, f"entity value {raw!r} not read")
        spellings = {
            date.strftime("%m/%d/%Y"),
            f"{date.month}/{date.day}/{date.year}",
            date.isoformat(),
            date.strftime("%B %d, %Y"),
            f"{date.strftime('%B')} {date.day}, {date.year}",
        }
        if any(s in self.note.text for s in spellings):
            return Check(key, concept.label, Verdict.SUPPORTED)
        return Check(key, concept.label, Verdict.NOT_IN_NOTE, f"entity {raw}; not in the note")

    def dose(self, key: str, raw: Any, concept: Concept) -> Check:
        number = first_number(raw)
        return self._near_drug(key, concept.label, concept.drug, number, per_day=concept.per_day)

    def steroid(self, key: str, raw: Any, required: bool) -> Check:
        if not (isinstance(raw, list | tuple) and len(raw) == 3 and isinstance(raw[0], str)):
            return Check(key, "input steroid", Verdict.UNCHECKED, f"entity value {raw!r} not read")
        number = raw[1] if isinstance(raw[1], int | float) else None
        check = self._near_drug(key, "input steroid", raw[0].casefold(), number, per_day=False)
        return with_flags(check, required=required)

    def _near_drug(
        self, key: str, label: str, drug: str, number: float | None, *, per_day: bool
    ) -> Check:
        compiled = compile_term(drug)
        starts = self.note.find(compiled)
        if not starts:
            return Check(key, label, Verdict.NOT_IN_NOTE, f"{drug} not in the note")
        for start in starts:
            end = start + len(compiled)
            low, high = (end, end + 3) if per_day else (max(0, start - 4), start)
            nearby = [
                self.note.numbers[i]
                for i in range(low, min(high, len(self.note)))
                if self.note.kinds[i] is Kind.NUMBER
            ]
            if number is not None and float(number) in nearby:
                return Check(key, label, Verdict.SUPPORTED)
        return Check(
            key,
            label,
            Verdict.CONFLICTS,
            f"entity {plain(number)}; the note gives another number for {drug}",
            self.note.excerpt(starts[0], starts[0] + len(compiled)),
        )


_FEMALE = (
    "woman",
    "female",
    "girl",
    "lady",
    "she",
    "her",
    "hers",
    "herself",
    "mrs",
    "ms",
    "primigravida",
    "multigravida",
    "gravida",
    "pregnant",
    "postmenopausal",
)


_MALE = ("man", "male", "boy", "gentleman", "he", "his", "him", "himself", "mr")


_AGE_UNITS: dict[str, float] = {
    "year": 1.0,
    "years": 1.0,
    "yr": 1.0,
    "yrs": 1.0,
    "y": 1.0,
    "yo": 1.0,
    "month": 1 / 12,
    "months": 1 / 12,
    "mo": 1 / 12,
    "week": 7 / 365.25,
    "weeks": 7 / 365.25,
    "wk": 7 / 365.25,
    "day": 1 / 365.25,
    "days": 1 / 365.25,
}


_UNITS_WORDS = {
    w: n
    for n, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}


_TENS_WORDS = {
    w: 10 * n
    for n, w in enumerate(
        ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    )
    if w != "_"
}


def _number_word(note: NoteText, i: int) -> tuple[float, int] | None:
    """A number written in words at ``i`` ("fifty", "twenty-five"): (value, last position)."""
    low = note.lows[i]
    if low in _UNITS_WORDS:
        return float(_UNITS_WORDS[low]), i
    if low in _TENS_WORDS:
        value = _TENS_WORDS[low]
        if i + 2 < len(note) and note.lows[i + 1] == "-" and note.lows[i + 2] in _UNITS_WORDS:
            return float(value + _UNITS_WORDS[note.lows[i + 2]]), i + 2
        return float(value), i
    return None


def _note_ages(note: NoteText) -> list[tuple[float, int]]:
    """Ages stated as "87-year-old", "87 years old", "fifty-year-old", "aged 87", "age 87",
    "87 yo", in order."""
    out: list[tuple[float, int]] = []
    size = len(note)
    for i in range(size):
        if note.kinds[i] is Kind.WORD:
            word = _number_word(note, i)
            if word is None:
                continue
            value, last = word
            if last + 2 < size and note.lows[last + 1] == "-" and note.lows[last + 2] in _AGE_UNITS:
                factor = _AGE_UNITS[note.lows[last + 2]]
                if "".join(note.lows[last + 3 : last + 5]).startswith("-old"):
                    out.append((value * factor, i))
            continue
        number = note.numbers[i]
        if number is None or note.attached(i) or not 0 <= number <= 125:
            continue
        value = number
        before = note.words_before(i, 2)
        if before and note.lows[before[0]] in {"aged", "age"}:
            if not note.family(i):
                out.append((value, i))
            continue
        j = i + 1
        if j < size and note.lows[j] == "-":
            j += 1
        if j >= size or note.kinds[j] is not Kind.WORD:
            continue
        unit = note.lows[j]
        scale = _AGE_UNITS.get(unit)
        if scale is None:
            if unit in {"y/o", "yo"}:
                out.append((value, i))
            continue
        rest = "".join(note.lows[j + 1 : j + 5])
        stated = rest.startswith(("-old", "old", "ofage")) or unit == "yo"
        if stated and not _relative_after(note, j):
            out.append((value * scale, i))
    return out


def _relative_after(note: NoteText, j: int) -> bool:
    for i in note.words_after(j + 1, 3):
        if note.lows[i] in {
            "son",
            "daughter",
            "child",
            "brother",
            "sister",
            "grandson",
            "granddaughter",
            "sibling",
            "baby",
            "infant",
            "twin",
        }:
            return True
    return False


def _age_years(raw: Any) -> float | None:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    if not isinstance(raw, list | tuple) or len(raw) % 2 or not raw:
        return None
    years = 0.0
    for number, unit in zip(raw[0::2], raw[1::2], strict=True):
        factor = _AGE_UNITS.get(str(unit).strip().casefold())
        if factor is None or isinstance(number, bool) or not isinstance(number, int | float):
            return None
        years += float(number) * factor
    return years


def _parse_date(raw: Any) -> datetime.date | None:
    if not isinstance(raw, str):
        return None
    for pattern in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(raw.strip(), pattern).date()
        except ValueError:
            continue
    return None
