"""Equivalent dose between systemic corticosteroids (MedCalc-Bench ID 24).

target dose = input dose × (equivalent dose of target / equivalent dose of input), with the usual
anti-inflammatory (glucocorticoid) equivalences in mg: betamethasone 0.75, cortisone 25,
dexamethasone 0.75, hydrocortisone 20, methylprednisolone 4, prednisolone 5, prednisone 5,
triamcinolone 4. IV and PO doses of a drug are treated as equivalent (as in MedCalc-Bench).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Annotated, Any

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs, choice, quantity
from calculators.registry import register

EQUIVALENT_MG = {
    "Betamethasone IV": 0.75,
    "Cortisone PO": 25.0,
    "Dexamethasone IV": 0.75,
    "Dexamethasone PO": 0.75,
    "Hydrocortisone IV": 20.0,
    "Hydrocortisone PO": 20.0,
    "MethylPrednisoLONE IV": 4.0,
    "MethylPrednisoLONE PO": 4.0,
    "PrednisoLONE PO": 5.0,
    "PredniSONE PO": 5.0,
    "Triamcinolone IV": 4.0,
}
STEROIDS = tuple(EQUIVALENT_MG)
PACKED_KEY = "input steroid"
"""MedCalc-Bench's key for ``[steroid name, dose, unit]``."""


class Inputs(CalculatorInputs):
    """The steroid given, its dose, and the steroid to convert to."""

    input_steroid: Annotated[
        str,
        replace(choice(STEROIDS, keys=("input steroid name",), label="From"), packed_in=PACKED_KEY),
    ]
    dose: Annotated[
        float,
        replace(
            quantity("mg", 0.01, 20000, keys=("input steroid dose",), label="Dose"),
            packed_in=PACKED_KEY,
        ),
    ]
    target_steroid: Annotated[str, choice(STEROIDS, keys=("target steroid",), label="To")]


TARGET_DOSE = Formula(
    "target dose",
    ("dose", "target_equivalent", "input_equivalent"),
    lambda s, sp: s.dose * s.target_equivalent / s.input_equivalent,
    unit="mg",
)

INFO = CalculatorInfo(
    id=24,
    slug="steroid_conversion",
    name="Steroid Conversion Calculator",
    category=Category.DOSAGE,
    output_kind=OutputKind.DECIMAL,
    unit="mg",
    citation=(
        "Liu D, Ahmet A, Ward L, et al. A practical guide to the monitoring and management of the "
        "complications of systemic corticosteroid therapy. Allergy Asthma Clin Immunol. "
        "2013;9(1):30 (Table 1, equivalent doses). doi:10.1186/1710-1492-9-30."
    ),
)


class SteroidConversion(BaseCalculator[Inputs]):
    """Corticosteroid dose conversion."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(TARGET_DOSE,))

    def prepare_entities(self, entities: Mapping[str, Any]) -> Mapping[str, Any]:
        """Split MedCalc-Bench's ``'input steroid': [name, dose, unit]`` into two inputs."""
        reshaped = dict(entities)
        packed = reshaped.pop(PACKED_KEY, None)
        if isinstance(packed, list | tuple) and len(packed) == 3:
            reshaped["input steroid name"] = packed[0]
            reshaped["input steroid dose"] = [packed[1], packed[2]]
        elif packed is not None:
            reshaped["input steroid name"] = packed
        return reshaped

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        source = EQUIVALENT_MG[inputs.input_steroid]
        target = EQUIVALENT_MG[inputs.target_steroid]
        explanation.step(
            f"equivalent doses: {inputs.input_steroid} {source:g} mg ≡ "
            f"{inputs.target_steroid} {target:g} mg"
        )
        return explanation.apply(
            TARGET_DOSE, dose=inputs.dose, target_equivalent=target, input_equivalent=source
        )


register(SteroidConversion())
