"""The MedCalc-Bench v1.0 reference code's unit arithmetic, re-enacted to explain its labels.

The v1.0 explanations show every unit conversion as a chain of steps (mass unit, moles, mass,
volume), each result rounded before the next step uses it: to 3 decimal places, or to 3
significant figures when it is below 0.001. For example 2.26 mmol/L calcium becomes
``2.26 × 0.001 = 0.002 mol`` → ``0.002 × 40.08 = 0.08 g`` → 80.0 mg → 8.0 mg/dL (the true value is
9.06 mg/dL). These functions repeat that chain with the molar masses the explanations print, so
:mod:`.causes` can test whether it reproduces a label. They exist only to explain old labels; the
calculators convert exactly.
"""

from __future__ import annotations

# Molar masses (g/mol) as printed by the v1.0 explanations.
MOLAR_MASS_V1: dict[str, float] = {
    "bilirubin": 584.66,
    "calcium": 40.08,
    "creatinine": 113.12,
    "triglycerides": 861.338,
    "cholesterol_ldl": 386.654,
    "cholesterol_framingham": 386.65,
}

_MASS_PREFIX_TO_GRAMS = {"mg": 1e-3, "g": 1.0}
_AMOUNT_PREFIX_TO_MOLES = {"mmol": 1e-3, "µmol": 1e-6, "μmol": 1e-6, "umol": 1e-6}


def round_v1(value: float) -> float:
    """A step's result as v1.0 kept it: 3 decimal places, or 3 significant figures below 0.001."""
    if abs(value) >= 0.001 or value == 0:
        return round(value, 3)
    return float(f"{value:.2e}")


def to_mg_per_dl(value: float, unit: str, analyte: str) -> float:
    """A concentration in mmol/L, µmol/L, mg/dL or g/L converted to mg/dL by the v1.0 chain.

    Amount units go amount → mol → g → mg per L, then ÷ 10 dL/L; each step rounded by
    :func:`round_v1`. Raises ``ValueError`` for any other unit.
    """
    unit = unit.strip()
    if unit == "mg/dL":
        return value
    numerator, _, denominator = unit.partition("/")
    if denominator != "L":
        raise ValueError(f"unit {unit!r} is not a v1.0 conversion chain")
    if numerator in _AMOUNT_PREFIX_TO_MOLES:
        moles = round_v1(value * _AMOUNT_PREFIX_TO_MOLES[numerator])
        grams = round_v1(moles * MOLAR_MASS_V1[analyte])
        milligrams = round_v1(grams * 1000.0)
    elif numerator in _MASS_PREFIX_TO_GRAMS:
        milligrams = round_v1(round_v1(value * _MASS_PREFIX_TO_GRAMS[numerator]) * 1000.0)
    else:
        raise ValueError(f"unit {unit!r} is not a v1.0 conversion chain")
    return round_v1(milligrams / 10.0)


def to_g_per_dl(value: float, unit: str) -> float:
    """A mass concentration in g/dL or g/L converted to g/dL as v1.0 did (÷ 10, rounded)."""
    unit = unit.strip()
    if unit == "g/dL":
        return value
    if unit == "g/L":
        return round_v1(value / 10.0)
    raise ValueError(f"unit {unit!r} is not a v1.0 conversion chain")


def mg_per_dl_to_mmol_per_l(value: float, analyte: str) -> float:
    """mg/dL → mmol/L by the v1.0 chain: mg → g → mol → mmol, then ÷ 0.1 L/dL, each step rounded."""
    grams = round_v1(value * 0.001)
    moles = round_v1(grams / MOLAR_MASS_V1[analyte])
    millimoles = round_v1(moles * 1000.0)
    return round_v1(millimoles / 0.1)
