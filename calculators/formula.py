"""Formulas written once as sympy expressions.

One :class:`Formula` gives, from a single expression:

- the numeric function (``formula(age=..., creatinine=...)``), lambdified with ``math``;
- the vectorised function for batches (``formula.batch(age=array, ...)``), lambdified with numpy;
- the printed formula (``formula.text``) and a substitution template for explanations;
- partial derivatives (``formula.derivative("creatinine")``) for monotonicity properties;
- the exact value (``formula.exact(weight=..., height=...)``), evaluated in rationals at the
  written inputs and rounded once, for comparisons with published cut-offs
  (:mod:`calculators.exact`).

sympy is imported, and every expression built and lambdified, lazily on first use and then cached,
so the per-call cost is that of a plain Python function.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from types import SimpleNamespace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from calculators.exact import nearest, written
from calculators.printing import render

Builder = Callable[[Any, Any], Any]
"""``build(s, sp)``: ``s`` holds a sympy symbol per name (``s.age``), ``sp`` is the sympy module
(for ``sp.log``, ``sp.Min``, ...); returns the expression. Called once, lazily."""


def _number(value: float) -> str:
    """A number for an explanation: 6 significant digits, no trailing zeros, negatives bracketed."""
    if float(value).is_integer() and abs(value) < 1e15:
        text = str(int(value))
    elif 1e-3 <= abs(value) < 1e6:
        text = f"{value:.6g}"
    else:
        text = f"{value:.4g}"
    return f"({text})" if text.startswith("-") else text


class Formula:
    """A named sympy expression over named inputs, with its numeric and printed forms."""

    def __init__(
        self,
        name: str,
        symbols: Sequence[str],
        build: Builder,
        *,
        unit: str = "",
        signed: Sequence[str] = (),
    ) -> None:
        """``symbols`` name the variables: positive reals, or reals if listed in ``signed``."""
        self.name = name
        self.symbols = tuple(symbols)
        self.unit = unit
        self._build = build
        self._signed = frozenset(signed)

    @functools.cached_property
    def expression(self) -> Any:
        """The sympy expression."""
        import sympy

        namespace = SimpleNamespace(
            **{
                s: sympy.Symbol(s, real=True)
                if s in self._signed
                else sympy.Symbol(s, positive=True)
                for s in self.symbols
            }
        )
        with sympy.evaluate(False):  # keep the expression as written, for printing
            return self._build(namespace, sympy)

    @functools.cached_property
    def _sympy_symbols(self) -> list[Any]:
        by_name = {str(s): s for s in self.expression.free_symbols}
        return [by_name.get(name) or _absent_symbol(name) for name in self.symbols]

    @functools.cached_property
    def _scalar(self) -> Callable[..., float]:
        import sympy

        function: Callable[..., float] = sympy.lambdify(
            self._sympy_symbols, self.expression, modules="math", docstring_limit=0
        )
        return function

    @functools.cached_property
    def _vector(self) -> Callable[..., NDArray[np.float64]]:
        import sympy

        function: Callable[..., NDArray[np.float64]] = sympy.lambdify(
            self._sympy_symbols, self.expression, modules="numpy", docstring_limit=0
        )
        return function

    def __call__(self, **values: float) -> float:
        """The formula evaluated at ``values`` (one float per symbol)."""
        return float(self._scalar(*(values[s] for s in self.symbols)))

    def batch(self, **arrays: NDArray[np.float64] | float) -> NDArray[np.float64]:
        """The formula evaluated elementwise over numpy arrays (broadcast together)."""
        result = self._vector(*(arrays[s] for s in self.symbols))
        return np.broadcast_to(np.asarray(result, dtype=np.float64), _shape(arrays)).copy()

    @functools.cached_property
    def _rational(self) -> Callable[..., Any]:
        import sympy
        from sympy.printing.pycode import PythonCodePrinter

        class FractionPrinter(PythonCodePrinter):  # type: ignore[misc]
            """Prints rational constants as ``Fraction(p, q)`` (Python would divide in floats)."""

            def _print_Rational(self, expr: Any) -> str:
                return f"Fraction({expr.p}, {expr.q})"

        rational = sympy.nsimplify(self.expression, rational=True)
        function: Callable[..., Any] = sympy.lambdify(
            self._sympy_symbols,
            rational,
            modules=[{"Fraction": Fraction, "math": math}, "math"],
            printer=FractionPrinter,
            docstring_limit=0,
        )
        return function

    def exact(self, **values: float) -> float:
        """The formula evaluated in rationals at the written ``values``, rounded once.

        Decimal constants are taken as written (0.4 is 2/5). Operations without a rational result
        (roots, logarithms, non-integer powers) fall back to floats. Use this value wherever the
        result is compared with a published cut-off (:mod:`calculators.exact`).
        """
        result = self._rational(*(written(values[s]) for s in self.symbols))
        return nearest(result) if isinstance(result, Fraction) else float(result)

    @functools.cached_property
    def text(self) -> str:
        """The formula in plain text, e.g. ``(140 - age)*weight/(72*creatinine)``."""
        return render(self.expression, lambda name: name)[0]

    @functools.cached_property
    def _template(self) -> str:
        return render(self.expression, lambda name: "{" + name + "}")[0]

    def substituted(self, **values: float) -> str:
        """The formula with each symbol replaced by its value, as written in explanations."""
        return self._template.format(**{s: _number(values[s]) for s in self.symbols})

    @functools.cache  # noqa: B019 - formulas live for the whole process
    def derivative(self, symbol: str) -> Callable[..., float]:
        """∂formula/∂symbol as a numeric function of the same keyword arguments."""
        import sympy

        derived = sympy.diff(self.expression, self._sympy_symbols[self.symbols.index(symbol)])
        function = sympy.lambdify(self._sympy_symbols, derived, modules="math", docstring_limit=0)

        def evaluate(**values: float) -> float:
            return float(function(*(values[s] for s in self.symbols)))

        return evaluate


def _absent_symbol(name: str) -> Any:
    import sympy

    return sympy.Symbol(name, positive=True)


def _shape(arrays: dict[str, NDArray[np.float64] | float]) -> tuple[int, ...]:
    return tuple(np.broadcast_shapes(*(np.shape(a) for a in arrays.values())))


def number_text(value: float) -> str:
    """The number formatting used in explanations (exposed for calculators' own steps)."""
    return _number(value)
