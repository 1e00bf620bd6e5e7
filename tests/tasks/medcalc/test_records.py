"""The MedCalc-Bench CSV reader and the bundled example set."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from ehrmind_rewards import grade
from ehrmind_rewards.tasks.medcalc.records import (
    EXAMPLE_CSV,
    EXAMPLE_PREDICTIONS,
    MedCalcDataError,
    read_medcalc_csv,
)
from tests.paths import DATA

MEDCALC_DATA = DATA / "medcalc_bench"


def test_reads_every_released_layout() -> None:
    v1 = read_medcalc_csv(MEDCALC_DATA / "v1.0" / "test_data.csv", entities=True)
    verified = read_medcalc_csv(MEDCALC_DATA / "verified" / "one_shot_data.csv")
    assert len(v1) == 1047 and len(verified) == 55
    first = v1[0]
    assert (first.row_number, first.calculator_id, first.ground_truth) == (1, 2, "25.238")
    assert first.entities is not None and first.entities["creatinine"] == [1.4, "mg/dL"]


def test_snake_case_headers_read_too(tmp_path: Path) -> None:
    path = tmp_path / "hf.csv"
    path.write_text("calculator_id,ground_truth_answer\n4,3\n", encoding="utf-8")
    (record,) = read_medcalc_csv(path)
    assert (record.calculator_id, record.ground_truth) == (4, "3")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty file"),
        ("Calculator ID,Question\n2,q\n", "missing column"),
        ("Calculator ID,Ground Truth Answer\n2,1\nx,1\n", r":3: column 'Calculator ID'"),
        ("Calculator ID,Ground Truth Answer\n2,1,extra\n", ":2: 3 fields"),
        (
            "Calculator ID,Ground Truth Answer,Relevant Entities\n"
            "2,1,\"{'a': __import__('os')}\"\n",
            ":2: column 'Relevant Entities': not a Python dict literal",
        ),
    ],
)
def test_bad_files_name_line_and_column(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(MedCalcDataError, match=message):
        read_medcalc_csv(path, entities=True)


def test_bundled_example_covers_every_category_and_kind() -> None:
    records = read_medcalc_csv(EXAMPLE_CSV, entities=True)
    assert len(records) == 40
    assert {r.category for r in records} == {
        "lab",
        "risk",
        "physical",
        "severity",
        "diagnosis",
        "date",
        "dosage",
    }
    ids = {r.calculator_id for r in records}
    assert {13, 68, 69} <= ids and len(ids) == 40  # dates, gestational age


def test_bundled_predictions_are_a_mix_of_right_wrong_and_malformed() -> None:
    records = {r.row_number: r for r in read_medcalc_csv(EXAMPLE_CSV)}
    lines = EXAMPLE_PREDICTIONS.read_text(encoding="utf-8").splitlines()
    scores = Counter()
    for line in lines:
        prediction = json.loads(line)
        scores[grade(prediction["completion"], records[prediction["id"]]).score] += 1
    assert scores == {1.1: 22, 0.0: 10, -2.0: 8}
