"""Error functions E(y, a) and their derivatives dE/da, plus the error measures we report.

``y`` is the target and ``a`` the output activation, both shaped ``(..., n_outputs)``; the error
of one pattern is summed over output units, and the error of many patterns is summed over
patterns (E = sum over patterns, or over time steps, of E_p), as in the lecture.

- ``squared``:       the lecture's E = (y - a)^2,           dE/da = -2 (y - a)
- ``half_squared``:  E = 1/2 (y - a)^2,                     dE/da = -(y - a)
- ``cross_entropy``: E = -[y ln a + (1 - y) ln(1 - a)],     dE/da = (a - y) / (a (1 - a))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from srnlab.errors import look_up

Array = np.ndarray

# Cross-entropy is undefined at a = 0 or 1 (a logistic unit saturates there in float64 once
# |x| > 37). We clip only inside the logarithm so the reported error stays finite. The worked
# example (explain.py) and the compiled kernels clip with this same constant.
CE_EPS = 1e-15


@dataclass(frozen=True)
class Loss:
    """An error function: ``value(y, a)`` summed over everything, ``grad(y, a)`` = dE/da."""

    name: str
    value: Callable[[Array, Array], float]
    grad: Callable[[Array, Array], Array]
    formula: str


def _cross_entropy(y: Array, a: Array) -> float:
    a = np.clip(a, CE_EPS, 1.0 - CE_EPS)
    return float(-np.sum(y * np.log(a) + (1.0 - y) * np.log(1.0 - a)))


LOSSES: dict[str, Loss] = {
    "squared": Loss(
        "squared",
        lambda y, a: float(np.sum((y - a) ** 2)),
        lambda y, a: -2.0 * (y - a),
        "E = (y - a)^2,  dE/da = -2 (y - a)",
    ),
    "half_squared": Loss(
        "half_squared",
        lambda y, a: float(0.5 * np.sum((y - a) ** 2)),
        lambda y, a: -(y - a),
        "E = 1/2 (y - a)^2,  dE/da = -(y - a)",
    ),
    "cross_entropy": Loss(
        "cross_entropy",
        _cross_entropy,
        lambda y, a: (a - y) / (a * (1.0 - a)),
        "E = -[y ln a + (1 - y) ln(1 - a)],  dE/da = (a - y) / (a (1 - a))",
    ),
}


def get_loss(name: str) -> Loss:
    """Look a loss up by name, with an error that lists the valid names."""
    return look_up(LOSSES, name, "loss")


def output_delta(loss: Loss, activation_name: str, y: Array, a: Array, slope: Array) -> Array:
    """dE/dx for output units: the product dE/da * da/dx of the lecture.

    For cross-entropy on logistic units the product simplifies exactly to (a - y); we use that
    form because it stays finite when a unit saturates at a = 0 or 1 in float64, where the two
    factors would be inf * 0. Everywhere else it is the literal product.
    """
    if loss.name == "cross_entropy" and activation_name in ("logistic", "clamped_logistic"):
        return a - y
    return loss.grad(y, a) * slope


def euclidean_error(y: Array, a: Array) -> Array:
    """Per-pattern Euclidean error sqrt(sum over outputs (y - a)^2).

    This is the reading of Elman's (1990) "RMS error" that fits his numbers best; averaged over
    patterns it is what we report as ``rms``.
    """
    return np.sqrt(np.sum((np.asarray(y) - np.asarray(a)) ** 2, axis=-1))


def sum_squared_error(y: Array, a: Array) -> float:
    """Summed squared error over every output of every pattern (tlearn's convention)."""
    return float(np.sum((np.asarray(y) - np.asarray(a)) ** 2))
