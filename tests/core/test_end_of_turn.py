"""End-of-turn tails and reasoning fields: every listed chat template, read in linear time."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehrmind_rewards import grade
from ehrmind_rewards.core.parsing import (
    END_OF_TURN,
    MAX_COMPLETION_CHARS,
    REASONING_FIELDS,
    Envelope,
    EnvelopeFailure,
    clean_tail,
    parse_envelope,
)
from ehrmind_rewards.testing import ENVELOPE_STYLES, completion_around, end_of_turn_tails
from schemas import Reason

ROW = {
    "calculator_id": 2,
    "ground_truth": "25.238",
    "lower_limit": "23.9761",
    "upper_limit": "26.4999",
}
VALID = '<think>Step by step.</think><answer>{"answer": 25.24}</answer>'
TAIL_CHARS = MAX_COMPLETION_CHARS - 256
"""A 256 Ki-character tail, less room for the envelope: the longest a completion may carry."""


def test_no_token_is_a_prefix_of_another() -> None:
    """What lets the tail be read without backtracking (one branch per character)."""
    tokens = list(END_OF_TURN)
    assert all(not b.startswith(a) for a in tokens for b in tokens if a != b)


@pytest.mark.parametrize("token", list(END_OF_TURN))
def test_every_listed_token_may_end_a_completion(token: str) -> None:
    for tail in (token, f" {token}\n", token * 3, f"{token}\n<|im_end|>"):
        assert grade(VALID + tail, ROW).score == 1.1, tail
    assert grade(VALID + token + " Hope this helps!", ROW).reason is Reason.TRAILING_TEXT
    broken = token[:-1]
    assert grade(VALID + broken, ROW).reason is Reason.TRAILING_TEXT


@given(tail=end_of_turn_tails(max_tokens=12))
def test_any_mix_of_whitespace_and_tokens_is_a_clean_tail(tail: str) -> None:
    assert clean_tail(tail)
    assert grade(VALID + tail, ROW).score == 1.1
    assert not clean_tail(tail + "x")


def _cpu_seconds(completion: str, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time_ns()
        verdict = grade(completion, ROW)
        best = min(best, time.process_time_ns() - start)
    assert verdict.score == 1.1
    return best / 1e9


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(token=st.sampled_from(list(END_OF_TURN)), spacer=st.sampled_from(["", " ", "\n", " \n"]))
def test_a_256_ki_tail_is_graded_in_time_proportional_to_its_length(
    token: str, spacer: str
) -> None:
    """Grading a tail 8× as long takes about 8× as long, not 64× (measured in one run, CPU time,
    best of five; the bound 24× leaves room for noise and is far below the quadratic 64×)."""
    unit = token + spacer
    long_tail = unit * (TAIL_CHARS // len(unit))
    short_tail = long_tail[: len(long_tail) // 8 // len(unit) * len(unit)]
    assert len(VALID + long_tail) <= MAX_COMPLETION_CHARS
    short, long = _cpu_seconds(VALID + short_tail), _cpu_seconds(VALID + long_tail)
    assert long / short < 24, (token, short, long)


@pytest.mark.parametrize("field", REASONING_FIELDS)
def test_every_reasoning_field_is_the_think_block(field: str) -> None:
    message = {"role": "assistant", field: "steps", "content": "<answer>{}</answer>"}
    assert parse_envelope([message]) == Envelope(think="steps", answer="{}")
    doubled = {**message, "content": "<think>x</think><answer>{}</answer>"}
    assert parse_envelope([doubled]) == Envelope(think="x", answer="{}")
    both = {**message, "content": "<think><answer>{}</answer>"}
    result = parse_envelope([both])
    assert isinstance(result, EnvelopeFailure) and result.reason is Reason.DUPLICATE_THINK


def test_an_empty_split_off_think_block_is_valid_and_other_fields_are_read() -> None:
    empty = [{"role": "assistant", "content": "<answer>{}</answer>"}]
    assert parse_envelope(empty) == Envelope(think="", answer="{}")
    blank_first = {"role": "assistant", "reasoning_content": "", "thinking": "t"}
    assert parse_envelope([{**blank_first, "content": "<answer>{}</answer>"}]).think == "t"  # type: ignore[union-attr]
    # a plain string still needs its </think>: only a chat template can split the block off
    result = parse_envelope("<answer>{}</answer>")
    assert isinstance(result, EnvelopeFailure) and result.reason is Reason.MISSING_THINK


@pytest.mark.parametrize("style", ENVELOPE_STYLES)
def test_every_envelope_style_of_the_kit_is_valid(style: str) -> None:
    assert grade(completion_around("25.24", style), ROW).score == 1.1
