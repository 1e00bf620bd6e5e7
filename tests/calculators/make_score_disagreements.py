"""Regenerate label_disagreements_scores.json.

Run from the repository root: ``python tests/calculators/make_score_disagreements.py``. Lists every
benchmark row where a point score disagrees with the label, with the cause the relabeller assigns.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE)]


def main() -> None:
    from medcalc_rows import DATASETS, agrees, load_rows, render

    import calculators
    from calculators.criteria import ScoreTable
    from ehrmind_rewards.tasks.medcalc.bench.relabel import relabel_row

    out = []
    for dataset, path in DATASETS.items():
        with path.open(encoding="utf-8", newline="") as handle:
            records = {int(r["Row Number"]): r for r in csv.DictReader(handle)}
        for row in load_rows(dataset):
            if row.calculator_id not in calculators.ids():
                continue
            calc = calculators.get(row.calculator_id)
            if not isinstance(calc, ScoreTable):
                continue
            _, _, reason = relabel_row(records[row.row])
            entry = {
                "dataset": dataset,
                "row": row.row,
                "calculator_id": row.calculator_id,
                "label": row.label,
                "cause": reason,
            }
            try:
                value = calc.compute_from_entities(row.entities).value
            except calculators.CalculatorError as error:
                out.append({**entry, "ours": f"error: {type(error).__name__}"})
                continue
            if not agrees(row, value):
                out.append({**entry, "ours": render(value)})
    target = HERE / "label_disagreements_scores.json"
    text = json.dumps({"disagreements": out}, indent=1, ensure_ascii=False)
    target.write_text(text, encoding="utf-8")
    print(f"{len(out)} disagreements written to {target}")


if __name__ == "__main__":
    main()
