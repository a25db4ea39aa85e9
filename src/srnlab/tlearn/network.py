"""What a ``.cf`` file declares: the nodes, their functions, and every connection with its
constraints. Nothing here reads files or trains.

Layout (tlearn's own): node K's weights are row K - 1 of an (nodes, 1 + inputs + nodes) array
whose columns are [bias, inputs 1..ni, nodes 1..nn]; ``connected`` marks the weights that
exist. Activation functions, as tlearn codes them::

    LOGISTIC  a = 1 / (1 + e^-net), net clamped to [-10, 10] first   (the default)
    BIPOLAR   a = 2 / (1 + e^-net) - 1, net clamped likewise          (SPECIAL: bipolar)
    LINEAR    a = net, no clamp                                        (SPECIAL: linear)
    BINARY    a = 1 if the clamped net > 0, else -1                   (SPECIAL: binary)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Array = np.ndarray

LOGISTIC, BIPOLAR, LINEAR, BINARY = 0, 1, 2, 3
FUNCTION_NAMES = {LOGISTIC: "logistic", BIPOLAR: "bipolar", LINEAR: "linear", BINARY: "binary"}
NET_CLAMP = 10.0  # tlearn clamps a non-linear unit's net input to [-10, 10] [activate.c:197]
OUTPUT_BIAS_RANGE = 0.1  # tlearn draws output biases from +-0.1, other weights +-weight_limit


@dataclass(frozen=True, eq=False)
class Network:
    """A tlearn network as its ``.cf`` declares it (arrays are (nodes, columns) unless said)."""

    n_nodes: int
    n_inputs: int
    outputs: tuple[int, ...]  # output node numbers, in the order of the .teach columns
    functions: Array  # (nodes,) LOGISTIC, BIPOLAR, LINEAR or BINARY
    connected: Array  # bool
    fixed: Array  # bool: never changed by learning
    group: Array  # int: 0 or the group whose weights are averaged after each update
    limited: Array  # bool: clamped to [low, high] after each update (if limits_on)
    low: Array
    high: Array
    limits_on: bool  # tlearn enforces limits only if some `min & max` appears in the .cf
    n_groups: int
    weight_limit: float = 1.0
    selected: tuple[int, ...] = ()  # nodes shown by tlearn's probe (display only)

    @property
    def n_columns(self) -> int:
        return 1 + self.n_inputs + self.n_nodes

    def column_of(self, node: int) -> int:
        """The column of node K in a weight row."""
        return self.n_inputs + node

    def is_output(self) -> Array:
        """(nodes,) True for output nodes."""
        mask = np.zeros(self.n_nodes, dtype=bool)
        mask[[k - 1 for k in self.outputs]] = True
        return mask

    def learnable(self) -> Array:
        """The weights learning changes: connected and not fixed."""
        return self.connected & ~self.fixed

    def same_as(self, other: Network) -> bool:
        """Same nodes, functions, connections and constraints (display keys aside)."""
        arrays = ("functions", "connected", "fixed", "group")
        return (
            (self.n_nodes, self.n_inputs, self.outputs, self.limits_on, self.n_groups)
            == (other.n_nodes, other.n_inputs, other.outputs, other.limits_on, other.n_groups)
            and self.weight_limit == other.weight_limit
            and all(np.array_equal(getattr(self, a), getattr(other, a)) for a in arrays)
            and all(
                np.array_equal(a, b) for a, b in zip(self.limits(), other.limits(), strict=True)
            )
        )

    def limits(self) -> tuple[Array, Array, Array]:
        """(limited, low, high) as enforced: nothing is limited unless limits are on."""
        limited = self.limited & self.connected & self.limits_on
        return limited, np.where(limited, self.low, 0.0), np.where(limited, self.high, 0.0)


def initial_weights(network: Network, rng: np.random.Generator) -> Array:
    """tlearn's initialisation with numpy's generator (C's rand() cannot be reproduced):
    every connection uniform in +-weight_limit, then output biases in +-0.1.

    One deliberate difference: a connection with limits starts inside them (a `1. & 1.` copy
    link starts at 1); tlearn enforces limits only after the first update, so its first sweep
    runs with a random copy weight.
    """
    limit = network.weight_limit
    weights = rng.uniform(-limit, limit, size=network.connected.shape)
    biases = rng.uniform(-OUTPUT_BIAS_RANGE, OUTPUT_BIAS_RANGE, size=len(network.outputs))
    for node, bias in zip(network.outputs, biases, strict=True):
        weights[node - 1, 0] = bias
    weights = np.where(network.connected, weights, 0.0)
    if network.limits_on:
        clamped = np.clip(weights, network.low, network.high)
        weights = np.where(network.limited, clamped, weights)
    return weights
