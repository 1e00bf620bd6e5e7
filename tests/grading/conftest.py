"""Shared fixtures for the grading tests: small prediction files and the verifiers to grade with."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ehrmind_rewards.grading.references import load_references

V1_TEST_CSV = (
    Path(__file__).resolve().parents[1] / "data" / "medcalc_bench" / "v1.0" / "test_data.csv"
)


def completion(answer: Any) -> str:
    """A well-formed EHRMind completion whose answer is ``answer``."""
    return f"<think>Step by step.</think><answer>{json.dumps({'answer': answer})}</answer>"


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def v1_references() -> dict[str, dict[str, Any]]:
    return load_references(V1_TEST_CSV)


@pytest.fixture
def jsonl(tmp_path: Path) -> Callable[[list[dict[str, Any]]], Path]:
    counter = iter(range(1000))

    def make(rows: list[dict[str, Any]]) -> Path:
        return write_jsonl(tmp_path / f"predictions_{next(counter)}.jsonl", rows)

    return make
