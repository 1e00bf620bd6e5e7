"""A ``verifiers`` environment (Prime Intellect, ``verifiers.v1``) for every task family (extra
``verifiers``).

:class:`EHRMindTaskset` is a native ``vf.Taskset``: its tasks are the family's
:meth:`~ehrmind_rewards.core.task.TaskFamily.benchmark_rows` (``benchmark`` names the family,
``options`` are the loader's keyword arguments), and each :class:`EHRMindTask` owns two weighted
rewards that add up to this project's reward:

* ``format`` — the reward spec's format component: under ``ehrmind``, −2 for a broken envelope or
  payload, +0.1 with a correct answer, 0 otherwise;
* ``correctness`` — the spec's correctness component: 1 for a correct answer (times the row's
  class weight on EHRSHOT), 0 otherwise;

both with weight 1, so the episode reward equals EHRMind's −2 / 0 / 1.1. Metrics ``format_ok``
and ``correct`` (0/1) ride along. Completions are read by this project's envelope parser; a
model that returns its reasoning separately (``reasoning_content``) is read as if it were the
think block. Tasks are single-turn.

:func:`load_environment` wraps the taskset in ``vf.Env`` (the single-agent env) with the
tool-less ``null`` chat harness in a local subprocess runtime: the model is called through the
endpoint the run configures (``--client.base-url``), and no model output is executed. The
taskset's id for verifiers' command line is :data:`TASKSET_ID`, a top-level module that exports
it::

    vf-eval ehrmind_rewards_verifiers --env.taskset.benchmark medcalc \\
        --env.agent.harness.id null --env.agent.runtime.type subprocess --model MODEL
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import verifiers.v1 as vf
from pydantic import Field
from verifiers.v1.runtimes import SubprocessConfig
from verifiers.v1.utils.loaders import harness_config_type

from ehrmind_rewards.core import registry
from ehrmind_rewards.core.dispatch import grade_row
from ehrmind_rewards.core.rewards import get_spec
from schemas.verdict import Verdict

__all__ = [
    "TASKSET_ID",
    "EHRMindData",
    "EHRMindTask",
    "EHRMindTaskConfig",
    "EHRMindTaskset",
    "EHRMindTasksetConfig",
    "load_environment",
]

TASKSET_ID = "ehrmind_rewards_verifiers"
"""The id verifiers imports the taskset by (a top-level module: ids name modules, not paths)."""

DEFAULT_HARNESS = "null"
"""The tool-less chat harness: one model call per turn, nothing executed."""


class EHRMindData(vf.TaskData):
    """One benchmark row: the chat prompt plus the record the verifier grades against."""

    family: str
    """The task family that grades this row."""
    record: dict[str, Any]
    """The row's columns except the prompt (labels, ids)."""


class EHRMindTaskConfig(vf.TaskConfig):
    """Per-task settings: the reward spec (``ehrmind``, ``binary``, ``graded``, …)."""

    spec: str = "ehrmind"


def completion_of(trace: vf.Trace) -> object:
    """The model's last reply as the verifiers read it (text, or text + split-off reasoning)."""
    replies = trace.assistant_messages
    if not replies:
        return trace.last_reply
    last = replies[-1]
    text = last.content or ""
    if last.reasoning_content and "</think>" not in text:
        return [{"role": "assistant", "content": text, "reasoning_content": last.reasoning_content}]
    return text


class EHRMindTask(vf.Task[EHRMindData, vf.State, EHRMindTaskConfig]):
    """One row: single-turn, graded by the family's verifier (see the module docstring)."""

    def verdict(self, trace: vf.Trace) -> Verdict:
        """The verifier's verdict on the trace's last reply under the configured spec."""
        verdict = grade_row(
            self.data.family, completion_of(trace), self.data.record, get_spec(self.config.spec)
        )
        if verdict is None:  # rows come from the family's own loader
            raise ValueError(f"the {self.data.family} verifier does not handle this row")
        return verdict

    @vf.stop
    async def single_turn(self, trace: vf.Trace) -> bool:
        return trace.num_turns >= 1

    @vf.reward(weight=1.0)
    async def format(self, trace: vf.Trace) -> float:
        return self.verdict(trace).components["format"]

    @vf.reward(weight=1.0)
    async def correctness(self, trace: vf.Trace) -> float:
        return self.verdict(trace).components["correctness"]

    @vf.metric
    async def format_ok(self, trace: vf.Trace) -> float:
        return float(self.verdict(trace).format_ok)

    @vf.metric
    async def correct(self, trace: vf.Trace) -> float:
        return float(self.verdict(trace).correct is True)


class EHRMindTasksetConfig(vf.TasksetConfig):
    """Which family's benchmark, read with which loader options."""

    benchmark: str = registry.DEFAULT_TASK
    """A registered task family (:func:`ehrmind_rewards.core.registry.names`)."""
    options: dict[str, Any] = Field(default_factory=dict)
    """Keyword arguments of the family's ``benchmark_rows`` (paths, ``limit``, sampling)."""
    task: EHRMindTaskConfig = EHRMindTaskConfig()


class EHRMindTaskset(vf.Taskset[EHRMindTask, EHRMindTasksetConfig]):
    """The benchmark rows of one task family as ``verifiers`` tasks."""

    def load(self) -> Iterator[EHRMindTask]:
        family = registry.get(self.config.benchmark)
        for row in family.benchmark_rows(**self.config.options):
            record = {k: v for k, v in row.items() if k != "prompt"}
            data = EHRMindData(
                id=str(row["id"]),
                prompt=row["prompt"],
                family=family.name,
                record=record,
            )
            yield EHRMindTask(data, self.config.task)


def load_environment(
    task: str = registry.DEFAULT_TASK,
    *,
    spec: str = "ehrmind",
    harness: str = DEFAULT_HARNESS,
    **options: Any,
) -> vf.Env[Any]:
    """The ``verifiers`` environment of task family ``task``.

    ``options`` go to the family's ``benchmark_rows`` (MedCalc: ``path``, ``limit``; trials:
    ``topics``, ``qrels``, ``trials``…; EHRSHOT: ``path``, ``tasks``, ``split``…). The env's
    ``config`` is what verifiers' evaluation entry point takes (``EvalConfig(env=…)``).
    """
    registry.get(task)
    get_spec(spec)
    taskset = EHRMindTasksetConfig(
        id=TASKSET_ID, benchmark=task, options=options, task=EHRMindTaskConfig(spec=spec)
    )
    agent = vf.AgentConfig(
        harness=harness_config_type(harness).model_validate({"id": harness}),
        runtime=SubprocessConfig(),
    )
    config = vf.SingleAgentEnvConfig(taskset=taskset, agent=agent)
    return vf.SingleAgentEnv(config)
