"""What single hidden units respond to.

Elman (1990) on temporal XOR with two hidden units: "one unit was highly activated when the
input contained a sequence of identical elements (000 or 111); the other when the input
contained alternating elements (010, 101)". We measure it directly: each unit's mean activation
after a *run* (the current bit equals the one before) minus after an *alternation*.
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray


def run_vs_alternation(bits: Array, hidden: Array) -> dict[str, list[float]]:
    """Per hidden unit: mean activation at steps where x_t == x_{t-1} (run) and where they
    differ (alternation), and the difference run - alternation (> 0: a run detector)."""
    bits = np.asarray(bits).ravel()
    hidden = np.asarray(hidden, float)
    same = bits[1:] == bits[:-1]
    after = hidden[1:]
    run_mean = after[same].mean(axis=0)
    alternation_mean = after[~same].mean(axis=0)
    return {
        "run": run_mean.tolist(),
        "alternation": alternation_mean.tolist(),
        "difference": (run_mean - alternation_mean).tolist(),
    }


def has_run_and_alternation_units(differences: list[float], margin: float = 0.1) -> bool:
    """Elman's pattern: some unit prefers runs and another alternations, each by ``margin``."""
    return max(differences) > margin and min(differences) < -margin
