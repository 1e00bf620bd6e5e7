"""Regenerate tests/calculators/label_disagreements_scores.json: python tests/calculators/make_score_disagreements.py"""
import ast, csv, json, sys
sys.path.insert(0, '.')
import calculators
from calculators.criteria import ScoreTable
from ehrmind_rewards.relabel import relabel_row
sys.path.insert(0, 'tests/calculators')
from medcalc_rows import DATASETS, load_rows, agrees, render
out = []
for dataset, path in DATASETS.items():
    with path.open(encoding='utf-8', newline='') as h:
        records = {int(r['Row Number']): r for r in csv.DictReader(h)}
    for row in load_rows(dataset):
        calc = calculators.get(row.calculator_id) if row.calculator_id in calculators.ids() else None
        if not isinstance(calc, ScoreTable):
            continue
        _, status, reason = relabel_row(records[row.row])
        try:
            value = calc.compute_from_entities(row.entities).value
        except calculators.CalculatorError as e:
            out.append(dict(dataset=dataset, row=row.row, calculator_id=row.calculator_id, label=row.label, ours=f"error: {type(e).__name__}", cause=reason))
            continue
        if not agrees(row, value):
            out.append(dict(dataset=dataset, row=row.row, calculator_id=row.calculator_id, label=row.label, ours=render(value), cause=reason))
json.dump({"disagreements": out}, open('tests/calculators/label_disagreements_scores.json','w'), indent=1, ensure_ascii=False)
print(len(out))
import collections; print(collections.Counter((d['dataset'], d['calculator_id']) for d in out))
