"""Obvious unit typos read the only plausible way — and refused when two readings are
plausible. Real v1.0 rows cite the note's words."""

from __future__ import annotations

from typing import Any

import pytest

import calculators
from calculators.errors import CalculatorError
from ehrmind_rewards.tasks.medcalc.bench.reinterpret import compute, reinterpret
from ehrmind_rewards.tasks.medcalc.bench.relabel import parse_entities, read_benchmark_csv
from tests.paths import ROOT

V10 = ROOT / "tests" / "data" / "medcalc_bench" / "v1.0" / "test_data.csv"
ROWS = {r["Row Number"]: r for r in read_benchmark_csv(V10)[1]}
GAP = {"Chloride": [95.0, "mmol/L"], "Bicarbonate": [30.0, "mmol/L"]}


@pytest.mark.parametrize(
    ("calculator_id", "entities", "key", "read"),
    [
        (39, {**GAP, "Sodium": [137.0, "mg/dL"]}, "Sodium", [137.0, "mmol/L"]),
        (
            65,
            {**GAP, "Sodium": [140, "mmol/L"], "Albumin": [3.2, "mg/dL"]},
            "Albumin",
            [3.2, "g/dL"],
        ),
        (65, {**GAP, "Sodium": [140, "mmol/L"], "Albumin": [4.2, "g/L"]}, "Albumin", [4.2, "g/dL"]),
    ],
)
def test_concentration_typos(
    calculator_id: int, entities: dict[str, Any], key: str, read: list[Any]
) -> None:
    with pytest.raises(CalculatorError):
        compute(calculators.get(calculator_id), entities)
    outcome = reinterpret(calculators.get(calculator_id), entities)
    assert outcome is not None
    assert [(r.key, r.read) for r in outcome.readings] == [(key, read)]
    assert outcome.entities[key] == read
    assert entities[key] != read  # the row's own dict is not changed


def test_cell_counts_are_read_in_thousands_only_when_that_is_the_one_plausible_reading() -> None:
    entities = {"Temperature": [39.5, "degrees celsius"], "White blood cell count": [4.1, "µL"]}
    outcome = reinterpret(calculators.get(51), entities)
    assert outcome is not None
    (reading,) = outcome.readings
    assert reading.read == [4.1, "10^9/L"]
    assert reading.describe() == "White blood cell count 4.1 µL read as 4100 /µL"


def test_a_value_no_unit_makes_plausible_is_refused() -> None:
    entities = {**GAP, "Sodium": [3.0, "mg/dL"]}  # 3 in any unit is no serum sodium
    assert reinterpret(calculators.get(39), entities) is None


def test_errors_that_are_not_about_a_value_are_not_reinterpreted() -> None:
    entities = {"Best eye response": "no eye opening"}  # verbal and motor missing
    assert reinterpret(calculators.get(21), entities) is None


@pytest.mark.parametrize(
    ("number", "key", "read"),
    [
        # "thrombocytopenia (119×106/L)": 0.119 × 10⁹/L, read as 119 × 10⁹/L (FIB-4)
        ("284", "Platelet count", [119000000000.0, "L"]),
        # "Labs were drawn, that showed a WBC 4.1, a hemoglobin 10.7 g/dL" (SIRS)
        ("595", "White blood cell count", [4.1, "10^9/L"]),
        # "serum sodium 137 mg/dL, potassium 3.0 mg/dL, chloride 95 mmol/L" (delta ratio)
        ("753", "Sodium", [137.0, "mmol/L"]),
        # "S.albumin 3.2 mg/dl" (albumin-corrected anion gap)
        ("780", "Albumin", [3.2, "g/dL"]),
        # "Her serum albumin on admission was 4.2 g/L" (albumin-corrected delta gap)
        ("790", "Albumin", [4.2, "g/dL"]),
        # "Albumin 3.5 mg/ dL" (albumin-corrected delta ratio)
        ("824", "Albumin", [3.5, "g/dL"]),
        # "60 mg of FentANYL patch 1 time a day": a patch strength is µg/h (MME)
        ("991", "FentANYL patch Dose", [60, "µg/h"]),
    ],
)
def test_v1_rows(number: str, key: str, read: list[Any]) -> None:
    row = ROWS[number]
    calculator = calculators.get(int(row["Calculator ID"]))
    outcome = reinterpret(calculator, parse_entities(row["Relevant Entities"]))
    assert outcome is not None
    assert [(r.key, r.read) for r in outcome.readings] == [(key, read)]
