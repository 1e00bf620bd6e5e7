"""Generate the calculator reference page from the registry.

Usage: ``python -m calculators.docs > docs/calculators.md`` (a test keeps the file in sync).
"""

from __future__ import annotations

from calculators.base import Calculator, InputDeclaration, InputKind
from calculators.conventions import Convention
from calculators.criteria import ScoreTable
from calculators.framework import BaseCalculator
from calculators.registry import all_calculators

HEADER = """# Calculator reference

Generated from the calculator registry by `python -m calculators.docs > docs/calculators.md`;
do not edit by hand. Quantities are converted to the canonical unit shown; bounds are inclusive.

**Conventions.** Where careful clinicians compute a calculator differently, the calculator
declares the point as a named convention with its options, each with its source. The first
option, marked *default*, follows the calculator's original publication or, where that is
silent, the reference named after "default because". Choose another option per call
(`compute_from_entities(entities, conventions={"respiratory_support": "not_required"})`) or per
run (`ehrmind-rewards relabel … --convention sofa.respiratory_support=not_required`; the prefix is
the calculator's slug, shown under its name). A point score's total is the sum of the points of
the criteria listed in its Formula column; its missing-data convention is stated under
Conventions.

**Exact thresholds.** Values are compared with published cut-offs exactly: a number is taken as
the decimal it was written as, unit conversions and derived quantities (ratios, means, BMI) are
computed in rationals and rounded once, so 96.8 °F is 36 °C and PaO2 112 mm Hg at FiO2 28 % is a
P/F ratio of 400 (see `calculators.exact`).

| ID | Name | Output | Inputs | Formula | Citation | Conventions |
|---|---|---|---|---|---|---|
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _describe_input(spec: InputDeclaration, labels: dict[str, str]) -> str:
    if spec.required:
        optional = ""
    elif spec.sometimes_required:
        optional = " (optional; required in some cases)"
    else:
        optional = " (optional)"
    parts: list[str] = []
    if spec.kind in (InputKind.QUANTITY, InputKind.AGE):
        parts.append(spec.shown_unit)
    if spec.bounds is not None:
        parts.append(f"{spec.bounds[0]:g}–{spec.bounds[1]:g}")
    if spec.integer:
        parts.append("whole number")
    if spec.kind is InputKind.CHOICE:
        parts.append(" / ".join(spec.choices))
    elif not parts:
        parts.append(spec.kind.value)
    if spec.not_below is not None:
        parts.append(f"≥ {labels[spec.not_below]}")
    return f"{spec.label} [{', '.join(parts)}]{optional}"


def _convention(convention: Convention) -> str:
    options = "; ".join(
        f"`{option.name}`{' (default)' if i == 0 else ''}: {option.description} ({option.source})"
        for i, option in enumerate(convention.options)
    )
    return (
        f"**{convention.name}** — {convention.question}: {options}. Default because: "
        f"{convention.basis}."
    )


def _formulas_and_conventions(calculator: Calculator) -> tuple[str, str]:
    declared = [_convention(convention) for convention in calculator.info.conventions]
    if isinstance(calculator, BaseCalculator):
        formulas = "; ".join(f"`{f.name} = {f.text}`" for f in calculator.formulas)
        return formulas, " ".join((*declared, *calculator.notes))
    if isinstance(calculator, ScoreTable):
        low, high = calculator.score_range
        formulas = f"Sum of points ({low:g} to {high:g}): " + "; ".join(
            criterion.label for criterion in calculator.criteria
        )
        missing = f"**missing data**: {calculator.missing_convention}"
        return formulas, " ".join(filter(None, (*declared, missing, calculator.preamble)))
    return "", ""


def _row(calculator: Calculator) -> str:
    info = calculator.info
    output = info.output_kind.value + (f", {info.unit}" if info.unit else "")
    declared = calculator.declared_inputs()
    labels = {spec.name: spec.label for spec in declared}
    inputs = "; ".join(_describe_input(spec, labels) for spec in declared)
    formulas, conventions = _formulas_and_conventions(calculator)
    name = f"{info.name} (`{info.slug}`)"
    cells = (str(info.id), name, output, inputs, formulas, info.citation, conventions)
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def render_page() -> str:
    """The whole markdown page."""
    return HEADER + "\n".join(_row(calculator) for calculator in all_calculators()) + "\n"


def main() -> None:
    """Print the page to stdout."""
    print(render_page(), end="")


if __name__ == "__main__":
    main()
