"""Regenerate the bundled MedCalc example: 40 v1.0 test rows and example predictions for them.

Run from the repository root: ``python scripts/make_medcalc_sample.py``. Rows are copied unchanged
from ``tests/data/medcalc_bench/v1.0/test_data.csv`` (CC-BY-SA 4.0); the predictions are written
by this script (a fixed, seeded mix of correct, wrong and malformed completions).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests" / "data" / "medcalc_bench" / "v1.0" / "test_data.csv"
OUT = ROOT / "ehrmind_rewards" / "data" / "examples"
# every date/dosage/diagnosis/severity calculator, then the others by ID, up to 40 calculators
FIRST = [13, 68, 69, 24, 49, 33, 48, 51, 15, 20, 21, 29]


def _pick(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    by_id: dict[int, list[dict[str, str]]] = {}
    for row in rows:
        by_id.setdefault(int(row["Calculator ID"]), []).append(row)
    order = FIRST + [cid for cid in sorted(by_id) if cid not in FIRST]
    return [by_id[cid][3 % len(by_id[cid])] for cid in order[:40]]


def _wrong(row: dict[str, str]) -> str:
    """The JSON text of a plausible wrong answer."""
    truth, cid = row["Ground Truth Answer"], int(row["Calculator ID"])
    if cid in (13, 68):
        month, day, year = (int(p) for p in truth.split("/"))
        return json.dumps((dt.date(year, month, day) + dt.timedelta(days=3)).strftime("%m/%d/%Y"))
    if cid == 69:
        weeks = int(truth.split("'")[1].split()[0])
        return json.dumps(f"({weeks + 1} weeks, 2 days)")
    if row["Output Type"] == "integer":
        return json.dumps(int(truth) + 2)
    return str((Decimal(truth) * Decimal("1.3")).quantize(Decimal("0.01")))


def _right(row: dict[str, str], rng: random.Random) -> str:
    truth, cid = row["Ground Truth Answer"], int(row["Calculator ID"])
    if cid in (13, 68):
        month, day, year = (int(p) for p in truth.split("/"))
        return json.dumps(rng.choice([truth, dt.date(year, month, day).strftime("%B %d, %Y")]))
    if cid == 69:
        weeks, days = (int(p.split()[0]) for p in truth.strip("()").replace("'", "").split(", "))
        return json.dumps(rng.choice([f"({weeks} weeks, {days} days)", [weeks, days]]))
    if row["Output Type"] == "integer":
        return rng.choice([truth, json.dumps(f"{truth} points")])
    value = Decimal(truth).quantize(Decimal("0.01")) if "." in truth else Decimal(truth)
    return rng.choice([str(value), json.dumps(f"{value} units")])


def _completion(row: dict[str, str], kind: str, rng: random.Random) -> str:
    think = " ".join(row["Ground Truth Explanation"].split())[:400]
    if kind == "right":
        return f'<think>{think}</think>\n<answer>{{"answer": {_right(row, rng)}}}</answer>'
    if kind == "wrong":
        return f'<think>{think}</think>\n<answer>{{"answer": {_wrong(row)}}}</answer>'
    defects = [
        f'{think}\n<answer>{{"answer": {_right(row, rng)}}}</answer>',  # no </think>
        f"<think>{think}</think>\n<answer>{{'answer': {_right(row, rng)}}}</answer>",  # not JSON
        f"<think>{think}</think>\nThe answer is {row['Ground Truth Answer']}.",  # no answer block
        f'<think>{think}</think><answer>{{"answer": {_right(row, rng)}}}</answer> Done!',
        f'<think>{think}</think><answer>{{"answer": {_right(row, rng)}, "answer": 0}}</answer>',
    ]
    return rng.choice(defects)


def main() -> int:
    csv.field_size_limit(sys.maxsize)
    with SOURCE.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = _pick(list(reader))
    with (OUT / "medcalc_v1_sample.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    rng = random.Random(20240611)
    kinds = ["right"] * 22 + ["wrong"] * 10 + ["malformed"] * 8
    rng.shuffle(kinds)
    with (OUT / "medcalc_v1_sample_predictions.jsonl").open("w", encoding="utf-8") as handle:
        for row, kind in zip(rows, kinds, strict=True):
            record = {"id": int(row["Row Number"]), "completion": _completion(row, kind, rng)}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
