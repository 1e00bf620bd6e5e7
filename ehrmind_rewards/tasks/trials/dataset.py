"""The TRL-ready trial-matching dataset built from topics × qrels × trials.

:func:`build_trial_dataset` turns topics, qrels and trial records into rows with the columns the
reward functions read (``prompt``, ``task``, ``label`` = the qrels grade) plus ``label_name``,
``query_id``, ``doc_id`` and ``structured_eligibility`` (the pair's structured pre-check,
:func:`~.structured.structured_eligibility`, which grading's error analysis reads to flag answers
and labels that contradict the trial's age, sex and healthy-volunteer fields). Patients are split
**by topic** (no patient in two splits; EHRMind's positional split leaked test pairs into
training), pairs are sampled class-balanced within each split, and every random choice derives
from ``seed``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ehrmind_rewards.tasks.trials.prompts import (
    DEFAULT_MAX_PROMPT_TOKENS,
    PromptTooLongError,
    TokenCounter,
    approx_token_count,
    trial_messages,
)
from ehrmind_rewards.tasks.trials.structured import STRUCTURED_COLUMN, structured_eligibility
from schemas.trials import LABEL_NAMES, TrialLabel, TrialQrel, TrialRecord, TrialTopic


@dataclass
class TrialDataset:
    """Rows per split, and every pair that could not become a row (never dropped silently)."""

    splits: dict[str, list[dict[str, Any]]]
    missing_topics: list[str] = field(default_factory=list)
    """Topic ids in the qrels without a topic text."""
    missing_trials: list[str] = field(default_factory=list)
    """Trial ids in the qrels without a trial record (each listed once)."""
    too_long: list[tuple[str, str]] = field(default_factory=list)
    """(query_id, doc_id) pairs whose patient note alone exceeds the budget."""


def split_patients(
    query_ids: Iterable[str], fractions: Mapping[str, float], seed: int
) -> dict[str, list[str]]:
    """Shuffle the distinct ids with ``seed`` and cut them into consecutive blocks by fraction.

    Block boundaries are ``round(cumulative fraction × n)``; fractions must be positive and sum
    to 1. Each id lands in exactly one split.
    """
    if not fractions or any(f <= 0 for f in fractions.values()):
        raise ValueError("split fractions must be positive")
    if not math.isclose(sum(fractions.values()), 1.0, abs_tol=1e-9):
        raise ValueError(f"split fractions sum to {sum(fractions.values())}, not 1")
    ids = sorted(set(query_ids))
    random.Random(f"patients:{seed}").shuffle(ids)
    splits: dict[str, list[str]] = {}
    start, cumulative = 0, 0.0
    for name, fraction in fractions.items():
        cumulative += fraction
        end = round(cumulative * len(ids))
        splits[name] = ids[start:end]
        start = end
    return splits


def build_trial_dataset(
    topics: Iterable[TrialTopic],
    qrels: Iterable[TrialQrel],
    trials: Mapping[str, TrialRecord],
    *,
    fractions: Mapping[str, float] | None = None,
    per_class: int | None = None,
    balanced: bool = True,
    seed: int = 0,
    max_prompt_tokens: int = DEFAULT_MAX_PROMPT_TOKENS,
    count_tokens: TokenCounter = approx_token_count,
    prefill: bool = True,
) -> TrialDataset:
    """Rows ``{"prompt", "task", "label", "label_name", "query_id", "doc_id",
    "structured_eligibility"}`` per split.

    Args:
        topics: patients (:func:`~ehrmind_rewards.tasks.trials.load_topics`, any year).
        qrels: judgments (:func:`~ehrmind_rewards.tasks.trials.load_qrels`), same topic ids.
        trials: trial records by NCT id.
        fractions: split name → fraction of *patients* (default ``{"train": 0.8, "test": 0.2}``).
        per_class: pairs sampled per grade in each split (fewer if a grade has fewer); ``None``
            with ``balanced`` takes the smallest grade's count, so grades are equally frequent.
        balanced: ``False`` keeps every pair (``per_class`` ignored).
        seed: seeds the patient split, the sampling and the row order.
    """
    fractions = fractions or {"train": 0.8, "test": 0.2}
    notes = {topic.query_id: topic for topic in topics}
    by_topic: dict[str, list[TrialQrel]] = {}
    for qrel in qrels:
        by_topic.setdefault(qrel.query_id, []).append(qrel)
    dataset = TrialDataset(splits={})
    dataset.missing_topics = sorted(qid for qid in by_topic if qid not in notes)
    missing_trials: dict[str, None] = {}
    patient_splits = split_patients((q for q in by_topic if q in notes), fractions, seed)
    for name, patients in patient_splits.items():
        pairs: dict[TrialLabel, list[TrialQrel]] = {label: [] for label in TrialLabel}
        for qid in patients:
            for qrel in by_topic[qid]:
                if qrel.doc_id in trials:
                    pairs[qrel.label].append(qrel)
                else:
                    missing_trials.setdefault(qrel.doc_id)
        rng = random.Random(f"sample:{seed}:{name}")
        chosen = _sample(pairs, per_class, balanced, rng)
        rows = []
        for qrel in chosen:
            try:
                prompt = trial_messages(
                    notes[qrel.query_id].text,
                    trials[qrel.doc_id],
                    max_prompt_tokens=max_prompt_tokens,
                    count_tokens=count_tokens,
                    prefill=prefill,
                )
            except PromptTooLongError:
                dataset.too_long.append((qrel.query_id, qrel.doc_id))
                continue
            rows.append(
                {
                    "prompt": prompt,
                    "task": "trials",
                    "label": int(qrel.label),
                    "label_name": LABEL_NAMES[qrel.label],
                    "query_id": qrel.query_id,
                    "doc_id": qrel.doc_id,
                    STRUCTURED_COLUMN: structured_eligibility(
                        notes[qrel.query_id], trials[qrel.doc_id]
                    ).to_dict(),
                }
            )
        dataset.splits[name] = rows
    dataset.missing_trials = list(missing_trials)
    return dataset


def _sample(
    pairs: Mapping[TrialLabel, list[TrialQrel]],
    per_class: int | None,
    balanced: bool,
    rng: random.Random,
) -> list[TrialQrel]:
    if not balanced:
        chosen = [qrel for label in TrialLabel for qrel in pairs[label]]
    else:
        count = per_class if per_class is not None else min(len(p) for p in pairs.values())
        chosen = []
        for label in TrialLabel:
            group = pairs[label]
            chosen.extend(rng.sample(group, min(count, len(group))))
    rng.shuffle(chosen)
    return chosen
