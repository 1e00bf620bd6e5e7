"""SIRS criteria: number met (MedCalc-Bench ID 51).

Temperature > 38 or < 36 °C; heart rate > 90/min; respiratory rate > 20/min or PaCO2 < 32 mm Hg;
WBC > 12,000 or < 4,000 /µL (the band-form criterion is not in the benchmark's inputs).
"""

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.criteria import (
    Points,
    ScoreTable,
    Values,
    above,
    bands,
    below,
    derived,
    quantity,
)
from calculators.registry import register
from calculators.scores._vitals import heart_rate, respiratory_rate, temperature

CITATION = (
    "Bone RC, Balk RA, Cerra FB, et al. Definitions for sepsis and organ failure and guidelines "
    "for the use of innovative therapies in sepsis. The ACCP/SCCM Consensus Conference Committee. "
    "Chest. 1992;101(6):1644-1655. doi:10.1378/chest.101.6.1644"
)


def _respiratory(values: Values) -> tuple[Points, str]:
    rate, paco2 = values.get("respiratory_rate"), values.get("paco2")
    fast = isinstance(rate, float) and rate > 20
    low_co2 = isinstance(paco2, float) and paco2 < 32
    shown = f"respiratory rate {rate if rate is not None else 'n/a'}/min, PaCO2 " + (
        f"{paco2:g} mm Hg" if isinstance(paco2, float) else "n/a"
    )
    if fast or low_co2:
        return 1, f"{shown}: rate > 20 or PaCO2 < 32"
    return 0, f"{shown}: neither rate > 20 nor PaCO2 < 32"


_NOT_MET = "not documented, criterion not met"

TABLE = ScoreTable(
    info=CalculatorInfo(
        id=51,
        slug="sirs",
        name="SIRS Criteria",
        category=Category.DIAGNOSIS,
        output_kind=OutputKind.INTEGER,
        unit="criteria",
        citation=CITATION,
    ),
    inputs=(
        temperature(default=None, default_note=_NOT_MET),
        heart_rate(default=None, default_note=_NOT_MET),
        respiratory_rate(default=None),
        quantity(
            "paco2",
            "PaCO2",
            "PaCO2",
            "PaCO₂",
            unit="mm Hg",
            dimension="pressure_mmhg",
            bounds=(5.0, 200.0),
            default=None,
        ),
        quantity(
            "wbc",
            "White blood cell count",
            "White blood cell count",
            unit="/µL",
            dimension="count_per_ul",
            bounds=(50.0, 500_000.0),
            default=None,
            default_note=_NOT_MET,
        ),
    ),
    criteria=(
        bands(
            "Temperature > 38 °C or < 36 °C", "temperature", (above(38, 1), below(36, 1)), unit="°C"
        ),
        bands("Heart rate > 90", "heart_rate", (above(90, 1),), unit="beats/min"),
        derived(
            "Respiratory rate > 20 or PaCO2 < 32 mm Hg", ("respiratory_rate", "paco2"), _respiratory
        ),
        bands(
            "WBC > 12,000 or < 4,000 /µL", "wbc", (above(12_000, 1), below(4_000, 1)), unit="/µL"
        ),
    ),
    score_range=(0, 4),
    missing_convention="a criterion whose finding is not documented is not met.",
)

register(TABLE)
