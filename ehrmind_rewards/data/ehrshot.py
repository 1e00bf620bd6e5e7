"""EHRSHOT data under its earlier path (see :mod:`ehrmind_rewards.tasks.ehrshot.io`)."""

from ehrmind_rewards.tasks.ehrshot.io import EHRSHOTFormatError, EHRSHOTSource, open_ehrshot
from ehrmind_rewards.tasks.ehrshot.synthetic import synthesize

__all__ = ["EHRSHOTFormatError", "EHRSHOTSource", "open_ehrshot", "synthesize"]
