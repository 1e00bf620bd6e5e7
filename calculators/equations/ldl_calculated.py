"""LDL cholesterol calculated by the Friedewald equation (MedCalc-Bench ID 44).

LDL [mg/dL] = total cholesterol − HDL − triglycerides / 5 (triglycerides/5 estimates VLDL
cholesterol; the authors advise against it for triglycerides > 400 mg/dL). Alternative convention
``sampson`` (NIH equation 2, 2020):
LDL = TC/0.948 − HDL/0.971 − (TG/8.56 + TG × (TC − HDL)/2140 − TG²/16100) − 9.44.
Conversions from mmol/L use cholesterol 386.654 g/mol and triolein 885.432 g/mol, unrounded.

Convention ``measured_ldl``: by default the LDL is always calculated, and a directly measured LDL
in the data is reported but not used; ``measured_when_reported`` returns the measured value
instead when there is one (NCEP ATP III accepts a direct measurement in place of the estimate).
"""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Convention, Option, Selection
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation, format_value
from calculators.inputs import CalculatorInputs, quantity
from calculators.registry import register

TOTAL_CHOLESTEROL = quantity(
    "mg/dL", 50, 1000, keys=("Total cholesterol",), label="Total cholesterol", analyte="cholesterol"
)
HDL_CHOLESTEROL = quantity(
    "mg/dL",
    5,
    250,
    keys=("high-density lipoprotein cholesterol", "HDL cholesterol"),
    label="HDL cholesterol",
    analyte="cholesterol",
)


class Inputs(CalculatorInputs):
    """Total cholesterol, HDL cholesterol and triglycerides (and a measured LDL, if reported)."""

    total_cholesterol: Annotated[float, TOTAL_CHOLESTEROL]
    hdl: Annotated[float, HDL_CHOLESTEROL]
    triglycerides: Annotated[
        float,
        quantity(
            "mg/dL",
            10,
            5000,
            keys=("Triglycerides",),
            label="Triglycerides",
            analyte="triglycerides",
        ),
    ]
    measured_ldl: Annotated[
        float | None,
        quantity(
            "mg/dL",
            1,
            1000,
            keys=(
                "Measured LDL cholesterol",
                "LDL cholesterol",
                "low-density lipoprotein cholesterol",
            ),
            label="Measured LDL cholesterol",
            analyte="cholesterol",
        ),
    ] = None


FRIEDEWALD = Formula(
    "LDL",
    ("total_cholesterol", "hdl", "triglycerides"),
    lambda s, sp: s.total_cholesterol - s.hdl - s.triglycerides / 5,
    unit="mg/dL",
)
SAMPSON = Formula(
    "LDL",
    ("total_cholesterol", "hdl", "triglycerides"),
    lambda s, sp: (
        s.total_cholesterol / 0.948
        - s.hdl / 0.971
        - (
            s.triglycerides / 8.56
            + s.triglycerides * (s.total_cholesterol - s.hdl) / 2140
            - s.triglycerides**2 / 16100
        )
        - 9.44
    ),
    unit="mg/dL",
)

INFO = CalculatorInfo(
    id=44,
    slug="ldl_calculated",
    name="LDL Calculated",
    category=Category.LAB,
    output_kind=OutputKind.DECIMAL,
    unit="mg/dL",
    citation=(
        "Friedewald WT, Levy RI, Fredrickson DS. Estimation of the concentration of low-density "
        "lipoprotein cholesterol in plasma, without use of the preparative ultracentrifuge. "
        "Clin Chem. 1972;18(6):499-502. Sampson M, Ling C, Sun Q, et al. A new equation for "
        "calculation of low-density lipoprotein cholesterol in patients with normolipidemia "
        "and/or hypertriglyceridemia. JAMA Cardiol. 2020;5(5):540-548."
    ),
    conventions=(
        Convention(
            "equation",
            "which estimating equation",
            (
                Option("friedewald", "TC − HDL − TG/5", "Friedewald et al. 1972"),
                Option("sampson", "NIH equation 2", "Sampson et al. 2020"),
            ),
            "Friedewald et al. (1972), the calculator's citation",
        ),
        Convention(
            "measured_ldl",
            "what to report when the data also carry a directly measured LDL",
            (
                Option(
                    "computed",
                    "always the calculated LDL (the measured value is shown, not used)",
                    "Friedewald et al. 1972 (the calculator computes an estimate)",
                ),
                Option(
                    "measured_when_reported",
                    "the measured LDL when one is reported, else the calculated one",
                    "NCEP Expert Panel. Third Report (ATP III). Circulation. "
                    "2002;106(25):3143-3421 (direct measurement may replace the estimate)",
                ),
            ),
            "the calculator is defined as an estimate (Friedewald et al. 1972)",
        ),
    ),
)


class LdlCalculated(BaseCalculator[Inputs]):
    """Calculated LDL cholesterol."""

    def __init__(self) -> None:
        super().__init__(
            INFO,
            Inputs,
            formulas=(FRIEDEWALD, SAMPSON),
        )

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        measured = inputs.measured_ldl
        if measured is not None and conventions["measured_ldl"] == "measured_when_reported":
            return explanation.value(
                "LDL", measured, "mg/dL", "directly measured LDL reported, used instead"
            )
        if measured is not None:
            explanation.step(
                f"a measured LDL of {format_value(measured, 'mg/dL')} is reported; the "
                "calculated value is given (convention measured_ldl = computed)"
            )
        formula = FRIEDEWALD if conventions["equation"] == "friedewald" else SAMPSON
        return explanation.apply(
            formula,
            total_cholesterol=inputs.total_cholesterol,
            hdl=inputs.hdl,
            triglycerides=inputs.triglycerides,
        )


register(LdlCalculated())
