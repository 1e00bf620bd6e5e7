"""Vital signs and blood gases that several scores read, declared once so that their dataset
keys, units and physiological bounds agree across every score.

Each function returns a criteria-table :class:`~calculators.criteria.Input`; a score passes only
what is its own: whether the value may be missing (``default``) and the convention it then
follows (``default_note``), e.g. "not documented, assumed < 100 beats/min".
"""

from __future__ import annotations

from typing import Any

from calculators.criteria import REQUIRED, Input, quantity


def heart_rate(*, default: Any = REQUIRED, default_note: str = "") -> Input:
    """Heart rate in beats/min, 0–300 (0 admits asystole documented in a note)."""
    return quantity(
        "heart_rate",
        "Heart rate",
        "Heart Rate or Pulse",
        unit="beats/min",
        dimension="rate_per_min",
        bounds=(0.0, 300.0),
        default=default,
        default_note=default_note,
    )


def respiratory_rate(*, default: Any = REQUIRED, default_note: str = "") -> Input:
    """Respiratory rate in breaths/min, 0–100."""
    return quantity(
        "respiratory_rate",
        "Respiratory rate",
        "respiratory rate",
        unit="breaths/min",
        dimension="rate_per_min",
        bounds=(0.0, 100.0),
        default=default,
        default_note=default_note,
    )


def systolic_bp(*, default: Any = REQUIRED, default_note: str = "") -> Input:
    """Systolic blood pressure in mm Hg, 20–300."""
    return quantity(
        "sbp",
        "Systolic blood pressure",
        "Systolic Blood Pressure",
        unit="mm Hg",
        dimension="pressure_mmhg",
        bounds=(20.0, 300.0),
        default=default,
        default_note=default_note,
    )


def diastolic_bp(*, default: Any = REQUIRED, default_note: str = "") -> Input:
    """Diastolic blood pressure in mm Hg, 5–250."""
    return quantity(
        "dbp",
        "Diastolic blood pressure",
        "Diastolic Blood Pressure",
        unit="mm Hg",
        dimension="pressure_mmhg",
        bounds=(5.0, 250.0),
        default=default,
        default_note=default_note,
    )


def temperature(*, default: Any = REQUIRED, default_note: str = "") -> Input:
    """Body temperature in °C, 20–45 (Fahrenheit and the data's misspellings convert)."""
    return quantity(
        "temperature",
        "Temperature",
        "Temperature",
        unit="°C",
        dimension="temperature",
        bounds=(20.0, 45.0),
        default=default,
        default_note=default_note,
    )


def pao2(
    *, default: Any = REQUIRED, default_note: str = "", sometimes_required: bool = False
) -> Input:
    """Arterial partial pressure of oxygen in mm Hg, 10–700 (kPa converts)."""
    return quantity(
        "pao2",
        "PaO2",
        "PaO2",
        "Partial pressure of oxygen",
        "Partial pressure of oxygen (PaO₂) for Apache II",
        unit="mm Hg",
        dimension="pressure_mmhg",
        bounds=(10.0, 700.0),
        default=default,
        default_note=default_note,
        sometimes_required=sometimes_required,
    )


def fio2(*, default: Any = REQUIRED, default_note: str = "") -> Input:
    """Fraction of inspired oxygen in %, 21–100."""
    return quantity(
        "fio2",
        "FiO2",
        "FiO2",
        unit="%",
        dimension="percent",
        bounds=(21.0, 100.0),
        default=default,
        default_note=default_note,
    )
