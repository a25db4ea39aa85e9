"""Every training mode, compiled: ``srn_reference.train_pass`` as a Numba loop, step for step.

The reference keeps the steps an error can still reach in a dict; here they are in a ring
buffer (``Ring``): step tau's context, hidden state and delta_y live in slot tau % capacity,
and the capacity is the farthest back any error of an update window reaches. The backward pass
has the reference's two shapes (one reverse sweep when every error of the window stops at the
same step; BPTT(k), each error alone) and the same truncation rule,
``srn_reference.backprop_limit``, compiled from that one definition.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np
from numba import njit

from srnlab import srn_reference
from srnlab.kernels_srn_step import (
    Settings,
    Streams,
    Weights,
    add_input,
    kernel_settings,
    kernel_streams,
    kernel_weights,
    output_step,
    tiny_problem,
    zeros_like,
)
from srnlab.kernels_units import (
    KERNEL,
    PIECE,
    activate_layer,
    add_outer,
    add_rows,
    copy_into,
    descend,
    dot,
    slope,
)
from srnlab.srn_model import SRNSchedule

Array = np.ndarray

# the truncation rule, compiled from the reference's own definition
backprop_limit = njit(**KERNEL)(srn_reference.backprop_limit)
errors_share_their_limit = njit(**KERNEL)(srn_reference.errors_share_their_limit)


class Ring(NamedTuple):
    """The stored steps: step tau's values in slot tau % capacity."""

    c: Array  # (capacity, H) c_tau
    h: Array  # (capacity, H) h_tau
    dy: Array  # (capacity, O) delta_y_tau = dE_tau/dnet_y_tau


def ring_capacity(is_reset: Array, schedule: SRNSchedule) -> int:
    """How many past steps the general kernel must keep: the oldest step any error of an
    update window can reach (the window's first error is the one that reaches farthest),
    up to the window's last step, but never more than the longest sequence."""
    starts = [0, *(int(t) for t in np.flatnonzero(is_reset) if t > 0), len(is_reset)]
    longest = max(max(b - a for a, b in itertools.pairwise(starts)), 1)
    window = schedule.update_every or longest
    depth = srn_reference.backprop_depth(schedule.through_time)
    # the farthest reach back from a window's first step, `longest` steps into a sequence
    reach = longest - srn_reference.backprop_limit(longest, 0, longest, depth)
    return min(longest, window + reach)


# ---- the backward pass ---------------------------------------------------------------------


@njit(**PIECE)
def descend_all(
    weights: Weights, velocity: Weights, grads: Weights, learning_rate: float, momentum: float
) -> None:
    """The momentum update of every parameter array from the window's gradient, which is
    then cleared for the next window."""
    descend(weights.W_xhT, velocity.W_xhT, grads.W_xhT, learning_rate, momentum)
    descend(weights.W_chT, velocity.W_chT, grads.W_chT, learning_rate, momentum)
    descend(weights.W_hy, velocity.W_hy, grads.W_hy, learning_rate, momentum)
    descend(weights.b_h, velocity.b_h, grads.b_h, learning_rate, momentum)
    descend(weights.b_y, velocity.b_y, grads.b_y, learning_rate, momentum)
    grads.W_xhT.fill(0.0)
    grads.W_chT.fill(0.0)
    grads.W_hy.fill(0.0)
    grads.b_h.fill(0.0)
    grads.b_y.fill(0.0)


@njit(**PIECE)
def add_hidden_grads(
    G_xhT: Array,
    G_chT: Array,
    g_h: Array,
    x_dense: Array,
    x_index: Array,
    c: Array,
    h: Array,
    tau: int,
    hid_code: int,
    dE_dh: Array,
    delta_h: Array,
) -> None:
    """delta_h = dE/dh_tau * f_h'(net_h_tau); add delta_h x^T, delta_h c^T and delta_h."""
    for i in range(delta_h.shape[0]):
        delta_h[i] = dE_dh[i] * slope(hid_code, h[i])
        g_h[i] += delta_h[i]
    if x_index.shape[0] > 0:
        row = G_xhT[x_index[tau]]
        for i in range(delta_h.shape[0]):
            row[i] += delta_h[i]
    else:  # transposed: G_xhT[j, i] += x_j delta_i
        add_outer(G_xhT, x_dense[tau], delta_h)
    add_outer(G_chT, c, delta_h)  # dE/dW_ch = delta_h c^T


@njit(**PIECE)
def window_gradient(
    weights: Weights,
    grads: Weights,
    streams: Streams,
    ring: Ring,
    window: tuple[int, int, int],
    settings: Settings,
    work: Array,
) -> None:
    """grads += sum over the window's steps t of dE_t/dtheta, each error truncated at L(t)
    (``srn_reference._window_gradient``, in the same order). ``window`` = (sequence's first
    step, window's first, window's last); ``work`` is (3, H) scratch. One function rather than
    one per branch, as in the reference: every compiled function costs compile time."""
    _, W_chT, W_hy, _, _ = weights
    G_xhT, G_chT, G_hy, g_h, g_y = grads
    x_dense, x_index = streams.x_dense, streams.x_index
    ring_c, ring_h, ring_dy = ring
    capacity, hid_code, depth = ring_h.shape[0], settings.hidden, settings.depth
    seq_first, first, last = window
    dE_dh, delta_h, carried = work[0], work[1], work[2]
    if errors_share_their_limit(depth):
        # Every error stops at the same step L: one reverse sweep carries them all.
        limit = backprop_limit(last, seq_first, first, depth)
        carried[:] = 0.0  # dE/dh_tau arriving from later steps
        for tau in range(last, limit - 1, -1):
            slot = tau % capacity
            copy_into(dE_dh, carried)
            if tau >= first:  # E_tau belongs to this update: add its own output error
                add_outer(G_hy, ring_dy[slot], ring_h[slot])  # dE/dW_hy = delta_y h^T
                for o in range(g_y.shape[0]):  # the bias unit is always on
                    g_y[o] += ring_dy[slot, o]
                add_rows(dE_dh, W_hy, ring_dy[slot])  # + W_hy^T delta_y
            add_hidden_grads(
                G_xhT, G_chT, g_h, x_dense, x_index, ring_c[slot], ring_h[slot], tau, hid_code,
                dE_dh, delta_h,
            )  # fmt: skip
            if tau > limit:  # back through the copy link c_tau = h_{tau-1}: W_ch^T delta_h
                for j in range(carried.shape[0]):
                    carried[j] = dot(W_chT[j], delta_h)
        return
    # Truncated BPTT(k): each error has its own limit L(t), so each is carried back alone.
    for t in range(first, last + 1):
        slot = t % capacity
        add_outer(G_hy, ring_dy[slot], ring_h[slot])
        for o in range(g_y.shape[0]):
            g_y[o] += ring_dy[slot, o]
        dE_dh[:] = 0.0
        add_rows(dE_dh, W_hy, ring_dy[slot])  # dE_t/dh_t = W_hy^T delta_y
        limit = backprop_limit(t, seq_first, first, depth)
        for tau in range(t, limit - 1, -1):
            slot = tau % capacity
            add_hidden_grads(
                G_xhT, G_chT, g_h, x_dense, x_index, ring_c[slot], ring_h[slot], tau, hid_code,
                dE_dh, delta_h,
            )  # fmt: skip
            if tau > limit:  # dE_t/dh_{tau-1} = W_ch^T delta_h
                for j in range(dE_dh.shape[0]):
                    dE_dh[j] = dot(W_chT[j], delta_h)


# ---- the pass ------------------------------------------------------------------------------


@njit(**KERNEL)
def train_pass_general(
    weights: Weights,
    velocity: Weights,
    grads: Weights,
    streams: Streams,
    settings: Settings,
    ring: Ring,
    context: Array,
    sums: Array,
    running_sse: Array,
) -> None:
    """One pass of training in any mode, in place (``srn_reference.train_pass``, compiled).
    ``grads`` must hold zeros on entry (it is cleared after every update).

    ``context`` holds c_0 on entry and the carried context on exit; sums += (E, Eucl., SSE);
    ``running_sse[t]``, unless it is empty, gets sums[2] as it is after step t.
    """
    W_xhT, W_chT, W_hy, b_h, b_y = weights
    x_dense, x_index, y_dense, y_index, is_reset = streams
    ring_c, ring_h, ring_dy = ring
    n_steps, n_hidden, n_out = is_reset.shape[0], b_h.shape[0], b_y.shape[0]
    capacity = ring_h.shape[0]
    c = context.copy()
    net_h, yhat = np.empty(n_hidden), np.empty(n_out)
    work = np.empty((3, n_hidden))  # the backward pass's dE/dh, delta_h and carried message
    scratch = np.empty((2, max(n_hidden, n_out)))
    seq_first = 0
    first = 0
    for t in range(n_steps):
        if is_reset[t]:
            c[:] = settings.context_start
        if t == 0 or is_reset[t]:
            seq_first = t  # a new sequence: nothing earlier is reachable by the gradient
            first = t
        slot = t % capacity
        h = ring_h[slot]
        net_h[:] = 0.0  # net_h = W_xh x_t + W_ch c_t + b_h;  h = f_h(net_h)
        add_rows(net_h, W_chT, c)
        add_input(net_h, W_xhT, x_dense, x_index, t)
        for i in range(n_hidden):
            net_h[i] += b_h[i]
        activate_layer(settings.hidden, net_h, h, scratch)
        copy_into(ring_c[slot], c)
        output_step(W_hy, b_y, h, y_dense, y_index, t, settings, yhat, ring_dy[slot], sums, scratch)
        if running_sse.shape[0] > 0:
            running_sse[t] = sums[2]
        sequence_ends = t + 1 == n_steps or is_reset[t + 1]
        window_full = settings.update_every > 0 and t + 1 - first == settings.update_every
        if sequence_ends or window_full:
            window_gradient(weights, grads, streams, ring, (seq_first, first, t), settings, work)
            descend_all(weights, velocity, grads, settings.learning_rate, settings.momentum)
            first = t + 1
        copy_into(c, h)  # the copy link: c_{t+1} = h_t
    copy_into(context, c)


def new_ring(capacity: int, n_hidden: int, n_out: int) -> Ring:
    return Ring(
        np.zeros((capacity, n_hidden)), np.zeros((capacity, n_hidden)), np.zeros((capacity, n_out))
    )


def warm_up() -> None:
    """Compile (or load from Numba's disk cache) the general kernel, on a tiny net."""
    net, params, steps = tiny_problem()
    schedule = SRNSchedule(through_time=None, update_every=None)
    is_reset = np.zeros(len(steps), dtype=np.bool_)
    weights = kernel_weights(params)
    train_pass_general(
        weights,
        zeros_like(weights),
        zeros_like(weights),
        kernel_streams(steps, steps, is_reset),
        kernel_settings(net, schedule),
        new_ring(ring_capacity(is_reset, schedule), net.n_hidden, net.n_out),
        net.start_context(),
        np.zeros(3),
        np.zeros(0),
    )
