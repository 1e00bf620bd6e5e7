"""MedCalc-Bench: verifier, records, prompts, SFT text, grading extras and benchmark forensics.

Modules: :mod:`.verifier` (the reward), :mod:`.records` (the CSV reader and the one column map),
:mod:`.prompts`, :mod:`.sft` (``explain``), :mod:`.official` and :mod:`.grading` (the benchmark's
own windows), :mod:`.analysis` (why an answer is wrong), :mod:`.training` (config formats),
:mod:`.cli` (``relabel``, ``explain``) and :mod:`.bench` (relabelling, v1.0 bug emulations,
errata).
"""

from ehrmind_rewards.tasks.medcalc.family import MedCalcFamily

FAMILY = MedCalcFamily()
"""The family the registry loads for the name ``"medcalc"``."""

__all__ = ["FAMILY", "MedCalcFamily"]
