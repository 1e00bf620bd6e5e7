"""Small statistics for grading: Wilson intervals, McNemar's test and the paired bootstrap.

References:
* Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
  JASA 22:209–212. A binomial interval that stays inside [0, 1] and behaves at 0 and n.
* McNemar, Q. (1947). Note on the sampling error of the difference between correlated proportions
  or percentages. Psychometrika 12:153–157. Exact form: a two-sided binomial test of the discordant
  pairs b and c at p = 1/2; chi-square form with Edwards' continuity correction,
  (|b − c| − 1)²/(b + c).
* Efron, B. & Tibshirani, R. (1993). An Introduction to the Bootstrap, ch. 13: percentile intervals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Z_95 = 1.959963984540054
"""The standard normal quantile for a two-sided 95 % interval."""


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for ``successes / n``; ``(0, 1)`` when ``n`` is 0.

    Example (Newcombe 1998, table I): 81 of 263 → (0.2553, 0.3662).
    """
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    low = 0.0 if successes == 0 else max(0.0, centre - half)  # exact bounds at 0 and n,
    high = 1.0 if successes == n else min(1.0, centre + half)  # free of rounding error
    return low, high


@dataclass(frozen=True, slots=True)
class McNemar:
    """McNemar's test on paired correctness: ``b`` = only A right, ``c`` = only B right."""

    b: int
    c: int
    p_exact: float
    """Two-sided exact binomial p-value of b among b + c at 1/2."""
    chi2: float
    """Continuity-corrected statistic (|b − c| − 1)² / (b + c); 0 when b + c is 0."""
    p_chi2: float


def mcnemar(b: int, c: int) -> McNemar:
    """McNemar's exact and continuity-corrected chi-square tests for discordant counts ``b``, ``c``.

    Example: b = 10, c = 2 → exact p = 0.0386, chi² = 4.083, p = 0.0433.
    """
    n = b + c
    if n == 0:
        return McNemar(b, c, 1.0, 0.0, 1.0)
    k = min(b, c)
    log_half_n = n * math.log(0.5)
    tail = sum(math.exp(_log_comb(n, i) + log_half_n) for i in range(k + 1))
    p_exact = min(1.0, 2.0 * tail)
    chi2 = max(abs(b - c) - 1, 0) ** 2 / n
    p_chi2 = math.erfc(math.sqrt(chi2 / 2))
    return McNemar(b, c, p_exact, chi2, p_chi2)


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def paired_bootstrap_interval(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    *,
    resamples: int = 2000,
    seed: int = 0,
    level: float = 0.95,
) -> tuple[float, float]:
    """Percentile interval for ``mean(b) − mean(a)``, resampling items (pairs) with replacement.

    ``a`` and ``b`` are per-item scores of two models on the same items, in the same order. The
    same ``seed`` gives the same interval. Resamples are drawn in blocks to bound memory.
    """
    diff = np.asarray(b, dtype=np.float64) - np.asarray(a, dtype=np.float64)
    n = diff.size
    if n == 0:
        return 0.0, 0.0
    rng = np.random.default_rng(seed)
    means = np.empty(resamples, dtype=np.float64)
    block = max(1, min(resamples, 2_000_000 // n))
    for start in range(0, resamples, block):
        stop = min(resamples, start + block)
        index = rng.integers(0, n, size=(stop - start, n))
        means[start:stop] = diff[index].mean(axis=1)
    alpha = (1 - level) / 2
    low, high = np.quantile(means, [alpha, 1 - alpha])
    return float(low), float(high)
