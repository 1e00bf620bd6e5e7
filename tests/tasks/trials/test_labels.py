"""The trial-matching label vocabulary, pinned to the TREC CT qrels semantics."""

from __future__ import annotations

import numpy as np
import pytest

from ehrmind_rewards.core.rewards import EHRMIND
from ehrmind_rewards.tasks.trials.verifier import verify_row
from schemas.reasons import Reason
from schemas.trials import (
    LABEL_NAMES,
    LABEL_SYNONYMS,
    TrialLabel,
    label_from_grade,
    label_from_name,
)
from tests.paths import ROOT

# TREC CT 2021/2022 grade definitions as ir_datasets publishes them (QREL_DEFS_2021 in
# ir_datasets/datasets/clinicaltrials.py); the track overviews define the same three grades.
TREC_QREL_DEFS = {0: "Not Relevant", 1: "Excluded", 2: "Eligible"}

# The mapping of EHRMind's released trial-matching reward, metrics script and SFT data
# (linjc16/EHRMind): 0 and 1 swapped relative to the qrels and to its own prompt.
EHRMIND_RELEASED_NAMES = {0: "Excluded", 1: "Irrelevant", 2: "Eligible"}


@pytest.mark.parametrize(("grade", "definition"), sorted(TREC_QREL_DEFS.items()))
def test_each_grade_means_what_the_qrels_say(grade: int, definition: str) -> None:
    assert label_from_name(definition) == TrialLabel(grade) == label_from_grade(grade)


def test_prompt_names_in_grade_order() -> None:
    assert [LABEL_NAMES[TrialLabel(g)] for g in range(3)] == ["Irrelevant", "Excluded", "Eligible"]
    assert [label.is_relevant for label in TrialLabel] == [False, True, True]


@pytest.mark.parametrize("grade", [0, 1])
def test_ehrmind_label_swap_is_not_reproduced(grade: int) -> None:
    """Regression: an answer written with EHRMind's released mapping must not score as correct."""
    swapped_name = EHRMIND_RELEASED_NAMES[grade]
    assert label_from_name(swapped_name) != TrialLabel(grade)
    completion = (
        f'<think>x</think><answer>{{"prediction": "{swapped_name}", "idx": {grade}}}</answer>'
    )
    verdict = verify_row(completion, {"label": grade}, EHRMIND)
    assert verdict.correct is False
    assert verdict.reason is Reason.LABEL_MISMATCH
    assert verdict.score == 0.0


def test_ehrmind_swapped_gold_names_are_wrong_for_the_true_grade() -> None:
    """A row labelled with EHRMind's swapped name for grade 0 ("Excluded") is grade 1 here."""
    for grade, swapped_name in EHRMIND_RELEASED_NAMES.items():
        name = LABEL_NAMES[TrialLabel(grade)]
        correct = f'<think>x</think><answer>{{"prediction": "{name}", "idx": {grade}}}</answer>'
        assert verify_row(correct, {"label": grade}, EHRMIND).correct is True
        expected = grade == 2
        assert (verify_row(correct, {"label": swapped_name}, EHRMIND).correct is True) == expected


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Eligible", TrialLabel.ELIGIBLE),
        ("  ELIGIBLE. ", TrialLabel.ELIGIBLE),
        ("eligible to enroll", TrialLabel.ELIGIBLE),
        ("not_relevant", TrialLabel.NOT_RELEVANT),
        ("Not-Relevant", TrialLabel.NOT_RELEVANT),
        ("irrelevant", TrialLabel.NOT_RELEVANT),
        ("ineligible", TrialLabel.EXCLUDED),
        ("Not eligible", TrialLabel.EXCLUDED),
        ("excluded", TrialLabel.EXCLUDED),
    ],
)
def test_synonyms(text: str, label: TrialLabel) -> None:
    assert label_from_name(text) is label


@pytest.mark.parametrize("text", ["", "eligible or excluded", "maybe", "2", "Eligible" * 20])
def test_non_names(text: str) -> None:
    assert label_from_name(text) is None


def test_every_synonym_is_normalized_and_canonical_names_are_synonyms() -> None:
    from schemas.trials import normalize_label_name

    assert all(normalize_label_name(s) == s for s in LABEL_SYNONYMS)
    assert all(LABEL_SYNONYMS[name.casefold()] is label for label, name in LABEL_NAMES.items())


@pytest.mark.parametrize("value", [0, 1, 2, "0", " 2\n", np.int64(1)])
def test_grades(value: object) -> None:
    assert int(label_from_grade(value)) == int(str(value).strip())


@pytest.mark.parametrize("value", [3, -1, True, 2.0, "2.0", "eligible", None])
def test_bad_grades(value: object) -> None:
    with pytest.raises(ValueError, match="0, 1 or 2"):
        label_from_grade(value)


def test_docs_label_table_matches_the_code() -> None:

    docs = (ROOT / "docs" / "trials.md").read_text(encoding="utf-8")
    rows = [
        line
        for line in docs.splitlines()
        if line[:4] in ("| 0 ", "| 1 ", "| 2 ") and line.split("|")[2].strip().startswith("`")
    ][:3]
    assert len(rows) == 3
    for row in rows:
        grade, member, name, synonyms = (cell.strip() for cell in row.strip("|").split("|"))
        label = TrialLabel(int(grade))
        assert member == f"`{label.name}`" and name == f"`{LABEL_NAMES[label]}`"
        listed = {s.strip() for s in synonyms.split(",")} | {LABEL_NAMES[label].casefold()}
        assert listed == {s for s, g in LABEL_SYNONYMS.items() if g is label}
