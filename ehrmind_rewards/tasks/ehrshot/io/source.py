"""An EHRSHOT directory of either layout, detected by its files and read lazily.

Bring your own EHRSHOT copy (credentialed: a signed data-use agreement); this project ships none.
:func:`~ehrmind_rewards.tasks.ehrshot.synthetic.synthesize` writes a SYNTHETIC dataset in the same
layouts for tests and benchmarks. The layouts are described in :mod:`.meds` and :mod:`.femr`.

Events stream one patient at a time (parquet batches, CSV lines): memory grows with the largest
patient, not with the dataset. Each patient's events must be contiguous in its file (MEDS and
FEMR exports are sorted by subject); anything else, and any malformed value, raises
:class:`~ehrmind_rewards.tasks.ehrshot.io.common.EHRSHOTFormatError` naming the file, the row or
line, and the column.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ehrmind_rewards.tasks.ehrshot.benchmark import TASKS
from ehrmind_rewards.tasks.ehrshot.events import Patient
from ehrmind_rewards.tasks.ehrshot.io.common import EHRSHOTFormatError
from ehrmind_rewards.tasks.ehrshot.io.femr import (
    FEMR_EVENTS,
    FEMR_LABELS,
    iter_femr_patients,
    read_femr_codes,
    read_femr_labels,
    read_femr_splits,
)
from ehrmind_rewards.tasks.ehrshot.io.meds import (
    iter_meds_patients,
    read_meds_codes,
    read_meds_labels,
    read_meds_splits,
)
from ehrmind_rewards.tasks.ehrshot.labelers import Label

# --- a dataset of either format ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EHRSHOTSource:
    """An EHRSHOT directory in MEDS or FEMR-CSV layout, read lazily."""

    root: Path
    format: Literal["meds", "femr"]

    def patients(self) -> Iterator[Patient]:
        """Stream patients (one in memory at a time)."""
        if self.format == "meds":
            return iter_meds_patients(self.root)
        return iter_femr_patients(self.root)

    def labels(self, task: str) -> list[Label]:
        """All labels of one task."""
        if self.format == "meds":
            return read_meds_labels(self.root, task)
        return read_femr_labels(self.root, task)

    def codes(self) -> dict[str, str]:
        """Code → description (empty when the dataset has none)."""
        return read_meds_codes(self.root) if self.format == "meds" else read_femr_codes(self.root)

    def splits(self) -> dict[int, str]:
        """Subject → split (empty when the dataset has none)."""
        if self.format == "meds":
            return read_meds_splits(self.root)
        return read_femr_splits(self.root)

    def tasks(self) -> list[str]:
        """The tasks with a label file, in registry order."""
        name = "labels.parquet" if self.format == "meds" else FEMR_LABELS
        return [t for t in TASKS if Path(self.root, "labels", t, name).exists()]


def open_ehrshot(root: str | Path) -> EHRSHOTSource:
    """Detect the layout of ``root`` (``data/`` → MEDS, ``events.csv`` → FEMR-CSV)."""
    path = Path(root)
    if (path / "data").is_dir():
        return EHRSHOTSource(path, "meds")
    if (path / FEMR_EVENTS).is_file():
        return EHRSHOTSource(path, "femr")
    raise EHRSHOTFormatError(f"{path}: neither a MEDS directory (data/) nor FEMR CSV (events.csv)")
