"""PERC rule for pulmonary embolism: number of criteria met (MedCalc-Bench ID 48)."""

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.criteria import (
    ScoreTable,
    age,
    at_least,
    bands,
    below,
    flag,
    if_true,
    quantity,
)
from calculators.registry import register
from calculators.scores._vitals import heart_rate

CITATION = (
    "Kline JA, Mitchell AM, Kabrhel C, Richman PB, Courtney DM. Clinical criteria to prevent "
    "unnecessary diagnostic testing in emergency department patients with suspected pulmonary "
    "embolism. J Thromb Haemost. 2004;2(8):1247-1255. doi:10.1111/j.1538-7836.2004.00790.x"
)

TABLE = ScoreTable(
    info=CalculatorInfo(
        id=48,
        slug="perc",
        name="PERC Rule for Pulmonary Embolism",
        category=Category.DIAGNOSIS,
        output_kind=OutputKind.INTEGER,
        unit="criteria",
        citation=CITATION,
    ),
    inputs=(
        age(),
        heart_rate(default=None, default_note="not documented, assumed < 100 beats/min"),
        quantity(
            "oxygen_saturation",
            "O2 saturation",
            "O₂ saturation percentage",
            unit="%",
            dimension="percent",
            bounds=(30.0, 100.0),
            default=None,
            default_note="not documented, assumed ≥ 95 %",
        ),
        flag("leg_swelling", "Unilateral leg swelling", "Unilateral Leg Swelling"),
        flag("hemoptysis", "Hemoptysis", "Hemoptysis"),
        flag("surgery_trauma", "Recent surgery or trauma", "Recent surgery or trauma"),
        flag("previous_pe", "Prior PE", "Previously Documented Pulmonary Embolism"),
        flag("previous_dvt", "Prior DVT", "Previously documented Deep Vein Thrombosis"),
        flag("hormones", "Hormone use", "Hormone use"),
    ),
    criteria=(
        bands("Age ≥ 50", "age", (at_least(50, 1),), unit="years"),
        bands("Heart rate ≥ 100", "heart_rate", (at_least(100, 1),), unit="beats/min"),
        bands("O2 saturation < 95 %", "oxygen_saturation", (below(95, 1),), unit="%"),
        if_true("Unilateral leg swelling", "leg_swelling"),
        if_true("Hemoptysis", "hemoptysis"),
        if_true("Recent surgery or trauma (≤ 4 weeks)", "surgery_trauma"),
        if_true("Prior PE or DVT", "previous_pe", "previous_dvt"),
        if_true("Hormone use (oral contraceptives, hormone therapy)", "hormones"),
    ),
    score_range=(0, 8),
    missing_convention="a criterion whose finding is not documented is not met.",
)

register(TABLE)
