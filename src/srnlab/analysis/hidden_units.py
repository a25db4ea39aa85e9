"""What single hidden units respond to.

Elman (1990) on temporal XOR with two hidden units: "one unit was highly activated when the
input contained a sequence of identical elements (000 or 111); the other when the input
contained alternating elements (010, 101)". We measure it directly: each unit's mean activation
after a *run* (the last three input bits 000 or 111) minus after an *alternation* (010 or 101).
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray


def run_vs_alternation(bits: Array, hidden: Array) -> dict[str, list[float]]:
    """Per hidden unit: mean activation at steps whose last three inputs x_{t-2} x_{t-1} x_t
    are a run (000, 111) and an alternation (010, 101), and the difference run - alternation
    (> 0: the unit responds to runs; < 0: to alternation)."""
    bits = np.asarray(bits).ravel()
    hidden = np.asarray(hidden, float)
    first_equal = bits[1:-1] == bits[:-2]  # x_{t-1} == x_{t-2}
    second_equal = bits[2:] == bits[1:-1]  # x_t == x_{t-1}
    after = hidden[2:]  # h_t, having seen x_t with the context of the steps before
    run_mean = after[first_equal & second_equal].mean(axis=0)
    alternation_mean = after[~first_equal & ~second_equal].mean(axis=0)
    return {
        "run": run_mean.tolist(),
        "alternation": alternation_mean.tolist(),
        "difference": (run_mean - alternation_mean).tolist(),
    }


def has_run_and_alternation_units(differences: list[float], margin: float = 0.1) -> bool:
    """Elman's pattern: some unit prefers runs and another alternations, each by ``margin``."""
    return max(differences) > margin and min(differences) < -margin
