"""Values exactly on a published cut-off are on it (the rule of :mod:`calculators.exact`).

Each case is one that float arithmetic used to score in the wrong band; the expected bands are
the publications' (cited per case), not the code's.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import calculators
from calculators.criteria import ScoreTable
from calculators.exact import exactly, written
from calculators.formula import Formula
from calculators.units import convert, convert_exact
from tests.calculators.published_thresholds import APACHE


def _points(calculator_id: int, entities: dict[str, Any], label: str) -> float:
    table = calculators.get(calculator_id)
    assert isinstance(table, ScoreTable)
    evaluation = table.evaluate_entities(entities)
    return next(float(p) for name, p, _ in evaluation.points if name == label)


@pytest.mark.parametrize("spelling", ["degrees fahrenheit", "°F", "degF", "fahrenheit"])
def test_96_8_fahrenheit_is_36_celsius_exactly(spelling: str) -> None:
    assert convert(96.8, spelling, "degC") == 36.0
    assert convert_exact(96.8, spelling, "degC") == 36


def test_sirs_96_8_fahrenheit_is_not_below_36() -> None:
    # Bone 1992: temperature > 38 °C or < 36 °C; 36 °C exactly is neither.
    entities = {"Temperature": [96.8, "degrees fahrenheit"]}
    assert _points(51, entities, "Temperature") == 0
    explanation = calculators.compute_from_entities(51, entities).explanation
    assert "36 °C does not meet > 38 or < 36 °C" in explanation


@pytest.mark.parametrize(
    ("fahrenheit", "points"),
    [(95.0, 0), (94.9, 15), (104.0, 15), (103.9, 0)],  # Fine 1997: < 35 °C or ≥ 40 °C → 15
)
def test_psi_temperature_edges_in_fahrenheit(fahrenheit: float, points: int) -> None:
    entities = {"age": [50, "years"], "sex": "Male", "Temperature": [fahrenheit, "°F"]}
    assert _points(29, entities, "Temperature < 35 or ≥ 40 °C") == points


# Knaus 1985, APACHE II table: ≥ 41 °C +4; 39–40.9 +3; 38.5–38.9 +1; 36–38.4 0; 34–35.9 +1;
# 32–33.9 +2; 30–31.9 +3; ≤ 29.9 +4. Each °F value below is exactly a lower edge in °C.
APACHE_TEMPERATURE_EDGES = [
    (86.0, 30, 3),
    (89.6, 32, 2),
    (93.2, 34, 1),
    (96.8, 36, 0),
    (101.3, 38.5, 1),
    (102.2, 39, 3),
    (105.8, 41, 4),
]


APACHE_NORMAL = {key: value for key, value in APACHE.items() if key != "Temperature"}
"""Normal APACHE II inputs but the temperature, which each test sets."""


@pytest.mark.parametrize(("fahrenheit", "celsius", "points"), APACHE_TEMPERATURE_EDGES)
def test_apache_ii_temperature_band_edges_in_fahrenheit(
    fahrenheit: float, celsius: float, points: int
) -> None:
    assert convert(fahrenheit, "degrees fahrenheit", "degC") == celsius
    entities = APACHE_NORMAL | {"Temperature": [fahrenheit, "degrees fahrenheit"]}
    assert _points(28, entities, "Temperature") == points
    assert calculators.compute_from_entities(28, entities).value == points


def _respiration(pao2: float, fio2: float, ventilated: bool = True) -> float:
    entities = {
        "PaO2": [pao2, "mm Hg"],
        "FiO₂": [fio2, "%"],
        "On mechanical ventilation": ventilated,
    }
    return _points(43, entities, "Respiration")


def test_sofa_pao2_112_fio2_28_is_a_ratio_of_400() -> None:
    # Vincent 1996: PaO2/FiO2 ≥ 400 → 0 (112 / 0.28 = 400 exactly).
    assert _respiration(112, 28) == 0


ON_EDGE = [
    (pao2, fio2, edge)
    for pao2 in range(10, 701)
    for fio2 in range(21, 101)
    for edge in (100, 200, 300, 400)
    if 100 * pao2 == edge * fio2
]


def test_all_320_integer_pairs_on_a_sofa_edge_score_the_band_they_open() -> None:
    # A ratio equal to an edge belongs to the band above it: 400 → 0, 300 → 1, 200 → 2 and,
    # with respiratory support, 100 → 3 (Vincent 1996, Table 1: "< 400", "< 300", ...).
    assert len(ON_EDGE) == 320
    expected = {400: 0, 300: 1, 200: 2, 100: 3}
    wrong = [(p, f) for p, f, edge in ON_EDGE if _respiration(p, f) != expected[edge]]
    assert wrong == []


def test_cockcroft_gault_bmi_exactly_25_uses_the_adjusted_weight() -> None:
    # 64 kg / 1.6 m² = 25 kg/m², overweight under the BMI-based weight rule (BMI ≥ 25).
    entities = {
        "age": [60, "years"],
        "sex": "Male",
        "weight": [64, "kg"],
        "height": [160, "cm"],
        "creatinine": [1.0, "mg/dL"],
    }
    ibw = 50 + 2.3 * (160 / 2.54 - 60)
    adjusted = ibw + 0.4 * (64 - ibw)
    result = calculators.get(2).compute_from_entities(
        entities, conventions={"weight": "bmi_adjusted"}
    )
    assert result.value == pytest.approx(80 * adjusted / 72)
    assert round(float(result.value), 2) == 66.37


def test_formula_exact_takes_decimal_constants_as_written() -> None:
    bmi = Formula("BMI", ("weight", "height"), lambda s, sp: s.weight / (s.height / 100) ** 2)
    assert bmi(weight=64.0, height=160.0) != 25.0  # floats: 24.999999999999996
    assert bmi.exact(weight=64.0, height=160.0) == 25.0
    scaled = Formula("x", ("a",), lambda s, sp: 0.1 * s.a)
    assert scaled.exact(a=3.0) == 0.3
    assert written(0.3) == Fraction(3, 10)


@given(
    st.integers(1, 10**6).map(lambda n: n / 100),
    st.integers(1, 10**6).map(lambda n: n / 100),
)
def test_exact_ratio_is_the_nearest_float_to_the_decimal_ratio(a: float, b: float) -> None:
    result = exactly(lambda x, y: x / y, a, b)
    assert result == float(Fraction(str(a)) / Fraction(str(b)))
