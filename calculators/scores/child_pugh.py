"""Child-Pugh score for cirrhosis mortality (MedCalc-Bench ID 15).

Bilirubin in mg/dL (µmol/L converted with molar mass 584.66 g/mol), albumin in g/dL, INR
unitless. Ascites and encephalopathy are graded as in Pugh's modification of Child-Turcotte.
"""

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.criteria import (
    ScoreTable,
    above,
    bands,
    below,
    between,
    by_choice,
    choice,
    number,
    quantity,
)
from calculators.registry import register

CITATION = (
    "Pugh RN, Murray-Lyon IM, Dawson JL, Pietroni MC, Williams R. Transection of the oesophagus "
    "for bleeding oesophageal varices. Br J Surg. 1973;60(8):646-649. doi:10.1002/bjs.1800600817"
)

ASCITES = {
    "absent": ("none", "no", "no ascites", "false"),
    "slight": ("mild", "slight ascites", "mild ascites"),
    "moderate": ("moderate-severe", "moderate to severe", "severe", "tense", "large"),
}
ENCEPHALOPATHY = {
    "none": ("no encephalopathy", "grade 0", "absent", "no", "false"),
    "grade 1-2": ("grade 1–2", "grade 1", "grade 2", "mild", "minimal"),
    "grade 3-4": ("grade 3–4", "grade 3", "grade 4", "severe", "coma"),
}

TABLE = ScoreTable(
    info=CalculatorInfo(
        id=15,
        slug="child_pugh",
        name="Child-Pugh Score for Cirrhosis Mortality",
        category=Category.SEVERITY,
        output_kind=OutputKind.INTEGER,
        unit="points",
        citation=CITATION,
    ),
    inputs=(
        quantity(
            "bilirubin",
            "Total bilirubin",
            "Bilirubin",
            unit="mg/dL",
            analyte="bilirubin",
            bounds=(0.0, 80.0),
        ),
        quantity(
            "albumin", "Albumin", "Albumin", unit="g/dL", analyte="albumin", bounds=(0.5, 7.0)
        ),
        number("inr", "INR", "international normalized ratio", "INR", bounds=(0.5, 15.0)),
        choice(
            "ascites",
            "Ascites",
            "Ascites",
            choices=ASCITES,
            default="absent",
            default_note="not documented, assumed absent",
        ),
        choice(
            "encephalopathy",
            "Hepatic encephalopathy",
            "Encephalopathy",
            choices=ENCEPHALOPATHY,
            default="none",
            default_note="not documented, assumed none",
        ),
    ),
    criteria=(
        bands(
            "Total bilirubin",
            "bilirubin",
            (below(2, 1), between(2, 3, 2, high_inclusive=True), above(3, 3)),
            unit="mg/dL",
        ),
        bands(
            "Albumin",
            "albumin",
            (above(3.5, 1), between(2.8, 3.5, 2, high_inclusive=True), below(2.8, 3)),
            unit="g/dL",
        ),
        bands(
            "INR", "inr", (below(1.7, 1), between(1.7, 2.3, 2, high_inclusive=True), above(2.3, 3))
        ),
        by_choice("Ascites", "ascites", {"absent": 1, "slight": 2, "moderate": 3}),
        by_choice("Encephalopathy", "encephalopathy", {"none": 1, "grade 1-2": 2, "grade 3-4": 3}),
    ),
    score_range=(5, 15),
    missing_convention="ascites or encephalopathy not documented count as absent (1 point each); "
    "bilirubin, albumin and INR are required.",
)

register(TABLE)
