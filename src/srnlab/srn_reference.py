"""The SRN's maths written to be read: the forward pass, the backward pass with its truncation
rule L(t), and one pass of training, step by step in NumPy.

The module docstring of ``srn.py`` states the equations; the comments here name them. This is
the reference the compiled kernels (``kernels_srn_*``) are tested against, and they run in the
same order: ``kernels_srn_step`` mirrors the forward pass, ``kernels_srn_general`` the backward
pass and the training pass. The truncation rule ``backprop_limit`` is written once, here, and
the kernels compile this same function.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from srnlab.errors import UserError
from srnlab.losses import output_delta
from srnlab.srn_model import (
    SRN,
    SRNParams,
    SRNSchedule,
    SRNTrace,
    Stream,
    ThroughTime,
    as_stream,
    initial_context,
    reset_mask,
)

Array = np.ndarray


# ---- the forward pass ----------------------------------------------------------------------


def _hidden_step(net: SRN, params: SRNParams, x: Array, c: Array) -> tuple[Array, Array]:
    """(net_h, h) of one step: the hidden units see the input and the context."""
    net_h = params.W_xh @ x + params.W_ch @ c + params.b_h  # net_h = W_xh x + W_ch c + b_h
    return net_h, net.hidden.function(net_h)  # h = f_h(net_h)


def _output_step(net: SRN, params: SRNParams, h: Array) -> tuple[Array, Array]:
    """(net_y, yhat) of one step."""
    net_y = params.W_hy @ h + params.b_y  # net_y = W_hy h + b_y
    return net_y, net.output.function(net_y)  # yhat = f_y(net_y)


def forward_sequence(
    net: SRN,
    params: SRNParams,
    inputs: Array | Stream,
    context0: Array | float | None = None,
    resets: Iterable[int] | None = None,
) -> SRNTrace:
    """Run the stream through the net with frozen weights, keeping every step's values."""
    params.check_fits(net)
    X = as_stream(inputs, net.n_in, "inputs").rows()
    is_reset = reset_mask(resets, len(X))
    c = initial_context(net, context0)
    rows: dict[str, list[Array]] = {k: [] for k in ("c", "net_h", "h", "net_y", "yhat")}
    for t in range(len(X)):
        if is_reset[t]:
            c = net.start_context()  # c_t = s at a reset
        net_h, h = _hidden_step(net, params, X[t], c)
        net_y, yhat = _output_step(net, params, h)
        for key, value in zip(rows, (c, net_h, h, net_y, yhat), strict=True):
            rows[key].append(value)
        c = h  # the copy link: c_{t+1} = h_t
    n_h, n_o = net.n_hidden, net.n_out
    stacked = [
        np.array(rows[k]).reshape(len(X), n)
        for k, n in zip(rows, (n_h, n_h, n_h, n_o, n_o), strict=True)
    ]
    return SRNTrace(*stacked)


# ---- how far back an error flows: L(t) -----------------------------------------------------
#
# ``through_time`` as one whole number, its *depth*, the form the compiled kernels take too:
# k >= 1 is BPTT(k) (1: copy-back), and two codes stand for the other modes.

DEPTH_FULL = 0  # through_time None: back to the start of the sequence (full BPTT)
DEPTH_WINDOW = -1  # through_time "window": back to the start of the update window


def backprop_depth(through_time: ThroughTime) -> int:
    """``through_time`` as the depth ``backprop_limit`` takes."""
    if through_time is None:
        return DEPTH_FULL
    if through_time == "window":
        return DEPTH_WINDOW
    return int(through_time)


def backprop_limit(t: int, seq_first: int, window_first: int, depth: int) -> int:
    """L(t): the oldest step whose hidden state the error E_t reaches.

    Full BPTT: the sequence's first step; windowed: the window's first step; BPTT(k): k hidden
    states back, t - k + 1, never before the sequence's first step. Whole numbers only, so
    the compiled kernels compile this same function (``kernels_srn_general``).
    """
    if depth == DEPTH_FULL:
        return seq_first
    if depth == DEPTH_WINDOW:
        return window_first
    return max(seq_first, t - depth + 1)


def errors_share_their_limit(depth: int) -> bool:
    """Do all errors of an update window stop at the same step L (full and windowed BPTT)?
    Then their backward messages can travel together, in one reverse sweep."""
    return depth == DEPTH_FULL or depth == DEPTH_WINDOW


# ---- the backward pass ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    """What the backward pass needs of one step, stored when the step was computed."""

    x: Array  # x_t
    c: Array  # c_t
    h: Array  # h_t
    delta_y: Array  # dE_t/dnet_y_t


def _delta_output(net: SRN, y: Array, yhat: Array) -> Array:
    """delta_y = dE_t/dnet_y = dE_t/dyhat * dyhat/dnet_y (one simplified form for CE+logistic)."""
    slope = net.output.derivative(yhat)  # dyhat/dnet_y = f_y'(net_y), from the output
    return output_delta(net.loss_function, net.output.name, y, yhat, slope)


def _add_output_grads(grads: SRNParams, step: _Step) -> None:
    grads.W_hy[...] += np.outer(step.delta_y, step.h)  # dE/dW_hy = delta_y h^T
    grads.b_y[...] += step.delta_y  # the bias unit is always on


def _add_hidden_grads(grads: SRNParams, step: _Step, delta_h: Array) -> None:
    grads.W_xh[...] += np.outer(delta_h, step.x)  # dE/dW_xh = delta_h x^T
    grads.W_ch[...] += np.outer(delta_h, step.c)  # dE/dW_ch = delta_h c^T
    grads.b_h[...] += delta_h


def _window_gradient(
    net: SRN,
    params: SRNParams,
    steps: dict[int, _Step],
    window: tuple[int, int],
    seq_first: int,
    depth: int,
) -> SRNParams:
    """g = sum over the window's steps t of dE_t/dtheta, each error truncated at L(t)."""
    first, last = window
    grads = params.zeros_like()
    f_h = net.hidden.derivative
    if errors_share_their_limit(depth):
        # Every error of the window stops at the same step L, so their backward messages can
        # travel together: one reverse sweep, the classic BPTT of the unrolled network.
        limit = backprop_limit(last, seq_first, first, depth)
        dE_dh = np.zeros(net.n_hidden)  # dE/dh_tau arriving from later steps
        for tau in range(last, limit - 1, -1):
            step = steps[tau]
            if tau >= first:  # E_tau belongs to this update: add its own output error
                _add_output_grads(grads, step)
                dE_dh = dE_dh + params.W_hy.T @ step.delta_y  # dE_tau/dh_tau = W_hy^T delta_y
            delta_h = dE_dh * f_h(step.h)  # dE/dnet_h = dE/dh * f_h'(net_h)
            _add_hidden_grads(grads, step, delta_h)
            dE_dh = params.W_ch.T @ delta_h  # back through the copy link c_tau = h_{tau-1}
        return grads
    # Truncated BPTT(k): each error has its own horizon, so each is carried back separately.
    for t in range(first, last + 1):
        step = steps[t]
        _add_output_grads(grads, step)
        dE_dh = params.W_hy.T @ step.delta_y  # dE_t/dh_t
        limit = backprop_limit(t, seq_first, first, depth)
        for tau in range(t, limit - 1, -1):
            delta_h = dE_dh * f_h(steps[tau].h)  # dE_t/dnet_h_tau
            _add_hidden_grads(grads, steps[tau], delta_h)
            if tau > limit:
                dE_dh = params.W_ch.T @ delta_h  # dE_t/dh_{tau-1}
    return grads


def update_windows(is_reset: Array, update_every: int | None) -> Iterator[tuple[int, int, int]]:
    """(sequence's first step, window's first step, window's last step) for every update."""
    n_steps = len(is_reset)
    starts = [0, *(int(t) for t in np.flatnonzero(is_reset) if t > 0), n_steps]
    for seq_first, seq_end in itertools.pairwise(starts):
        size = update_every if update_every is not None else seq_end - seq_first
        for first in range(seq_first, seq_end, size):
            yield seq_first, first, min(first + size, seq_end) - 1


def sequence_gradients(
    net: SRN,
    params: SRNParams,
    inputs: Array | Stream,
    targets: Array | Stream,
    *,
    through_time: ThroughTime = None,
    update_every: int | None = None,
    context0: Array | float | None = None,
    resets: Iterable[int] | None = None,
) -> SRNParams:
    """dE/dtheta over one pass with the weights held fixed: the sum, over all update windows,
    of the gradients a training pass would apply (see the module docstring of ``srn.py``).

    With ``through_time=None`` (and any ``update_every``) it is the exact gradient of
    E = sum_t E_t; with ``through_time=1`` it is copy-back's gradient.
    """
    params.check_fits(net)
    X = as_stream(inputs, net.n_in, "inputs")
    Y = as_stream(targets, net.n_out, "targets").rows()
    if len(X) != len(Y):
        raise UserError(f"{len(X)} input steps but {len(Y)} targets")
    SRNSchedule(through_time=through_time, update_every=update_every)  # validates both
    is_reset = reset_mask(resets, len(X))
    trace = forward_sequence(net, params, X, context0, np.flatnonzero(is_reset))
    X_rows = X.rows()
    steps = {
        t: _Step(
            X_rows[t],
            trace.contexts[t],
            trace.hidden[t],
            _delta_output(net, Y[t], trace.outputs[t]),
        )
        for t in range(len(X))
    }
    depth = backprop_depth(through_time)
    total = params.zeros_like()
    for seq_first, first, last in update_windows(is_reset, update_every):
        grads = _window_gradient(net, params, steps, (first, last), seq_first, depth)
        for acc, g in zip(total.arrays(), grads.arrays(), strict=True):
            acc += g
    return total


# ---- one pass of training ------------------------------------------------------------------


def _apply_update(
    params: SRNParams, grads: SRNParams, velocity: SRNParams, learning_rate: float, momentum: float
) -> None:
    """delta_w = -lr dE/dw + momentum * previous delta_w; w += delta_w (arrays change in place;
    ``velocity`` holds the previous delta_w)."""
    for p, g, v in zip(params.arrays(), grads.arrays(), velocity.arrays(), strict=True):
        v *= momentum
        v -= learning_rate * g
        p += v


def _errors_of_step(net: SRN, y: Array, yhat: Array) -> Array:
    """(E_t, Euclidean error, squared error) of one step."""
    squared = float(np.sum((y - yhat) ** 2))
    return np.array([net.loss_function.value(y, yhat), np.sqrt(squared), squared])


def train_pass(
    net: SRN,
    params: SRNParams,
    velocity: SRNParams,
    X: Array,
    Y: Array,
    is_reset: Array,
    context: Array,
    schedule: SRNSchedule,
    running_sse: Array | None = None,
) -> Array:
    """One pass of training, readable: forward step by step, update after every window.

    ``params``, ``velocity`` and ``context`` change in place; returns the summed
    (E, Euclidean error, squared error) of the pass. ``running_sse[t]`` (if given) gets the
    squared error summed over steps 0 to t.
    """
    depth = backprop_depth(schedule.through_time)
    ends = {
        last: (seq_first, first)
        for seq_first, first, last in update_windows(is_reset, schedule.update_every)
    }
    sums = np.zeros(3)
    steps: dict[int, _Step] = {}  # the stored steps of the current sequence
    for t in range(len(X)):
        if is_reset[t]:
            context[...] = net.start_context()
        if t == 0 or is_reset[t]:
            steps.clear()  # a new sequence: nothing earlier is reachable by the gradient
        _, h = _hidden_step(net, params, X[t], context)
        _, yhat = _output_step(net, params, h)
        steps[t] = _Step(X[t], context.copy(), h, _delta_output(net, Y[t], yhat))
        sums += _errors_of_step(net, Y[t], yhat)
        if running_sse is not None:
            running_sse[t] = sums[2]
        if t in ends:
            seq_first, first = ends[t]
            grads = _window_gradient(net, params, steps, (first, t), seq_first, depth)
            _apply_update(params, grads, velocity, schedule.learning_rate, schedule.momentum)
            # no later error of this sequence reaches further back than the next step's does
            oldest = backprop_limit(t + 1, seq_first, t + 1, depth)
            for old in [old for old in steps if old < oldest]:
                del steps[old]
        context[...] = h  # the copy link: c_{t+1} = h_t
    return sums
