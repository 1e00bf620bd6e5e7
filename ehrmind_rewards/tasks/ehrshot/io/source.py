"""An EHRSHOT directory of any supported layout, detected by its files and read lazily.

Bring your own EHRSHOT copy (credentialed: a signed data-use agreement); this project ships none.
:func:`~ehrmind_rewards.tasks.ehrshot.synthetic.synthesize` writes a SYNTHETIC dataset for tests
and benchmarks. Layouts, one module each:

============  ====================================================  =========================
format        detected by                                            module
============  ====================================================  =========================
``release``   ``data/ehrshot.csv`` (or ``benchmark/`` + ``splits/``  :mod:`.release`
              ``person_id_map.csv``): the original EHRSHOT release
``meds``      ``data/**/*.parquet``: MEDS 0.3.x / 0.4.x,             :mod:`.meds`
              EHRSHOT's MEDS release included
``meds_reader``  ``meds_reader.version``: a meds_reader database      :mod:`.meds_reader_db`
``femr``      ``events.csv``: FEMR CSV                               :mod:`.femr`
============  ====================================================  =========================

Events stream one patient at a time: memory grows with the largest patient, not with the
dataset. Malformed files raise :class:`~ehrmind_rewards.tasks.ehrshot.io.common.EHRSHOTFormatError`
naming the file, the row or line, and the column. Schema differences that do not stop reading
(:mod:`.meds_schema`) are collected in :attr:`EHRSHOTSource.warnings`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ehrmind_rewards.tasks.ehrshot.benchmark import TASKS
from ehrmind_rewards.tasks.ehrshot.events import Patient
from ehrmind_rewards.tasks.ehrshot.io import femr, meds, meds_reader_db, release
from ehrmind_rewards.tasks.ehrshot.io.common import EHRSHOTFormatError
from ehrmind_rewards.tasks.ehrshot.labelers import Label

Format = Literal["release", "meds", "meds_reader", "femr"]


@dataclass(frozen=True, slots=True)
class EHRSHOTSource:
    """An EHRSHOT directory, read lazily (see the module docstring for the layouts)."""

    root: Path
    format: Format
    warnings: list[str] = field(default_factory=list, compare=False)
    """Schema differences found while reading (each once); read anyway."""

    def _warn(self, found: list[str]) -> None:
        for message in found:
            if message not in self.warnings:
                self.warnings.append(message)

    def patients(self) -> Iterator[Patient]:
        """Stream patients (one in memory at a time)."""
        if self.format == "meds":
            found: list[str] = []
            for patient in meds.iter_meds_patients(self.root, warnings=found):
                self._warn(found)
                found.clear()
                yield patient
            self._warn(found)
        elif self.format == "meds_reader":
            yield from meds_reader_db.iter_meds_reader_patients(self.root)
        elif self.format == "release":
            yield from release.iter_release_patients(self.root)
        else:
            yield from femr.iter_femr_patients(self.root)

    def labels(self, task: str) -> list[Label]:
        """All labels of one task, as the dataset ships them."""
        if self.format in ("meds", "meds_reader"):
            found: list[str] = []
            labels = meds.read_meds_labels(self.root, task, warnings=found)
            self._warn(found)
            return labels
        if self.format == "release":
            return release.read_release_labels(self.root, task)
        return femr.read_femr_labels(self.root, task)

    def codes(self) -> dict[str, str]:
        """Code → description (empty when the dataset has none)."""
        if self.format in ("meds", "meds_reader"):
            found: list[str] = []
            codes = meds.read_meds_codes(self.root, warnings=found)
            self._warn(found)
            return codes
        if self.format == "release":
            return {}
        return femr.read_femr_codes(self.root)

    def splits(self) -> dict[int, str]:
        """Subject → split name as the dataset spells it (empty when it has no split file)."""
        if self.format in ("meds", "meds_reader"):
            found: list[str] = []
            splits = meds.read_meds_splits(self.root, warnings=found)
            self._warn(found)
            return splits
        if self.format == "release":
            return release.read_release_splits(self.root)
        return femr.read_femr_splits(self.root)

    def tasks(self) -> list[str]:
        """The tasks with label files, in registry order."""
        if self.format in ("meds", "meds_reader"):
            return [t for t in TASKS if meds.label_files(self.root, t)]
        if self.format == "release":
            return release.release_tasks(self.root)
        return [t for t in TASKS if Path(self.root, "labels", t, femr.FEMR_LABELS).exists()]


def detect_format(root: str | Path) -> Format:
    """The layout of ``root`` by its files (see the module docstring), or a clear error."""
    path = Path(root)
    if release.is_release(path):
        return "release"
    if meds_reader_db.is_meds_reader_db(path):
        return "meds_reader"
    if meds.is_meds(path):
        return "meds"
    if (path / femr.FEMR_EVENTS).is_file():
        return "femr"
    if (path / "data").is_dir():
        raise EHRSHOTFormatError(f"{path / 'data'}: no *.parquet files (MEDS) and no ehrshot.csv")
    raise EHRSHOTFormatError(
        f"{path}: not an EHRSHOT directory: neither a MEDS directory (data/*.parquet), the "
        "original release (data/ehrshot.csv), a meds_reader database nor FEMR CSV (events.csv)"
    )


def open_ehrshot(root: str | Path) -> EHRSHOTSource:
    """The dataset at ``root``, its layout detected by :func:`detect_format`."""
    return EHRSHOTSource(Path(root), detect_format(root))
