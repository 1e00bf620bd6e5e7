"""Grading for the reward server: plain Python in, JSON-ready dicts out, within a deadline.

No web framework here, so the same functions serve the HTTP endpoints, the tests and the load
benchmark's in-process baseline. Request content is only ever data: completions go to the
verifiers' linear-time parsers, records are looked up as columns; nothing is evaluated.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ehrmind_rewards.adapters.openrlhf import response_of
from ehrmind_rewards.adapters.verl import record_from
from ehrmind_rewards.core import registry
from ehrmind_rewards.core.dispatch import grade_row, score_of, task_of
from ehrmind_rewards.core.errors import EhrmindError
from ehrmind_rewards.core.rewards import RewardSpec
from schemas.verdict import Verdict

DEADLINE_CHECK_EVERY = 32
"""Items graded between two looks at the clock (a verdict takes microseconds)."""


class GradingTimeout(EhrmindError):
    """The request's deadline passed before every item was graded."""


@dataclass
class Tally:
    """Counts of one request, for the metrics: graded items by (task, reason), unhandled ones."""

    verdicts: Counter[tuple[str, str]] = field(default_factory=Counter)
    unhandled: int = 0


def _check(deadline: float, index: int) -> None:
    if index % DEADLINE_CHECK_EVERY == 0 and time.monotonic() > deadline:
        raise GradingTimeout(f"deadline passed after {index} items")


def result_of(verdict: Verdict, task: str) -> dict[str, Any]:
    """The JSON result of one verdict (see :class:`~ehrmind_rewards.serve.models.ScoreResult`).

    >>> from ehrmind_rewards.core.rewards import EHRMIND
    >>> from schemas.reasons import Reason
    >>> verdict = EHRMIND.verdict(format_ok=True, correct=True, reason=Reason.CORRECT)
    >>> result_of(verdict, "demo")["score"], result_of(verdict, "demo")["reason"]
    (1.1, 'correct')
    """
    return {
        "score": score_of(verdict),
        "components": verdict.components,
        "reason": verdict.reason.value,
        "format_ok": verdict.format_ok,
        "correct": verdict.correct,
        "task": task,
        "parsed": verdict.parsed,
        "detail": verdict.detail,
    }


UNHANDLED = "unhandled_record"
"""The ``reason`` of an item whose record no installed task family handles (score ``null``)."""


def unhandled_result(record: Mapping[str, Any], task: str | None) -> dict[str, Any]:
    """The result of an item no family grades, saying what the record lacks.

    >>> unhandled_result({"foo": 1}, None)["reason"]
    'unhandled_record'
    """
    named = task_of(record)
    if task is not None and named is not None and named != task:
        detail = f"the record's task is {named!r}, the request asks for {task!r}"
    else:
        keys = ", ".join(sorted(map(str, record))[:12]) or "none"
        detail = (
            f"no task family handles this record (keys: {keys}); give it a 'task' column "
            f"({', '.join(registry.names())}) or the columns its family reads"
        )
    return {
        "score": None,
        "components": {},
        "reason": UNHANDLED,
        "format_ok": False,
        "correct": None,
        "task": None,
        "parsed": None,
        "detail": detail,
    }


def score_items(
    completions: Sequence[object],
    records: Sequence[Mapping[str, Any]],
    spec: RewardSpec,
    *,
    task: str | None = None,
    deadline: float = float("inf"),
    tally: Tally | None = None,
) -> list[dict[str, Any]]:
    """Grade each completion against its record (``task``: only as that task).

    An item whose record no family handles gets :func:`unhandled_result`; the others a
    :func:`result_of` their verdict. Raises :class:`GradingTimeout` past ``deadline``.

    >>> from ehrmind_rewards.core.rewards import EHRMIND
    >>> row = {"calculator_id": 4, "ground_truth": "3"}
    >>> [r["score"] for r in score_items(["<think>…</think><answer>{\\"answer\\": 3}</answer>",
    ...                                    "no tags", "x"], [row, row, {}], EHRMIND)]
    [1.1, -2.0, None]
    """
    results = []
    for index, (completion, record) in enumerate(zip(completions, records, strict=True)):
        _check(deadline, index)
        name = task or task_of(record)
        verdict = None if name is None else grade_row(name, completion, record, spec)
        if verdict is None or name is None:
            results.append(unhandled_result(record, task))
            if tally is not None:
                tally.unhandled += 1
            continue
        results.append(result_of(verdict, name))
        if tally is not None:
            tally.verdicts[name, verdict.reason.value] += 1
    return results


def openrlhf_rewards(
    queries: Sequence[str],
    prompts: Sequence[str],
    labels: Sequence[object],
    spec: RewardSpec,
    *,
    deadline: float = float("inf"),
    tally: Tally | None = None,
) -> dict[str, Any]:
    """OpenRLHF's remote reward response, as lists and floats (JSON, not tensors).

    The same numbers as :func:`ehrmind_rewards.adapters.openrlhf.reward_func`: each response is
    the query after its prompt, each label the record (a JSON object string or an object); a
    row no family handles scores 0 and counts against ``extra_logs["graded"]``.

    >>> from ehrmind_rewards.core.rewards import EHRMIND
    >>> label = '{"calculator_id": 4, "ground_truth": "3"}'
    >>> openrlhf_rewards(["Q:<think>…</think><answer>{\\"answer\\": 3}</answer>"], ["Q:"],
    ...                  [label], EHRMIND)["rewards"]
    [1.1]
    """
    rewards: list[float] = []
    scores: list[float] = []
    format_ok = graded = 0
    for index, (query, prompt, label) in enumerate(zip(queries, prompts, labels, strict=True)):
        _check(deadline, index)
        record = record_from(label, None)
        verdict = grade_row(None, response_of(query, prompt), record, spec)
        score = score_of(verdict)
        rewards.append(0.0 if score is None else score)
        scores.append(1.0 if verdict is not None and verdict.correct is True else 0.0)
        format_ok += verdict is not None and verdict.format_ok
        graded += score is not None
        if tally is not None:
            if verdict is None:
                tally.unhandled += 1
            else:
                tally.verdicts[task_of(record) or "?", verdict.reason.value] += 1
    n = max(len(rewards), 1)
    return {
        "rewards": rewards,
        "scores": scores,
        "extra_logs": {
            "accuracy": sum(scores) / n,
            "format_ok": format_ok / n,
            "graded": graded / n,
        },
    }
