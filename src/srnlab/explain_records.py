"""The worked example's data: every record ``explain.py`` fills in, in the lecture's notation,
and the lecture's wiring of a layered net (which weight runs from which unit to which).

Units are numbered the lecture's way (a 2-2-1 net: inputs 1-2, hidden 3-4, output 5) and a bias
is the weight from a unit that is always on (w0,3, w0,4 and w6,5); ``params.py`` numbers them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from srnlab.backprop import Network
from srnlab.params import FeedforwardParams, bias_unit, params_from_named, unit_numbers, weight_name

# ---- the records ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRecord:
    """The forward quantities of one unit for one pattern.

    ``net_input`` is x_i; an input unit has none (None) and its activation is the input value.
    """

    unit: int
    layer: int
    net_input: float | None
    activation: float


@dataclass(frozen=True)
class CreditTerm:
    """One term of a hidden unit's backprop sum: dE/dx_k * w_i,k, sent back over ``weight``."""

    weight: str  # the lecture name of w_i,k
    source: int  # unit k above, whose dE/dx_k is sent back
    dE_dx: float  # dE/dx_k
    value: float  # w_i,k
    product: float  # dE/dx_k * w_i,k


@dataclass(frozen=True)
class CreditRecord:
    """The backward quantities of one unit for one pattern.

    ``dE_da``: from the loss for an output unit; for a hidden unit the sum of ``terms``.
    ``slope`` = da/dx = f'(x), and ``dE_dx`` = dE/da * da/dx (the unit's delta).
    """

    unit: int
    layer: int
    dE_da: float
    slope: float
    dE_dx: float
    terms: tuple[CreditTerm, ...]  # empty for an output unit


@dataclass(frozen=True)
class WeightRecord:
    """The chain rule for one weight w_j,i and one pattern: dE/dw = dE/da_i * f'(x_i) * dx_i/dw.

    ``product`` is computed as dE/dx_i * dx_i/dw (the unit's delta times a_j), which equals the
    three factors' product; see ``explain._output_delta`` for the one case where it is the safer
    form.
    """

    name: str
    source: int  # unit j (a bias unit for a bias)
    target: int  # unit i
    layer: int  # the layer of the target unit
    dE_da: float
    slope: float
    dE_dx: float
    dx_dw: float  # a_j, or 1 for a bias
    product: float


@dataclass(frozen=True)
class PatternRecord:
    """Everything about one pattern under one set of weights: forward, error, backward, chain."""

    pattern: int  # 0-based index into the worksheet's patterns
    inputs: tuple[float, ...]
    targets: tuple[float, ...]
    units: tuple[UnitRecord, ...]  # every unit, inputs first, in unit-number order
    error: float  # E of this pattern, summed over the output units
    credits: tuple[CreditRecord, ...]  # every non-input unit, output layer first, going back
    weights: tuple[WeightRecord, ...]  # every weight, in the order of ``named_weights``

    def unit(self, number: int) -> UnitRecord:
        return next(u for u in self.units if u.unit == number)

    def credit(self, number: int) -> CreditRecord:
        return next(c for c in self.credits if c.unit == number)

    def weight(self, name: str) -> WeightRecord:
        return next(w for w in self.weights if w.name == name)

    def activations_by_layer(self) -> list[np.ndarray]:
        """One array of activations per layer (layer 0 = the inputs), for drawing the net."""
        n_layers = 1 + max(u.layer for u in self.units)
        return [
            np.array([u.activation for u in self.units if u.layer == layer])
            for layer in range(n_layers)
        ]


@dataclass(frozen=True)
class WeightChange:
    """One weight through one update: delta_w = -lr * dE/dw + momentum * previous delta_w."""

    name: str
    source: int
    target: int
    old: float
    gradient: float  # dE/dw summed over the update's patterns
    previous_change: float  # delta_w of the previous update (0 before the first)
    change: float
    new: float


@dataclass(frozen=True)
class UpdateRecord:
    """One weight update: its patterns (one online, all of them in batch mode) and the changes."""

    step: int  # 1, 2, ...
    epoch: int  # 1, 2, ...
    patterns: tuple[PatternRecord, ...]
    changes: tuple[WeightChange, ...]

    @property
    def error(self) -> float:
        """E summed over this update's patterns, before the update."""
        return sum(p.error for p in self.patterns)

    def change(self, name: str) -> WeightChange:
        return next(c for c in self.changes if c.name == name)


@dataclass(frozen=True)
class Worksheet:
    """A whole worked example: the network, its settings, the patterns and every update."""

    network: Network
    learning_rate: float
    momentum: float
    update: str  # "online" or "batch"
    order: tuple[int, ...]  # 0-based pattern indices, in the order they are used
    epochs: int
    inputs: tuple[tuple[float, ...], ...]
    targets: tuple[tuple[float, ...], ...]
    initial_weights: Mapping[str, float]  # lecture name -> value, in ``named_weights`` order
    updates: tuple[UpdateRecord, ...]

    @property
    def weight_names(self) -> tuple[str, ...]:
        return tuple(self.initial_weights)

    @property
    def final_weights(self) -> dict[str, float]:
        if not self.updates:
            return dict(self.initial_weights)
        return {c.name: c.new for c in self.updates[-1].changes}

    @property
    def initial_params(self) -> FeedforwardParams:
        return params_from_named(self.network.sizes, dict(self.initial_weights))

    @property
    def final_params(self) -> FeedforwardParams:
        return params_from_named(self.network.sizes, self.final_weights)


# ---- the lecture's wiring ------------------------------------------------------------------


@dataclass(frozen=True)
class Connection:
    """One weight of the net by the lecture's numbering: from unit ``source`` to ``target``."""

    name: str
    source: int
    target: int
    layer: int  # the target's layer (1 = first above the inputs)
    is_bias: bool


def connections(sizes: Sequence[int]) -> tuple[Connection, ...]:
    """Every weight, layer by layer and unit by unit, the bias first (``named_weights`` order)."""
    return _connections(tuple(sizes))


@functools.cache  # asked for every unit of every pattern; the wiring never changes
def _connections(sizes: tuple[int, ...]) -> tuple[Connection, ...]:
    units = unit_numbers(sizes)
    wiring = []
    for layer in range(1, len(sizes)):
        bias = bias_unit(sizes, layer)
        for target in units[layer]:
            wiring.append(Connection(weight_name(bias, target), bias, target, layer, True))
            for source in units[layer - 1]:
                wiring.append(Connection(weight_name(source, target), source, target, layer, False))
    return tuple(wiring)


def incoming(sizes: Sequence[int], target: int) -> tuple[Connection, ...]:
    """The weights into unit ``target``, the bias first."""
    return _incoming(tuple(sizes), target)


def outgoing(sizes: Sequence[int], source: int) -> tuple[Connection, ...]:
    """The weights out of (real) unit ``source`` to the layer above."""
    return _outgoing(tuple(sizes), source)


@functools.cache
def _incoming(sizes: tuple[int, ...], target: int) -> tuple[Connection, ...]:
    return tuple(c for c in _connections(sizes) if c.target == target)


@functools.cache
def _outgoing(sizes: tuple[int, ...], source: int) -> tuple[Connection, ...]:
    return tuple(c for c in _connections(sizes) if c.source == source and not c.is_bias)
