"""Chat-template rendering with EHRMind's pre-filled thinking.

Every training, sampling and evaluation prompt is rendered to text by the tokenizer's own chat
template with the assistant turn opened, followed by the pre-fill
``"Let me solve this step by step.\\n<think>"``. The model's completion therefore starts inside
the think block, which the rewards accept (``parse_envelope``: no ``<think>``, one ``</think>``).

Rendering to text here, rather than handing TRL conversational prompts, is what makes the pre-fill
work for any template: TRL tokenizes text prompts as they are. Three template quirks are handled:

* a template that ignores ``add_generation_prompt`` gets the pre-fill as the content of a final
  assistant message rendered with ``continue_final_message``;
* a template whose generation prompt already opens ``<think>`` (Qwen3, DeepSeek-R1 style) gets only
  the sentence, so the completion never sees two ``<think>`` tags;
* a template that writes the BOS token itself, for a tokenizer that also adds it when encoding, has
  its BOS text removed, so the encoded prompt holds exactly one BOS.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ehrmind_rewards.core.parsing.envelope import PREFILL

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

THINK_OPEN = "<think>"


def as_messages(
    prompt: object, system_prompt: str | None = None, prefill: str = PREFILL
) -> list[dict[str, Any]]:
    """A row's ``prompt`` (user text or a message list) as a message list, system message first.

    User text that already ends with the pre-fill (as ``ehrmind-rewards explain`` writes it) loses
    it here: the pre-fill belongs to the assistant turn, where :func:`render_prompt` puts it.
    """
    if isinstance(prompt, str):
        text = prompt.rstrip()
        if prefill and text.endswith(prefill.rstrip()):
            text = text[: -len(prefill.rstrip())].rstrip()
        messages: list[dict[str, Any]] = [{"role": "user", "content": text}]
    elif isinstance(prompt, Sequence) and all(isinstance(m, Mapping) for m in prompt):
        messages = [dict(m) for m in prompt]
    else:
        raise ValueError(f"prompt must be text or a list of messages, not {type(prompt).__name__}")
    if not messages or any("role" not in m or "content" not in m for m in messages):
        raise ValueError("every prompt message needs a 'role' and a 'content'")
    if system_prompt and messages[0]["role"] != "system":
        messages.insert(0, {"role": "system", "content": system_prompt})
    return messages


def _template(tokenizer: PreTrainedTokenizerBase, messages: list[dict[str, Any]], **kw: Any) -> str:
    text = tokenizer.apply_chat_template(messages, tokenize=False, **kw)
    if not isinstance(text, str):
        raise TypeError("the chat template did not render to text")
    return text


def _adds_bos(tokenizer: PreTrainedTokenizerBase) -> bool:
    bos_id = tokenizer.bos_token_id
    if bos_id is None:
        return False
    ids = tokenizer("a")["input_ids"]
    return bool(ids) and ids[0] == bos_id


def render_prompt(
    tokenizer: PreTrainedTokenizerBase,
    messages: list[dict[str, Any]],
    prefill: str = PREFILL,
) -> str:
    """The prompt text for ``messages``: the chat template, the opened assistant turn, the pre-fill.

    A final assistant message is taken as the pre-fill itself (the trials prompt builder ends its
    messages that way) and replaces ``prefill``.

    Raises:
        ValueError: the tokenizer has no chat template (set ``model.chat_template`` in the config).
    """
    if messages and messages[-1].get("role") == "assistant":
        *messages, last = messages
        prefill = str(last["content"])
    if not getattr(tokenizer, "chat_template", None):
        raise ValueError(
            "the tokenizer has no chat template; set model.chat_template in the config "
            "(Jinja text or a .jinja file)"
        )
    closed = _template(tokenizer, messages)
    opened = _template(tokenizer, messages, add_generation_prompt=True)
    if opened != closed:
        turn_opening = opened[len(closed) :] if opened.startswith(closed) else opened
        if turn_opening.rstrip().endswith(THINK_OPEN) and prefill.endswith(THINK_OPEN):
            prefill = prefill.removesuffix(THINK_OPEN)
        text = opened + prefill
    else:
        with_prefill = [*messages, {"role": "assistant", "content": prefill}]
        text = _template(tokenizer, with_prefill, continue_final_message=True)
    bos = tokenizer.bos_token
    if isinstance(bos, str) and bos and text.startswith(bos) and _adds_bos(tokenizer):
        text = text[len(bos) :]
    return text


def strip_prefill(completion: str, prefill: str = PREFILL) -> str:
    """An SFT target without the part the prompt already holds.

    Targets written as a whole answer (``<think>…</think><answer>…</answer>``, possibly starting
    with the pre-fill sentence) continue the pre-filled prompt only once that prefix is removed;
    leading whitespace goes too, so every target starts the same way right after ``<think>``.
    """
    text = completion.lstrip()
    sentence = prefill.removesuffix(THINK_OPEN).strip()
    if sentence and text.startswith(sentence):
        text = text[len(sentence) :].lstrip()
    if prefill.endswith(THINK_OPEN) and text.startswith(THINK_OPEN):
        text = text[len(THINK_OPEN) :].lstrip()
    return text
