"""The compiled SRN's data and one forward step: what every SRN kernel takes, the pieces of a
step (``srn_reference._output_step`` and its parts, compiled), and the frozen pass.

``srn_reference.py`` is the reference; the kernels compute the same numbers up to the order of
floating-point sums (``tests/test_srn_fastpath.py`` holds them to 1e-12).

What the kernels take, in small bundles (Numba passes NamedTuples of arrays and numbers):

- ``Weights``  W_xh, W_ch, W_hy, b_h, b_y in the kernels' layout (below); their velocities
  and gradients have the same layout and type.
- ``Streams``  the pass's inputs, targets and reset marks.
- ``Settings`` every number: the unit and loss codes, the context's start value, the learning
  rate and momentum, how far back an error flows (``srn_reference.backprop_depth``) and how
  often the weights change.

**Weights out of a layer are stored row by row of the sending unit.** The kernels keep W_xh
and W_ch transposed: row j of ``W_xhT`` / ``W_chT`` holds the weights *out of* input or context
unit j. Then the net input W c is a sum of rows, ``sum_j c_j W_chT[j, :]``: an inner loop over
contiguous memory with no running sum, which LLVM vectorises without reordering any addition.
A one-hot input is the contiguous row ``W_xhT[index]`` (the column W_xh[:, index] of the
reference), and its update touches that row only. W_hy stays (O, H): its backward product
W_hy^T delta_y is then the sum of rows. No kernel allocates inside its loops; every array is
C-contiguous and walked in row order.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from srnlab.kernels_units import (
    ACTIVATION_CODES,
    KERNEL,
    LOSS_CODES,
    PIECE,
    activate_layer,
    add_rows,
    copy_into,
    dot,
    output_delta,
    unit_error,
)
from srnlab.srn_model import SRN, SRNParams, SRNSchedule, SRNTrace, Stream, init_srn
from srnlab.srn_reference import backprop_depth

Array = np.ndarray


# ---- what the kernels take -----------------------------------------------------------------


class Weights(NamedTuple):
    """An SRN's parameters in the kernels' layout (also that of velocities and gradients)."""

    W_xhT: Array  # (I, H) W_xh transposed: row j = the weights out of input unit j
    W_chT: Array  # (H, H) W_ch transposed: row j = the weights out of context unit j
    W_hy: Array  # (O, H)
    b_h: Array  # (H,)
    b_y: Array  # (O,)


class Streams(NamedTuple):
    """A pass's data. Of each dense/index pair one is used and the other is an empty stand-in,
    so that one compiled signature serves dense and one-hot streams."""

    x_dense: Array  # (T, I) float64, or (0, 0)
    x_index: Array  # (T,) int64: the one input unit on, or (0,)
    y_dense: Array  # (T, O) float64, or (0, 0)
    y_index: Array  # (T,) int64, or (0,)
    is_reset: Array  # (T,) bool: the context goes back to its start value here


class Settings(NamedTuple):
    """Every number a kernel needs."""

    hidden: int  # activation code of the hidden units (kernels_units.ACTIVATION_CODES)
    output: int  # activation code of the output units
    loss: int  # loss code (kernels_units.LOSS_CODES)
    context_start: float  # s: the context at the start and after every reset
    learning_rate: float
    momentum: float
    depth: int  # how far back an error flows: srn_reference.backprop_depth(through_time)
    update_every: int  # steps per update window; 0: once per sequence


def kernel_weights(params: SRNParams) -> Weights:
    """Copies in the kernels' layout: W_xh and W_ch transposed (rows = sending units)."""
    return Weights(
        np.ascontiguousarray(params.W_xh.T, dtype=np.float64),
        np.ascontiguousarray(params.W_ch.T, dtype=np.float64),
        np.ascontiguousarray(params.W_hy, dtype=np.float64),
        np.ascontiguousarray(params.b_h, dtype=np.float64),
        np.ascontiguousarray(params.b_y, dtype=np.float64),
    )


def zeros_like(weights: Weights) -> Weights:
    return Weights(*(np.zeros_like(w) for w in weights))


def write_back(weights: Weights, params: SRNParams) -> None:
    """Copy the kernels' weights into ``params`` (in the reference's layout)."""
    params.W_xh[...] = weights.W_xhT.T
    params.W_ch[...] = weights.W_chT.T
    params.W_hy[...] = weights.W_hy
    params.b_h[...] = weights.b_h
    params.b_y[...] = weights.b_y


def _dense_and_index(stream: Stream) -> tuple[Array, Array]:
    if stream.index is not None:
        return np.zeros((0, 0)), stream.index
    assert stream.dense is not None
    return stream.dense, np.zeros(0, dtype=np.int64)


def kernel_streams(inputs: Stream, targets: Stream | None, is_reset: Array) -> Streams:
    """The kernels' form of a pass's data (no targets: a frozen pass)."""
    x_dense, x_index = _dense_and_index(inputs)
    y_dense, y_index = (np.zeros((0, 0)), np.zeros(0, dtype=np.int64))
    if targets is not None:
        y_dense, y_index = _dense_and_index(targets)
    return Streams(
        x_dense, x_index, y_dense, y_index, np.ascontiguousarray(is_reset, dtype=np.bool_)
    )


def kernel_settings(net: SRN, schedule: SRNSchedule) -> Settings:
    return Settings(
        ACTIVATION_CODES[net.hidden_activation],
        ACTIVATION_CODES[net.output_activation],
        LOSS_CODES[net.loss],
        float(net.context_start),
        float(schedule.learning_rate),
        float(schedule.momentum),
        backprop_depth(schedule.through_time),
        int(schedule.update_every or 0),
    )


# ---- the pieces of one step ----------------------------------------------------------------
#
# The kernels unpack their bundles once per pass and hand these pieces plain arrays: taking an
# array out of a bundle costs a reference-count update (an atomic instruction) each time, too
# many once per unit and step. The hidden step, net_h = W_xh x_t + W_ch c_t + b_h and
# h = f_h(net_h), is written out in each kernel (in the same order of sums) rather than called:
# as a call, with its eleven arguments, it made every step of the general kernel 5-10% slower,
# and Numba's own inlining of it no less.


@njit(**PIECE)
def add_input(net_h: Array, W_xhT: Array, x_dense: Array, x_index: Array, t: int) -> None:
    """net_h += W_xh x_t: a row of W_xhT for a one-hot input, a sum of rows otherwise."""
    if x_index.shape[0] > 0:
        row = W_xhT[x_index[t]]
        for i in range(net_h.shape[0]):
            net_h[i] += row[i]
    else:
        add_rows(net_h, W_xhT, x_dense[t])


@njit(**PIECE)
def target_of(y_dense: Array, y_index: Array, t: int, o: int) -> float:
    """y_t[o], from a dense row or a one-hot index."""
    if y_index.shape[0] > 0:
        return 1.0 if y_index[t] == o else 0.0
    return y_dense[t, o]


@njit(**PIECE)
def output_step(
    W_hy: Array,
    b_y: Array,
    h: Array,
    y_dense: Array,
    y_index: Array,
    t: int,
    settings: Settings,
    yhat: Array,
    delta_y: Array,
    sums: Array,
    scratch: Array,
) -> None:
    """yhat = f_y(W_hy h + b_y); delta_y = dE_t/dnet_y; add (E_t, Euclidean, squared) to sums."""
    for o in range(W_hy.shape[0]):
        yhat[o] = dot(W_hy[o], h) + b_y[o]  # net_y, activated in place below
    activate_layer(settings.output, yhat, yhat, scratch)
    error = 0.0
    squared = 0.0
    for o in range(W_hy.shape[0]):
        a = yhat[o]
        y = target_of(y_dense, y_index, t, o)
        delta_y[o] = output_delta(settings.loss, settings.output, y, a)
        error += unit_error(settings.loss, y, a)
        squared += (y - a) * (y - a)
    sums[0] += error
    sums[1] += math.sqrt(squared)
    sums[2] += squared


# ---- the frozen forward pass ---------------------------------------------------------------


class TraceArrays(NamedTuple):
    """``SRNTrace``'s arrays, in a form a kernel can take."""

    contexts: Array
    net_hidden: Array
    hidden: Array
    net_output: Array
    outputs: Array


@njit(**KERNEL)
def forward_pass(
    weights: Weights, streams: Streams, settings: Settings, context: Array, trace: TraceArrays
) -> None:
    """Run the stream with frozen weights; fill the (T, .) arrays of the trace."""
    W_xhT, W_chT, W_hy, b_h, b_y = weights
    x_dense, x_index, _, _, is_reset = streams
    contexts, net_hidden, hidden, net_output, outputs = trace
    c = context.copy()
    scratch = np.empty((2, max(b_h.shape[0], b_y.shape[0])))
    for t in range(is_reset.shape[0]):
        if is_reset[t]:
            c[:] = settings.context_start
        copy_into(contexts[t], c)
        net_h = net_hidden[t]  # net_h = W_xh x_t + W_ch c_t + b_h;  h = f_h(net_h)
        net_h[:] = 0.0
        add_rows(net_h, W_chT, c)  # W_ch c_t
        add_input(net_h, W_xhT, x_dense, x_index, t)  # + W_xh x_t
        for i in range(net_h.shape[0]):
            net_h[i] += b_h[i]
        activate_layer(settings.hidden, net_h, hidden[t], scratch)
        for o in range(W_hy.shape[0]):
            net_output[t, o] = dot(W_hy[o], hidden[t]) + b_y[o]
        activate_layer(settings.output, net_output[t], outputs[t], scratch)
        copy_into(c, hidden[t])  # the copy link


def run_forward(
    net: SRN, params: SRNParams, inputs: Stream, is_reset: Array, context0: Array
) -> SRNTrace:
    """The compiled frozen pass behind ``srn.run_srn``."""
    n_steps, n_hidden, n_out = len(inputs), net.n_hidden, net.n_out
    trace = TraceArrays(*(np.empty((n_steps, n)) for n in (n_hidden,) * 3 + (n_out,) * 2))
    forward_pass(
        kernel_weights(params),
        kernel_streams(inputs, None, is_reset),
        kernel_settings(net, SRNSchedule()),  # of the schedule, a frozen pass uses nothing
        np.ascontiguousarray(context0, dtype=np.float64),
        trace,
    )
    return SRNTrace(*trace)


def tiny_problem() -> tuple[SRN, SRNParams, Stream]:
    """A 2-2-2 net and a three-step one-hot stream: enough to compile a kernel (every kernel
    has one signature: ``Streams`` carries a dense and an index array either way)."""
    net = SRN(2, 2, 2)
    params = init_srn(2, 2, 2, np.random.default_rng(0), 0.5)
    return net, params, Stream(None, np.array([0, 1, 0], dtype=np.int64), 2)


def warm_up() -> None:
    """Compile (or load from Numba's disk cache) the frozen pass and the step pieces."""
    net, params, steps = tiny_problem()
    run_forward(net, params, steps, np.zeros(3, dtype=np.bool_), net.start_context())
