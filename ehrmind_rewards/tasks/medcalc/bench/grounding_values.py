"""Grounding numbers: find what a note says for an analyte and compare it with the entity.

:class:`ValueReader` reads every mention of a concept's terms (:mod:`.grounding_terms`) —
the number after the term (:func:`.note_values.read_values`), a number glued before it ("173 cm
tall"), its place in a parallel list ("height and weight were 160 cm and 56.8 kg,
respectively"), or, loosely, the first number with a unit later in the sentence when no other
known term intervenes — converts each with :mod:`calculators.units` into the concept's unit
and compares it with the entity at the precision either side writes, plus
:data:`CONVERSION_SPREAD` when the units differ (published factors differ: 88.4 or 88.42 µmol/L
per mg/dL of creatinine).

A match dated to the presentation (or undated) supports the entity; if the note writes it
more precisely and the note's values agree, the precise value corrects it (180 µmol/L is 2.036
mg/dL, not the entity's 2.0). A match only at another time point ("On discharge …") while the
note's presentation values agree corrects the entity to them; no match while they agree
corrects it too; otherwise the values conflict. A value given only as "<10" is censored; an
analyte the note never gives is not in the note (with the owner of the entity's number, if
the note gives it for another analyte: "its 17.1 is the hemoglobin").

>>> from ehrmind_rewards.tasks.medcalc.bench.grounding_terms import concept_for
>>> reader = ValueReader(NoteText.read("A creatinine level of 180 umol/L."))
>>> check = reader.quantity("Pre-operative creatinine", [2.0, "mg/dL"], concept_for("creatinine"))
>>> print(check.verdict.value, "|", check.detail)
corrected | entity 2 mg/dL; the note's 180 umol/L is 2.036 mg/dL
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field, replace
from typing import Any

from calculators import units
from calculators.errors import CalculatorError
from ehrmind_rewards.tasks.medcalc.bench.grounding_checks import (
    REMOVE,
    Check,
    Verdict,
    as_written,
    first_number,
    lowered,
    plain,
)
from ehrmind_rewards.tasks.medcalc.bench.grounding_terms import Concept, Shape, concepts
from ehrmind_rewards.tasks.medcalc.bench.note_text import (
    Kind,
    NoteText,
    TermToken,
    TimePoint,
    compile_term,
)
from ehrmind_rewards.tasks.medcalc.bench.note_values import (
    UNITS,
    Mention,
    read_before,
    read_loose,
    read_parallel,
    read_values,
)

CONVERSION_SPREAD = 0.005
"""Relative tolerance added when the entity and the note use different units."""


@dataclass(frozen=True, slots=True)
class Reading:
    """A mention with its value in the concept's unit (``None``: unit unknown)."""

    mention: Mention
    value: float | None
    half_step: float
    """Half the last written digit, in the concept's unit (the mention's precision)."""
    unit: str | None
    """The ``calculators.units`` spelling the value was read in (``None``: unknown)."""
    amount: float = 0.0
    """The value in that spelling (the mention's number times any "K" or "× 10ⁿ")."""
    implied: bool = False
    """The note writes no unit; it was implied by the value's magnitude."""
    plausible: bool = True
    """Within the concept's plausible range (an implausible value may match an entity that
    copied it, but never settles one)."""
    loose: bool = False
    """Found farther from its term than the strict reading allows: may support, never settles."""

    @property
    def usable(self) -> bool:
        return self.value is not None and self.mention.censored is None and self.plausible

    @property
    def settles(self) -> bool:
        return self.usable and not self.loose

    @property
    def other_time(self) -> bool:
        return self.mention.time in (TimePoint.LATER, TimePoint.BEFORE)


@dataclass(slots=True)
class ValueReader:
    """The number mentions of one note, read once per concept (cached)."""

    note: NoteText
    _owners: dict[int, str] | None = field(default=None)
    _starts: frozenset[int] | None = field(default=None)
    _cache: dict[str, tuple[list[Reading], list[tuple[int, int]]]] = field(default_factory=dict)

    def readings(self, concept: Concept) -> tuple[list[Reading], list[tuple[int, int]]]:
        """Every number the note gives for ``concept``, and where its terms occur."""
        cached = self._cache.get(concept.label)
        if cached is not None:
            return cached
        readings: list[Reading] = []
        found: list[tuple[int, int]] = []
        taken: set[int] = set()
        groups = (
            (concept.terms, False, False),
            (concept.pair_terms, True, False),
            (concept.urine_terms, False, True),
        )
        for terms, pairs, urine_only in groups:
            for term in sorted(terms, key=len, reverse=True):
                compiled = compile_term(term)
                for start in self.note.find(compiled):
                    end = start + len(compiled)
                    if self.excluded(start, end, concept):
                        continue
                    urine = self._urine_context(start)
                    if (urine_only and not urine) or (concept.specimen == "blood" and urine):
                        continue
                    found.append((start, end))
                    for reading in self._read_term(concept, start, end, pairs=pairs):
                        if reading.mention.number_at in taken:
                            continue
                        taken.add(reading.mention.number_at)
                        readings.append(reading)
        for term, value in concept.fixed:
            compiled = compile_term(term)
            for start in self.note.find(compiled):
                mention = Mention(
                    start,
                    start,
                    start + len(compiled),
                    value,
                    0,
                    "%",
                    None,
                    False,
                    None,
                    None,
                    None,
                    self.note.time_point(start),
                    term,
                )
                readings.append(Reading(mention, value, 0.5, "%", value))
                found.append((start, start + len(compiled)))
        readings.sort(key=lambda r: r.mention.number_at)
        self._cache[concept.label] = (readings, found)
        return readings, found

    def _read_term(self, concept: Concept, start: int, end: int, *, pairs: bool) -> list[Reading]:
        """The readings after one term occurrence: the first reader giving a value of the
        concept's kind wins (number written just before the term when one is glued to it,
        then the number after it, a parallel list, any number before it, a looser search)."""
        filler = _concept_words(concept)
        attempts: list[tuple[list[Mention], bool]] = []
        before = read_before(self.note, start) if not pairs else []
        adjacent = bool(before) and before[0].end == start and not concept.before_gap
        if adjacent:
            attempts.append((before, False))
        if not pairs:
            attempts.append((read_parallel(self.note, start, end, self.term_starts()), False))
        attempts.append((read_values(self.note, end, pairs=pairs, also_filler=filler), False))
        if concept.value_before and before and self._gap_allowed(before[0], start, concept):
            attempts.append((before, False))
        stops = self.term_starts()
        quantity = concept.shape is Shape.QUANTITY
        attempts.append((read_loose(self.note, end, stops, unit=quantity, pairs=pairs), True))
        fallback: list[Reading] = []
        for mentions, loose in attempts:
            out: list[Reading] = []
            for mention in mentions:
                if pairs and concept.pair_index == 1:
                    if mention.second is None:
                        continue
                    mention = _second(mention)
                reading = self._reading(mention, concept)
                if reading is not None and (reading.value is not None or not loose):
                    out.append(replace(reading, loose=loose) if loose else reading)
            if any(r.value is not None for r in out):
                return out
            fallback = fallback or out
        return fallback

    def _gap_allowed(self, mention: Mention, start: int, concept: Concept) -> bool:
        """Whether a number written before the term may be its value (see ``before_gap``)."""
        if not concept.before_gap:
            return mention.end < start
        gap = set(self.note.lows[mention.end : start])
        return bool(gap & set(concept.before_gap))

    def _urine_context(self, start: int) -> bool:
        """Whether the sentence is about urine before ``start`` ("The urine random studies
        revealed sodium 32 mEq/L, … creatinine 60.3 mg/dL"), with no "serum", "plasma" or
        "blood" in between ("urine output 30 mL/h, creatinine 2.1" is not)."""
        words = self.note.words_before(start, 60)
        for n, i in enumerate(words):
            low = self.note.lows[i]
            if low in {"serum", "plasma", "blood"}:
                return False
            if low in {"urine", "urinary", "urinalysis"}:
                if n + 1 < len(words) and self.note.lows[words[n + 1]] == "blood":
                    return False
                following = [self.note.lows[k] for k in words[max(0, n - 3) : n]]
                return low == "urinalysis" or any(w in _URINE_STUDY for w in following)
        return False

    def term_starts(self) -> frozenset[int]:
        """Positions where any concept's term starts (a loose reading stops at one)."""
        if self._starts is None:
            self._starts = frozenset(self.note.starts_of(_all_terms()))
        return self._starts

    def _reading(self, mention: Mention, concept: Concept) -> Reading | None:
        if concept.shape is Shape.NUMBER:
            value = mention.value
            if concept.bounds is not None and not _within(value, concept.bounds):
                return None
            return Reading(mention, value, 0.5 * 10.0**-mention.decimals, None, value)
        assert concept.unit is not None
        spelling, factor, implied = mention.unit, 1.0, False
        if spelling is None and mention.unknown_unit is None:
            bare = next((u for low, high, u in concept.bare if low <= mention.value <= high), None)
            if bare is None:
                if concept.bare or mention.degrees:
                    return None
                return Reading(mention, None, 0.0, None, mention.value)
            spelling, factor = UNITS.get(bare.replace(" ", ""), (bare, 1.0))
            implied = True
        if spelling is None:
            return Reading(mention, None, 0.0, None, mention.value)
        try:
            scale, offset = units.conversion(spelling, concept.unit, concept.analyte)
        except CalculatorError:
            # "cholesterol was 250 mg", "blood pressure 90/60 μg": the number is the
            # concept's, its unit a slip; it may support an entity but never settles one.
            return Reading(mention, None, 0.0, None, mention.value)
        amount = mention.value * factor
        value = amount * scale + offset
        plausible = concept.bounds is None or _within(value, concept.bounds)
        # "thrombocytopenia (127.000/μL)": a full stop as the thousands separator.
        separator = not plausible and concept.unit == "1/µL" and mention.decimals == 3
        if separator and concept.bounds is not None and _within(value * 1000, concept.bounds):
            amount, value, plausible = amount * 1000, value * 1000, True
            mention = replace(mention, value=mention.value * 1000, decimals=0)
        half = abs(scale) * factor * 0.5 * 10.0**-mention.decimals
        return Reading(mention, value, half, spelling, amount, implied, plausible)

    def quantity(self, key: str, raw: Any, concept: Concept) -> Check:
        entity = _entity_value(raw, concept)
        readings, found = self.readings(concept)
        label = concept.label
        if entity is None:
            return Check(key, label, Verdict.UNCHECKED, f"entity value {raw!r} not read")
        value, half_step, written = entity
        denial = self._class_denial(concept, found)
        if denial is not None and value > 0:
            return Check(
                key,
                label,
                Verdict.CORRECTED,
                f"entity {written}; the note denies it, so absent",
                denial,
                REMOVE,
            )
        if not readings:
            return self._no_reading(key, concept, raw, value, written, found)
        exact = [r for r in readings if r.mention.censored is None]
        matches = [r for r in exact if _matches(value, half_step, written, r)]
        current = [r for r in readings if not r.other_time]
        admission = [r for r in current if r.mention.time is TimePoint.ADMISSION] or current
        settled = _settled(admission)
        if matches:
            best = next((r for r in matches if not r.other_time), None)
            if best is not None or not current:
                best = best or matches[0]
                if settled is not None and _refines(best, value, half_step):
                    return Check(
                        key,
                        label,
                        Verdict.CORRECTED,
                        f"entity {written}; the note's {best.mention.written} is "
                        f"{_show(best.value, concept)}",
                        self.note.excerpt(best.mention.term_at, best.mention.end),
                        _replacement(best, concept),
                    )
                return Check(key, label, Verdict.SUPPORTED, best.mention.written)
            other = matches[0]
            if settled is not None:
                return Check(
                    key,
                    label,
                    Verdict.CORRECTED,
                    f"entity {written} is the note's {other.mention.time.value} value; at "
                    f"presentation the note gives {settled.mention.written}",
                    self.note.excerpt(settled.mention.term_at, settled.mention.end),
                    _replacement(settled, concept),
                    time_shift=True,
                )
            return Check(
                key,
                label,
                Verdict.CONFLICTS,
                f"entity {written} is the note's {other.mention.time.value} value; the note "
                f"also gives {_listing(current)}",
                self.note.excerpt(other.mention.term_at, other.mention.end),
                time_shift=True,
            )
        censored = [r for r in admission if r.mention.censored is not None]
        if censored and not [r for r in admission if r.usable]:
            first = censored[0]
            return Check(
                key,
                label,
                Verdict.CENSORED,
                f"entity {written}; the note gives only {first.mention.censored}"
                f"{first.mention.written}",
                self.note.excerpt(first.mention.term_at, first.mention.end),
            )
        if settled is not None and not _same_number(written, settled):
            return Check(
                key,
                label,
                Verdict.CORRECTED,
                f"entity {written}; the note gives {settled.mention.written}",
                self.note.excerpt(settled.mention.term_at, settled.mention.end),
                _replacement(settled, concept),
            )
        sensible = [r for r in readings if r.value is not None and r.plausible]
        if not sensible:
            shown = readings[0]
            return Check(
                key,
                label,
                Verdict.SUPPORTED,
                f"the note's {shown.mention.written} is not a plausible value as written",
            )
        shown = sensible[0]
        return Check(
            key,
            label,
            Verdict.CONFLICTS,
            f"entity {written}; the note gives {_listing(sensible)}",
            self.note.excerpt(shown.mention.term_at, shown.mention.end),
        )

    def _no_reading(
        self,
        key: str,
        concept: Concept,
        raw: Any,
        value: float,
        written: str,
        found: list[tuple[int, int]],
    ) -> Check:
        for term in concept.derivable:
            compiled = compile_term(term)
            starts = self.note.find(compiled)
            if starts:
                return Check(
                    key,
                    concept.label,
                    Verdict.SUPPORTED,
                    f"no number; the note describes what gives it ({term!r})",
                    self.note.excerpt(starts[0], starts[0] + len(compiled)),
                )
        number = first_number(raw)
        places = [
            i
            for i, n in enumerate(self.note.numbers)
            if n is not None and number is not None and n == number and not self.note.attached(i)
        ]
        owners = self._owner_map()
        for place in places:
            owner = owners.get(place)
            if owner is None and not found:
                return Check(
                    key,
                    concept.label,
                    Verdict.SUPPORTED,
                    f"{written} appears in the note without a recognised name",
                )
        if places:
            owner = owners.get(places[0])
            if owner is not None and owner != concept.label:
                return Check(
                    key,
                    concept.label,
                    Verdict.NOT_IN_NOTE,
                    f"entity {written}; no {concept.label} value in the note (its "
                    f"{plain(number)} is the {owner})",
                    self.note.excerpt(places[0]),
                )
        if found:
            start, end = found[0]
            return Check(
                key,
                concept.label,
                Verdict.NOT_IN_NOTE,
                f"entity {written}; the note names it without a value",
                self.note.excerpt(start, end),
            )
        return Check(key, concept.label, Verdict.NOT_IN_NOTE, f"entity {written}; not in the note")

    def missing_value(self, key: str, concept: Concept) -> Check:
        readings, found = self.readings(concept)
        denial = self._class_denial(concept, found)
        if denial is not None:
            return Check(key, concept.label, Verdict.SUPPORTED)
        current = [r for r in readings if not r.other_time]
        admission = [r for r in current if r.mention.time is TimePoint.ADMISSION] or current
        settled = _settled(admission)
        if (settled is not None and settled.unit is not None) or (
            settled is not None and concept.shape is Shape.NUMBER
        ):
            assert settled is not None
            return Check(
                key,
                concept.label,
                Verdict.CORRECTED,
                f"not in the entities; the note gives {settled.mention.written}",
                self.note.excerpt(settled.mention.term_at, settled.mention.end),
                _replacement(settled, concept),
            )
        if admission:
            shown = admission[0]
            return Check(
                key,
                concept.label,
                Verdict.OMITTED,
                f"not in the entities; the note gives {_listing(admission)}",
                self.note.excerpt(shown.mention.term_at, shown.mention.end),
            )
        return Check(key, concept.label, Verdict.NOT_IN_NOTE, "not in the entities nor the note")

    def _class_denial(self, concept: Concept, found: list[tuple[int, int]]) -> str | None:
        """The excerpt of a negated class word ("has not required vasopressors") when the
        note never names the drug itself."""
        if not concept.class_terms or found:
            return None
        for term in concept.class_terms:
            compiled = compile_term(term)
            for start in self.note.find(compiled):
                if self.note.negated(start, start + len(compiled)):
                    return self.note.excerpt(start, start + len(compiled))
        return None

    def _owner_map(self) -> dict[int, str]:
        """Which concept each number of the note was read for (for "its 17.1 is the
        hemoglobin")."""
        if self._owners is None:
            owners: dict[int, str] = {}
            for concept in concepts():
                if concept.shape not in (Shape.QUANTITY, Shape.NUMBER):
                    continue
                for reading in self.readings(concept)[0]:
                    owners.setdefault(reading.mention.number_at, concept.label)
            self._owners = owners
        return self._owners

    def excluded(self, start: int, end: int, concept: Concept) -> bool:
        """Whether words next to the term make it another idea ("*portal* hypertension")."""
        if concept.exclude_before:
            for i in self._adjacent_words(start, -1):
                if self.note.lows[i] in lowered(concept.exclude_before):
                    return True
        if concept.exclude_after:
            for i in self._adjacent_words(end, 1):
                if self.note.lows[i] in lowered(concept.exclude_after):
                    return True
        return False

    def _adjacent_words(self, position: int, step: int) -> list[int]:
        """Up to two word tokens next to a term, joined to it only by spaces, "-" or "/"."""
        out: list[int] = []
        i = position - 1 if step < 0 else position
        while 0 <= i < len(self.note) and len(out) < 2:
            kind = self.note.kinds[i]
            if kind is Kind.WORD:
                out.append(i)
            elif self.note.lows[i] not in {"-", "/"}:
                break
            i += step
        return out


_URINE_STUDY = frozenset(
    {
        "studies",
        "study",
        "electrolytes",
        "electrolyte",
        "analysis",
        "chemistry",
        "chemistries",
        "level",
        "levels",
        "sample",
        "samples",
        "test",
        "tests",
        "values",
        "collection",
        "random",
        "results",
        "revealed",
        "showed",
        "showing",
        "sodium",
        "creatinine",
        "potassium",
        "chloride",
        "osmolality",
        "na",
        "cr",
        "k",
        "cl",
        "biochemistry",
        "indices",
        "spot",
        "concentration",
        "concentrations",
        "excretion",
    }
)


@functools.cache
def _all_terms() -> dict[str, tuple[tuple[TermToken, ...], ...]]:
    """Every concept's terms, by first token (for :meth:`NoteText.starts_of`)."""
    table: dict[str, list[tuple[TermToken, ...]]] = {}
    for concept in concepts():
        for term in (*concept.terms, *concept.pair_terms):
            compiled = compile_term(term)
            if compiled:
                table.setdefault(compiled[0].low, []).append(compiled)
    return {low: tuple(terms) for low, terms in table.items()}


@functools.cache
def _concept_words(concept: Concept) -> frozenset[str]:
    """The words of a concept's own terms (allowed between a term and its number)."""
    words = {
        piece.low
        for term in (*concept.terms, *concept.pair_terms)
        for piece in compile_term(term)
        if piece.low.isalpha() and len(piece.low) > 2
    }
    return frozenset(words)


def _within(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def _second(mention: Mention) -> Mention:
    assert mention.second is not None
    return replace(mention, value=mention.second, second=None, decimals=0)


def _decimals_of(number: float) -> int:
    text = repr(float(number))
    if "e" in text or "E" in text:
        return 6
    fraction = text.partition(".")[2]
    return 0 if fraction in {"", "0"} else len(fraction)


def _entity_value(raw: Any, concept: Concept) -> tuple[float, float, str] | None:
    """(value in the concept's unit, half its last digit there, as written) of an entity."""
    if isinstance(raw, bool):
        return None
    written = as_written(raw)
    if concept.shape is Shape.NUMBER:
        number = first_number(raw)
        if number is None:
            return None
        return number, 0.5 * 10.0 ** -_decimals_of(number), written
    if isinstance(raw, int | float):
        return float(raw), 0.5 * 10.0 ** -_decimals_of(float(raw)), written
    if not isinstance(raw, list | tuple) or len(raw) < 2 or len(raw) % 2:
        return None
    assert concept.unit is not None
    total = 0.0
    half = 0.0
    for number, unit in zip(raw[0::2], raw[1::2], strict=True):
        if (
            isinstance(number, bool)
            or not isinstance(number, int | float)
            or not isinstance(unit, str)
        ):
            return None
        try:
            scale, offset = units.conversion(unit, concept.unit, concept.analyte)
        except CalculatorError:
            return None
        total += float(number) * scale + offset
        half = max(half, abs(scale) * 0.5 * 10.0 ** -_decimals_of(float(number)))
    return total, half, written


def _matches(value: float, half_step: float, written: str, reading: Reading) -> bool:
    """Whether the entity and the note's mention are the same value at either's precision.

    The same number also matches when the note writes no unit (the entity's unit, right or
    wrong, is then the only one given) or the same unit (the entity copied the note, typo
    included): a unit typo is for reinterpretation to read, not for grounding to flag.
    """
    mention = reading.mention
    entity_number = _leading_number(written)
    if entity_number is not None and entity_number == mention.value:
        if reading.value is None or reading.implied or not reading.plausible:
            return True  # no unit, or the note's unit is a slip ("sodium 132 mg/dl")
        if reading.unit == _unit_key(written):
            return True
    if reading.value is None:
        return False
    spread = CONVERSION_SPREAD * abs(value) if reading.unit != _unit_key(written) else 0.0
    tolerance = max(half_step, reading.half_step) + spread + 1e-9
    if mention.high is not None:
        high = reading.value / mention.value * mention.high if mention.value else mention.high
        return reading.value - tolerance <= value <= high + tolerance
    return abs(reading.value - value) <= tolerance


def _same_number(written: str, reading: Reading) -> bool:
    """Whether the entity's number is the note's, only its unit differing from an implied one."""
    return reading.implied and _leading_number(written) == reading.mention.value


def _leading_number(written: str) -> float | None:
    head = written.split(" ", 1)[0]
    try:
        return float(head)
    except ValueError:
        return None


def _unit_key(written: str) -> str | None:
    """The ``calculators.units`` spelling key of the entity's unit ("mg/dL" → "mg/dl")."""
    parts = written.split(" ", 1)
    if len(parts) < 2:
        return None
    spelling = " ".join(parts[1].casefold().split()).replace("μ", "µ")
    return spelling if units.is_known_unit(spelling) else None


def _settled(readings: list[Reading]) -> Reading | None:
    """The one value ``readings`` agree on (every usable reading the same, none censored, no
    range), or ``None`` when they disagree or there is none."""
    usable = [r for r in readings if r.settles]
    if not usable or len(usable) != len(readings):
        return None
    if any(r.mention.high is not None for r in usable):
        return None
    first = usable[0]
    assert first.value is not None
    for other in usable[1:]:
        assert other.value is not None
        tolerance = max(first.half_step, other.half_step) + CONVERSION_SPREAD * abs(first.value)
        if abs(other.value - first.value) > tolerance + 1e-9:
            return None
    return min(usable, key=lambda r: (r.half_step, r.mention.number_at))


def _refines(reading: Reading, value: float, half_step: float) -> bool:
    """Whether the note writes the value more precisely than the entity and differs from it
    (180 µmol/L is 2.036 mg/dL; the entity's 2.0 mg/dL hides "creatinine > 2")."""
    assert reading.value is not None
    return (
        reading.unit is not None
        and reading.half_step < half_step
        and not math.isclose(reading.value, value, rel_tol=1e-6, abs_tol=1e-9)
    )


def _replacement(reading: Reading, concept: Concept) -> Any:
    mention = reading.mention
    if concept.shape is Shape.NUMBER:
        return mention.value
    if reading.unit is None:
        return [mention.value]
    return [reading.amount, reading.unit]


def _show(value: float | None, concept: Concept) -> str:
    if value is None:
        return "?"
    unit = {"degC": "°C", "1/min": "/min", "percent": "%", "1/µL": "/µL"}.get(
        concept.unit or "", concept.unit or ""
    )
    return f"{value:.4g} {unit}".strip()


def _listing(readings: list[Reading]) -> str:
    values = []
    for reading in readings[:4]:
        mention = reading.mention
        censor = mention.censored or ""
        when = f" ({mention.time.value})" if mention.time is not TimePoint.UNDATED else ""
        values.append(f"{censor}{mention.written}{when}")
    more = f" and {len(readings) - 4} more" if len(readings) > 4 else ""
    return ", ".join(values) + more
