"""Generate on a split and grade with the task verifiers: the ``sample`` and ``evaluate`` commands.

Grading goes through ``ehrmind_rewards.adapters.core.grade_row`` — the call ``reward_fn`` makes, so
the same verifiers under the same reward spec — and a sample counted correct here earns the correct
reward in training.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from ehrmind_rewards.adapters.core import grade_row
from ehrmind_rewards.rewards import get_spec
from ehrmind_rewards.train.config import RunConfig
from ehrmind_rewards.train.data import Split, load_rows
from ehrmind_rewards.train.generation import Backend, generate
from ehrmind_rewards.verifiers import verifier_for

LABEL_COLUMNS = ("label", "ground_truth")
"""Gold-label columns, in order of preference, that define classes for balanced accuracy."""


def generate_and_grade(
    config: RunConfig,
    split: Split,
    *,
    n: int,
    temperature: float,
    backend: Backend = "auto",
) -> Iterator[dict[str, Any]]:
    """For each row of the split, ``n`` completions and their verdicts, one record per sample."""
    from ehrmind_rewards.train.prompts import render_prompt
    from ehrmind_rewards.train.trainers import load_tokenizer

    rows = load_rows(config, split, with_completion=False)
    missing = sorted({row["task"] for row in rows if verifier_for(row["task"]) is None})
    if missing:
        raise ValueError(f"no verifier registered for task(s): {', '.join(missing)}")
    tokenizer = load_tokenizer(config)
    prompts = [render_prompt(tokenizer, row["prompt"], config.data.prefill) for row in rows]
    outputs = generate(config, prompts, n=n, temperature=temperature, backend=backend)
    spec = get_spec(config.reward_spec)
    for row, completions in zip(rows, outputs, strict=True):
        for index, completion in enumerate(completions):
            verdict = grade_row(None, completion, row, spec)
            if verdict is None:  # only when a row's task has no verifier, refused above
                raise ValueError(f"row {row['id']!r} has no verifier")
            yield {
                "id": row["id"],
                "task": row["task"],
                "category": row["category"],
                "sample": index,
                "correct": verdict.correct is True,
                "answer": verdict.parsed,
                "score": verdict.score,
                "format_ok": verdict.format_ok,
                "reason": str(verdict.reason),
                "gold": _gold(row),
                "completion": completion,
            }


def _gold(row: dict[str, Any]) -> Any:
    return next((row[c] for c in LABEL_COLUMNS if row.get(c) is not None), None)


def balanced_accuracy(records: Sequence[dict[str, Any]]) -> float | None:
    """Mean over gold classes of the accuracy within each class; ``None`` for fewer than 2."""
    by_class: dict[str, list[bool]] = defaultdict(list)
    for record in records:
        if record["gold"] is not None:
            by_class[str(record["gold"])].append(record["correct"])
    if len(by_class) < 2:
        return None
    return sum(sum(v) / len(v) for v in by_class.values()) / len(by_class)


def _summary(records: Sequence[dict[str, Any]], classified: bool) -> dict[str, Any]:
    n = len(records)
    return {
        "n": n,
        "accuracy": sum(r["correct"] for r in records) / n,
        "balanced_accuracy": balanced_accuracy(records) if classified else None,
        "format_ok": sum(r["format_ok"] for r in records) / n,
        "mean_reward": sum(r["score"] for r in records) / n,
    }


def summarize(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Overall and per-category accuracy, balanced accuracy (class tasks), format rate, reward.

    Balanced accuracy is reported for trial matching and EHRSHOT (classes = gold labels); MedCalc
    answers are values, not classes, so it is ``None`` there.
    """
    if not records:
        raise ValueError("nothing to summarize")
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        groups[record["category"]].append(record)
    classified = {r["category"]: r["task"] != "medcalc" for r in records}
    return {
        "overall": _summary(records, all(classified.values())),
        "categories": {
            name: _summary(group, classified[name]) for name, group in sorted(groups.items())
        },
    }
