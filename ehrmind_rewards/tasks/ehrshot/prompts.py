"""Prompts for the EHRSHOT tasks: a persona, the timeline, the question and the answer format.

The completion format is EHRMind's: one ``<think>…</think>`` then one ``<answer>{JSON}</answer>``
(EHRMind pre-fills ``Let me solve this step by step.\\n<think>`` through the chat template).
"""

from __future__ import annotations

import json

from ehrmind_rewards.tasks.ehrshot.benchmark import Task, TaskKind
from ehrmind_rewards.tasks.ehrshot.events import from_us

SYSTEM_PROMPT = (
    "You are a careful clinician reviewing a patient's electronic health record to make a "
    "prediction. Reason step by step inside <think>…</think>, then give only the final answer "
    "inside <answer>…</answer> as one JSON object."
)


def answer_instructions(task: Task) -> str:
    """How to write the answer for ``task``: the JSON shape, the label names and indices."""
    if task.kind is TaskKind.MULTILABEL:
        example = task.answer_example([1 if i in (2, 10) else 0 for i in range(task.n_classes)])
        names = ", ".join(task.class_names)
        return (
            f"Findings, in this order: {names}. Answer with "
            f'{{"prediction": [names of the findings present], "label": [one 0 or 1 per '
            f"finding, in the order above]}}, for example {json.dumps(example)}. You may add "
            '"probability": [one probability per finding].'
        )
    choices = "; ".join(f'"{name}" = {i}' for i, name in enumerate(task.class_names))
    probability = (
        '"probability": the probability of ' + repr(task.class_names[1])
        if task.kind is TaskKind.BINARY
        else '"probability": [one probability per class, summing to 1]'
    )
    return (
        f"Labels: {choices}. Answer with "
        f'{{"prediction": "<label name>", "label": <its number>}}, for example '
        f"{json.dumps(task.answer_example(task.n_classes - 1))}. You may add {probability}."
    )


def build_messages(task: Task, timeline_text: str, prediction_time: int) -> list[dict[str, str]]:
    """Chat messages (system + user) asking ``task``'s question about a rendered timeline."""
    when = from_us(prediction_time).strftime("%Y-%m-%d %H:%M")
    user = (
        f"Patient record up to {when} (the time of prediction), oldest events first:\n\n"
        f"{timeline_text}\n\n"
        f"Question: {task.question}\n"
        f"Definition: {task.definition}\n"
        f"{answer_instructions(task)}"
    )
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]
