"""Completions and records of every task, as a client would send them to the reward server.

MedCalc: the 40 bundled example rows with their example completions (real benchmark rows);
trials and EHRSHOT: right, wrong, contradictory and malformed answers; plus the structural
defects of :mod:`ehrmind_rewards.testing` that JSON can carry (non-text values included).
"""

from __future__ import annotations

import json
from typing import Any

from ehrmind_rewards import tasks
from ehrmind_rewards.testing import structural_defects


def medcalc_completions() -> dict[str, str]:
    """The bundled example completion of each bundled MedCalc row, by the row's ``id``."""
    predictions_path, _ = tasks.get("medcalc").example_files()
    lines = predictions_path.read_text(encoding="utf-8").splitlines()
    return {f"medcalc-{p['id']}": p["completion"] for p in map(json.loads, lines)}


def record_of(row: dict[str, Any]) -> dict[str, Any]:
    """A benchmark row's record: its columns but the prompt and the id."""
    return {k: v for k, v in row.items() if k not in ("prompt", "id")}


def medcalc_items() -> list[tuple[object, dict[str, Any]]]:
    """(completion, record) for the 40 bundled rows, in the rows' order."""
    completions = medcalc_completions()
    return [
        (completions[row["id"]], record_of(row)) for row in tasks.get("medcalc").benchmark_rows()
    ]


def _think(answer: object) -> str:
    return f"<think>Reasoning.</think>\n<answer>{json.dumps(answer)}</answer>"


TRIAL = {"task": "trials", "label": 2}
LUPUS = {"ehrshot_task": "new_lupus", "label": 1, "class_weight": 2.0}

OTHER_ITEMS: list[tuple[object, dict[str, Any]]] = [
    (_think({"prediction": "Eligible", "idx": 2}), TRIAL),
    (_think({"prediction": "Excluded", "idx": 1}), TRIAL),
    (_think({"prediction": "Eligible", "idx": 0}), TRIAL),  # contradiction
    ([{"role": "assistant", "content": _think({"prediction": "Eligible", "idx": 2})}], TRIAL),
    (_think({"prediction": "lupus", "label": 1, "probability": 0.9}), LUPUS),
    (_think({"prediction": "no lupus", "label": 0}), LUPUS),
    (_think({"prediction": "lupus", "label": 1}), {**LUPUS, "label": 7}),  # bad record
    *[
        (completion, TRIAL)
        for completion, _ in structural_defects()
        if isinstance(completion, (str, int, type(None))) and len(str(completion)) < 1000
    ],
]


def all_items() -> list[tuple[object, dict[str, Any]]]:
    return medcalc_items() + OTHER_ITEMS
