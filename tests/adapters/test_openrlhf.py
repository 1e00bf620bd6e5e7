"""OpenRLHF: the response is found in a query decoded with special tokens, never the prompt."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehrmind_rewards import grade
from ehrmind_rewards.adapters.openrlhf import make_reward_func, response_of, reward_func
from ehrmind_rewards.core import dispatch
from ehrmind_rewards.testing import end_of_turn_tails

torch = pytest.importorskip("torch", reason="the OpenRLHF adapter returns torch tensors")

ROW = {
    "calculator_id": 2,
    "ground_truth": "25.238",
    "lower_limit": "23.9761",
    "upper_limit": "26.4999",
}
RESPONSE = 'Let me check.\n</think>\n<answer>{"answer": 25.24}</answer>'
INSTRUCTIONS = (
    "Answer in this format:\n<think>\n[your reasoning]\n</think>\n<answer>\n"
    '{"answer": <value>}\n</answer>\nDo not write anything after </answer>.'
)
"""Instructions that show the envelope: graded as part of the response, they break it."""
LLAMA3 = (
    "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nPatient note.\n"
    + INSTRUCTIONS
    + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
    + "Let me solve this step by step.\n<think>"
)
CHATML = (
    "<|im_start|>user\nPatient note.\n"
    + INSTRUCTIONS
    + "<|im_end|>\n<|im_start|>assistant\nLet me solve this step by step.\n<think>"
)


def _rewards(queries: list[object], prompts: list[object], **kw: object) -> list[float]:
    out = reward_func(queries, prompts, [json.dumps(ROW)] * len(queries), **kw)
    return [round(x, 6) for x in out["rewards"].tolist()]


@pytest.mark.parametrize("template", [LLAMA3, CHATML], ids=["llama3", "chatml"])
@pytest.mark.parametrize(
    ("case", "query_of", "prompt_of"),
    [
        ("verbatim prefix", lambda p: p + RESPONSE, lambda p: p),
        ("one space differs", lambda p: p.replace("\n\n", "\n", 1) + RESPONSE, lambda p: p),
        ("newline became a space", lambda p: p.replace(".\n", ". ") + RESPONSE, lambda p: p),
        ("empty prompt", lambda p: p + RESPONSE, lambda p: ""),
        ("prompt truncated from the left", lambda p: p[40:] + RESPONSE, lambda p: p),
        ("special tokens the prompt lacks", lambda p: "<s>" + p + RESPONSE, lambda p: p),
    ],
)
def test_the_response_is_graded_never_the_prompt(
    template: str, case: str, query_of: object, prompt_of: object
) -> None:
    query, prompt = query_of(template), prompt_of(template)  # type: ignore[operator]
    assert _rewards([query], [prompt]) == [1.1], case
    assert grade(query, ROW).score == -2.0  # the prompt's format example breaks the envelope


def test_a_missing_query_is_a_format_failure_not_a_crash() -> None:
    assert _rewards([None], ["p"]) == [-2.0]
    assert _rewards(["p" + RESPONSE.replace("Let me check.\n", "<think>")], [None]) == [1.1]


def test_bare_labels_need_the_task() -> None:
    dispatch.reset_ungraded()
    eligible = 'P<think>x</think><answer>{"prediction": "Eligible", "idx": 2}</answer>'
    out = reward_func([eligible], ["P"], ["2"])
    assert out["rewards"].tolist() == [0.0] and out["extra_logs"]["ungraded"].item() == 1.0
    assert dispatch.ungraded_counts() == {"bare_label": 1}
    trials = make_reward_func(task="trials")
    assert trials([eligible], ["P"], ["2"])["rewards"].tolist() == pytest.approx([1.1])
    assert trials([eligible], ["P"], [2])["scores"].tolist() == [1.0]
    # a record naming its own task is graded by that task
    medcalc_query = "P<think>x</think>" + RESPONSE[RESPONSE.index("<answer>") :]
    assert trials([medcalc_query], ["P"], [json.dumps({**ROW, "task": "medcalc"})])[
        "rewards"
    ].tolist() == pytest.approx([1.1])


def test_strict_openrlhf_raises() -> None:
    from ehrmind_rewards.core.errors import UngradedError

    with pytest.raises(UngradedError, match="is a bare value"):
        make_reward_func(strict=True)(["P" + RESPONSE], ["P"], ["25.238"])


@settings(max_examples=60, deadline=None)
@given(
    note=st.text(alphabet=st.characters(codec="utf-8", exclude_characters="<>"), max_size=80),
    squeeze=st.booleans(),
    tail=end_of_turn_tails(),
)
def test_any_whitespace_round_trip_of_the_prompt_finds_the_response(
    note: str, squeeze: bool, tail: str
) -> None:
    prompt = LLAMA3.replace("Patient note.", note)
    decoded = " ".join(prompt.split()) if squeeze else prompt.replace("\n", "\n\n")
    assert _rewards([decoded + RESPONSE + tail], [prompt]) == [1.1]


def test_locating_the_response_is_linear() -> None:
    """A 200k-character prompt that differs by whitespace is located in a few passes."""
    prompt = ("word " * 40_000) + "<|im_start|>assistant\n"
    query = prompt.replace(" ", "  ") + "RESPONSE"
    assert response_of(query, prompt).strip() == "RESPONSE"
