"""Gradient descent with momentum for layered networks: online or batch updates.

One update changes every weight by

    delta_w(t) = -learning_rate * dE/dw + momentum * delta_w(t - 1)

(the lecture's delta_w = alpha * (y - a) * ... with the sign folded into dE/dw). **Online**
updates after every pattern, in a fixed or shuffled order each epoch; **batch** sums dE/dw over
all patterns (E = sum over patterns of E_p) and updates once per epoch. A sum, not a mean, so a
learning rate means the same per pattern in both modes, as in the classic simulators.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from srnlab.backprop import Network, as_patterns, backward, forward
from srnlab.errors import UserError
from srnlab.losses import euclidean_error
from srnlab.params import FeedforwardParams, zeros_like
from srnlab.timing import phase

Array = np.ndarray

UPDATE_MODES = ("online", "batch")
ORDERS = ("fixed", "shuffled")


@dataclass(frozen=True)
class Schedule:
    """How to train: every choice that is not the network itself."""

    learning_rate: float = 0.5
    momentum: float = 0.0
    epochs: int = 1000
    update: str = "online"
    order: str = "shuffled"

    def __post_init__(self) -> None:
        if self.update not in UPDATE_MODES:
            raise UserError(f"unknown update {self.update!r}; valid: {', '.join(UPDATE_MODES)}")
        if self.order not in ORDERS:
            raise UserError(f"unknown order {self.order!r}; valid: {', '.join(ORDERS)}")
        if not self.learning_rate > 0:
            raise UserError(f"learning_rate must be > 0, got {self.learning_rate}")
        if not 0 <= self.momentum < 1:
            raise UserError(f"momentum must be in [0, 1), got {self.momentum}")
        if self.epochs < 0:
            raise UserError(f"epochs must be >= 0, got {self.epochs}")


@dataclass
class History:
    """Per-epoch measurements, taken on all patterns after the epoch's updates (epoch 0 is the
    untrained net). ``solved`` means every output is on the right side of 0.5, i.e.
    |y - a| < 0.5 for every output of every pattern."""

    epoch: list[int] = field(default_factory=list)
    error: list[float] = field(default_factory=list)
    rms: list[float] = field(default_factory=list)
    max_abs_error: list[float] = field(default_factory=list)
    solved: list[bool] = field(default_factory=list)

    def columns(self) -> dict[str, list]:
        return {
            "epoch": self.epoch,
            "error": self.error,
            "rms": self.rms,
            "max_abs_error": self.max_abs_error,
            "solved": self.solved,
        }

    def first_solved_epoch(self) -> int | None:
        """The first epoch after which every output was on the right side of 0.5."""
        for epoch, solved in zip(self.epoch, self.solved, strict=True):
            if solved:
                return epoch
        return None


def apply_update(
    params: FeedforwardParams,
    grads: FeedforwardParams,
    velocity: FeedforwardParams,
    learning_rate: float,
    momentum: float,
) -> None:
    """delta_w = -lr * dE/dw + momentum * previous delta_w; w += delta_w. Changes arrays in place
    (``velocity`` holds the previous delta_w)."""
    for p, g, v in zip(params.arrays(), grads.arrays(), velocity.arrays(), strict=True):
        v *= momentum
        v -= learning_rate * g
        p += v


def measure(
    network: Network, params: FeedforwardParams, inputs: Array, targets: Array
) -> tuple[float, float, float]:
    """(E summed over patterns, mean per-pattern Euclidean error, largest |y - a|)."""
    out = forward(network, params, inputs).output
    return (
        network.loss_function.value(targets, out),
        float(np.mean(euclidean_error(targets, out))),
        float(np.max(np.abs(targets - out))),
    )


def train(
    network: Network,
    params: FeedforwardParams,
    inputs: Array,
    targets: Array,
    schedule: Schedule,
    rng: np.random.Generator,
    on_epoch: Callable[[int], None] | None = None,
    *,
    compiled: bool = True,
) -> tuple[FeedforwardParams, History]:
    """Train a copy of ``params``; returns the trained copy and the per-epoch history.

    ``rng`` is used only to shuffle the pattern order (``order="shuffled"``, online mode).
    ``compiled`` runs every epoch in one compiled loop (``srnlab.kernels_ff``: the same
    numbers, tested to 1e-12 and bit for bit on XOR, about a thousand times faster);
    ``compiled=False``, or an ``on_epoch`` callback, runs the readable NumPy code below.
    """
    X = as_patterns(inputs, network.sizes[0], "inputs")
    Y = as_patterns(targets, network.sizes[-1], "targets")
    if X.shape[0] != Y.shape[0]:
        raise UserError(f"{X.shape[0]} input patterns but {Y.shape[0]} targets")
    with phase("training"):
        if compiled and on_epoch is None:
            return _train_compiled(network, params, X, Y, schedule, rng)
        return _train_reference(network, params, X, Y, schedule, rng, on_epoch)


def _train_reference(
    network: Network,
    params: FeedforwardParams,
    X: Array,
    Y: Array,
    schedule: Schedule,
    rng: np.random.Generator,
    on_epoch: Callable[[int], None] | None,
) -> tuple[FeedforwardParams, History]:
    params = params.copy()
    velocity = zeros_like(params)
    history = History()

    def record(epoch: int) -> None:
        err, rms, worst = measure(network, params, X, Y)
        history.epoch.append(epoch)
        history.error.append(err)
        history.rms.append(rms)
        history.max_abs_error.append(worst)
        history.solved.append(worst < 0.5)

    record(0)
    for epoch in range(1, schedule.epochs + 1):
        if schedule.update == "batch":
            trace = forward(network, params, X)
            grads = backward(network, params, trace, Y).grads
            apply_update(params, grads, velocity, schedule.learning_rate, schedule.momentum)
        else:
            order = rng.permutation(len(X)) if schedule.order == "shuffled" else range(len(X))
            for p in order:
                x, y = X[p : p + 1], Y[p : p + 1]
                grads = backward(network, params, forward(network, params, x), y).grads
                apply_update(params, grads, velocity, schedule.learning_rate, schedule.momentum)
        record(epoch)
        if on_epoch is not None:
            on_epoch(epoch)
    return params, history


def _orders(n_patterns: int, schedule: Schedule, rng: np.random.Generator) -> Array:
    """The pattern order of every epoch, drawn exactly as the reference loop draws it: one
    ``rng.permutation`` per epoch is the same draw as permuting each row of a table in turn
    (tests/test_kernels_ff.py checks it), in one call instead of one per epoch."""
    rows = np.tile(np.arange(n_patterns, dtype=np.int64), (schedule.epochs, 1))
    if schedule.update == "online" and schedule.order == "shuffled":
        return rng.permuted(rows, axis=1)
    return rows


def _train_compiled(
    network: Network,
    params: FeedforwardParams,
    X: Array,
    Y: Array,
    schedule: Schedule,
    rng: np.random.Generator,
) -> tuple[FeedforwardParams, History]:
    from srnlab import kernels_ff  # numba is imported (and compiles) only when first needed

    n_layers = len(network.sizes) - 1
    flat, offsets = kernels_ff.flatten(list(params.arrays()))
    table = np.zeros((schedule.epochs + 1, 3))
    layers = kernels_ff.Layers(
        flat,
        np.array(network.sizes, dtype=np.int64),
        offsets,
        kernels_ff.layer_codes(network.hidden_activation, network.output_activation, n_layers),
    )
    kernels_ff.train_epochs(
        layers,
        kernels_ff.loss_code(network.loss),
        np.ascontiguousarray(X),
        np.ascontiguousarray(Y),
        _orders(len(X), schedule, rng),
        schedule.update == "batch",
        float(schedule.learning_rate),
        float(schedule.momentum),
        table,
    )
    arrays, start = [], 0
    for array in params.arrays():
        arrays.append(flat[start : start + array.size].reshape(array.shape).copy())
        start += array.size
    trained = FeedforwardParams(tuple(arrays[0::2]), tuple(arrays[1::2]))
    worst = table[:, kernels_ff.MAX_ABS]
    history = History(
        epoch=list(range(schedule.epochs + 1)),
        error=table[:, kernels_ff.ERROR].tolist(),
        rms=table[:, kernels_ff.RMS].tolist(),
        max_abs_error=worst.tolist(),
        solved=(worst < 0.5).tolist(),
    )
    return trained, history
