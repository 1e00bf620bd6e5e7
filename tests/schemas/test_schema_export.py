"""The exported JSON Schemas match the models (regenerate with ``python -m schemas.export``)."""

from __future__ import annotations

import json

from schemas.export import SCHEMA_DIR, rendered, stale


def test_schema_files_are_in_sync_with_the_models() -> None:
    assert stale() == [], "run: python -m schemas.export"


def test_answer_schema_requires_the_answer_key() -> None:
    schema = json.loads(rendered()["MedCalcAnswer.schema.json"])
    assert schema["required"] == ["answer"]
    assert sorted(p.name for p in SCHEMA_DIR.glob("*.schema.json")) == sorted(rendered())
