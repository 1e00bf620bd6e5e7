"""Why a MedCalc-Bench label differs from the recomputed one: a fixed, machine-readable vocabulary.

Each documented reference bug (``reference/medcalc-bench.md`` §5, and the v1.0 explanation texts)
is written as an *emulation*: the recomputed evaluation with that bug put back. A changed row is
attributed to the first emulation (or combination listed) that reproduces the original label
exactly, so an attribution is evidence, not a guess. A change no emulation reproduces is
``unattributed``.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import calculators
from calculators import entity_values, units
from calculators.conventions import resolve
from calculators.criteria import Evaluation, ScoreTable
from calculators.errors import CalculatorError
from ehrmind_rewards.tasks.medcalc.bench import reference_v1
from ehrmind_rewards.tasks.medcalc.bench.conventions import REFERENCE

UNATTRIBUTED = "unattributed"
CAUSES: dict[str, str] = {
    "reference_bug:gcs_verbal_twice": "GCS: the verbal score is added twice (v1.0 code).",
    "reference_bug:rcri_cerebrovascular_key": "RCRI: only the key 'Cerebrovascular disease "
    "history' is read; 'History of cerebrovascular disease' is ignored.",
    "reference_bug:child_pugh_ascites_unscored": "Child-Pugh (v1.0 code): ascites is compared to "
    "capitalised values and never scores (GitHub issue #8); bilirubin exactly 2 mg/dL scores 0 and "
    "exactly 3 scores 3; albumin exactly 2.8 g/dL scores 3; an encephalopathy spelling such as "
    "'Grade 0' scores 0.",
    "reference_bug:sirs_wbc_per_m3": "SIRS (v1.0 code): the WBC count is converted to count per "
    "m³ before comparing with 4,000 and 12,000, so a count per µL always meets the criterion.",
    "reference_bug:sirs_heart_rate_always": "SIRS (v1.0 code): WBC per m³ as above, and the "
    "heart-rate criterion counted whatever the heart rate.",
    "unit_typo:temperature": "'degrees celsisus' (misspelt Celsius) read as Fahrenheit.",
    "reference_bug:apache_v1_scoring": "APACHE II (v1.0 code): 'degrees celsisus' read as "
    "Fahrenheit, WBC per µL read as 10⁹/L, GCS added instead of 15 − GCS, pH 7.25–7.32 unscored, "
    "creatinine 1.5–1.9 mg/dL unscored without renal failure, 'Nonoperative' earning no "
    "chronic-health points.",
    "reference_bug:sofa_v1_scoring": "SOFA (v1.0 code): P/F computed with FiO₂ in percent (so "
    "always below 100): 4 points on mechanical ventilation, 0 on CPAP alone, else 2; "
    "cardiovascular 2 whenever dopamine ≤ 5 µg/kg/min (absent counts as 0) or dobutamine is "
    "given, else 3; renal scored from urine output alone when it is documented (< 500 mL/day: 3, "
    "else 0), from creatinine otherwise; µmol/L inputs converted with rounded steps.",
    "reference_bug:caprini_running_total": "Caprini (v1.0 code): every yes/no item is added to a "
    "copy of the running total, so only age, type of surgery and mobility reach the answer.",
    "reference_bug:gbs_hemoglobin_boundary": "Glasgow-Blatchford: haemoglobin exactly at the upper "
    "limit (13 g/dL men, 12 g/dL women) scored as below it.",
    "reference_bug:cci_case_sensitive_strings": "Charlson (v1.0 code): liver disease, diabetes and "
    "solid tumour score 1 for any non-empty value (even 'None or diet-controlled'; 'Metastatic' "
    "scores 1 instead of 6, 'Moderate to Severe' liver 1 instead of 3).",
    "convention:missing_cough_scored_absent": "Centor/FeverPAIN: the reference scores an "
    "undocumented cough (or coryza) status as 'absent' (+1); this project scores it 0.",
    "reference_bug:ckd_epi_male_kappa": "CKD-EPI (v1.0 code): κ = 0.7, the female value, used for "
    "men with creatinine ≤ 0.9 mg/dL (eGFR about 7 % low).",
    "reference_bug:ckd_epi_male_kappa_rounded_conversion": "CKD-EPI (v1.0 code): the male κ "
    "bug above, reached because the creatinine conversion rounded each step (80.4 µmol/L became "
    "0.9 mg/dL, not 0.909).",
    "reference_bug:conversion_rounding": "Calcium correction, LDL (v1.0 code): a mmol/L or g/L "
    "input converted step by step with each step rounded to 3 decimals (2.26 mmol/L calcium "
    "became 8.0 mg/dL, not 9.06).",
    "reference_bug:framingham_mmol_fraction": "Framingham (v1.0 code): cholesterol converted to "
    "mmol/L (with rounded steps) and put into the mg/dL coefficients, the score rounded to 1 "
    "decimal, and the risk returned as a fraction rounded to 1 decimal instead of a percentage.",
    "reference_bug:edd_short_cycle_sign": "Estimated due date (v1.0 code): cycles shorter than 28 "
    "days add |cycle − 28| days instead of subtracting them.",
    "reference_bug:meld_integer_rounding": "MELD Na (v1.0 code): MELD(i) rounded to an integer "
    "before × 10, and the dialysis rule applied only when 1 ≤ creatinine ≤ 4 mg/dL.",
    "convention:due_date.rule": "Estimated due date: the reference adds 280 days to the LMP; the "
    "default is Naegele's calendar rule (LMP + 1 year − 3 months + 7 days), up to 3 days apart.",
    "convention:conception_date.rule": "Conception date: the reference adds 14 days to the LMP "
    "whatever the cycle length; the default places ovulation 14 days before the next menses, "
    "LMP + (cycle − 14) days.",
    "convention:delta_gap.definition": "Delta gap: the reference reports ΔAG = AG − 12; the "
    "default is Wrenn's delta gap ΔAG − ΔHCO3 = (AG − 12) − (24 − HCO3).",
    "convention:albumin_corrected_delta_gap.definition": "Albumin-corrected delta gap: as the "
    "delta gap, the reference reports cAG − 12, the default (cAG − 12) − (24 − HCO3).",
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
    wanted = entity_values.normalize_key("Cerebrovascular disease history")
    read = any(
        v is True for k, v in entities.items() if entity_values.normalize_key(str(k)) == wanted
    )
    return float(ev.total) - _points(ev, "History of cerebrovascular disease") + float(read)


def _child_pugh_v1(table: ScoreTable, entities: Mapping[str, Any], ev: Evaluation) -> float:
    """v1.0: ascites never scored; bilirubin exactly 2 unscored and exactly 3 scored 3; albumin
    exactly 2.8 g/dL scored 3 (as below 2.8); encephalopathy spellings other than the three
    listed (e.g. 'Grade 0') unscored."""
    total = float(ev.total) - _points(ev, "Ascites")
    bilirubin = ev.values.get("bilirubin")
    if bilirubin == 2.0:
        total -= _points(ev, "Total bilirubin")
    elif bilirubin == 3.0:
        total += 1
    if ev.values.get("albumin") == 2.8:
        total += 3 - _points(ev, "Albumin")
    spelling = _raw(entities, "Encephalopathy")
    if isinstance(spelling, str) and spelling not in {
        "No Encephalopathy",
        "Grade 1-2",
        "Grade 3-4",
    }:
        total -= _points(ev, "Encephalopathy")
    return total


_PER_M3 = {"µL": 1e9, "μL": 1e9, "mm^3": 1e9, "L": 1e3, "m^3": 1.0}


def _sirs_wbc_per_m3(table: ScoreTable, entities: Mapping[str, Any], ev: Evaluation) -> float:
    """v1.0: the WBC count converted to count per m³, then compared with 4,000 and 12,000."""
    raw = _raw(entities, "White blood cell count")
    if not (isinstance(raw, list) and len(raw) == 2 and str(raw[1]) in _PER_M3):
        return float("nan")
    per_m3 = float(raw[0]) * _PER_M3[str(raw[1])]
    met = 1 if per_m3 > 12_000 or per_m3 < 4_000 else 0
    return float(ev.total) - _points(ev, "White blood cell count") + met


def _sirs_v1(table: ScoreTable, entities: Mapping[str, Any], ev: Evaluation) -> float:
    """v1.0: WBC per m³ as above, and the heart-rate criterion counted whatever the rate."""
    return _sirs_wbc_per_m3(table, entities, ev) - _points(ev, "Heart rate") + 1


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
    """v1.0: 'degrees celsisus' read as °F; WBC per µL read as ×10⁹/L; GCS added instead of
    15 − GCS; pH 7.25–7.32 unscored; creatinine 1.5–1.9 mg/dL unscored without renal failure
    (the explanations skip the creatinine step); chronic health only for 'Elective' (2) or
    'Emergency' (5) — every 'Nonoperative' row of v1.0 earns 0."""
    values = dict(ev.values)
    raw = _raw(entities, "Temperature")
    if isinstance(raw, list) and "celsisus" in str(raw[1]):
        values["temperature"] = (float(raw[0]) - 32) * 5 / 9
    wbc = values.get("wbc")
    if isinstance(wbc, float):
        values["wbc"] = wbc * 1000.0  # count per µL read as ×10⁹/L, then ×1000 per µL
    points = {label: float(p) for label, p, _ in table.evaluate(values)}
    gcs = values.get("gcs")
    points["Glasgow Coma Scale"] = float(gcs) if isinstance(gcs, float) else 0.0
    creatinine = values.get("creatinine")
    renal_failure = values.get("acute_renal_failure") is True or any(
        _raw(entities, key) is True for key in ("Chronic renal failure", "Chronic Renal Failure")
    )
    if isinstance(creatinine, float) and 1.5 <= creatinine < 2.0 and not renal_failure:
        points["Creatinine"] = 0.0
    ph = values.get("ph")
    if isinstance(ph, float) and 7.25 <= ph < 7.33:
        points["Arterial pH"] = 0.0
    surgery = _raw(entities, "Surgery Type")
    chronic = values.get("chronic_organ_failure") is True
    points["Chronic health"] = (
        {"Emergency": 5.0, "Elective": 2.0}.get(str(surgery), 0.0) if chronic else 0.0
    )
    return float(sum(points.values()))


def _caprini_running_total(table: ScoreTable, entities: Mapping[str, Any], ev: Evaluation) -> float:
    """v1.0: yes/no items are added to a copy of the total, so only age, surgery and mobility
    reach the answer."""
    return float(sum(_points(ev, label) for label in ("Age", "Type of surgery", "Mobility")))


def _gbs_hemoglobin(table: ScoreTable, entities: Mapping[str, Any], ev: Evaluation) -> float:
    hb, sex = ev.values.get("hemoglobin"), ev.values.get("sex")
    top = 13.0 if sex == "Male" else 12.0
    if hb == top:
        return float(ev.total) + 1
    return float("nan")


def _cci_case(table: ScoreTable, entities: Mapping[str, Any], ev: Evaluation) -> float:
    """v1.0: liver disease, diabetes and solid tumour score 1 for any non-empty value (even
    'None or diet-controlled', 'Metastatic'), 0 when false or missing."""
    total = float(ev.total)
    for key, label in (
        ("Liver disease severity", "Liver disease"),
        ("Diabetes mellitus criteria for CCI rule", "Diabetes mellitus"),
        ("Solid tumor", "Solid tumor"),
    ):
        raw = _raw(entities, key)
        truthy = 1 if (raw is True or (isinstance(raw, str) and raw.strip())) else 0
        total += truthy - _points(ev, label)
    return total


_SOFA_BILIRUBIN_V1 = ((12.0, 4), (6.0, 3), (2.0, 2), (1.2, 1))
_SOFA_CREATININE_V1 = ((5.0, 4), (3.5, 3), (2.0, 2), (1.2, 1))


def _v1_mg_per_dl(entities: Mapping[str, Any], key: str, analyte: str) -> float | None:
    raw = _raw(entities, key)
    if raw is None:
        return None
    return reference_v1.to_mg_per_dl(float(raw[0]), str(raw[1]), analyte)


def _at_least(value: float | None, bands: tuple[tuple[float, int], ...]) -> int:
    if value is None:
        return 0
    return next((points for low, points in bands if value >= low), 0)


def sofa_v1_points(entities: Mapping[str, Any], ev: Evaluation) -> dict[str, int]:
    """Points per organ system as the v1.0 SOFA code gave them (reconstructed from the v1.0
    explanations; a branch no v1.0 row reaches raises ``ValueError`` rather than guess).

    Respiration: PaO₂ / FiO₂ with FiO₂ in percent, so the "ratio" is below 100: 4 points on
    mechanical ventilation, none on CPAP alone (no branch matched), otherwise 2. Cardiovascular:
    the 2-point test (dopamine ≤ 5 µg/kg/min, an absent dose counting as 0, or any dobutamine)
    comes first, else 3 (dopamine 5–15; above 15 is not reconstructed). CNS and coagulation as
    published. Liver and renal use the rounded v1.0 conversion of µmol/L inputs; renal scores
    only the urine output when it is documented (< 500 mL/day: 3, the < 200 band never
    reached), else creatinine.
    """
    pao2, fio2 = ev.values.get("pao2"), ev.values.get("fio2")
    if not (isinstance(pao2, float) and isinstance(fio2, float)) or pao2 / fio2 >= 100:
        raise ValueError("v1.0 respiration branch not reconstructed for this input")
    if ev.values.get("ventilation") is True:
        respiration = 4
    else:
        respiration = 0 if ev.values.get("cpap") is True else 2
    dopamine = ev.values.get("dopamine")
    dopamine = dopamine if isinstance(dopamine, float) else 0.0
    if dopamine > 15:
        raise ValueError("v1.0 cardiovascular branch for dopamine > 15 not reconstructed")
    dobutamine = ev.values.get("dobutamine")
    given_dobutamine = isinstance(dobutamine, float) and dobutamine > 0
    urine = ev.values.get("urine_output")
    if isinstance(urine, float):
        renal = 3 if urine < 500 else 0
    else:
        creatinine = _v1_mg_per_dl(entities, "creatinine", "creatinine")
        renal = _at_least(creatinine, _SOFA_CREATININE_V1)
    bilirubin = _v1_mg_per_dl(entities, "Bilirubin", "bilirubin")
    return {
        "respiration": respiration,
        "cardiovascular": 2 if dopamine <= 5 or given_dobutamine else 3,
        "cns": int(_points(ev, "Central nervous system (GCS)")),
        "liver": _at_least(bilirubin, _SOFA_BILIRUBIN_V1),
        "coagulation": int(_points(ev, "Coagulation (platelets)")),
        "renal": renal,
    }


def _sofa_v1(table: ScoreTable, entities: Mapping[str, Any], ev: Evaluation) -> float:
    return float(sum(sofa_v1_points(entities, ev).values()))


def _missing_cough(name: str) -> Callable[[ScoreTable, Mapping[str, Any], Evaluation], float]:
    def emulate(table: ScoreTable, entities: Mapping[str, Any], ev: Evaluation) -> float:
        return float(ev.total) + 1 if name in ev.defaults_used else float("nan")

    return emulate


def _raw(entities: Mapping[str, Any], key: str) -> Any:
    wanted = entity_values.normalize_key(key)
    for k, v in entities.items():
        if entity_values.normalize_key(str(k)) == wanted:
            return v
    return None


EMULATIONS: dict[int, tuple[Emulation, ...]] = {
    15: (Emulation("reference_bug:child_pugh_ascites_unscored", _child_pugh_v1),),
    17: (Emulation("reference_bug:rcri_cerebrovascular_key", _rcri_one_key),),
    20: (Emulation("convention:missing_cough_scored_absent", _missing_cough("cough_absent")),),
    33: (Emulation("convention:missing_cough_scored_absent", _missing_cough("no_cough_coryza")),),
    21: (Emulation("reference_bug:gcs_verbal_twice", _gcs_verbal_twice),),
    27: (Emulation("reference_bug:gbs_hemoglobin_boundary", _gbs_hemoglobin),),
    28: (Emulation("reference_bug:apache_v1_scoring", _apache_v1),),
    29: (Emulation("unit_typo:temperature", _temperature_typo("Temperature")),),
    32: (Emulation("reference_bug:cci_case_sensitive_strings", _cci_case),),
    36: (Emulation("reference_bug:caprini_running_total", _caprini_running_total),),
    43: (Emulation("reference_bug:sofa_v1_scoring", _sofa_v1),),
    51: (
        Emulation("reference_bug:sirs_wbc_per_m3", _sirs_wbc_per_m3),
        Emulation("reference_bug:sirs_heart_rate_always", _sirs_v1),
    ),
}


@dataclass(frozen=True, slots=True)
class EntityEmulation:
    """A documented reference bug of an equation calculator, recomputed from the raw entities.

    ``original`` returns the label the buggy reference would give: a number (compared with a
    relative tolerance of 0.1 %, the labels' 3-decimal rounding) or a ``MM/DD/YYYY`` date string.
    """

    cause: str
    original: Callable[[Mapping[str, Any]], float | str]


def _quantity(entities: Mapping[str, Any], key: str, target: str, analyte: str | None) -> float:
    raw = _raw(entities, key)
    if not (isinstance(raw, list) and len(raw) == 2):
        raise ValueError(f"{key}: not a [value, unit] pair")
    return units.convert(float(raw[0]), str(raw[1]), target, analyte=analyte, field=key)


def _edd_short_cycle(entities: Mapping[str, Any]) -> str:
    """v1.0: EDD = LMP + 280 days + |cycle − 28| days (short cycles add instead of subtract)."""
    lmp = datetime.datetime.strptime(str(_raw(entities, "Last menstrual date")), "%m/%d/%Y")
    cycle = int(_raw(entities, "cycle length"))
    return (lmp + datetime.timedelta(days=280 + abs(cycle - 28))).strftime("%m/%d/%Y")


def _ckd_epi_male_kappa(entities: Mapping[str, Any]) -> float:
    """v1.0: for men with creatinine ≤ 0.9 mg/dL, 142 × (Scr/0.7)^−0.302 × 0.9938^age — κ = 0.7 (the
    female value), so Scr/κ may exceed 1 and still takes the −0.302 exponent."""
    if str(_raw(entities, "sex")).casefold() != "male":
        raise ValueError("the bug concerns men only")
    creatinine = _quantity(entities, "creatinine", "mg/dL", "creatinine")
    age = float(_raw(entities, "age")[0])
    if creatinine > 0.9:
        raise ValueError("the bug concerns creatinine ≤ 0.9 mg/dL")
    return float(142 * (creatinine / 0.7) ** -0.302 * 0.9938**age)


def _ckd_epi_rounded_conversion(entities: Mapping[str, Any]) -> float:
    """v1.0: creatinine converted by the rounded chain, then the male κ = 0.7 bug; the
    female branch is the published one (κ 0.7, α −0.241, × 1.012)."""
    raw = _raw(entities, "creatinine")
    creatinine = reference_v1.to_mg_per_dl(float(raw[0]), str(raw[1]), "creatinine")
    age = float(_raw(entities, "age")[0])
    if str(_raw(entities, "sex")).casefold() == "male":
        kappa, alpha, factor = (0.7, -0.302, 1.0) if creatinine <= 0.9 else (0.9, -1.2, 1.0)
    else:
        alpha = -0.241 if creatinine <= 0.7 else -1.2
        kappa, factor = 0.7, 1.012
    return float(142 * (creatinine / kappa) ** alpha * 0.9938**age * factor)


def _calcium_rounded_conversion(entities: Mapping[str, Any]) -> float:
    """v1.0: 0.8 × (4 − albumin) + calcium, both converted by the rounded chain."""
    calcium = _raw(entities, "Calcium")
    albumin = _raw(entities, "Albumin")
    ca = reference_v1.to_mg_per_dl(float(calcium[0]), str(calcium[1]), "calcium")
    alb = reference_v1.to_g_per_dl(float(albumin[0]), str(albumin[1]))
    return 0.8 * (4.0 - alb) + ca


def _ldl_rounded_conversion(entities: Mapping[str, Any]) -> float:
    """v1.0: Friedewald TC − HDL − TG/5 with each lipid converted by the rounded chain."""

    def mg_dl(key: str, analyte: str) -> float:
        raw = _raw(entities, key)
        return reference_v1.to_mg_per_dl(float(raw[0]), str(raw[1]), analyte)

    total = mg_dl("Total cholesterol", "cholesterol_ldl")
    hdl = mg_dl("high-density lipoprotein cholesterol", "cholesterol_ldl")
    return total - hdl - mg_dl("Triglycerides", "triglycerides") / 5


_FRAMINGHAM_V1 = {
    # ln age, ln TC, ln HDL, ln SBP, BP treated, smoker, ln age·ln TC, ln age(capped)·smoker,
    # ln age², constant, age cap for the smoking term, baseline survival (as printed by v1.0).
    "male": (
        52.00961,
        20.014077,
        -0.905964,
        1.305784,
        0.241549,
        12.096316,
        -4.605038,
        -2.84367,
        -2.93323,
        -172.300168,
        70.0,
        0.9402,
    ),
    "female": (
        31.764001,
        22.465206,
        -1.187731,
        2.552905,
        0.420251,
        13.07543,
        -5.060998,
        -2.996945,
        0.0,
        -146.5933061,
        78.0,
        0.98767,
    ),
}


def framingham_v1_score(entities: Mapping[str, Any]) -> tuple[float, float]:
    """v1.0's ATP-III hard-CHD score, rounded to 1 dp as its explanations print it, and the
    baseline survival S₀: cholesterol converted to mmol/L by the rounded chain although the
    coefficients are for mg/dL."""
    a, tc_c, hdl_c, sbp_c, bp_c, smoke_c, age_tc, age_smoke, age_sq, const, cap, s0 = (
        _FRAMINGHAM_V1[str(_raw(entities, "sex")).casefold()]
    )
    age = float(_raw(entities, "age")[0])
    sbp = float(_raw(entities, "Systolic Blood Pressure")[0])
    smoker = 1.0 if _raw(entities, "Smoker") is True else 0.0
    treated = 1.0 if _raw(entities, "Blood pressure being treated with medicines") is True else 0.0
    lipids = []
    for key in ("Total cholesterol", "high-density lipoprotein cholesterol"):
        raw = _raw(entities, key)
        if str(raw[1]).strip() != "mg/dL":
            raise ValueError(f"{key}: v1.0 converted only mg/dL")
        lipids.append(reference_v1.mg_per_dl_to_mmol_per_l(float(raw[0]), "cholesterol_framingham"))
    ln_age, ln_tc, ln_hdl = math.log(age), math.log(lipids[0]), math.log(lipids[1])
    score = (
        a * ln_age
        + tc_c * ln_tc
        + hdl_c * ln_hdl
        + sbp_c * math.log(sbp)
        + bp_c * treated
        + smoke_c * smoker
        + age_tc * ln_age * ln_tc
        + age_smoke * math.log(min(age, cap)) * smoker
        + age_sq * ln_age * ln_age
        + const
    )
    return round(score, 1), s0


def _framingham_mmol_fraction(entities: Mapping[str, Any]) -> float:
    """v1.0: risk 1 − S₀^exp(score) from :func:`framingham_v1_score`, returned as a fraction
    rounded to 1 dp instead of a percentage."""
    score, s0 = framingham_v1_score(entities)
    return round(1 - float(s0 ** math.exp(score)), 1)


def _meld_integer_round(entities: Mapping[str, Any]) -> float:
    """v1.0: MELD(i) rounded to an integer before × 10; dialysis applied only for 1 ≤ Cr ≤ 4."""
    creatinine = _quantity(entities, "creatinine", "mg/dL", "creatinine")
    bilirubin = _quantity(entities, "Bilirubin", "mg/dL", "bilirubin")
    inr = float(_raw(entities, "international normalized ratio"))
    sodium = _quantity(entities, "Sodium", "mmol/L", "sodium")
    dialysis = (
        _raw(entities, "Dialysis at least twice in the past week") is True
        or _raw(entities, "Continuous veno-venous hemodialysis for ≥24 hours in the past week")
        is True
    )
    if creatinine < 1.0:
        creatinine = 1.0
    elif creatinine > 4.0 or dialysis:
        creatinine = 4.0
    bilirubin, inr = max(bilirubin, 1.0), max(inr, 1.0)
    sodium = min(max(sodium, 125.0), 137.0)
    raw = 0.957 * math.log(creatinine) + 0.378 * math.log(bilirubin) + 1.120 * math.log(inr)
    meld = math.floor(raw + 0.643 + 0.5) * 10.0
    if meld > 11:
        meld = meld + 1.32 * (137 - sodium) - 0.033 * meld * (137 - sodium)
    return float(min(math.floor(meld + 0.5), 40))


ENTITY_EMULATIONS: dict[int, tuple[EntityEmulation, ...]] = {
    3: (
        EntityEmulation("reference_bug:ckd_epi_male_kappa", _ckd_epi_male_kappa),
        EntityEmulation(
            "reference_bug:ckd_epi_male_kappa_rounded_conversion", _ckd_epi_rounded_conversion
        ),
    ),
    7: (EntityEmulation("reference_bug:conversion_rounding", _calcium_rounded_conversion),),
    44: (EntityEmulation("reference_bug:conversion_rounding", _ldl_rounded_conversion),),
    46: (EntityEmulation("reference_bug:framingham_mmol_fraction", _framingham_mmol_fraction),),
    13: (EntityEmulation("reference_bug:edd_short_cycle_sign", _edd_short_cycle),),
    23: (EntityEmulation("reference_bug:meld_integer_rounding", _meld_integer_round),),
}


def _reproduces(emulated: float | str, original: str) -> bool:
    if isinstance(emulated, str):
        return emulated == original.strip()
    try:
        label = float(original)
    except ValueError:
        return False
    return math.isclose(emulated, label, rel_tol=1e-3, abs_tol=1e-3)


# An emulation that cannot re-enact the bug for a row (an input missing, malformed or outside the
# branches the v1.0 explanations show) attributes nothing; it never stops the relabelling.
_EMULATION_FAILURES = (
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    ArithmeticError,
    CalculatorError,
)


def _label_text(value: object) -> str:
    """A date or weeks/days value as the benchmark writes labels."""
    if isinstance(value, datetime.date):
        return value.strftime("%m/%d/%Y")
    if isinstance(value, tuple):
        weeks, days = value
        return str((f"{weeks} weeks", f"{days} days"))
    return str(value)


def reference_convention_cause(
    calculator_id: int,
    entities: Mapping[str, Any],
    original_text: str,
    conventions: Mapping[str, str] | None = None,
) -> str | None:
    """``convention:<slug>.<name>`` when recomputing with the reference calculator's options
    (:data:`.conventions.REFERENCE`) instead of ``conventions`` reproduces the original label."""
    reference = REFERENCE.get(calculator_id)
    if not reference:
        return None
    calculator = calculators.get(calculator_id)
    current = resolve(calculator.info.conventions, conventions, calculator=calculator.info.slug)
    differing = sorted(name for name, option in reference.items() if current[name] != option)
    if not differing:
        return None
    try:
        value = calculator.compute_from_entities(
            entities, conventions={**current, **reference}
        ).value
    except _EMULATION_FAILURES:
        return None
    emulated = float(value) if isinstance(value, int | float) else _label_text(value)
    if not _reproduces(emulated, original_text):
        return None
    return "+".join(f"convention:{calculator.info.slug}.{name}" for name in differing)


def attribute(
    calculator_id: int,
    table: ScoreTable | None,
    entities: Mapping[str, Any],
    evaluation: Evaluation | None,
    original_text: str,
    *,
    conventions: Mapping[str, str] | None = None,
) -> str:
    """The cause from :data:`CAUSES` whose emulation reproduces the original label, else
    :data:`UNATTRIBUTED`. A reference convention (recomputing with the reference calculator's
    option) is tried first, then the documented reference bugs."""
    convention = reference_convention_cause(calculator_id, entities, original_text, conventions)
    if convention is not None:
        return convention
    for entity_emulation in ENTITY_EMULATIONS.get(calculator_id, ()):
        try:
            emulated = entity_emulation.original(entities)
        except _EMULATION_FAILURES:
            continue
        if _reproduces(emulated, original_text):
            return entity_emulation.cause
    if table is None or evaluation is None:
        return UNATTRIBUTED
    try:
        original = float(original_text)
    except ValueError:
        return UNATTRIBUTED
    for emulation in EMULATIONS.get(calculator_id, ()):
        try:
            reproduced = emulation.original(table, entities, evaluation)
        except _EMULATION_FAILURES:
            continue
        if reproduced == original:
            return emulation.cause
    return UNATTRIBUTED
