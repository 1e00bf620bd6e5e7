"""Daily morphine milligram equivalents (MedCalc-Bench ID 49).

MME/day = Σ dose × doses per day × conversion factor. Convention ``factors``: the CDC 2022
factors (default): codeine 0.15, fentanyl transdermal 2.4 per µg/h, hydrocodone 1,
hydromorphone 5, methadone 4.7, morphine 1, oxycodone 1.5, oxymorphone 3, tapentadol 0.4,
tramadol 0.2 (per mg), and fentanyl buccal/sublingual 0.13 per µg (CDC's conversion file; the
2022 table omits it). ``cdc_2016``: the 2016 guideline's factors, which differ for hydromorphone
(4), tramadol (0.1) and methadone, whose factor rises with the total daily methadone dose
(≤ 20 mg 4; 21–40 mg 8; 41–60 mg 10; more 12). Buprenorphine has no CDC factor and is not
accepted.

A fentanyl patch strength is a rate (µg/h). MedCalc-Bench writes it as ``[dose, 'mg']``; a mass
cannot be read as a rate, so such entities are refused (UnitError) rather than guessed.
"""

from __future__ import annotations

from typing import Annotated

from calculators.base import CalculatorInfo, Category, OutputKind
from calculators.conventions import Convention, Option, Selection
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
FACTORS_2022 = {
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
# CDC 2016: as 2022 except hydromorphone, tramadol and methadone (by total daily dose, below).
FACTORS_2016 = {**FACTORS_2022, "hydromorphone": 4.0, "tramadol": 0.1}
METHADONE_2016 = ((20.0, 4.0), (40.0, 8.0), (60.0, 10.0))
"""(highest total daily methadone dose in mg, factor); above 60 mg/day the factor is 12."""


def methadone_factor_2016(daily_mg: float) -> float:
    """CDC 2016 methadone factor for a total daily methadone dose in mg."""
    return next((factor for limit, factor in METHADONE_2016 if daily_mg <= limit), 12.0)


DRUG_MME = Formula(
    "MME",
    ("dose", "per_day", "factor"),
    lambda s, sp: s.dose * s.per_day * s.factor,
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
    conventions=(
        Convention(
            "factors",
            "which CDC conversion table",
            (
                Option(
                    "cdc_2022",
                    "hydromorphone 5, methadone 4.7, tramadol 0.2",
                    "Dowell et al. 2022, MMWR Recomm Rep 71(3)",
                ),
                Option(
                    "cdc_2016",
                    "hydromorphone 4, tramadol 0.1, methadone 4/8/10/12 by total daily dose",
                    "Dowell D, Haegerich TM, Chou R. CDC Guideline for Prescribing Opioids for "
                    "Chronic Pain — United States, 2016. MMWR Recomm Rep. 2016;65(1):1-49",
                ),
            ),
            "the current CDC guideline (2022), the calculator's citation",
        ),
    ),
)


class MorphineMilligramEquivalents(BaseCalculator[Inputs]):
    """Daily MME."""

    def __init__(self) -> None:
        super().__init__(INFO, Inputs, formulas=(DRUG_MME,))

    def evaluate(self, inputs: Inputs, conventions: Selection, explanation: Explanation) -> float:
        labels = {spec.name: spec.title for spec in input_specs(Inputs)}
        table = FACTORS_2016 if conventions["factors"] == "cdc_2016" else FACTORS_2022
        total = 0.0
        parts: list[str] = []
        for drug, listed in table.items():
            dose = getattr(inputs, drug)
            per_day = getattr(inputs, f"{drug}_per_day")
            if dose == 0 and per_day == 0:
                continue
            factor = listed
            if drug == "methadone" and conventions["factors"] == "cdc_2016":
                factor = methadone_factor_2016(dose * per_day)
                explanation.step(
                    f"total daily methadone {dose * per_day:g} mg: CDC 2016 factor {factor:g}"
                )
            explanation.step(f"{labels[drug]}: conversion factor {factor:g}")
            contribution = explanation.apply(DRUG_MME, dose=dose, per_day=per_day, factor=factor)
            total += contribution
            parts.append(f"{contribution:g}")
        explanation.step(f"total = {' + '.join(parts) or '0'} = {total:g} MME/day")
        return total


register(MorphineMilligramEquivalents())
