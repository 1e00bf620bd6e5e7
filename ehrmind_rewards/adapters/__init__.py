"""Trainer adapters: each translates one calling convention to
:func:`~ehrmind_rewards.core.dispatch.grade_row` and back.

They hold no grading logic: ``adapters.trl.TaskReward`` (TRL ``reward_funcs``),
``adapters.verl.compute_score``, ``adapters.openrlhf.reward_func`` and ``adapters.plain.grade``.
"""
