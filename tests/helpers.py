"""Small builders shared by several test modules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.paths import DATA

V1_TEST_CSV = DATA / "medcalc_bench" / "v1.0" / "test_data.csv"
"""MedCalc-Bench v1.0 test split (1,047 rows)."""


def completion(answer: Any) -> str:
    """A well-formed EHRMind completion whose answer is ``answer``."""
    return f"<think>Step by step.</think><answer>{json.dumps({'answer': answer})}</answer>"


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Write ``rows`` as JSON lines to ``path`` and return it."""
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path
