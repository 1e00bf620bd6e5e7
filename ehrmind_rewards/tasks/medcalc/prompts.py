"""The MedCalc-Bench prompt: instruction, patient note, question and EHRMind's pre-fill.

The same user text is used by the SFT warm-up rows (``ehrmind-rewards explain``), GRPO, sampling
and evaluation, so the model always sees one prompt.

>>> print(build_prompt("A 50-year-old man.", "What is his age?").splitlines()[2])
Patient note:
"""

from __future__ import annotations

from ehrmind_rewards.core.parsing.envelope import PREFILL

INSTRUCTION = (
    "Answer the question about the patient note. Reason step by step inside <think> </think>, "
    'then give the final answer as JSON inside <answer> </answer>, e.g. <answer>{"answer": 4}'
    "</answer>."
)


def build_prompt(note: str, question: str) -> str:
    """The prompt text of one row, ending with the EHRMind pre-fill."""
    return (
        f"{INSTRUCTION}\n\nPatient note:\n{note.strip()}\n\nQuestion: {question.strip()}\n\n"
        f"{PREFILL}"
    )


def medcalc_messages(note: str, question: str) -> list[dict[str, str]]:
    """The chat messages asking one MedCalc-Bench question about one patient note.

    The user text is exactly that of :func:`build_prompt` without the pre-fill, which belongs to
    the assistant turn (``ehrmind_rewards.train.prompts.render_prompt`` puts it there).

    >>> medcalc_messages("Note.", "Q?")[0]["role"]
    'user'
    """
    user = build_prompt(note, question).removesuffix(PREFILL).rstrip()
    return [{"role": "user", "content": user}]
