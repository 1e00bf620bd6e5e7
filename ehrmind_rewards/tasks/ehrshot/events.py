"""One patient's events in columnar form, and time helpers (integer microseconds since 1970).

Times are ``int64`` microseconds since 1970-01-01 (naive, as EHRSHOT's shifted timestamps are);
static events (no time, e.g. gender in MEDS) carry :data:`STATIC_TIME`, which sorts first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray

STATIC_TIME = np.iinfo(np.int64).min
"""Time of a static (untimed) event; also the "no end" marker of :attr:`Patient.end`."""
NO_VISIT = -1

SECOND_US = 1_000_000
MINUTE_US = 60 * SECOND_US
HOUR_US = 60 * MINUTE_US
DAY_US = 24 * HOUR_US
_EPOCH = datetime(1970, 1, 1)

ICU_CODE = "CARE_SITE/7928450"
"""The ICU care site the synthetic generator records (one of EHRSHOT's 25 ICU care sites,
``labelers/omop.py:31-59``), in a ``visit_detail`` event."""
BIRTH_CODES = frozenset({"MEDS_BIRTH", "SNOMED/3950001"})
CHEXPERT_REPORT_CODE = "SYNTHETIC/CHEXPERT_REPORT"
"""Synthetic-only note event whose ``text_value`` holds the 14 CheXpert bits ("0"/"1" each)."""


def to_us(moment: datetime) -> int:
    """Microseconds since 1970-01-01 of a naive datetime."""
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_us(us: int) -> datetime:
    """The naive datetime of a microsecond timestamp."""
    return _EPOCH + timedelta(microseconds=int(us))


def end_of_day(us: int) -> int:
    """23:59:59 on the day of ``us``: EHRSHOT's ``move_datetime_to_end_of_day``
    (``labelers/omop.py:62-63``), the prediction time of the admission and discharge tasks.

    >>> from_us(end_of_day(to_us(datetime(2012, 3, 4, 8, 30)))).isoformat()
    '2012-03-04T23:59:59'
    """
    return (int(us) // DAY_US) * DAY_US + 23 * HOUR_US + 59 * MINUTE_US + 59 * SECOND_US


def floor_minute(us: int) -> int:
    """``us`` with seconds and microseconds dropped, as EHRSHOT writes label times
    (``2_generate_labels.py:219-222``: minute resolution "for FEMR compatibility").

    >>> from_us(floor_minute(end_of_day(0))).isoformat()
    '1970-01-01T23:59:00'
    """
    return (int(us) // MINUTE_US) * MINUTE_US


def day_of(us: int) -> int:
    """Midnight of the day of ``us`` (what EHRSHOT's ``.replace(hour=0, minute=0, …)`` gives)."""
    return (int(us) // DAY_US) * DAY_US


@dataclass(frozen=True, slots=True, eq=False)
class Patient:
    """All events of one patient, sorted by time (static events first), one array per column."""

    subject_id: int
    time: NDArray[np.int64]
    code: NDArray[np.object_]
    numeric_value: NDArray[np.float64]
    """NaN where the event has no number."""
    text_value: NDArray[np.object_]
    unit: NDArray[np.object_]
    omop_table: NDArray[np.object_]
    visit_id: NDArray[np.int64]
    """:data:`NO_VISIT` where the event belongs to no visit."""
    end: NDArray[np.int64]
    """End time of visits and stays; :data:`STATIC_TIME` where none."""

    def __len__(self) -> int:
        return int(self.time.size)

    def sorted(self) -> Patient:
        """The same events in stable time order."""
        order = np.argsort(self.time, kind="stable")
        return Patient(
            self.subject_id,
            *(column[order] for column in self.columns()),
        )

    def columns(self) -> tuple[NDArray[Any], ...]:
        """The event columns in field order (everything but ``subject_id``)."""
        return (
            self.time,
            self.code,
            self.numeric_value,
            self.text_value,
            self.unit,
            self.omop_table,
            self.visit_id,
            self.end,
        )


def make_patient(
    subject_id: int,
    time: list[int] | NDArray[np.int64],
    code: list[str],
    numeric_value: list[float] | NDArray[np.float64] | None = None,
    text_value: list[str | None] | None = None,
    unit: list[str | None] | None = None,
    omop_table: list[str | None] | None = None,
    visit_id: list[int] | NDArray[np.int64] | None = None,
    end: list[int] | NDArray[np.int64] | None = None,
) -> Patient:
    """Build a :class:`Patient` from column lists (missing columns are empty), sorted by time."""
    n = len(code)

    def objects(values: list[str | None] | None) -> NDArray[np.object_]:
        out = np.empty(n, dtype=object)
        if values is not None:
            out[:] = values
        return out

    patient = Patient(
        subject_id=int(subject_id),
        time=np.asarray(time, dtype=np.int64),
        code=objects(list(code)),
        numeric_value=(
            np.full(n, np.nan) if numeric_value is None else np.asarray(numeric_value, np.float64)
        ),
        text_value=objects(text_value),
        unit=objects(unit),
        omop_table=objects(omop_table),
        visit_id=(
            np.full(n, NO_VISIT, np.int64) if visit_id is None else np.asarray(visit_id, np.int64)
        ),
        end=np.full(n, STATIC_TIME, np.int64) if end is None else np.asarray(end, np.int64),
    )
    for name, column in zip(Patient.__slots__[1:], patient.columns(), strict=True):
        if column.shape != (n,):
            raise ValueError(f"column {name} has {column.shape[0]} values, code has {n}")
    return patient.sorted()
