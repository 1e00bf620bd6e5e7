"""Fibrosis-4 index for liver fibrosis (MedCalc-Bench ID 19).

FIB-4 = age [years] × AST [U/L] / (platelets [10⁹/L] × √ALT [U/L]).
"""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.equations.common import AGE
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs, quantity
from calculators.registry import register


class Inputs(CalculatorInputs):
    """Age, transaminases and platelet count."""

    age: Annotated[float, AGE]
    ast: Annotated[
        float, quantity("U/L", 1, 20000, keys=("Aspartate aminotransferase", "AST"), label="AST")
    ]
    alt: Annotated[
        float, quantity("U/L", 1, 20000, keys=("Alanine aminotransferase", "ALT"), label="ALT")
    ]
    platelets: Annotated[
        float,
        quantity(
            "1/nL",
            1,
            3000,
            keys=("Platelet count", "platelets"),
            label="Platelet count",
            display_unit="×10⁹/L",
        ),
    ]


FIB4 = Formula(
    "FIB-4",
    ("age", "ast", "platelets", "alt"),
    lambda s, sp: s.age * s.ast / (s.platelets * s.alt ** (1 / 2)),
)

INFO = CalculatorInfo(
    id=19,
    slug="fib4",
    name="Fibrosis-4 (FIB-4) Index for Liver Fibrosis",
    category=Category.LAB,
    output_kind=OutputKind.DECIMAL,
    unit=None,
    citation=(
        "Sterling RK, Lissen E, Clumeck N, et al. Development of a simple noninvasive index to "
        "predict significant fibrosis in patients with HIV/HCV coinfection. Hepatology. "
        "2006;43(6):1317-1325. doi:10.1002/hep.21178."
    ),
)


class Fib4(BaseCalculator[Inputs]):
    """FIB-4 index."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(FIB4,))

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        return explanation.apply(
            FIB4, age=inputs.age, ast=inputs.ast, platelets=inputs.platelets, alt=inputs.alt
        )


register(Fib4())
