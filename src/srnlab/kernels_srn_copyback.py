"""Online copy-back (Elman's protocol: ``through_time=1``, ``update_every=1``), compiled: the
hot loop of every SRN recipe, near the machine's limit.

Per step it does what ``srn_reference.train_pass`` does at (1, 1), in the same order: the
forward step, delta_y, the error sent back through W_hy, delta_h, and every weight's update
with the context held fixed. What differs is how often each weight matrix is read: **each is
streamed as few times per step as possible.** The update of step t is fused with the product
step t + 1 needs: one sweep over W_ch reads each weight, applies the step's rank-1 update and
adds the new weight times the next context to the next net input. W_hy takes two sweeps: the
forward product, then one sweep that sends the error back (with the old weights, as the chain
rule requires) and updates the weight. ``kernels_srn_general`` computes the same numbers with
one plain sweep per job (tested equal).
"""

from __future__ import annotations

import numpy as np
from numba import njit

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
from srnlab.kernels_units import KERNEL, PIECE, activate_layer, add_rows, copy_into, slope
from srnlab.srn_model import SRNSchedule

Array = np.ndarray


# ---- sweeps that do two jobs at once -------------------------------------------------------


@njit(**PIECE)
def descend_and_add_rows(
    WT: Array, V: Array, u: Array, step: Array, momentum: float, coeff: Array, out: Array
) -> None:
    """One sweep over WT (rows j, weights out of unit j) that does two jobs per weight:

    1. this step's update. The gradient of WT[j, i] is u_j delta_i, and step = lr * delta:
       momentum 0:  w <- w - u_j step_i
       momentum m:  v <- m v - u_j step_i;  w <- w + v
    2. the next step's product with the *updated* weights: out += sum_j coeff_j WT[j, :].
    """
    n_rows, n = WT.shape
    if momentum == 0.0:
        j = 0
        while j + 4 <= n_rows:  # four rows at a time: `out` is read and written once
            u0, u1, u2, u3 = u[j], u[j + 1], u[j + 2], u[j + 3]
            c0, c1, c2, c3 = coeff[j], coeff[j + 1], coeff[j + 2], coeff[j + 3]
            r0, r1, r2, r3 = WT[j], WT[j + 1], WT[j + 2], WT[j + 3]
            for i in range(n):
                s = step[i]
                w0 = r0[i] - u0 * s
                w1 = r1[i] - u1 * s
                w2 = r2[i] - u2 * s
                w3 = r3[i] - u3 * s
                r0[i], r1[i], r2[i], r3[i] = w0, w1, w2, w3
                out[i] = out[i] + w0 * c0 + w1 * c1 + w2 * c2 + w3 * c3
            j += 4
        while j < n_rows:
            u0, c0, r0 = u[j], coeff[j], WT[j]
            for i in range(n):
                w0 = r0[i] - u0 * step[i]
                r0[i] = w0
                out[i] = out[i] + w0 * c0
            j += 1
    else:
        j = 0
        while j + 2 <= n_rows:  # two rows at a time: W and V are both streamed here
            u0, u1, c0, c1 = u[j], u[j + 1], coeff[j], coeff[j + 1]
            r0, r1, q0, q1 = WT[j], WT[j + 1], V[j], V[j + 1]
            for i in range(n):
                s = step[i]
                v0 = momentum * q0[i] - u0 * s
                v1 = momentum * q1[i] - u1 * s
                q0[i], q1[i] = v0, v1
                w0 = r0[i] + v0
                w1 = r1[i] + v1
                r0[i], r1[i] = w0, w1
                out[i] = out[i] + w0 * c0 + w1 * c1
            j += 2
        while j < n_rows:
            u0, c0, r0, q0 = u[j], coeff[j], WT[j], V[j]
            for i in range(n):
                v0 = momentum * q0[i] - u0 * step[i]
                q0[i] = v0
                w0 = r0[i] + v0
                r0[i] = w0
                out[i] = out[i] + w0 * c0
            j += 1


@njit(**PIECE)
def backprop_and_descend(
    W: Array, V: Array, delta: Array, step: Array, a: Array, momentum: float, dE_da: Array
) -> None:
    """One sweep over W (O, H) that sends the error back and then updates each weight:

    dE_da += W^T delta with the weights as they were (the chain rule's dx/da = w), then the
    update with gradient delta_o a_j (step = lr * delta), with or without momentum.
    """
    n_rows, n = W.shape
    if momentum == 0.0:
        o = 0
        while o + 4 <= n_rows:
            d0, d1, d2, d3 = delta[o], delta[o + 1], delta[o + 2], delta[o + 3]
            s0, s1, s2, s3 = step[o], step[o + 1], step[o + 2], step[o + 3]
            r0, r1, r2, r3 = W[o], W[o + 1], W[o + 2], W[o + 3]
            for j in range(n):
                w0, w1, w2, w3 = r0[j], r1[j], r2[j], r3[j]
                dE_da[j] = dE_da[j] + w0 * d0 + w1 * d1 + w2 * d2 + w3 * d3
                aj = a[j]
                r0[j] = w0 - s0 * aj
                r1[j] = w1 - s1 * aj
                r2[j] = w2 - s2 * aj
                r3[j] = w3 - s3 * aj
            o += 4
        while o < n_rows:
            d0, s0, r0 = delta[o], step[o], W[o]
            for j in range(n):
                w0 = r0[j]
                dE_da[j] = dE_da[j] + w0 * d0
                r0[j] = w0 - s0 * a[j]
            o += 1
    else:
        o = 0
        while o + 2 <= n_rows:
            d0, d1, s0, s1 = delta[o], delta[o + 1], step[o], step[o + 1]
            r0, r1, q0, q1 = W[o], W[o + 1], V[o], V[o + 1]
            for j in range(n):
                w0, w1 = r0[j], r1[j]
                dE_da[j] = dE_da[j] + w0 * d0 + w1 * d1
                aj = a[j]
                v0 = momentum * q0[j] - s0 * aj
                v1 = momentum * q1[j] - s1 * aj
                q0[j], q1[j] = v0, v1
                r0[j], r1[j] = w0 + v0, w1 + v1
            o += 2
        while o < n_rows:
            d0, s0, r0, q0 = delta[o], step[o], W[o], V[o]
            for j in range(n):
                w0 = r0[j]
                dE_da[j] = dE_da[j] + w0 * d0
                v0 = momentum * q0[j] - s0 * a[j]
                q0[j] = v0
                r0[j] = w0 + v0
            o += 1


@njit(**PIECE)
def descend_bias(b: Array, v: Array, step: Array, momentum: float) -> None:
    """The bias unit is always on, so a bias's gradient is its unit's delta."""
    for i in range(b.shape[0]):
        if momentum == 0.0:
            b[i] -= step[i]
        else:
            v[i] = momentum * v[i] - step[i]
            b[i] += v[i]


@njit(**PIECE)
def descend_input_weights(
    W_xhT: Array,
    V_xhT: Array,
    x_dense: Array,
    x_index: Array,
    t: int,
    step: Array,
    momentum: float,
) -> None:
    """Update W_xh with gradient delta_h x_t^T. One-hot without momentum: one row changes."""
    if x_index.shape[0] > 0 and momentum == 0.0:
        row = W_xhT[x_index[t]]
        for i in range(row.shape[0]):
            row[i] -= step[i]
        return
    for j in range(W_xhT.shape[0]):
        if x_index.shape[0] > 0:
            xj = 1.0 if x_index[t] == j else 0.0
        else:
            xj = x_dense[t, j]
        row, vrow = W_xhT[j], V_xhT[j]
        for i in range(row.shape[0]):
            if momentum == 0.0:
                row[i] -= xj * step[i]
            else:
                vrow[i] = momentum * vrow[i] - xj * step[i]
                row[i] += vrow[i]


@njit(**PIECE)
def all_true(marks: Array) -> bool:
    """Is every mark set? (Stops at the first that is not.)"""
    for i in range(marks.shape[0]):
        if not marks[i]:
            return False
    return True


# ---- the pass ------------------------------------------------------------------------------


@njit(**KERNEL)
def train_pass_copyback(
    weights: Weights,
    velocity: Weights,
    streams: Streams,
    settings: Settings,
    context: Array,
    sums: Array,
    running_sse: Array,
) -> None:
    """One pass of online copy-back training, in place.

    Per step t: net_h = W_xh x_t + W_ch c_t + b_h, h = f_h(net_h), yhat = f_y(W_hy h + b_y);
    delta_y = dE_t/dnet_y; dE_t/dh = W_hy^T delta_y; delta_h = dE_t/dh * f_h'(net_h); then
    every weight takes w <- w - lr dE_t/dw (with momentum: through v), the context held fixed.
    ``context`` holds c_0 on entry and the carried context on exit; sums += (E, Eucl., SSE);
    ``running_sse[t]``, unless it is empty, gets sums[2] as it is after step t.

    A context that starts at 0 and is reset before every step stays 0 (``time_as_space``'s
    feedforward net over a window is such an SRN): then, without momentum, the W_ch sweep is
    skipped, since its update subtracts c_j step_i = 0 from each weight and its product
    W_ch c_{t+1} is 0 (as is the sum the sweep makes of it): every finite number stays as it
    was, and such a net's step takes about 0.77x the time. With momentum each velocity
    decays, so the sweep runs. (Decided once per pass: a check per step cost the letters net
    1-3% more time per step.)
    """
    W_xhT, W_chT, W_hy, b_h, b_y = weights
    V_xhT, V_chT, V_hy, v_h, v_y = velocity
    x_dense, x_index, y_dense, y_index, is_reset = streams
    learning_rate, momentum = settings.learning_rate, settings.momentum
    n_hidden, n_out = b_h.shape[0], b_y.shape[0]
    c = context.copy()  # c_t
    next_c = np.empty(n_hidden)  # c_{t+1}
    ch = np.zeros(n_hidden)  # W_ch c_t, computed during the previous step's W_ch sweep
    h, dE_dh, step_h = np.empty(n_hidden), np.empty(n_hidden), np.empty(n_hidden)
    yhat, delta_y, step_y = np.empty(n_out), np.empty(n_out), np.empty(n_out)  # step = lr delta
    scratch = np.empty((2, max(n_hidden, n_out)))
    if is_reset.shape[0] > 0 and is_reset[0]:
        c[:] = settings.context_start
    add_rows(ch, W_chT, c)
    zero_context = momentum == 0.0 and settings.context_start == 0.0 and all_true(is_reset)
    for t in range(is_reset.shape[0]):
        # forward: h_t = f_h(W_ch c_t + W_xh x_t + b_h)
        add_input(ch, W_xhT, x_dense, x_index, t)
        for i in range(n_hidden):
            h[i] = ch[i] + b_h[i]  # net_h, activated in place
        activate_layer(settings.hidden, h, h, scratch)
        output_step(W_hy, b_y, h, y_dense, y_index, t, settings, yhat, delta_y, sums, scratch)
        if running_sse.shape[0] > 0:
            running_sse[t] = sums[2]
        for o in range(n_out):
            step_y[o] = learning_rate * delta_y[o]
        # backward: dE_t/dh = W_hy^T delta_y (old W_hy), in the same sweep as W_hy's update
        dE_dh[:] = 0.0
        backprop_and_descend(W_hy, V_hy, delta_y, step_y, h, momentum, dE_dh)
        descend_bias(b_y, v_y, step_y, momentum)
        for i in range(n_hidden):
            step_h[i] = learning_rate * (dE_dh[i] * slope(settings.hidden, h[i]))  # lr delta_h
        descend_bias(b_h, v_h, step_h, momentum)
        descend_input_weights(W_xhT, V_xhT, x_dense, x_index, t, step_h, momentum)
        # the copy link: c_{t+1} = h_t, unless step t + 1 starts a new sequence
        if t + 1 < is_reset.shape[0] and is_reset[t + 1]:
            next_c[:] = settings.context_start
        else:
            copy_into(next_c, h)
        # W_ch's update (gradient delta_h c_t^T) and W_ch c_{t+1}, in one sweep
        ch[:] = 0.0
        if not zero_context:
            descend_and_add_rows(W_chT, V_chT, c, step_h, momentum, next_c, ch)
        copy_into(c, next_c)
    copy_into(context, c)


def warm_up() -> None:
    """Compile (or load from Numba's disk cache) the copy-back kernel, on a tiny net."""
    net, params, steps = tiny_problem()
    schedule = SRNSchedule()
    weights = kernel_weights(params)
    streams = kernel_streams(steps, steps, np.zeros(len(steps), dtype=np.bool_))
    train_pass_copyback(
        weights,
        zeros_like(weights),
        streams,
        kernel_settings(net, schedule),
        net.start_context(),
        np.zeros(3),
        np.zeros(0),
    )
