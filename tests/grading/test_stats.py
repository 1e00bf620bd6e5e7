"""Wilson intervals, McNemar's test and the paired bootstrap against independent values."""

from __future__ import annotations

import numpy as np
import pytest

from ehrmind_rewards.grading.stats import mcnemar, paired_bootstrap_interval, wilson_interval


def test_wilson_matches_newcombe_1998() -> None:
    # Newcombe, Stat Med 17:857 (1998), table I: 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605
    assert wilson_interval(81, 263) == pytest.approx((0.2553, 0.3662), abs=1e-4)
    assert wilson_interval(15, 148) == pytest.approx((0.0624, 0.1605), abs=1e-4)


def test_wilson_edges() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)
    assert all(wilson_interval(0, n)[0] == 0.0 for n in range(1, 50))
    assert all(wilson_interval(n, n)[1] == 1.0 for n in range(1, 50))
    low, high = wilson_interval(10, 10)
    assert high == pytest.approx(1.0) and 0.69 < low < 0.73


def test_mcnemar_exact_matches_scipy_binomial_test() -> None:
    scipy_stats = pytest.importorskip("scipy.stats")
    for b, c in [(10, 2), (3, 3), (0, 7), (25, 40)]:
        expected = scipy_stats.binomtest(min(b, c), b + c, 0.5).pvalue
        assert mcnemar(b, c).p_exact == pytest.approx(expected, rel=1e-9)


def test_mcnemar_chi_square_with_continuity_correction() -> None:
    test = mcnemar(10, 2)
    assert test.chi2 == pytest.approx((10 - 2 - 1) ** 2 / 12)
    assert test.p_chi2 == pytest.approx(0.04331, abs=1e-5)
    assert mcnemar(0, 0).p_exact == 1.0


def test_paired_bootstrap_is_seeded_and_covers_the_observed_difference() -> None:
    rng = np.random.default_rng(7)
    a = rng.random(300) < 0.5
    b = rng.random(300) < 0.7
    first = paired_bootstrap_interval(a, b, seed=3)
    assert first == paired_bootstrap_interval(a, b, seed=3)
    assert first != paired_bootstrap_interval(a, b, seed=4)
    observed = b.mean() - a.mean()
    assert first[0] < observed < first[1]
    assert paired_bootstrap_interval(a, a) == (0.0, 0.0)
