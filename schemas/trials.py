"""The one label vocabulary of patient–trial matching (TREC Clinical Trials 2021–2023).

TREC CT qrels grade each (topic, trial) pair **0 = not relevant, 1 = excluded, 2 = eligible**
(track guidelines and overviews, Roberts et al. 2021–2023; ir_datasets ``QREL_DEFS_2021``); what
each grade means is written once, from the guidelines' wording, in
``ehrmind_rewards.tasks.trials.definitions``. EHRMind's prompts name
the classes ``"Irrelevant"``, ``"Excluded"`` and ``"Eligible"`` with ``idx`` 0/1/2 in that order.
EHRMind's released reward, metrics script and SFT data map 0 → "Excluded" and 1 → "Irrelevant",
which contradicts both; every loader, prompt, verifier and metric of this project reads the mapping
from this module instead.

Label names are matched after :func:`normalize_label_name` (case-folded, ``_``/``-`` and runs of
whitespace read as one space, a trailing full stop dropped), against the names in
:data:`LABEL_NAMES` and the synonyms in :data:`LABEL_SYNONYMS`. Inputs longer than
:data:`MAX_LABEL_NAME_CHARS` are never a label name.
"""

from __future__ import annotations

import operator
from enum import IntEnum
from typing import SupportsIndex

from pydantic import BaseModel, ConfigDict, Field

from schemas.labels import normalize_label_name


class TrialLabel(IntEnum):
    """A TREC CT relevance grade: the qrels value is the enum value."""

    NOT_RELEVANT = 0
    """Qrels grade 0: not relevant (defined in ``ehrmind_rewards.tasks.trials.definitions``)."""
    EXCLUDED = 1
    """Qrels grade 1: excluded (defined in ``ehrmind_rewards.tasks.trials.definitions``)."""
    ELIGIBLE = 2
    """Qrels grade 2: eligible (defined in ``ehrmind_rewards.tasks.trials.definitions``)."""

    @property
    def display_name(self) -> str:
        """The name EHRMind's prompt uses for this grade: Irrelevant, Excluded or Eligible."""
        return LABEL_NAMES[self]

    @property
    def is_relevant(self) -> bool:
        """True for excluded and eligible: TREC counts both as relevant (grade ≥ 1)."""
        return self is not TrialLabel.NOT_RELEVANT


LABEL_NAMES: dict[TrialLabel, str] = {
    TrialLabel.NOT_RELEVANT: "Irrelevant",
    TrialLabel.EXCLUDED: "Excluded",
    TrialLabel.ELIGIBLE: "Eligible",
}
"""The canonical names the prompt asks for, by grade."""

LABEL_SYNONYMS: dict[str, TrialLabel] = {
    "irrelevant": TrialLabel.NOT_RELEVANT,
    "not relevant": TrialLabel.NOT_RELEVANT,
    "non relevant": TrialLabel.NOT_RELEVANT,
    "nonrelevant": TrialLabel.NOT_RELEVANT,
    "excluded": TrialLabel.EXCLUDED,
    "exclude": TrialLabel.EXCLUDED,
    "ineligible": TrialLabel.EXCLUDED,
    "not eligible": TrialLabel.EXCLUDED,
    "eligible": TrialLabel.ELIGIBLE,
    "eligible to enroll": TrialLabel.ELIGIBLE,
    "eligible to enrol": TrialLabel.ELIGIBLE,
    "included": TrialLabel.ELIGIBLE,
}
"""Accepted spellings (already normalized) → grade. Includes the canonical names."""

MAX_LABEL_NAME_CHARS = 64
"""Longer strings are never read as a label name (no label or synonym comes near this)."""


def label_from_name(text: str) -> TrialLabel | None:
    """The grade a label name (or synonym) stands for, or ``None`` if it is not one."""
    if len(text) > MAX_LABEL_NAME_CHARS:
        return None
    return LABEL_SYNONYMS.get(normalize_label_name(text))


def label_from_grade(value: object) -> TrialLabel:
    """Read a qrels grade (the int 0, 1 or 2, or its decimal text) as a :class:`TrialLabel`.

    Raises:
        ValueError: for anything else (booleans, floats, other integers, other text).
    """
    if isinstance(value, str):
        text = value.strip()
        if text in {"0", "1", "2"}:
            return TrialLabel(int(text))
    elif isinstance(value, SupportsIndex) and not isinstance(value, bool):
        number = operator.index(value)  # int and numpy integers; never float or bool
        if number in (0, 1, 2):
            return TrialLabel(number)
    raise ValueError(f"relevance grade must be 0, 1 or 2, not {value!r}")


class TrialQrel(BaseModel):
    """One relevance judgment: ``label`` is the TREC CT grade of ``doc_id`` for ``query_id``."""

    model_config = ConfigDict(frozen=True)

    query_id: str
    doc_id: str
    label: TrialLabel


class TrialTopic(BaseModel):
    """One topic: its id as written in the source file and the patient as readable text.

    TREC CT 2021 and 2022 topics are free-text patient descriptions: ``template`` is ``None`` and
    ``fields`` empty. TREC CT 2023 topics are questionnaires: ``template`` names the disorder
    questionnaire (``"glaucoma"``), ``fields`` holds its answers by field name in file order (an
    unanswered field is ``""``), and ``text`` renders them, one ``name: value`` line each.
    """

    model_config = ConfigDict(frozen=True)

    query_id: str
    text: str
    template: str | None = None
    fields: dict[str, str] = Field(default_factory=dict)


class TrialRecord(BaseModel):
    """One clinical trial as the matching task uses it (ClinicalTrials.gov XML or JSON v2).

    Ages are the registry's text (``"18 Years"``, ``"6 Months"``; empty when absent or ``N/A``)
    and in years (``None`` when absent); ``gender`` is ``"All"``, ``"Female"`` or ``"Male"``
    (empty when absent). ``inclusion``/``exclusion`` hold one entry per numbered criterion, nested
    bullets kept inside their parent criterion. ``criteria_text`` is plain text. A JSON API v2
    record's eligibility text is Markdown: ``criteria_markdown`` keeps it as the registry wrote it
    (escapes such as ``\\>=`` and ``\\*`` included) and ``criteria_text`` is its unescaped form.
    The 2021 snapshot's XML text is plain, so its ``criteria_markdown`` is empty.
    """

    model_config = ConfigDict(frozen=True)

    nct_id: str
    title: str
    official_title: str = ""
    conditions: tuple[str, ...] = ()
    summary: str = ""
    description: str = ""
    criteria_text: str = ""
    criteria_markdown: str = ""
    inclusion: tuple[str, ...] = ()
    exclusion: tuple[str, ...] = ()
    gender: str = ""
    minimum_age: str = ""
    maximum_age: str = ""
    minimum_age_years: float | None = None
    maximum_age_years: float | None = None
    healthy_volunteers: bool | None = None
