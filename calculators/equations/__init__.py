"""The 36 equation-based MedCalc-Bench calculators; each module registers itself on import."""

from calculators.equations import (  # noqa: F401
    bmi,
    cockcroft_gault,
)
