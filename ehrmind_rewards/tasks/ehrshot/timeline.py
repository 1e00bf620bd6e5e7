"""A patient's timeline as prompt text, strictly up to the prediction time.

Only events with ``time ≤ prediction_time`` are ever considered (static, untimed events such as
gender count as known); the cut is the first step, before any filter or formatting, so nothing
after the prediction time can reach the text (``tests/test_ehrshot_timeline.py`` proves it with
generated patients). Visit headers show a visit's type and start date, never its end.

Format (after HELM's EHRSHOT scenario: one event per line, oldest first, descriptions when known)::

    [312 older events omitted to fit the token budget]
    Visit 2012-03-04 (Inpatient visit):
    - 2012-03-04 Essential hypertension [ICD10CM/I10]
    - 2012-03-05 Sodium, serum or plasma [LOINC/2951-2]: 131 mmol/L

Options filter by OMOP table (EHRMind kept conditions and procedures: :data:`EHRMIND_TABLES`), by
code prefix and by words in the description, and switch dates, values and visit grouping. A token
budget keeps the newest events that fit (dropping the oldest first) and says how many were
dropped; tokens are counted by a given function (e.g. a tokenizer's ``len(encode(text))``) or
estimated as ``ceil(characters / chars_per_token)`` per line.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ehrmind_rewards.tasks.ehrshot.events import NO_VISIT, STATIC_TIME, Patient, from_us

EHRMIND_TABLES = frozenset({"condition_occurrence", "procedure_occurrence"})
"""The OMOP tables EHRMind put in its EHRSHOT prompts (conditions and procedures)."""

VISIT_TABLE = "visit_occurrence"
HIDDEN_CODE_PREFIXES = ("SYNTHETIC/",)
"""Never rendered: the synthetic data's label carriers."""


@dataclass(frozen=True, slots=True)
class TimelineOptions:
    """What a rendered timeline contains and how long it may be."""

    tables: frozenset[str] | None = None
    """Keep only events of these OMOP tables (``None``: all)."""
    code_prefixes: tuple[str, ...] | None = None
    """Keep only codes starting with one of these (e.g. ``("ICD10CM/", "SNOMED/")``)."""
    description_terms: tuple[str, ...] | None = None
    """Keep only events whose description contains one of these words (case-insensitive)."""
    with_dates: bool = True
    with_values: bool = True
    group_by_visit: bool = True
    max_tokens: int | None = None
    chars_per_token: float = 4.0


@dataclass(frozen=True, slots=True)
class Timeline:
    """A rendered timeline and what was left out of it."""

    text: str
    n_events: int
    """Events shown."""
    n_dropped: int
    """Events that passed the filters but were dropped (oldest first) for the token budget."""
    n_filtered: int
    """Events up to the prediction time removed by the filters."""
    n_future: int
    """Events after the prediction time (never shown)."""
    n_tokens: int
    """Tokens of ``text`` as counted (or estimated) for the budget."""


def _date(us: int) -> str:
    return from_us(us).date().isoformat()


def render_timeline(
    patient: Patient,
    prediction_time: int,
    descriptions: Mapping[str, str] | None = None,
    options: TimelineOptions | None = None,
    count_tokens: Callable[[str], int] | None = None,
) -> Timeline:
    """Render ``patient``'s events up to ``prediction_time`` (µs since 1970) as text."""
    renderer = TimelineRenderer(patient, descriptions, options, count_tokens)
    return renderer.render(prediction_time)


class TimelineRenderer:
    """Renders one patient at many prediction times, doing the per-event filtering only once.

    Filters do not depend on the prediction time, so they are applied to all events up front;
    each :meth:`render` then cuts at its prediction time first and formats only the events it
    keeps (newest first, until the budget is spent). Lines are cached between calls.
    """

    def __init__(
        self,
        patient: Patient,
        descriptions: Mapping[str, str] | None = None,
        options: TimelineOptions | None = None,
        count_tokens: Callable[[str], int] | None = None,
    ) -> None:
        self.patient = patient
        self.descriptions = descriptions or {}
        self.options = options or TimelineOptions()
        self.count_tokens = count_tokens
        opts = self.options
        codes = patient.code.tolist()
        tables = patient.omop_table.tolist()
        keep = [not c.startswith(HIDDEN_CODE_PREFIXES) for c in codes]
        if opts.tables is not None:
            keep = [k and t in opts.tables for k, t in zip(keep, tables, strict=True)]
        if opts.code_prefixes is not None:
            prefixes = tuple(opts.code_prefixes)
            keep = [k and c.startswith(prefixes) for k, c in zip(keep, codes, strict=True)]
        if opts.description_terms is not None:
            terms = [t.casefold() for t in opts.description_terms]
            keep = [
                k and any(t in self.descriptions.get(c, "").casefold() for t in terms)
                for k, c in zip(keep, codes, strict=True)
            ]
        # a visit event becomes its group's header only when events carry visit ids (EHRSHOT's
        # MEDS release has none): without them it is an ordinary line, so nothing is lost
        grouping = opts.group_by_visit and bool((patient.visit_id != NO_VISIT).any())
        visit_ids = patient.visit_id.tolist()
        is_visit = [
            t == VISIT_TABLE and v != NO_VISIT for t, v in zip(tables, visit_ids, strict=True)
        ]
        if grouping:
            keep = [k and not v for k, v in zip(keep, is_visit, strict=True)]
        self._grouping = grouping
        self._keep = np.asarray(keep, dtype=bool)
        self._codes = codes
        # visit id → (time of its visit event, header text); used only when that time ≤ the cut
        self._visits: dict[int, tuple[int, str]] = {}
        if grouping:
            for i in np.flatnonzero(np.asarray(is_visit, dtype=bool)):
                v, t = int(patient.visit_id[i]), int(patient.time[i])
                if v == NO_VISIT:
                    continue
                kind = self.descriptions.get(codes[i], codes[i])
                when = f" {_date(t)}" if opts.with_dates and t != STATIC_TIME else ""
                self._visits.setdefault(v, (t, f"Visit{when} ({kind}):"))
        self._lines: dict[int, str] = {}

    def _line(self, i: int) -> str:
        cached = self._lines.get(i)
        if cached is not None:
            return cached
        p, opts = self.patient, self.options
        code = self._codes[i]
        described = self.descriptions.get(code)
        body = f"{described} [{code}]" if described else code
        if opts.with_values:
            number = float(p.numeric_value[i])
            text = p.text_value[i]
            if not math.isnan(number):
                body += f": {number:g}" + (f" {p.unit[i]}" if p.unit[i] else "")
            elif isinstance(text, str) and 0 < len(text) <= 40:
                body += f": {text}"
        time = int(p.time[i])
        if opts.with_dates and time != STATIC_TIME:
            body = f"{_date(time)} {body}"
        self._lines[i] = line = f"- {body}"
        return line

    def _header(self, i: int, cut: int) -> str | None:
        if not self._grouping:
            return None
        v = int(self.patient.visit_id[i])
        if v == NO_VISIT:
            return "Other events:"
        visit = self._visits.get(v)
        if visit is not None and visit[0] <= cut:
            return visit[1]
        time = int(self.patient.time[i])
        dated = self.options.with_dates and time != STATIC_TIME
        return f"Visit {_date(time)}:" if dated else f"Visit {v}:"

    def _cost(self, piece: str) -> int:
        if self.count_tokens is not None:
            return self.count_tokens(piece)
        return math.ceil((len(piece) + 1) / self.options.chars_per_token)

    def render(self, prediction_time: int) -> Timeline:
        """The timeline up to ``prediction_time`` (µs since 1970)."""
        known = self.patient.time <= prediction_time  # the one cut: nothing later is looked at
        n_known = int(known.sum())
        shown = np.flatnonzero(known & self._keep)
        budget = self.options.max_tokens
        kept: list[tuple[int, str, str | None]] = []
        used = 0
        open_groups: set[str] = set()
        note_cost = self._cost(_omitted_note(len(shown))) if budget is not None else 0
        # newest first: keep events while they fit, then stop (the oldest are the ones dropped)
        for position, i in enumerate(shown[::-1].tolist()):
            piece = self._line(i)
            group = self._header(i, prediction_time)
            extra = self._cost(piece)
            if group is not None and group not in open_groups:
                extra += self._cost(group)
            if budget is not None:
                reserve = note_cost if position < len(shown) - 1 else 0
                if used + extra + reserve > budget:
                    break
            used += extra
            if group is not None:
                open_groups.add(group)
            kept.append((i, piece, group))
        kept.reverse()
        n_dropped = len(shown) - len(kept)

        out: list[str] = []
        if n_dropped:
            out.append(_omitted_note(n_dropped))
            used += self._cost(out[0])
        current: str | None = None
        for _, piece, group in kept:
            if group is not None and group != current:
                out.append(group)
                current = group
            out.append(piece)
        rendered = "\n".join(out) if out else "(no events before the prediction time)"
        return Timeline(
            text=rendered,
            n_events=len(kept),
            n_dropped=n_dropped,
            n_filtered=n_known - len(shown),
            n_future=len(self.patient) - n_known,
            n_tokens=used,
        )


def _omitted_note(n: int) -> str:
    return f"[{n} older events omitted to fit the token budget]"
