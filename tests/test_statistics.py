"""The statistics scipy computes for us (Wilson, t intervals, the paired t-test) equal an
independent computation: the textbook formulas, written out here, with Student's t quantiles
and p-values from integrating its density numerically (checked against printed tables)."""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srnlab.aggregate import describe, mean_interval, success_rate, wilson_interval
from srnlab.analysis.paired import paired_comparison
from srnlab.errors import UserError

Z975 = 1.959963984540054  # the standard normal's 97.5% quantile (tables)
DEGREES = (2, 3, 11, 15, 99)


def student_two_sided_p(t: float, df: int) -> float:
    """2 * P(T > |t|), integrating Student's t density with the trapezoid rule after the
    substitution x = |t| + u / (1 - u), u in [0, 1): no scipy."""
    c = math.gamma((df + 1) / 2) / (math.sqrt(df * math.pi) * math.gamma(df / 2))
    u = np.linspace(0.0, 1.0, 400_001)[:-1]
    x = abs(t) + u / (1 - u)
    density = c * (1 + x * x / df) ** (-(df + 1) / 2) / (1 - u) ** 2
    return float(2 * np.trapezoid(density, u))


@functools.cache
def t975(df: int) -> float:
    """Student's t 97.5% quantile, by bisection on the integrated density: no scipy."""
    low, high = 0.0, 20.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if student_two_sided_p(middle, df) > 0.05 else (low, middle)
    return (low + high) / 2


def test_t_quantiles_match_printed_tables() -> None:
    """The bisection reproduces the closed form for 2 degrees of freedom and the tables."""
    assert t975(2) == pytest.approx(0.95 / math.sqrt(2 * 0.975 * 0.025), rel=1e-9)
    assert t975(3) == pytest.approx(3.182446305284263, rel=1e-9)


def textbook_wilson(k: int, n: int) -> tuple[float, float]:
    """Wilson (1927): (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)."""
    p, z2 = k / n, Z975 * Z975
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z975 / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return centre - half, centre + half


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_is_the_textbook_formula(case: tuple[int, int]) -> None:
    k, n = case
    low, high = wilson_interval(k, n)
    expected_low, expected_high = textbook_wilson(k, n)
    assert low == pytest.approx(expected_low, rel=1e-9, abs=1e-12)
    assert high == pytest.approx(expected_high, rel=1e-9, abs=1e-12)
    assert 0.0 <= low <= k / n <= high <= 1.0


def test_success_rate_of_the_readmes_xor_count() -> None:
    """81 of 100 seeds: the interval the XOR report would print, from the formula."""
    rate = success_rate([True] * 81 + [False] * 19)
    assert rate["rate"] == 0.81
    assert (rate["ci95_low"], rate["ci95_high"]) == pytest.approx(textbook_wilson(81, 100))


def test_mean_interval_is_mean_plus_minus_t_times_standard_error() -> None:
    rng = np.random.default_rng(3)
    for df in DEGREES:
        values = rng.normal(size=df + 1)
        low, high = mean_interval(values)
        half = t975(df) * values.std(ddof=1) / math.sqrt(df + 1)
        assert float(low) == pytest.approx(values.mean() - half, rel=1e-9)
        assert float(high) == pytest.approx(values.mean() + half, rel=1e-9)
        d = describe(values)
        assert (d["ci95_low"], d["ci95_high"]) == (float(low), float(high))


def test_mean_interval_along_an_axis_and_with_no_spread() -> None:
    block = np.array([[1.0, 2.0], [3.0, 2.0], [5.0, 2.0]])  # column 2: every value equal
    low, high = mean_interval(block)
    half = t975(2) * 2.0 / math.sqrt(3)  # column 1: mean 3, SD 2
    assert low == pytest.approx([3.0 - half, 2.0], rel=1e-9)
    assert high == pytest.approx([3.0 + half, 2.0], rel=1e-9)


def test_paired_comparison_is_the_paired_t_test_by_hand() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=12)
    b = a + 0.5 + rng.normal(scale=0.8, size=12)
    c = paired_comparison(a, b)
    d = b - a
    mean, sd = d.mean(), math.sqrt(np.sum((d - d.mean()) ** 2) / 11)
    assert c["t"] == pytest.approx(mean / (sd / math.sqrt(12)), rel=1e-12)
    assert c["df"] == 11
    assert c["p"] == pytest.approx(student_two_sided_p(c["t"], 11), rel=1e-6)
    assert c["d_z"] == pytest.approx(mean / sd, rel=1e-12)
    half = t975(11) * sd / math.sqrt(12)
    assert c["ci95_low"] == pytest.approx(mean - half, rel=1e-9)
    assert c["ci95_high"] == pytest.approx(mean + half, rel=1e-9)
    assert c["direction"] == ("higher" if c["ci95_low"] > 0 else "no reliable difference")
    assert c["b_higher"] + c["b_lower"] == 12


def test_paired_comparison_edge_cases() -> None:
    assert paired_comparison([0, 0, 0], [0.1, -0.1, 0.0])["direction"] == "no reliable difference"
    assert paired_comparison([0, 0, 0], [-1.0, -1.1, -0.9])["direction"] == "lower"
    same = paired_comparison([0, 1, 2], [1, 2, 3])  # every difference +1: no spread
    assert same["t"] == math.inf and same["p"] == 0.0
    assert same["ci95_low"] == same["ci95_high"] == 1.0 and same["direction"] == "higher"
    with pytest.raises(UserError, match="equal 1-D shapes"):
        paired_comparison([1, 2], [1, 2, 3])
    with pytest.raises(UserError, match="at least 2"):
        paired_comparison([1], [2])
