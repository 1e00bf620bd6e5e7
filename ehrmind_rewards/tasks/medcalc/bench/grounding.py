"""Check each "Relevant Entities" value of a MedCalc-Bench row against the row's patient note.

:func:`ground` reads the note once (:class:`~.note_text.NoteText`: linear, capped) and checks
every entity the row's calculator reads, plus every calculator input the entities leave out,
giving one :class:`Check` each with a :class:`Verdict`:

* numbers with their units — the mentions of the analyte (its terms in
  :mod:`.grounding_terms`, then the nearest number after each, see :mod:`.note_values`) are
  converted with :mod:`calculators.units` into one unit and compared with the entity at the
  precision either side writes (plus 0.5 % when the units differ, for the spread of published
  conversion factors). A match dated to the presentation (or undated) *supports* the entity; a
  match only at another time point ("after 4 days", "on follow-up") while the note gives one
  admission value, or no match while the note gives exactly one value, *corrects* it; several
  values none of which match *conflict*; a value reported only as "<10" is *censored*; no
  mention at all is *not in the note*;
* conditions and findings — affirmed, negated ("no history of", "denies", "has not required"),
  about a relative ("family history of"), past ("previous", "history of", a year) or another
  idea altogether ("portal hypertension"). A listed finding the note explicitly negates is
  corrected to absent; one it never affirms is not in the note (or, if only a qualified form
  appears, conflicts); a finding the note affirms but the entities leave out or deny is
  *omitted*. "Previously documented PE" is supported only by a past PE — a PE diagnosed now
  conflicts;
* ages, sex, dates and template doses by their own patterns.

Nothing is evaluated; the only effect of a check is the verdict and, for corrections, the value
the note settles on (:meth:`Grounding.corrected`).

>>> import calculators
>>> note = "Laboratory investigations show a creatinine level of 180 µmol/L."
>>> grounding = ground(note, {"Pre-operative creatinine": [2.0, "mg/dL"]}, calculators.get(17))
>>> [(c.key, c.verdict.value) for c in grounding.checks]
[('Elevated-risk surgery', 'not_in_note'), ('Pre-operative creatinine', 'corrected')]
>>> grounding.corrected({"Pre-operative creatinine": [2.0, "mg/dL"]})
{'Pre-operative creatinine': [180.0, 'µmol/l']}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from calculators.base import Calculator, InputDeclaration, InputKind
from calculators.entities import normalize_key
from ehrmind_rewards.tasks.medcalc.bench.grounding_checks import (
    PROBLEMS,
    REMOVE,
    Check,
    Verdict,
    with_flags,
)
from ehrmind_rewards.tasks.medcalc.bench.grounding_findings import FindingReader
from ehrmind_rewards.tasks.medcalc.bench.grounding_patterns import PatternReader
from ehrmind_rewards.tasks.medcalc.bench.grounding_terms import ESSENTIAL, Shape, concept_for
from ehrmind_rewards.tasks.medcalc.bench.grounding_values import ValueReader
from ehrmind_rewards.tasks.medcalc.bench.note_text import NoteText

__all__ = ["PROBLEMS", "REMOVE", "Check", "Grounding", "Verdict", "ground"]


@dataclass(frozen=True, slots=True)
class Grounding:
    """Every check of one row, and whether the note was cut at the cap."""

    checks: tuple[Check, ...]
    truncated: bool = False

    def with_verdict(self, *verdicts: Verdict) -> list[Check]:
        """The checks with any of ``verdicts``."""
        return [c for c in self.checks if c.verdict in verdicts]

    def corrected(self, entities: Mapping[str, Any]) -> dict[str, Any]:
        """``entities`` with every correction applied (the row's own dict is not changed)."""
        out = dict(entities)
        for check in self.with_verdict(Verdict.CORRECTED):
            for key in (check.key, *check.also):
                if check.replacement == REMOVE:
                    out.pop(key, None)
                else:
                    out[key] = check.replacement
        return out


def ground(note: str, entities: Mapping[str, Any], calculator: Calculator) -> Grounding:
    """Check ``entities`` against ``note`` for the inputs ``calculator`` reads."""
    text = NoteText.read(note)
    reader = _Reader.of(text)
    essential = {normalize_key(k) for k in ESSENTIAL.get(calculator.info.id, ())}
    declarations = calculator.declared_inputs()
    listed = _listed_keys(entities, declarations)
    checks: list[Check] = []
    for declaration in declarations:
        required = declaration.required or any(
            normalize_key(k) in essential for k in declaration.keys
        )
        keys = listed.get(declaration.name)
        if keys:
            checks += _check_listed(reader, declaration, keys, entities, required=required)
            continue
        missing = reader.check_missing(declaration, required=required)
        if missing is not None:
            checks.append(missing)
    return Grounding(tuple(_coherent(checks)), text.truncated)


def _listed_keys(
    entities: Mapping[str, Any], declarations: tuple[InputDeclaration, ...]
) -> dict[str, list[str]]:
    """The row's entity keys per calculator input (keys no input reads are left out)."""
    by_key: dict[str, InputDeclaration] = {}
    for declaration in declarations:
        for key in (*declaration.keys, declaration.name):
            by_key.setdefault(normalize_key(key), declaration)
    listed: dict[str, list[str]] = {}
    for key in entities:
        found = by_key.get(normalize_key(str(key)))
        if found is not None:
            listed.setdefault(found.name, []).append(str(key))
    return listed


def _check_listed(
    reader: _Reader,
    declaration: InputDeclaration,
    keys: list[str],
    entities: Mapping[str, Any],
    *,
    required: bool,
) -> list[Check]:
    """The checks of an input's listed keys; several keys of one yes/no input count as one,
    true if any is (as the calculators read them)."""
    if declaration.kind is InputKind.BOOLEAN and len(keys) > 1:
        first = next((k for k in keys if entities[k] is True), keys[0])
        raw: Any = True if any(entities[k] is True for k in keys) else entities[first]
        check = reader.check(first, raw, declaration, required=required)
        return [replace(check, also=tuple(k for k in keys if k != first))]
    return [reader.check(k, entities[k], declaration, required=required) for k in keys]


def _coherent(checks: list[Check]) -> list[Check]:
    """Entities taken from another time point are corrected only if all of them can be: a row
    mixing corrected admission values with uncorrectable later ones would be neither."""
    if not any(c.time_shift and c.verdict is Verdict.CONFLICTS for c in checks):
        return checks
    return [
        replace(c, verdict=Verdict.CONFLICTS, replacement=None)
        if c.time_shift and c.verdict is Verdict.CORRECTED
        else c
        for c in checks
    ]


@dataclass(slots=True)
class _Reader:
    """The three readers of one note, and which of them checks which kind of entity."""

    note: NoteText
    values: ValueReader
    findings: FindingReader
    patterns: PatternReader

    @classmethod
    def of(cls, note: NoteText) -> _Reader:
        values = ValueReader(note)
        return cls(note, values, FindingReader(note, values), PatternReader(note))

    def check(self, key: str, raw: Any, declaration: InputDeclaration, *, required: bool) -> Check:
        concept = concept_for(key)
        if normalize_key(key) == "input steroid":
            return self.patterns.steroid(key, raw, required)
        if concept is None:
            return Check(key, declaration.label, Verdict.UNCHECKED, "no grounding rule")
        method = {
            Shape.QUANTITY: self.values.quantity,
            Shape.NUMBER: self.values.quantity,
            Shape.FINDING: self.findings.finding,
            Shape.PRESENCE: self.findings.presence,
            Shape.DOSE: self.patterns.dose,
            Shape.AGE: self.patterns.age,
            Shape.SEX: self.patterns.sex,
            Shape.DATE: self.patterns.date,
        }[concept.shape]
        check: Check = method(key, raw, concept)
        return with_flags(check, required=required)

    def check_missing(self, declaration: InputDeclaration, *, required: bool) -> Check | None:
        """An input the entities leave out: does the note document it?"""
        concept = next((c for k in declaration.keys if (c := concept_for(k)) is not None), None)
        if concept is None:
            return None
        key = declaration.keys[0]
        if concept.shape in (Shape.QUANTITY, Shape.NUMBER):
            check = self.values.missing_value(key, concept)
        elif concept.shape is Shape.FINDING and concept.check_omitted:
            check = self.findings.finding(key, None, concept)
        elif concept.shape is Shape.PRESENCE and required:
            check = self.findings.presence(key, None, concept)
        else:
            return None
        if check.verdict in (Verdict.SUPPORTED, Verdict.UNCHECKED):
            return None
        if check.verdict is Verdict.NOT_IN_NOTE and not required:
            return None
        return with_flags(check, required=required, listed=False)
