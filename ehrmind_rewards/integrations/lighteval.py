"""lighteval task configs that run through lighteval's Inspect AI backend (``lighteval``).

lighteval 0.13 turns a ``LightevalTaskConfig`` with Inspect fields (``sample_fields``,
``solver``, ``scorer``) into an Inspect task over a Hugging Face Hub dataset
(``lighteval.main_inspect.get_inspect_ai_task``). :func:`task_config` builds that config for a
family whose benchmark is on the Hub (:attr:`~ehrmind_rewards.core.task.TaskFamily.hub_dataset`:
MedCalc-Bench, ``ncbi/MedCalc-Bench-v1.0``): each Hub record becomes the same Inspect sample as in
:mod:`ehrmind_rewards.integrations.inspect_ai`, scored by the family's scorer.

lighteval is not in an extra of this package: 0.13 pins ``latex2sympy2_extended==1.0.6`` while
``verifiers`` needs ``math-verify``, which needs 1.11, so the two cannot share an environment.
``lighteval eval`` 0.13 also ignores ``--custom-tasks`` on its Inspect path (its ``Registry`` is
built with ``custom_tasks=None``), so build the task in Python with ``get_inspect_ai_task``.
"""

from __future__ import annotations

from typing import Any

from inspect_ai.dataset import Sample
from inspect_ai.solver import generate
from lighteval.tasks.lighteval_task import LightevalTaskConfig
from lighteval.tasks.requests import Doc

from ehrmind_rewards.core import registry
from ehrmind_rewards.integrations.inspect_ai import samples_for, scorer_for

__all__ = ["task_config"]


def task_config(
    task: str = registry.DEFAULT_TASK,
    *,
    hf_repo: str | None = None,
    split: str = "test",
    revision: str | None = None,
    spec: str = "ehrmind",
) -> LightevalTaskConfig:
    """The lighteval config of family ``task`` over its Hub dataset (or ``hf_repo``: another id,
    or a local folder in the same layout)."""
    family = registry.get(task)
    repo = hf_repo or family.hub_dataset
    if repo is None:
        raise ValueError(f"task {task!r} has no Hugging Face Hub dataset; pass hf_repo")

    def sample_fields(record: dict[str, Any]) -> Sample:
        return samples_for(family, [family.hub_row(record)])[0]

    def prompt_function(line: dict[str, Any], task_name: str | None = None) -> Doc:
        sample = sample_fields(line)
        query = sample.input if isinstance(sample.input, str) else sample.input[-1].text
        target = sample.target if isinstance(sample.target, str) else sample.target[0]
        return Doc(task_name=task_name or "", query=query, choices=[target], gold_index=0)

    return LightevalTaskConfig(
        name=family.benchmark_name or family.name,
        prompt_function=prompt_function,
        hf_repo=repo,
        hf_subset="default",
        hf_revision=revision,
        hf_avail_splits=[split],
        evaluation_splits=[split],
        metrics=[],
        sample_fields=sample_fields,
        solver=[generate()],  # type: ignore[arg-type]
        scorer=scorer_for(family.name, spec),  # type: ignore[arg-type]
    )
