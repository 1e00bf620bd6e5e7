"""SIRS criteria: number met (MedCalc-Bench ID 51).

Adults (Bone et al. 1992): temperature > 38 or < 36 °C; heart rate > 90/min; respiratory rate
> 20/min or PaCO2 < 32 mm Hg; WBC > 12,000 or < 4,000 /µL (the band-form criterion is not in the
benchmark's inputs).

Children (convention ``children``, default ``pediatric``: the International Pediatric Sepsis
Consensus Conference, Goldstein et al. 2005, Table 3) use core temperature > 38.5 or < 36 °C and
age-specific limits, exceeded strictly:

============================  ==========  ==========  ==========  ==================
age group                     tachycardia bradycardia resp. rate  WBC (×10³/µL)
============================  ==========  ==========  ==========  ==================
0 days to < 1 week            > 180       < 100       > 50        > 34
1 week to < 1 month           > 180       < 100       > 40        > 19.5 or < 5
1 month to 1 year             > 180       < 90        > 34        > 17.5 or < 5
> 1 to 5 years                > 140                   > 22        > 15.5 or < 6
> 5 to 12 years               > 130                   > 18        > 13.5 or < 4.5
> 12 to < 18 years            > 110                   > 14        > 11 or < 4.5
============================  ==========  ==========  ==========  ==================

The paediatric respiratory criterion has no PaCO2 limit (it counts mechanical ventilation for an
acute process instead, which the benchmark's inputs do not carry). Without a documented age the
adult criteria apply, and the explanation says so; ``adult`` applies them at every age.
"""

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from calculators.base import CalculatorInfo, Category, InputKind, OutputKind
from calculators.conventions import Convention, Option
from calculators.criteria import (
    Input,
    Points,
    ScoreTable,
    Values,
    derived,
    quantity,
)
from calculators.exact import nearest
from calculators.registry import register
from calculators.scores._vitals import heart_rate, respiratory_rate, temperature

CITATION = (
    "Bone RC, Balk RA, Cerra FB, et al. Definitions for sepsis and organ failure and guidelines "
    "for the use of innovative therapies in sepsis. The ACCP/SCCM Consensus Conference Committee. "
    "Chest. 1992;101(6):1644-1655. doi:10.1378/chest.101.6.1644. Children: Goldstein B, Giroir B, "
    "Randolph A; International Consensus Conference on Pediatric Sepsis. International pediatric "
    "sepsis consensus conference: definitions for sepsis and organ dysfunction in pediatrics. "
    "Pediatr Crit Care Med. 2005;6(1):2-8. doi:10.1097/01.PCC.0000149131.72248.E6"
)


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits of one age group (heart rates per minute, WBC per µL, temperatures in °C)."""

    group: str
    fever: float
    hypothermia: float
    tachycardia: float
    bradycardia: float | None
    tachypnoea: float
    paco2: float | None
    leukocytosis: float
    leukopenia: float | None


ADULT = Limits("adult", 38, 36, 90, None, 20, 32, 12_000, 4_000)
_DAY = Fraction(4, 1461)  # years per day (365.25 days a year)
# upper age (years), upper age included, group, tachycardia, bradycardia, tachypnoea, WBC limits
_TABLE_3: tuple[tuple[Fraction, bool, str, int, int | None, int, int, int | None], ...] = (
    (7 * _DAY, False, "newborn, 0 days to 1 week", 180, 100, 50, 34_000, None),
    (Fraction(1, 12), False, "neonate, 1 week to 1 month", 180, 100, 40, 19_500, 5_000),
    (Fraction(1), True, "infant, 1 month to 1 year", 180, 90, 34, 17_500, 5_000),
    (Fraction(5), True, "toddler and preschool, over 1 to 5 years", 140, None, 22, 15_500, 6_000),
    (Fraction(12), True, "school age, over 5 to 12 years", 130, None, 18, 13_500, 4_500),
    (Fraction(18), False, "adolescent, over 12 to under 18 years", 110, None, 14, 11_000, 4_500),
)
PEDIATRIC: tuple[tuple[Fraction, bool, Limits], ...] = tuple(
    (upper, included, Limits(group, 38.5, 36, fast, slow, breaths, None, high, low))
    for upper, included, group, fast, slow, breaths, high, low in _TABLE_3
)
"""(upper age limit in years, whether the limit itself belongs to the group, limits)."""


def limits_for(age: float | None, children: str) -> Limits:
    """The limits for a patient of ``age`` years (adult when unknown) under convention
    ``children``."""
    if age is None or children == "adult":
        return ADULT
    for upper, inclusive, limits in PEDIATRIC:
        bound = nearest(upper)
        if age < bound or (inclusive and age == bound):
            return limits
    return ADULT


def _limits(values: Values) -> tuple[Limits, str]:
    age = values.get("age")
    limits = limits_for(age if isinstance(age, float) else None, values.conventions["children"])
    if age is None:
        return limits, "age not documented, adult criteria"
    return limits, f"{limits.group} criteria"


def _fmt(x: float) -> str:
    return f"{x:g}"


def _outside(
    value: object,
    high: float,
    low: float | None,
    written: Callable[[float], str],
    unit: str,
    which: str,
    *,
    rule_unit: str = "",
) -> tuple[Points, str]:
    """One criterion met when ``value`` is above ``high`` or (if given) below ``low``, with its
    explanation; an undocumented value does not meet it."""
    if not isinstance(value, float):
        return 0, "not documented, criterion not met"
    rule = f"> {written(high)}" + (f" or < {written(low)}" if low is not None else "") + rule_unit
    met = value > high or (low is not None and value < low)
    return int(
        met
    ), f"{written(value)}{unit} {'meets' if met else 'does not meet'} {rule} ({which})"


def _temperature(values: Values) -> tuple[Points, str]:
    limits, which = _limits(values)
    return _outside(
        values.get("temperature"),
        limits.fever,
        limits.hypothermia,
        _fmt,
        " °C",
        which,
        rule_unit=" °C",
    )


def _heart_rate(values: Values) -> tuple[Points, str]:
    limits, which = _limits(values)
    return _outside(
        values.get("heart_rate"), limits.tachycardia, limits.bradycardia, _fmt, "/min", which
    )


def _respiratory(values: Values) -> tuple[Points, str]:
    limits, which = _limits(values)
    rate, paco2 = values.get("respiratory_rate"), values.get("paco2")
    fast = isinstance(rate, float) and rate > limits.tachypnoea
    rule = f"rate > {_fmt(limits.tachypnoea)}"
    low_co2 = False
    if limits.paco2 is not None:
        rule += f" or PaCO2 < {_fmt(limits.paco2)} mm Hg"
        low_co2 = isinstance(paco2, float) and paco2 < limits.paco2
    shown = f"respiratory rate {_fmt(rate) if isinstance(rate, float) else 'n/a'}/min, PaCO2 " + (
        f"{_fmt(paco2)} mm Hg" if isinstance(paco2, float) else "n/a"
    )
    met = fast or low_co2
    return int(met), f"{shown}: {'meets' if met else 'does not meet'} {rule} ({which})"


def _wbc(values: Values) -> tuple[Points, str]:
    limits, which = _limits(values)
    return _outside(
        values.get("wbc"),
        limits.leukocytosis,
        limits.leukopenia,
        lambda count: f"{count:,.0f}",
        " /µL",
        which,
    )


def _age() -> Input:
    return Input(
        "age",
        "Age",
        ("age",),
        InputKind.AGE,
        unit="years",
        bounds=(0.0, 130.0),
        default=None,
        default_note="not documented, adult criteria apply",
    )


TABLE = ScoreTable(
    info=CalculatorInfo(
        id=51,
        slug="sirs",
        name="SIRS Criteria",
        category=Category.DIAGNOSIS,
        output_kind=OutputKind.INTEGER,
        unit="criteria",
        citation=CITATION,
        conventions=(
            Convention(
                "children",
                "which criteria apply to patients under 18 years",
                (
                    Option(
                        "pediatric",
                        "age-specific limits and temperature > 38.5 or < 36 °C",
                        "Goldstein et al. 2005, Table 3",
                    ),
                    Option("adult", "the adult limits at every age", "Bone et al. 1992"),
                ),
                "Goldstein et al. (2005), the consensus definition for children (Bone et al. "
                "1992 defined the criteria for adults)",
            ),
        ),
    ),
    inputs=(
        _age(),
        temperature(default=None, default_note="not documented, criterion not met"),
        heart_rate(default=None, default_note="not documented, criterion not met"),
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
            default_note="not documented, criterion not met",
        ),
    ),
    criteria=(
        derived("Temperature", ("age", "temperature"), _temperature),
        derived("Heart rate", ("age", "heart_rate"), _heart_rate),
        derived("Respiratory rate or PaCO2", ("age", "respiratory_rate", "paco2"), _respiratory),
        derived("White blood cell count", ("age", "wbc"), _wbc),
    ),
    score_range=(0, 4),
    missing_convention="a criterion whose finding is not documented is not met; without a "
    "documented age the adult criteria apply.",
)

register(TABLE)
