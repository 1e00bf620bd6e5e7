"""A fourth task family, defined only in the test tree, works everywhere without package edits.

Registered at run time (:func:`ehrmind_rewards.tasks.register`) and, separately, discovered
through the ``ehrmind_rewards.tasks`` entry point group of an installed distribution; then
``reward_fn``, ``grade``, the ``grade`` command, verl's ``compute_score`` and the training row
builder all handle its rows.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ehrmind_rewards import TaskReward, grade, reward_fn, tasks
from ehrmind_rewards.adapters.verl import compute_score
from ehrmind_rewards.cli import main
from ehrmind_rewards.core import registry
from ehrmind_rewards.train.config import parse_config
from ehrmind_rewards.train.data import load_rows
from tests.tasks.fourth_family.triage import FAMILY, TriageFamily

RIGHT = '<think>Chest pain, unstable vitals.</think><answer>{"level": 2}</answer>'
WRONG = '<think>Looks fine.</think><answer>{"level": 4}</answer>'


@pytest.fixture
def triage() -> Iterator[TriageFamily]:
    tasks.register(FAMILY)
    yield FAMILY
    tasks.unregister("triage")


def test_reward_fn_dispatches_on_the_task_column(triage: TriageFamily) -> None:
    scores = reward_fn(completions=[RIGHT, WRONG, "no tags"], task=["triage"] * 3, level=[2] * 3)
    assert scores == [1.1, 0.0, -2.0]
    assert TaskReward("triage")(completions=[RIGHT], level=[2]) == [1.1]


def test_rows_are_recognised_by_the_familys_markers(triage: TriageFamily) -> None:
    assert reward_fn(completions=[RIGHT], esi_case_id=["c1"], level=[2]) == [1.1]
    assert grade(RIGHT, {"esi_case_id": "c1", "level": 2}).score == 1.1


def test_grade_and_verl(triage: TriageFamily) -> None:
    assert grade(RIGHT, {"level": 2}, task="triage").score == 1.1
    result = compute_score("triage_eval", WRONG, {"level": 2})
    assert (result["score"], result["graded"], result["correct"]) == (0.0, 1.0, 0.0)


def test_the_grade_command(
    triage: TriageFamily, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    predictions = tmp_path / "preds.jsonl"
    rows = [
        {"id": 1, "completion": RIGHT, "level": 2},
        {"id": 2, "completion": WRONG, "level": 2},
        {"id": 3, "completion": RIGHT, "level": 3},
    ]
    predictions.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert main(["grade", str(predictions), "--task", "triage", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["task"] == "triage" and summary["task_title"] == "ED triage (ESI)"
    assert (summary["n"], summary["correct"]) == (3, 1)
    assert summary["confusion"]["true_labels"] == ["ESI 2 (1)", "ESI 3 (2)"]
    assert summary["error_analysis"]["wrong_label"]["count"] == 2


def test_the_training_row_builder(triage: TriageFamily, tmp_path: Path) -> None:
    data = tmp_path / "train.jsonl"
    data.write_text(json.dumps({"prompt": "Triage this patient.", "level": 2}) + "\n", "utf-8")
    config = parse_config(
        {
            "kind": "grpo",
            "output_dir": str(tmp_path / "run"),
            "data": {"task": "triage", "train_file": str(data)},
        }
    )
    (row,) = load_rows(config, "train", with_completion=False)
    assert (row["task"], row["category"], row["level"]) == ("triage", "triage", 2)
    assert row["prompt"] == [{"role": "user", "content": "Triage this patient."}]


def test_an_unregistered_family_is_unknown() -> None:
    assert "triage" not in tasks.names()
    with pytest.raises(ValueError, match="not a registered task"):
        grade(RIGHT, {"level": 2}, task="triage")


def test_a_family_from_an_installed_distributions_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist = tmp_path / "ehrmind_triage-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: ehrmind-triage\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[ehrmind_rewards.tasks]\ntriage = tests.tasks.fourth_family.triage:FAMILY\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry, "_entry_points_read", False)
    try:
        assert "triage" in tasks.names()
        assert tasks.get("triage") is FAMILY
        assert reward_fn(completions=[RIGHT], task=["triage"], level=[2]) == [1.1]
    finally:
        tasks.unregister("triage")
        sys.modules.pop("tests.tasks.fourth_family.triage", None)
