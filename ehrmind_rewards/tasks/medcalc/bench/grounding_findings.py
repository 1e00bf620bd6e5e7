"""Grounding conditions and findings: affirmed, negated, past, about a relative, or another idea.

:class:`FindingReader` classifies every occurrence of a concept's terms in the note
(:mod:`.note_text` gives the cues): *negated* ("no history of", "denies", "has not required";
across a list: "denies fever, chills, …, or diarrhea"), about a *relative* ("family history
of", "her mother had"), *past* ("history of", "previous", a year), only a *possibility*
("risk of", "likely to cause"), or *excluded* by a neighbouring word ("*portal*
hypertension"). A finding listed as present needs an affirmed occurrence (a past one for
"previously documented" keys); one the note only negates is corrected to absent; one listed
as absent (or left out) that the note affirms — not only later in the stay — is *omitted*.

>>> from ehrmind_rewards.tasks.medcalc.bench.grounding_terms import concept_for
>>> note = NoteText.read("By the age of two she had developed portal hypertension.")
>>> reader = FindingReader(note, ValueReader(note))
>>> check = reader.finding("Hypertension history", True, concept_for("Hypertension history"))
>>> check.verdict.value
'conflicts'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ehrmind_rewards.tasks.medcalc.bench.grounding_checks import Check, Verdict, lowered
from ehrmind_rewards.tasks.medcalc.bench.grounding_terms import Concept, Shape, concept_for
from ehrmind_rewards.tasks.medcalc.bench.grounding_values import ValueReader
from ehrmind_rewards.tasks.medcalc.bench.note_text import Kind, NoteText, TimePoint, compile_term


@dataclass(slots=True)
class Occurrence:
    start: int
    end: int
    excluded: bool
    negated: bool
    family: bool
    past: bool
    possible: bool = False

    @property
    def affirmed(self) -> bool:
        return not (self.excluded or self.negated or self.family or self.possible)


@dataclass(slots=True)
class FindingReader:
    """The finding occurrences of one note."""

    note: NoteText
    values: ValueReader

    def _occurrences(self, concept: Concept) -> list[Occurrence]:
        out: list[Occurrence] = []
        covered: set[int] = set()
        for term in sorted(concept.terms, key=len, reverse=True):
            compiled = compile_term(term)
            for start in self.note.find(compiled):
                end = start + len(compiled)
                if covered & set(range(start, end)):
                    continue
                if concept.context and not self.note.in_sentence(start, lowered(concept.context)):
                    continue
                covered.update(range(start, end))
                out.append(
                    Occurrence(
                        start,
                        end,
                        excluded=self.values.excluded(start, end, concept),
                        negated=self.note.negated(start, end),
                        family=self.note.family(start),
                        past=self.note.history(start, end) and not self.note.recent_cue(start),
                        possible=self.note.hypothetical(start),
                    )
                )
        if concept.suffixes and concept.shape is Shape.FINDING:
            for i, kind in enumerate(self.note.kinds):
                if (
                    kind is Kind.WORD
                    and i not in covered
                    and self.note.lows[i].endswith(concept.suffixes)
                ):
                    out.append(
                        Occurrence(
                            i,
                            i + 1,
                            excluded=self.values.excluded(i, i + 1, concept),
                            negated=self.note.negated(i, i + 1),
                            family=self.note.family(i),
                            past=self.note.history(i, i + 1),
                            possible=self.note.hypothetical(i),
                        )
                    )
        for term in concept.negative_terms:
            compiled = compile_term(term)
            for start in self.note.find(compiled):
                end = start + len(compiled)
                out.append(Occurrence(start, end, False, True, False, False))
        out.sort(key=lambda o: o.start)
        return out

    def finding(self, key: str, raw: Any, concept: Concept) -> Check:
        label = concept.label
        present = _present(raw, concept)
        if present is None and raw is not None:
            return Check(key, label, Verdict.UNCHECKED, f"value {raw!r} not graded")
        listed = raw is not None
        occurrences = self._occurrences(concept)
        affirmed = [o for o in occurrences if o.affirmed]
        if concept.label == "fever in the past 24 hours":
            affirmed += self._fever_readings()
        supporting = affirmed + self._support_occurrences(concept)
        negated = [o for o in occurrences if o.negated and not o.excluded and not o.family]
        excluded = [o for o in occurrences if o.excluded]
        past = [o for o in affirmed if o.past]
        if concept.recent:
            affirmed = [o for o in affirmed if not o.past]
        wanted = past if concept.previous else affirmed
        finding_present = (
            present if not concept.inverted else (None if present is None else not present)
        )
        if finding_present:
            evidence = wanted if concept.previous else supporting
            if evidence:
                return Check(key, label, Verdict.SUPPORTED, "", self._quote(evidence[0]))
            if concept.previous and affirmed:
                return Check(
                    key,
                    label,
                    Verdict.CONFLICTS,
                    "listed as previous; the note describes a current one",
                    self._quote(affirmed[0]),
                )
            if negated and not isinstance(raw, str):
                return Check(
                    key,
                    label,
                    Verdict.CORRECTED,
                    "listed as present; the note negates it",
                    self._quote(negated[0]),
                    concept.inverted,
                )
            if negated:
                return Check(
                    key,
                    label,
                    Verdict.CONFLICTS,
                    f"listed as {raw!r}; the note negates it",
                    self._quote(negated[0]),
                )
            if excluded:
                return Check(
                    key,
                    label,
                    Verdict.CONFLICTS,
                    "listed as present; the note has only another condition",
                    self._quote(excluded[0]),
                )
            possible = [o for o in occurrences if o.possible and not o.negated]
            if possible:
                return Check(
                    key,
                    label,
                    Verdict.CONFLICTS,
                    "listed as present; the note mentions it only as a possibility",
                    self._quote(possible[0]),
                )
            if concept.inverted and present is False:
                # "Cough Absent: False" for a note silent on cough is the score's own reading
                # of an undocumented cough (0 points), not a claim the note contradicts.
                return Check(key, label, Verdict.SUPPORTED, "not documented; the default")
            return Check(key, label, Verdict.NOT_IN_NOTE, "listed as present; not in the note")
        if not concept.check_omitted:
            return Check(key, label, Verdict.UNCHECKED, "a generic finding: absence not checked")
        # A finding that appears only later ("two days after …, altered mental status") does
        # not contradict an entity describing the presentation.
        wanted = [o for o in wanted if self.note.time_point(o.start) is not TimePoint.LATER]
        if wanted:
            what = "listed as absent" if listed else "not in the entities"
            return Check(
                key,
                label,
                Verdict.OMITTED,
                f"{what}; the note documents it",
                self._quote(wanted[0]),
            )
        return Check(key, label, Verdict.SUPPORTED)

    def _support_occurrences(self, concept: Concept) -> list[Occurrence]:
        """Weaker evidence that supports a listed finding but never contradicts an absent one:
        ``support_terms`` (coronary artery disease for "vascular disease", a statin for
        hypercholesterolaemia) and, for renal disease, a creatinine of at least 2.26 mg/dL
        (HAS-BLED's threshold, the lowest of the scores that read renal disease)."""
        out: list[Occurrence] = []
        for term in concept.support_terms:
            compiled = compile_term(term)
            for start in self.note.find(compiled):
                end = start + len(compiled)
                if not self.note.negated(start, end) and not self.note.family(start):
                    out.append(Occurrence(start, end, False, False, False, False))
        if concept.label == "renal disease":
            creatinine = concept_for("creatinine")
            assert creatinine is not None
            for reading in self.values.readings(creatinine)[0]:
                if reading.usable and reading.value is not None and reading.value >= 2.26:
                    m = reading.mention
                    out.append(Occurrence(m.term_at, m.end, False, False, False, False))
        return out

    def _fever_readings(self) -> list[Occurrence]:
        temperature = concept_for("Temperature")
        assert temperature is not None
        out: list[Occurrence] = []
        for reading in self.values.readings(temperature)[0]:
            if reading.usable and reading.value is not None and reading.value >= 38.0:
                mention = reading.mention
                out.append(Occurrence(mention.term_at, mention.end, False, False, False, False))
        return out

    def _quote(self, occurrence: Occurrence) -> str:
        return self.note.excerpt(occurrence.start, occurrence.end)

    def presence(self, key: str, raw: Any, concept: Concept) -> Check:
        occurrences = self._occurrences(concept)
        if concept.suffixes:
            occurrences += [
                Occurrence(i, i + 1, False, self.note.negated(i), False, False)
                for i, kind in enumerate(self.note.kinds)
                if kind is Kind.WORD and self.note.lows[i].endswith(concept.suffixes)
            ]
        affirmed = [o for o in occurrences if not o.negated and not o.family]
        if affirmed:
            return Check(key, concept.label, Verdict.SUPPORTED, "", self._quote(affirmed[0]))
        if occurrences:
            return Check(
                key,
                concept.label,
                Verdict.NOT_IN_NOTE,
                "the note says it was not done",
                self._quote(occurrences[0]),
            )
        shown = f"entity {raw!r}; " if raw is not None else ""
        return Check(key, concept.label, Verdict.NOT_IN_NOTE, f"{shown}not in the note")


def _present(raw: Any, concept: Concept) -> bool | None:
    if raw is None:
        return False
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        spelling = " ".join(raw.split()).casefold()
        if spelling in {"true", "yes", "present"}:
            return True
        if spelling in {"false", "no", "absent"} or spelling in lowered(concept.absent_choices):
            return False
        if spelling in lowered(concept.unknown_choices) or spelling.startswith("not ment"):
            return None
        return True
    return None
