"""EHRSHOT's 15 prediction tasks: task registry, labeling rules, timelines, synthetic data, rows.

Light to import: only :mod:`ehrmind_rewards.ehrshot.tasks` is needed by the reward hot path; the
modules that read or write parquet import pyarrow inside their functions (extra ``ehrshot``).
EHRSHOT itself is credentialed data (arXiv 2307.02028); nothing here contains real records.
"""
