"""A ``meds_reader`` database (``meds_reader_convert MEDS_DIR DB_DIR``), read with meds_reader.

For large datasets meds_reader gives fast random access to subjects; convert once, then pass the
database folder wherever a MEDS folder is accepted. The folder is detected by its
``meds_reader.version`` file. ``metadata/`` (which the converter copies) supplies codes and splits
as in :mod:`.meds`; labels are read from ``labels/`` in the folder when present (copy them there
or derive them with ``ehrmind-rewards ehrshot label``). Needs ``pip install meds_reader``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from ehrmind_rewards.tasks.ehrshot.events import NO_VISIT, STATIC_TIME, Patient, make_patient, to_us
from ehrmind_rewards.tasks.ehrshot.io.common import EHRSHOTFormatError

VERSION_FILE = "meds_reader.version"


def is_meds_reader_db(root: str | Path) -> bool:
    """Whether ``root`` is a meds_reader database folder."""
    return Path(root, VERSION_FILE).is_file()


def _database(root: Path) -> Any:
    try:
        import meds_reader  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        raise EHRSHOTFormatError(
            f"{root}: a meds_reader database; reading it needs: pip install meds_reader"
        ) from None
    return meds_reader.SubjectDatabase(str(root), num_threads=1)


def _us(value: object) -> int:
    return STATIC_TIME if value is None else to_us(value)  # type: ignore[arg-type]


def _number(value: object) -> float:
    if value is None:
        return math.nan
    number = float(value)  # type: ignore[arg-type]
    return float(str(np.float32(number))) if math.isfinite(number) else math.nan


def iter_meds_reader_patients(root: str | Path) -> Iterator[Patient]:
    """Every subject of the database, in subject-id order, as a :class:`Patient`."""
    database = _database(Path(root))
    present = set(getattr(database, "properties", {}) or {})
    optional = [
        c
        for c in ("numeric_value", "text_value", "unit", "omop_table", "visit_id", "end")
        if c in present
    ]
    for sid in sorted(int(s) for s in database):
        columns: dict[str, list[Any]] = {name: [] for name in ("time", "code", *optional)}
        for event in database[sid].events:
            columns["time"].append(_us(event.time))
            columns["code"].append(str(event.code))
            for name in optional:
                columns[name].append(getattr(event, name, None))
        yield make_patient(
            sid,
            columns["time"],
            columns["code"],
            [_number(v) for v in columns["numeric_value"]] if "numeric_value" in columns else None,
            columns.get("text_value"),
            columns.get("unit"),
            columns.get("omop_table"),
            [NO_VISIT if v is None else int(v) for v in columns["visit_id"]]
            if "visit_id" in columns
            else None,
            [_us(v) for v in columns["end"]] if "end" in columns else None,
        )
