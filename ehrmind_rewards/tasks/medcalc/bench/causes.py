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

V1 = "v1.0 labels"
PACKAGE = "medcalc-bench 1.7.0"
BOTH = f"{V1}; {PACKAGE}"


@dataclass(frozen=True, slots=True)
class Cause:
    """One documented reason why a reference answer differs from this project's."""

    id: str
    kind: str
    """``reference_bug``, ``convention``, ``input_reading`` or ``unit_typo``."""
    seen_in: str
    """Where it was verified: the v1.0 labels (their explanations print the reference's steps),
    the reference package's code, or both."""
    meaning: str


def _causes(*causes: Cause) -> dict[str, Cause]:
    return {cause.id: cause for cause in causes}


def _bug(name: str, seen_in: str, meaning: str) -> Cause:
    return Cause(f"reference_bug:{name}", "reference_bug", seen_in, meaning)


CAUSES: dict[str, Cause] = _causes(
    # --- conventions: the reference's option differs from the default (calculators.conventions)
    Cause(
        "convention:due_date.rule",
        "convention",
        BOTH,
        "Estimated due date: the reference adds 280 days to the LMP (estimated_due_date.py); the "
        "default is Naegele's calendar rule (LMP + 1 year − 3 months + 7 days), 0 to 3 days later.",
    ),
    Cause(
        "convention:conception_date.rule",
        "convention",
        BOTH,
        "Conception date: the reference adds 14 days to the LMP whatever the cycle length "
        "(conception_date.py); the default places ovulation 14 days before the next menses, "
        "LMP + (cycle − 14) days.",
    ),
    Cause(
        "convention:delta_gap.definition",
        "convention",
        BOTH,
        "Delta gap: the reference reports ΔAG = AG − 12 (delta_gap.py); the default is Wrenn's "
        "delta gap ΔAG − ΔHCO3 = (AG − 12) − (24 − HCO3).",
    ),
    Cause(
        "convention:albumin_corrected_delta_gap.definition",
        "convention",
        BOTH,
        "Albumin-corrected delta gap: as the delta gap, the reference reports cAG − 12, the "
        "default (cAG − 12) − (24 − HCO3).",
    ),
    Cause(
        "convention:cockcroft_gault.weight",
        "convention",
        BOTH,
        "Cockcroft-Gault: the reference chooses the weight by BMI (creatinine_clearance.py: "
        "actual below 18.5, min(IBW, actual) up to 24.9, adjusted IBW + 0.4 × (actual − IBW) "
        "above); the default is Cockcroft and Gault's actual body weight. The v1.0 questions ask "
        "for the BMI-based weight, so their rows are computed with it.",
    ),
    Cause(
        "convention:missing_cough_scored_absent",
        "convention",
        V1,
        "Centor/FeverPAIN: the reference scores an undocumented cough (or coryza) status as "
        "'absent' (+1); this project scores it 0.",
    ),
    # --- the reference's unit arithmetic and readings
    _bug(
        "conversion_rounding",
        BOTH,
        "Unit conversions done step by step (amount → mol → g → per volume) with the "
        "reference's molar masses (e.g. triglycerides 861.338, BUN 28.02, glucose 180.16 g/mol), "
        "each step rounded to 3 decimals or 3 significant figures (utils/unit_converter_new.py, "
        "utils/rounding.py; negative values keep 3 significant figures, −11.26 → −11.3), and "
        "intermediate results rounded likewise: 2.26 mmol/L calcium becomes 8.0 mg/dL, not "
        "9.06. Seen in calcium correction and LDL labels, and in the package's Cockcroft-Gault, "
        "CKD-EPI, MDRD, sodium correction, serum osmolality, FENa, anion-gap family, LDL, RCRI, "
        "CURB-65, Glasgow-Blatchford and PSI (BUN, glucose, sodium) arithmetic.",
    ),
    Cause(
        "unit_typo:temperature",
        "unit_typo",
        BOTH,
        "Temperature: any unit but the exact spelling 'degrees celsius' is read as Fahrenheit "
        "(utils/convert_temperature.py), so the benchmark's misspelt 'degrees celsisus' is "
        "converted from °F.",
    ),
    Cause(
        "input_reading:age_whole_years",
        "input_reading",
        PACKAGE,
        "Ages: the reference reads months and weeks as whole years (floor division) and days as "
        "0 (utils/age_conversion.py); this project converts them exactly (18 months = 1.5 years).",
    ),
    _bug(
        "required_input",
        PACKAGE,
        "The reference raises (KeyError, or TypeError on PSI's PaO2) when an input is missing "
        "that the publication lets go undocumented (e.g. PSI's pH or PaO2, SOFA's bilirubin, "
        "platelets, PaO2 and FiO2, Wells' PE heart rate); this project applies the published "
        "missing-data rule.",
    ),
    _bug(
        "argument_names",
        PACKAGE,
        "Argument names the package reads that the benchmark's name_to_python.json never "
        "passes: PSI and APACHE II read 'hemocratit' (KeyError); SOFA, and APACHE II when FiO2 "
        "< 50 %, 'partial_pressure_oxygen' (the file says 'pao2'; KeyError); LDL and Framingham "
        "'total_cholestrol' and 'hdl_cholestrol' (KeyError); SOFA 'dobutamine' (the file says "
        "'doboutamine': dobutamine never counts); APACHE II 'organ_failure_immunocompromise' "
        "(chronic health never counts); Wells' DVT 'previous_dvt' (a previous DVT never "
        "counts); Caprini 'multiple trauma' (moot: no yes/no item reaches Caprini's total, see "
        "caprini_running_total). The differential test passes the package's own names, so each "
        "calculator's logic is compared; the effect of the mismatch is tested separately.",
    ),
    # --- per-calculator reference bugs
    _bug(
        "target_weight_import",
        PACKAGE,
        "Target weight: target_weight.py fails to import "
        "(it imports convert_height_to_target_unit_explanation, which utils/height_conversion.py "
        "does not define), so the package has no target-weight calculator.",
    ),
    _bug(
        "no_delta_ratio_module",
        PACKAGE,
        "Delta ratio: the package has no delta-ratio module "
        "(name_to_python.json names compute_delta_ratio_explanation, defined nowhere).",
    ),
    _bug("gcs_verbal_twice", V1, "GCS: the verbal score is added twice (v1.0 code)."),
    _bug(
        "gcs_not_testable_verbal_4",
        BOTH,
        "GCS (glasgow_coma_score.py): a verbal response recorded 'not testable' scores 4, "
        "although the reference's own rule gives an untestable item the full score and its "
        "explanation says the response is taken as 'oriented' (5). (An eye response 'not "
        "testable' scores 4, the full eye score, as the rule says.)",
    ),
    _bug(
        "gcs_motor_not_testable",
        PACKAGE,
        "GCS: a motor response 'not testable' raises "
        "KeyError (glasgow_coma_score.py lists no such motor response).",
    ),
    _bug(
        "rcri_cerebrovascular_key",
        BOTH,
        "RCRI: the benchmark writes cerebrovascular disease "
        "under two keys and the reference reads one: v1.0 only 'Cerebrovascular disease "
        "history', the package through name_to_python.json only 'History of cerebrovascular "
        "disease'. This project counts the history when either says so.",
    ),
    _bug(
        "child_pugh_ascites_unscored",
        BOTH,
        "Child-Pugh: ascites and encephalopathy are "
        "compared with 'Absent', 'Slight', 'Moderate', 'No Encephalopathy', 'Grade 1-2', "
        "'Grade 3-4' as spelt, so the benchmark's lower-case 'absent'/'slight'/'moderate' and "
        "'Grade 0' score 0 (an undocumented one scores 1; GitHub issue #8). In v1.0 also: "
        "bilirubin exactly 2 mg/dL scored 0 and exactly 3 scored 3; albumin exactly 2.8 g/dL "
        "scored 3.",
    ),
    _bug(
        "child_pugh_boundaries",
        PACKAGE,
        "Child-Pugh (child_pugh_score.py): bilirubin "
        "exactly 2 mg/dL scores 0 (no band holds it) and exactly 3 scores 3 (published 2–3: 2); "
        "albumin exactly 2.8 g/dL scores 3 (published 2.8–3.5: 2).",
    ),
    _bug(
        "child_pugh_bilirubin_molar_mass",
        PACKAGE,
        "Child-Pugh: bilirubin in µmol/L is "
        "converted with a molar mass of 548.66 g/mol (bilirubin is 584.66), 6 % high.",
    ),
    _bug(
        "sirs_wbc_per_m3",
        BOTH,
        "SIRS (sirs_criteria.py): the WBC count is converted to "
        "count per m³ before comparing with 4,000 and 12,000, so a count per µL always meets "
        "the criterion.",
    ),
    _bug(
        "sirs_heart_rate_always",
        BOTH,
        "SIRS: WBC per m³ as above, and the heart-rate "
        "criterion counted whatever the heart rate (both branches add 1).",
    ),
    _bug(
        "apache_v1_scoring",
        V1,
        "APACHE II (v1.0 code): 'degrees celsisus' read as "
        "Fahrenheit, WBC per µL read as 10⁹/L, GCS added instead of 15 − GCS, pH 7.25–7.32 "
        "unscored, creatinine 1.5–1.9 mg/dL unscored without renal failure, 'Nonoperative' "
        "earning no chronic-health points.",
    ),
    _bug(
        "apache_ii_bands",
        PACKAGE,
        "APACHE II (apache_ii.py) bands: age exactly 45 and 75 "
        "unscored (45 < age ≤ 54, age > 75); the low bands of MAP (< 70), heart rate (< 70), "
        "respiratory rate (< 12), pH (< 7.33), sodium (< 130), potassium (< 3.5) and "
        "hematocrit (< 30) score nothing; oxygenation bands leave gaps (PaO2 60–61 and 54–55, "
        "A-a gradient 349–350 and 499–500 unscored); temperatures from °F rounded to 3 "
        "decimals.",
    ),
    _bug(
        "apache_ii_wbc_units",
        PACKAGE,
        "APACHE II: the WBC count, converted to count per "
        "mm³, is compared with the published limits in thousands (40, 20, 15, 3, 1), so any "
        "count per µL of 40 or more scores 4.",
    ),
    _bug(
        "apache_ii_gcs_added",
        PACKAGE,
        "APACHE II: the Glasgow Coma Score itself is added, not 15 − GCS.",
    ),
    _bug(
        "apache_ii_creatinine",
        PACKAGE,
        "APACHE II: creatinine scores only with acute or "
        "chronic renal failure (≥ 3.5: 8 or 4; 2–3.4: 6 or 3; 1.5–1.9: 4 or 2), else only "
        "< 0.6 mg/dL scores (2); any value of the renal-failure keys that is not empty or false "
        "counts as failure (the benchmark's 'Not mentinoed' does).",
    ),
    _bug(
        "apache_ii_chronic_health",
        PACKAGE,
        "APACHE II: chronic health scores 2 for "
        "'Elective' and 5 for 'Emergency' only; 'Nonoperative' (and an undocumented surgery "
        "type) score 0 instead of 5.",
    ),
    _bug(
        "sofa_v1_scoring",
        V1,
        "SOFA (v1.0 labels): P/F computed with FiO₂ in percent (so "
        "always below 100): 4 points on mechanical ventilation, 0 on CPAP alone, else 2; "
        "cardiovascular 2 whenever dopamine ≤ 5 µg/kg/min (absent counts as 0) or dobutamine is "
        "given, else 3; renal: urine output scored only when creatinine is not documented "
        "(< 500 mL/day: 3, and < 200 mL/day also 3, never 4) and creatinine only when urine "
        "output is not, so both documented score 0; µmol/L inputs converted with rounded "
        "steps.",
    ),
    _bug(
        "sofa_pf_percent",
        PACKAGE,
        "SOFA (sofa.py) respiration: P/F = PaO2 / FiO2 with "
        "FiO2 in percent, so a FiO2 written in percent gives a ratio below 100: 4 points on "
        "mechanical ventilation, 0 on CPAP alone, otherwise 2; a ratio between 199 and 200 "
        "with support scores 0.",
    ),
    _bug(
        "sofa_cardiovascular",
        PACKAGE,
        "SOFA cardiovascular: MAP < 70 mm Hg scores 1 only "
        "when no dobutamine, epinephrine or norepinephrine is given (dopamine is not looked "
        "at); otherwise 'dopamine ≤ 5' is tested with an absent dopamine counting as 0, so a "
        "patient on no vasopressor with MAP ≥ 70 scores 2; the 4-point branch is unreachable "
        "(any epinephrine or norepinephrine ≤ 0.1 is tested first and scores 3).",
    ),
    _bug(
        "sofa_renal",
        PACKAGE,
        "SOFA renal: urine output is scored only when creatinine is "
        "not documented and creatinine only when urine output is not, so both documented score "
        "0; urine output < 200 mL/day scores 3, never 4.",
    ),
    _bug(
        "caprini_running_total",
        BOTH,
        "Caprini (caprini_score.py): every yes/no item's "
        "points are computed but never added, so only age, type of surgery, mobility (and, "
        "in the package, BMI) reach the answer.",
    ),
    _bug("caprini_bmi_two_points", PACKAGE, "Caprini: BMI > 25 kg/m² scores 2 (published 1)."),
    _bug(
        "caprini_age_gap",
        PACKAGE,
        "Caprini: age bands for whole years (≤ 40, 41–60, 61–74, "
        "≥ 75), so a fractional age between two bands scores 0.",
    ),
    _bug(
        "gbs_hemoglobin_boundary",
        BOTH,
        "Glasgow-Blatchford: haemoglobin exactly at the upper "
        "limit (13 g/dL men, 12 g/dL women) scored as below it (1 point).",
    ),
    _bug(
        "gbs_hemoglobin_lower_edge",
        PACKAGE,
        "Glasgow-Blatchford (glasgow_bleeding_score.py): "
        "haemoglobin exactly 12.0 g/dL in men and exactly 10.0 g/dL in women falls in no band "
        "and scores 0 (published 3 and 1).",
    ),
    _bug(
        "gbs_bun_70",
        PACKAGE,
        "Glasgow-Blatchford: BUN exactly 70 mg/dL scores 0 "
        "(28 ≤ BUN < 70 scores 4, BUN > 70 scores 6).",
    ),
    _bug(
        "cci_case_sensitive_strings",
        BOTH,
        "Charlson (cci.py): liver disease, diabetes and "
        "solid tumour are compared with lower-case spellings, so the benchmark's 'Mild', "
        "'Moderate to Severe', 'None or diet-controlled', 'Uncomplicated', 'End-organ damage', "
        "'Localized', 'Metastatic' all score 1 as any non-empty value ('Metastatic' 1 instead of "
        "6, 'None or diet-controlled' 1 instead of 0).",
    ),
    _bug(
        "ckd_epi_male_kappa",
        BOTH,
        "CKD-EPI (ckd_epi_2021_creatinine.py, explanation "
        "function): κ = 0.7, the female value, used for men with creatinine ≤ 0.9 mg/dL (eGFR "
        "about 7 % low).",
    ),
    _bug(
        "ckd_epi_male_kappa_rounded_conversion",
        V1,
        "CKD-EPI (v1.0 code): the male κ bug "
        "above, reached because the creatinine conversion rounded each step (80.4 µmol/L "
        "became 0.9 mg/dL, not 0.909).",
    ),
    _bug(
        "framingham_mmol_fraction",
        BOTH,
        "Framingham (framingham_risk_score.py): "
        "cholesterol converted to mmol/L (with rounded steps) and put into the mg/dL "
        "coefficients, the score rounded to 1 decimal, the risk rounded to 1 decimal as a "
        "fraction (v1.0 returns that fraction; the package multiplies it by 100), so most "
        "answers are 0.",
    ),
    _bug(
        "edd_short_cycle_sign",
        BOTH,
        "Estimated due date: cycles shorter than 28 days add "
        "|cycle − 28| days instead of subtracting them.",
    ),
    _bug(
        "meld_integer_rounding",
        V1,
        "MELD Na (v1.0 code): MELD(i) rounded to an integer "
        "before × 10, and the dialysis rule applied only when 1 ≤ creatinine ≤ 4 mg/dL.",
    ),
    _bug(
        "meld_dialysis_order",
        PACKAGE,
        "MELD Na (meldna.py): dialysis sets creatinine to 4 "
        "only when creatinine is 1–4 mg/dL; a patient on dialysis with creatinine < 1 keeps 1.",
    ),
    _bug(
        "heart_atherosclerosis_one_point",
        PACKAGE,
        "HEART (heart_score.py): known "
        "atherosclerotic disease is counted as one risk factor, so with 0–1 other risk factors "
        "it scores 1 instead of 2 (the branch meant for it is unreachable).",
    ),
    _bug(
        "heart_tia_ignored",
        PACKAGE,
        "HEART: the 'Transient Ischemic Attacks History' key is "
        "not read, though a prior TIA is known atherosclerotic disease (2 points).",
    ),
    _bug(
        "psi_sodium_meq",
        PACKAGE,
        "PSI (psi_score.py): sodium in mEq/L is converted to "
        "mmol/L with no valence given, which raises TypeError: every row with sodium in mEq/L "
        "crashes.",
    ),
    _bug(
        "psi_pao2_units",
        PACKAGE,
        "PSI: PaO2 is scored only when its unit is spelt exactly "
        "'mm Hg' or 'kPa'; 'mm hg', 'mmHg' and others score 0.",
    ),
    _bug(
        "psi_temperature_40",
        PACKAGE,
        "PSI: the temperature criterion is > 39.9 °C, so "
        "39.91–39.99 °C scores 15 (published ≥ 40).",
    ),
    _bug(
        "homa_ir_pmol",
        PACKAGE,
        "HOMA-IR (homa_ir.py): insulin in pmol/L is multiplied by 6 "
        "to get µIU/mL (it should be divided by 6).",
    ),
    _bug(
        "mme_fentanyl_patch",
        PACKAGE,
        "MME (mme.py): the patch is looked for as 'FentaNYL "
        "patch' but the benchmark's key is 'FentANYL patch', so a patch strength is converted "
        "like a tablet to mg (a strength in µg becomes a thousandth) and multiplied by 2.4.",
    ),
    _bug(
        "centor_age_gap",
        PACKAGE,
        "Centor (centor_score.py): age bands 3–14 and 15–44 for "
        "whole years, so ages between 14 and 15 (and between 44 and 45) score 0.",
    ),
    _bug(
        "curb_65_int_truncation",
        PACKAGE,
        "CURB-65 (curb_65.py): respiratory rate, systolic "
        "and diastolic pressure truncated with int() before the comparisons, so a diastolic "
        "pressure of 60.1–60.9 mm Hg counts as ≤ 60.",
    ),
    _bug(
        "cockcroft_gault_bmi_gap",
        PACKAGE,
        "Cockcroft-Gault (creatinine_clearance.py): the "
        "normal BMI band is 18.5–24.9, so 24.9 < BMI < 25 takes the overweight branch.",
    ),
    # --- this project reads or refuses differently
    Cause(
        "input_reading:implausible_value",
        "input_reading",
        PACKAGE,
        "This project refuses a value outside the physiological range or an impossible one "
        "(SpO2 over 100 %, a current date before the LMP, albumin 0.003 g/dL from a mg/dL "
        "slip), naming the input; the reference computes with it.",
    ),
    Cause(
        "input_reading:fentanyl_patch_mass",
        "input_reading",
        BOTH,
        "MME: the benchmark writes a fentanyl patch strength (a rate, µg/h) as a mass in mg; "
        "this project refuses it rather than guess, the reference multiplies the mass by 2.4.",
    ),
    Cause(
        "input_reading:required_input",
        "input_reading",
        PACKAGE,
        "This project requires an input the reference fills in (e.g. HEART's history, which the "
        "reference takes as 'Slightly suspicious').",
    ),
    Cause(
        "input_reading:unit_refused",
        "input_reading",
        PACKAGE,
        "This project refuses a unit that cannot be the input's (a mass for a rate); the "
        "reference reads the number anyway.",
    ),
    Cause(
        UNATTRIBUTED, "unattributed", "", "No documented cause reproduces the reference's answer."
    ),
)
"""Every documented cause, by id. The relabeller attributes changed labels to these; the
differential test against the reference package maps every disagreement to one of them; the
errata page lists them all."""


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


def cci_case_sensitive_total(
    table: ScoreTable, entities: Mapping[str, Any], ev: Evaluation
) -> float:
    """The Charlson total as the reference's cci.py gives it (v1.0 code and medcalc-bench 1.7.0):
    liver disease, diabetes and solid tumour score 1 for any non-empty value (even 'None or
    diet-controlled', 'Metastatic'), 0 when false or missing.

    >>> table = calculators.get(32)
    >>> entities = {"age": [40, "years"], "Solid tumor": "Metastatic"}
    >>> table.evaluate_entities(entities).total, cci_case_sensitive_total(
    ...     table, entities, table.evaluate_entities(entities)
    ... )
    (6, 1.0)
    """
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
    the urine output only when creatinine is not documented (< 500 mL/day: 3, and < 200 mL/day
    also 3) and creatinine only when urine output is not; both documented score 0.
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
    creatinine = _v1_mg_per_dl(entities, "creatinine", "creatinine")
    if creatinine is None and isinstance(urine, float):
        renal = 3 if urine < 500 else 0
    elif isinstance(urine, float):
        renal = 0  # both documented: neither is scored
    else:
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
    32: (Emulation("reference_bug:cci_case_sensitive_strings", cci_case_sensitive_total),),
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
