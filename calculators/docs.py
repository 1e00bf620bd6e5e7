"""Generate the calculator reference page from the registry.

Usage: ``python -m calculators.docs > docs/calculators.md`` (a test keeps the file in sync).
"""

from __future__ import annotations

from calculators.base import Calculator
from calculators.framework import BaseCalculator
from calculators.inputs import InputKind, InputSpec, input_specs
from calculators.registry import all_calculators

HEADER = """# Calculator reference

Generated from the calculator registry by `python -m calculators.docs > docs/calculators.md`;
do not edit by hand. Quantities are converted to the canonical unit shown; bounds are inclusive.
The first convention listed is the default (MedCalc-Bench's, where it is a legitimate choice).

| ID | Name | Output | Inputs | Formula | Citation | Conventions |
|---|---|---|---|---|---|---|
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _describe_input(spec: InputSpec) -> str:
    optional = "" if spec.required else " (optional)"
    if spec.kind is InputKind.QUANTITY:
        detail = f"{spec.shown_unit}, {spec.minimum:g}–{spec.maximum:g}"
    elif spec.kind is InputKind.NUMBER:
        detail = f"{spec.minimum:g}–{spec.maximum:g}"
    elif spec.kind is InputKind.CHOICE:
        detail = " / ".join(spec.choices)
    else:
        detail = spec.kind.value
    return f"{spec.title} [{detail}]{optional}"


def _row(calculator: Calculator) -> str:
    info = calculator.info
    output = info.output_kind.value + (f", {info.unit}" if info.unit else "")
    inputs = formulas = conventions = ""
    if isinstance(calculator, BaseCalculator):
        inputs = "; ".join(_describe_input(spec) for spec in input_specs(calculator.inputs))
        formulas = "; ".join(f"`{f.name} = {f.text}`" for f in calculator.formulas)
        conventions = "; ".join(
            f"**{name}**: {text}" for name, text in calculator.conventions.items()
        )
        if calculator.notes:
            conventions += " " + " ".join(calculator.notes)
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
