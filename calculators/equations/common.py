"""Body-size formulas shared by several calculators: BMI, Devine ideal and adjusted body weight.

Heights are in cm and weights in kg throughout.
"""

from __future__ import annotations

from typing import Annotated

from calculators.formula import Formula
from calculators.inputs import quantity

HEIGHT = quantity("cm", 30, 275, keys=("height",), label="Height")
WEIGHT = quantity("kg", 0.3, 500, keys=("weight",), label="Weight")
AGE = quantity("year", 0, 125, keys=("age",), label="Age", display_unit="years")
ADULT_AGE = quantity("year", 18, 125, keys=("age",), label="Age", display_unit="years")

Height = Annotated[float, HEIGHT]
Weight = Annotated[float, WEIGHT]

BMI = Formula("BMI", ("weight", "height"), lambda s: s.weight / (s.height / 100) ** 2, unit="kg/m²")
"""Quetelet's body-mass index, kg/m² (weight kg, height cm)."""

IBW = Formula(
    "IBW",
    ("base", "height"),
    lambda s: s.base + 2.3 * (s.height / 2.54 - 60),
    unit="kg",
)
"""Devine (1974) ideal body weight: 50 kg (men) or 45.5 kg (women) + 2.3 kg per inch over 5 ft."""

IBW_BASE = {"Male": 50.0, "Female": 45.5}

ADJUSTED_WEIGHT = Formula(
    "AdjBW", ("ibw", "weight"), lambda s: s.ibw + 0.4 * (s.weight - s.ibw), unit="kg"
)
"""Adjusted body weight: IBW + 0.4 × (actual weight − IBW)."""

DEVINE_CITATION = "Devine BJ. Gentamicin therapy. Drug Intell Clin Pharm. 1974;8:650-655."
