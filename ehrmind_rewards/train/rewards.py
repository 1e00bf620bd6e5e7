"""The reward functions a GRPO run uses: ``reward_fn`` plus its logged components.

TRL logs ``rewards/<name>/mean`` and ``/std`` for every reward function it is given, and sums them
with ``reward_weights``. The run therefore gets three functions with weights ``[1, 0, 0]``:
the package's ``reward_fn`` (the only one that shapes the advantage) and two zero-weight
:class:`VerdictComponent` functions, ``format_reward`` and ``correctness_reward``, that report the
verdict's components so the logs show whether a run is learning the format or the answers.

Components come from the same verifiers (``ehrmind_rewards.verifiers.VERIFIERS``, dispatching on the
row's ``task`` column) under the run's reward spec; rows of a task with no verifier give ``None``,
which TRL leaves out of the mean. They are plain picklable objects with a ``__name__``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ehrmind_rewards.rewards import get_spec
from ehrmind_rewards.verifiers import VERIFIERS

COMPONENTS = ("format", "correctness")

_TRAINER_KWARGS = frozenset({"trainer_state", "log_extra", "log_metric", "environments"})


def column_rows(n: int, columns: Mapping[str, Any]) -> list[dict[str, Any]]:
    """TRL's per-column lists (one value per completion) as one mapping per completion."""
    data = {k: v for k, v in columns.items() if k not in _TRAINER_KWARGS and isinstance(v, list)}
    return [{key: values[i] for key, values in data.items()} for i in range(n)]


class VerdictComponent:
    """A reward function whose value is one named component of the verifier's verdict."""

    def __init__(self, component: str, spec: str = "ehrmind") -> None:
        self.component = component
        self.spec = spec
        self.__name__ = f"{component}_reward"

    def __call__(
        self,
        prompts: Sequence[object] | None = None,
        completions: Sequence[object] | None = None,
        **columns: Any,
    ) -> list[float | None]:
        completions = completions or []
        spec = get_spec(self.spec)
        scores: list[float | None] = []
        for completion, row in zip(completions, column_rows(len(completions), columns), strict=True):
            verifier = VERIFIERS.get(str(row.get("task")))
            if verifier is None:
                scores.append(None)
                continue
            scores.append(verifier(completion, row, spec).components.get(self.component))
        return scores


def reward_functions(spec: str = "ehrmind") -> tuple[list[Callable[..., Any]], list[float]]:
    """The run's reward functions and their TRL ``reward_weights``: ``reward_fn`` first."""
    try:
        from ehrmind_rewards import reward_fn
    except ImportError:  # TEMPORARY: until the core's reward_fn lands on main
        reward_fn = _TemporaryScore(spec)
    components = [VerdictComponent(name, spec) for name in COMPONENTS]
    return [reward_fn, *components], [1.0] + [0.0] * len(components)


class _TemporaryScore(VerdictComponent):
    """TEMPORARY stand-in for ``ehrmind_rewards.reward_fn`` (the verdict's score)."""

    def __init__(self, spec: str) -> None:
        super().__init__("score", spec)
        self.__name__ = "reward_fn"

    def __call__(self, prompts=None, completions=None, **columns):  # type: ignore[no-untyped-def]
        completions = completions or []
        spec = get_spec(self.spec)
        out: list[float | None] = []
        for completion, row in zip(completions, column_rows(len(completions), columns), strict=True):
            verifier = VERIFIERS.get(str(row.get("task")))
            out.append(None if verifier is None else verifier(completion, row, spec).score)
        return out
