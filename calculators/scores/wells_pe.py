"""Wells' criteria for pulmonary embolism (MedCalc-Bench ID 8)."""

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.criteria import ScoreTable, above, bands, flag, if_true
from calculators.registry import register
from calculators.scores._vitals import heart_rate

CITATION = (
    "Wells PS, Anderson DR, Rodger M, et al. Derivation of a simple clinical model to categorize "
    "patients probability of pulmonary embolism: increasing the models utility with the SimpliRED "
    "D-dimer. Thromb Haemost. 2000;83(3):416-420."
)

TABLE = ScoreTable(
    info=CalculatorInfo(
        id=8,
        slug="wells_pe",
        name="Wells' Criteria for Pulmonary Embolism",
        category=Category.RISK,
        output_kind=OutputKind.DECIMAL,
        unit="points",
        citation=CITATION,
    ),
    inputs=(
        flag(
            "clinical_dvt",
            "Clinical signs of DVT",
            "Clinical signs and symptoms of Deep Vein Thrombosis",
        ),
        flag(
            "pe_most_likely",
            "PE is the most likely diagnosis",
            "Pulmonary Embolism is #1 diagnosis OR equally likely",
        ),
        heart_rate(default=None, default_note="not documented, assumed ≤ 100 beats/min"),
        flag("immobilization", "Immobilization ≥ 3 days", "Immobilization for at least 3 days"),
        flag(
            "recent_surgery", "Surgery in the previous 4 weeks", "Surgery in the previous 4 weeks"
        ),
        flag("previous_pe", "Previous PE", "Previously Documented Pulmonary Embolism"),
        flag("previous_dvt", "Previous DVT", "Previously documented Deep Vein Thrombosis"),
        flag("hemoptysis", "Hemoptysis", "Hemoptysis"),
        flag(
            "malignancy",
            "Malignancy (treatment within 6 months or palliative)",
            "Malignancy with treatment within 6 months or palliative",
        ),
    ),
    criteria=(
        if_true("Clinical signs and symptoms of DVT", "clinical_dvt", points=3),
        if_true("PE is the #1 diagnosis or equally likely", "pe_most_likely", points=3),
        bands("Heart rate > 100", "heart_rate", (above(100, 1.5),), unit="beats/min"),
        if_true(
            "Immobilization ≥ 3 days or surgery in the previous 4 weeks",
            "immobilization",
            "recent_surgery",
            points=1.5,
        ),
        if_true("Previously documented PE or DVT", "previous_pe", "previous_dvt", points=1.5),
        if_true("Hemoptysis", "hemoptysis"),
        if_true("Malignancy with treatment within 6 months or palliative", "malignancy"),
    ),
    score_range=(0, 12.5),
    missing_convention="a finding that is not documented counts as absent (0 points).",
)

register(TABLE)
