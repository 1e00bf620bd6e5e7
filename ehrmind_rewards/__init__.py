"""ehrmind-rewards: verifiers and RLVR rewards for clinical reasoning tasks.

The names most users need:

* :data:`reward_fn` — TRL reward function for every task (dispatch on the ``task`` column);
* :data:`medcalc_reward` — TRL reward function for MedCalc rows only;
* :data:`trial_reward` — TRL reward function for trial-matching rows only;
* :data:`ehrshot_reward` — TRL reward function for EHRSHOT rows only;
* :func:`grade` — grade one completion against one record, returning a :class:`~schemas.Verdict`;
* :class:`TaskReward` — build a reward function for one task and reward spec;
* :mod:`ehrmind_rewards.tasks` — the task registry (``tasks.names()``, ``tasks.get(name)``,
  ``tasks.register(family)``);
* :func:`ungraded_counts` — rows the rewards could not grade in this process, by kind (each
  cause is also logged once, with its fix);
* :class:`EhrmindError` — the root of every error this package raises on purpose.
"""

from ehrmind_rewards.adapters.plain import grade
from ehrmind_rewards.adapters.trl import TaskReward
from ehrmind_rewards.core.dispatch import ungraded_counts
from ehrmind_rewards.core.errors import EhrmindError, UngradedError
from ehrmind_rewards.core.rewards import BINARY, EHRMIND, GRADED, SPECS, RewardSpec, get_spec

__version__ = "0.1.0"

reward_fn = TaskReward(None, name="reward_fn")
"""TRL reward for all tasks: dispatches on each row's ``task`` column (else the family that
recognizes the row: MedCalc for rows with a ``calculator_id``)."""

medcalc_reward = TaskReward("medcalc")
"""TRL reward for MedCalc rows only (``None`` for rows of other tasks)."""

trial_reward = TaskReward("trials", name="trial_reward")
"""TRL reward for trial-matching rows only (columns ``label``, optionally ``idx``)."""

ehrshot_reward = TaskReward("ehrshot")
"""TRL reward for EHRSHOT rows only (``ehrshot_task``, ``label``, optional ``class_weight``)."""

__all__ = [
    "BINARY",
    "EHRMIND",
    "GRADED",
    "SPECS",
    "EhrmindError",
    "RewardSpec",
    "TaskReward",
    "UngradedError",
    "__version__",
    "ehrshot_reward",
    "get_spec",
    "grade",
    "medcalc_reward",
    "reward_fn",
    "trial_reward",
    "ungraded_counts",
]
