"""Generate on a split and grade with the task verifiers: the ``sample`` and ``evaluate`` commands.

Grading goes through ``ehrmind_rewards.core.dispatch.grade_row`` — the call ``reward_fn`` makes, so
the same verifiers under the same reward spec — and a sample counted correct here earns the correct
reward in training.

Each record carries the row's own columns (its labels, ``task`` and ids; not the prompt) beside the
completion and its verdict, so a file of records is graded again by ``ehrmind-rewards grade`` and
paired by ``ehrmind-rewards compare`` without a dataset.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ehrmind_rewards.core import registry
from ehrmind_rewards.core.dispatch import grade_row
from ehrmind_rewards.core.rewards import get_spec
from ehrmind_rewards.train.config import RunConfig
from ehrmind_rewards.train.data import Split, load_rows
from ehrmind_rewards.train.generation import Backend, generate

LABEL_COLUMNS = ("label", "ground_truth")
"""Gold-label columns, in order of preference, recorded with each graded sample."""

NOT_RECORDED = frozenset({"prompt", "completion"})
"""Row columns left out of the records: the prompt (large, and not needed to grade again)."""


def generate_and_grade(
    config: RunConfig,
    split: Split,
    *,
    n: int,
    temperature: float,
    backend: Backend = "auto",
    on_progress: Callable[[int, int], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """For each row of the split, ``n`` completions and their verdicts, one record per sample.

    ``on_progress(prompts_done, prompts_total)`` is called as generation advances.
    """
    from ehrmind_rewards.train.models import load_tokenizer
    from ehrmind_rewards.train.prompts import render_prompt

    rows = load_rows(config, split, with_completion=False)
    missing = sorted({row["task"] for row in rows if registry.find(row["task"]) is None})
    if missing:
        raise ValueError(f"no task family registered for task(s): {', '.join(missing)}")
    tokenizer = load_tokenizer(config)
    prompts = [render_prompt(tokenizer, row["prompt"], config.data.prefill) for row in rows]
    progress = None
    if on_progress is not None:
        total = len(prompts)

        def progress(done: int) -> None:
            on_progress(done, total)

    outputs = generate(
        config, prompts, n=n, temperature=temperature, backend=backend, on_progress=progress
    )
    spec = get_spec(config.reward_spec)
    for row, completions in zip(rows, outputs, strict=True):
        for index, completion in enumerate(completions):
            verdict = grade_row(None, completion, row, spec)
            if verdict is None:  # only when a row's task has no verifier, refused above
                raise ValueError(f"row {row['id']!r} has no verifier")
            yield {
                **{k: v for k, v in row.items() if k not in NOT_RECORDED},
                "id": row["id"],
                "task": row["task"],
                "category": row["category"],
                "sample": index,
                "correct": verdict.correct is True,
                "answer": verdict.parsed,
                "predicted": verdict.label,
                "score": verdict.score,
                "format_ok": verdict.format_ok,
                "reason": str(verdict.reason),
                "gold": _gold(row),
                "completion": completion,
            }


def _gold(row: dict[str, Any]) -> Any:
    return next((row[c] for c in LABEL_COLUMNS if row.get(c) is not None), None)


def _class_index(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _classification(records: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The shared classification report when every record has a single class-index gold label."""
    from ehrmind_rewards.metrics.classification import classification_report

    gold = [_class_index(r["gold"]) for r in records]
    if any(g is None for g in gold):
        return None
    predicted = [_class_index(r.get("predicted")) for r in records]
    fixed = {_fixed_classes(r) for r in records}
    if len(fixed) == 1 and None not in fixed:
        labels = list(range(next(iter(fixed)) or 0))
    else:
        labels = sorted(
            {g for g in gold if g is not None} | {p for p in predicted if p is not None}
        )
    report: dict[str, Any] = classification_report(gold, predicted, labels).to_dict()
    return report


def _fixed_classes(record: dict[str, Any]) -> int | None:
    """The record's number of classes when its family fixes it (trial matching: 3)."""
    family = registry.find(str(record["task"]))
    return None if family is None else family.n_classes(str(record["category"]))


def _is_classification(record: dict[str, Any]) -> bool:
    family = registry.find(str(record["task"]))
    return family is not None and family.classification


def _summary(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    n = len(records)
    classified = all(_is_classification(r) for r in records)
    report = _classification(records) if classified else None
    return {
        "n": n,
        "accuracy": sum(r["correct"] for r in records) / n,
        "balanced_accuracy": None if report is None else report["balanced_accuracy"],
        "format_ok": sum(r["format_ok"] for r in records) / n,
        "mean_reward": sum(r["score"] for r in records) / n,
        "classification": report,
    }


def summarize_records(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Overall and per-category accuracy, format rate, mean reward, and for class-label tasks
    (trial matching, single-label EHRSHOT) the shared classification report
    (:mod:`ehrmind_rewards.metrics.classification`: balanced accuracy, Cohen's κ, macro P/R/F1,
    confusion matrix; an unreadable answer counts as an invalid prediction). MedCalc answers are
    values, not classes: their balanced accuracy is ``None``.
    """
    if not records:
        raise ValueError("nothing to summarize")
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        groups[record["category"]].append(record)
    return {
        "overall": _summary(records),
        "categories": {name: _summary(group) for name, group in sorted(groups.items())},
    }
