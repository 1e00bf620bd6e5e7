"""Trainer adapters: each translates one calling convention to :func:`grade_row` and back.

They hold no grading logic: ``adapters.trl.TaskReward`` (TRL ``reward_funcs``),
``adapters.verl.compute_score``, ``adapters.openrlhf.reward_func`` and ``adapters.plain.grade``.
"""

from ehrmind_rewards.adapters.core import grade_row, task_of

__all__ = ["grade_row", "task_of"]
