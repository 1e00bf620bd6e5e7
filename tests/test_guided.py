"""Guided decoding: every completion the regex admits is format-valid; hostile ones are refused.

Strings are generated *from* each task's pattern (hypothesis ``from_regex``), graded by the
task's own verifier and their payloads validated against the task's JSON Schema (``jsonschema``).
The hostile strategies of :mod:`ehrmind_rewards.testing` and the structural defects are refused
by both the pattern and the schema.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehrmind_rewards import guided, tasks
from ehrmind_rewards.core.parsing.envelope import (
    MAX_COMPLETION_CHARS,
    EnvelopeFailure,
    completion_parts,
    parse_envelope,
)
from ehrmind_rewards.core.rewards import EHRMIND
from ehrmind_rewards.testing import hostile_completions, structural_defects
from schemas.reasons import Reason

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema validates the answer schemas")

CHEXPERT_LABEL = [0] * 14
ROWS: dict[str, dict[str, Any]] = {
    "medcalc": {
        "calculator_id": 2,
        "ground_truth": "25.238",
        "lower_limit": "23.97",
        "upper_limit": "26.5",
    },
    "trials": {"label": 2},
    "ehrshot": {"ehrshot_task": "new_hypertension", "label": 1},
}
"""A usable reference row per task; format validity does not depend on which."""


def _row(task: str, variant: str | None) -> dict[str, Any]:
    if task == "ehrshot" and variant is not None:
        return {"ehrshot_task": variant, "label": CHEXPERT_LABEL if variant == "chexpert" else 0}
    return ROWS[task]


CASES = [
    (task, variant)
    for task in tasks.names()
    for variant in (None, *tasks.get(task).answer_variants())
]


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if len({key for key, _ in pairs}) != len(pairs):
        raise ValueError("duplicate key")  # JSON Schema sees parsed objects: reject it here
    return dict(pairs)


def _schema_accepts(completion: object, schema: dict[str, Any]) -> bool:
    """Whether the completion's envelope parses, its payload is JSON without duplicate keys, and
    the payload validates against ``schema``."""
    envelope = parse_envelope(completion)
    if isinstance(envelope, EnvelopeFailure):
        return False
    try:
        payload = json.loads(envelope.answer, object_pairs_hook=_unique_keys)
    except (ValueError, RecursionError):  # deeply nested hostile JSON
        return False
    return jsonschema.Draft202012Validator(schema).is_valid(payload)


def _regex_accepts(completion: object, pattern: str) -> bool:
    parts = completion_parts(completion)
    if isinstance(parts, EnvelopeFailure) or parts[1] is not None:
        return False
    return re.fullmatch(pattern, parts[0]) is not None


@pytest.mark.parametrize(("task", "variant"), CASES)
@pytest.mark.parametrize("prefilled", [False, True])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_completion_the_regex_admits_is_format_valid(
    task: str, variant: str | None, prefilled: bool, data: st.DataObject
) -> None:
    pattern = guided.completion_regex(task, variant, prefilled=prefilled, max_think_chars=300)
    completion = data.draw(st.from_regex(pattern, fullmatch=True))
    verdict = tasks.get(task).verify_row(completion, _row(task, variant), EHRMIND)
    assert verdict.format_ok, (verdict.reason, verdict.detail, completion)
    assert not verdict.reason.is_format_failure
    envelope = parse_envelope(completion)
    assert not isinstance(envelope, EnvelopeFailure)
    schema = guided.answer_schema(task, variant)
    jsonschema.validate(json.loads(envelope.answer), schema)


@pytest.mark.parametrize("task", tasks.names())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(completion=hostile_completions())
def test_hostile_completions_are_refused_by_the_regex_and_the_schema(
    task: str, completion: object
) -> None:
    assert not _regex_accepts(completion, guided.completion_regex(task))
    assert not _schema_accepts(completion, guided.answer_schema(task))


@pytest.mark.parametrize("task", tasks.names())
@pytest.mark.parametrize(("completion", "reason"), structural_defects())
def test_structural_defects_are_refused(task: str, completion: object, reason: Reason) -> None:
    assert not _regex_accepts(completion, guided.completion_regex(task))
    assert not _schema_accepts(completion, guided.answer_schema(task))


ACCEPTED = [
    ("medcalc", None, '<think>CrCl < 30, so…</think>\n<answer>{"answer": 25.2}</answer>'),
    ("medcalc", None, '<think></think>\n<answer>{"answer": -3}</answer>'),
    ("medcalc", "date", '<think>LMP + 280 d</think>\n<answer>{"answer": "09/23/2014"}</answer>'),
    (
        "medcalc",
        "weeks_days",
        '<think>x</think>\n<answer>{"answer": "(14 weeks, 1 days)"}</answer>',
    ),
    ("trials", None, '<think>x</think>\n<answer>{"prediction": "Excluded", "idx": 1}</answer>'),
    (
        "ehrshot",
        "new_hypertension",
        '<think>x</think>\n<answer>{"prediction": "hypertension", "label": 1, '
        '"probability": 0.8}</answer>',
    ),
    (
        "ehrshot",
        "chexpert",
        '<think>x</think>\n<answer>{"prediction": ["Cardiomegaly", "Edema"], "label": '
        "[0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]}</answer>",
    ),
]
REFUSED = [
    # a tag inside the reasoning, a closing HTML tag, text between the blocks
    ("medcalc", None, '<think>a<answer>b</think>\n<answer>{"answer": 1}</answer>'),
    ("medcalc", None, '<think>a</b></think>\n<answer>{"answer": 1}</answer>'),
    ("medcalc", None, '<think>a</think>\nso<answer>{"answer": 1}</answer>'),
    # exponents, units and free text are not guided forms of a MedCalc answer
    ("medcalc", None, '<think>a</think>\n<answer>{"answer": 1e3}</answer>'),
    ("medcalc", None, '<think>a</think>\n<answer>{"answer": "25 mL/min"}</answer>'),
    ("medcalc", "integer", '<think>a</think>\n<answer>{"answer": 2.5}</answer>'),
    ("medcalc", "date", '<think>a</think>\n<answer>{"answer": "2014-09-23"}</answer>'),
    # a name and a grade that disagree, an unknown name, an extra key
    ("trials", None, '<think>a</think>\n<answer>{"prediction": "Eligible", "idx": 0}</answer>'),
    ("trials", None, '<think>a</think>\n<answer>{"prediction": "Maybe", "idx": 1}</answer>'),
    (
        "trials",
        None,
        '<think>a</think>\n<answer>{"prediction": "Eligible", "idx": 2, "x": 1}</answer>',
    ),
    # another labeler's names, a probability outside [0, 1], findings out of order
    (
        "ehrshot",
        "new_hypertension",
        '<think>a</think>\n<answer>{"prediction": "lupus", "label": 1}</answer>',
    ),
    (
        "ehrshot",
        "new_hypertension",
        '<think>a</think>\n<answer>{"prediction": "hypertension", "label": 1, '
        '"probability": 1.5}</answer>',
    ),
    (
        "ehrshot",
        "chexpert",
        '<think>x</think>\n<answer>{"prediction": ["Edema", "Cardiomegaly"], "label": '
        "[0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]}</answer>",
    ),
]


@pytest.mark.parametrize(("task", "variant", "completion"), ACCEPTED)
def test_examples_the_regex_admits(task: str, variant: str | None, completion: str) -> None:
    assert re.fullmatch(guided.completion_regex(task, variant), completion)
    assert tasks.get(task).verify_row(completion, _row(task, variant), EHRMIND).format_ok


@pytest.mark.parametrize(("task", "variant", "completion"), REFUSED)
def test_examples_the_regex_refuses(task: str, variant: str | None, completion: str) -> None:
    assert re.fullmatch(guided.completion_regex(task, variant), completion) is None


def test_the_reasoning_cap_is_exact_at_its_edge() -> None:
    pattern = guided.completion_regex("trials", max_think_chars=5)
    answer = '</think>\n<answer>{"prediction": "Eligible", "idx": 2}</answer>'
    assert re.fullmatch(pattern, "<think>" + "x" * 5 + answer)
    assert re.fullmatch(pattern, "<think>" + "<=" * 5 + answer)
    assert not re.fullmatch(pattern, "<think>" + "x" * 6 + answer)


def test_the_default_cap_keeps_completions_under_the_verifier_input_cap() -> None:
    for task in tasks.names():
        guided.completion_regex(task)  # does not raise
    longest = (MAX_COMPLETION_CHARS - 200) // 2
    guided.completion_regex("medcalc", max_think_chars=longest - 100)
    with pytest.raises(guided.GuidedDecodingError, match="at most"):
        guided.completion_regex("medcalc", max_think_chars=longest + 100)


def test_label_sets_are_enumerated_in_the_schemas() -> None:
    trial = guided.answer_schema("trials")
    assert [
        (o["properties"]["prediction"]["const"], o["properties"]["idx"]["const"])
        for o in trial["oneOf"]
    ] == [("Irrelevant", 0), ("Excluded", 1), ("Eligible", 2)]
    chexpert = guided.answer_schema("ehrshot", "chexpert")["oneOf"][0]["properties"]
    assert len(chexpert["prediction"]["items"]["enum"]) == 14
    names = {
        o["properties"]["prediction"]["const"]
        for o in guided.answer_schema("ehrshot", "lab_anemia")["oneOf"]
    }
    assert len(names) == 4


def test_unknown_tasks_and_variants_are_clear_errors() -> None:
    with pytest.raises(guided.GuidedDecodingError, match="known: ehrshot, medcalc, trials"):
        guided.completion_regex("medcalcc")
    with pytest.raises(guided.GuidedDecodingError, match="no answer variant 'new_flu'"):
        guided.answer_schema("ehrshot", "new_flu")


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"type": "string"}, "anchored pattern"),
        ({"type": "string", "pattern": '^[a"]$', "maxLength": 1}, "quotes"),
        ({"type": "array", "items": {"type": "integer"}}, "maxItems"),
        ({"type": "number", "maximum": 7}, "number maximum"),
        ({"type": "integer", "maximum": 1000}, "integer maximum"),
        ({"type": "object", "properties": {"a": {"const": 1}}}, "first property"),
        ({"type": "boolean"}, "unsupported"),
    ],
)
def test_schemas_outside_the_subset_are_refused(schema: dict[str, Any], message: str) -> None:
    with pytest.raises(guided.GuidedDecodingError, match=message):
        guided._compile(schema, "schema")


def test_trl_takes_the_regex_as_its_structured_outputs_field(tmp_path: Any) -> None:
    trl = pytest.importorskip("trl", reason="the train extra provides TRL")
    pattern = guided.completion_regex("medcalc", prefilled=True)
    config = trl.GRPOConfig(
        output_dir=str(tmp_path), use_cpu=True, bf16=False, vllm_structured_outputs_regex=pattern
    )
    assert config.vllm_structured_outputs_regex == pattern


@pytest.mark.parametrize("task", tasks.names())
def test_xgrammar_compiles_the_regex_and_follows_it(task: str) -> None:
    xgr = pytest.importorskip("xgrammar", reason="xgrammar is vLLM's default guided backend")
    vocab = [chr(i) for i in range(32, 127)] + ["\n", "<think>", "</think>", "é"]
    compiler = xgr.GrammarCompiler(xgr.TokenizerInfo(vocab))
    grammar = compiler.compile_regex(guided.completion_regex(task))
    accepted = (
        next(c for t, v, c in ACCEPTED if t == task and v is None)
        if task != "ehrshot"
        else ('<think>x</think>\n<answer>{"prediction": "no lupus", "label": 0}</answer>')
    )
    matcher = xgr.GrammarMatcher(grammar)
    assert all(matcher.accept_string(ch) for ch in accepted)
    refused = accepted.replace("</think>", "</b></think>")
    matcher = xgr.GrammarMatcher(grammar)
    assert not all(matcher.accept_string(ch) for ch in refused)
