"""Verifiers: pure functions from (completion, reference row, reward spec) to a Verdict.

Each task module exposes ``verify_row(completion, row, spec) -> Verdict``, where ``row`` holds the
task's dataset columns exactly as trainers pass them (MedCalc: ``calculator_id``, ``ground_truth``,
``lower_limit``, ``upper_limit``; trials: ``label`` and optionally ``idx``; EHRSHOT:
``ehrshot_task``, ``label``, optionally ``class_weight``). :data:`TASK_MODULES` names the module of
each task; it is imported on first use and registers its ``verify_row`` in :data:`VERIFIERS`. A task
whose module is not installed is simply unhandled (:func:`verifier_for` returns ``None``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeAlias

from ehrmind_rewards.rewards import RewardSpec
from schemas.verdict import Verdict

RowVerifier: TypeAlias = Callable[[object, Mapping[str, Any], RewardSpec], Verdict]

VERIFIERS: dict[str, RowVerifier] = {}
"""Task name → row verifier. Task modules add themselves here (see each module's bottom line)."""

TASK_MODULES: Final[dict[str, str]] = {
    "medcalc": "ehrmind_rewards.verifiers.medcalc",
    "trials": "ehrmind_rewards.verifiers.trials",
    "ehrshot": "ehrmind_rewards.verifiers.ehrshot",
}
"""Task name → module defining its ``verify_row``; imported lazily, on first use."""

_MISSING: set[str] = set()


def verifier_for(task: str) -> RowVerifier | None:
    """The row verifier of ``task``, importing its module on first use; ``None`` if unhandled."""
    verifier = VERIFIERS.get(task)
    if verifier is not None or task in _MISSING:
        return verifier
    module_name = TASK_MODULES.get(task)
    if module_name is None:
        return None
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        _MISSING.add(task)
        return None
    found: RowVerifier | None = VERIFIERS.get(task) or getattr(module, "verify_row", None)
    if found is not None:
        VERIFIERS[task] = found
    return found


def verify_row(
    task: str, completion: object, row: Mapping[str, Any], spec: RewardSpec
) -> Verdict | None:
    """Grade ``completion`` against ``row`` with ``task``'s verifier; ``None`` if unhandled."""
    verifier = verifier_for(task)
    return None if verifier is None else verifier(completion, row, spec)
