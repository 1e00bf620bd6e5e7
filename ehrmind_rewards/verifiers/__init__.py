"""Verifiers: pure functions from (completion, reference row, reward spec) to a Verdict.

Each task module exposes ``verify_row(completion, row, spec) -> Verdict``, where ``row`` holds the
task's dataset columns exactly as trainers pass them (MedCalc: ``calculator_id``, ``ground_truth``,
``lower_limit``, ``upper_limit``; trials: ``label`` and optionally ``idx``; EHRSHOT:
``ehrshot_task``, ``label``, optionally ``class_weight``). :data:`VERIFIERS` maps a task name to its
``verify_row``; adapters dispatch on the row's ``task`` column through :func:`verify_row`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

from ehrmind_rewards.rewards import RewardSpec
from schemas.verdict import Verdict

RowVerifier: TypeAlias = Callable[[object, Mapping[str, Any], RewardSpec], Verdict]

VERIFIERS: dict[str, RowVerifier] = {}
"""Task name → row verifier. Task modules add themselves here (see each module's bottom line)."""
