"""Generate the calculator reference page from the registry.

Usage: ``python -m calculators.docs > docs/calculators.md`` (a test keeps the file in sync).
"""

from __future__ import annotations

from calculators.base import Calculator, InputDeclaration, InputKind
from calculators.criteria import ScoreTable
from calculators.framework import BaseCalculator
from calculators.registry import all_calculators

HEADER = """# Calculator reference

Generated from the calculator registry by `python -m calculators.docs > docs/calculators.md`;
do not edit by hand. Quantities are converted to the canonical unit shown; bounds are inclusive.
The first convention listed is the default (MedCalc-Bench's, where it is a legitimate choice).
A point score's total is the sum of the points of the criteria listed in its Formula column;
its missing-data convention is stated under Conventions.

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


def _formulas_and_conventions(calculator: Calculator) -> tuple[str, str]:
    if isinstance(calculator, BaseCalculator):
        formulas = "; ".join(f"`{f.name} = {f.text}`" for f in calculator.formulas)
        conventions = "; ".join(
            f"**{name}**: {text}" for name, text in calculator.conventions.items()
        )
        return formulas, " ".join((conventions, *calculator.notes))
    if isinstance(calculator, ScoreTable):
        low, high = calculator.score_range
        formulas = f"Sum of points ({low:g} to {high:g}): " + "; ".join(
            criterion.label for criterion in calculator.criteria
        )
        missing = f"**missing data**: {calculator.missing_convention}"
        return formulas, " ".join(filter(None, (missing, calculator.preamble)))
    return "", ""


def _row(calculator: Calculator) -> str:
    info = calculator.info
    output = info.output_kind.value + (f", {info.unit}" if info.unit else "")
    declared = calculator.declared_inputs()
    labels = {spec.name: spec.label for spec in declared}
    inputs = "; ".join(_describe_input(spec, labels) for spec in declared)
    formulas, conventions = _formulas_and_conventions(calculator)
    cells = (str(info.id), info.name, output, inputs, formulas, info.citation, conventions)
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def render_page() -> str:
    """The whole markdown page."""
    return HEADER + "\n".join(_row(calculator) for calculator in all_calculators()) + "\n"


def main() -> None:
    """Print the page to stdout."""
    print(render_page(), end="")


if __name__ == "__main__":
    main()
