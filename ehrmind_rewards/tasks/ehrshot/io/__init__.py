"""EHRSHOT's on-disk formats, one module each: MEDS (:mod:`.meds`, checked against the ``meds``
package by :mod:`.meds_schema`, written by :mod:`.meds_writer`), a meds_reader database
(:mod:`.meds_reader_db`), the original EHRSHOT release (:mod:`.release`) and FEMR CSV
(:mod:`.femr`).

:func:`open_ehrshot` detects the layout of a directory by its files (:mod:`.source`).
"""

from ehrmind_rewards.tasks.ehrshot.io.common import EHRSHOTFormatError
from ehrmind_rewards.tasks.ehrshot.io.source import EHRSHOTSource, detect_format, open_ehrshot

__all__ = ["EHRSHOTFormatError", "EHRSHOTSource", "detect_format", "open_ehrshot"]
