"""Loaders under their earlier names, re-exported from their task families.

New code imports from :mod:`ehrmind_rewards.tasks.medcalc`, :mod:`ehrmind_rewards.tasks.trials` and
:mod:`ehrmind_rewards.tasks.ehrshot`; these modules keep the earlier import paths working.
"""
