"""APACHE II score (MedCalc-Bench ID 28).

Acute Physiology Score (12 variables, worst value in the first 24 h) + age points + chronic health
points, as tabulated by Knaus et al. 1985. The published bands list one-decimal ranges
(e.g. 38.5–38.9, 36–38.4 °C); here each band runs up to the next band's lower limit, so no value
falls between bands. Temperature is read in °C (°F converted; the benchmark's misspelling
"degrees celsisus" is Celsius). MAP = (SBP + 2·DBP)/3 when not given. Creatinine points are doubled
in acute renal failure. Oxygenation: FiO2 ≥ 50 % scores the A-a gradient, FiO2 < 50 % the PaO2.
"""

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.criteria import (
    Band,
    Points,
    ScoreTable,
    Values,
    age,
    at_least,
    bands,
    between,
    choice,
    derived,
    flag,
    number,
    quantity,
)
from calculators.errors import MissingInputError
from calculators.exact import exactly
from calculators.registry import register
from calculators.scores._vitals import (
    diastolic_bp,
    fio2,
    heart_rate,
    pao2,
    respiratory_rate,
    systolic_bp,
    temperature,
)

CITATION = (
    "Knaus WA, Draper EA, Wagner DP, Zimmerman JE. APACHE II: a severity of disease classification "
    "system. Crit Care Med. 1985;13(10):818-829."
)
NAME = "APACHE II Score"

SURGERY = {
    "nonoperative": ("non-operative", "non operative", "medical"),
    "emergency postoperative": ("emergency", "emergent", "emergency surgery"),
    "elective postoperative": ("elective", "elective surgery"),
}


def _steps(*table: tuple[float, Points]) -> tuple[Band, ...]:
    """Bands from (lower limit, points) pairs sorted high→low; the last one is unbounded below."""
    result = []
    upper: float | None = None
    for low, points in table:
        result.append(Band(points, low=low if low != float("-inf") else None, high=upper))
        upper = low
    return tuple(result)


_INF = float("-inf")
TEMPERATURE = _steps((41, 4), (39, 3), (38.5, 1), (36, 0), (34, 1), (32, 2), (30, 3), (_INF, 4))
MAP = _steps((160, 4), (130, 3), (110, 2), (70, 0), (50, 2), (_INF, 4))
HEART_RATE = _steps((180, 4), (140, 3), (110, 2), (70, 0), (55, 2), (40, 3), (_INF, 4))
RESP_RATE = _steps((50, 4), (35, 3), (25, 1), (12, 0), (10, 1), (6, 2), (_INF, 4))
PH = _steps((7.7, 4), (7.6, 3), (7.5, 1), (7.33, 0), (7.25, 2), (7.15, 3), (_INF, 4))
SODIUM = _steps((180, 4), (160, 3), (155, 2), (150, 1), (130, 0), (120, 2), (111, 3), (_INF, 4))
POTASSIUM = _steps((7, 4), (6, 3), (5.5, 1), (3.5, 0), (3, 1), (2.5, 2), (_INF, 4))
CREATININE = _steps((3.5, 4), (2, 3), (1.5, 2), (0.6, 0), (_INF, 2))
HEMATOCRIT = _steps((60, 4), (50, 2), (46, 1), (30, 0), (20, 2), (_INF, 4))
WBC = _steps((40_000, 4), (20_000, 2), (15_000, 1), (3_000, 0), (1_000, 2), (_INF, 4))
AA_GRADIENT = _steps((500, 4), (350, 3), (200, 2), (_INF, 0))
PAO2 = _steps((61, 1), (55, 3), (_INF, 4))


def _band_points(table: tuple[Band, ...], x: float) -> tuple[Points, Band]:
    for band in table:
        if band.contains(x):
            return band.points, band
    raise AssertionError("bands cover the real line")


def _map(values: Values) -> tuple[Points, str]:
    given = values.get("map")
    if isinstance(given, float):
        mean = given
        how = f"MAP {mean:g} mm Hg"
    else:
        sbp, dbp = values.get("sbp"), values.get("dbp")
        if not isinstance(sbp, float) or not isinstance(dbp, float):
            raise MissingInputError(NAME, ["Mean arterial pressure or systolic+diastolic BP"])
        mean = exactly(lambda s, d: (s + 2 * d) / 3, sbp, dbp)
        how = f"MAP = ({sbp:g} + 2 × {dbp:g}) / 3 = {mean:.1f} mm Hg"
    points, band = _band_points(MAP, mean)
    return points, f"{how}, {band.describe('mm Hg')}"


def _oxygenation(values: Values) -> tuple[Points, str]:
    fio2 = values.get("fio2")
    if not isinstance(fio2, float):
        fio2 = 21.0
        prefix = "FiO2 not documented, assumed room air (21 %)"
    else:
        prefix = f"FiO2 {fio2:g} %"
    if fio2 >= 50:
        gradient = values.get("aa_gradient")
        if not isinstance(gradient, float):
            raise MissingInputError(NAME, ["A-a gradient (FiO2 ≥ 50 %)"])
        points, band = _band_points(AA_GRADIENT, gradient)
        return points, f"{prefix} ≥ 50 %: A-a gradient {gradient:g} mm Hg, {band.describe('mm Hg')}"
    pao2 = values.get("pao2")
    if not isinstance(pao2, float):
        raise MissingInputError(NAME, ["PaO2 (FiO2 < 50 %)"])
    if pao2 > 70:
        return 0, f"{prefix} < 50 %: PaO2 {pao2:g} mm Hg > 70 mm Hg"
    points, band = _band_points(PAO2, pao2)
    return points, f"{prefix} < 50 %: PaO2 {pao2:g} mm Hg, {band.describe('mm Hg')}"


def _creatinine(values: Values) -> tuple[Points, str]:
    creatinine = values["creatinine"]
    assert isinstance(creatinine, float)
    points, band = _band_points(CREATININE, creatinine)
    text = f"{creatinine:g} mg/dL is {band.describe('mg/dL')}"
    if values.get("acute_renal_failure") is True:
        return 2 * points, f"{text}; doubled for acute renal failure"
    return points, text


def _gcs(values: Values) -> tuple[Points, str]:
    gcs = values["gcs"]
    assert isinstance(gcs, float)
    return 15 - int(gcs), f"15 − GCS {gcs:g}"


def _chronic_health(values: Values) -> tuple[Points, str]:
    if values.get("chronic_organ_failure") is not True:
        return 0, "no severe organ insufficiency or immunocompromise"
    surgery = values.get("surgery")
    if surgery == "elective postoperative":
        return 2, "severe organ insufficiency/immunocompromise, elective postoperative"
    return 5, f"severe organ insufficiency/immunocompromise, {surgery}"


TABLE = ScoreTable(
    info=CalculatorInfo(
        id=28,
        slug="apache_ii",
        name=NAME,
        category=Category.RISK,
        output_kind=OutputKind.INTEGER,
        unit="points",
        citation=CITATION,
    ),
    inputs=(
        age(),
        temperature(),
        quantity(
            "map",
            "Mean arterial pressure",
            "Mean arterial pressure",
            unit="mm Hg",
            dimension="pressure_mmhg",
            bounds=(10.0, 250.0),
            default=None,
            sometimes_required=True,
        ),
        systolic_bp(default=None),
        diastolic_bp(default=None),
        heart_rate(),
        respiratory_rate(),
        fio2(default=None),
        pao2(default=None, sometimes_required=True),
        number(
            "aa_gradient",
            "A-a gradient",
            "A-a gradient",
            bounds=(0.0, 700.0),
            default=None,
            sometimes_required=True,
        ),
        number("ph", "Arterial pH", "pH", bounds=(6.5, 8.0)),
        quantity(
            "sodium", "Sodium", "Sodium", unit="mmol/L", analyte="sodium", bounds=(90.0, 200.0)
        ),
        quantity(
            "potassium",
            "Potassium",
            "Potassium",
            unit="mmol/L",
            analyte="potassium",
            bounds=(1.0, 10.0),
        ),
        quantity(
            "creatinine",
            "Creatinine",
            "creatinine",
            unit="mg/dL",
            analyte="creatinine",
            bounds=(0.05, 40.0),
        ),
        flag("acute_renal_failure", "Acute renal failure", "Acute renal failure"),
        quantity(
            "hematocrit",
            "Hematocrit",
            "Hematocrit",
            unit="%",
            dimension="percent",
            bounds=(5.0, 80.0),
        ),
        quantity(
            "wbc",
            "White blood cell count",
            "White blood cell count",
            unit="/µL",
            dimension="count_per_ul",
            bounds=(50.0, 500_000.0),
        ),
        number("gcs", "Glasgow Coma Score", "Glasgow Coma Score", bounds=(3.0, 15.0), integer=True),
        flag(
            "chronic_organ_failure",
            "Severe organ insufficiency or immunocompromise",
            "History of severe organ failure or immunocompromise",
        ),
        choice(
            "surgery",
            "Admission type",
            "Surgery Type",
            choices=SURGERY,
            default="nonoperative",
            default_note="not documented, assumed nonoperative admission",
        ),
    ),
    criteria=(
        bands(
            "Age",
            "age",
            (at_least(75, 6), between(65, 75, 5), between(55, 65, 3), between(45, 55, 2)),
            unit="years",
        ),
        bands("Temperature", "temperature", TEMPERATURE, unit="°C"),
        derived("Mean arterial pressure", ("map", "sbp", "dbp"), _map),
        bands("Heart rate", "heart_rate", HEART_RATE, unit="beats/min"),
        bands("Respiratory rate", "respiratory_rate", RESP_RATE, unit="breaths/min"),
        derived("Oxygenation", ("fio2", "pao2", "aa_gradient"), _oxygenation),
        bands("Arterial pH", "ph", PH),
        bands("Sodium", "sodium", SODIUM, unit="mmol/L"),
        bands("Potassium", "potassium", POTASSIUM, unit="mmol/L"),
        derived("Creatinine", ("creatinine", "acute_renal_failure"), _creatinine),
        bands("Hematocrit", "hematocrit", HEMATOCRIT, unit="%"),
        bands("White blood cell count", "wbc", WBC, unit="/µL"),
        derived("Glasgow Coma Scale", ("gcs",), _gcs),
        derived("Chronic health", ("chronic_organ_failure", "surgery"), _chronic_health),
    ),
    score_range=(0, 71),
    missing_convention="physiological values are required (MAP may be computed from SBP/DBP); "
    "the oxygenation variable needed by the FiO2 branch is required; an undocumented history of "
    "severe organ insufficiency counts as absent, acute renal failure as absent.",
)

register(TABLE)
