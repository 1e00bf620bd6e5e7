"""FeverPAIN score for streptococcal pharyngitis (MedCalc-Bench ID 33)."""

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.criteria import ScoreTable, flag, if_true
from calculators.registry import register

CITATION = (
    "Little P, Hobbs FDR, Moore M, et al. Clinical score and rapid antigen detection test to guide "
    "antibiotic use for sore throats: randomised controlled trial of PRISM (primary care "
    "streptococcal management). BMJ. 2013;347:f5806. doi:10.1136/bmj.f5806"
)

TABLE = ScoreTable(
    info=CalculatorInfo(
        id=33,
        slug="feverpain",
        name="FeverPAIN Score for Strep Pharyngitis",
        category=Category.DIAGNOSIS,
        output_kind=OutputKind.INTEGER,
        unit="points",
        citation=CITATION,
    ),
    inputs=(
        flag("fever", "Fever in past 24 hours", "Fever in past 24 hours"),
        flag("purulence", "Purulent tonsils", "Purulent tonsils"),
        flag(
            "attend_rapidly",
            "Symptom onset ≤ 3 days",
            "Symptom onset ≤3 days",
            "Symptom onset <=3 days",
        ),
        flag("inflamed_tonsils", "Severely inflamed tonsils", "Severe tonsil inflammation"),
        flag("no_cough_coryza", "Absence of cough or coryza", "Absence of cough or coryza"),
    ),
    criteria=(
        if_true("Fever in past 24 hours", "fever"),
        if_true("Purulence (pharyngeal/tonsillar exudate)", "purulence"),
        if_true("Attend rapidly (symptom onset ≤ 3 days)", "attend_rapidly"),
        if_true("Inflamed tonsils (severe)", "inflamed_tonsils"),
        if_true("No cough or coryza", "no_cough_coryza"),
    ),
    score_range=(0, 5),
    missing_convention="a feature that is not documented counts as absent (0 points); an "
    "undocumented cough/coryza status does not score 'absence of cough or coryza'.",
)

register(TABLE)
