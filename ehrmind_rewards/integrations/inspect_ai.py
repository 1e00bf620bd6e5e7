"""Inspect AI scorers and tasks for every registered task family (extra ``inspect``).

For each family this module defines, at import, from the registry:

* ``<family>_scorer(spec="ehrmind")`` — an Inspect ``@scorer`` grading the model's last output
  with the family's verifier: ``CORRECT``/``INCORRECT`` (``NOANSWER`` for a record that cannot
  be graded), the canonical answer read, and metadata ``reason``, ``components``, ``reward``,
  ``format_ok``, ``correct`` and ``detail``; its metrics are ``accuracy``, ``stderr``,
  :func:`mean_reward` and :func:`format_rate`;
* ``<benchmark_name>(…, spec="ehrmind")`` — an Inspect ``@task`` over the family's
  :meth:`~ehrmind_rewards.core.task.TaskFamily.benchmark_rows`, with exactly that method's
  parameters (paths and sampling), a plain ``generate()`` solver and the family's scorer.

For the built-in families: ``medcalc_scorer``, ``trials_scorer``, ``ehrshot_scorer``, and the
tasks ``medcalc_bench(path=None, *, limit=None)`` (the bundled 40-row example or any
MedCalc-Bench CSV), ``trec_ct(topics, qrels, trials, *, …)`` and ``ehrshot(path, *, tasks=…,
split="test", …)`` (an EHRSHOT MEDS or FEMR folder). ``scorer_for(task)`` and
``task_for(task, …)`` build the same for any family by name.

Prompts are chat messages without EHRMind's pre-fill (chat APIs open the assistant turn); a
model that returns its reasoning separately (Inspect ``ContentReasoning``) is graded as if that
reasoning were the think block. The installed ``inspect_ai`` entry point makes the tasks
runnable as ``inspect eval ehrmind_rewards/medcalc_bench --model …``.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Mapping
from typing import Any

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    ChatMessageSystem,
    ChatMessageUser,
    ContentReasoning,
)
from inspect_ai.scorer import (
    CORRECT,
    INCORRECT,
    NOANSWER,
    Metric,
    SampleScore,
    Score,
    Scorer,
    Target,
    accuracy,
    metric,
    scorer,
    stderr,
)
from inspect_ai.solver import TaskState, generate

from ehrmind_rewards.core import registry
from ehrmind_rewards.core.dispatch import grade_row, score_of
from ehrmind_rewards.core.rewards import get_spec
from ehrmind_rewards.core.task import TaskFamily
from schemas.reasons import Reason

__all__ = ["format_rate", "mean_reward", "samples_for", "scorer_for", "task_for"]

_MESSAGES: Mapping[str, type[ChatMessage]] = {
    "system": ChatMessageSystem,
    "user": ChatMessageUser,
    "assistant": ChatMessageAssistant,
}


def _metadata_mean(key: str, scores: list[SampleScore]) -> float:
    values = [
        float(s.score.metadata[key])
        for s in scores
        if s.score.metadata and s.score.metadata.get(key) is not None
    ]
    return sum(values) / len(values) if values else 0.0


@metric
def mean_reward() -> Metric:
    """The mean reward under the scorer's spec, over samples with a gradeable record."""

    def compute(scores: list[SampleScore]) -> float:
        return _metadata_mean("reward", scores)

    return compute


@metric
def format_rate() -> Metric:
    """The share of outputs whose envelope and payload are valid."""

    def compute(scores: list[SampleScore]) -> float:
        return _metadata_mean("format_ok", scores)

    return compute


def _completion(state: TaskState) -> object:
    """The model's last output as the verifiers read it (text, or text + split-off reasoning)."""
    message = state.output.message if state.output.choices else None
    if message is None:
        return state.output.completion
    text = message.text
    reasoning = (
        "".join(part.reasoning for part in message.content if isinstance(part, ContentReasoning))
        if isinstance(message.content, list)
        else ""
    )
    if reasoning and "</think>" not in text:
        return [{"role": "assistant", "content": text, "reasoning_content": reasoning}]
    return text


def _score(family: TaskFamily, spec: str, state: TaskState) -> Score:
    record = state.metadata.get("record", {})
    verdict = grade_row(family.name, _completion(state), record, get_spec(spec))
    if verdict is None:
        return Score(
            value=NOANSWER,
            explanation=f"the sample's record is not a {family.title} record",
            metadata={"reason": "unhandled_record", "reward": None, "format_ok": False},
        )
    unusable = verdict.reason is Reason.BAD_RECORD
    return Score(
        value=NOANSWER if unusable else (CORRECT if verdict.correct else INCORRECT),
        answer=verdict.parsed,
        explanation=verdict.reason.value + (f": {verdict.detail}" if verdict.detail else ""),
        metadata={
            "reason": verdict.reason.value,
            "components": verdict.components,
            "reward": score_of(verdict),
            "format_ok": verdict.format_ok,
            "correct": verdict.correct,
            "detail": verdict.detail,
        },
    )


def scorer_for(task: str, spec: str = "ehrmind") -> Scorer:
    """The Inspect scorer of task family ``task`` under reward spec ``spec``."""
    return _scorers[registry.get(task).name](spec=spec)


def _make_scorer(family: TaskFamily) -> Callable[..., Scorer]:
    def factory(spec: str = "ehrmind") -> Scorer:
        get_spec(spec)  # an unknown name fails here, listing the known ones

        async def score(state: TaskState, target: Target) -> Score:
            return _score(family, spec, state)

        return score

    name = f"{family.name}_scorer"
    factory.__name__ = factory.__qualname__ = name
    factory.__doc__ = (
        f"Grade outputs with the {family.title} verifier under reward spec ``spec`` (see the "
        "module docstring for the score, its metadata and metrics)."
    )
    decorated: Callable[..., Scorer] = scorer(
        metrics=[accuracy(), stderr(), mean_reward(), format_rate()], name=name
    )(factory)
    return decorated


def _messages(prompt: object) -> list[ChatMessage]:
    if isinstance(prompt, str):
        return [ChatMessageUser(content=prompt)]
    if not isinstance(prompt, list):
        raise TypeError(f"a row's prompt must be text or messages, not {type(prompt).__name__}")
    return [_MESSAGES[m["role"]](content=m["content"]) for m in prompt]


def samples_for(family: TaskFamily, rows: list[dict[str, Any]]) -> list[Sample]:
    """Inspect samples of benchmark rows: the prompt as messages, the record in the metadata
    (``record``), the label columns as the target text."""
    samples = []
    for row in rows:
        record = {k: v for k, v in row.items() if k != "prompt"}
        labels = {k: record[k] for k in family.label_fields if k in record}
        samples.append(
            Sample(
                input=_messages(row["prompt"]),
                target=json.dumps(labels, ensure_ascii=False, default=str),
                id=str(row["id"]),
                metadata={"record": record},
            )
        )
    return samples


def task_for(task: str, *args: Any, spec: str = "ehrmind", **options: Any) -> Task:
    """The Inspect task of family ``task``: ``args`` and ``options`` go to its
    :meth:`~ehrmind_rewards.core.task.TaskFamily.benchmark_rows`."""
    family = registry.get(task)
    rows = family.benchmark_rows(*args, **options)
    name = family.benchmark_name or family.name
    return Task(
        dataset=MemoryDataset(samples_for(family, rows), name=name),
        solver=generate(),
        scorer=scorer_for(family.name, spec),
        name=name,
    )


def _make_task(family: TaskFamily, name: str) -> Callable[..., Task]:
    def factory(*args: Any, spec: str = "ehrmind", **options: Any) -> Task:
        return task_for(family.name, *args, spec=spec, **options)

    rows_signature = inspect.signature(family.benchmark_rows)
    spec_parameter = inspect.Parameter("spec", inspect.Parameter.KEYWORD_ONLY, default="ehrmind")
    factory.__signature__ = rows_signature.replace(  # type: ignore[attr-defined]
        parameters=[*rows_signature.parameters.values(), spec_parameter],
        return_annotation=Task,
    )
    factory.__name__ = factory.__qualname__ = name
    factory.__doc__ = (
        f"{family.title} as an Inspect task; the parameters are those of the family's "
        f"benchmark loader:\n\n{inspect.getdoc(family.benchmark_rows) or ''}"
    )
    decorated: Callable[..., Task] = task(name=name)(factory)
    return decorated


_scorers: dict[str, Callable[..., Scorer]] = {}
_tasks: dict[str, Callable[..., Task]] = {}

for _family in registry.families():
    _scorers[_family.name] = globals()[f"{_family.name}_scorer"] = _make_scorer(_family)
    if _family.benchmark_name is not None:
        _tasks[_family.name] = globals()[_family.benchmark_name] = _make_task(
            _family, _family.benchmark_name
        )
        __all__.append(_family.benchmark_name)
    __all__.append(f"{_family.name}_scorer")


def __getattr__(name: str) -> Any:
    """Scorers and tasks are made from the registry at import (see the module docstring)."""
    raise AttributeError(
        f"module {__name__!r} has no attribute {name!r}; it defines {', '.join(sorted(__all__))} "
        "(a scorer and a task per registered task family)"
    )
