"""The verdict on one entity of a MedCalc-Bench row, as grounding in the note gives it.

Shared by the grounding readers (:mod:`.grounding_values`, :mod:`.grounding_findings`,
:mod:`.grounding_patterns`) and :mod:`.grounding`, which combines them.

>>> Check("Albumin", "albumin", Verdict.NOT_IN_NOTE, "entity 3 g/dL; not in the note").describe()
'albumin: entity 3 g/dL; not in the note'
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

REMOVE = "<remove>"
"""A replacement meaning "drop this entity" (the note denies the drug or value)."""


class Verdict(StrEnum):
    """What the note says about one entity."""

    SUPPORTED = "supported"
    CORRECTED = "corrected"
    """The note settles a different value (or an explicit negation): recompute with it."""
    NOT_IN_NOTE = "not_in_note"
    CENSORED = "censored"
    CONFLICTS = "conflicts"
    OMITTED = "omitted"
    UNCHECKED = "unchecked"


PROBLEMS = frozenset({Verdict.NOT_IN_NOTE, Verdict.CENSORED, Verdict.CONFLICTS, Verdict.OMITTED})


@dataclass(frozen=True, slots=True)
class Check:
    """The verdict on one entity (or one input the entities leave out)."""

    key: str
    label: str
    verdict: Verdict
    detail: str = ""
    excerpt: str = ""
    replacement: Any = None
    """For corrections: the entity value the note settles on, or :data:`REMOVE`."""
    required: bool = False
    """Whether the calculator cannot do without this input (declared or essential)."""
    listed: bool = True
    """Whether the entity is in the row (``False``: an input the entities leave out)."""
    also: tuple[str, ...] = ()
    """Other keys of the same input in the row (a correction applies to them too)."""
    time_shift: bool = False
    """The entity is the note's value at another time point than the presentation."""

    def describe(self) -> str:
        """One line for the relabel reason: label, what was found, and the note's words."""
        quote = f' "{self.excerpt}"' if self.excerpt else ""
        return f"{self.label}: {self.detail}{quote}"


def with_flags(check: Check, *, required: bool, listed: bool = True) -> Check:
    """``check`` marked as about a required input and/or an input the entities leave out."""
    return replace(check, required=required, listed=listed)


_LOWERED: dict[tuple[str, ...], frozenset[str]] = {}


def lowered(words: tuple[str, ...]) -> frozenset[str]:
    """``words`` case-folded, as a set (cached per tuple)."""
    found = _LOWERED.get(words)
    if found is None:
        found = frozenset(w.casefold() for w in words)
        _LOWERED[words] = found
    return found


def first_number(raw: Any) -> float | None:
    """The number of an entity value (a bare number or the first of ``[value, unit]``)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, list | tuple) and raw and isinstance(raw[0], int | float):
        return float(raw[0])
    return None


def as_written(raw: Any) -> str:
    """An entity value as written ("2 mg/dL", "True")."""
    if isinstance(raw, list | tuple):
        return " ".join(plain(p) if isinstance(p, int | float) else str(p) for p in raw)
    return plain(raw) if isinstance(raw, int | float) else str(raw)


def plain(value: Any) -> str:
    """A number without trailing zeros ("2", "0.27")."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)
