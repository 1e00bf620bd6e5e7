"""The envelope rules of EHRMind completions."""

import pytest

from ehrmind_rewards.core.parsing import Envelope, EnvelopeFailure, parse_envelope
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
