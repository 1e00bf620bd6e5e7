"""Generate the task table of ``docs/ehrshot.md`` from the registry.

    python -m ehrmind_rewards.tasks.ehrshot.docs          # print the table
    python -m ehrmind_rewards.tasks.ehrshot.docs --write  # replace it in docs/ehrshot.md

``tests/test_ehrshot_docs.py`` fails when the page and the registry disagree.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ehrmind_rewards.tasks.ehrshot.benchmark import TASKS, TaskKind

BEGIN, END = "<!-- tasks:begin -->", "<!-- tasks:end -->"
PAGE = Path(__file__).resolve().parents[3] / "docs" / "ehrshot.md"


def tasks_table() -> str:
    """Markdown table: task, family, kind, labels, prediction time, definition."""
    rows = [
        "| task | family | labels | prediction time | definition |",
        "|---|---|---|---|---|",
    ]
    for task in TASKS.values():
        if task.kind is TaskKind.MULTILABEL:
            labels = f"{task.n_classes} findings, each 0/1"
        else:
            labels = " / ".join(f"{i} {name}" for i, name in enumerate(task.class_names))
        rows.append(
            f"| `{task.name}` | {task.group.value} | {labels} | {task.prediction_time} "
            f"| {task.definition} |"
        )
    return "\n".join(rows)


def with_table(page: str) -> str:
    """``page`` with the text between the markers replaced by the current table."""
    head, _, rest = page.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{tasks_table()}\n{END}{tail}"


def main() -> None:
    parser = argparse.ArgumentParser(description="EHRSHOT task table for the docs")
    parser.add_argument("--write", action="store_true", help=f"update {PAGE}")
    args = parser.parse_args()
    if args.write:
        PAGE.write_text(with_table(PAGE.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        print(tasks_table())


if __name__ == "__main__":
    main()
