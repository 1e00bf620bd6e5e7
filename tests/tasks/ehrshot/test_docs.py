"""docs/ehrshot.md shows the task table generated from the registry."""

from __future__ import annotations

from ehrmind_rewards.tasks.ehrshot.docs import PAGE, with_table


def test_docs_task_table_is_in_sync() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert page == with_table(page), "run: python -m ehrmind_rewards.tasks.ehrshot.docs --write"
