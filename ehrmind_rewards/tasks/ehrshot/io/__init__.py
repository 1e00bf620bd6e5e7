"""EHRSHOT's on-disk formats, one module each: MEDS (:mod:`.meds`), FEMR CSV (:mod:`.femr`).

:func:`open_ehrshot` detects the layout of a directory by its files.
"""

from ehrmind_rewards.tasks.ehrshot.io.common import EHRSHOTFormatError
from ehrmind_rewards.tasks.ehrshot.io.source import EHRSHOTSource, open_ehrshot

__all__ = ["EHRSHOTFormatError", "EHRSHOTSource", "open_ehrshot"]
