"""TREC Clinical Trials patient–trial matching: verifier, TrialGPT, readers, prompts, datasets.

Modules: :mod:`.verifier` (the reward), :mod:`.definitions` (what the three labels mean, from the
TREC guidelines), :mod:`.trialgpt` (criterion-level grading and TrialGPT's ranking),
:mod:`.structured` (the age / sex / healthy-volunteer pre-check), :mod:`.topics` (every year's
topics, 2023 questionnaires included), :mod:`.qrels`, :mod:`.ctgov` (ClinicalTrials.gov records),
:mod:`.irds` (``ir_datasets``), :mod:`.prompts`, :mod:`.dataset` (TRL rows), :mod:`.analysis`
(grading's error analysis) and :mod:`.cli` (``eval-run``).
"""

from ehrmind_rewards.tasks.trials.family import TrialsFamily
from ehrmind_rewards.tasks.trials.qrels import load_qrels
from ehrmind_rewards.tasks.trials.structured import (
    FieldCheck,
    FieldStatus,
    StructuredEligibility,
    structured_eligibility,
)
from ehrmind_rewards.tasks.trials.topics import load_topics

FAMILY = TrialsFamily()
"""The family the registry loads for the name ``"trials"``."""

__all__ = [
    "FAMILY",
    "FieldCheck",
    "FieldStatus",
    "StructuredEligibility",
    "TrialsFamily",
    "load_qrels",
    "load_topics",
    "structured_eligibility",
]
