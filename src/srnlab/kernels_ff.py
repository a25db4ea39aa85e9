"""The compiled fast path of ``training.train``: gradient descent on a layered net as one Numba
loop over every epoch, instead of a dozen small NumPy calls per pattern.

``training.train(..., compiled=False)`` (the readable NumPy code of ``backprop.py`` and
``training.py``) is the reference; ``tests/test_kernels_ff.py`` holds this loop to it to 1e-12
in float64 for online and batch updates, fixed and shuffled orders, momentum, every activation
and loss, and nets with more than one hidden layer. On the XOR net it computes the same numbers
bit for bit (same operations in the same order; the products and sums of the reference's
matrix products are taken one after another, as OpenBLAS does for these sizes).

**Layout.** Every weight and bias lives in one flat float64 array, in ``params.arrays()`` order
(layer by layer, weights row by row, then the bias), so the gradient and the momentum buffer
share the layout, one update loop serves every layer, and a net of any depth is one compiled
signature. ``offsets[l]`` is where layer l's weights begin; its biases follow them.

**No fast-math.** Unlike ``kernels_units.KERNEL`` these loops do not let a multiply and an add fuse
into one FMA: the reference's update ``v *= m; v -= lr * g; p += v`` rounds each step, and so
must this one for the XOR recipe's numbers to stay as they were.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from srnlab.kernels_units import (
    ACTIVATION_CODES,
    CE_EPS,
    CROSS_ENTROPY,
    HALF_SQUARED,
    LOSS_CODES,
    activate,
    copy_into,
    output_delta,
    slope,
)

Array = np.ndarray

FF_KERNEL: dict[str, Any] = {"cache": True, "error_model": "numpy"}
# its pieces allocate nothing: without the NRT, as ``kernels_units.PIECE`` says why
FF_PIECE: dict[str, Any] = {**FF_KERNEL, "_nrt": False}

#: history columns written per epoch
ERROR, RMS, MAX_ABS = 0, 1, 2


class Layers(NamedTuple):
    """The net as the loops take it (Numba passes a NamedTuple of arrays as one argument)."""

    flat: Array  # every weight and bias, in the layout above; trained in place
    sizes: Array  # (L + 1,) int64: units per layer, the input layer first
    offsets: Array  # (L,) int64: where layer l's weights begin in ``flat``
    codes: Array  # (L,) int64: each layer's activation code (kernels_units.ACTIVATION_CODES)


@njit(**FF_PIECE)
def _forward(layers: Layers, acts: Array) -> None:
    """acts[layer l's units] = f(W_l a_{l-1} + b_l) for l = 1 .. L; acts starts with the input.

    ``acts`` holds every layer's activations one after another (``sizes`` units each)."""
    flat, sizes, offsets, codes = layers
    below = 0
    for layer in range(sizes.shape[0] - 1):
        n_in, n_out = sizes[layer], sizes[layer + 1]
        w = offsets[layer]
        b = w + n_out * n_in
        here = below + n_in
        for i in range(n_out):
            net = 0.0
            for j in range(n_in):  # x_i = sum_j w_{j,i} a_j, in order j, then + w_{0,i}
                net += acts[below + j] * flat[w + i * n_in + j]
            acts[here + i] = activate(codes[layer], net + flat[b + i])
        below = here


@njit(**FF_PIECE)
def _backward(
    layers: Layers, loss_code: int, acts: Array, y: Array, delta: Array, grads: Array
) -> None:
    """grads += dE/dw of one pattern (``acts`` from ``_forward``); ``delta`` is scratch of the
    size of ``acts``. Every layer's error is sent back with the weights before the update."""
    flat, sizes, offsets, codes = layers
    n_layers = sizes.shape[0] - 1
    top = acts.shape[0] - sizes[n_layers]
    for o in range(sizes[n_layers]):  # output units: dE/dx = dE/da * da/dx
        delta[top + o] = output_delta(loss_code, codes[n_layers - 1], y[o], acts[top + o])
    here = top
    for layer in range(n_layers - 1, -1, -1):
        n_in, n_out = sizes[layer], sizes[layer + 1]
        below = here - n_in
        w = offsets[layer]
        b = w + n_out * n_in
        for i in range(n_out):  # dE/dw_{j,i} = dE/dx_i * a_j;  dE/dw_{0,i} = dE/dx_i
            d = delta[here + i]
            for j in range(n_in):
                grads[w + i * n_in + j] += d * acts[below + j]
            grads[b + i] += d
        if layer > 0:  # dE/da_j = sum_i dE/dx_i w_{j,i}, in order i; dE/dx_j = dE/da_j f'(x_j)
            for j in range(n_in):
                back = 0.0
                for i in range(n_out):
                    back += delta[here + i] * flat[w + i * n_in + j]
                delta[below + j] = back * slope(codes[layer - 1], acts[below + j])
        here = below


@njit(**FF_PIECE)
def _descend(flat: Array, velocity: Array, grads: Array, learning_rate: float, momentum: float):
    """delta_w = momentum * delta_w - lr dE/dw (rounded step by step, as training.apply_update);
    w += delta_w; the gradient is cleared for the next update."""
    for n in range(flat.shape[0]):
        v = velocity[n] * momentum
        v = v - learning_rate * grads[n]
        velocity[n] = v
        flat[n] = flat[n] + v
        grads[n] = 0.0


@njit(**FF_PIECE)
def _measure(layers: Layers, loss_code: int, X: Array, Y: Array, acts: Array, row: Array) -> None:
    """row = (E summed over patterns, mean per-pattern Euclidean error, largest |y - a|)."""
    n_out = layers.sizes[layers.sizes.shape[0] - 1]
    top = acts.shape[0] - n_out
    total = 0.0
    euclidean = 0.0
    worst = 0.0
    for p in range(X.shape[0]):
        copy_into(acts, X[p])  # the input layer: the first X.shape[1] units
        _forward(layers, acts)
        squares = 0.0
        for o in range(n_out):
            y, a = Y[p, o], acts[top + o]
            diff = y - a
            if loss_code == CROSS_ENTROPY:
                c = min(max(a, CE_EPS), 1.0 - CE_EPS)
                total += y * math.log(c) + (1.0 - y) * math.log(1.0 - c)
            else:
                total += diff * diff
            squares += diff * diff
            worst = max(worst, abs(diff))
        euclidean += math.sqrt(squares)
    if loss_code == CROSS_ENTROPY:
        total = -total
    elif loss_code == HALF_SQUARED:
        total = 0.5 * total
    row[ERROR] = total
    row[RMS] = euclidean / X.shape[0]
    row[MAX_ABS] = worst


@njit(**FF_KERNEL)
def train_epochs(
    layers: Layers,
    loss_code: int,
    X: Array,
    Y: Array,
    orders: Array,
    batch: bool,
    learning_rate: float,
    momentum: float,
    history: Array,
) -> None:
    """Train ``layers.flat`` in place for ``orders.shape[0]`` epochs; history[e] is measured after
    epoch e (row 0: the untrained net). Online: one update per pattern, in ``orders[e]``;
    batch: one update per epoch with the gradient summed over the patterns in order."""
    flat = layers.flat
    n_units = 0
    for s in layers.sizes:
        n_units += s
    acts = np.zeros(n_units)
    delta = np.zeros(n_units)
    grads = np.zeros(flat.shape[0])
    velocity = np.zeros(flat.shape[0])
    _measure(layers, loss_code, X, Y, acts, history[0])
    for epoch in range(orders.shape[0]):
        for k in range(orders.shape[1]):
            p = orders[epoch, k]
            copy_into(acts, X[p])
            _forward(layers, acts)
            _backward(layers, loss_code, acts, Y[p], delta, grads)
            if not batch:
                _descend(flat, velocity, grads, learning_rate, momentum)
        if batch:
            _descend(flat, velocity, grads, learning_rate, momentum)
        _measure(layers, loss_code, X, Y, acts, history[epoch + 1])


# ---- from training.train's arguments to the loop's -------------------------------------------


def layer_codes(hidden_activation: str, output_activation: str, n_layers: int) -> Array:
    """Each layer's activation code (layers 1 .. L; the last is the output layer)."""
    codes = [ACTIVATION_CODES[hidden_activation]] * (n_layers - 1)
    return np.array([*codes, ACTIVATION_CODES[output_activation]], dtype=np.int64)


def loss_code(loss: str) -> int:
    return LOSS_CODES[loss]


def flatten(arrays: list[Array]) -> tuple[Array, Array]:
    """(one flat float64 array of ``arrays`` in order, where each weight matrix begins)."""
    flat = np.concatenate([np.ravel(a) for a in arrays]).astype(np.float64)
    starts = np.cumsum([0, *(a.size for a in arrays)])[:-1]
    return flat, np.ascontiguousarray(starts[0::2], dtype=np.int64)


def warm_up() -> None:
    """Compile (or load from Numba's disk cache) the one signature ``train_epochs`` has."""
    sizes = np.array([2, 2, 1], dtype=np.int64)
    flat, offsets = flatten([np.zeros((2, 2)), np.zeros(2), np.zeros((1, 2)), np.zeros(1)])
    X, Y = np.zeros((1, 2)), np.zeros((1, 1))
    orders = np.zeros((1, 1), dtype=np.int64)
    layers = Layers(flat, sizes, offsets, layer_codes("logistic", "logistic", 2))
    train_epochs(layers, 0, X, Y, orders, False, 0.1, 0.0, np.zeros((2, 3)))
