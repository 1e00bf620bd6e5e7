"""Contracts shared by every part of ehrmind-rewards: records, answer payloads, verdicts.

This package depends on pydantic only and imports nothing else of the project.
"""

from schemas.answers import EHRSHOTAnswer, MedCalcAnswer, TrialAnswer
from schemas.reasons import Reason
from schemas.records import MedCalcRecord
from schemas.verdict import Verdict

__all__ = [
    "EHRSHOTAnswer",
    "MedCalcAnswer",
    "MedCalcRecord",
    "Reason",
    "TrialAnswer",
    "Verdict",
]
