"""Patient–trial matching prompts: one (patient note, trial) pair as chat messages.

:func:`trial_messages` renders one (patient note, trial) pair as chat messages that ask for
EHRMind's answer format, ``<think>…</think><answer>{"prediction": NAME, "idx": N}</answer>`` with
the names and grades of :mod:`schemas.trials` and each grade's meaning from :mod:`.definitions`
(the TREC guidelines' reading, written once). By default a last assistant message pre-fills
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
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ehrmind_rewards.core.errors import EhrmindError
from ehrmind_rewards.core.parsing.envelope import PREFILL
from ehrmind_rewards.tasks.trials.definitions import DEFINITIONS
from schemas.trials import LABEL_NAMES, TrialLabel, TrialRecord

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
    + ". "
    + " ".join(f"{d.name}: {d.meaning}." for d in DEFINITIONS.values())
)

QUESTION = (
    "Is the patient Eligible (idx 2), Excluded (idx 1) or Irrelevant (idx 0) for this trial? "
    'Answer as <answer>{"prediction": ..., "idx": ...}</answer>.'
)

Message = dict[str, str]
TokenCounter = Callable[[str], int]


class PromptTooLongError(EhrmindError, ValueError):
    """The patient note and instructions alone exceed the token budget."""


def approx_token_count(text: str) -> int:
    """⌈characters / 4⌉: a tokenizer-free estimate for English clinical text."""
    return math.ceil(len(text) / 4)


def trial_lines(trial: TrialRecord) -> list[str]:
    """The trial's text, one line per item, most important first (see the module docstring).

    The Ages line is left out for a record with neither sex nor ages (an ``ir_datasets``
    document), whose limits are unknown rather than absent.

    >>> trial_lines(TrialRecord(nct_id="NCT1", title="T", gender="All", minimum_age="18 Years"))
    ['Trial NCT1: T', 'Sex: All', 'Ages: 18 Years to no maximum']
    """
    lines = [f"Trial {trial.nct_id}: {trial.title}"]
    if trial.conditions:
        lines.append(f"Conditions: {', '.join(trial.conditions)}")
    if trial.gender:
        lines.append(f"Sex: {trial.gender}")
    if trial.gender or trial.minimum_age or trial.maximum_age:
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
