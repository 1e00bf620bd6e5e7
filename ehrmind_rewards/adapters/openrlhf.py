"""OpenRLHF adapter: point ``--remote_rm_url`` at a file that imports :func:`reward_func`.

OpenRLHF calls ``reward_func(queries, prompts, labels, **kw)`` where each query is the prompt
followed by the response (special tokens included) and each label is whatever the dataset's label
column holds: here a JSON object string (or dict) with the record's columns. It expects
``{"rewards": tensor, "scores": tensor in [0, 1], "extra_logs": {…}}``; ``scores`` is 1 for a
correct answer and 0 otherwise. Rows no verifier handles score 0. torch is imported inside the
function only, so the rest of the package never needs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ehrmind_rewards.adapters.verl import record_from
from ehrmind_rewards.core.dispatch import grade_row, score_of
from ehrmind_rewards.core.rewards import RewardSpec, get_spec


def response_of(query: str, prompt: str) -> str:
    """The response part of ``query`` (the text after the prompt).

    >>> prompt = "<|user|>Q?<|assistant|>"
    >>> response_of(prompt + "Let me solve<think>a</think>", prompt)
    'Let me solve<think>a</think>'
    """
    if prompt and query.startswith(prompt):
        return query[len(prompt) :]
    at = query.find(prompt) if prompt else -1
    return query[at + len(prompt) :] if at >= 0 else query


def reward_func(
    queries: Sequence[str],
    prompts: Sequence[str],
    labels: Sequence[object],
    spec: str | RewardSpec | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """Score each query's response against its label; see the module docstring."""
    import torch

    reward_spec = get_spec(spec)
    rewards: list[float] = []
    scores: list[float] = []
    format_ok: list[float] = []
    for query, prompt, label in zip(queries, prompts, labels, strict=True):
        verdict = grade_row(None, response_of(query, prompt), record_from(label, None), reward_spec)
        score = score_of(verdict)
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
        },
    }
