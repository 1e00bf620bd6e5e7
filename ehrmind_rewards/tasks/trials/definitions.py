"""What the three trial-matching labels mean: written once, from the TREC guidelines' wording.

The TREC Clinical Trials tracks grade every judged (topic, trial) pair on one scale, the same in
2021, 2022 and 2023. This module holds, for each grade, the wording the track gives its assessors
and the operational reading this project uses; prompts (:mod:`.prompts`), the criterion → grade
mapping (:func:`grade_from_criteria`, used by :func:`.trialgpt.assess`) and the documentation all
read it from here.

**Wording followed.** The relevance-judgment definitions of the TREC 2021 Clinical Trials track
(trec-cds.org/2021.html, reused by the 2022 and 2023 tracks; quoted as the TREC cohorts' labels in
ncbi-nlp/TrialGPT's README), read together with the task statement of the track overviews
(Roberts et al., *Overview of the TREC 2022 Clinical Trials Track*, NIST SP 500-338): the grades
exist "to distinguish between patients that do not have sufficient information to qualify for the
trial (Not Relevant) and those that are explicitly Excluded", and for a match "a sufficient amount
of information must be present to suggest the patient may be eligible, while also not containing
information showing the patient to be excluded".

Read literally, *excluded* is reserved for the **exclusion** criteria of a trial whose targeted
condition the patient has; a patient who fails an **inclusion** criterion does not qualify and is
*not relevant*. EHRMind's matching prompt (linjc16/EHRMind, ``src/dataset/matching/rl/inst.py``,
lines 20–23) reads the scale the same way: irrelevant when the patient lacks the information to
qualify, excluded when the patient meets the inclusion criteria but an exclusion criterion
applies, eligible when the patient meets the inclusion criteria and no exclusion criterion does.

>>> DEFINITIONS[TrialLabel.EXCLUDED].name
'Excluded'
>>> grade_from_criteria(included=3, not_included=0, excluded=1)
<TrialLabel.EXCLUDED: 1>
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.trials import LABEL_NAMES, TrialLabel

GUIDELINES = (
    "TREC 2021 Clinical Trials track relevance judgments (trec-cds.org/2021.html; the 2022 and "
    "2023 tracks use the same scale) and the task statement of the TREC 2022 track overview"
)
"""Where the wording in :data:`DEFINITIONS` comes from."""


@dataclass(frozen=True, slots=True)
class LabelDefinition:
    """One grade: its name in prompts, the track's wording and this project's reading of it."""

    label: TrialLabel
    name: str
    """The name prompts and answers use (EHRMind's): Irrelevant, Excluded, Eligible."""
    trec_wording: str
    """The TREC relevance-judgment definition, verbatim."""
    meaning: str
    """The operational definition prompts state and :func:`grade_from_criteria` implements."""


DEFINITIONS: dict[TrialLabel, LabelDefinition] = {
    TrialLabel.NOT_RELEVANT: LabelDefinition(
        TrialLabel.NOT_RELEVANT,
        LABEL_NAMES[TrialLabel.NOT_RELEVANT],
        "The patient is not relevant for the trial in any way.",
        "the patient does not qualify for the trial (does not have the condition it targets, "
        "fails one of its inclusion criteria, or the note lacks the information needed to "
        "qualify)",
    ),
    TrialLabel.EXCLUDED: LabelDefinition(
        TrialLabel.EXCLUDED,
        LABEL_NAMES[TrialLabel.EXCLUDED],
        "The patient has the condition that the trial is targeting, but the exclusion criteria "
        "make the patient ineligible.",
        "the patient qualifies for the trial (has the condition it targets and meets its "
        "inclusion criteria) but meets at least one of its exclusion criteria",
    ),
    TrialLabel.ELIGIBLE: LabelDefinition(
        TrialLabel.ELIGIBLE,
        LABEL_NAMES[TrialLabel.ELIGIBLE],
        "The patient is eligible to enroll in the trial.",
        "the patient qualifies for the trial (has the condition it targets and meets its "
        "inclusion criteria) and none of its exclusion criteria applies",
    ),
}
"""The three grades, in grade order."""


def grade_from_criteria(*, included: int, not_included: int, excluded: int) -> TrialLabel:
    """The grade :data:`DEFINITIONS` gives a pair from criterion-level judgment counts.

    Args:
        included: inclusion criteria the patient meets.
        not_included: inclusion criteria the patient fails.
        excluded: exclusion criteria the patient meets.

    Rules, in order (criteria judged *not enough information* or *not applicable* count for
    neither side, as the track's "sufficient amount of information … to suggest the patient may
    be eligible" allows):

    1. an inclusion criterion failed → **not relevant** (the patient does not qualify);
    2. no inclusion criterion met → **not relevant** (no information that the patient qualifies);
    3. an exclusion criterion met → **excluded**;
    4. otherwise → **eligible**.

    >>> grade_from_criteria(included=2, not_included=1, excluded=1)
    <TrialLabel.NOT_RELEVANT: 0>
    >>> grade_from_criteria(included=0, not_included=0, excluded=0)
    <TrialLabel.NOT_RELEVANT: 0>
    >>> grade_from_criteria(included=2, not_included=0, excluded=0)
    <TrialLabel.ELIGIBLE: 2>
    """
    if not_included > 0 or included == 0:
        return TrialLabel.NOT_RELEVANT
    return TrialLabel.EXCLUDED if excluded > 0 else TrialLabel.ELIGIBLE


def definitions_table() -> str:
    """The Markdown table of :data:`DEFINITIONS` that ``docs/trials.md`` shows (kept in sync).

    >>> definitions_table().splitlines()[0]
    '| grade | name | TREC wording | reading used by prompts and `assess` |'
    """
    lines = [
        "| grade | name | TREC wording | reading used by prompts and `assess` |",
        "|---|---|---|---|",
    ]
    for label, definition in DEFINITIONS.items():
        lines.append(
            f"| {int(label)} | {definition.name} | “{definition.trec_wording}” | "
            f"{definition.meaning[0].upper()}{definition.meaning[1:]}. |"
        )
    return "\n".join(lines)
