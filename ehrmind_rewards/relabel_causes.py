"""Why a MedCalc-Bench label differs from the recomputed one: a fixed, machine-readable vocabulary.

Each documented reference bug (``reference/medcalc-bench.md`` §5, and the v1.0 explanation texts)
is written as an *emulation*: the recomputed evaluation with that bug put back. A changed row is
attributed to the first emulation (or combination listed) that reproduces the original label
exactly, so an attribution is evidence, not a guess. A change no emulation reproduces is
``unattributed``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from calculators import entity_values
from calculators.criteria import Evaluation, ScoreTable

UNATTRIBUTED = "unattributed"
CAUSES: dict[str, str] = {
    "reference_bug:gcs_verbal_twice": "GCS: the verbal score is added twice (v1.0 code).",
    "reference_bug:rcri_cerebrovascular_key": "RCRI: only the key 'Cerebrovascular disease "
    "history' is read; 'History of cerebrovascular disease' is ignored.",
    "reference_bug:child_pugh_ascites_unscored": "Child-Pugh: ascites is compared to capitalised "
    "values and never scores (GitHub issue #8).",
    "reference_bug:sirs_heart_rate_always": "SIRS: the heart-rate criterion is counted whatever "
    "the heart rate; WBC per 'm^3' read per cubic metre.",
    "unit_typo:temperature": "'degrees celsisus' (misspelt Celsius) read as Fahrenheit.",
    "reference_bug:apache_v1_scoring": "APACHE II (v1.0 code): temperature typo read as "
    "Fahrenheit, WBC per µL read as 10⁹/L, GCS added instead of 15 − GCS.",
    "reference_bug:caprini_running_total": "Caprini (v1.0 code): most items add to a stale "
    "running total, so only age, surgery, mobility and the last items count; BMI never read.",
    "reference_bug:gbs_hemoglobin_boundary": "Glasgow-Blatchford: haemoglobin exactly at the upper "
    "limit (13 g/dL men, 12 g/dL women) scored as below it.",
    "reference_bug:cci_case_sensitive_strings": "Charlson: categorical values compared "
    "case-sensitively, so capitalised severities ('Metastatic', 'Moderate to Severe', "
    "'End-organ damage') score as a bare 'present' or not at all.",
    "convention:missing_cough_scored_absent": "Centor/FeverPAIN: the reference scores an "
    "undocumented cough (or coryza) status as 'absent' (+1); this project scores it 0.",
    UNATTRIBUTED: "No documented reference bug reproduces the original label.",
}


@dataclass(frozen=True, slots=True)
class Emulation:
    """A documented reference bug, re-applied to a recomputed evaluation."""

    cause: str
    original: Callable[[ScoreTable, Mapping[str, Any], Evaluation], float]


def _points(evaluation: Evaluation, label: str) -> float:
    for name, points, _ in evaluation.points:
        if name == label:
            return float(points)
    raise KeyError(label)


def _gcs_verbal_twice(table: ScoreTable, entities: Mapping[str, Any], ev: Evaluation) -> float:
    verbal = _points(ev, "Verbal response")
    if ev.values.get("verbal") == "not testable":
        verbal = 4.0
    return float(ev.total) - _points(ev, "Verbal response") + 2 * verbal


def _rcri_one_key(table: ScoreTable, entities: Mapping[str, Any], ev: Evaluation) -> float:
    wanted = entity_values.normalise_key("Cerebrovascular disease history")
    read = any(
        v is True for k, v in entities.items() if entity_values.normalise_key(str(k)) == wanted
    )
    return float(ev.total) - _points(ev, "History of cerebrovascular disease") + float(read)


def _child_pugh_ascites(table: ScoreTable, entities: Mapping[str, Any], ev: Evaluation) -> float:
    total = float(ev.total) - _points(ev, "Ascites")
    if ev.values.get("bilirubin") == 3.0:
        total += 1
    return total


def _sirs_v1(table: ScoreTable, entities: Mapping[str, Any], ev: Evaluation) -> float:
    total = float(ev.total) - _points(ev, "Heart rate > 90") + 1
    raw = _raw(entities, "White blood cell count")
    if isinstance(raw, list) and len(raw) == 2 and str(raw[1]).strip() in {"m^3", "L"}:
        total += 1 - _points(ev, "WBC > 12,000 or < 4,000 /µL")
    return total


def _temperature_typo(label: str) -> Callable[[ScoreTable, Mapping[str, Any], Evaluation], float]:
    def emulate(table: ScoreTable, entities: Mapping[str, Any], ev: Evaluation) -> float:
        raw = _raw(entities, "Temperature")
        if not (isinstance(raw, list) and "celsisus" in str(raw[1])):
            return float("nan")
        fahrenheit_read = (float(raw[0]) - 32) * 5 / 9
        values = dict(ev.values)
        values["temperature"] = fahrenheit_read
        return float(sum(p for _, p, _ in table.evaluate(values)))

    return emulate


def _apache_v1(table: ScoreTable, entities: Mapping[str, Any], ev: Evaluation) -> float:
    values = dict(ev.values)
    raw = _raw(entities, "Temperature")
    if isinstance(raw, list) and "celsisus" in str(raw[1]):
        values["temperature"] = (float(raw[0]) - 32) * 5 / 9
    wbc = values.get("wbc")
    if isinstance(wbc, float):
        values["wbc"] = wbc * 1000.0  # count per µL read as ×10⁹/L, then ×1000 per µL
    points = dict((label, p) for label, p, _ in table.evaluate(values))
    gcs = values.get("gcs")
    points["Glasgow Coma Scale"] = float(gcs) if isinstance(gcs, float) else 0.0
    points["Chronic health"] = 0
    return float(sum(points.values()))


def _caprini_running_total(
    table: ScoreTable, entities: Mapping[str, Any], ev: Evaluation
) -> float:
    keep = (
        "Age",
        "Type of surgery",
        "Mobility",
        "History of inflammatory bowel disease",
        "Acute myocardial infarction",
        "COPD",
        "Present or previous malignancy",
    )
    return float(sum(_points(ev, label) for label in keep))


def _gbs_hemoglobin(table: ScoreTable, entities: Mapping[str, Any], ev: Evaluation) -> float:
    hb, sex = ev.values.get("hemoglobin"), ev.values.get("sex")
    top = 13.0 if sex == "Male" else 12.0
    if hb == top:
        return float(ev.total) + 1
    return float("nan")


def _cci_case(table: ScoreTable, entities: Mapping[str, Any], ev: Evaluation) -> float:
    total = float(ev.total)
    tumor = ev.values.get("solid_tumor")
    if tumor in {"localized", "metastatic"}:
        total += 1 - _points(ev, "Solid tumor")
    liver = _raw(entities, "Liver disease severity")
    if isinstance(liver, str) and liver != "mild" and liver != "moderate to severe":
        total += (1 if liver.strip() else 0) - _points(ev, "Liver disease")
    diabetes = _raw(entities, "Diabetes mellitus criteria for CCI rule")
    if isinstance(diabetes, str) and diabetes not in {"uncomplicated", "end-organ damage"}:
        total -= _points(ev, "Diabetes mellitus")
    return total


def _missing_cough(name: str) -> Callable[[ScoreTable, Mapping[str, Any], Evaluation], float]:
    def emulate(table: ScoreTable, entities: Mapping[str, Any], ev: Evaluation) -> float:
        return float(ev.total) + 1 if name in ev.defaults_used else float("nan")

    return emulate


def _raw(entities: Mapping[str, Any], key: str) -> Any:
    wanted = entity_values.normalise_key(key)
    for k, v in entities.items():
        if entity_values.normalise_key(str(k)) == wanted:
            return v
    return None


EMULATIONS: dict[int, tuple[Emulation, ...]] = {
    15: (Emulation("reference_bug:child_pugh_ascites_unscored", _child_pugh_ascites),),
    17: (Emulation("reference_bug:rcri_cerebrovascular_key", _rcri_one_key),),
    20: (Emulation("convention:missing_cough_scored_absent", _missing_cough("cough_absent")),),
    33: (Emulation("convention:missing_cough_scored_absent", _missing_cough("no_cough_coryza")),),
    21: (Emulation("reference_bug:gcs_verbal_twice", _gcs_verbal_twice),),
    27: (Emulation("reference_bug:gbs_hemoglobin_boundary", _gbs_hemoglobin),),
    28: (Emulation("reference_bug:apache_v1_scoring", _apache_v1),),
    29: (Emulation("unit_typo:temperature", _temperature_typo("Temperature")),),
    32: (Emulation("reference_bug:cci_case_sensitive_strings", _cci_case),),
    36: (Emulation("reference_bug:caprini_running_total", _caprini_running_total),),
    51: (Emulation("reference_bug:sirs_heart_rate_always", _sirs_v1),),
}


def attribute(
    calculator_id: int,
    table: ScoreTable | None,
    entities: Mapping[str, Any],
    evaluation: Evaluation | None,
    original: float,
) -> str:
    """The cause from :data:`CAUSES` whose emulation reproduces ``original``, else unattributed."""
    if table is None or evaluation is None:
        return UNATTRIBUTED
    for emulation in EMULATIONS.get(calculator_id, ()):
        try:
            reproduced = emulation.original(table, entities, evaluation)
        except (KeyError, ValueError, TypeError):
            continue
        if reproduced == original:
            return emulation.cause
    return UNATTRIBUTED
