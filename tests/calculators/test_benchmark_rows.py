"""Every MedCalc-Bench row of a registered calculator is recomputed from its entities.

A row must pass the benchmark's own grading unless it is listed, with its cause, in a
``label_disagreements*.json`` fixture; a listed row that now agrees fails too, so the list stays
exact. Rows are computed with the calculators' default conventions and those their question
states (the Cockcroft-Gault question asks for the BMI-based weight), as relabelling does.
"""

from __future__ import annotations

import pytest

import calculators
from ehrmind_rewards.tasks.medcalc.bench.conventions import stated_by_question
from tests.calculators.medcalc_rows import (
    Row,
    agrees,
    listed_disagreements,
    registered_rows,
    render,
)

LISTED = listed_disagreements()
ROWS = registered_rows("v1.0") + registered_rows("verified_one_shot")


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.dataset}-row{r.row}-id{r.calculator_id}")
def test_row_agrees_with_label_unless_listed(row: Row) -> None:
    listed = LISTED.get((row.dataset, row.row))
    try:
        value = calculators.compute_from_entities(
            row.calculator_id,
            row.entities,
            conventions=stated_by_question(row.calculator_id, row.question),
        ).value
    except calculators.CalculatorError as error:
        assert listed is not None, f"unlisted error: {error}"
        assert listed["ours"] == f"error: {type(error).__name__}", listed
        return
    if listed is None:
        assert agrees(row, value), f"label {row.label} [{row.lower}, {row.upper}], ours {value}"
    else:
        assert not agrees(row, value), f"listed row now agrees: {listed}"
        assert listed["calculator_id"] == row.calculator_id
        ours = render(value)
        if isinstance(ours, float):
            assert ours == pytest.approx(listed["ours"], rel=1e-3)
        else:
            assert ours == listed["ours"]


def test_every_listed_row_exists() -> None:
    keys = {(row.dataset, row.row) for row in ROWS}
    unknown = [key for key in LISTED if key not in keys]
    registered = set(calculators.ids())
    assert not [k for k in unknown if LISTED[k]["calculator_id"] in registered]


def test_explanations_state_the_answer() -> None:
    for row in ROWS[:: max(1, len(ROWS) // 60)]:
        try:
            result = calculators.compute_from_entities(row.calculator_id, row.entities)
        except calculators.CalculatorError:
            continue
        assert result.explanation.splitlines()[-1].startswith("The answer is ")
