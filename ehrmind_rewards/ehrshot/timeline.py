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

from ehrmind_rewards.ehrshot.events import NO_VISIT, STATIC_TIME, Patient, from_us

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
    options = options or TimelineOptions()
    descriptions = descriptions or {}
    known = patient.time <= prediction_time  # the one cut: nothing later is ever looked at
    n_future = int((~known).sum())
    time, code = patient.time[known], patient.code[known]
    table, visit = patient.omop_table[known], patient.visit_id[known]

    keep = np.ones(time.size, dtype=bool)
    if options.tables is not None:
        keep &= np.isin(table, list(options.tables))
    codes = code.tolist()
    hidden = [c.startswith(HIDDEN_CODE_PREFIXES) for c in codes]
    if options.code_prefixes is not None:
        prefixes = tuple(options.code_prefixes)
        hidden = [h or not c.startswith(prefixes) for h, c in zip(hidden, codes, strict=True)]
    if options.description_terms is not None:
        terms = [t.casefold() for t in options.description_terms]
        hidden = [
            h or not any(t in descriptions.get(c, "").casefold() for t in terms)
            for h, c in zip(hidden, codes, strict=True)
        ]
    keep &= ~np.asarray(hidden, dtype=bool)

    visit_headers: dict[int, str] = {}
    if options.group_by_visit:
        keep &= table != VISIT_TABLE
        for i in np.flatnonzero((table == VISIT_TABLE) & (visit != NO_VISIT)):
            kind = descriptions.get(codes[i], codes[i])
            dated = options.with_dates and time[i] != STATIC_TIME
            when = f" {_date(int(time[i]))}" if dated else ""
            visit_headers[int(visit[i])] = f"Visit{when} ({kind}):"

    shown = np.flatnonzero(keep)
    n_filtered = int(time.size - shown.size)
    value, text = patient.numeric_value[known], patient.text_value[known]
    unit = patient.unit[known]

    def line(i: int) -> str:
        c = codes[i]
        described = descriptions.get(c)
        body = f"{described} [{c}]" if described else c
        if options.with_values:
            number = float(value[i])
            if not math.isnan(number):
                body += f": {number:g}" + (f" {unit[i]}" if unit[i] else "")
            elif isinstance(text[i], str) and 0 < len(text[i]) <= 40:
                body += f": {text[i]}"
        if options.with_dates and time[i] != STATIC_TIME:
            body = f"{_date(int(time[i]))} {body}"
        return f"- {body}"

    def header(i: int) -> str | None:
        if not options.group_by_visit:
            return None
        v = int(visit[i])
        if v == NO_VISIT:
            return "Other events:"
        dated = options.with_dates and time[i] != STATIC_TIME
        fallback = f"Visit {_date(int(time[i]))}:" if dated else f"Visit {v}:"
        return visit_headers.get(v, fallback)

    def cost(piece: str) -> int:
        if count_tokens is not None:
            return count_tokens(piece)
        return math.ceil((len(piece) + 1) / options.chars_per_token)

    # newest first: keep events while they fit, then stop (the oldest are the ones dropped)
    budget = options.max_tokens
    kept: list[tuple[int, str]] = []
    used = 0
    open_groups: set[str] = set()
    note_cost = cost(_omitted_note(len(shown))) if budget is not None else 0
    for position, i in enumerate(shown[::-1].tolist()):
        piece = line(i)
        group = header(i)
        extra = cost(piece) + (cost(group) if group and group not in open_groups else 0)
        if budget is not None:
            remaining_events = len(shown) - position - 1
            reserve = note_cost if remaining_events else 0
            if used + extra + reserve > budget:
                break
        used += extra
        if group:
            open_groups.add(group)
        kept.append((i, piece))
    kept.reverse()
    n_dropped = len(shown) - len(kept)

    out: list[str] = []
    if n_dropped:
        out.append(_omitted_note(n_dropped))
    current: str | None = None
    for i, piece in kept:
        group = header(i)
        if group is not None and group != current:
            out.append(group)
            current = group
        out.append(piece)
    rendered = "\n".join(out) if out else "(no events before the prediction time)"
    n_tokens = used + (cost(out[0]) if n_dropped else 0)
    return Timeline(rendered, len(kept), n_dropped, n_filtered, n_future, n_tokens)


def _omitted_note(n: int) -> str:
    return f"[{n} older events omitted to fit the token budget]"
