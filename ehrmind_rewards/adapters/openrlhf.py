"""OpenRLHF adapter: point ``--reward.remote_url`` at a file that defines ``reward_func``.

OpenRLHF (≥ 0.10.2; before it the flag was ``--remote_rm_url``) loads ``reward_func`` from the
file and calls ``reward_func(queries, prompts, labels)`` once per sample in a thread
(``openrlhf/utils/agent.py``). Each query is the prompt followed by the response, decoded *with*
special tokens; each label is whatever the dataset's label column holds: here a JSON object string
(or dict) with the record's columns. A bare label (``"2"``) needs the task: build the function
with :func:`make_reward_func` (``reward_func = make_reward_func(task=...)``). It returns
``{"rewards": tensor, "scores": tensor in [0, 1], "extra_logs": {…}}``; ``scores`` is 1 for a
correct answer and 0 otherwise. A row that cannot be graded scores 0, is counted and logged once
per cause, and raises with ``strict=True``. torch is imported inside the function only, so the
rest of the package never needs it.

The response is located without ever grading the prompt (:func:`response_of`): after the prompt
when it is a verbatim prefix or one up to whitespace (a decode round trip can change spacing),
else after the chat template's assistant header, else after the prompt's last line.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from ehrmind_rewards.core.dispatch import (
    attempt,
    bare_label,
    report_ungraded,
    score_of,
)
from ehrmind_rewards.core.rewards import RewardSpec, get_spec
from ehrmind_rewards.core.rows import plain_value, record_from
from schemas.verdict import Verdict

ASSISTANT_HEADERS: tuple[str, ...] = (
    "<|start_header_id|>assistant<|end_header_id|>",
    "<|im_start|>assistant",
    "<|start|>assistant",
    "<｜Assistant｜>",
    "<start_of_turn>model",
    "<|assistant|>",
    "<|header_start|>assistant<|header_end|>",
    "<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>",
    "[/INST]",
    "Assistant:",
)
"""Where chat templates open the assistant's turn: Llama 3, ChatML (Qwen, SmolLM, …), gpt-oss
(harmony), DeepSeek-R1/V3, Gemma, Phi-3 and GLM, Llama 4, Command R, Mistral/Llama 2, and the
plain ``Assistant:`` prompts EHRMind's reward also looks for."""


def _skeleton_end(query: str, prompt: str) -> int | None:
    """Where ``prompt`` ends inside ``query`` when it is a prefix of it up to whitespace, else
    ``None``: the shortest prefix of ``query`` holding all of the prompt's non-whitespace text.

    ``str.split``/``join`` compare the two without whitespace; a binary search over prefix
    lengths finds the end (O(n log n), every step in C).
    """
    target = "".join(prompt.split())
    if not "".join(query.split()).startswith(target):
        return None
    low, high = len(target), len(query)
    while low < high:
        middle = (low + high) // 2
        if len("".join(query[:middle].split())) >= len(target):
            high = middle
        else:
            low = middle + 1
    return low


def _nth(text: str, needle: str, n: int) -> int:
    """The index of the ``n``-th (1-based) occurrence of ``needle`` in ``text``, or of the last
    one when there are fewer; -1 when there is none."""
    at = last = -1
    for _ in range(n):
        at = text.find(needle, last + 1)
        if at == -1:
            break
        last = at
    return last


def response_of(query: str, prompt: str) -> str:
    """The response part of ``query`` (OpenRLHF's decoded prompt + response).

    1. the prompt is a verbatim prefix, or one when whitespace is ignored: what follows it;
    2. else the assistant header (:data:`ASSISTANT_HEADERS`) that opens the response — the
       prompt's last header, counted in the query; with an empty prompt, the query's last
       header — then the text the prompt pre-filled after that header, if it is there;
    3. else the prompt's last non-blank line, counted the same way;
    4. else the whole query (the prompt is not in it).

    >>> prompt = "<|user|>Q?<|assistant|>"
    >>> response_of(prompt + "Let me solve<think>a</think>", prompt)
    'Let me solve<think>a</think>'
    >>> response_of("<|user|> Q?\\n<|assistant|>answer", prompt)
    'answer'
    >>> response_of("<|im_start|>user\\nQ?<|im_end|>\\n<|im_start|>assistant\\nA", "")
    '\\nA'
    """
    if prompt and query.startswith(prompt):
        return query[len(prompt) :]
    if prompt:
        end = _skeleton_end(query, prompt)
        if end is not None:
            return query[end:]
    for header in ASSISTANT_HEADERS:
        if header not in query:
            continue
        in_prompt = prompt.count(header)
        at = _nth(query, header, in_prompt) if in_prompt else query.rfind(header)
        rest = query[at + len(header) :]
        prefill = prompt[prompt.rfind(header) + len(header) :] if in_prompt else ""
        if prefill.strip():
            skip = _skeleton_end(rest, prefill)
            if skip is not None:
                return rest[skip:]
        return rest
    lines = [line.strip() for line in prompt.splitlines() if line.strip()]
    if lines:
        anchor = lines[-1]
        at = _nth(query, anchor, prompt.count(anchor))
        if at != -1:
            return query[at + len(anchor) :]
    return query


def reward_func(
    queries: Sequence[object],
    prompts: Sequence[object],
    labels: Sequence[object],
    spec: str | RewardSpec | None = None,
    *,
    task: str | None = None,
    strict: bool = False,
    **kwargs: Any,
) -> dict[str, Any]:
    """Score each query's response against its label; see the module docstring.

    ``task`` names the task of every row (needed for bare labels); ``strict`` raises
    :class:`~ehrmind_rewards.core.errors.UngradedError` on a row that cannot be graded.
    """
    import torch

    reward_spec = get_spec(spec)
    rewards: list[float] = []
    scores: list[float] = []
    format_ok: list[float] = []
    ungraded = 0
    for query, prompt, label in zip(queries, prompts, labels, strict=True):
        completion = (
            response_of(query, prompt if isinstance(prompt, str) else "")
            if isinstance(query, str)
            else query
        )
        row = record_from(label)
        outcome: object
        if task is None and set(row) <= {"ground_truth"} and plain_value(label) is not None:
            outcome = bare_label(label)
            report_ungraded(outcome, strict=strict)
        else:
            if task is not None:
                row.setdefault("task", task)
            outcome = attempt(None, completion, row, reward_spec, strict=strict)
        verdict = outcome if isinstance(outcome, Verdict) else None
        score = score_of(verdict)
        ungraded += score is None
        rewards.append(0.0 if score is None else score)
        scores.append(1.0 if verdict is not None and verdict.correct is True else 0.0)
        format_ok.append(1.0 if verdict is not None and verdict.format_ok else 0.0)
    n = max(len(rewards), 1)
    return {
        "rewards": torch.tensor(rewards, dtype=torch.float32),
        "scores": torch.tensor(scores, dtype=torch.float32),
        "extra_logs": {
            "accuracy": torch.tensor(sum(scores) / n),
            "format_ok": torch.tensor(sum(format_ok) / n),
            "ungraded": torch.tensor(ungraded / n),
        },
    }


def make_reward_func(
    task: str | None = None, spec: str | RewardSpec | None = None, *, strict: bool = False
) -> Callable[..., dict[str, Any]]:
    """An OpenRLHF ``reward_func`` bound to a task, a reward spec and strictness.

    Put ``reward_func = make_reward_func(task=...)`` in the file given to
    ``--reward.remote_url`` when the dataset's labels are bare values (``"2"``).

    >>> make_reward_func(spec="binary").keywords
    {'spec': 'binary', 'task': None, 'strict': False}
    """
    return functools.partial(reward_func, spec=spec, task=task, strict=strict)
