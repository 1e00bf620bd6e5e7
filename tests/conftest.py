"""Shared fixtures: the MedCalc-Bench v1.0 reference index and small prediction files.

Hypothesis runs under the ``ci`` profile when the ``CI`` environment variable is set (``.ci/run``
sets it): derandomized (the same examples on every run) and without the example database, so a
failure found on one machine is not replayed from ``.hypothesis/`` on later runs. Select a
profile by hand with ``pytest --hypothesis-profile=ci``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from ehrmind_rewards import tasks
from ehrmind_rewards.grading.references import load_references
from tests.helpers import V1_TEST_CSV, write_jsonl

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI", "").lower() not in ("", "0", "false"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def v1_references() -> dict[str, dict[str, Any]]:
    return load_references(V1_TEST_CSV, aliases=tasks.get("medcalc").column_aliases)


@pytest.fixture
def jsonl(tmp_path: Path) -> Callable[[list[dict[str, Any]]], Path]:
    counter = iter(range(1000))

    def make(rows: list[dict[str, Any]]) -> Path:
        return write_jsonl(tmp_path / f"predictions_{next(counter)}.jsonl", rows)

    return make
