"""Prompts end in the assistant turn's pre-fill for any chat template (Llama-3, ChatML, …)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("transformers", reason="the train extra is not installed")

from ehrmind_rewards.core.parsing import Envelope, parse_envelope
from ehrmind_rewards.tasks.medcalc.prompts import medcalc_messages
from ehrmind_rewards.train.config import PREFILL
from ehrmind_rewards.train.prompts import render_prompt, strip_prefill
from ehrmind_rewards.train.toy import build_tokenizer

LLAMA3_TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}<|start_header_id|>{{ m['role'] }}<|end_header_id|>\n\n"
    "{{ m['content'] | trim }}<|eot_id|>{% endfor %}"
    "{% if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>\n\n{% endif %}"
)
CHATML_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
THINKING_TEMPLATE = CHATML_TEMPLATE.replace(
    "<|im_start|>assistant\n{% endif %}", "<|im_start|>assistant\n<think>\n{% endif %}"
)
NO_GENERATION_PROMPT_TEMPLATE = (
    "{% for m in messages %}[{{ m['role'] }}] {{ m['content'] }}"
    "{% if not loop.last %}\n{% endif %}{% endfor %}"
)
MESSAGES = [{"role": "system", "content": "Be careful."}, {"role": "user", "content": "Score?"}]


def _tokenizer(tmp_path: Path, template: str, **kw: object):  # type: ignore[no-untyped-def]
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(build_tokenizer(tmp_path, template, **kw))  # type: ignore[arg-type]


def test_llama3_prompt_ends_in_assistant_header_then_prefill_with_one_bos(tmp_path: Path) -> None:
    tokenizer = _tokenizer(tmp_path, LLAMA3_TEMPLATE, eos_token="<|eot_id|>", add_bos=True)
    text = render_prompt(tokenizer, MESSAGES)
    assert text.endswith("<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n" + PREFILL)
    ids = tokenizer(text)["input_ids"]
    assert ids.count(tokenizer.bos_token_id) == 1 and ids[0] == tokenizer.bos_token_id


def test_template_bos_is_kept_when_the_tokenizer_does_not_add_one(tmp_path: Path) -> None:
    tokenizer = _tokenizer(tmp_path, LLAMA3_TEMPLATE, eos_token="<|eot_id|>", add_bos=False)
    text = render_prompt(tokenizer, MESSAGES)
    assert text.startswith("<|begin_of_text|><|start_header_id|>system")
    assert tokenizer(text)["input_ids"].count(tokenizer.bos_token_id) == 1


def test_chatml_prompt_ends_in_assistant_turn_then_prefill(tmp_path: Path) -> None:
    text = render_prompt(_tokenizer(tmp_path, CHATML_TEMPLATE), MESSAGES)
    assert text == (
        "<|im_start|>system\nBe careful.<|im_end|>\n<|im_start|>user\nScore?<|im_end|>\n"
        "<|im_start|>assistant\n" + PREFILL
    )


def test_template_that_already_opens_think_gets_no_second_think(tmp_path: Path) -> None:
    text = render_prompt(_tokenizer(tmp_path, THINKING_TEMPLATE), MESSAGES)
    assert text.count("<think>") == 1
    assert text.endswith("<|im_start|>assistant\n<think>\nLet me solve this step by step.\n")


def test_template_without_generation_prompt_continues_a_prefilled_assistant_turn(
    tmp_path: Path,
) -> None:
    text = render_prompt(_tokenizer(tmp_path, NO_GENERATION_PROMPT_TEMPLATE), MESSAGES)
    assert text.endswith("[assistant] " + PREFILL)


def test_tokenizer_without_chat_template_names_the_config_field(tmp_path: Path) -> None:
    tokenizer = _tokenizer(tmp_path, CHATML_TEMPLATE)
    tokenizer.chat_template = None
    with pytest.raises(ValueError, match=r"model\.chat_template"):
        render_prompt(tokenizer, MESSAGES)


def test_completion_of_a_prefilled_prompt_is_a_valid_envelope(tmp_path: Path) -> None:
    prompt = render_prompt(_tokenizer(tmp_path, CHATML_TEMPLATE), medcalc_messages("n", "q"))
    completion = ' The CrCl is 25.2 mL/min.</think>\n<answer>{"answer": 25.2}</answer><|im_end|>'
    assert isinstance(parse_envelope(completion), Envelope)
    assert prompt.split("<|im_start|>assistant\n")[-1] == PREFILL


@pytest.mark.parametrize(
    "target",
    [
        'Let me solve this step by step.\n<think> a</think><answer>{"answer": 1}</answer>',
        '<think> a</think><answer>{"answer": 1}</answer>',
        ' a</think><answer>{"answer": 1}</answer>',
    ],
)
def test_sft_targets_continue_the_prefill_once(target: str) -> None:
    assert strip_prefill(target) == 'a</think><answer>{"answer": 1}</answer>'
