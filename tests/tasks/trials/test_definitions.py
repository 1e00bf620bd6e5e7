"""The three labels are defined once, from the TREC guidelines, and everything reads them."""

from __future__ import annotations

import pytest

from ehrmind_rewards.tasks.trials.definitions import (
    DEFINITIONS,
    definitions_table,
    grade_from_criteria,
)
from ehrmind_rewards.tasks.trials.prompts import SYSTEM_PROMPT
from schemas.trials import LABEL_NAMES, TrialLabel
from tests.paths import ROOT

# The relevance-judgment definitions of the TREC 2021 Clinical Trials track, as its guidelines
# word them (also quoted for the TREC cohorts in ncbi-nlp/TrialGPT's README).
TREC_WORDING = {
    0: "The patient is not relevant for the trial in any way.",
    1: "The patient has the condition that the trial is targeting, but the exclusion criteria "
    "make the patient ineligible.",
    2: "The patient is eligible to enroll in the trial.",
}


def test_wording_is_the_guidelines() -> None:
    assert {int(label): d.trec_wording for label, d in DEFINITIONS.items()} == TREC_WORDING
    assert [d.name for d in DEFINITIONS.values()] == [LABEL_NAMES[g] for g in TrialLabel]


def test_prompt_states_each_definition() -> None:
    for definition in DEFINITIONS.values():
        assert f"{definition.name}: {definition.meaning}." in SYSTEM_PROMPT
    # the reading that drifted before: failing an inclusion criterion is not "excluded"
    excluded = DEFINITIONS[TrialLabel.EXCLUDED].meaning
    assert "exclusion criteria" in excluded and "fails" not in excluded
    assert "fails one of its inclusion criteria" in DEFINITIONS[TrialLabel.NOT_RELEVANT].meaning


def test_docs_show_the_generated_table() -> None:
    assert definitions_table() in (ROOT / "docs" / "trials.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("included", "not_included", "excluded", "grade"),
    [
        (1, 0, 0, 2),
        (5, 0, 0, 2),
        (1, 0, 1, 1),
        (3, 0, 2, 1),
        (1, 1, 0, 0),  # fails an inclusion criterion: does not qualify
        (1, 1, 1, 0),  # fails an inclusion criterion and meets an exclusion one
        (0, 0, 0, 0),  # nothing shows the patient qualifies
        (0, 0, 1, 0),
        (0, 2, 0, 0),
    ],
)
def test_criterion_counts_to_grade(
    included: int, not_included: int, excluded: int, grade: int
) -> None:
    result = grade_from_criteria(included=included, not_included=not_included, excluded=excluded)
    assert result == grade
