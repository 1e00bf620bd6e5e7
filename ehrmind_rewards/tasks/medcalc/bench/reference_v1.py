"""The MedCalc-Bench reference code's unit arithmetic, re-enacted to explain its labels.

The reference calculators (the v1.0 code that produced the v1.0 labels, and the ``medcalc-bench``
1.7.0 package, ``medcalc/utils/unit_converter_new.py``) convert units as a chain of steps (mass
unit, moles, mass, volume), each result rounded before the next step uses it: to 3 decimal
places, or to 3 significant figures when it is below 0.001 (``medcalc/utils/rounding.py``). For
example 2.26 mmol/L calcium becomes ``2.26 × 0.001 = 0.002 mol`` → ``0.002 × 40.08 = 0.08 g`` →
80.0 mg → 8.0 mg/dL (the true value is 9.06 mg/dL). :func:`convert_v1` repeats that chain with
the molar masses the reference uses, so :mod:`.causes` (and the differential test against the
reference package) can test whether it reproduces a value. It exists only to explain the
reference's numbers; the calculators convert exactly.
"""

from __future__ import annotations

import math

# Molar masses (g/mol) as the v1.0 explanations print them.
MOLAR_MASS_V1: dict[str, float] = {
    "bilirubin": 584.66,
    "calcium": 40.08,
    "creatinine": 113.12,
    "triglycerides": 861.338,
    "cholesterol_ldl": 386.654,
    "cholesterol_framingham": 386.65,
}

# The reference's unit prefixes: grams or moles per unit of each mass-like unit, litres per unit of
# each volume unit.
_GRAMS = {"kg": 1000.0, "g": 1.0, "mg": 0.001, "µg": 0.000001}
_MOLES = {"mol": 1.0, "mmol": 0.001, "µmol": 0.000001, "pmol": 0.000000001}
_LITRES = {
    "L": 1.0,
    "dL": 0.1,
    "mL": 0.001,
    "µL": 0.000001,
    "mm^3": 0.000001,
    "cm^3": 0.001,
    "m^3": 1000.0,
}
_SPELLINGS = {"μ": "µ", "u": "µ"}


def round_v1(value: float) -> float:
    """A step's result as the reference keeps it (``round_number``): 3 decimal places above 0.001,
    otherwise 3 significant figures — negative values included, so −11.26 is kept as −11.3.

    >>> round_v1(1.93327), round_v1(0.00084), round_v1(-11.26)
    (1.933, 0.00084, -11.3)
    """
    if value > 0.001:
        return round(value, 3)
    if value == 0:
        return 0.0
    return round(value, -math.floor(math.log10(abs(value))) + 2)


def _unit(text: str) -> str:
    text = text.strip()
    return _SPELLINGS.get(text[:1], text[:1]) + text[1:] if text[:1] in _SPELLINGS else text


def _same_kind(source: str, target: str) -> bool:
    return (source in _GRAMS and target in _GRAMS) or (source in _MOLES and target in _MOLES)


def _scale(value: float, source: str, target: str) -> float:
    """Within grams or within moles: the factor is rounded, then the product."""
    table = _GRAMS if source in _GRAMS else _MOLES
    return round_v1(value * round_v1(table[source] / table[target]))


def convert_amount_v1(
    value: float, source: str, target: str, molar_mass: float | None, valence: int | None
) -> float:
    """An amount (g, mg, µg, mol, mmol, µmol, pmol, mEq) as the reference converts it.

    Raises ``TypeError`` where the reference does (a mEq step without a valence, a mole step
    without a molar mass) and ``ValueError`` for a unit it does not know.

    >>> convert_amount_v1(25, "µg", "mg", None, None)
    0.025
    >>> convert_amount_v1(140, "mEq", "mmol", None, None)
    Traceback (most recent call last):
    TypeError: the reference divides by a missing molar mass or valence
    """
    source, target = _unit(source), _unit(target)
    if source == target:
        return value
    known = set(_GRAMS) | set(_MOLES) | {"mEq"}
    if source not in known or target not in known:
        raise ValueError(f"unit {source!r} or {target!r} is not a reference amount unit")
    if _same_kind(source, target):
        return _scale(value, source, target)
    if source in _MOLES and target in _GRAMS:
        grams = round_v1(_scale(value, source, "mol") * _need(molar_mass))
        return _scale(grams, "g", target)
    if source in _GRAMS and target in _MOLES:
        moles = round_v1(_scale(value, source, "g") / _need(molar_mass))
        return _scale(moles, "mol", target)
    if source in _MOLES and target == "mEq":
        millimoles = value if source == "mmol" else _scale(value, source, "mmol")
        return round_v1(millimoles * _need(valence))
    if source == "mEq" and target in _MOLES:
        millimoles = round_v1(value / _need(valence))
        return millimoles if target == "mmol" else _scale(millimoles, "mmol", target)
    if source == "mEq" and target in _GRAMS:
        moles = _scale(round_v1(value / _need(valence)), "mmol", "mol")
        grams = round_v1(moles * _need(molar_mass))
        return _scale(grams, "g", target)
    # grams to mEq
    millimoles = _scale(round_v1(_scale(value, source, "g") / _need(molar_mass)), "mol", "mmol")
    return round_v1(millimoles * _need(valence))


def _need(fact: float | None) -> float:
    if fact is None:
        raise TypeError("the reference divides by a missing molar mass or valence")
    return fact


def convert_v1(
    value: float,
    source: str,
    target: str,
    *,
    molar_mass: float | None = None,
    valence: int | None = None,
) -> float:
    """A concentration (``amount/volume``) or an amount converted as the reference does.

    The amount is converted by :func:`convert_amount_v1`, then divided by the rounded volume
    factor, the quotient rounded. A unit that does not change is passed through unrounded.

    >>> convert_v1(2.26, "mmol/L", "mg/dL", molar_mass=40.08)
    8.0
    >>> convert_v1(140, "mEq/L", "mmol/L", valence=1)
    140.0
    """
    source, target = source.strip(), target.strip()
    if "/" not in source and "/" not in target:
        return convert_amount_v1(value, source, target, molar_mass, valence)
    source_amount, _, source_volume = source.partition("/")
    target_amount, _, target_volume = target.partition("/")
    if source_amount == target_amount and source_volume == target_volume:
        return value
    amount = convert_amount_v1(value, source_amount, target_amount, molar_mass, valence)
    if source_volume == target_volume:
        return round_v1(amount)
    try:
        factor = round_v1(_LITRES[_unit(source_volume)] / _LITRES[_unit(target_volume)])
    except KeyError:
        raise ValueError(f"unit {source!r} is not a reference concentration") from None
    return round_v1(amount / factor)


def to_mg_per_dl(value: float, unit: str, analyte: str) -> float:
    """A concentration converted to mg/dL by the reference chain with the v1.0 molar masses.

    Raises ``ValueError`` for a unit the chain does not know.
    """
    unit = unit.strip()
    if unit == "mg/dL":
        return value
    if "/" not in unit or unit.partition("/")[2] != "L":
        raise ValueError(f"unit {unit!r} is not a v1.0 conversion chain")
    return convert_v1(value, unit, "mg/dL", molar_mass=MOLAR_MASS_V1.get(analyte))


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
    return convert_v1(value, "mg/dL", "mmol/L", molar_mass=MOLAR_MASS_V1[analyte])


def count_v1(value: float, unit: str, target: str) -> float:
    """A count per volume (the benchmark writes ``[12300.0, 'mm^3']`` for 12,300 per mm³)
    expressed per ``target`` volume as the reference does: the volume factor rounded, then the
    product (``convert_to_units_per_liter_explanation``).

    >>> count_v1(12300.0, "mm^3", "m^3")
    12300000000000.0
    """
    source, goal = _unit(unit), _unit(target)
    if source == goal:
        return value
    try:
        factor = round_v1(_LITRES[goal] / _LITRES[source])
    except KeyError:
        raise ValueError(f"unit {unit!r} is not a reference volume") from None
    return round_v1(factor * value)


def age_years_v1(raw: list[object]) -> float:
    """An age as the reference reads ``[n, unit, ...]``: the first value in years as written,
    months and weeks as whole years (floor division), days as 0 (``age_conversion``).

    >>> age_years_v1([18, "months"]), age_years_v1([156, "weeks"]), age_years_v1([40, "years"])
    (1.0, 3.0, 40.0)
    """
    for amount, unit in zip(raw[::2], raw[1::2], strict=True):
        number = float(amount)  # type: ignore[arg-type]
        text = str(unit)
        if "year" in text:
            return number
        if "months" in text:
            return number // 12
        if "weeks" in text:
            return number // 52
        if "days" in text:
            return 0.0
    raise ValueError(f"no age unit the reference reads in {raw!r}")


def celsius_v1(value: float, unit: str) -> float:
    """A temperature as the reference reads it: ``degrees celsius`` as written, any other unit as
    Fahrenheit, converted and rounded (``fahrenheit_to_celsius_explanation``).

    >>> celsius_v1(96.8, "degrees fahrenheit"), celsius_v1(37, "degrees celsisus")
    (36.0, 2.778)
    """
    if unit == "degrees celsius":
        return value
    return round_v1((value - 32) * 5 / 9)
