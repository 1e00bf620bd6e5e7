"""EHRSHOT's 15 prediction tasks: verifier, task definitions, labelers, timelines, data, rows.

Light to import: the reward hot path needs only :mod:`.benchmark` and :mod:`.verifier`; the
modules that read or write parquet import pyarrow inside their functions (extra ``ehrshot``).
EHRSHOT itself is credentialed data (arXiv 2307.02028); nothing here contains real records.
On-disk formats live in :mod:`.io`, one module each (MEDS, meds_reader, the original release,
FEMR CSV); EHRSHOT's labeling rules in :mod:`.labelers` with their code sets (:mod:`.code_sets`,
:mod:`.ontology`); EHRMind's own answer reading in :mod:`.ehrmind_compat`.
"""

from ehrmind_rewards.tasks.ehrshot.family import EHRSHOTFamily

FAMILY = EHRSHOTFamily()
"""The family the registry loads for the name ``"ehrshot"``."""

__all__ = ["FAMILY", "EHRSHOTFamily"]
