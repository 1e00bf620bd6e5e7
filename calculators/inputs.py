"""Input declarations: typed pydantic models whose fields carry their clinical metadata.

A calculator declares its inputs once, as a pydantic model whose fields are annotated with an
:class:`InputSpec` (made by :func:`quantity`, :func:`number`, :func:`boolean`, :func:`choice` or
:func:`date`)::

    class Inputs(CalculatorInputs):
        age: Annotated[float, quantity("year", 0, 120, keys=("age",), label="Age")]
        creatinine: Annotated[float, quantity("mg/dL", 0.1, 30, analyte="creatinine")]
        sex: Annotated[str, choice(SEXES, keys=("sex",))]

Quantities are stored in the spec's canonical unit (a pint expression); bounds are inclusive and
in that unit. The same specs drive reading MedCalc-Bench entities (``keys`` are the dataset's key
names, matched case-insensitively), the generated docs, and hypothesis strategies in the tests
(name, kind, canonical unit, bounds, accepted units, choices). :func:`build_inputs` is the single
place where values are checked: an out-of-range value or an unknown choice raises
:class:`InputValueError` naming the field.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from calculators.base import InputDeclaration, InputKind
from calculators.errors import InputValueError


@dataclass(frozen=True, slots=True)
class InputSpec:
    """Metadata of one input; attached to a model field with ``typing.Annotated``."""

    kind: InputKind
    keys: tuple[str, ...] = ()
    """MedCalc-Bench entity keys (all versions and typos) that carry this input."""
    label: str = ""
    unit: str | None = None
    """Canonical unit, a pint expression (quantities only)."""
    display_unit: str | None = None
    """How the canonical unit is written for people (defaults to ``unit``)."""
    minimum: float | None = None
    maximum: float | None = None
    analyte: str | None = None
    """Chemical identity for mass ↔ molar ↔ mEq conversions (see ``calculators.units.ANALYTES``)."""
    choices: tuple[str, ...] = ()
    synonyms: tuple[tuple[str, str], ...] = ()
    """Extra spellings accepted for choices, as (spelling, choice) pairs."""
    bare_unit: str | None = None
    """Unit (a data spelling) implied for a bare number, where the dataset writes none."""
    description: str = ""
    integer: bool = False
    """Whether only whole numbers are meaningful (declared for docs and strategies; the check,
    where one is needed, is the calculator's)."""
    not_below: str | None = None
    """Field name of another input this one may not be smaller than (declared as ``integer``)."""
    packed_in: str | None = None
    """Dataset key whose list packs this input with others (see ``InputDeclaration``)."""
    name: str = field(default="", compare=False)
    """The model field name; filled in by :func:`input_specs`."""
    required: bool = field(default=True, compare=False)

    @property
    def title(self) -> str:
        """A human label: the declared label or the field name."""
        return self.label or self.name.replace("_", " ")

    @property
    def shown_unit(self) -> str:
        """The canonical unit as written for people."""
        return self.display_unit or self.unit or ""

    def declaration(self) -> InputDeclaration:
        """The calculator-independent description of this input."""
        bounds = None
        if self.minimum is not None and self.maximum is not None:
            bounds = (self.minimum, self.maximum)
        return InputDeclaration(
            name=self.name,
            label=self.title,
            kind=self.kind,
            keys=self.keys or (self.name,),
            required=self.required,
            unit=self.unit,
            display_unit=self.shown_unit or None,
            analyte=self.analyte,
            bounds=bounds,
            integer=self.integer,
            choices=self.choices,
            not_below=self.not_below,
            packed_in=self.packed_in,
        )

    def choice_for(self, text: str) -> str | None:
        """The canonical choice matching ``text`` case-insensitively, or None."""
        key = " ".join(text.casefold().split())
        for option in self.choices:
            if option.casefold() == key:
                return option
        for spelling, option in self.synonyms:
            if spelling.casefold() == key:
                return option
        return None


def quantity(
    unit: str,
    minimum: float,
    maximum: float,
    *,
    keys: tuple[str, ...] = (),
    label: str = "",
    display_unit: str | None = None,
    analyte: str | None = None,
    bare_unit: str | None = None,
    description: str = "",
    integer: bool = False,
) -> InputSpec:
    """A measured quantity in canonical ``unit`` (pint expression), bounded inclusively."""
    return InputSpec(
        InputKind.QUANTITY,
        keys=keys,
        label=label,
        unit=unit,
        display_unit=display_unit,
        minimum=minimum,
        maximum=maximum,
        analyte=analyte,
        bare_unit=bare_unit,
        description=description,
        integer=integer,
    )


def number(
    minimum: float,
    maximum: float,
    *,
    keys: tuple[str, ...] = (),
    label: str = "",
    description: str = "",
) -> InputSpec:
    """A dimensionless number, bounded inclusively."""
    return InputSpec(
        InputKind.NUMBER,
        keys=keys,
        label=label,
        minimum=minimum,
        maximum=maximum,
        description=description,
    )


def boolean(*, keys: tuple[str, ...] = (), label: str = "", description: str = "") -> InputSpec:
    """A yes/no finding."""
    return InputSpec(InputKind.BOOLEAN, keys=keys, label=label, description=description)


def choice(
    choices: tuple[str, ...],
    *,
    keys: tuple[str, ...] = (),
    label: str = "",
    synonyms: Mapping[str, str] | None = None,
    description: str = "",
) -> InputSpec:
    """One of ``choices`` (matched case-insensitively; ``synonyms`` map other spellings)."""
    return InputSpec(
        InputKind.CHOICE,
        keys=keys,
        label=label,
        choices=choices,
        synonyms=tuple((synonyms or {}).items()),
        description=description,
    )


def date(*, keys: tuple[str, ...] = (), label: str = "", description: str = "") -> InputSpec:
    """A calendar date (MedCalc-Bench writes MM/DD/YYYY)."""
    return InputSpec(InputKind.DATE, keys=keys, label=label, description=description)


SEXES = ("Male", "Female")
SEX_SYNONYMS = {"m": "Male", "man": "Male", "f": "Female", "woman": "Female"}


def sex(*, keys: tuple[str, ...] = ("sex", "gender")) -> InputSpec:
    """The patient's sex as used by sex-specific equations."""
    return choice(SEXES, keys=keys, label="Sex", synonyms=SEX_SYNONYMS)


class CalculatorInputs(BaseModel):
    """Base of every calculator's input model: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


InputsT = TypeVar("InputsT", bound=CalculatorInputs)


_SPECS: dict[type[CalculatorInputs], tuple[InputSpec, ...]] = {}


def input_specs(model: type[CalculatorInputs]) -> tuple[InputSpec, ...]:
    """The specs of ``model``'s fields, in declaration order, with names and required-ness set."""
    cached = _SPECS.get(model)
    if cached is not None:
        return cached
    specs: list[InputSpec] = []
    for name, info in model.model_fields.items():
        found = [m for m in info.metadata if isinstance(m, InputSpec)]
        if len(found) != 1:
            raise TypeError(f"{model.__name__}.{name}: annotate with exactly one InputSpec")
        specs.append(replace(found[0], name=name, required=info.is_required()))
    _SPECS[model] = tuple(specs)
    return _SPECS[model]


def check_value(spec: InputSpec, value: Any) -> Any:
    """``value`` checked against ``spec`` (bounds, choices, types); InputValueError if it fails."""
    if value is None:
        if spec.required:
            raise InputValueError(spec.name, "a value is required")
        return None
    if spec.kind in (InputKind.QUANTITY, InputKind.NUMBER):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputValueError(spec.name, f"expected a number, got {value!r}")
        number_value = float(value)
        if number_value != number_value:
            raise InputValueError(spec.name, "value is NaN")
        low, high = spec.minimum, spec.maximum
        if (low is not None and number_value < low) or (high is not None and number_value > high):
            unit = f" {spec.shown_unit}" if spec.shown_unit else ""
            raise InputValueError(
                spec.name,
                f"{number_value:g}{unit} is outside the accepted range [{low:g}, {high:g}]{unit}",
            )
        return number_value
    if spec.kind is InputKind.BOOLEAN:
        if not isinstance(value, bool):
            raise InputValueError(spec.name, f"expected true or false, got {value!r}")
        return value
    if spec.kind is InputKind.CHOICE:
        option = spec.choice_for(value) if isinstance(value, str) else None
        if option is None:
            raise InputValueError(spec.name, f"{value!r} is not one of {', '.join(spec.choices)}")
        return option
    if not isinstance(value, datetime.date):
        raise InputValueError(spec.name, f"expected a date, got {value!r}")
    return value


def build_inputs(model: type[InputsT], values: Mapping[str, Any]) -> InputsT:
    """An instance of ``model`` from canonical ``values``; every value is checked first."""
    checked: dict[str, Any] = {}
    for spec in input_specs(model):
        if spec.name in values:
            checked[spec.name] = check_value(spec, values[spec.name])
        elif spec.required:
            raise InputValueError(spec.name, "a value is required")
    unknown = set(values) - {spec.name for spec in input_specs(model)}
    if unknown:
        raise InputValueError(sorted(unknown)[0], f"not an input of {model.__name__}")
    try:
        return model.model_validate(checked)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or model.__name__
        raise InputValueError(where, first["msg"]) from None
