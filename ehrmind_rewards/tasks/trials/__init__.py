"""TREC Clinical Trials patient–trial matching: verifier, TrialGPT, readers, prompts, datasets.

Modules: :mod:`.verifier` (the reward), :mod:`.trialgpt` (criterion-level grading and ranking),
:mod:`.topics`, :mod:`.qrels`, :mod:`.ctgov` (ClinicalTrials.gov records), :mod:`.irds`
(``ir_datasets``), :mod:`.prompts`, :mod:`.dataset` (TRL rows) and :mod:`.cli` (``eval-run``).
"""

from ehrmind_rewards.tasks.trials.family import TrialsFamily
from ehrmind_rewards.tasks.trials.qrels import load_qrels
from ehrmind_rewards.tasks.trials.topics import load_topics

FAMILY = TrialsFamily()
"""The family the registry loads for the name ``"trials"``."""

__all__ = ["FAMILY", "TrialsFamily", "load_qrels", "load_topics"]
