"""Criterion-level (TrialGPT-style) parsing, aggregation and scoring against qrels."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehrmind_rewards.tasks.trials.trialgpt import (
    MAX_CRITERIA,
    MAX_OUTPUT_CHARS,
    assess,
    evaluate_assessments,
    parse_criteria_output,
)
from schemas.trials import TrialLabel

INCLUSION = json.dumps(
    {
        "0": ["Patient is 52.", [0], "included"],
        "1": ["Anti-SSA positive.", [0, 2], "Included"],
        "2": ["Consent not mentioned.", [], "not enough information"],
        "3": ["Only for men.", [], "not applicable"],
    }
)
EXCLUSION = "```json\n" + json.dumps({"0": ["No rituximab.", [1], "not excluded"]}) + "\n```"


def test_parse_fenced_and_plain_outputs() -> None:
    inclusion = parse_criteria_output(INCLUSION, "inclusion")
    assert inclusion.ok and inclusion.issues == ()
    assert [j.label for j in inclusion.judgements] == [
        "included",
        "included",
        "not enough information",
        "not applicable",
    ]
    assert inclusion.judgements[1].sentence_ids == (0, 2)
    exclusion = parse_criteria_output(EXCLUSION, "exclusion")
    assert exclusion.ok and exclusion.judgements[0].label == "not excluded"


def test_hand_computed_eligible_trial() -> None:
    result = assess(
        parse_criteria_output(INCLUSION, "inclusion"), parse_criteria_output(EXCLUSION, "exclusion")
    )
    # included 2 / (2 included + 0 not included + 1 not enough information); no violation
    assert result.score == pytest.approx(2 / 3)
    assert result.label is TrialLabel.ELIGIBLE


@pytest.mark.parametrize(
    ("inclusion", "exclusion", "score", "label"),
    [
        # 1 included of 2 judged, minus 1 for the "not included"
        ({"0": ["", [], "included"], "1": ["", [], "not included"]}, {}, 0.5 - 1, 1),
        # all included, one exclusion met
        ({"0": ["", [], "included"]}, {"0": ["", [], "excluded"]}, 1 - 1, 1),
        # both penalties
        ({"0": ["", [], "not included"]}, {"0": ["", [], "excluded"]}, 0 - 2, 1),
        # nothing judged: 0, eligible by the rule (no violation)
        ({"0": ["", [], "not applicable"]}, {}, 0.0, 2),
    ],
)
def test_aggregation_rule(
    inclusion: dict[str, list[object]], exclusion: dict[str, list[object]], score: float, label: int
) -> None:
    result = assess(
        parse_criteria_output(json.dumps(inclusion), "inclusion"),
        parse_criteria_output(json.dumps(exclusion), "exclusion"),
    )
    assert result.score == pytest.approx(score)
    assert result.label == label


@pytest.mark.parametrize(
    ("output", "issue"),
    [
        (
            '{"0": ["r", [1], "excluded"]}',
            "unknown label 'excluded'",
        ),  # exclusion label in inclusion
        ('{"0": ["r", [1]]}', "triple"),
        ('{"0": ["r", ["one"], "included"]}', "sentence ids"),
        ('{"0": ["r", [-1], "included"]}', "sentence ids"),
        ('{"0": ["r", [1.5], "included"]}', "sentence ids"),
        ('{"0": [1, [1], "included"]}', "reasoning"),
        ('{"0": ["r", [1], 2]}', "label is not a string"),
    ],
)
def test_bad_entries_are_reported_and_skipped(output: str, issue: str) -> None:
    parsed = parse_criteria_output(output, "inclusion")
    assert parsed.ok and parsed.judgements == ()
    assert issue in parsed.issues[0]


@pytest.mark.parametrize(
    "output",
    ["", "no json here", "[1, 2]", '{"0": 1, "0": 2}', "{" * 10_000 + "}" * 10_000, None, 42],
)
def test_unreadable_outputs(output: object) -> None:
    parsed = parse_criteria_output(output, "exclusion")
    assert not parsed.ok and parsed.judgements == () and parsed.issues


def test_caps() -> None:
    assert not parse_criteria_output("{" + " " * MAX_OUTPUT_CHARS + "}", "inclusion").ok
    many = json.dumps({str(i): ["", [], "included"] for i in range(MAX_CRITERIA + 5)})
    parsed = parse_criteria_output(many, "inclusion")
    assert len(parsed.judgements) == MAX_CRITERIA and "5 criteria beyond" in parsed.issues[0]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["inclusion", "exclusion"]))
def test_never_raises_on_text(text: str, section: str) -> None:
    parsed = parse_criteria_output(text, section)  # type: ignore[arg-type]
    assert parsed.ok or not parsed.judgements


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10)),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=4), json_values, max_size=6))
def test_never_raises_on_json(obj: dict[str, object]) -> None:
    parsed = parse_criteria_output(json.dumps(obj), "inclusion")
    assert parsed.ok
    assert len(parsed.judgements) + len(parsed.issues) == len(obj)


def test_evaluate_against_qrels() -> None:
    def assessment(inclusion_label: str) -> object:
        return assess(
            parse_criteria_output(json.dumps({"0": ["", [], inclusion_label]}), "inclusion"),
            parse_criteria_output("{}", "exclusion"),
        )

    assessments = {
        ("1", "A"): assessment("included"),  # score 1, eligible; qrels 2
        ("1", "B"): assessment("not included"),  # score -1, excluded; qrels 2
        ("1", "C"): assessment("not included"),  # score -1, excluded; qrels 0 (not relevant)
        ("1", "Z"): assessment("included"),  # unjudged
    }
    qrels = {"1": {"A": 2, "B": 2, "C": 0}}
    result = evaluate_assessments(assessments, qrels)  # type: ignore[arg-type]
    assert result.unjudged == 1
    assert result.eligibility.n == 2 and result.eligibility.accuracy == 0.5
    # ranking by score: Z (1.0) and A (1.0) tie -> Z before A (docid descending); then C, B
    assert result.ranking.per_topic["1"]["mrr"] == 0.5
