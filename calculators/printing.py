"""A small, readable printer for the formulas calculators use (+, −, ×, /, ^, √, min, max, ln).

sympy's own printers reorder terms or add nested parentheses on unevaluated expressions; this
one prints an expression the way it was written, with ``×`` for products and ``^`` for powers.
Symbols are printed by a callback, which lets the same code print the formula (symbol names) and the
substitution template (``{name}`` placeholders).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_ADD, _MUL, _POW, _ATOM = 1, 2, 3, 4
_FUNCTIONS = {"Min": "min", "Max": "max", "log": "ln", "exp": "exp", "Abs": "abs"}


def _number_text(value: Any) -> str:
    if value.is_Integer:
        return str(int(value))
    if value.is_Rational:
        return f"{int(value.p)}/{int(value.q)}"
    text = f"{float(value):.10g}"
    return text


def _wrap(part: tuple[str, int], above: int) -> str:
    text, precedence = part
    return f"({text})" if precedence < above else text


def _is_negative_number(expr: Any) -> bool:
    return bool(expr.is_Number and expr < 0)


def render(expr: Any, symbol: Callable[[str], str]) -> tuple[str, int]:
    """(text, precedence) of ``expr``; ``symbol(name)`` prints each symbol."""
    if expr.is_Symbol:
        return symbol(str(expr.name)), _ATOM
    if expr.is_Number:
        if _is_negative_number(expr):
            return "-" + _number_text(-expr), _ADD
        return _number_text(expr), _ATOM if expr.is_Integer or expr.is_Float else _MUL
    if expr.is_Add:
        pieces: list[str] = []
        for index, term in enumerate(expr.args):
            negative, magnitude = _split_sign(term)
            text = _wrap(render(magnitude, symbol), _ADD + (1 if negative else 0))
            if index == 0:
                pieces.append(("-" if negative else "") + text)
            else:
                pieces.append((" - " if negative else " + ") + text)
        return "".join(pieces), _ADD
    if expr.is_Mul:
        return _render_mul(expr, symbol)
    if expr.is_Pow:
        base, exponent = expr.args
        if exponent == -1:
            return "1/" + _wrap(render(base, symbol), _ATOM), _MUL
        if exponent.is_number and float(exponent) == 0.5:
            return "√(" + render(base, symbol)[0] + ")", _ATOM
        if exponent.is_number and abs(float(exponent) - 1 / 3) < 1e-15:
            return "∛(" + render(base, symbol)[0] + ")", _ATOM
        power = _wrap(render(exponent, symbol), _ATOM)
        return _wrap(render(base, symbol), _ATOM) + "^" + power, _POW
    name = type(expr).__name__
    if name in _FUNCTIONS:
        inner = ", ".join(render(arg, symbol)[0] for arg in expr.args)
        return f"{_FUNCTIONS[name]}({inner})", _ATOM
    raise TypeError(f"cannot print {name} expressions")


def _split_sign(term: Any) -> tuple[bool, Any]:
    """(is negative, magnitude) for a term of a sum written as ``a - b``."""
    import sympy

    if _is_negative_number(term):
        return True, -term
    if term.is_Mul and term.args and _is_negative_number(term.args[0]):
        rest = list(term.args[1:])
        if term.args[0] != -1:
            rest.insert(0, -term.args[0])
        return True, rest[0] if len(rest) == 1 else sympy.Mul(*rest, evaluate=False)
    return False, term


def _render_mul(expr: Any, symbol: Callable[[str], str]) -> tuple[str, int]:
    numerator: list[Any] = []
    denominator: list[Any] = []
    for factor in expr.args:
        if factor.is_Pow and factor.args[1] == -1:
            denominator.append(factor.args[0])
        else:
            numerator.append(factor)
    sign = ""
    if numerator and numerator[0] == -1:
        sign, numerator = "-", numerator[1:]
    top = " × ".join(_wrap(render(f, symbol), _MUL) for f in numerator) or "1"
    if not denominator:
        return sign + top, _MUL if not sign else _ADD
    if len(denominator) == 1:
        bottom = _wrap(render(denominator[0], symbol), _POW)
    else:
        bottom = "(" + " × ".join(_wrap(render(f, symbol), _MUL) for f in denominator) + ")"
    if len(numerator) > 1:
        top = f"({top})"
    return f"{sign}{top}/{bottom}", _MUL if not sign else _ADD
