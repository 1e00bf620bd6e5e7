"""Causes of changed v1.0 labels: each emulation is checked against the v1.0 explanation texts,
which print the reference code's intermediate values, not only against the final label."""

from __future__ import annotations

import re

import pytest

import calculators
from calculators.criteria import ScoreTable
from ehrmind_rewards.tasks.medcalc.bench import reference_v1
from ehrmind_rewards.tasks.medcalc.bench.causes import (
    BOTH,
    CAUSES,
    EMULATIONS,
    ENTITY_EMULATIONS,
    PACKAGE,
    UNATTRIBUTED,
    V1,
    attribute,
    framingham_v1_score,
    sofa_v1_points,
)
from ehrmind_rewards.tasks.medcalc.bench.conventions import REFERENCE
from ehrmind_rewards.tasks.medcalc.bench.relabel import (
    Summary,
    parse_entities,
    read_benchmark_csv,
    relabel_row,
    relabel_rows,
)
from tests.paths import ROOT

V10 = ROOT / "tests" / "data" / "medcalc_bench" / "v1.0" / "test_data.csv"

# Lower this deliberately when a cause is found; it must never rise unnoticed.
UNATTRIBUTED_ROWS = 0


def _rows(calculator_id: int) -> list[dict[str, str]]:
    return [r for r in read_benchmark_csv(V10)[1] if r["Calculator ID"] == str(calculator_id)]


def test_unattributed_count_is_pinned() -> None:
    summary = Summary()
    list(relabel_rows(read_benchmark_csv(V10)[1], summary))
    assert summary.reasons[UNATTRIBUTED] == UNATTRIBUTED_ROWS


def test_cause_records_are_complete_and_consistent() -> None:
    for key, cause in CAUSES.items():
        assert key == cause.id
        assert cause.meaning.strip()
        if key == UNATTRIBUTED:
            continue
        assert cause.kind in {"reference_bug", "convention", "input_reading", "unit_typo"}
        assert key.startswith(f"{cause.kind}:"), key
        assert cause.seen_in in {V1, PACKAGE, BOTH}, key


def test_every_emulated_and_reference_convention_cause_is_documented() -> None:
    emulated = {e.cause for group in EMULATIONS.values() for e in group}
    emulated |= {e.cause for group in ENTITY_EMULATIONS.values() for e in group}
    assert emulated <= set(CAUSES)
    for calculator_id, options in REFERENCE.items():
        slug = calculators.get(calculator_id).info.slug
        for name in options:
            assert f"convention:{slug}.{name}" in CAUSES


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        (0.00226, 0.002),  # 2.26 mmol → mol, row 114
        (0.00084, 0.00084),  # below 0.001: 3 significant figures, row 521
        (0.235 / 386.65, 0.000608),  # row 552
        (1.93327, 1.933),
        (0.0, 0.0),
    ],
)
def test_round_v1_matches_the_printed_steps(value: float, kept: float) -> None:
    assert reference_v1.round_v1(value) == kept


@pytest.mark.parametrize(
    ("value", "unit", "analyte", "printed"),
    [
        (2.26, "mmol/L", "calcium", 8.0),  # row 114: "converts to 8.0 mg Calcium/dL"
        (2.6, "mmol/L", "calcium", 12.0),  # row 117
        (4.75, "mmol/L", "cholesterol_ldl", 193.3),  # row 513
        (2.86, "mmol/L", "triglycerides", 258.4),  # row 521
        (80.4, "µmol/L", "creatinine", 0.9),  # row 23
        (88.41, "µmol/L", "bilirubin", 5.2),  # row 888
        (121.32, "µmol/L", "creatinine", 1.4),  # row 888
        (3.0, "mg/dL", "bilirubin", 3.0),
    ],
)
def test_v1_conversion_chain_reproduces_explanations(
    value: float, unit: str, analyte: str, printed: float
) -> None:
    assert reference_v1.to_mg_per_dl(value, unit, analyte) == printed


def test_v1_conversion_refuses_units_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="mmol/dL"):
        reference_v1.to_mg_per_dl(1.0, "mmol/dL", "calcium")


def test_framingham_v1_score_matches_every_explanation() -> None:
    rows = _rows(46)
    assert len(rows) == 16
    for row in rows:
        printed = re.search(r"= (-?\d+\.\d)\.\nPlugging", row["Ground Truth Explanation"])
        assert printed is not None, row["Row Number"]
        score, _ = framingham_v1_score(parse_entities(row["Relevant Entities"]))
        assert score == float(printed.group(1)), row["Row Number"]


_SOFA_ORGAN_WORDS = {
    "respiration": "FiO₂ ratio",
    "cardiovascular": "micrograms/kg/min",
    "cns": "glasgow coma score",
    "liver": "bilirubin concentration",
    "coagulation": "platelet count",
    "renal": ("creatinine concentration", "urine output"),
}


def _sofa_points_printed(explanation: str) -> dict[str, int]:
    """Each organ's points as the v1.0 explanation adds them ("… total 4 + 2 = 6"); a step
    belongs to the organ named last in the text since the previous step."""
    printed: dict[str, int] = {}
    chunk = ""
    for sentence in re.split(r"(?<=\.)\s+", explanation):
        chunk += " " + sentence.casefold()
        step = re.search(r"\d+ \+ (\d+) = \d+|keeping the (?:current )?(?:total|score)", sentence)
        if step is None:
            continue
        named = {
            organ: max(
                chunk.rfind(w.casefold()) for w in ((words,) if isinstance(words, str) else words)
            )
            for organ, words in _SOFA_ORGAN_WORDS.items()
        }
        organ = max(named, key=lambda o: named[o])
        assert named[organ] >= 0, sentence
        printed[organ] = int(step.group(1)) if step.group(1) else 0
        chunk = ""
    return printed


def test_sofa_v1_points_match_every_explanation_organ_by_organ() -> None:
    calculator = calculators.get(43)
    assert isinstance(calculator, ScoreTable)
    rows = _rows(43)
    assert len(rows) == 20
    for row in rows:
        entities = parse_entities(row["Relevant Entities"])
        points = sofa_v1_points(entities, calculator.evaluate_entities(entities))
        printed = _sofa_points_printed(row["Ground Truth Explanation"])
        # An organ the explanation never scores contributed 0 in v1.0.
        assert points == {organ: printed.get(organ, 0) for organ in points}, row["Row Number"]
        assert sum(points.values()) == int(row["Ground Truth Answer"]), row["Row Number"]


def test_apache_v1_skips_creatinine_1_5_to_1_9_without_renal_failure() -> None:
    """The emulation leaves creatinine 1.5–1.9 mg/dL unscored without renal failure because the
    v1.0 explanations of exactly those rows never mention creatinine."""
    for row in _rows(28):
        entities = parse_entities(row["Relevant Entities"])
        creatinine = float(entities["creatinine"][0])
        renal_failure = any(
            entities.get(k) is True
            for k in ("Acute renal failure", "Chronic renal failure", "Chronic Renal Failure")
        )
        mentioned = "creatinine" in row["Ground Truth Explanation"].casefold()
        assert mentioned == (renal_failure or not 1.5 <= creatinine < 2.0), row["Row Number"]


def test_apache_v1_nonoperative_never_earns_chronic_health_points() -> None:
    for row in _rows(28):
        entities = parse_entities(row["Relevant Entities"])
        if str(entities.get("Surgery Type", "")).strip() != "Nonoperative":
            continue
        explanation = row["Ground Truth Explanation"]
        assert "classified as Nonoperative" in explanation
        # The chronic-health sentence is followed directly by the age points, from 0.
        assert re.search(r"Nonoperative ?\. Because the patient's age [^.]*, 0 \+", explanation)


EXPECTED = {
    "23": "reference_bug:ckd_epi_male_kappa_rounded_conversion",
    "114": "reference_bug:conversion_rounding",
    "117": "reference_bug:conversion_rounding",
    "513": "reference_bug:conversion_rounding",
    "521": "reference_bug:conversion_rounding",
    "552": "reference_bug:framingham_mmol_fraction",
    "557": "reference_bug:framingham_mmol_fraction",
    "209": "reference_bug:child_pugh_ascites_unscored",
    "875": "reference_bug:apache_v1_scoring",
    "877": "reference_bug:apache_v1_scoring",
    "888": "reference_bug:sofa_v1_scoring",
    "896": "reference_bug:sofa_v1_scoring",
}


def test_rows_attributed_to_their_causes() -> None:
    rows = {r["Row Number"]: r for r in read_benchmark_csv(V10)[1]}
    for number, cause in EXPECTED.items():
        # from the entities as listed: attribution explains the benchmark's own computation
        assert relabel_row(rows[number], ground_note=False)[1:] == ("changed", cause), number


def test_emulations_that_cannot_run_attribute_nothing_and_never_raise() -> None:
    """A row the v1.0 emulations cannot re-enact (a creatinine without its unit, a sex the
    Framingham coefficients do not know) is left unattributed."""
    calculator = calculators.get(43)
    assert isinstance(calculator, ScoreTable)
    row = {r["Row Number"]: r for r in _rows(43)}["888"]
    entities = parse_entities(row["Relevant Entities"])
    evaluation = calculator.evaluate_entities(entities)
    assert attribute(43, calculator, entities, evaluation, "13") == "reference_bug:sofa_v1_scoring"
    entities["creatinine"] = [121.32]
    assert attribute(43, calculator, entities, evaluation, "13") == UNATTRIBUTED
    framingham = parse_entities(_rows(46)[0]["Relevant Entities"])
    framingham["sex"] = "Unknown"
    assert attribute(46, None, framingham, None, "0") == UNATTRIBUTED
