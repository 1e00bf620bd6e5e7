"""``ehrmind-rewards ehrshot synthesize|rows``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ehrmind_rewards.cli import main
from ehrmind_rewards.core.rewards import EHRMIND
from ehrmind_rewards.tasks.ehrshot.verifier import verify_row


def test_synthesize_then_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "synthetic"
    args = ["ehrshot", "synthesize", "--patients", "4", "-o", str(out)]
    assert main([*args, "--events-per-patient", "150"]) == 0
    assert (out / "SYNTHETIC.md").is_file()
    rows_path = tmp_path / "rows.jsonl"
    assert main(["ehrshot", "rows", str(out), "-o", str(rows_path), "--tasks", "lab_anemia"]) == 0
    rows = [json.loads(line) for line in rows_path.read_text().splitlines()]
    assert rows and all(r["ehrshot_task"] == "lab_anemia" for r in rows)
    gold = rows[0]["label"]
    names = ("normal", "mild", "moderate", "severe")
    text = f'<think>x</think><answer>{{"prediction": "{names[gold]}", "label": {gold}}}</answer>'
    assert verify_row(text, rows[0], EHRMIND).correct is True
    assert main(["ehrshot", "rows", str(tmp_path / "missing"), "-o", str(rows_path)]) == 2
    assert "neither a MEDS directory" in capsys.readouterr().err
