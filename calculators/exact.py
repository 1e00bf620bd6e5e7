"""The exact-threshold rule: how every calculator compares a value with a published cut-off.

Published cut-offs are decimal numbers (36 °C, a P/F ratio of 400, a BMI of 25). Binary floating
point cannot hold most decimals, so float arithmetic puts values that lie exactly on a cut-off a
hair to one side of it: ``(96.8 − 32) × 5/9`` in floats is 35.99999999999881, ``112 / 0.28`` is
399.99999999999994 and ``64 / 1.6²`` is 24.999999999999996, each scored in the wrong band. One
rule, applied by the framework rather than by each calculator, removes the problem:

1. **A number read from the data is the decimal it was written as.** A float parsed from
   ``96.8`` is taken as exactly 96.8 (:func:`written`: the shortest decimal that reads back as the
   same float, which is what the note printed).
2. **Unit conversions and derived quantities are computed in exact rational arithmetic**: unit
   factors come from pint with fractions (:func:`calculators.units.convert_exact`), and ratios,
   means and body-mass indices of read values go through :func:`exactly` or
   :meth:`calculators.formula.Formula.exact`.
3. **The exact result is rounded once, to the nearest float**, and compared with the cut-off (the
   nearest float to the published decimal). Rounding to nearest is monotone and maps a decimal of
   up to 15 significant digits to the float that prints as that decimal, so a value exactly on a
   cut-off compares equal to it and a value on either side stays on that side.

No value is rounded to the precision a cut-off happens to be printed with: SIRS counts 38.4 °C as
more than 38 °C, as its authors meant, although the cut-off is written without decimals.

>>> exactly(lambda pao2, fio2: pao2 / (fio2 / 100), 112.0, 28.0)
400.0
>>> 112.0 / (28.0 / 100)
399.99999999999994
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction


def written(value: float | int | Fraction) -> Fraction:
    """``value`` as the decimal it was written as: the shortest decimal that reads back as it.

    >>> written(96.8)
    Fraction(484, 5)
    >>> written(0.1) == Fraction(1, 10)
    True
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(repr(float(value)))


def nearest(value: Fraction) -> float:
    """The float nearest to an exact ``value`` (the one rounding of the rule).

    >>> nearest(Fraction(324, 9))
    36.0
    """
    return float(value)


def exactly(function: Callable[..., Fraction], *values: float) -> float:
    """``function`` evaluated in rationals at the written ``values``, rounded once to a float.

    ``function`` must use only exact operations (``+ − × ÷``, integer powers) and integer or
    :class:`~fractions.Fraction` constants.

    >>> exactly(lambda weight, height: weight / (height / 100) ** 2, 64.0, 160.0)
    25.0
    >>> exactly(lambda sbp, dbp: (sbp + 2 * dbp) / 3, 100.0, 55.0)
    70.0
    """
    return nearest(function(*(written(value) for value in values)))
