"""The benchmark authors' reference calculators (``medcalc-bench`` 1.7.0) driven like the benchmark
drives them, and their documented behaviour re-enacted, for the differential test.

:func:`run_reference` calls the package's function for a calculator with the row's entities,
keyed by the argument names the package's code reads (the benchmark's ``name_to_python.json`` of
ncbi-nlp/MedCalc-Bench main, with the names the package reads instead where they differ; those
differences are documented causes themselves). :func:`classify` compares the package with this
project on one input: where they disagree (by the benchmark's own grading), the disagreement must be
re-enacted — by a documented convention, a documented reference bug or a documented difference of
input reading, each a cause of :data:`~ehrmind_rewards.tasks.medcalc.bench.causes.CAUSES` — or it is
reported as unexplained.

The re-enactments describe what the package's code does (read from ``medcalc/*.py``), in this
project's terms: each starts from this project's reading of the entities and applies the package's
conversions (:mod:`~ehrmind_rewards.tasks.medcalc.bench.reference_v1`) and scoring rules. They are
not the package's code.
"""

from __future__ import annotations

import copy
import datetime
import functools
import importlib
import json
import math
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import calculators
from calculators.base import OutputKind
from calculators.criteria import ScoreTable
from calculators.entities import normalize_key
from calculators.entity_values import read_age
from ehrmind_rewards.tasks.medcalc.bench import reference_v1 as v1
from ehrmind_rewards.tasks.medcalc.bench.causes import cci_case_sensitive_total, framingham_v1_score
from ehrmind_rewards.tasks.medcalc.bench.conventions import REFERENCE, stated_by_question
from tests.paths import ROOT

NAME_TO_PYTHON = json.loads(
    (ROOT / "tests" / "data" / "medcalc_bench" / "ncbi_main" / "name_to_python.json").read_text(
        encoding="utf-8"
    )
)
_NOT_ARGUMENTS = {"file path", "explanation function", "calculator name", "type", "question"}

# Argument names the package reads where name_to_python.json gives another (documented as the
# cause reference_bug:argument_names).
PACKAGE_NAMES: dict[int, dict[str, str]] = {
    16: {"previous_dvt_documented": "previous_dvt"},
    28: {
        "hematocrit": "hemocratit",
        "pao2": "partial_pressure_oxygen",
        "severe_organ_failure_or_immunocompromise": "organ_failure_immunocompromise",
    },
    29: {"hematocrit": "hemocratit"},
    36: {"multiple_trauma": "multiple trauma"},
    43: {"pao2": "partial_pressure_oxygen", "doboutamine": "dobutamine"},
    44: {"total_cholesterol": "total_cholestrol", "hdl_cholesterol": "hdl_cholestrol"},
    46: {"total_cholesterol": "total_cholestrol", "hdl_cholesterol": "hdl_cholestrol"},
}
MODULE_FAILURES = {
    61: "reference_bug:target_weight_import",
    64: "reference_bug:no_delta_ratio_module",
}


@dataclass(frozen=True)
class Outcome:
    """A calculator's answer or the error it raised (``Type: message``)."""

    value: Any = None
    error: str | None = None


def _arguments(calculator_id: int) -> dict[str, str]:
    entry = NAME_TO_PYTHON[str(calculator_id)]
    return {normalize_key(k): v for k, v in entry.items() if k.casefold() not in _NOT_ARGUMENTS}


@functools.cache
def _package_functions() -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
    """Every public function of the package's calculator modules that import, by name."""
    import medcalc

    found: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}
    for module in pkgutil.iter_modules(medcalc.__path__):
        try:
            loaded = importlib.import_module(f"medcalc.{module.name}")
        except ImportError:
            continue  # target_weight: see MODULE_FAILURES
        for name, value in vars(loaded).items():
            if callable(value) and name.endswith(("explanation", "explaination", "2021")):
                found.setdefault(name, value)
    return found


def reference_function(calculator_id: int) -> Callable[[dict[str, Any]], dict[str, Any]] | None:
    """The package's function for the calculator (the benchmark's "explanation function"), or
    None where the package has none that imports (target weight, delta ratio)."""
    if calculator_id in MODULE_FAILURES:
        return None
    return _package_functions()[NAME_TO_PYTHON[str(calculator_id)]["explanation function"]]


def benchmark_arguments(calculator_id: int, entities: Mapping[str, Any]) -> dict[str, Any]:
    """The entities keyed as the benchmark passes them: name_to_python's argument for each key
    the file lists, else the argument of the project input that reads the key (the benchmark's
    key spellings vary). A key the file lists wins over an alias of it (the benchmark passes only
    the listed one)."""
    table = _arguments(calculator_id)
    calculator = calculators.get(calculator_id)
    by_input: dict[str, str] = {}
    owner: dict[str, str] = {}
    for spec in calculator.declared_inputs():
        keys = [normalize_key(k) for k in (*spec.keys, spec.name)]
        for key in keys:
            owner[key] = spec.name
            if key in table and spec.name not in by_input:
                by_input[spec.name] = table[key]
    listed: dict[str, Any] = {}
    aliases: dict[str, Any] = {}
    for key, value in entities.items():
        normal = normalize_key(str(key))
        if normal in table:
            listed[table[normal]] = copy.deepcopy(value)
        else:
            argument = by_input.get(owner.get(normal, ""), str(key))
            aliases.setdefault(argument, copy.deepcopy(value))
    return {**aliases, **listed}


def package_arguments(calculator_id: int, entities: Mapping[str, Any]) -> dict[str, Any]:
    """:func:`benchmark_arguments` with the package's own names where it reads others
    (:data:`PACKAGE_NAMES`), so that each calculator's logic is compared."""
    renames = PACKAGE_NAMES.get(calculator_id, {})
    arguments = benchmark_arguments(calculator_id, entities)
    return {renames.get(name, name): value for name, value in arguments.items()}


def run_reference(calculator_id: int, entities: Mapping[str, Any]) -> Outcome:
    """The package's answer for the entities (or the error it raised)."""
    function = reference_function(calculator_id)
    if function is None:
        return Outcome(error=f"ImportError: {MODULE_FAILURES[calculator_id]}")
    try:
        answer = function(package_arguments(calculator_id, entities))["Answer"]
    except Exception as error:  # the package raises anything; each is classified
        return Outcome(error=f"{type(error).__name__}: {error}")
    return Outcome(value=answer)


def run_project(calculator_id: int, entities: Mapping[str, Any], question: str) -> Outcome:
    """This project's answer with the conventions a row's question states, or its error."""
    try:
        result = calculators.compute_from_entities(
            calculator_id, entities, conventions=stated_by_question(calculator_id, question)
        )
    except calculators.CalculatorError as error:
        return Outcome(error=f"{type(error).__name__}: {error}")
    return Outcome(value=result.value)


def _as_value(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return datetime.datetime.strptime(value, "%m/%d/%Y").date()
        except ValueError:
            return value
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return tuple(int(v.split()[0]) for v in value)
    return value


def agrees(calculator_id: int, ours: Any, theirs: Any, *, tight: bool = False) -> bool:
    """Whether two answers agree by the benchmark's grading (integers and dates exactly,
    decimals within 5 % of the reference's), or within 0.5 % when ``tight``."""
    ours, theirs = _as_value(ours), _as_value(theirs)
    kind = calculators.get(calculator_id).info.output_kind
    if kind is OutputKind.INTEGER:
        return isinstance(theirs, int | float) and round(float(ours)) == round(float(theirs))
    if kind is OutputKind.DECIMAL:
        if not isinstance(theirs, int | float) or isinstance(theirs, bool):
            return False
        window = (0.005 if tight else 0.05) * abs(float(theirs))
        return bool(abs(float(ours) - float(theirs)) <= window + 1e-9)
    return bool(ours == theirs)


# --- raw entity access --------------------------------------------------------------------------


def keys_of(calculator_id: int, name: str) -> tuple[str, ...]:
    """The dataset keys this project reads for input ``name`` of a calculator."""
    for spec in calculators.get(calculator_id).declared_inputs():
        if spec.name == name:
            return (*spec.keys, spec.name)
    raise KeyError(name)


def raw(entities: Mapping[str, Any], *keys: str) -> Any:
    """The first of ``keys`` present in the entities (keys compared normalised), else None."""
    wanted = [normalize_key(k) for k in keys]
    found = {normalize_key(str(k)): v for k, v in entities.items()}
    for key in wanted:
        if key in found:
            return found[key]
    return None


@dataclass
class Reenactment:
    """The package's answer as re-enacted, and the documented causes that moved it."""

    value: Any
    causes: set[str] = field(default_factory=set)

    def because(self, cause: str, when: bool = True) -> None:
        if when:
            self.causes.add(cause)


def _project(calculator_id: int, entities: Mapping[str, Any], **conventions: str) -> Any:
    return calculators.compute_from_entities(calculator_id, entities, conventions=conventions).value


def _chain(
    raw_value: Any, target: str, *, molar_mass: float | None = None, valence: int | None = None
) -> float:
    value, unit = float(raw_value[0]), str(raw_value[1])
    return v1.convert_v1(value, unit, target, molar_mass=molar_mass, valence=valence)


def _replace(entities: Mapping[str, Any], key: str, value: float, unit: str) -> dict[str, Any]:
    out = {k: v for k, v in entities.items() if normalize_key(str(k)) != normalize_key(key)}
    out[key] = [value, unit]
    return out


ROUNDING = "reference_bug:conversion_rounding"


def _chained_entities(
    entities: Mapping[str, Any], plan: Mapping[str, tuple[str, float | None, int | None]]
) -> tuple[dict[str, Any], bool]:
    """The entities with each ``key → (target unit, molar mass, valence)`` of ``plan`` converted
    by the reference chain; whether any value moved by more than rounding noise."""
    out = dict(entities)
    moved = False
    for key, (target, molar_mass, valence) in plan.items():
        written = raw(out, key)
        if not (isinstance(written, list) and len(written) == 2):
            continue
        chained = _chain(written, target, molar_mass=molar_mass, valence=valence)
        exact = (
            calculators.convert(
                float(written[0]), str(written[1]), target, analyte=_ANALYTES.get(key)
            )
            if str(written[1]).strip() != target
            else float(written[0])
        )
        moved = moved or not math.isclose(chained, exact, rel_tol=1e-9, abs_tol=1e-12)
        out = _replace(out, key, chained, target)
    return out, moved


_ANALYTES = {
    "creatinine": "creatinine",
    "Urine creatinine": "creatinine",
    "Sodium": "sodium",
    "Urine sodium": "sodium",
    "Chloride": "chloride",
    "Bicarbonate": "bicarbonate",
    "Glucose": "glucose",
    "Blood Urea Nitrogen (BUN)": "urea_nitrogen",
    "Calcium": "calcium",
    "Albumin": "albumin",
    "Bilirubin": "bilirubin",
    "Total cholesterol": "cholesterol",
    "high-density lipoprotein cholesterol": "cholesterol",
    "Triglycerides": "triglycerides",
    "Hemoglobin": "hemoglobin",
    "Potassium": "potassium",
}


# --- the package's readings ----------------------------------------------------------------------


def _age(entities: Mapping[str, Any]) -> float:
    return v1.age_years_v1(raw(entities, "age"))


def _weight_kg(written: Any) -> float:
    """``weight_conversion_explanation``: lbs × 0.453592 (rounded), g ÷ 1000, anything else kg."""
    value, unit = float(written[0]), str(written[1])
    if unit == "lbs":
        return v1.round_v1(value * 0.453592)
    if unit == "g":
        return value / 1000
    return value


def _height_m(written: Any) -> float:
    """``height_conversion_explanation``: the height in metres, each conversion rounded."""
    if len(written) == 4:
        return v1.round_v1((float(written[0]) * 12 + float(written[2])) * 0.0254)
    value, unit = float(written[0]), str(written[-1])
    factors = {"m": 1.0, "cm": 0.01, "ft": 0.3048, "in": 0.0254}
    return value if unit == "m" else v1.round_v1(value * factors[unit])


def _height_in(written: Any) -> float:
    """``height_conversion_explanation_in``: the height in inches, each conversion rounded."""
    if len(written) == 4:
        return v1.round_v1(float(written[0]) * 12 + float(written[2]))
    value, unit = float(written[0]), str(written[-1])
    factors = {"m": 39.3701, "cm": 0.393701, "ft": 12.0, "in": 1.0}
    return value if unit == "in" else v1.round_v1(value * factors[unit])


def _flag(entities: Mapping[str, Any], *keys: str) -> bool:
    return raw(entities, *keys) is True


def _number(entities: Mapping[str, Any], *keys: str) -> float:
    value = raw(entities, *keys)
    return float(value[0] if isinstance(value, list) else value)


AGE_READING = "input_reading:age_whole_years"


def _age_cause(entities: Mapping[str, Any], result: Reenactment) -> float:
    """The package's age, noting when it is not the age as this project reads it."""
    age = _age(entities)
    exact = _project_age(entities)
    result.because(AGE_READING, not math.isclose(age, exact))
    return age


def _project_age(entities: Mapping[str, Any]) -> float:
    return read_age("age", raw(entities, "age"))


# --- equations ------------------------------------------------------------------------------------

CREATININE = ("mg/dL", 113.12, None)


def _rounded(
    calculator_id: int,
    entities: Mapping[str, Any],
    plan: Mapping[str, tuple[str, float | None, int | None]],
    **conventions: str,
) -> Reenactment:
    """This project's equation on the entities the package's conversion chain produces."""
    chained, moved = _chained_entities(entities, plan)
    result = Reenactment(_project(calculator_id, chained, **conventions))
    result.because(ROUNDING, moved)
    return result


def _convention_causes(calculator_id: int, question: str, result: Reenactment) -> dict[str, str]:
    """The reference's options, noting each that differs from what this project used."""
    slug = calculators.get(calculator_id).info.slug
    used = calculators.get(calculator_id).info.conventions
    chosen = stated_by_question(calculator_id, question)
    options = {c.name: chosen.get(c.name, c.default) for c in used}
    for name, option in REFERENCE.get(calculator_id, {}).items():
        result.because(f"convention:{slug}.{name}", options[name] != option)
        options[name] = option
    return options


def _cockcroft_gault(entities: Mapping[str, Any], question: str) -> Reenactment:
    result = Reenactment(None)
    _convention_causes(2, question, result)
    weight = _weight_kg(raw(entities, "weight"))
    metres = _height_m(raw(entities, "height"))
    bmi = v1.round_v1(weight / (metres * metres))
    male = raw(entities, "sex") == "Male"
    ibw = v1.round_v1((50 if male else 45.5) + 2.3 * (_height_in(raw(entities, "height")) - 60))
    creatinine = _chain(raw(entities, "creatinine"), "mg/dL", molar_mass=113.12)
    age = _age_cause(entities, result)
    if bmi < 18.5:
        used = weight
    elif bmi <= 24.9:
        used = min(ibw, weight)
    else:
        used = v1.round_v1(ibw + 0.4 * (weight - ibw))
    exact_bmi = calculators.compute_from_entities(6, entities).value
    result.because("reference_bug:cockcroft_gault_bmi_gap", 24.9 < float(exact_bmi) < 25)
    result.value = v1.round_v1((140 - age) * used * (1 if male else 0.85) / (creatinine * 72))
    result.because(ROUNDING)
    return result


def _ckd_epi(entities: Mapping[str, Any], question: str) -> Reenactment:
    result = Reenactment(None)
    creatinine = _chain(raw(entities, "creatinine"), "mg/dL", molar_mass=113.12)
    age = _age_cause(entities, result)
    female = raw(entities, "sex") == "Female"
    if female:
        kappa, alpha = 0.7, (-0.241 if creatinine <= 0.7 else -1.2)
    elif creatinine <= 0.9:
        kappa, alpha = 0.7, -0.302
        result.because("reference_bug:ckd_epi_male_kappa")
    else:
        kappa, alpha = 0.9, -1.2
    value = 142 * (creatinine / kappa) ** alpha * 0.9938**age * (1.012 if female else 1)
    result.value = v1.round_v1(value)
    result.because(ROUNDING)
    return result


def _due_date(entities: Mapping[str, Any], question: str) -> Reenactment:
    result = Reenactment(None)
    _convention_causes(13, question, result)
    lmp = datetime.datetime.strptime(str(raw(entities, "Last menstrual date")), "%m/%d/%Y")
    cycle = raw(entities, "cycle length")
    cycle = 28 if cycle is None else cycle
    result.because("reference_bug:edd_short_cycle_sign", cycle < 28)
    result.value = (lmp + datetime.timedelta(days=280 + abs(cycle - 28))).date()
    return result


def _conception(entities: Mapping[str, Any], question: str) -> Reenactment:
    result = Reenactment(None)
    _convention_causes(68, question, result)
    lmp = datetime.datetime.strptime(str(raw(entities, "Last menstrual date")), "%m/%d/%Y")
    result.value = (lmp + datetime.timedelta(days=14)).date()
    return result


def _by_convention(calculator_id: int) -> Callable[[Mapping[str, Any], str], Reenactment]:
    plan = {
        "Sodium": ("mEq/L", 22.99, 1),
        "Chloride": ("mEq/L", 35.45, 1),
        "Bicarbonate": ("mEq/L", 61.02, 1),
        "Albumin": ("g/dL", None, None),
    }

    def reenact(entities: Mapping[str, Any], question: str) -> Reenactment:
        probe = Reenactment(None)
        options = _convention_causes(calculator_id, question, probe)
        result = _rounded(calculator_id, entities, plan, **options)
        result.causes |= probe.causes
        return result

    return reenact


def _homa_ir(entities: Mapping[str, Any], question: str) -> Reenactment:
    insulin = raw(entities, "Insulin")
    result = _rounded(31, entities, {"Glucose": ("mg/dL", 180.16, None)})
    if isinstance(insulin, list) and insulin[1] == "pmol/L":
        chained, _ = _chained_entities(entities, {"Glucose": ("mg/dL", 180.16, None)})
        chained = _replace(chained, "Insulin", float(insulin[0]) * 6, "µIU/mL")
        result.value = _project(31, chained)
        result.because("reference_bug:homa_ir_pmol")
    return result


def _meld_na(entities: Mapping[str, Any], question: str) -> Reenactment:
    result = Reenactment(None)
    creatinine = _chain(raw(entities, "creatinine"), "mg/dL", molar_mass=113.12)
    dialysis = _flag(entities, "Dialysis at least twice in the past week") or _flag(
        entities, "Continuous veno-venous hemodialysis for ≥24 hours in the past week"
    )
    if creatinine < 1.0:
        result.because("reference_bug:meld_dialysis_order", dialysis)
        creatinine = 1.0
    elif creatinine > 4.0 or dialysis:
        creatinine = 4.0
    bilirubin = max(_chain(raw(entities, "Bilirubin"), "mg/dL"), 1.0)
    inr = max(_number(entities, "international normalized ratio"), 1.0)
    sodium = min(
        max(_chain(raw(entities, "Sodium"), "mmol/L", molar_mass=22.99, valence=1), 125), 137
    )
    meld_i = 0.957 * math.log(creatinine) + 0.378 * math.log(bilirubin) + 1.120 * math.log(inr)
    meld_10 = round(round(meld_i + 0.643, 1) * 10)
    meld = round(meld_10 + 1.32 * (137 - sodium) - 0.033 * meld_10 * (137 - sodium))
    result.value = round(min(meld, 40) if meld_10 > 11 else meld_10)
    result.because(ROUNDING)
    return result


def _framingham(entities: Mapping[str, Any], question: str) -> Reenactment:
    result = Reenactment(None)
    score, baseline = framingham_v1_score(entities)
    result.value = round(round(1 - baseline ** math.exp(score), 1) * 100, 3)
    result.because("reference_bug:framingham_mmol_fraction")
    return result


def _mme(entities: Mapping[str, Any], question: str) -> Reenactment:
    """``mme.py``: every drug but "FentaNYL buccal" and "FentaNYL patch" converted to mg, those two
    to µg — the benchmark's key "FentANYL patch" is neither, so a patch strength is a mass in mg."""
    factors = {
        "Codeine": 0.15,
        "FentaNYL buccal": 0.13,
        "FentANYL patch": 2.4,
        "HYDROcodone": 1,
        "HYDROmorphone": 5,
        "Methadone": 4.7,
        "Morphine": 1,
        "OxyCODONE": 1.5,
        "OxyMORphone": 3,
        "Tapentadol": 0.4,
        "TraMADol": 0.2,
    }
    result = Reenactment(None)
    total = 0.0
    for key, written in entities.items():
        if "Day" in key:
            continue
        name = key.split(" Dose")[0]
        target = "µg" if name in ("FentaNYL buccal", "FentaNYL patch") else "mg"
        dose = v1.convert_amount_v1(float(written[0]), str(written[1]), target, None, None)
        result.because("reference_bug:mme_fentanyl_patch", name == "FentANYL patch")
        per_day = float(entities[f"{name} Dose Per Day"][0])
        total = v1.round_v1(total + per_day * factors[name] * dose)
    result.value = total
    return result


# --- scores: per-criterion re-enactments ----------------------------------------------------------


def _by_criterion(
    calculator_id: int,
    entities: Mapping[str, Any],
    package: Mapping[str, tuple[float, str]],
) -> Reenactment:
    """The project's evaluation with the package's points for the criteria in ``package``
    (label → (points, the cause that explains a difference)); a criterion whose points differ
    names its cause."""
    table = calculators.get(calculator_id)
    assert isinstance(table, ScoreTable)
    ours = {label: float(p) for label, p, _ in table.evaluate_entities(entities).points}
    result = Reenactment(0.0)
    total = 0.0
    for label, points in ours.items():
        if label in package:
            theirs, cause = package[label]
            result.because(cause, theirs != points)
            total += theirs
        else:
            total += points
    for label in set(package) - set(ours):
        theirs, cause = package[label]
        result.because(cause, theirs != 0)
        total += theirs
    result.value = total
    return result


def _heart(entities: Mapping[str, Any], question: str) -> Reenactment:
    """``heart_score.py``: known atherosclerotic disease is counted as one more risk factor
    (none: 0, one or two: 1, three or more: 2) and a prior TIA is not read."""
    factors = (
        "hypercholesterolemia",
        "obesity",
        "smoking",
        "parent or sibling with Cardiovascular disease before age 65",
        "atherosclerotic disease",
    )
    count = (
        _flag(entities, "Hypertension history", "Hypertension")
        + _flag(entities, "Diabetes mellitus", "Diabetes mellitus criteria for CCI rule")
        + sum(_flag(entities, key) for key in factors)
    )
    points = 0 if count == 0 else (1 if count <= 2 else 2)
    if _flag(entities, "atherosclerotic disease"):
        cause = "reference_bug:heart_atherosclerosis_one_point"
    elif _flag(entities, "Transient Ischemic Attacks History"):
        cause = "reference_bug:heart_tia_ignored"
    else:
        return _by_criterion(18, entities, {})
    return _by_criterion(18, entities, {"Risk factors": (points, cause)})


def _centor(entities: Mapping[str, Any], question: str) -> Reenactment:
    result = Reenactment(None)
    age = _age_cause(entities, result)
    age_points = 1 if 3 <= age <= 14 else (-1 if age >= 45 else 0)
    gap = 14 < age < 15 or 44 < age < 45
    temperature = raw(entities, "Temperature")
    celsius = v1.celsius_v1(float(temperature[0]), str(temperature[1]))
    cause = "unit_typo:temperature" if "celsisus" in str(temperature[1]) else ROUNDING
    criteria = {
        "Age": (age_points, "reference_bug:centor_age_gap" if gap else AGE_READING),
        "Temperature > 38 °C": (int(celsius > 38), cause),
    }
    scored = _by_criterion(20, entities, criteria)
    scored.causes |= result.causes
    return scored


def _gcs(entities: Mapping[str, Any], question: str) -> Reenactment:
    verbal = raw(entities, "Best verbal response")
    cause = "reference_bug:gcs_not_testable_verbal_4"
    return _by_criterion(
        21, entities, {"Verbal response": (4, cause)} if verbal == "not testable" else {}
    )


def _child_pugh(entities: Mapping[str, Any], question: str) -> Reenactment:
    bilirubin_raw = raw(entities, "Bilirubin")
    bilirubin = _chain(bilirubin_raw, "mg/dL", molar_mass=548.66)
    albumin = _chain(raw(entities, "Albumin"), "g/dL", molar_mass=66500)
    if bilirubin < 2:
        bili_points = 1
    elif 2 < bilirubin < 3:
        bili_points = 2
    elif bilirubin >= 3:
        bili_points = 3
    else:
        bili_points = 0
    albumin_points = 1 if albumin > 3.5 else (2 if albumin > 2.8 else 3)
    bili_cause = (
        "reference_bug:child_pugh_bilirubin_molar_mass"
        if str(bilirubin_raw[1]).strip() != "mg/dL"
        else "reference_bug:child_pugh_boundaries"
    )

    def category(key: str, levels: tuple[str, str, str]) -> int:
        value = raw(entities, key)
        if value is None:
            return 1
        return levels.index(value) + 1 if value in levels else 0

    strings = "reference_bug:child_pugh_ascites_unscored"
    return _by_criterion(
        15,
        entities,
        {
            "Total bilirubin": (bili_points, bili_cause),
            "Albumin": (albumin_points, "reference_bug:child_pugh_boundaries"),
            "Ascites": (category("Ascites", ("Absent", "Slight", "Moderate")), strings),
            "Encephalopathy": (
                category("Encephalopathy", ("No Encephalopathy", "Grade 1-2", "Grade 3-4")),
                strings,
            ),
        },
    )


def _glasgow_blatchford(entities: Mapping[str, Any], question: str) -> Reenactment:
    hemoglobin = _chain(raw(entities, "Hemoglobin"), "g/dL", molar_mass=64500)
    bun = _chain(raw(entities, "Blood Urea Nitrogen (BUN)"), "mg/dL", molar_mass=28.08)
    male = raw(entities, "sex") == "Male"
    if male:
        hb = (
            1
            if 12 < hemoglobin <= 13
            else 3
            if 10 <= hemoglobin < 12
            else 6
            if hemoglobin < 10
            else 0
        )
        top, edge = 13.0, 12.0
    else:
        hb = 1 if 10 < hemoglobin <= 12 else 6 if hemoglobin < 10 else 0
        top, edge = 12.0, 10.0
    if hemoglobin == top:
        hb_cause = "reference_bug:gbs_hemoglobin_boundary"
    elif hemoglobin == edge:
        hb_cause = "reference_bug:gbs_hemoglobin_lower_edge"
    else:
        hb_cause = ROUNDING
    if 18.2 <= bun < 22.4:
        urea = 2
    elif 22.4 <= bun < 28:
        urea = 3
    elif 28 <= bun < 70:
        urea = 4
    else:
        urea = 6 if bun > 70 else 0
    urea_cause = "reference_bug:gbs_bun_70" if bun == 70 else ROUNDING
    return _by_criterion(
        27,
        entities,
        {"Hemoglobin": (hb, hb_cause), "Blood urea nitrogen": (urea, urea_cause)},
    )


def _curb_65(entities: Mapping[str, Any], question: str) -> Reenactment:
    sbp = int(_number(entities, "Systolic Blood Pressure"))
    dbp = int(_number(entities, "Diastolic Blood Pressure"))
    rate = int(_number(entities, "respiratory rate"))
    bun = _chain(raw(entities, "Blood Urea Nitrogen (BUN)"), "mg/dL", molar_mass=28.02)
    truncation = "reference_bug:curb_65_int_truncation"
    result = Reenactment(None)
    age = _age_cause(entities, result)
    scored = _by_criterion(
        45,
        entities,
        {
            "Blood pressure": (int(sbp < 90 or dbp <= 60), truncation),
            "Respiratory rate ≥ 30": (int(rate >= 30), truncation),
            "BUN > 19 mg/dL (urea > 7 mmol/L)": (int(bun > 19), ROUNDING),
            "Age ≥ 65": (int(age >= 65), AGE_READING),
        },
    )
    scored.causes |= result.causes
    return scored


def _rcri(entities: Mapping[str, Any], question: str) -> Reenactment:
    written = raw(entities, "Pre-operative creatinine")
    creatinine = 0.0 if written is None else _chain(written, "mg/dL", molar_mass=113.12)
    cerebrovascular = raw(entities, "History of cerebrovascular disease") is True
    return _by_criterion(
        17,
        entities,
        {
            "Pre-operative creatinine > 2 mg/dL": (int(creatinine > 2), ROUNDING),
            "History of cerebrovascular disease": (
                int(cerebrovascular),
                "reference_bug:rcri_cerebrovascular_key",
            ),
        },
    )


def _caprini(entities: Mapping[str, Any], question: str) -> Reenactment:
    result = Reenactment(None)
    age = _age_cause(entities, result)
    if age <= 40:
        age_points = 0
    elif 41 <= age <= 60:
        age_points = 1
    elif 61 <= age <= 74:
        age_points = 2
    else:
        age_points = 3 if age >= 75 else 0
    bmi = raw(entities, "Body Mass Index (BMI)")
    table = calculators.get(36)
    assert isinstance(table, ScoreTable)
    kept = {"Age", "Type of surgery", "Mobility", "BMI > 25 kg/m²"}
    package: dict[str, tuple[float, str]] = {
        label: (0, "reference_bug:caprini_running_total")
        for label in (c.label for c in table.criteria)
        if label not in kept
    }
    package["Age"] = (age_points, "reference_bug:caprini_age_gap")
    package["BMI > 25 kg/m²"] = (
        2 if isinstance(bmi, list) and float(bmi[0]) > 25 else 0,
        "reference_bug:caprini_bmi_two_points",
    )
    scored = _by_criterion(36, entities, package)
    scored.causes |= result.causes
    return scored


def _charlson(entities: Mapping[str, Any], question: str) -> Reenactment:
    table = calculators.get(32)
    assert isinstance(table, ScoreTable)
    evaluation = table.evaluate_entities(entities)
    result = Reenactment(cci_case_sensitive_total(table, entities, evaluation))
    result.because("reference_bug:cci_case_sensitive_strings", result.value != evaluation.total)
    age = _age_cause(entities, result)
    package_age = 0 if age < 50 else 1 if age < 60 else 2 if age < 70 else 3 if age < 80 else 4
    ours_age = next(float(p) for label, p, _ in evaluation.points if label == "Age")
    result.value = float(result.value) - ours_age + package_age
    return result


def _sofa(entities: Mapping[str, Any], question: str) -> Reenactment:
    """``sofa.py``: see the causes reference_bug:sofa_* for each organ system."""
    pao2 = _number(entities, *keys_of(43, "pao2"))
    fio2 = _number(entities, "FiO2")
    ventilated = _flag(entities, "On mechanical ventilation")
    cpap = _flag(
        entities, "Continuous positive airway pressure", "Continous positive airway pressure"
    )
    ratio = v1.round_v1(pao2 / fio2)
    if 300 <= ratio < 400:
        respiration = 1
    elif 200 <= ratio < 300 or (ratio <= 199 and not ventilated and not cpap):
        respiration = 2
    elif 100 <= ratio < 199:
        respiration = 3
    else:
        respiration = 4 if ratio < 100 and ventilated else 0
    rates = {
        name: _number(entities, key) if raw(entities, key) is not None else 0.0
        for name, key in (
            ("dopamine", "DOPamine"),
            ("dobutamine", "DOBUTamine"),
            ("epinephrine", "EPINEPHrine"),
            ("norepinephrine", "norEPINEPHrine"),
        )
    }
    sbp, dbp = raw(entities, "Systolic Blood Pressure"), raw(entities, "Diastolic Blood Pressure")
    low_map = (
        sbp is not None
        and dbp is not None
        and float(sbp[0]) / 3 + 2 * float(dbp[0]) / 3 < 70
        and not (rates["dobutamine"] or rates["epinephrine"] or rates["norepinephrine"])
    )
    if low_map:
        cardiovascular = 1
    elif rates["dopamine"] <= 5 or rates["dobutamine"]:
        cardiovascular = 2
    else:
        cardiovascular = 3
    bilirubin = _chain(raw(entities, "Bilirubin"), "mg/dL", molar_mass=584.66)
    creatinine_raw, urine_raw = raw(entities, "creatinine"), raw(entities, "Urine Output")
    if creatinine_raw is None:
        urine = float(urine_raw[0])
        renal = 3 if urine < 500 else 0
    elif urine_raw is None:
        creatinine = _chain(creatinine_raw, "mg/dL", molar_mass=113.12)
        renal = next(
            (p for low, p in ((5.0, 4), (3.5, 3), (2.0, 2), (1.2, 1)) if creatinine >= low), 0
        )
    else:
        renal = 0
    liver = next((p for low, p in ((12.0, 4), (6.0, 3), (2.0, 2), (1.2, 1)) if bilirubin >= low), 0)
    return _by_criterion(
        43,
        entities,
        {
            "Respiration": (respiration, "reference_bug:sofa_pf_percent"),
            "Cardiovascular": (cardiovascular, "reference_bug:sofa_cardiovascular"),
            "Renal": (renal, "reference_bug:sofa_renal"),
            "Liver (bilirubin)": (liver, ROUNDING),
        },
    )


def _sirs(entities: Mapping[str, Any], question: str) -> Reenactment:
    temperature = raw(entities, "Temperature")
    celsius = v1.celsius_v1(float(temperature[0]), str(temperature[1]))
    wbc = raw(entities, "White blood cell count")
    per_m3 = v1.count_v1(float(wbc[0]), str(wbc[1]), "m^3")
    typo = "unit_typo:temperature" if "celsisus" in str(temperature[1]) else ROUNDING
    return _by_criterion(
        51,
        entities,
        {
            "Temperature": (int(celsius > 38 or celsius < 36), typo),
            "Heart rate": (1, "reference_bug:sirs_heart_rate_always"),
            "White blood cell count": (
                int(per_m3 > 12000 or per_m3 < 4000),
                "reference_bug:sirs_wbc_per_m3",
            ),
        },
    )


def _psi(entities: Mapping[str, Any], question: str) -> Reenactment:
    temperature = raw(entities, "Temperature")
    celsius = v1.celsius_v1(float(temperature[0]), str(temperature[1]))
    if "celsisus" in str(temperature[1]):
        fever = "unit_typo:temperature"
    elif 39.9 < celsius < 40:
        fever = "reference_bug:psi_temperature_40"
    else:
        fever = ROUNDING
    bun = _chain(raw(entities, "Blood Urea Nitrogen (BUN)"), "mg/dL", molar_mass=28.02)
    glucose = _chain(raw(entities, "Glucose"), "mg/dL", molar_mass=180.16)
    sodium = _chain(raw(entities, "Sodium"), "mmol/L", molar_mass=22.99)
    pao2 = raw(entities, *keys_of(29, "pao2"))
    if pao2 is not None and pao2[1] == "mm Hg":
        oxygen = int(float(pao2[0]) < 60)
    elif pao2 is not None and pao2[1] == "kPa":
        oxygen = int(float(pao2[0]) < 8)
    else:
        oxygen = 0
    return _by_criterion(
        29,
        entities,
        {
            "Temperature < 35 or ≥ 40 °C": (15 * int(celsius < 35 or celsius > 39.9), fever),
            "BUN ≥ 30 mg/dL": (20 * int(bun >= 30), ROUNDING),
            "Glucose ≥ 250 mg/dL": (10 * int(glucose >= 250), ROUNDING),
            "Sodium < 130": (20 * int(sodium < 130), ROUNDING),
            "PaO2 < 60 mm Hg": (10 * oxygen, "reference_bug:psi_pao2_units"),
        },
    )


def _apache_ii(entities: Mapping[str, Any], question: str) -> Reenactment:
    """``apache_ii.py``: bands with gaps, WBC in count/mm³ against limits in thousands, GCS added,
    creatinine scored only with renal failure; see the causes reference_bug:apache_ii_*."""
    result = Reenactment(None)
    age = _age_cause(entities, result)
    gaps = "reference_bug:apache_ii_bands"

    def banded(value: float, table: tuple[tuple[Callable[[float], bool], int], ...]) -> int:
        return next((points for test, points in table if test(value)), 0)

    temperature = raw(entities, "Temperature")
    celsius = v1.celsius_v1(float(temperature[0]), str(temperature[1]))
    sodium = _chain(raw(entities, "Sodium"), "mmol/L", molar_mass=22.99, valence=1)
    potassium = _chain(raw(entities, "Potassium"), "mmol/L", molar_mass=22.99, valence=1)
    creatinine = _chain(raw(entities, "creatinine"), "mg/dL", molar_mass=113.12)
    wbc_raw = raw(entities, "White blood cell count")
    wbc = v1.count_v1(float(wbc_raw[0]), str(wbc_raw[1]), "mm^3")
    if raw(entities, "Mean arterial pressure") is None:
        sbp = _number(entities, "Systolic Blood Pressure")
        dbp = _number(entities, "Diastolic Blood Pressure")
        mean = v1.round_v1(2 * dbp / 3 + sbp / 3)
    else:
        mean = _number(entities, "Mean arterial pressure")
    fio2 = _number(entities, "FiO2") if raw(entities, "FiO2") is not None else 0.0
    if fio2 >= 50:
        gradient = _number(entities, "A-a gradient")
        oxygenation = banded(
            gradient,
            (
                (lambda x: x > 499, 4),
                (lambda x: 350 <= x <= 499, 3),
                (lambda x: 200 <= x <= 349, 2),
            ),
        )
    else:
        pao2 = _number(entities, *keys_of(28, "pao2"))
        oxygenation = banded(
            pao2,
            ((lambda x: 61 <= x <= 70, 1), (lambda x: 55 <= x <= 60, 3), (lambda x: x < 55, 4)),
        )
    ph = _number(entities, "pH")
    # the package tests the values for truth: a "Not mentioned" string counts as failure
    arf = bool(raw(entities, "Acute renal failure"))
    crf = bool(raw(entities, "Chronic renal failure", "Chronic Renal Failure"))
    if arf:
        renal = (
            8 if creatinine >= 3.5 else 6 if creatinine >= 2 else 4 if creatinine >= 1.5 else None
        )
    elif crf:
        renal = (
            4 if creatinine >= 3.5 else 3 if creatinine >= 2 else 2 if creatinine >= 1.5 else None
        )
    else:
        renal = None
    if renal is None:
        renal = 2 if creatinine < 0.6 else 0
    hematocrit = _number(entities, "Hematocrit")
    heart = _number(entities, "Heart Rate or Pulse")
    breathing = _number(entities, "respiratory rate")
    gcs = _number(entities, "Glasgow Coma Score")
    surgery = raw(entities, "Surgery Type")
    chronic = 0
    if _flag(entities, "History of severe organ failure or immunocompromise"):
        chronic = {"Elective": 2, "Emergency": 5}.get(str(surgery), 0)
    package = {
        "Age": (
            banded(
                age,
                (
                    (lambda x: 45 < x <= 54, 2),
                    (lambda x: 55 <= x <= 64, 3),
                    (lambda x: 65 <= x <= 74, 5),
                    (lambda x: x > 75, 6),
                ),
            ),
            gaps,
        ),
        "Temperature": (
            banded(
                celsius,
                (
                    (lambda x: x >= 41, 4),
                    (lambda x: 39 <= x < 41, 3),
                    (lambda x: 38.5 <= x < 39, 1),
                    (lambda x: 34 <= x < 36, 1),
                    (lambda x: 32 <= x < 34, 2),
                    (lambda x: 30 <= x < 32, 3),
                    (lambda x: x < 30, 4),
                ),
            ),
            "unit_typo:temperature" if "celsisus" in str(temperature[1]) else gaps,
        ),
        "Mean arterial pressure": (
            banded(
                mean,
                (
                    (lambda x: x > 159, 4),
                    (lambda x: 129 < x <= 159, 3),
                    (lambda x: 109 < x <= 129, 2),
                ),
            ),
            gaps,
        ),
        "Heart rate": (
            banded(
                heart,
                (
                    (lambda x: x >= 180, 4),
                    (lambda x: 140 <= x < 180, 3),
                    (lambda x: 110 <= x < 140, 2),
                ),
            ),
            gaps,
        ),
        "Respiratory rate": (
            banded(
                breathing,
                ((lambda x: x >= 50, 4), (lambda x: 35 <= x < 50, 3), (lambda x: 25 <= x < 35, 1)),
            ),
            gaps,
        ),
        "Oxygenation": (oxygenation, gaps),
        "Arterial pH": (
            banded(
                ph,
                (
                    (lambda x: x >= 7.7, 4),
                    (lambda x: 7.6 <= x < 7.7, 3),
                    (lambda x: 7.5 <= x < 7.6, 1),
                ),
            ),
            gaps,
        ),
        "Sodium": (
            banded(
                sodium,
                (
                    (lambda x: x >= 180, 4),
                    (lambda x: 160 <= x < 180, 3),
                    (lambda x: 155 <= x < 160, 2),
                    (lambda x: 150 <= x < 155, 1),
                ),
            ),
            gaps,
        ),
        "Potassium": (
            banded(
                potassium,
                ((lambda x: x >= 7, 4), (lambda x: 6 <= x < 7, 3), (lambda x: 5.5 <= x < 6, 1)),
            ),
            gaps,
        ),
        "Creatinine": (renal, "reference_bug:apache_ii_creatinine"),
        "Hematocrit": (
            banded(
                hematocrit,
                ((lambda x: x >= 60, 4), (lambda x: 50 <= x < 60, 2), (lambda x: 46 <= x < 50, 1)),
            ),
            gaps,
        ),
        "White blood cell count": (
            banded(
                wbc,
                ((lambda x: x >= 40, 4), (lambda x: 20 <= x < 40, 2), (lambda x: 15 <= x < 20, 1)),
            ),
            "reference_bug:apache_ii_wbc_units",
        ),
        "Glasgow Coma Scale": (gcs, "reference_bug:apache_ii_gcs_added"),
        "Chronic health": (chronic, "reference_bug:apache_ii_chronic_health"),
    }
    scored = _by_criterion(28, entities, package)
    scored.causes |= result.causes
    return scored


Plan = Mapping[str, tuple[str, float | None, int | None]]
"""Entity key → (the unit the package converts it to, molar mass, valence)."""

_PLANS: dict[int, Plan] = {
    7: {"Albumin": ("g/dL", 66500, None), "Calcium": ("mg/dL", 40.08, 2)},
    9: {"creatinine": CREATININE},
    26: {"Sodium": ("mEq/L", 22.99, 1), "Glucose": ("mg/dL", 180.16, None)},
    30: {
        "Sodium": ("mmol/L", 22.99, 1),
        "Blood Urea Nitrogen (BUN)": ("mg/dL", 28.02, None),
        "Glucose": ("mg/dL", 180.16, None),
    },
    38: {"Sodium": ("mmol/L", 22.99, 1)},
    40: {
        "Sodium": ("mEq/L", 22.99, 1),
        "creatinine": CREATININE,
        "Urine sodium": ("mEq/L", 22.99, 1),
        "Urine creatinine": CREATININE,
    },
    44: {
        "Total cholesterol": ("mg/dL", 386.654, None),
        "high-density lipoprotein cholesterol": ("mg/dL", 386.654, None),
        "Triglycerides": ("mg/dL", 861.338, None),
    },
}


def _by_plan(calculator_id: int) -> Callable[[Mapping[str, Any], str], Reenactment]:
    """This project's equation on the inputs as the package's conversion chain leaves them."""

    def reenact(entities: Mapping[str, Any], question: str) -> Reenactment:
        return _rounded(calculator_id, entities, _PLANS[calculator_id])

    return reenact


REENACTMENTS: dict[int, Callable[[Mapping[str, Any], str], Reenactment]] = {
    2: _cockcroft_gault,
    3: _ckd_epi,
    13: _due_date,
    15: _child_pugh,
    17: _rcri,
    18: _heart,
    20: _centor,
    21: _gcs,
    23: _meld_na,
    27: _glasgow_blatchford,
    28: _apache_ii,
    29: _psi,
    31: _homa_ir,
    32: _charlson,
    36: _caprini,
    39: _by_convention(39),
    43: _sofa,
    45: _curb_65,
    46: _framingham,
    49: _mme,
    51: _sirs,
    63: _by_convention(63),
    65: _by_convention(65),
    66: _by_convention(66),
    67: _by_convention(67),
    68: _conception,
    **{calculator_id: _by_plan(calculator_id) for calculator_id in _PLANS},
}


# --- classification -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """One input compared: whether the two agree, and the documented causes where they do not
    (empty when the disagreement is unexplained)."""

    agree: bool
    causes: frozenset[str]
    ours: Outcome
    theirs: Outcome
    reenacted: Any = None

    @property
    def explained(self) -> bool:
        return self.agree or bool(self.causes)


def _crash_cause(
    calculator_id: int, entities: Mapping[str, Any], error: str, arguments: Mapping[str, Any]
) -> str | None:
    if error.startswith("ImportError"):
        return MODULE_FAILURES.get(calculator_id)
    sodium = raw(entities, "Sodium")
    if calculator_id == 29 and error.startswith("TypeError") and sodium[1] == "mEq/L":
        return "reference_bug:psi_sodium_meq"
    if calculator_id == 21 and error == "KeyError: 'not testable'":
        return "reference_bug:gcs_motor_not_testable"
    if calculator_id == 49 and error.startswith("UnboundLocalError"):
        return "reference_bug:mme_fentanyl_patch"  # a rate (µg/h) cannot be converted to mg
    if error.startswith("KeyError: "):
        missing = error.removeprefix("KeyError: ").strip("'\"")
        if missing not in arguments:
            return "reference_bug:required_input"
    if error == "TypeError: 'NoneType' object is not subscriptable":
        return "reference_bug:required_input"  # PSI reads a missing PaO2 as None, then indexes it
    return None


def _refusal_cause(error: str) -> str | None:
    """The documented cause of this project refusing an input the package computes with."""
    if error.startswith("UnitError: fentanyl_patch"):
        return "input_reading:fentanyl_patch_mass"
    if error.startswith("UnitError"):
        return "input_reading:unit_refused"
    if error.startswith("MissingInputError"):
        return "input_reading:required_input"
    if error.startswith("InputValueError"):
        return "input_reading:implausible_value"
    return None


def classify(calculator_id: int, entities: Mapping[str, Any], question: str = "") -> Verdict:
    """The project and the package on one input, and the causes of any disagreement."""
    ours = run_project(calculator_id, entities, question)
    theirs = run_reference(calculator_id, entities)
    if ours.error is not None and theirs.error is not None:
        return Verdict(True, frozenset(), ours, theirs)
    if theirs.error is not None:
        arguments = package_arguments(calculator_id, entities)
        cause = _crash_cause(calculator_id, entities, theirs.error, arguments)
        return Verdict(False, frozenset({cause} if cause else ()), ours, theirs)
    if ours.error is not None:
        refusal = _refusal_cause(ours.error)
        return Verdict(False, frozenset({refusal} if refusal else ()), ours, theirs)
    if agrees(calculator_id, ours.value, theirs.value):
        return Verdict(True, frozenset(), ours, theirs)
    reenact = REENACTMENTS.get(calculator_id)
    if reenact is None:
        return Verdict(False, frozenset(), ours, theirs)
    try:
        reenacted = reenact(entities, question)
    except (
        KeyError,
        ValueError,
        TypeError,
        IndexError,
        ZeroDivisionError,
        calculators.CalculatorError,
    ):
        return Verdict(False, frozenset(), ours, theirs)
    if not agrees(calculator_id, reenacted.value, theirs.value, tight=True):
        return Verdict(False, frozenset(), ours, theirs, reenacted.value)
    return Verdict(False, frozenset(reenacted.causes), ours, theirs, reenacted.value)
