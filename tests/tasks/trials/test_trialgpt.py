"""Criterion-level (TrialGPT-style) parsing, aggregation and scoring against qrels."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehrmind_rewards.metrics.ranking import ranked
from ehrmind_rewards.tasks.trials.errors import TrialDataError
from ehrmind_rewards.tasks.trials.trialgpt import (
    EPSILON,
    MAX_CRITERIA,
    MAX_OUTPUT_CHARS,
    assess,
    criteria_from_object,
    evaluate_assessments,
    parse_criteria_output,
    ranking_run,
    ranking_score,
    read_aggregation,
    read_aggregation_results,
    read_matching_results,
)
from schemas.trials import TrialLabel
from tests.paths import DATA

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
    inclusion = parse_criteria_output(INCLUSION, "inclusion", matching="lenient")
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
    inclusion = parse_criteria_output(INCLUSION, "inclusion", matching="lenient")
    result = assess(inclusion, parse_criteria_output(EXCLUSION, "exclusion"))
    # included 2 / (2 included + 0 not included + 1 not enough information + 1e-9); no violation
    assert result.score == 2 / (3 + 1e-9)
    assert result.label is TrialLabel.ELIGIBLE


def test_exact_label_matching_is_the_default() -> None:
    """TrialGPT compares labels with ==: "Included" counts nowhere (rank_results.py, line 30)."""
    exact = parse_criteria_output(INCLUSION, "inclusion")
    assert [j.label for j in exact.judgements] == [
        "included",
        "not enough information",
        "not applicable",
    ]
    assert exact.issues == (
        "criterion '1': unknown label 'Included'; not counted "
        "(lenient matching reads it as 'included')",
    )
    exclusion = parse_criteria_output(EXCLUSION, "exclusion")
    # exact: 1 included / (1 + 1 no information); lenient: 2 / (2 + 1)
    assert assess(exact, exclusion).score == 1 / (2 + 1e-9)
    lenient = parse_criteria_output(INCLUSION, "inclusion", matching="lenient")
    assert assess(lenient, exclusion).score == 2 / (3 + 1e-9)


@pytest.mark.parametrize(
    ("label", "exact", "lenient"),
    [
        ("included", "included", "included"),
        ("Included", None, "included"),
        ("included.", None, "included"),
        ("  not   included ", None, "not included"),
        ("NOT ENOUGH INFORMATION", None, "not enough information"),
        ("include", None, None),
        ("excluded", None, None),  # an exclusion label in the inclusion section
    ],
)
def test_label_matching_modes(label: str, exact: str | None, lenient: str | None) -> None:
    for mode, expected in (("exact", exact), ("lenient", lenient)):
        parsed = criteria_from_object({"0": ["r", [0], label]}, "inclusion", matching=mode)  # type: ignore[arg-type]
        assert [j.label for j in parsed.judgements] == ([expected] if expected else [])


# (inclusion, exclusion, TrialGPT matching score, grade from the TREC definitions)
@pytest.mark.parametrize(
    ("inclusion", "exclusion", "score", "grade"),
    [
        # 1 included of 2 judged, minus 1 for the "not included": fails an inclusion criterion
        ({"0": ["", [], "included"], "1": ["", [], "not included"]}, {}, 1 / (2 + EPSILON) - 1, 0),
        # all included, one exclusion met
        ({"0": ["", [], "included"]}, {"0": ["", [], "excluded"]}, 1 / (1 + EPSILON) - 1, 1),
        # both penalties: not relevant (an inclusion criterion fails)
        ({"0": ["", [], "not included"]}, {"0": ["", [], "excluded"]}, 0 / (1 + EPSILON) - 2, 0),
        # nothing judged: no information that the patient qualifies
        ({"0": ["", [], "not applicable"]}, {}, 0.0, 0),
        ({"0": ["", [], "not enough information"]}, {}, 0.0, 0),
        # met, with unknowns and a not-excluded criterion
        (
            {"0": ["", [], "included"], "1": ["", [], "not enough information"]},
            {"0": ["", [], "not excluded"], "1": ["", [], "not enough information"]},
            1 / (2 + EPSILON),
            2,
        ),
    ],
)
def test_matching_score_and_grade(
    inclusion: dict[str, list[object]], exclusion: dict[str, list[object]], score: float, grade: int
) -> None:
    result = assess(
        parse_criteria_output(json.dumps(inclusion), "inclusion"),
        parse_criteria_output(json.dumps(exclusion), "exclusion"),
    )
    assert result.score == score
    assert result.label == grade


@pytest.mark.parametrize(
    ("met", "r_plus_e", "printed"),
    [(2, 190, 2.8999999995), (4, 185, 2.84999999975), (5, 180, 2.7999999998)],
)
def test_readme_example_ranking_is_reproduced(met: int, r_plus_e: int, printed: float) -> None:
    """The first three scores of the example ranking in TrialGPT's README."""
    inclusion = criteria_from_object(
        {str(i): ["", [], "included"] for i in range(met)}, "inclusion"
    )
    assessment = assess(inclusion, criteria_from_object({}, "exclusion"))
    aggregation = read_aggregation({"relevance_score_R": 95, "eligibility_score_E": r_plus_e - 95})
    assert ranking_score(assessment, aggregation) == printed


@pytest.mark.parametrize(
    ("value", "relevance", "eligibility", "issue"),
    [
        ({"relevance_score_R": 90, "eligibility_score_E": 80}, 90.0, 80.0, None),
        ({"relevance_score_R": "85", "eligibility_score_E": " -20 "}, 85.0, -20.0, None),
        ({"relevance_score_R": "n/a", "eligibility_score_E": 10}, 0.0, 0.0, "relevance_score_R"),
        ({"relevance_score_R": 10}, 0.0, 0.0, "eligibility_score_E is missing"),
        ({"relevance_score_R": "nan", "eligibility_score_E": 1}, 0.0, 0.0, "relevance_score_R"),
        ({"relevance_score_R": 1e999, "eligibility_score_E": 1}, 0.0, 0.0, "relevance_score_R"),
        ({"relevance_score_R": 120, "eligibility_score_E": 10}, 120.0, 10.0, "outside 0–100"),
        ({"relevance_score_R": 50, "eligibility_score_E": -70}, 50.0, -70.0, "outside −R–R"),
        ("matching result error", 0.0, 0.0, "str, not an object"),
        (None, 0.0, 0.0, "NoneType, not an object"),
    ],
)
def test_aggregation_scores_as_trialgpt_reads_them(
    value: object, relevance: float, eligibility: float, issue: str | None
) -> None:
    aggregation = read_aggregation(value)
    assert (aggregation.relevance, aggregation.eligibility) == (relevance, eligibility)
    assert aggregation.score == (relevance + eligibility) / 100
    if issue is None:
        assert aggregation.issues == ()
    else:
        assert issue in aggregation.issues[0]


@pytest.mark.parametrize(
    ("output", "issue", "counted"),
    [
        ('{"0": ["r", [1], "excluded"]}', "unknown label 'excluded'", False),  # exclusion label
        ('{"0": ["r", [1]]}', "triple", False),
        ('{"0": "included"}', "triple", False),
        ('{"0": ["r", [1], 2]}', "label is not a string", False),
        # TrialGPT counts a triple by its label alone: evidence problems are reported only
        ('{"0": ["r", ["one"], "included"]}', "sentence ids", True),
        ('{"0": ["r", [-1], "included"]}', "sentence ids", True),
        ('{"0": ["r", [1.5], "included"]}', "sentence ids", True),
        ('{"0": [1, [1], "included"]}', "reasoning", True),
    ],
)
def test_bad_entries_are_reported(output: str, issue: str, counted: bool) -> None:
    parsed = parse_criteria_output(output, "inclusion")
    assert parsed.ok and parsed.count("included") == int(counted)
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
    uncounted = [issue for issue in parsed.issues if "not counted" in issue]
    assert len(parsed.judgements) + len(uncounted) == len(obj)


OUTPUTS = DATA / "trec_ct" / "trialgpt_outputs"


def test_trialgpt_result_files_rank_as_trialgpt_does() -> None:
    matching = read_matching_results(OUTPUTS / "matching_results_sample.json")
    aggregations = read_aggregation_results(OUTPUTS / "aggregation_results_sample.json")
    assessments = matching.assessments
    assert sorted(assessments) == [
        ("p1", "NCT90000001"),
        ("p1", "NCT90000002"),
        ("p1", "NCT90000003"),
        ("p1", "NCT90000004"),
        ("p2", "NCT90000005"),
    ]
    grades = {pair[1]: int(a.label) for pair, a in assessments.items()}
    assert grades == {
        "NCT90000001": 2,  # 2 included, 1 not enough information, nothing violated
        "NCT90000002": 1,  # included, one exclusion met
        "NCT90000003": 0,  # "not included" (the "Included" does not count: exact matching)
        "NCT90000004": 0,  # inclusion output TrialGPT could not decode: nothing judged
        "NCT90000005": 2,
    }
    assert any("could not decode" in i for i in assessments[("p1", "NCT90000004")].issues)
    run = ranking_run(assessments, aggregations)
    assert run["p1"] == {
        "NCT90000001": 2 / (3 + EPSILON) + (90 + 80) / 100,
        "NCT90000002": (1 / (1 + EPSILON) - 1) + (80 - 60) / 100,
        "NCT90000003": -1.0,  # R unreadable: aggregation scored 0
        "NCT90000004": 0.0,  # "matching result error": aggregation scored 0
    }
    assert run["p2"] == {"NCT90000005": 2 / (2 + EPSILON)}  # no aggregation result: + 0
    assert ranked(run["p1"]) == ["NCT90000001", "NCT90000002", "NCT90000004", "NCT90000003"]
    # without R and E the ranking is the matching score alone
    assert ranking_run(assessments)["p1"]["NCT90000001"] == 2 / (3 + EPSILON)
    lenient = read_matching_results(OUTPUTS / "matching_results_sample.json", matching="lenient")
    assert lenient.assessments[("p1", "NCT90000003")].score == 1 / (2 + EPSILON) - 1


def test_evaluate_with_aggregations() -> None:
    matching = read_matching_results(OUTPUTS / "matching_results_sample.json")
    aggregations = read_aggregation_results(OUTPUTS / "aggregation_results_sample.json")
    qrels = {"p1": {"NCT90000001": 2, "NCT90000002": 1, "NCT90000003": 2}, "p2": {}}
    result = evaluate_assessments(matching.assessments, qrels, aggregations)
    assert result.unjudged == 2 and result.missing_aggregation == 1
    assert result.classification.n == 3 and result.classification.accuracy == 2 / 3
    # p1 ranking: NCT90000001 (2), NCT90000002 (1), NCT90000004 (unjudged), NCT90000003 (2)
    assert result.ranking.per_topic["p1"]["mrr"] == 1.0
    assert result.ranking.per_topic["p1"]["p@10"] == 0.3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not readable JSON"),
        ("[]", "top level is not an object of patients"),
        ('{"p": []}', "'p' is not an object of qrels grades"),
        ('{"p": {"2": []}}', "'p' → '2' is not an object of trials"),
        ('{"p": {"2": {"NCT1": "x"}}}', "'p' → '2' → 'NCT1' is not an object"),
    ],
)
def test_malformed_matching_files_name_the_key(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "matching.json"
    path.write_text(content)
    with pytest.raises(TrialDataError, match=re.escape(message)) as info:
        read_matching_results(path)
    assert str(path) in str(info.value)


def test_duplicate_pairs_keep_the_later_one(tmp_path: Path) -> None:
    path = tmp_path / "matching.json"
    one = {"inclusion": {"0": ["", [], "not included"]}, "exclusion": {}}
    two = {"inclusion": {"0": ["", [], "included"]}, "exclusion": {}}
    path.write_text(json.dumps({"p": {"1": {"NCT1": one}, "2": {"NCT1": two}}}))
    result = read_matching_results(path)
    assert result.duplicates == [("p", "NCT1")]
    assert result.assessments[("p", "NCT1")].label is TrialLabel.ELIGIBLE


def test_malformed_aggregation_file(tmp_path: Path) -> None:
    path = tmp_path / "aggregation.json"
    path.write_text('{"p": ["x"]}')
    with pytest.raises(TrialDataError, match="'p' is not an object of trials"):
        read_aggregation_results(path)
