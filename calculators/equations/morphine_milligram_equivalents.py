"""Daily morphine milligram equivalents (MedCalc-Bench ID 49).

MME/day = Σ dose × doses per day × conversion factor, with the CDC 2022 factors: codeine 0.15,
fentanyl buccal/sublingual 0.13 per µg, fentanyl transdermal 2.4 per µg/h, hydrocodone 1,
hydromorphone 5, methadone 4.7, morphine 1, oxycodone 1.5, oxymorphone 3, tapentadol 0.4,
tramadol 0.2 (per mg). Buprenorphine has no CDC factor and is not accepted.

A fentanyl patch strength is a rate (µg/h). MedCalc-Bench writes it as ``[dose, 'mg']``; a mass
cannot be read as a rate, so such entities are refused (UnitError) rather than guessed.
"""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.formula import Formula
from calculators.framework import BaseCalculator, Explanation
from calculators.inputs import CalculatorInputs, InputSpec, input_specs, quantity
from calculators.registry import register


def _dose(drug: str, unit: str = "mg") -> InputSpec:
    return quantity(
        unit, 0, 100000, keys=(f"{drug} Dose",), label=f"{drug} dose", display_unit=unit
    )


def _frequency(drug: str) -> InputSpec:
    return quantity(
        "1/day",
        0,
        48,
        keys=(f"{drug} Dose Per Day",),
        label=f"{drug} doses per day",
        display_unit="per day",
        bare_unit="per day",
    )


class Inputs(CalculatorInputs):
    """Dose and daily frequency of each opioid taken (absent opioids are not taken)."""

    codeine: Annotated[float, _dose("Codeine")] = 0
    codeine_per_day: Annotated[float, _frequency("Codeine")] = 0
    fentanyl_buccal: Annotated[float, _dose("FentaNYL buccal", "µg")] = 0
    fentanyl_buccal_per_day: Annotated[float, _frequency("FentaNYL buccal")] = 0
    fentanyl_patch: Annotated[
        float,
        quantity(
            "µg/h",
            0,
            1000,
            keys=("FentANYL patch Dose", "FentaNYL patch Dose"),
            label="FentANYL patch strength",
            display_unit="µg/h",
        ),
    ] = 0
    fentanyl_patch_per_day: Annotated[float, _frequency("FentANYL patch")] = 0
    hydrocodone: Annotated[float, _dose("HYDROcodone")] = 0
    hydrocodone_per_day: Annotated[float, _frequency("HYDROcodone")] = 0
    hydromorphone: Annotated[float, _dose("HYDROmorphone")] = 0
    hydromorphone_per_day: Annotated[float, _frequency("HYDROmorphone")] = 0
    methadone: Annotated[float, _dose("Methadone")] = 0
    methadone_per_day: Annotated[float, _frequency("Methadone")] = 0
    morphine: Annotated[float, _dose("Morphine")] = 0
    morphine_per_day: Annotated[float, _frequency("Morphine")] = 0
    oxycodone: Annotated[float, _dose("OxyCODONE")] = 0
    oxycodone_per_day: Annotated[float, _frequency("OxyCODONE")] = 0
    oxymorphone: Annotated[float, _dose("OxyMORphone")] = 0
    oxymorphone_per_day: Annotated[float, _frequency("OxyMORphone")] = 0
    tapentadol: Annotated[float, _dose("Tapentadol")] = 0
    tapentadol_per_day: Annotated[float, _frequency("Tapentadol")] = 0
    tramadol: Annotated[float, _dose("TraMADol")] = 0
    tramadol_per_day: Annotated[float, _frequency("TraMADol")] = 0


# Field → CDC 2022 conversion factor (MME per mg, per µg for buccal fentanyl, per µg/h for patches).
FACTORS = {
    "codeine": 0.15,
    "fentanyl_buccal": 0.13,
    "fentanyl_patch": 2.4,
    "hydrocodone": 1.0,
    "hydromorphone": 5.0,
    "methadone": 4.7,
    "morphine": 1.0,
    "oxycodone": 1.5,
    "oxymorphone": 3.0,
    "tapentadol": 0.4,
    "tramadol": 0.2,
}

DRUG_MME = Formula(
    "MME",
    ("dose", "per_day", "factor"),
    lambda s: s.dose * s.per_day * s.factor,
    unit="MME/day",
)

INFO = CalculatorInfo(
    id=49,
    slug="morphine_milligram_equivalents",
    name="Morphine Milligram Equivalents (MME) Calculator",
    category=Category.DOSAGE,
    output_kind=OutputKind.DECIMAL,
    unit="MME/day",
    citation=(
        "Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R. CDC Clinical Practice Guideline for "
        "Prescribing Opioids for Pain — United States, 2022. MMWR Recomm Rep. 2022;71(3):1-95 "
        "(Table: morphine milligram equivalent conversion factors). doi:10.15585/mmwr.rr7103a1."
    ),
)


class MorphineMilligramEquivalents(BaseCalculator[Inputs]):
    """Daily MME."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(DRUG_MME,))

    def evaluate(self, inputs: Inputs, convention: str, explanation: Explanation) -> float:
        labels = {spec.name: spec.title for spec in input_specs(Inputs)}
        total = 0.0
        parts: list[str] = []
        for drug, factor in FACTORS.items():
            dose = getattr(inputs, drug)
            per_day = getattr(inputs, f"{drug}_per_day")
            if dose == 0 and per_day == 0:
                continue
            explanation.step(f"{labels[drug]}: conversion factor {factor:g}")
            contribution = explanation.apply(DRUG_MME, dose=dose, per_day=per_day, factor=factor)
            total += contribution
            parts.append(f"{contribution:g}")
        explanation.step(f"total = {' + '.join(parts) or '0'} = {total:g} MME/day")
        return total


register(MorphineMilligramEquivalents())
