"""Clinical units: one pint registry, the unit spellings seen in real data, cached factors.

``convert(value, unit, target, analyte=..., field=...)`` turns a value written in any accepted unit
into the ``target`` unit. The first conversion of a (unit, target, analyte) triple asks pint (with
exact fractions) for an affine pair ``(scale, offset)``; later conversions reuse it. Conversions are
exact, by the rule of :mod:`calculators.exact`: the value is taken as the decimal it was written
as, multiplied and shifted in rationals, and rounded once, so ``convert(96.8, "°F", "degC")`` is
36.0, not 35.99999999999881. Conversions pint cannot do alone use analyte facts:

- mass ↔ amount of substance through the analyte's molar mass (g/mol);
- milliequivalents ↔ millimoles through the analyte's valence (mEq = mmol × |charge|);
- international units of insulin ↔ moles (1 µIU = 6 pmol, the WHO 66/304 conversion);
- a bare volume written for a count (MedCalc-Bench writes ``[181000, 'µL']`` for 181,000 per µL) is
  read as "per that volume" when the target is a count per volume.

An unknown spelling, or a unit that cannot reach the target, raises :class:`UnitError` naming the
field and the unit: nothing is guessed (MedCalc-Bench's reference code reads any unknown temperature
unit as Fahrenheit; this module refuses it).
"""

from __future__ import annotations

import functools
import math
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from calculators.errors import UnitError
from calculators.exact import nearest, written

if TYPE_CHECKING:
    import pint


@dataclass(frozen=True, slots=True)
class Analyte:
    """Chemical facts used to convert between mass, amount and charge concentrations."""

    name: str
    molar_mass: float | None = None
    """g/mol."""
    valence: int | None = None
    """|charge| per ion, for mEq ↔ mmol."""
    mol_per_iu: float | None = None
    """moles per international unit (insulin)."""


ANALYTES: dict[str, Analyte] = {
    a.name: a
    for a in (
        # Molar masses from standard atomic weights (IUPAC 2021) and the usual clinical species.
        Analyte("creatinine", molar_mass=113.12),  # C4H7N3O: 88.4 µmol/L per mg/dL
        Analyte("glucose", molar_mass=180.156),  # C6H12O6: 18.016 mg/dL per mmol/L
        # BUN is reported as the N2 of urea: 2.8 mg/dL per mmol/L.
        Analyte("urea_nitrogen", molar_mass=28.014),
        Analyte("cholesterol", molar_mass=386.654),  # C27H46O: 38.67 mg/dL per mmol/L
        # Triglyceride as triolein (C57H104O6), the convention behind 88.57 mg/dL per mmol/L.
        Analyte("triglycerides", molar_mass=885.432),
        Analyte("calcium", molar_mass=40.078, valence=2),
        Analyte("magnesium", molar_mass=24.305, valence=2),
        Analyte("sodium", molar_mass=22.990, valence=1),
        Analyte("potassium", molar_mass=39.098, valence=1),
        Analyte("chloride", molar_mass=35.453, valence=1),
        Analyte("bicarbonate", molar_mass=61.017, valence=1),
        Analyte("bilirubin", molar_mass=584.662),  # C33H36N4O6: 17.1 µmol/L per mg/dL
        Analyte("albumin", molar_mass=66_470.0),
        Analyte("hemoglobin", molar_mass=64_458.0),  # tetramer
        # 1 IU ≈ 6 nmol, so 1 µIU/mL = 6 pmol/L.
        Analyte("insulin", molar_mass=5_808.0, mol_per_iu=6e-9),
    )
}

# Spellings seen in MedCalc-Bench entities (all versions) → pint expressions. Keys compare after
# ``_normalize`` (NFKC, casefold, single spaces), so "mm Hg", "mm hg" and "MM HG" are one key.
_SPELLINGS: dict[str, str] = {
    "mm hg": "mmHg",
    "mmhg": "mmHg",
    "mm of hg": "mmHg",
    "cm h2o": "cmH2O",
    "cmh2o": "cmH2O",
    "degrees celsius": "degC",
    "degrees celsisus": "degC",
    "degree celsius": "degC",
    "celsius": "degC",
    "°c": "degC",
    "degc": "degC",
    "degrees fahrenheit": "degF",
    "degrees fahreinheit": "degF",
    "degree fahrenheit": "degF",
    "fahrenheit": "degF",
    "°f": "degF",
    "degf": "degF",
    "beats per minute": "1/min",
    "bpm": "1/min",
    "breaths per minute": "1/min",
    "/min": "1/min",
    "per minute": "1/min",
    "per day": "1/day",
    "/day": "1/day",
    "msec": "ms",
    "ms": "ms",
    "s": "s",
    "sec": "s",
    "%": "percent",
    "percent": "percent",
    "lbs": "lb",
    "lb": "lb",
    "pounds": "lb",
    "kg": "kg",
    "g": "g",
    "mg": "mg",
    "µg": "µg",
    "mcg": "µg",
    "in": "inch",
    "inch": "inch",
    "inches": "inch",
    "ft": "foot",
    "feet": "foot",
    "cm": "cm",
    "mm": "mm",
    "m": "m",
    "years": "year",
    "year": "year",
    "yrs": "year",
    "months": "month",
    "month": "month",
    "weeks": "week",
    "week": "week",
    "days": "day",
    "day": "day",
    "kg/m^2": "kg/m^2",
    "kg/m2": "kg/m^2",
    "mg/dl": "mg/dL",
    "g/dl": "g/dL",
    "g/l": "g/L",
    "mg/l": "mg/L",
    "µmol/l": "µmol/L",
    "umol/l": "µmol/L",
    "mmol/l": "mmol/L",
    "pmol/l": "pmol/L",
    "meq/l": "mEq/L",
    "µiu/ml": "µIU/mL",
    "uiu/ml": "µIU/mL",
    "miu/l": "mIU/L",
    "u/l": "U/L",
    "iu/l": "U/L",
    "mcg/kg/min": "µg/kg/min",
    "mc/kg/min": "µg/kg/min",
    "µg/kg/min": "µg/kg/min",
    "ml/day": "mL/day",
    "ml/hr": "mL/h",
    "ml/h": "mL/h",
    "ml/min": "mL/min",
    "µl": "µL",
    "ul": "µL",
    "mm^3": "mm^3",
    "mm3": "mm^3",
    "m^3": "m^3",
    "l": "L",
    "ml": "mL",
    "dl": "dL",
    "1/min": "1/min",
    "1/day": "1/day",
    "1/nl": "1/nL",
    "1/µl": "1/µL",
    "µg/h": "µg/h",
    "mcg/hr": "µg/h",
    "mcg/h": "µg/h",
    "µg/hr": "µg/h",
    "/µl": "1/µL",
    "/mm^3": "1/mm^3",
    "/l": "1/L",
    "10^9/l": "1/nL",
    "x10^9/l": "1/nL",
    "×10^9/l": "1/nL",
    "10^3/µl": "1/nL",
    "count/µl": "1/µL",
    "count/l": "1/L",
}


def _normalize(unit: str) -> str:
    """Canonical spelling key: NFKC (µ, ², ³ folded), casefolded, one space between words."""
    text = unicodedata.normalize("NFKC", unit).replace("μ", "µ")
    text = text.replace("²", "^2").replace("³", "^3")
    return " ".join(text.casefold().split()).replace("μ", "µ")


@functools.lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry[Any]:
    """The single pint registry (exact: magnitudes are fractions), with the clinical units pint
    lacks, built on first use."""
    import pint

    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry(non_int_type=Fraction)
    ureg.define("equivalent_charge = [charge_equivalent] = Eq")
    ureg.define("international_unit = [biological_activity] = IU")
    return ureg


def pint_expression(unit: str, *, field: str = "value") -> str:
    """The pint expression for a spelling seen in clinical data; :class:`UnitError` if unknown."""
    key = _normalize(unit)
    try:
        return _SPELLINGS[key]
    except KeyError:
        raise UnitError(field, unit, "unknown unit spelling") from None


def is_known_unit(unit: str) -> bool:
    """Whether ``unit`` is an accepted spelling."""
    return _normalize(unit) in _SPELLINGS


def _analyte_bridges(analyte: Analyte | None) -> list[Any]:
    """Quantities that carry a source quantity into other dimensions by ``analyte``'s facts."""
    ureg = registry()
    bridges: list[Any] = []
    if analyte is None:
        return bridges
    molar_mass = None if analyte.molar_mass is None else written(analyte.molar_mass)
    per_iu = None if analyte.mol_per_iu is None else written(analyte.mol_per_iu)
    if molar_mass is not None:
        bridges.append(ureg.Quantity(molar_mass, "g/mol"))
    if analyte.valence is not None:
        bridges.append(ureg.Quantity(Fraction(1000 * abs(analyte.valence)), "mEq/mol"))
    if molar_mass is not None and analyte.valence is not None:
        bridges.append(
            ureg.Quantity(molar_mass, "g/mol")
            / ureg.Quantity(Fraction(1000 * abs(analyte.valence)), "mEq/mol")
        )
    if per_iu is not None:
        bridges.append(ureg.Quantity(per_iu, "mol/IU"))
        if molar_mass is not None:
            bridges.append(ureg.Quantity(per_iu * molar_mass, "g/IU"))
    return bridges


@functools.lru_cache(maxsize=4096)
def exact_conversion(
    unit: str, target: str, analyte: str | None = None, field: str = "value"
) -> tuple[Fraction, Fraction]:
    """Exact affine pair ``(scale, offset)`` with ``value_in_target = value * scale + offset``.

    ``unit`` is a data spelling (see ``_SPELLINGS``); ``target`` is a pint expression. Resolved with
    pint once per argument tuple, in fractions, and cached.

    >>> exact_conversion("°F", "degC")
    (Fraction(5, 9), Fraction(-160, 9))
    """
    import pint

    ureg = registry()
    source_expr = pint_expression(unit, field=field)
    facts = None
    if analyte is not None:
        facts = ANALYTES.get(analyte)
        if facts is None:
            raise UnitError(field, unit, f"no chemical facts for analyte {analyte!r}")
    try:
        source = ureg.parse_units(source_expr)
        goal = ureg.parse_units(target)
    except pint.errors.PintError as error:  # pragma: no cover - spellings are vetted by tests
        raise UnitError(field, unit, f"pint cannot parse it: {error}") from None

    if source.dimensionality == goal.dimensionality:
        zero = Fraction(ureg.Quantity(Fraction(0), source).to(goal).magnitude)
        one = Fraction(ureg.Quantity(Fraction(1), source).to(goal).magnitude)
        return one - zero, zero

    one_source = ureg.Quantity(Fraction(1), source)
    # A bare volume stands for "count per that volume" when a count concentration is wanted.
    if source.dimensionality == ureg.parse_units("L").dimensionality and (
        goal.dimensionality == (1 / ureg.parse_units("L")).dimensionality
    ):
        one_source = 1 / ureg.Quantity(Fraction(1), source)
    candidates = [one_source]
    try:
        for bridge in _analyte_bridges(facts):
            candidates.extend((one_source * bridge, one_source / bridge))
    except pint.errors.OffsetUnitCalculusError:
        raise UnitError(field, unit, f"cannot be converted to {target}") from None
    for candidate in candidates:
        if candidate.dimensionality == goal.dimensionality:
            return Fraction(candidate.to(goal).magnitude), Fraction(0)
    what = f" for {analyte}" if analyte else ""
    raise UnitError(field, unit, f"cannot be converted to {target}{what}")


def conversion(
    unit: str, target: str, analyte: str | None = None, field: str = "value"
) -> tuple[float, float]:
    """The affine pair of :func:`exact_conversion`, as floats (for display and strategies)."""
    scale, offset = exact_conversion(unit, target, analyte, field)
    return nearest(scale), nearest(offset)


def convert_exact(
    value: float | Fraction,
    unit: str,
    target: str,
    *,
    analyte: str | None = None,
    field: str = "value",
) -> Fraction:
    """``value`` written in ``unit``, exactly in ``target`` (see :mod:`calculators.exact`).

    >>> convert_exact(96.8, "°F", "degC")
    Fraction(36, 1)
    """
    if isinstance(value, float) and not math.isfinite(value):
        raise UnitError(field, unit, f"cannot convert the non-finite number {value!r}")
    scale, offset = exact_conversion(unit, target, analyte, field)
    return written(value) * scale + offset


def convert(
    value: float,
    unit: str,
    target: str,
    *,
    analyte: str | None = None,
    field: str = "value",
) -> float:
    """``value`` written in ``unit`` (a data spelling), expressed in ``target`` (pint).

    Exact up to one final rounding (:mod:`calculators.exact`):

    >>> convert(96.8, "degrees fahrenheit", "degC")
    36.0
    >>> convert(1.0, "mg/dL", "µmol/L", analyte="creatinine")
    88.4016973125884
    """
    result = nearest(convert_exact(value, unit, target, analyte=analyte, field=field))
    if not math.isfinite(result):
        raise UnitError(field, unit, f"converting {value!r} gives a non-finite number")
    return result


def accepted_units(target: str, analyte: str | None = None) -> tuple[str, ...]:
    """Every known spelling that converts to ``target`` (for docs and hypothesis strategies)."""
    found: list[str] = []
    for spelling in _SPELLINGS:
        try:
            conversion(spelling, target, analyte, "unit")
        except UnitError:
            continue
        found.append(spelling)
    return tuple(found)
