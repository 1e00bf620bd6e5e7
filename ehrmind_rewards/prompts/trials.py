"""Patient–trial matching prompts and the TRL-ready dataset built from topics × qrels × trials.

:func:`trial_messages` renders one (patient note, trial) pair as chat messages that ask for
EHRMind's answer format, ``<think>…</think><answer>{"prediction": NAME, "idx": N}</answer>`` with
the names and grades of :mod:`schemas.trials`. By default a last assistant message pre-fills
``Let me solve this step by step.\\n<think>`` as EHRMind's prompt does (TRL continues a final
assistant message instead of opening a new turn).

**Token budget.** The rendered messages must fit ``max_prompt_tokens`` as measured by
``count_tokens`` (default :func:`approx_token_count`, about four characters per token; pass
``lambda text: len(tokenizer.encode(text))`` for exact counts and keep a margin for the chat
template's own tokens). Only the trial is ever trimmed: its lines are rendered in order of
importance (title, conditions, sex and ages, inclusion criteria, exclusion criteria, summary) and
dropped from the end, with a visible ``[trial text truncated]`` line. If the patient note and the
fixed instructions alone exceed the budget, :class:`PromptTooLongError` is raised — the patient is
never cut.

:func:`build_trial_dataset` turns topics, qrels and trial records into rows with the columns the
reward functions read (``prompt``, ``task="trials"``, ``label`` = the qrels grade) plus
``label_name``, ``query_id`` and ``doc_id``. Patients are split **by topic** (no patient in two
splits; EHRMind's positional split leaked test pairs into training), pairs are sampled
class-balanced within each split, and every random choice derives from ``seed``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from schemas.trials import LABEL_NAMES, TrialLabel, TrialQrel, TrialRecord, TrialTopic

PREFILL = "Let me solve this step by step.\n<think>"
"""EHRMind's assistant pre-fill: completions start inside the think block."""

TRUNCATION_MARK = "[trial text truncated]"

DEFAULT_MAX_PROMPT_TOKENS = 1500
"""EHRMind's prompt budget for trial matching (max prompt length 1,500 tokens)."""

SYSTEM_PROMPT = (
    "You are a clinical research coordinator screening patients for clinical trials. "
    "Read the patient note and the trial, reason step by step inside <think></think>, then give "
    "your final answer inside <answer></answer> as a JSON object "
    '{"prediction": NAME, "idx": N} and write nothing after </answer>. '
    "NAME and N must be one of: "
    + "; ".join(f'"{LABEL_NAMES[label]}" with idx {int(label)}' for label in TrialLabel)
    + f". {LABEL_NAMES[TrialLabel.NOT_RELEVANT]}: the trial does not concern the patient's "
    f"condition. {LABEL_NAMES[TrialLabel.EXCLUDED]}: the trial is relevant but the patient "
    "meets an exclusion criterion or fails an inclusion criterion. "
    f"{LABEL_NAMES[TrialLabel.ELIGIBLE]}: the trial is relevant and the patient meets its "
    "eligibility criteria."
)

QUESTION = (
    "Is the patient Eligible (idx 2), Excluded (idx 1) or Irrelevant (idx 0) for this trial? "
    'Answer as <answer>{"prediction": ..., "idx": ...}</answer>.'
)

Message = dict[str, str]
TokenCounter = Callable[[str], int]


class PromptTooLongError(ValueError):
    """The patient note and instructions alone exceed the token budget."""


def approx_token_count(text: str) -> int:
    """⌈characters / 4⌉: a tokenizer-free estimate for English clinical text."""
    return math.ceil(len(text) / 4)


def trial_lines(trial: TrialRecord) -> list[str]:
    """The trial's text, one line per item, most important first (see the module docstring)."""
    lines = [f"Trial {trial.nct_id}: {trial.title}"]
    if trial.conditions:
        lines.append(f"Conditions: {', '.join(trial.conditions)}")
    if trial.gender:
        lines.append(f"Sex: {trial.gender}")
    ages = f"{trial.minimum_age or 'no minimum'} to {trial.maximum_age or 'no maximum'}"
    lines.append(f"Ages: {ages}")
    for heading, criteria in (
        ("Inclusion criteria:", trial.inclusion),
        ("Exclusion criteria:", trial.exclusion),
    ):
        if criteria:
            lines.append(heading)
            lines.extend(f"{n}. {criterion}" for n, criterion in enumerate(criteria, start=1))
    if not trial.inclusion and not trial.exclusion and trial.criteria_text:
        lines.append(f"Eligibility: {trial.criteria_text}")
    if trial.summary:
        lines.append(f"Summary: {trial.summary}")
    return lines


def _messages(patient: str, trial_text: str, prefill: bool) -> list[Message]:
    user = f"Patient note:\n{patient.strip()}\n\nClinical trial:\n{trial_text}\n\n{QUESTION}"
    messages = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]
    if prefill:
        messages.append({"role": "assistant", "content": PREFILL})
    return messages


def _size(messages: list[Message], count_tokens: TokenCounter) -> int:
    return sum(count_tokens(message["content"]) for message in messages)


def trial_messages(
    patient: str,
    trial: TrialRecord,
    *,
    max_prompt_tokens: int = DEFAULT_MAX_PROMPT_TOKENS,
    count_tokens: TokenCounter = approx_token_count,
    prefill: bool = True,
) -> list[Message]:
    """Chat messages for one pair, trial text trimmed from its end to fit the budget.

    Raises:
        PromptTooLongError: if even an empty trial does not fit (the patient is never trimmed).
    """
    lines = trial_lines(trial)
    full = _messages(patient, "\n".join(lines), prefill)
    if _size(full, count_tokens) <= max_prompt_tokens:
        return full
    if _size(_messages(patient, TRUNCATION_MARK, prefill), count_tokens) > max_prompt_tokens:
        raise PromptTooLongError(
            f"patient note and instructions exceed {max_prompt_tokens} tokens before any trial text"
        )
    keep_low, keep_high = 0, len(lines) - 1  # the largest prefix that fits lies in [low, high]
    while keep_low < keep_high:
        middle = (keep_low + keep_high + 1) // 2
        text = "\n".join([*lines[:middle], TRUNCATION_MARK])
        if _size(_messages(patient, text, prefill), count_tokens) <= max_prompt_tokens:
            keep_low = middle
        else:
            keep_high = middle - 1
    return _messages(patient, "\n".join([*lines[:keep_low], TRUNCATION_MARK]), prefill)


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
    """Rows ``{"prompt", "task", "label", "label_name", "query_id", "doc_id"}`` per split.

    Args:
        topics: patient notes (:func:`~ehrmind_rewards.data.trials.load_topics`).
        qrels: judgments (:func:`~ehrmind_rewards.data.trials.load_qrels`), same topic ids.
        trials: trial records by NCT id.
        fractions: split name → fraction of *patients* (default ``{"train": 0.8, "test": 0.2}``).
        per_class: pairs sampled per grade in each split (fewer if a grade has fewer); ``None``
            with ``balanced`` takes the smallest grade's count, so grades are equally frequent.
        balanced: ``False`` keeps every pair (``per_class`` ignored).
        seed: seeds the patient split, the sampling and the row order.
    """
    fractions = fractions or {"train": 0.8, "test": 0.2}
    notes = {topic.query_id: topic.text for topic in topics}
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
                    notes[qrel.query_id],
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
