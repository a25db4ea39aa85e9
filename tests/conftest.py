"""Shared helpers for the tests."""

from __future__ import annotations

import numpy as np

from srnlab.backprop import Network, error
from srnlab.params import FeedforwardParams, from_vector, to_vector


def numeric_gradient(
    network: Network,
    params: FeedforwardParams,
    inputs: np.ndarray,
    targets: np.ndarray,
    step: float = 1e-6,
) -> FeedforwardParams:
    """dE/dw by central differences, (E(w + h) - E(w - h)) / 2h, one parameter at a time."""
    theta = to_vector(params)
    grad = np.empty_like(theta)
    for k in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[k] += step
        minus[k] -= step
        grad[k] = (
            error(network, from_vector(plus, params), inputs, targets)
            - error(network, from_vector(minus, params), inputs, targets)
        ) / (2 * step)
    return from_vector(grad, params)


#: (hidden activation, output activation, loss) combinations every SRN proof runs over: each
#: activation at each layer and each loss at least once, including the mismatched pairs.
ACTIVATION_LOSS = [
    ("logistic", "logistic", "squared"),
    ("logistic", "logistic", "half_squared"),
    ("logistic", "logistic", "cross_entropy"),
    ("tanh", "logistic", "cross_entropy"),
    ("tanh", "tanh", "squared"),
    ("linear", "linear", "half_squared"),
    ("tanh", "linear", "squared"),
    ("linear", "tanh", "half_squared"),
]
