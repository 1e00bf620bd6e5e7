"""The pass@k diagnostic: does a task need the SFT warm-up, or does plain RLVR suffice?

EHRMind (arXiv 2505.24105, §3) separates *misapplied* knowledge (the base model solves an item in
some of k samples; RLVR can sharpen that) from *missing* knowledge (it never does; SFT must come
first) by the base model's pass@k on the training set (k = 12, temperature 0.6, top_p 0.95).

* **pass@k** is the unbiased estimator of Chen et al. 2021 (arXiv 2107.03374, eq. 1) from n ≥ k
  samples with c correct: ``1 − C(n−c, k) / C(n, k)``, computed as the product
  ``1 − ∏_{i=n−c+1}^{n} (1 − k/i)``, which never forms a binomial coefficient (no overflow, no
  cancellation between huge numbers).
* **reliable pass@k** (EHRMind) guards against answers that are right by guessing among a few
  classes: an item counts only if at least ``c_min`` samples are correct **and** the entropy of its
  answers is below ``0.8·ln(#classes)``. EHRMind's ``c_min``: ``k//7 + 2`` for MedCalc's diagnosis
  and severity categories, ``k//21 + 2`` for risk, ``k//3 + 2`` for trial matching. This project
  also applies the trial-matching rule to EHRSHOT's few-class labels (EHRMind states none).
  Other categories (continuous values: lab, physical, date, dosage) cannot be guessed, and their
  reliable pass@k is their pass@k.

The number of classes is a sample's ``n_classes`` field when given, 3 for trial matching, and
otherwise the number of distinct answers seen in the category. Entropy is in nats over the item's
answers (stripped, case-folded); samples without an answer (format failures) are left out of it.

A category is recommended "RLVR" when its (reliable, where the rule applies) pass@k reaches the
threshold (default 0.5), else "SFT then RLVR"; the numbers behind each decision are reported.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ehrmind_rewards.core import registry
from ehrmind_rewards.core.errors import EhrmindError, InputError
from ehrmind_rewards.core.io import iter_rows

RLVR = "RLVR"
SFT_THEN_RLVR = "SFT then RLVR"
ENTROPY_FRACTION = 0.8
DEFAULT_THRESHOLD = 0.5


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k from ``n`` samples of which ``c`` are correct: 1 − C(n−c,k)/C(n,k)."""
    if not 0 <= c <= n or k < 1:
        raise ValueError(f"need 0 ≤ c ≤ n and k ≥ 1, got n={n}, c={c}, k={k}")
    if n < k:
        raise ValueError(f"pass@{k} needs at least {k} samples per item, got {n}")
    if n - c < k:
        return 1.0
    product = 1.0
    for i in range(n - c + 1, n + 1):
        product *= 1.0 - k / i
    return 1.0 - product


def min_correct(task: str, category: str, k: int) -> int | None:
    """EHRMind's minimum correct count for guessable answers, or ``None`` if not guessable
    (asked of the task's family, :meth:`~ehrmind_rewards.core.task.TaskFamily.min_correct`).

    >>> from ehrmind_rewards.core.registry import DEFAULT_TASK
    >>> min_correct(DEFAULT_TASK, "severity", 12), min_correct(DEFAULT_TASK, "lab", 12)
    (3, None)
    """
    family = registry.find(task)
    return None if family is None else family.min_correct(category, k)


def answer_entropy(answers: Iterable[str | None]) -> float:
    """Shannon entropy (nats) of the answers given; missing answers are left out."""
    counts = Counter(a.strip().casefold() for a in answers if a is not None and a.strip())
    total = sum(counts.values())
    return -sum(n / total * math.log(n / total) for n in counts.values()) if total else 0.0


@dataclass(frozen=True)
class Sample:
    """One graded completion: the item it answers, whether it is correct, what it answered."""

    id: str
    task: str
    category: str
    correct: bool
    answer: str | None
    n_classes: int | None = None


@dataclass(eq=False)
class _Item:
    id: str
    task: str
    category: str
    samples: list[Sample] = field(default_factory=list)


class SamplesError(EhrmindError, ValueError):
    """A samples file that cannot be diagnosed; the message names the line or item."""


def _sample(raw: dict[str, Any], where: str) -> Sample:
    for key in ("id", "task", "category", "correct"):
        if key not in raw:
            raise SamplesError(f"{where}: missing {key!r}")
    if not isinstance(raw["correct"], bool):
        raise SamplesError(f"{where}: 'correct' must be true or false")
    answer = raw.get("answer")
    n_classes = raw.get("n_classes")
    if n_classes is not None and (not isinstance(n_classes, int) or n_classes < 2):
        raise SamplesError(f"{where}: 'n_classes' must be an integer ≥ 2")
    return Sample(
        id=str(raw["id"]),
        task=str(raw["task"]),
        category=str(raw["category"]),
        correct=raw["correct"],
        answer=None if answer is None else str(answer),
        n_classes=n_classes,
    )


def read_samples(path: str | Path) -> list[Sample]:
    """Samples from a JSONL file, one per line (blank lines allowed, bad lines raise)."""
    samples = []
    try:
        for number, raw in iter_rows(Path(path)):
            samples.append(_sample(raw, f"{path}:{number}"))
    except InputError as error:
        raise SamplesError(str(error)) from None
    if not samples:
        raise SamplesError(f"{path}: no samples")
    return samples


def samples_per_item(samples: Sequence[Sample]) -> dict[tuple[str, str], int]:
    """``(task, id)`` → the number of samples of that item (``diagnose``'s default k is the
    smallest of these).

    >>> from ehrmind_rewards.core.registry import DEFAULT_TASK as task
    >>> one_item = [Sample("1", task, "lab", True, "4"), Sample("1", task, "lab", False, "5")]
    >>> list(samples_per_item(one_item).values())
    [2]
    """
    return dict(Counter((sample.task, sample.id) for sample in samples))


def _items(samples: Sequence[Sample]) -> dict[tuple[str, str], _Item]:
    items: dict[tuple[str, str], _Item] = {}
    for sample in samples:
        item = items.setdefault(
            (sample.task, sample.id), _Item(sample.id, sample.task, sample.category)
        )
        if item.category != sample.category:
            raise SamplesError(
                f"item {sample.id!r} ({sample.task}) has two categories: "
                f"{item.category!r} and {sample.category!r}"
            )
        item.samples.append(sample)
    return items


def _n_classes(task: str, category: str, samples: Sequence[Sample]) -> int:
    given = {s.n_classes for s in samples if s.n_classes is not None}
    if given:
        return max(given)
    family = registry.find(task)
    fixed = None if family is None else family.n_classes(category)
    if fixed is not None:
        return fixed
    seen = {s.answer.strip().casefold() for s in samples if s.answer and s.answer.strip()}
    return max(len(seen), 2)


def diagnose(
    samples: Sequence[Sample], k: int, threshold: float = DEFAULT_THRESHOLD
) -> dict[str, dict[str, Any]]:
    """Per category: ``n_items``, ``pass@k``, ``reliable_pass@k``, ``recommendation`` and the
    numbers behind them. Keys are category names (``task/category`` if two tasks share one)."""
    items = _items(samples)
    by_category: dict[tuple[str, str], list[_Item]] = {}
    for item in items.values():
        by_category.setdefault((item.task, item.category), []).append(item)
    names = Counter(category for _, category in by_category)
    report: dict[str, dict[str, Any]] = {}
    for (task, category), group in sorted(by_category.items()):
        in_category = [s for item in group for s in item.samples]
        rule = min_correct(task, category, k)
        n_classes = _n_classes(task, category, in_category) if rule is not None else None
        limit = ENTROPY_FRACTION * math.log(n_classes) if n_classes is not None else None
        passes, reliable, rates = [], [], []
        for item in group:
            n = len(item.samples)
            c = sum(s.correct for s in item.samples)
            if n < k:
                raise SamplesError(f"item {item.id!r} ({task}) has {n} samples, fewer than k={k}")
            passes.append(pass_at_k(n, c, k))
            rates.append(c / n)
            if rule is None or limit is None:
                reliable.append(passes[-1])
            else:
                entropy = answer_entropy(s.answer for s in item.samples)
                reliable.append(1.0 if c >= rule and entropy < limit else 0.0)
        value_pass = sum(passes) / len(passes)
        value_reliable = sum(reliable) / len(reliable)
        basis = "reliable_pass@k" if rule is not None else "pass@k"
        decided_by = value_reliable if rule is not None else value_pass
        recommendation = RLVR if decided_by >= threshold else SFT_THEN_RLVR
        key = category if names[category] == 1 else f"{task}/{category}"
        report[key] = {
            "task": task,
            "category": category,
            "k": k,
            "n_items": len(group),
            "n_samples": len(in_category),
            "pass@1": sum(rates) / len(rates),
            "pass@k": value_pass,
            "reliable_pass@k": value_reliable,
            "min_correct": rule,
            "n_classes": n_classes,
            "entropy_limit": limit,
            "threshold": threshold,
            "basis": basis,
            "recommendation": recommendation,
            "reason": (
                f"{basis} {decided_by:.3f} {'≥' if recommendation == RLVR else '<'} {threshold}"
            ),
        }
    return report
