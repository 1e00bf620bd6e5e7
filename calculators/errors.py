"""Errors raised for bad calculator input. Each names the input, the unit or the value at fault."""

from __future__ import annotations


class CalculatorError(ValueError):
    """Base class: the inputs cannot produce a result."""


class MissingInputError(CalculatorError):
    """A required input is absent. ``missing`` lists the inputs' names."""

    def __init__(self, calculator: str, missing: list[str]) -> None:
        self.calculator = calculator
        self.missing = list(missing)
        super().__init__(f"{calculator}: missing required input(s): {', '.join(self.missing)}")


class UnitError(CalculatorError):
    """A unit is unknown, or not convertible to what the input needs."""

    def __init__(self, field: str, unit: str, message: str) -> None:
        self.field = field
        self.unit = unit
        super().__init__(f"{field}: unit {unit!r}: {message}")


class InputValueError(CalculatorError):
    """A value is out of its physiological range or of the wrong kind."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class UnknownCalculatorError(KeyError):
    """No calculator is registered under that id or slug."""
