"""TREC Clinical Trials loaders under their earlier path (see ``ehrmind_rewards.tasks.trials``)."""

from ehrmind_rewards.tasks.trials.ctgov import TrialDirectory, parse_trials, read_trial
from ehrmind_rewards.tasks.trials.errors import TrialDataError
from ehrmind_rewards.tasks.trials.irds import (
    ir_datasets_qrels,
    ir_datasets_topics,
    ir_datasets_trials,
)
from ehrmind_rewards.tasks.trials.qrels import load_qrels
from ehrmind_rewards.tasks.trials.topics import load_topics

__all__ = [
    "TrialDataError",
    "TrialDirectory",
    "ir_datasets_qrels",
    "ir_datasets_topics",
    "ir_datasets_trials",
    "load_qrels",
    "load_topics",
    "parse_trials",
    "read_trial",
]
