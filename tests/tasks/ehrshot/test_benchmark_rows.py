"""EHRSHOT as an evaluation benchmark: one row per label of a (SYNTHETIC) MEDS folder."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ehrmind_rewards import tasks
from ehrmind_rewards.core.errors import DataError

pytest.importorskip("pyarrow", reason="the ehrshot extra reads MEDS parquet")


@pytest.fixture(scope="module")
def meds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ehrmind_rewards.tasks.ehrshot.synthetic import synthesize

    return synthesize(12, 3, tmp_path_factory.mktemp("ehrshot"), events_per_patient=150)


def test_rows_per_label_with_ids_and_chat_prompts(meds: Path) -> None:
    rows = tasks.get("ehrshot").benchmark_rows(meds, split=None)
    assert rows
    assert set(Counter(r["ehrshot_task"] for r in rows)) <= {
        "new_acutemi",
        "new_hyperlipidemia",
        "new_hypertension",
        "new_pancan",
    }
    row = rows[0]
    assert row["id"] == f"{row['subject_id']}:{row['ehrshot_task']}:{row['prediction_time']}"
    assert [m["role"] for m in row["prompt"]] == ["system", "user"]
    assert len({r["id"] for r in rows}) == len(rows)


def test_tasks_split_and_limit_select_rows(meds: Path) -> None:
    family = tasks.get("ehrshot")
    every = family.benchmark_rows(meds, tasks=["guo_los", "chexpert"], split=None)
    assert {r["ehrshot_task"] for r in every} <= {"guo_los", "chexpert"}
    assert (
        family.benchmark_rows(meds, tasks=["guo_los"], split=None, limit=2)
        == [r for r in every if r["ehrshot_task"] == "guo_los"][:2]
    )


def test_unknown_labelers_and_empty_selections_are_errors(meds: Path, tmp_path: Path) -> None:
    family = tasks.get("ehrshot")
    with pytest.raises(DataError, match="new_flu"):
        family.benchmark_rows(meds, tasks=["new_flu"])
    with pytest.raises(DataError, match=str(tmp_path)):
        family.benchmark_rows(tmp_path)
