"""Sequential Organ Failure Assessment (SOFA) score (MedCalc-Bench ID 43).

Six organ systems, 0–4 points each (Vincent et al. 1996, Table 1):

* respiration — PaO2/FiO2 (mm Hg, FiO2 as a fraction): ≥ 400 0, < 400 1, < 300 2, and with
  respiratory support (mechanical ventilation or CPAP) < 200 3, < 100 4; without support the
  score stays 2 below 300 (convention ``respiratory_support``: ``required``, the default, as
  published; ``not_required`` scores 3 and 4 by the ratio alone);
* coagulation — platelets ×10³/µL: < 150 1, < 100 2, < 50 3, < 20 4;
* liver — bilirubin mg/dL: 1.2–1.9 1, 2.0–5.9 2, 6.0–11.9 3, ≥ 12 4;
* cardiovascular — MAP < 70 mm Hg 1; dopamine ≤ 5 or any dobutamine 2; dopamine > 5 or
  adrenaline ≤ 0.1 or noradrenaline ≤ 0.1 3; dopamine > 15 or adrenaline > 0.1 or
  noradrenaline > 0.1 4 (µg/kg/min);
* central nervous system — GCS 13–14 1, 10–12 2, 6–9 3, < 6 4;
* renal — creatinine mg/dL 1.2–1.9 1, 2.0–3.4 2, 3.5–4.9 or urine < 500 mL/day 3, ≥ 5.0 or
  urine < 200 mL/day 4.

Bands are continuous (each ends where the next begins), so no P/F ratio falls in a gap. The P/F
ratio and the MAP are computed exactly (:mod:`calculators.exact`): PaO2 112 mm Hg at FiO2 28 % is
a ratio of 400, which scores 0.
"""

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Convention, Option
from calculators.criteria import (
    Band,
    Input,
    Points,
    ScoreTable,
    Values,
    at_least,
    bands,
    below,
    between,
    derived,
    flag,
    number,
    quantity,
)
from calculators.exact import exactly
from calculators.registry import register
from calculators.scores._vitals import diastolic_bp, fio2, pao2, systolic_bp

CITATION = (
    "Vincent JL, Moreno R, Takala J, et al. The SOFA (Sepsis-related Organ Failure Assessment) "
    "score to describe organ dysfunction/failure. Intensive Care Med. 1996;22(7):707-710. "
    "doi:10.1007/BF01709751"
)
_NORMAL = "not documented, assumed normal"


def _respiration(values: Values) -> tuple[Points, str]:
    pao2, fio2 = values.get("pao2"), values.get("fio2")
    if not isinstance(pao2, float) or not isinstance(fio2, float):
        return 0, "PaO2 or FiO2 not documented, assumed normal"
    ratio = exactly(lambda p, f: p / (f / 100), pao2, fio2)
    support = values.get("ventilation") is True or values.get("cpap") is True
    required = values.conventions["respiratory_support"] == "required"
    text = f"PaO2/FiO2 = {pao2:g} / {fio2 / 100:g} = {ratio:.1f} mm Hg"
    if ratio >= 400:
        return 0, f"{text} ≥ 400"
    if ratio >= 300:
        return 1, f"{text} < 400"
    if ratio >= 200 or (required and not support):
        suffix = "" if ratio >= 200 else " without respiratory support"
        return 2, f"{text} < 300{suffix}"
    how = "with respiratory support" if support else "(support not required by convention)"
    if ratio >= 100:
        return 3, f"{text} < 200 {how}"
    return 4, f"{text} < 100 {how}"


def _cardiovascular(values: Values) -> tuple[Points, str]:
    dopamine = _rate(values, "dopamine")
    dobutamine = _rate(values, "dobutamine")
    epinephrine = _rate(values, "epinephrine")
    norepinephrine = _rate(values, "norepinephrine")
    if dopamine > 15 or epinephrine > 0.1 or norepinephrine > 0.1:
        return 4, "dopamine > 15, or epinephrine or norepinephrine > 0.1 µg/kg/min"
    if dopamine > 5 or epinephrine > 0 or norepinephrine > 0:
        return 3, "dopamine > 5, or epinephrine or norepinephrine ≤ 0.1 µg/kg/min"
    if dopamine > 0 or dobutamine > 0:
        return 2, "dopamine ≤ 5 µg/kg/min or any dobutamine"
    sbp, dbp = values.get("sbp"), values.get("dbp")
    if isinstance(sbp, float) and isinstance(dbp, float):
        mean = exactly(lambda s, d: (s + 2 * d) / 3, sbp, dbp)
        text = f"no vasopressors; MAP = ({sbp:g} + 2 × {dbp:g}) / 3 = {mean:.1f} mm Hg"
        return (1, f"{text} < 70") if mean < 70 else (0, f"{text} ≥ 70")
    if values.get("hypotension") is True:
        return 1, "no vasopressors; hypotension (MAP < 70 mm Hg)"
    return 0, "no vasopressors; no hypotension documented"


def _rate(values: Values, name: str) -> float:
    rate = values.get(name)
    return rate if isinstance(rate, float) else 0.0


def _renal(values: Values) -> tuple[Points, str]:
    creatinine, urine = values.get("creatinine"), values.get("urine_output")
    points, parts = 0, []
    if isinstance(creatinine, float):
        for band in CREATININE:
            if band.contains(creatinine):
                points = int(band.points)
                parts.append(f"creatinine {creatinine:g} mg/dL is {band.describe('mg/dL')}")
                break
        else:
            parts.append(f"creatinine {creatinine:g} mg/dL < 1.2")
    if isinstance(urine, float):
        by_urine = 4 if urine < 200 else 3 if urine < 500 else 0
        parts.append(f"urine output {urine:g} mL/day")
        points = max(points, by_urine)
    return points, "; ".join(parts) or "creatinine and urine output not documented"


CREATININE: tuple[Band, ...] = (
    at_least(5.0, 4),
    between(3.5, 5.0, 3),
    between(2.0, 3.5, 2),
    between(1.2, 2.0, 1),
)


def _infusion(name: str, label: str, key: str) -> Input:
    """A vasopressor/inotrope rate in µg/kg/min; not documented = not running."""
    return quantity(
        name, label, key, unit="µg/kg/min", dimension="infusion", bounds=(0.0, 100.0), default=None
    )


TABLE = ScoreTable(
    info=CalculatorInfo(
        id=43,
        slug="sofa",
        name="Sequential Organ Failure Assessment (SOFA) Score",
        category=Category.RISK,
        output_kind=OutputKind.INTEGER,
        unit="points",
        citation=CITATION,
        conventions=(
            Convention(
                "respiratory_support",
                "whether 3 and 4 respiration points need respiratory support",
                (
                    Option(
                        "required",
                        "P/F < 200 scores 3 and < 100 scores 4 only with mechanical ventilation "
                        "or CPAP; otherwise 2",
                        "Vincent et al. 1996, Table 1",
                    ),
                    Option(
                        "not_required",
                        "P/F < 200 scores 3 and < 100 scores 4 whatever the support",
                        "Lambden S, Laterre PF, Levy MM, Francois B. Crit Care. 2019;23:374 "
                        "(variants in use)",
                    ),
                ),
                "Vincent et al. (1996), the original SOFA table",
            ),
        ),
    ),
    inputs=(
        pao2(default=None),
        fio2(default=None),
        flag("ventilation", "Mechanical ventilation", "On mechanical ventilation"),
        flag(
            "cpap",
            "CPAP",
            "Continuous positive airway pressure",
            "Continous positive airway pressure",
        ),
        quantity(
            "platelets",
            "Platelet count",
            "Platelet count",
            unit="/µL",
            dimension="count_per_ul",
            bounds=(1_000.0, 2_000_000.0),
            default=None,
            default_note=_NORMAL,
        ),
        quantity(
            "bilirubin",
            "Bilirubin",
            "Bilirubin",
            unit="mg/dL",
            analyte="bilirubin",
            bounds=(0.0, 80.0),
            default=None,
            default_note=_NORMAL,
        ),
        systolic_bp(default=None),
        diastolic_bp(default=None),
        flag("hypotension", "Hypotension", "Hypotension"),
        _infusion("dopamine", "Dopamine", "DOPamine"),
        _infusion("dobutamine", "Dobutamine", "DOBUTamine"),
        _infusion("epinephrine", "Epinephrine", "EPINEPHrine"),
        _infusion("norepinephrine", "Norepinephrine", "norEPINEPHrine"),
        number(
            "gcs",
            "Glasgow Coma Score",
            "Glasgow Coma Score",
            bounds=(3.0, 15.0),
            default=None,
            default_note=_NORMAL,
            integer=True,
        ),
        quantity(
            "creatinine",
            "Creatinine",
            "creatinine",
            unit="mg/dL",
            analyte="creatinine",
            bounds=(0.05, 40.0),
            default=None,
        ),
        quantity(
            "urine_output",
            "Urine output",
            "Urine Output",
            unit="mL/day",
            dimension="urine_ml_day",
            bounds=(0.0, 20_000.0),
            default=None,
        ),
    ),
    criteria=(
        derived("Respiration", ("pao2", "fio2", "ventilation", "cpap"), _respiration),
        bands(
            "Coagulation (platelets)",
            "platelets",
            (
                below(20_000, 4),
                between(20_000, 50_000, 3),
                between(50_000, 100_000, 2),
                between(100_000, 150_000, 1),
            ),
            unit="/µL",
        ),
        bands(
            "Liver (bilirubin)",
            "bilirubin",
            (at_least(12, 4), between(6, 12, 3), between(2, 6, 2), between(1.2, 2, 1)),
            unit="mg/dL",
        ),
        derived(
            "Cardiovascular",
            (
                "sbp",
                "dbp",
                "hypotension",
                "dopamine",
                "dobutamine",
                "epinephrine",
                "norepinephrine",
            ),
            _cardiovascular,
        ),
        bands(
            "Central nervous system (GCS)",
            "gcs",
            (below(6, 4), between(6, 10, 3), between(10, 13, 2), between(13, 15, 1)),
        ),
        derived("Renal", ("creatinine", "urine_output"), _renal),
    ),
    score_range=(0, 24),
    missing_convention="an organ system whose values are not documented scores 0 (assumed "
    "normal); an undocumented vasopressor is not running.",
)

register(TABLE)
