"""MedCalc-Bench rows from the copies in tests/data/medcalc_bench, and how their labels compare."""

from __future__ import annotations

import ast
import csv
import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import calculators
from calculators import OutputKind

DATA = Path(__file__).resolve().parents[1] / "data" / "medcalc_bench"
DATASETS = {
    "v1.0": DATA / "v1.0" / "test_data.csv",
    "verified_one_shot": DATA / "verified" / "one_shot_data.csv",
}
DISAGREEMENT_FILES = sorted(Path(__file__).parent.glob("label_disagreements*.json"))


@dataclass(frozen=True)
class Row:
    dataset: str
    row: int
    calculator_id: int
    entities: dict[str, Any]
    label: str
    lower: str
    upper: str
    question: str = ""


def load_rows(dataset: str) -> list[Row]:
    with DATASETS[dataset].open(encoding="utf-8", newline="") as handle:
        return [
            Row(
                dataset,
                int(record["Row Number"]),
                int(record["Calculator ID"]),
                ast.literal_eval(record["Relevant Entities"]),
                record["Ground Truth Answer"],
                record["Lower Limit"],
                record["Upper Limit"],
                record.get("Question", ""),
            )
            for record in csv.DictReader(handle)
        ]


def registered_rows(dataset: str) -> list[Row]:
    registered = set(calculators.ids())
    return [row for row in load_rows(dataset) if row.calculator_id in registered]


def render(value: Any) -> Any:
    """A result value in JSON form (dates MM/DD/YYYY, weeks/days as a list)."""
    if isinstance(value, datetime.date):
        return value.strftime("%m/%d/%Y")
    if isinstance(value, tuple):
        return list(value)
    return value


def agrees(row: Row, value: Any) -> bool:
    """Whether ``value`` passes MedCalc-Bench's grading of ``row``."""
    kind = calculators.get(row.calculator_id).info.output_kind
    if kind is OutputKind.DATE:
        return bool(value == datetime.datetime.strptime(row.label, "%m/%d/%Y").date())
    if kind is OutputKind.WEEKS_DAYS:
        weeks, days = ast.literal_eval(row.label)
        return bool(value == (int(weeks.split()[0]), int(days.split()[0])))
    if kind is OutputKind.INTEGER:
        return bool(round(float(value)) == round(float(row.label)))
    return float(row.lower) <= float(value) <= float(row.upper)


def listed_disagreements() -> dict[tuple[str, int], dict[str, Any]]:
    listed: dict[tuple[str, int], dict[str, Any]] = {}
    for path in DISAGREEMENT_FILES:
        for entry in json.loads(path.read_text(encoding="utf-8"))["disagreements"]:
            listed[(entry["dataset"], entry["row"])] = entry
    return listed
