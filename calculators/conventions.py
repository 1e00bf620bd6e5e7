"""Named conventions: the points where careful clinicians compute the same calculator differently.

A calculator declares each such point once, as a :class:`Convention` with its options; the first
option is the default. The default follows the calculator's original publication (the first work
in its citation) or, where that publication is silent on the point, the most widely used clinical
reference, which :attr:`Convention.basis` names. Every option carries its own source.

A choice is made per call with a mapping of convention names to option names::

    sofa = calculators.get("sofa")
    sofa.compute_from_entities(entities, conventions={"respiratory_support": "not_required"})

and per run (``ehrmind-rewards relabel --convention sofa.respiratory_support=not_required``) with
*qualified* names, ``<calculator slug>.<convention>``; :func:`parse_assignments` reads and checks
those, :func:`for_calculator` picks one calculator's share. An unknown calculator, convention or
option raises :class:`~calculators.errors.InputValueError` naming it and listing what exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from calculators.errors import InputValueError


@dataclass(frozen=True, slots=True)
class Option:
    """One way of computing a convention's point."""

    name: str
    """Identifier, e.g. ``"not_required"``."""
    description: str
    """What the option does, for people."""
    source: str
    """Where the option comes from (a citation)."""


@dataclass(frozen=True, slots=True)
class Convention:
    """A point where published practice differs, with its options; the first is the default."""

    name: str
    """Identifier within the calculator, e.g. ``"respiratory_support"``."""
    question: str
    """What the convention decides, e.g. "whether 3–4 respiration points need support"."""
    options: tuple[Option, ...]
    basis: str
    """Why the first option is the default: the original publication's choice, or the reference
    followed where the publication is silent (named)."""

    def __post_init__(self) -> None:
        names = [option.name for option in self.options]
        if len(names) < 2 or len(set(names)) != len(names):
            raise ValueError(f"convention {self.name!r} needs two or more distinct options")

    @property
    def default(self) -> str:
        """The default option's name."""
        return self.options[0].name

    def option(self, name: str) -> Option:
        """The option called ``name``; :class:`InputValueError` listing the options if none is."""
        for option in self.options:
            if option.name == name:
                return option
        choices = ", ".join(option.name for option in self.options)
        raise InputValueError(self.name, f"{name!r} is not one of its options ({choices})")


Selection = Mapping[str, str]
"""Convention name → option name, for one calculator (missing names take their default)."""


def resolve(
    declared: Sequence[Convention], chosen: Selection | None, *, calculator: str
) -> dict[str, str]:
    """Every declared convention's option: ``chosen`` where given, else the default.

    >>> support = Convention("support", "?", (Option("required", "", ""), Option("no", "", "")), "")
    >>> resolve((support,), {"support": "no"}, calculator="sofa")
    {'support': 'no'}
    >>> resolve((support,), None, calculator="sofa")
    {'support': 'required'}
    """
    by_name = {convention.name: convention for convention in declared}
    for name in chosen or {}:
        if name not in by_name:
            known = ", ".join(by_name) or "none"
            raise InputValueError(
                "convention", f"{calculator} has no convention {name!r} (its conventions: {known})"
            )
    resolved: dict[str, str] = {}
    for convention in declared:
        option = (chosen or {}).get(convention.name, convention.default)
        resolved[convention.name] = convention.option(option).name
    return resolved


def describe(declared: Sequence[Convention], resolved: Selection) -> list[str]:
    """One sentence per convention saying which option is used and what it does."""
    lines = []
    for convention in declared:
        option = convention.option(resolved[convention.name])
        marker = "" if option.name == convention.default else ", not the default"
        lines.append(
            f"Convention {convention.name} = {option.name}{marker}: {option.description} "
            f"({option.source})"
        )
    return lines


def parse_assignment(text: str) -> tuple[str, str, str]:
    """``"sofa.respiratory_support=not_required"`` → ``("sofa", "respiratory_support",
    "not_required")``; :class:`InputValueError` if the text has another shape.

    >>> parse_assignment("sofa.respiratory_support=not_required")
    ('sofa', 'respiratory_support', 'not_required')
    """
    name, equals, option = text.partition("=")
    slug, dot, convention = name.strip().partition(".")
    if not (equals and dot and slug and convention and option.strip()):
        raise InputValueError(
            f"--convention {text}",
            "expected CALCULATOR.CONVENTION=OPTION (e.g. gcs.not_testable=one)",
        )
    return slug, convention.strip(), option.strip()


def parse_assignments(texts: Iterable[str]) -> dict[str, str]:
    """Qualified assignments (``slug.convention=option``) checked against the registry.

    Returns ``{"slug.convention": option}``. A calculator, convention or option that does not
    exist, or one convention given twice with different options, raises
    :class:`InputValueError` naming it.
    """
    from calculators.registry import get

    chosen: dict[str, str] = {}
    for text in texts:
        slug, name, option = parse_assignment(text)
        try:
            calculator = get(slug)
        except KeyError:
            raise InputValueError(f"--convention {text}", f"no calculator {slug!r}") from None
        try:
            resolve(calculator.info.conventions, {name: option}, calculator=slug)
        except InputValueError as error:
            raise InputValueError(f"--convention {text}", error.message) from None
        key = f"{calculator.info.slug}.{name}"
        if chosen.get(key, option) != option:
            raise InputValueError(
                f"--convention {text}", f"{key} is already chosen as {chosen[key]}"
            )
        chosen[key] = option
    return chosen


def for_calculator(qualified: Mapping[str, str] | None, slug: str) -> dict[str, str]:
    """The part of a qualified selection that concerns calculator ``slug`` (bare names).

    >>> for_calculator({"sofa.respiratory_support": "not_required", "gcs.not_testable": "one"},
    ...                "gcs")
    {'not_testable': 'one'}
    """
    prefix = f"{slug}."
    return {
        key[len(prefix) :]: option
        for key, option in (qualified or {}).items()
        if key.startswith(prefix)
    }
