"""Framingham risk score for hard coronary heart disease, ATP III form (MedCalc-Bench ID 46).

10-year risk of myocardial infarction or coronary death, in percent:
risk = (1 − S₀^exp(L)) × 100 where L is the sex-specific linear predictor
men:   52.00961 ln A + 20.014077 ln TC − 0.905964 ln HDL + 1.305784 ln SBP + 0.241549 BPmed
       + 12.096316 smoker − 4.605038 ln A ln TC − 2.84367 ln(min(A, 70)) smoker − 2.93323 (ln A)²
       − 172.300168, S₀ = 0.9402;
women: 31.764001 ln A + 22.465206 ln TC − 1.187731 ln HDL + 2.552905 ln SBP + 0.420251 BPmed
       + 13.07543 smoker − 5.060998 ln A ln TC − 2.996945 ln(min(A, 78)) smoker − 146.5933061,
       S₀ = 0.98767;
A age in years, TC and HDL in mg/dL, SBP in mm Hg. Smoking and treatment not mentioned count as
absent (MedCalc-Bench's convention). MedCalc-Bench v1.0 returned a fraction rounded to 1 dp
(mostly 0, 0.1 or 1); this module returns the percentage, as the question asks.
"""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Selection
from calculators.equations.common import SYSTOLIC
from calculators.equations.ldl_calculated import HDL_CHOLESTEROL, TOTAL_CHOLESTEROL
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs, boolean, quantity, sex
from calculators.registry import register


class Inputs(CalculatorInputs):
    """Sex, age, cholesterol, systolic pressure, treatment and smoking."""

    sex: Annotated[str, sex()]
    age: Annotated[
        float, quantity("year", 20, 79, keys=("age",), label="Age", display_unit="years")
    ]
    total_cholesterol: Annotated[float, TOTAL_CHOLESTEROL]
    hdl: Annotated[float, HDL_CHOLESTEROL]
    systolic: Annotated[float, SYSTOLIC]
    smoker: Annotated[bool, boolean(keys=("Smoker",), label="Current smoker")] = False
    bp_treated: Annotated[
        bool,
        boolean(
            keys=("Blood pressure being treated with medicines",),
            label="Blood pressure treated with medicines",
        ),
    ] = False


_VARIABLES = ("age", "smoking_age", "total_cholesterol", "hdl", "systolic", "bp_treated", "smoker")

MALE_PREDICTOR = Formula(
    "L",
    _VARIABLES,
    lambda s, sp: (
        52.00961 * sp.log(s.age)
        + 20.014077 * sp.log(s.total_cholesterol)
        - 0.905964 * sp.log(s.hdl)
        + 1.305784 * sp.log(s.systolic)
        + 0.241549 * s.bp_treated
        + 12.096316 * s.smoker
        - 4.605038 * sp.log(s.age) * sp.log(s.total_cholesterol)
        - 2.84367 * sp.log(s.smoking_age) * s.smoker
        - 2.93323 * sp.log(s.age) * sp.log(s.age)
        - 172.300168
    ),
    signed=("bp_treated", "smoker"),
)
FEMALE_PREDICTOR = Formula(
    "L",
    _VARIABLES,
    lambda s, sp: (
        31.764001 * sp.log(s.age)
        + 22.465206 * sp.log(s.total_cholesterol)
        - 1.187731 * sp.log(s.hdl)
        + 2.552905 * sp.log(s.systolic)
        + 0.420251 * s.bp_treated
        + 13.07543 * s.smoker
        - 5.060998 * sp.log(s.age) * sp.log(s.total_cholesterol)
        - 2.996945 * sp.log(s.smoking_age) * s.smoker
        - 146.5933061
    ),
    signed=("bp_treated", "smoker"),
)
RISK = Formula(
    "10-year risk",
    ("baseline", "predictor"),
    lambda s, sp: (1 - s.baseline ** sp.exp(s.predictor)) * 100,
    unit="%",
    signed=("predictor",),
)

# (linear predictor, baseline survival S₀, age cap of the smoking term) by sex.
MODELS = {"Male": (MALE_PREDICTOR, 0.9402, 70.0), "Female": (FEMALE_PREDICTOR, 0.98767, 78.0)}

INFO = CalculatorInfo(
    id=46,
    slug="framingham_hard_chd",
    name="Framingham Risk Score for Hard Coronary Heart Disease",
    category=Category.RISK,
    output_kind=OutputKind.DECIMAL,
    unit="%",
    citation=(
        "Expert Panel on Detection, Evaluation, and Treatment of High Blood Cholesterol in Adults. "
        "Executive Summary of the Third Report of the National Cholesterol Education Program "
        "(NCEP) (Adult Treatment Panel III). JAMA. 2001;285(19):2486-2497; full report "
        "Circulation. 2002;106(25):3143-3421 (Framingham hard-CHD model)."
    ),
)


class FraminghamHardChd(BaseCalculator[Inputs]):
    """Framingham 10-year hard CHD risk."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(RISK, MALE_PREDICTOR, FEMALE_PREDICTOR))

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        predictor, baseline, cap = MODELS[inputs.sex]
        explanation.step(
            f"current smoker: {'yes' if inputs.smoker else 'no'}; blood pressure treated with "
            f"medicines: {'yes' if inputs.bp_treated else 'no'} (not mentioned counts as no)"
        )
        smoking_age = explanation.value(
            "age in the smoking term", min(inputs.age, cap), "years", f"capped at {cap:g}"
        )
        linear = explanation.apply(
            predictor,
            age=inputs.age,
            smoking_age=smoking_age,
            total_cholesterol=inputs.total_cholesterol,
            hdl=inputs.hdl,
            systolic=inputs.systolic,
            bp_treated=float(inputs.bp_treated),
            smoker=float(inputs.smoker),
        )
        return explanation.apply(RISK, baseline=baseline, predictor=linear)


register(FraminghamHardChd())
