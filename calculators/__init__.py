"""Clinical calculators: the 55 MedCalc-Bench calculators, unit-aware and self-explaining.

This package imports nothing else of the project and can be used on its own::

    import calculators
    calc = calculators.get("cockcroft_gault")      # or calculators.get(2)
    result = calculators.compute_from_entities(2, {"age": [87, "years"], ...})
    print(result.value, result.unit)
    print(result.explanation)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calculators.base import (
    Calculator,
    CalculatorInfo,
    CalculatorResult,
    Category,
    OutputKind,
    ResultValue,
)
from calculators.conventions import Convention, Option
from calculators.errors import (
    CalculatorError,
    InputValueError,
    MissingInputError,
    UnitError,
    UnknownCalculatorError,
)
from calculators.framework import BaseCalculator, Explanation
from calculators.registry import all_calculators, get, ids, register
from calculators.units import convert


def compute_from_entities(
    calculator_id: int | str,
    entities: Mapping[str, Any],
    *,
    conventions: Mapping[str, str] | None = None,
) -> CalculatorResult:
    """Compute calculator ``calculator_id`` from a MedCalc-Bench "Relevant Entities" dict.

    ``conventions`` maps convention names to options (:mod:`calculators.conventions`); a
    convention not named takes its default.
    """
    return get(calculator_id).compute_from_entities(entities, conventions=conventions)


__all__ = [
    "BaseCalculator",
    "Calculator",
    "CalculatorError",
    "CalculatorInfo",
    "CalculatorResult",
    "Category",
    "Convention",
    "Explanation",
    "InputValueError",
    "MissingInputError",
    "Option",
    "OutputKind",
    "ResultValue",
    "UnitError",
    "UnknownCalculatorError",
    "all_calculators",
    "compute_from_entities",
    "convert",
    "get",
    "ids",
    "register",
]
