"""Body surface area (MedCalc-Bench ID 60).

Mosteller (default): BSA [m²] = √(height [cm] × weight [kg] / 3600).
Du Bois (alternative): BSA = 0.007184 × weight^0.425 × height^0.725.
"""

from __future__ import annotations

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Convention, Option, Selection
from calculators.equations.common import Height, Weight
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs
from calculators.registry import register


class Inputs(CalculatorInputs):
    """Weight and height."""

    weight: Weight
    height: Height


MOSTELLER = Formula(
    "BSA", ("height", "weight"), lambda s, sp: (s.height * s.weight / 3600) ** (1 / 2), unit="m²"
)
DU_BOIS = Formula(
    "BSA",
    ("weight", "height"),
    lambda s, sp: 0.007184 * s.weight**0.425 * s.height**0.725,
    unit="m²",
)

INFO = CalculatorInfo(
    id=60,
    slug="body_surface_area",
    name="Body Surface Area Calculator",
    category=Category.PHYSICAL,
    output_kind=OutputKind.DECIMAL,
    unit="m²",
    citation=(
        "Mosteller RD. Simplified calculation of body-surface area. N Engl J Med. "
        "1987;317(17):1098. doi:10.1056/NEJM198710223171717. Du Bois D, Du Bois EF. A formula to "
        "estimate the approximate surface area if height and weight be known. Arch Intern Med. "
        "1916;17:863-871."
    ),
    conventions=(
        Convention(
            "formula",
            "which body-surface-area equation",
            (
                Option("mosteller", "√(cm × kg / 3600)", "Mosteller 1987"),
                Option("du_bois", "0.007184 × kg^0.425 × cm^0.725", "Du Bois and Du Bois 1916"),
            ),
            "Mosteller (1987), the calculator's citation (the equation MedCalc-Bench and MDCalc "
            "use)",
        ),
    ),
)


class BodySurfaceArea(BaseCalculator[Inputs]):
    """Body surface area."""

    def __init__(self) -> None:
        super().__init__(
            INFO,
            Inputs,
            formulas=(MOSTELLER, DU_BOIS),
        )

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        formula = MOSTELLER if conventions["formula"] == "mosteller" else DU_BOIS
        return explanation.apply(formula, weight=inputs.weight, height=inputs.height)


register(BodySurfaceArea())
