"""Evaluation and RL frameworks beyond the trainers: Inspect AI (extra ``inspect``; lighteval runs
its tasks too) and Prime Intellect's ``verifiers`` (extra ``verifiers``).

Each module imports its framework at the top, so importing one needs that extra; this package
itself imports nothing. Like every shared service, they know task families only through the
registry and the :class:`~ehrmind_rewards.core.task.TaskFamily` contract.
"""
