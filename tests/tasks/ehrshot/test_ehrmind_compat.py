"""The ``ehrmind_compat`` spec reproduces EHRMind's released EHRSHOT reward; the default keeps
this project's stricter reading. Both are checked against the same cases.

Expected EHRMind scores follow its ``verl/utils/reward_score/ehrshot.py`` (linjc16/EHRMind):
``validate_response_structure`` (each tag exactly once, in order; the pre-filled ``<think>`` is
part of the decoded text it reads), ``check_json_format`` (``key in data``),
``check_tail_after_answer_tag`` (only ``<|eot_id|>`` after ``</answer>``),
``calculate_answer_score`` (``str(data.get("label")) == str(label)`` and the exact gold name;
0.5·N/N_class only for ``_test`` sources) and ``compute_score``'s total (format + answer if the
answer score is positive, else 0 or −2).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehrmind_rewards.core.rewards import EHRMIND, EHRMIND_COMPAT, get_spec
from ehrmind_rewards.tasks.ehrshot import FAMILY
from ehrmind_rewards.tasks.ehrshot.ehrmind_compat import answer_blocks, verify_ehrmind

GOLD = '{"prediction": "hypertension", "label": 1}'
TEST_WEIGHT = 0.5 * (1078 + 155) / 155  # EHRMind's DATA_COUNT for new_hypertension's test set

# name: (response, default score, EHRMind score on a training row, EHRMind's reason in words)
CASES: dict[str, tuple[str, float, float]] = {
    "canonical": (f"x</think><answer>{GOLD}</answer>", 1.1, 1.1),
    # str("1") == str(1): EHRMind accepts a string label; the default wants a JSON integer
    "string_label": (
        'x</think><answer>{"prediction": "hypertension", "label": "1"}</answer>',
        0.0,
        1.1,
    ),
    # EHRMind never reads "probability"; the default refuses an answer that contradicts itself
    "contradicting_probability": (
        'x</think><answer>{"prediction": "hypertension", "label": 1, "probability": 0.1}</answer>',
        0.0,
        1.1,
    ),
    # the pre-fill's <think> plus this one: count 2 ≠ 1 in EHRMind; the default accepts one
    # <think> because chat templates without the pre-fill make the model write it
    "reopened_think": (f"<think>x</think><answer>{GOLD}</answer>", 1.1, -2.0),
    # prediction_name == label_name exactly: no synonyms, case-sensitive
    "synonym_yes": ('x</think><answer>{"prediction": "yes", "label": 1}</answer>', 1.1, 0.0),
    "capitalized": (
        'x</think><answer>{"prediction": "Hypertension", "label": 1}</answer>',
        1.1,
        0.0,
    ),
    "float_label": (
        'x</think><answer>{"prediction": "hypertension", "label": 1.0}</answer>',
        0.0,
        0.0,
    ),
    "bool_label": (
        'x</think><answer>{"prediction": "hypertension", "label": true}</answer>',
        0.0,
        0.0,
    ),
    "trailing_text": (f"x</think><answer>{GOLD}</answer> done", -2.0, -2.0),
    "eot_token": (f"x</think>\n<answer>{GOLD}</answer><|eot_id|>", 1.1, 1.1),
    # ALLOWED_TOKENS = {"<|eot_id|>"} only; the default knows other templates' end tokens
    "im_end_token": (f"x</think><answer>{GOLD}</answer><|im_end|>", 1.1, -2.0),
    # "label" in ["prediction", "label"] is True: format passes, data.get raises → total 0
    "list_answer": ('x</think><answer>["prediction", "label"]</answer>', -2.0, 0.0),
    "string_answer": ('x</think><answer>"prediction label"</answer>', -2.0, 0.0),
    # "label" in 5 raises TypeError, uncaught in EHRMind (a crash); scored −2 here
    "number_answer": ("x</think><answer>5</answer>", -2.0, -2.0),
    "two_answers": (f"x</think><answer>{GOLD}</answer><answer>{GOLD}</answer>", -2.0, -2.0),
    "wrong": ('x</think><answer>{"prediction": "no hypertension", "label": 0}</answer>', 0.0, 0.0),
    "missing_key": ('x</think><answer>{"prediction": "hypertension"}</answer>', -2.0, -2.0),
    "name_index_mismatch": (
        'x</think><answer>{"prediction": "no hypertension", "label": 1}</answer>',
        0.0,
        0.0,
    ),
    # json.loads keeps the last duplicate; the default refuses duplicate keys
    "duplicate_key": (
        'x</think><answer>{"label": 0, "prediction": "hypertension", "label": 1}</answer>',
        -2.0,
        1.1,
    ),
    "no_think_close": (f"x<answer>{GOLD}</answer>", -2.0, -2.0),
    # EHRMind checks tag order only; the default wants nothing but whitespace between blocks
    "text_between_blocks": (f"x</think> so <answer>{GOLD}</answer>", -2.0, 1.1),
}

ROW = {"ehrshot_task": "new_hypertension", "label": 1}


@pytest.mark.parametrize(("response", "default", "ehrmind"), CASES.values(), ids=list(CASES))
def test_default_and_ehrmind_readings(response: str, default: float, ehrmind: float) -> None:
    assert FAMILY.verify_row(response, ROW, EHRMIND).score == pytest.approx(default)
    assert FAMILY.verify_row(response, ROW, EHRMIND_COMPAT).score == pytest.approx(ehrmind)


@pytest.mark.parametrize(("response", "default", "ehrmind"), CASES.values(), ids=list(CASES))
def test_test_sources_weight_correct_answers(response: str, default: float, ehrmind: float) -> None:
    row = {**ROW, "class_weight": TEST_WEIGHT}  # an evaluation row (see weights.py)
    expected = 0.1 + TEST_WEIGHT if ehrmind > 1 else ehrmind
    assert FAMILY.verify_row(response, row, EHRMIND_COMPAT).score == pytest.approx(expected)


def test_assistant_header_in_decoded_text() -> None:
    # EHRMind scores prompt + response decoded; the text after the header is read
    header = "<|start_header_id|>assistant<|end_header_id|>\nLet me solve this step by step.\n"
    decoded = f"system…user…{header}<think>x</think><answer>{GOLD}</answer><|eot_id|>"
    assert verify_ehrmind(decoded, ROW, EHRMIND_COMPAT).score == pytest.approx(1.1)
    assert verify_ehrmind("Assistant: " + decoded[-60:], ROW, EHRMIND_COMPAT).score == -2.0


def test_spec_by_name_and_lab_tasks() -> None:
    assert get_spec("ehrmind_compat").compat == "ehrmind"
    lab = {"ehrshot_task": "lab_anemia", "label": 2}
    answer = 'x</think><answer>{"prediction": "moderate", "label": "2"}</answer>'
    assert FAMILY.verify_row(answer, lab, EHRMIND_COMPAT).score == pytest.approx(1.1)
    chexpert = {"ehrshot_task": "chexpert", "label": 0}
    assert FAMILY.verify_row(answer, chexpert, EHRMIND_COMPAT).reason == "bad_record"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="<>/answer x", max_size=60))
def test_answer_blocks_equal_the_regular_expression(text: str) -> None:
    import re

    found = [m.span(1) for m in re.finditer(r"<answer>(.*?)</answer>", text, re.DOTALL)]
    assert answer_blocks(text) == found


def test_never_raises_on_hostile_input() -> None:
    for completion in (
        None,
        5,
        [],
        "x" * 300_000,
        "x</think><answer>" + "[" * 5000 + "</answer>",
        'x</think><answer>{"label": ' + "9" * 5000 + "}</answer>",
    ):
        verdict = verify_ehrmind(completion, ROW, EHRMIND_COMPAT)
        assert verdict.score in (-2.0, 0.0)
