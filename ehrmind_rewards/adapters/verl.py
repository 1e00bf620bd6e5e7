"""verl adapter: ``custom_reward_function`` pointing at :func:`compute_score`.

verl calls ``compute_score(data_source, solution_str, ground_truth, extra_info=None, **kw)`` on
Ray workers and logs every key of the returned dict besides ``score``. The record may come as
``ground_truth`` (a dict, or a JSON object string) and/or in ``extra_info``; a scalar
``ground_truth`` is the label itself, with the other columns in ``extra_info``. Every call returns
the same keys, as verl requires: ``score``, the spec's components, ``format_ok``, ``correct`` and
``graded`` (0 when no verifier handled the row or its record was unusable; the score is then 0).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ehrmind_rewards.core import registry
from ehrmind_rewards.core.dispatch import grade_row, score_of
from ehrmind_rewards.core.rewards import RewardSpec, get_spec


def record_from(ground_truth: object, extra_info: object) -> dict[str, Any]:
    """Merge verl's ``ground_truth`` and ``extra_info`` into one row of columns.

    >>> record_from('{"label": 2}', {"idx": 2})
    {'idx': 2, 'label': 2}
    """
    row: dict[str, Any] = {}
    if isinstance(extra_info, Mapping):
        row.update(extra_info)
    truth = ground_truth
    if isinstance(truth, str) and truth.lstrip().startswith("{"):
        try:
            truth = json.loads(truth)
        except ValueError:
            truth = ground_truth
    if isinstance(truth, Mapping):
        row.update(truth)
    elif truth is not None:
        row["ground_truth"] = truth
    return row


def compute_score(
    data_source: object,
    solution_str: object,
    ground_truth: object,
    extra_info: object = None,
    spec: str | RewardSpec | None = None,
    **kwargs: Any,
) -> dict[str, float]:
    """Score one verl rollout; see the module docstring for the returned keys.

    >>> truth = {"calculator_id": 2, "ground_truth": "25.238", "lower_limit": "23.9",
    ...          "upper_limit": "26.5"}
    >>> completion = '<think>…</think><answer>{"answer": 25.2}</answer>'
    >>> result = compute_score("my_source", completion, truth)
    >>> result["score"], result["graded"]
    (1.1, 1.0)
    """
    reward_spec = get_spec(spec)
    row = record_from(ground_truth, extra_info)
    if "task" not in row:
        family = registry.family_for_source(data_source)
        if family is not None:
            row["task"] = family.name
    verdict = grade_row(None, solution_str, row, reward_spec)
    score = score_of(verdict)
    result = {"score": 0.0 if score is None else score, "format": 0.0, "correctness": 0.0}
    if verdict is not None and score is not None:
        result.update(verdict.components)
    result["format_ok"] = float(verdict is not None and verdict.format_ok)
    result["correct"] = float(verdict is not None and verdict.correct is True)
    result["graded"] = float(score is not None)
    return result
