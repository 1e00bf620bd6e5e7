"""The envelope rules of EHRMind completions."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehrmind_rewards.core.parsing import Envelope, EnvelopeFailure, parse_envelope
from ehrmind_rewards.core.parsing.envelope import (
    END_OF_TURN_TOKENS,
    MAX_COMPLETION_CHARS,
    _scan,
    _simple_spans,
)
from schemas import Reason


@pytest.mark.parametrize(
    "completion",
    [
        "<think>r</think><answer>{}</answer>",
        "prefilled reasoning</think>\n<answer>{}</answer>",
        "<think>r</think>\n\n<answer>{}</answer>\n<|im_end|>\n",
        "<think>r</think><answer>{}</answer><|eot_id|>",
        "<think>r</think><answer>{}</answer></s>",
        "<think>r</think><answer>{}</answer><|endoftext|>  ",
    ],
)
def test_valid_envelopes(completion: str) -> None:
    assert isinstance(parse_envelope(completion), Envelope)


@pytest.mark.parametrize(
    ("completion", "reason"),
    [
        ("", Reason.EMPTY),
        ("<answer>{}</answer>", Reason.MISSING_THINK),
        ("<think>a</think><think>b</think><answer>{}</answer>", Reason.DUPLICATE_THINK),
        ("<think>a</think>", Reason.MISSING_ANSWER),
        ("<think>a</think><answer>{}</answer><answer>{}</answer>", Reason.DUPLICATE_ANSWER),
        ("<answer>{}</answer><think>a</think>", Reason.TAG_ORDER),
        ("<think>a</think>so<answer>{}</answer>", Reason.TEXT_BETWEEN_BLOCKS),
        ("<think>a</think><answer>{}</answer> more", Reason.TRAILING_TEXT),
        (12, Reason.NOT_TEXT),
    ],
)
def test_format_failures(completion: object, reason: Reason) -> None:
    result = parse_envelope(completion)
    assert isinstance(result, EnvelopeFailure)
    assert result.reason is reason
    assert reason.is_format_failure


def test_conversational_with_reasoning_content() -> None:
    messages = [
        {"role": "user", "content": "q"},
        {"role": "assistant", "content": "<answer>{}</answer>", "reasoning_content": "steps"},
    ]
    assert parse_envelope(messages) == Envelope(think="steps", answer="{}")


def test_cap_rejects_without_scanning() -> None:
    result = parse_envelope("x" * 11, max_chars=10)
    assert isinstance(result, EnvelopeFailure) and result.reason is Reason.TOO_LONG


@pytest.mark.parametrize("n_lt", [0, 1, 15, 16, 17, 500])
def test_reasoning_with_many_angle_brackets(n_lt: int) -> None:
    think = "creatinine < 1.2 " * n_lt
    ok = parse_envelope(f"<think>{think}</think><answer>{{}}</answer>")
    assert isinstance(ok, Envelope) and ok.think == think
    dup = parse_envelope(f"<think>{think}</think>{think}</think><answer>{{}}</answer>")
    assert isinstance(dup, EnvelopeFailure) and dup.reason is Reason.DUPLICATE_THINK
    early = parse_envelope(f"<think>{think}<answer>{{}}</answer>{think}</think>")
    assert isinstance(early, EnvelopeFailure) and early.reason is Reason.TAG_ORDER
    nested = parse_envelope(f"<think>{think}<answer>{{}}</think></answer>")
    assert isinstance(nested, EnvelopeFailure) and nested.reason is Reason.TAG_ORDER


# The common-shape shortcut of parse_envelope/answer_text must find exactly what the general scan
# finds whenever it answers at all; it only ever answers for valid completions.
_FRAGMENTS = [
    "<think>",
    "</think>",
    "<answer>",
    "</answer>",
    "<",
    ">",
    "/",
    " ",
    "\n",
    "\t",
    "x",
    "é",
    '{"answer": 25.2}',
    *END_OF_TURN_TOKENS,
]


_PART = st.one_of(
    st.text(alphabet=' \n\tx>/{}":1.é', max_size=8),  # no tag can start in these
    st.lists(st.sampled_from(_FRAGMENTS), max_size=4).map("".join),
)
_TAIL = st.one_of(
    st.lists(st.sampled_from([" ", "\n", *END_OF_TURN_TOKENS]), max_size=4).map("".join), _PART
)
_SHAPED = st.tuples(_PART, st.sampled_from(["", "<think>"]), _PART, _PART, _PART, _TAIL).map(
    lambda p: f"{p[0]}{p[1]}{p[2]}</think>{p[3]}<answer>{p[4]}</answer>{p[5]}"
)


@settings(max_examples=3000)
@given(st.one_of(_SHAPED, st.lists(st.sampled_from(_FRAGMENTS), max_size=14).map("".join)))
def test_the_common_shape_shortcut_agrees_with_the_general_scan(text: str) -> None:
    spans = _simple_spans(text)
    if spans is None:
        return
    found = _scan(text, MAX_COMPLETION_CHARS, allow_trailing_text=False)
    assert not isinstance(found, EnvelopeFailure), (text, found)
    _, reasoning, think, answer = found
    assert reasoning is None and (*think, *answer) == spans


@pytest.mark.parametrize(
    "completion",
    [
        "<think>r</think><answer>{}</answer>",
        "prefilled reasoning</think>\n<answer>{}</answer>",
        "preamble <think>r</think> \n<answer>{}</answer>\n<|im_end|>\n",
        "<think>r</think><answer>{}</answer></s></s>",
    ],
)
def test_the_shortcut_answers_for_the_common_shapes(completion: str) -> None:
    assert _simple_spans(completion) is not None
    envelope = parse_envelope(completion)
    assert isinstance(envelope, Envelope) and envelope.answer == "{}"


@pytest.mark.parametrize(
    "completion",
    [
        "<think>a < b</think><answer>{}</answer>",  # a '<' in the reasoning
        "<think>r</think>x<answer>{}</answer>",  # text between the blocks
        "<think>r</think><answer>{}</answer> thanks",  # trailing text
        "<think>r</think><answer>{}</answer></answer>",  # a second closing tag
        "<think>r</think><think>r</think><answer>{}</answer>",
    ],
)
def test_the_shortcut_leaves_everything_else_to_the_general_scan(completion: str) -> None:
    assert _simple_spans(completion) is None
