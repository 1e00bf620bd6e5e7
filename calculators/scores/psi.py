"""Pneumonia Severity Index (PSI/PORT score) for community-acquired pneumonia (MedCalc-Bench ID 29).

Points: age in years (women age − 10), comorbidities, examination and laboratory findings, as in
Fine et al. 1997, Table 2. Temperature in °C (°F converted, "degrees celsisus" read as Celsius),
BUN and glucose in mg/dL, PaO2 in mm Hg. As in the derivation study, findings that are not
documented are assumed normal.
"""

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.criteria import (
    Input,
    Points,
    ScoreTable,
    Values,
    age,
    at_least,
    bands,
    below,
    by_choice,
    choice,
    derived,
    flag,
    if_true,
    number,
    quantity,
)
from calculators.registry import register
from calculators.scores._vitals import heart_rate, pao2, respiratory_rate, systolic_bp, temperature

CITATION = (
    "Fine MJ, Auble TE, Yealy DM, et al. A prediction rule to identify low-risk patients with "
    "community-acquired pneumonia. N Engl J Med. 1997;336(4):243-250. "
    "doi:10.1056/NEJM199701233360402"
)

SEX = {"Female": ("f", "woman"), "Male": ("m", "man")}
_NORMAL = "not documented, assumed normal"


def _age(values: Values) -> tuple[Points, str]:
    years = values["age"]
    assert isinstance(years, float)
    return int(years), f"{int(years)} years"


def _optional(
    name: str,
    label: str,
    *keys: str,
    unit: str,
    bounds: tuple[float, float],
    dimension: str | None = None,
    analyte: str | None = None,
) -> Input:
    """An optional measurement that scores 0 when not documented."""
    return quantity(
        name,
        label,
        *keys,
        unit=unit,
        bounds=bounds,
        dimension=dimension,
        analyte=analyte,
        default=None,
        default_note=_NORMAL,
    )


TABLE = ScoreTable(
    info=CalculatorInfo(
        id=29,
        slug="psi",
        name="PSI Score: Pneumonia Severity Index for CAP",
        category=Category.SEVERITY,
        output_kind=OutputKind.INTEGER,
        unit="points",
        citation=CITATION,
    ),
    inputs=(
        age(),
        choice("sex", "Sex", "sex", choices=SEX),
        flag("nursing_home", "Nursing home resident", "Nursing home resident"),
        flag("neoplastic", "Neoplastic disease", "Neoplastic disease"),
        flag("liver", "Liver disease", "Liver disease history", "Liver disease severity"),
        flag(
            "chf",
            "Congestive heart failure",
            "Congestive Heart Failure",
            "Congestive Heart Faliure",
        ),
        flag("cerebrovascular", "Cerebrovascular disease", "Cerebrovascular disease history"),
        flag("renal", "Renal disease", "Renal disease history", "Renal disease"),
        flag("altered_mental_status", "Altered mental status", "Altered mental status"),
        respiratory_rate(default=None, default_note=_NORMAL),
        systolic_bp(default=None, default_note=_NORMAL),
        temperature(default=None, default_note=_NORMAL),
        heart_rate(default=None, default_note=_NORMAL),
        number("ph", "Arterial pH", "pH", bounds=(6.5, 8.0), default=None, default_note=_NORMAL),
        _optional(
            "bun",
            "Blood urea nitrogen",
            "Blood Urea Nitrogen (BUN)",
            unit="mg/dL",
            analyte="bun",
            bounds=(0.5, 300.0),
        ),
        _optional(
            "sodium", "Sodium", "Sodium", unit="mmol/L", analyte="sodium", bounds=(90.0, 200.0)
        ),
        _optional(
            "glucose", "Glucose", "Glucose", unit="mg/dL", analyte="glucose", bounds=(5.0, 3000.0)
        ),
        _optional(
            "hematocrit",
            "Hematocrit",
            "Hematocrit",
            unit="%",
            dimension="percent",
            bounds=(5.0, 80.0),
        ),
        pao2(default=None, default_note=_NORMAL),
        flag("pleural_effusion", "Pleural effusion", "Pleural effusion on x-ray"),
    ),
    criteria=(
        derived("Age", ("age",), _age),
        by_choice("Sex", "sex", {"Female": -10, "Male": 0}),
        if_true("Nursing home resident", "nursing_home", points=10),
        if_true("Neoplastic disease", "neoplastic", points=30),
        if_true("Liver disease", "liver", points=20),
        if_true("Congestive heart failure", "chf", points=10),
        if_true("Cerebrovascular disease", "cerebrovascular", points=10),
        if_true("Renal disease", "renal", points=10),
        if_true("Altered mental status", "altered_mental_status", points=20),
        bands("Respiratory rate ≥ 30", "respiratory_rate", (at_least(30, 20),), unit="breaths/min"),
        bands("Systolic BP < 90", "sbp", (below(90, 20),), unit="mm Hg"),
        bands(
            "Temperature < 35 or ≥ 40 °C",
            "temperature",
            (below(35, 15), at_least(40, 15)),
            unit="°C",
        ),
        bands("Pulse ≥ 125", "heart_rate", (at_least(125, 10),), unit="beats/min"),
        bands("Arterial pH < 7.35", "ph", (below(7.35, 30),)),
        bands("BUN ≥ 30 mg/dL", "bun", (at_least(30, 20),), unit="mg/dL"),
        bands("Sodium < 130", "sodium", (below(130, 20),), unit="mmol/L"),
        bands("Glucose ≥ 250 mg/dL", "glucose", (at_least(250, 10),), unit="mg/dL"),
        bands("Hematocrit < 30 %", "hematocrit", (below(30, 10),), unit="%"),
        bands("PaO2 < 60 mm Hg", "pao2", (below(60, 10),), unit="mm Hg"),
        if_true("Pleural effusion on x-ray", "pleural_effusion", points=10),
    ),
    score_range=(-10, 400),
    missing_convention="as in the derivation study, findings that are not documented are "
    "assumed normal (0 points).",
)

register(TABLE)
