"""Unit activation functions, each with its derivative written from the unit's *output*.

The lecture writes the logistic unit's slope as sigma'(x) = sigma(x) (1 - sigma(x)). Since
a = sigma(x) is already known after the forward pass, the backward pass needs only ``a``:
``derivative(a)`` returns da/dx as a function of a. This is the convention of every classic
simulator (tlearn, PDP) and of scikit-learn's MLP code.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from srnlab.errors import look_up

Array = np.ndarray
Value = TypeVar("Value", float, Array)


@dataclass(frozen=True)
class Activation:
    """A unit function: ``a = function(x)`` and ``da/dx = derivative(a)``."""

    name: str
    function: Callable[[Array], Array]
    derivative: Callable[[Array], Array]
    formula: str  # for people: how the worksheet writes it


# exp(-x) overflows for x < -709; clipping the net input there changes nothing in float64
# because sigma(-709) is already below the smallest normal number.
LOGISTIC_NET_LIMIT = 709.0

#: tlearn clamps a non-linear unit's net input to [-10, 10] before its function.
TLEARN_NET_CLAMP = 10.0


# ---- one unit: the formulas, written once --------------------------------------------------
#
# These scalar functions are the definitions the worked example (``explain.py``) calls and the
# compiled kernels (``kernels_units.py``) compile, so each formula is written here only. They
# use plain arithmetic and ``math`` only, which Numba compiles as it is.


def logistic(x: float) -> float:
    """sigma(x) = 1 / (1 + e^-x) of one unit."""
    return 1.0 / (1.0 + math.exp(-min(max(x, -LOGISTIC_NET_LIMIT), LOGISTIC_NET_LIMIT)))


def clamped_logistic(x: float) -> float:
    """tlearn's logistic unit: sigma of the net input clamped to [-10, 10]."""
    return 1.0 / (1.0 + math.exp(-min(max(x, -TLEARN_NET_CLAMP), TLEARN_NET_CLAMP)))


def logistic_slope(a: Value) -> Value:
    """sigma'(x) = sigma(x) (1 - sigma(x)) = a (1 - a), from the output a (number or array)."""
    return a * (1.0 - a)


def tanh_slope(a: Value) -> Value:
    """tanh'(x) = 1 - tanh(x)^2 = 1 - a^2, from the output a (number or array)."""
    return 1.0 - a * a


# ---- a whole layer at once (NumPy) ---------------------------------------------------------
#
# The same functions over arrays. NumPy's vectorised exp rounds differently from math.exp in
# the last bit for some inputs, so the array forms keep np.exp rather than call ``logistic``
# per unit (which would also be a hundred times slower); the clip limits are shared.


def _logistic(x: Array) -> Array:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -LOGISTIC_NET_LIMIT, LOGISTIC_NET_LIMIT)))


def _clamped_logistic(x: Array) -> Array:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -TLEARN_NET_CLAMP, TLEARN_NET_CLAMP)))


ACTIVATIONS: dict[str, Activation] = {
    "logistic": Activation(
        "logistic",
        _logistic,
        logistic_slope,  # sigma'(x) = sigma(x) (1 - sigma(x)) = a (1 - a)
        "a = 1 / (1 + e^-x),  da/dx = a (1 - a)",
    ),
    "tanh": Activation(
        "tanh",
        np.tanh,
        tanh_slope,  # tanh'(x) = 1 - tanh(x)^2 = 1 - a^2
        "a = tanh(x),  da/dx = 1 - a^2",
    ),
    # tlearn's logistic unit: the net input clamped to [-10, 10] first, and the slope taken
    # from the output as for the logistic (tlearn's a (1 - a), also where the clamp acted)
    "clamped_logistic": Activation(
        "clamped_logistic",
        _clamped_logistic,
        logistic_slope,
        "a = 1 / (1 + e^-clip(x, -10, 10)),  da/dx = a (1 - a)",
    ),
    "linear": Activation(
        "linear",
        lambda x: np.array(x, dtype=float, copy=True),
        lambda a: np.ones_like(a),  # d x / d x = 1
        "a = x,  da/dx = 1",
    ),
}


def get_activation(name: str) -> Activation:
    """Look an activation up by name, with an error that lists the valid names."""
    return look_up(ACTIVATIONS, name, "activation")
