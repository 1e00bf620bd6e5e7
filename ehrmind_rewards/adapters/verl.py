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

from ehrmind_rewards.adapters.core import grade_row, score_of
from ehrmind_rewards.rewards import RewardSpec, get_spec


def record_from(ground_truth: object, extra_info: object) -> dict[str, Any]:
    """Merge verl's ``ground_truth`` and ``extra_info`` into one row of columns."""
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


_SOURCE_MARKERS: tuple[tuple[str, str], ...] = (
    ("medcalc", "medcalc"),
    ("ehrshot", "ehrshot"),
    ("trial", "trials"),
    ("trec", "trials"),
)
"""Substrings of a verl ``data_source`` name and the task they mean (``trec_ct_2021`` → trials)."""


def _task_from_source(data_source: object) -> str | None:
    if isinstance(data_source, str):
        lowered = data_source.lower()
        for marker, task in _SOURCE_MARKERS:
            if marker in lowered:
                return task
    return None


def compute_score(
    data_source: object,
    solution_str: object,
    ground_truth: object,
    extra_info: object = None,
    spec: str | RewardSpec | None = None,
    **kwargs: Any,
) -> dict[str, float]:
    """Score one verl rollout; see the module docstring for the returned keys."""
    reward_spec = get_spec(spec)
    row = record_from(ground_truth, extra_info)
    if "task" not in row:
        source_task = _task_from_source(data_source)
        if source_task is not None:
            row["task"] = source_task
    verdict = grade_row(None, solution_str, row, reward_spec)
    score = score_of(verdict)
    result = {"score": 0.0 if score is None else score, "format": 0.0, "correctness": 0.0}
    if verdict is not None and score is not None:
        result.update(verdict.components)
    result["format_ok"] = float(verdict is not None and verdict.format_ok)
    result["correct"] = float(verdict is not None and verdict.correct is True)
    result["graded"] = float(score is not None)
    return result
