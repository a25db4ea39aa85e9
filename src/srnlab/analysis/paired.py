"""Paired comparisons: each subject (a network) measured under two conditions.

For differences d_i = b_i - a_i over n subjects:

    mean    d_bar = sum_i d_i / n
    SD      s = sqrt(sum_i (d_i - d_bar)^2 / (n - 1))
    95% CI  d_bar +/- t(0.975, n - 1) * s / sqrt(n)
    d_z     d_bar / s                      (Cohen's effect size for paired data)
    t       d_bar / (s / sqrt(n)) = d_z * sqrt(n), with n - 1 degrees of freedom
    p       two-sided, from Student's t distribution

computed by ``scipy.stats.ttest_rel`` (t, p and the interval); d_z is not in scipy.

and a verdict in words that says only what the interval says.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from srnlab.aggregate import LEVEL
from srnlab.errors import UserError

DIRECTIONS = ("higher", "lower", "no reliable difference")


def paired_comparison(
    a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray
) -> dict[str, Any]:
    """Statistics of b - a (see the module docstring); ``direction`` says whether b is
    reliably higher, lower, or neither (the 95% CI includes 0)."""
    a_values, b_values = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a_values.shape != b_values.shape or a_values.ndim != 1:
        raise UserError(
            f"paired values need equal 1-D shapes, got {a_values.shape}, {b_values.shape}"
        )
    if a_values.size < 2:
        raise UserError(f"a paired comparison needs at least 2 subjects, got {a_values.size}")
    differences = b_values - a_values
    n = int(differences.size)
    mean = float(np.mean(differences))
    sd = float(np.std(differences, ddof=1))
    if sd > 0:
        from scipy import stats  # imported when needed: worker processes start faster

        test = stats.ttest_rel(b_values, a_values)
        d_z = mean / sd
        t, p = float(test.statistic), float(test.pvalue)
        interval = test.confidence_interval(LEVEL)
        low, high = float(interval.low), float(interval.high)
    else:  # every difference equal: no spread to test against, the interval is the value
        d_z = t = math.copysign(math.inf, mean) if mean else 0.0
        p = 0.0 if mean else 1.0
        low = high = mean
    if low > 0:
        direction = "higher"
    elif high < 0:
        direction = "lower"
    else:
        direction = "no reliable difference"
    return {
        "n": n,
        "mean_a": float(np.mean(a_values)),
        "mean_b": float(np.mean(b_values)),
        "mean_difference": mean,
        "sd_difference": sd,
        "ci95_low": float(low),
        "ci95_high": float(high),
        "d_z": d_z,
        "t": t,
        "df": n - 1,
        "p": p,
        "b_higher": int(np.sum(differences > 0)),
        "b_lower": int(np.sum(differences < 0)),
        "direction": direction,
    }
