"""The reference engine: tlearn's sweep, node by node, written to be read.

One sweep (one pattern) [xtlearn.c TlearnLoop]:

1. At a reset, every activation but the bias goes back to 0. The inputs take the pattern.
2. Nodes are computed in number order, each value stored at once: a connection from a
   lower-numbered node sees this sweep's value, one from the same or a higher number the
   previous sweep's [activate.c]. net_i = sum_j w_ij a_j, in column order; a non-linear
   unit's net is clamped to [-10, 10] before its function.
3. Errors a - t on the outputs (0 for a ``*`` target). Deltas [compute.c]:
   output  delta = (a - t) f'(a)         (cross-entropy, logistic outputs: a - t)
   other   delta = f'(a) sum_k w_ki delta_k over the higher-numbered nodes k it feeds
   with f'(a) = a(1 - a) (logistic), (1 + a)(1 - a)/2 (bipolar), 1 (linear), 0 (binary).
4. dw_ij -= delta_i a_j (the value a_j had when node i was computed) is summed; after every
   ``update_every`` sweeps (the count runs on across passes) [update.c]:
   step_ij = rate dw_ij + momentum step_ij;  w_ij += step_ij  (fixed weights stay),
   then each group's weights are replaced by their mean and limited weights are clamped.

Arithmetic follows tlearn's C: in ``float32`` every stored value is rounded to float32 and
sums run in column order; the logistic and the slopes are computed in double, as C's
``1.0 / (1.0 + exp(...))`` is, then rounded. In ``float64`` the same steps run in double.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from srnlab.errors import UserError
from srnlab.losses import get_loss
from srnlab.tlearn.network import BINARY, BIPOLAR, LINEAR, LOGISTIC, NET_CLAMP, Network

Array = np.ndarray
DTYPES = {"float32": np.float32, "float64": np.float64}


@dataclass(frozen=True)
class Training:
    """tlearn's learning options (-r, -m, -U, -H 1, -t)."""

    learning_rate: float
    momentum: float = 0.0
    update_every: int = 1
    cross_entropy: bool = False
    teacher_forcing: bool = False


@dataclass
class Record:
    """What a run of sweeps measured, one entry per sweep."""

    squared: Array  # (S,) sum over outputs of (a - t)^2, what tlearn's .err accumulates
    loss: Array  # (S,) E of the sweep: 1/2 sum (t - a)^2, or the cross-entropy
    max_abs_net: float  # the largest |net input| any clamped (non-linear) unit received
    activations: Array | None = None  # (S, nodes) after each sweep, if kept
    net_inputs: Array | None = None  # (S, nodes) before clamping, if kept


def run_sweeps(
    network: Network,
    weights: Array,
    inputs: Array,
    targets: Array,
    order: Array,
    resets: Array,
    training: Training | None,
    precision: str = "float64",
    keep: bool = False,
    learn: bool = True,
) -> tuple[Array, Record]:
    """Run one sweep per entry of ``order`` (a pattern index; ``resets[s]`` says whether
    sweep s starts with a reset). The weights learn unless ``learn`` is False (tlearn's -V
    and -P) or there is no ``training``; returns the weights after the last sweep (float64)
    and the record. Activations start at 0, as in tlearn."""
    check_precision(precision)
    dtype = DTYPES[precision]
    state = _State(network, np.asarray(weights, dtype=dtype), training, dtype)
    X = np.asarray(inputs, dtype=dtype)
    Y = np.asarray(targets, dtype=np.float64)
    n_sweeps = len(order)
    squared, loss = np.zeros(n_sweeps), np.zeros(n_sweeps)
    kept_a = np.zeros((n_sweeps, network.n_nodes)) if keep else None
    kept_net = np.zeros((n_sweeps, network.n_nodes)) if keep else None
    loss_function = get_loss(
        "cross_entropy" if training and training.cross_entropy else "half_squared"
    )
    for s in range(n_sweeps):
        pattern = int(order[s])
        if resets[s]:
            state.reset()
        target = Y[pattern]
        net_inputs = state.forward(X[pattern], target)
        outputs = state.outputs()
        cared = ~np.isnan(target)
        errors = np.where(cared, outputs - target.astype(dtype), 0).astype(dtype)  # a - t
        squared[s] = float(np.sum(errors.astype(np.float64) ** 2))
        if cared.any():
            loss[s] = loss_function.value(target[cared], outputs[cared].astype(np.float64))
        if training is not None and learn:
            state.learn(errors, target)
        if kept_a is not None and kept_net is not None:
            kept_a[s] = state.a[1 + network.n_inputs :]
            kept_net[s] = net_inputs
    return state.w.astype(np.float64), Record(squared, loss, state.max_abs_net, kept_a, kept_net)


class _State:
    """Activations, weights and the summed weight changes of a network being run."""

    def __init__(
        self, network: Network, weights: Array, training: Training | None, dtype: type
    ) -> None:
        self.net = network
        self.dtype = dtype
        self.training = training
        n, columns = network.connected.shape
        self.w: Array = np.where(network.connected, weights, 0).astype(dtype)
        self.a: Array = np.zeros(columns, dtype=dtype)
        self.a[0] = 1  # node 0, the bias
        self.previous = self.a.copy()  # tlearn's amem: every node's value before this sweep
        self.dw: Array = np.zeros((n, columns), dtype=dtype)
        self.step: Array = np.zeros((n, columns), dtype=dtype)
        self.sweeps_since_update = 0
        self.max_abs_net = 0.0
        self.first_node = 1 + network.n_inputs  # the column of node 1
        self.output_rows = [k - 1 for k in network.outputs]
        if training is not None:
            self.rate = dtype(training.learning_rate)
            self.momentum = dtype(training.momentum)

    def reset(self) -> None:
        self.a[1:] = 0

    def forward(self, x: Array, target: Array) -> Array:
        """Set the inputs, then compute nodes 1..N in order; returns the net inputs."""
        first = self.first_node
        self.a[1:first] = x
        self.previous[:] = self.a
        nets = np.zeros(self.net.n_nodes)
        for i in range(self.net.n_nodes):
            sources = self._teacher_forced(target) if self._forcing() else self.a
            net = _ordered_sum(self.w[i] * sources, self.dtype)
            nets[i] = float(net)
            self.a[first + i] = self._activate(int(self.net.functions[i]), net)
        return nets

    def _forcing(self) -> bool:
        return self.training is not None and self.training.teacher_forcing

    def _teacher_forced(self, target: Array) -> Array:
        """With -t, a connection from an output node carries its target (if not ``*``)."""
        sources = self.a.copy()
        for row, value in zip(self.output_rows, target, strict=True):
            if not math.isnan(value):
                sources[self.first_node + row] = self.dtype(value)
        return sources

    def _activate(self, function: int, net: np.floating) -> np.floating:
        dtype = self.dtype
        if function == LINEAR:
            return net
        if abs(float(net)) > NET_CLAMP:
            self.max_abs_net = max(self.max_abs_net, abs(float(net)))
            net = dtype(math.copysign(NET_CLAMP, float(net)))
        else:
            self.max_abs_net = max(self.max_abs_net, abs(float(net)))
        if function == BINARY:
            return dtype(1.0 if net > 0 else -1.0)
        logistic = dtype(1.0 / (1.0 + math.exp(0.0 - float(net))))  # computed in double
        if function == BIPOLAR:
            return dtype(2.0 * float(logistic) - 1.0)
        return logistic

    def outputs(self) -> Array:
        return self.a[[self.first_node + row for row in self.output_rows]]

    def learn(self, errors: Array, target: Array) -> None:
        """Deltas, summed weight changes, and the update when it is due."""
        assert self.training is not None
        delta = self._deltas(errors, target)
        first = self.first_node
        for i in range(self.net.n_nodes):
            # a source numbered below node i is seen as computed this sweep, any other as
            # it was before the sweep began (tlearn's two loops in comp_backprop)
            sources = np.concatenate((self.a[: first + i], self.previous[first + i :]))
            self.dw[i] -= sources * delta[i]
        self.sweeps_since_update += 1
        if self.sweeps_since_update >= self.training.update_every:
            self.sweeps_since_update = 0
            self._update()

    def _deltas(self, errors: Array, target: Array) -> Array:
        dtype = self.dtype
        n, first = self.net.n_nodes, self.first_node
        delta: Array = np.zeros(n, dtype=dtype)
        functions = self.net.functions
        cross_entropy = self.training is not None and self.training.cross_entropy
        for row, error in zip(self.output_rows, errors, strict=True):
            a = float(self.a[first + row])
            if functions[row] == LOGISTIC:
                delta[row] = error if cross_entropy else dtype(float(error) * (a * (1.0 - a)))
            elif functions[row] == BIPOLAR:
                delta[row] = dtype(float(error) * (0.5 * (1.0 + a) * (1.0 - a)))
            else:  # linear and binary outputs pass the error on as it is, as tlearn does
                delta[row] = error
        is_output = self.net.is_output()
        for i in range(n - 1, -1, -1):
            if is_output[i]:
                continue
            later = np.arange(i + 1, n)
            feeds = later[self.net.connected[later, first + i]]
            total = _ordered_sum(self.w[feeds, first + i] * delta[feeds], dtype)
            a = self.a[first + i]
            if functions[i] == LOGISTIC:
                delta[i] = dtype(float(dtype(total * a)) * (1.0 - float(a)))
            elif functions[i] == BIPOLAR:
                delta[i] = dtype(float(total) * 0.5 * (1.0 + float(a)) * (1.0 - float(a)))
            elif functions[i] == LINEAR:
                delta[i] = total
        return delta

    def _update(self) -> None:
        learnable = self.net.learnable()
        step = self.rate * self.dw + self.momentum * self.step
        self.step = np.where(learnable, step, self.step)
        self.w = np.where(learnable, self.w + self.step, self.w)
        self.dw = np.where(learnable, 0, self.dw).astype(self.dtype)
        for k in range(1, self.net.n_groups + 1):
            members = self.net.group == k
            if members.any():
                mean = _ordered_sum(self.w[members], self.dtype) / self.dtype(members.sum())
                self.w[members] = mean
        if self.net.limits_on:
            limited = self.net.limited & self.net.connected
            clamped = np.clip(
                self.w, self.net.low.astype(self.dtype), self.net.high.astype(self.dtype)
            )
            self.w = np.where(limited, clamped, self.w)


def _ordered_sum(values: Array, dtype: type) -> np.floating:
    """sum_j values_j from j = 0 up, every partial sum rounded to ``dtype`` (as C's loop)."""
    if values.size == 0:
        return dtype(0)
    return np.cumsum(values, dtype=dtype)[-1]


def check_precision(precision: str) -> None:
    if precision not in DTYPES:
        raise UserError(f"precision must be one of {', '.join(DTYPES)}, got {precision!r}")
