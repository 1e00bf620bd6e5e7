"""The calculator registry: look calculators up by MedCalc-Bench ID or by slug."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from calculators.base import Calculator
from calculators.errors import UnknownCalculatorError

_BY_ID: dict[int, Calculator] = {}
_BY_SLUG: dict[str, Calculator] = {}
_PACKAGES = ("calculators.equations", "calculators.scores")
_loaded = False


def register(calculator: Calculator) -> Calculator:
    """Add ``calculator`` to the registry; its id and slug must be new."""
    info = calculator.info
    if info.id in _BY_ID or info.slug in _BY_SLUG:
        raise ValueError(f"calculator {info.id} / {info.slug!r} is already registered")
    _BY_ID[info.id] = calculator
    _BY_SLUG[info.slug] = calculator
    return calculator


def _load() -> None:
    """Import the calculator packages once; each module registers itself on import."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    for package in _PACKAGES:
        try:
            importlib.import_module(package)
        except ModuleNotFoundError as error:
            if error.name != package:
                raise


def get(key: int | str) -> Calculator:
    """The calculator with MedCalc-Bench id ``key`` (int or digit string) or slug ``key``."""
    _load()
    if isinstance(key, str) and key.strip().isdigit():
        key = int(key)
    found = _BY_ID.get(key) if isinstance(key, int) else _BY_SLUG.get(key)
    if found is None:
        raise UnknownCalculatorError(f"no calculator registered as {key!r}")
    return found


def ids() -> list[int]:
    """All registered MedCalc-Bench ids, ascending."""
    _load()
    return sorted(_BY_ID)


def all_calculators() -> Iterator[Calculator]:
    """Every registered calculator, by ascending id."""
    _load()
    for calculator_id in sorted(_BY_ID):
        yield _BY_ID[calculator_id]
