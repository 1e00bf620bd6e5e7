"""Shared fixtures: the MedCalc-Bench v1.0 reference index and small prediction files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ehrmind_rewards import tasks
from ehrmind_rewards.grading.references import load_references
from tests.helpers import V1_TEST_CSV, write_jsonl


@pytest.fixture(scope="session")
def v1_references() -> dict[str, dict[str, Any]]:
    return load_references(V1_TEST_CSV, aliases=tasks.get("medcalc").column_aliases)


@pytest.fixture
def jsonl(tmp_path: Path) -> Callable[[list[dict[str, Any]]], Path]:
    counter = iter(range(1000))

    def make(rows: list[dict[str, Any]]) -> Path:
        return write_jsonl(tmp_path / f"predictions_{next(counter)}.jsonl", rows)

    return make
