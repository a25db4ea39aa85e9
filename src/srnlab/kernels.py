"""The compiled fast path of ``srn.py``: the same maths as Numba loops, near the machine's limit.

``srn.py`` is the reference; every kernel here computes the same numbers up to the order of
floating-point sums, and ``tests/test_srn_fastpath.py`` holds them to 1e-12. Nothing compiles
on import: each kernel compiles on its first call and is cached on disk (``cache=True``).

Why the loops look the way they do
----------------------------------
- **Weights out of a layer are stored row by row of the sending unit.** The kernels keep
  W_xh and W_ch transposed: row j of ``W_xhT`` / ``W_chT`` holds the weights *out of* input or
  context unit j. Then the net input W c is a sum of rows, ``sum_j c_j W_chT[j, :]``: an
  inner loop over contiguous memory with no running sum, which LLVM vectorises without
  reordering any addition (a dot-product loop would need ``fastmath`` to vectorise, and
  Numba leaves SLP vectorisation off). A one-hot input is the contiguous row
  ``W_xhT[index]`` (the column W_xh[:, index] of the reference), and its update touches that
  row only. W_hy stays (O, H): its backward product W_hy^T delta_y is then the sum of rows.
- **Each weight matrix is streamed as few times per step as possible.** Online copy-back
  (Elman's protocol, the hot loop) fuses the update of step t with the product step t + 1
  needs: one sweep over W_ch reads each weight, applies the step's rank-1 update and adds the
  new weight times the next context to the next net input. W_hy takes two sweeps: the
  forward product, then one sweep that sends the error back (with the old weights, as the
  chain rule requires) and updates the weight.
- **No allocation inside the loops**; every array is C-contiguous and walked in row order.
- **Exact arithmetic.** No kernel is compiled with ``fastmath``; the one exception is ``dot``,
  which may reassociate its running sum so that it vectorises (the reference's BLAS reorders
  its sums too).

Activation functions and losses are passed as small integer codes (``ACTIVATION_CODES``,
``LOSS_CODES``); the formulas are those of ``activations.py`` and ``losses.py``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numba import njit

from srnlab.srn import SRN, SRNParams, SRNSchedule, SRNTrace, Stream

Array = np.ndarray

LOGISTIC, TANH, LINEAR, CLAMPED_LOGISTIC = 0, 1, 2, 3
ACTIVATION_CODES = {
    "logistic": LOGISTIC,
    "tanh": TANH,
    "linear": LINEAR,
    "clamped_logistic": CLAMPED_LOGISTIC,
}
NET_CLAMP = 10.0  # as activations.TLEARN_NET_CLAMP
SQUARED, HALF_SQUARED, CROSS_ENTROPY = 0, 1, 2
LOSS_CODES = {"squared": SQUARED, "half_squared": HALF_SQUARED, "cross_entropy": CROSS_ENTROPY}
CE_EPS = 1e-15  # as losses._CE_EPS: clip inside the logarithm only

# Every kernel compiles on its first call and is cached on disk. The one fast-math liberty is
# "contract": a multiply and an add may become one FMA instruction (one rounding instead of two,
# as OpenBLAS does in the reference's matrix products). Sums keep their order; infinities and
# NaNs behave as IEEE arithmetic says.
# error_model "numpy": a division by zero gives inf/nan as in NumPy (the reference) instead of
# a Python exception, whose check in every division would stop the loops from vectorising.
KERNEL: dict[str, Any] = {"cache": True, "fastmath": {"contract"}, "error_model": "numpy"}

# How far an error flows back (srn.py's ``through_time``), as a code for the general kernel.
BACK_K_STEPS, BACK_TO_SEQUENCE_START, BACK_TO_WINDOW_START = 0, 1, 2


# ---- one unit: activation, slope, error ----------------------------------------------------


@njit(**KERNEL)
def activate(code: int, x: float) -> float:
    """a = f(x)."""
    if code == LOGISTIC:
        return 1.0 / (1.0 + math.exp(-min(max(x, -709.0), 709.0)))  # as activations._logistic
    if code == TANH:
        return math.tanh(x)
    if code == CLAMPED_LOGISTIC:
        return 1.0 / (1.0 + math.exp(-min(max(x, -NET_CLAMP), NET_CLAMP)))
    return x


@njit(**KERNEL)
def slope(code: int, a: float) -> float:
    """da/dx = f'(x), written from the output a."""
    if code == LOGISTIC or code == CLAMPED_LOGISTIC:
        return a * (1.0 - a)
    if code == TANH:
        return 1.0 - a * a
    return 1.0


@njit(**KERNEL)
def unit_error(code: int, y: float, a: float) -> float:
    """E of one output unit with target y and activation a."""
    if code == SQUARED:
        return (y - a) * (y - a)
    if code == HALF_SQUARED:
        return 0.5 * (y - a) * (y - a)
    a = min(max(a, CE_EPS), 1.0 - CE_EPS)
    return -(y * math.log(a) + (1.0 - y) * math.log(1.0 - a))


@njit(**KERNEL)
def output_delta(loss_code: int, act_code: int, y: float, a: float) -> float:
    """dE/dx of an output unit = dE/da * da/dx (cross-entropy on logistic units: a - y)."""
    if loss_code == CROSS_ENTROPY and (act_code == LOGISTIC or act_code == CLAMPED_LOGISTIC):
        return a - y
    if loss_code == SQUARED:
        dE_da = -2.0 * (y - a)
    elif loss_code == HALF_SQUARED:
        dE_da = -(y - a)
    else:
        dE_da = (a - y) / (a * (1.0 - a))
    return dE_da * slope(act_code, a)


# ---- a whole layer's activation -------------------------------------------------------------
#
# math.exp is a scalar library call (about 3 ns; Numba's vectorised SVML exp needs a patched
# LLVM that PyPI's llvmlite lacks), and a logistic layer calls it once per unit: 181 calls are
# 15% of a sentence-scale step. So the logistic layer computes e^-x itself, in three loops the
# compiler vectorises:
#   e^x = 2^k e^r,  k = round(x / ln 2),  r = x - k ln 2 in [-ln2/2, ln2/2]
#   e^r by its Taylor series to r^13 (truncation below 1e-17), 2^k built in the exponent bits.
# k is rounded by adding 1.5 * 2^52, which leaves k in the low bits of the sum (no float-to-int
# conversion, which AVX2 lacks). Measured against NumPy's exp-based logistic on 300,000 points
# in [-800, 800]: at most 4 ulp apart (relative 5e-16); tests hold it to 2e-15.

LOG2E = 1.4426950408889634  # 1 / ln 2
LN2_HI = 0.6931471803691238  # ln 2 split in two (Cody & Waite), so k * LN2_HI is exact
LN2_LO = 1.9082149292705877e-10
ROUNDER = 6755399441055744.0  # 1.5 * 2^52
ROUNDER_BITS = int(np.float64(ROUNDER).view(np.int64))
VECTOR_LOGISTIC_MIN_UNITS = 32


@njit(**KERNEL)
def logistic_layer(net: Array, out: Array, scratch: Array) -> None:
    """out = 1 / (1 + e^-net) for every unit (net clipped to +-709, as activations._logistic).

    ``scratch`` is a (2, n) float64 work array; ``net`` and ``out`` may be the same array.
    """
    n = net.shape[0]
    shifted = scratch[0, :n]  # -net / ln 2 + 1.5 * 2^52: k in its low bits, then 2^k
    poly = scratch[1, :n]  # e^r
    bits = shifted.view(np.int64)
    for i in range(n):
        x = -min(max(net[i], -709.0), 709.0)
        rounded = x * LOG2E + ROUNDER
        shifted[i] = rounded
        k = rounded - ROUNDER
        r = (x - k * LN2_HI) - k * LN2_LO
        q = 1.0 / 6227020800.0  # 1/13!, then Horner down to 1/0!
        q = q * r + 1.0 / 479001600.0
        q = q * r + 1.0 / 39916800.0
        q = q * r + 1.0 / 3628800.0
        q = q * r + 1.0 / 362880.0
        q = q * r + 1.0 / 40320.0
        q = q * r + 1.0 / 5040.0
        q = q * r + 1.0 / 720.0
        q = q * r + 1.0 / 120.0
        q = q * r + 1.0 / 24.0
        q = q * r + 1.0 / 6.0
        q = q * r + 0.5
        q = q * r + 1.0
        poly[i] = q * r + 1.0
    for i in range(n):  # 2^k: k + 1023 in the exponent field
        bits[i] = (bits[i] - ROUNDER_BITS + 1023) << 52
    for i in range(n):
        out[i] = 1.0 / (1.0 + poly[i] * shifted[i])


@njit(**KERNEL)
def activate_layer(code: int, net: Array, out: Array, scratch: Array) -> None:
    """out = f(net) for a whole layer (``net`` and ``out`` may be the same array).

    Small logistic layers call math.exp per unit: below about 32 units the vector loops cost
    more than they save (measured: the 6-20-6 letters net, 0.70 -> 0.59 us per step)."""
    if code == LOGISTIC and net.shape[0] >= VECTOR_LOGISTIC_MIN_UNITS:
        logistic_layer(net, out, scratch)
        return
    for i in range(net.shape[0]):
        out[i] = activate(code, net[i])


# ---- vector building blocks ----------------------------------------------------------------


@njit(cache=True, fastmath={"contract", "reassoc"})
def dot(u: Array, v: Array) -> float:
    """sum_j u_j v_j. The only reassociated sum: it lets the loop vectorise."""
    total = 0.0
    for j in range(u.shape[0]):
        total += u[j] * v[j]
    return total


@njit(**KERNEL)
def add_rows(out: Array, M: Array, coeff: Array) -> None:
    """out += sum_j coeff_j M[j, :], summed in order j = 0, 1, ...

    With M = W^T this is out += W coeff. Four rows per sweep, so ``out`` is read and written
    once per four rows; the additions stay in order j.
    """
    n_rows, n = M.shape
    j = 0
    while j + 4 <= n_rows:
        c0, c1, c2, c3 = coeff[j], coeff[j + 1], coeff[j + 2], coeff[j + 3]
        r0, r1, r2, r3 = M[j], M[j + 1], M[j + 2], M[j + 3]
        for i in range(n):
            out[i] = out[i] + r0[i] * c0 + r1[i] * c1 + r2[i] * c2 + r3[i] * c3
        j += 4
    while j < n_rows:
        c0, r0 = coeff[j], M[j]
        for i in range(n):
            out[i] = out[i] + r0[i] * c0
        j += 1


@njit(**KERNEL)
def add_outer(G: Array, u: Array, v: Array) -> None:
    """G += u v^T (a rank-1 term of a gradient), row by row."""
    for j in range(G.shape[0]):
        uj = u[j]
        row = G[j]
        for i in range(G.shape[1]):
            row[i] += uj * v[i]


@njit(**KERNEL)
def descend(w: Array, v: Array, g: Array, learning_rate: float, momentum: float) -> None:
    """delta_w = -lr g + momentum * delta_w (kept in v); w += delta_w. Any shape, C order."""
    w1, v1, g1 = w.reshape(w.size), v.reshape(v.size), g.reshape(g.size)
    for n in range(w1.shape[0]):
        v1[n] = momentum * v1[n] - learning_rate * g1[n]
        w1[n] += v1[n]


# ---- the pieces of one step ----------------------------------------------------------------


@njit(**KERNEL)
def add_input(net_h: Array, W_xhT: Array, x_dense: Array, x_index: Array, t: int) -> None:
    """net_h += W_xh x_t: a row of W_xhT for a one-hot input, a sum of rows otherwise."""
    if x_index.shape[0] > 0:
        row = W_xhT[x_index[t]]
        for i in range(net_h.shape[0]):
            net_h[i] += row[i]
    else:
        add_rows(net_h, W_xhT, x_dense[t])


@njit(**KERNEL)
def target_of(y_dense: Array, y_index: Array, t: int, o: int) -> float:
    """y_t[o], from a dense row or a one-hot index."""
    if y_index.shape[0] > 0:
        return 1.0 if y_index[t] == o else 0.0
    return y_dense[t, o]


@njit(**KERNEL)
def output_step(
    W_hy: Array,
    b_y: Array,
    h: Array,
    y_dense: Array,
    y_index: Array,
    t: int,
    codes: tuple[int, int, int],
    yhat: Array,
    delta_y: Array,
    sums: Array,
    scratch: Array,
) -> None:
    """yhat = f_y(W_hy h + b_y); delta_y = dE_t/dnet_y; add (E_t, Euclidean, squared) to sums."""
    _, out_code, loss_code = codes
    for o in range(W_hy.shape[0]):
        yhat[o] = dot(W_hy[o], h) + b_y[o]  # net_y, activated in place below
    activate_layer(out_code, yhat, yhat, scratch)
    error = 0.0
    squared = 0.0
    for o in range(W_hy.shape[0]):
        a = yhat[o]
        y = target_of(y_dense, y_index, t, o)
        delta_y[o] = output_delta(loss_code, out_code, y, a)
        error += unit_error(loss_code, y, a)
        squared += (y - a) * (y - a)
    sums[0] += error
    sums[1] += math.sqrt(squared)
    sums[2] += squared


# ---- the frozen forward pass ---------------------------------------------------------------


@njit(**KERNEL)
def forward_pass(
    weights: tuple[Array, Array, Array, Array, Array],
    x_dense: Array,
    x_index: Array,
    is_reset: Array,
    context: Array,
    context_start: float,
    codes: tuple[int, int, int],
    contexts: Array,
    net_hidden: Array,
    hidden: Array,
    net_output: Array,
    outputs: Array,
) -> None:
    """Run the stream with frozen weights; fill the (T, .) arrays of the trace."""
    W_xhT, W_chT, W_hy, b_h, b_y = weights
    hid_code, out_code, _ = codes
    c = context.copy()
    scratch = np.empty((2, max(b_h.shape[0], b_y.shape[0])))
    for t in range(is_reset.shape[0]):
        if is_reset[t]:
            c[:] = context_start
        contexts[t] = c
        net_h = net_hidden[t]
        net_h[:] = 0.0
        add_rows(net_h, W_chT, c)  # W_ch c_t
        add_input(net_h, W_xhT, x_dense, x_index, t)  # + W_xh x_t
        for i in range(net_h.shape[0]):
            net_h[i] += b_h[i]
        activate_layer(hid_code, net_h, hidden[t], scratch)
        for o in range(W_hy.shape[0]):
            net_output[t, o] = dot(W_hy[o], hidden[t]) + b_y[o]
        activate_layer(out_code, net_output[t], outputs[t], scratch)
        c[:] = hidden[t]  # the copy link


# ---- online copy-back: the hot loop --------------------------------------------------------


@njit(**KERNEL)
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


@njit(**KERNEL)
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


@njit(**KERNEL)
def descend_bias(b: Array, v: Array, step: Array, momentum: float) -> None:
    """The bias unit is always on, so a bias's gradient is its unit's delta."""
    for i in range(b.shape[0]):
        if momentum == 0.0:
            b[i] -= step[i]
        else:
            v[i] = momentum * v[i] - step[i]
            b[i] += v[i]


@njit(**KERNEL)
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


@njit(**KERNEL)
def train_pass_copyback(
    weights: tuple[Array, Array, Array, Array, Array],
    velocity: tuple[Array, Array, Array, Array, Array],
    x_dense: Array,
    x_index: Array,
    y_dense: Array,
    y_index: Array,
    is_reset: Array,
    context: Array,
    context_start: float,
    learning_rate: float,
    momentum: float,
    codes: tuple[int, int, int],
    sums: Array,
) -> None:
    """One pass of online copy-back training (through_time=1, update_every=1), in place.

    Per step t: net_h = W_xh x_t + W_ch c_t + b_h, h = f_h(net_h), yhat = f_y(W_hy h + b_y);
    delta_y = dE_t/dnet_y; dE_t/dh = W_hy^T delta_y; delta_h = dE_t/dh * f_h'(net_h); then
    every weight takes w <- w - lr dE_t/dw (with momentum: through v), the context held fixed.
    ``context`` holds c_0 on entry and the carried context on exit; sums += (E, Eucl., SSE).
    """
    W_xhT, W_chT, W_hy, b_h, b_y = weights
    V_xhT, V_chT, V_hy, v_h, v_y = velocity
    hid_code = codes[0]
    n_hidden, n_out = b_h.shape[0], b_y.shape[0]
    c = context.copy()  # c_t
    next_c = np.empty(n_hidden)  # c_{t+1}
    ch = np.zeros(n_hidden)  # W_ch c_t, computed during the previous step's W_ch sweep
    h = np.empty(n_hidden)
    yhat = np.empty(n_out)
    delta_y = np.empty(n_out)
    step_y = np.empty(n_out)  # lr * delta_y
    dE_dh = np.empty(n_hidden)
    step_h = np.empty(n_hidden)  # lr * delta_h
    scratch = np.empty((2, max(n_hidden, n_out)))
    if is_reset.shape[0] > 0 and is_reset[0]:
        c[:] = context_start
    add_rows(ch, W_chT, c)
    for t in range(is_reset.shape[0]):
        # forward: h_t = f_h(W_ch c_t + W_xh x_t + b_h)
        add_input(ch, W_xhT, x_dense, x_index, t)
        for i in range(n_hidden):
            h[i] = ch[i] + b_h[i]  # net_h, activated in place
        activate_layer(hid_code, h, h, scratch)
        output_step(W_hy, b_y, h, y_dense, y_index, t, codes, yhat, delta_y, sums, scratch)
        for o in range(n_out):
            step_y[o] = learning_rate * delta_y[o]
        # backward: dE_t/dh = W_hy^T delta_y (old W_hy), in the same sweep as W_hy's update
        dE_dh[:] = 0.0
        backprop_and_descend(W_hy, V_hy, delta_y, step_y, h, momentum, dE_dh)
        descend_bias(b_y, v_y, step_y, momentum)
        for i in range(n_hidden):
            step_h[i] = learning_rate * (dE_dh[i] * slope(hid_code, h[i]))  # lr * delta_h
        descend_bias(b_h, v_h, step_h, momentum)
        descend_input_weights(W_xhT, V_xhT, x_dense, x_index, t, step_h, momentum)
        # the copy link: c_{t+1} = h_t, unless step t + 1 starts a new sequence
        if t + 1 < is_reset.shape[0] and is_reset[t + 1]:
            next_c[:] = context_start
        else:
            next_c[:] = h
        # W_ch's update (gradient delta_h c_t^T) and W_ch c_{t+1}, in one sweep
        ch[:] = 0.0
        descend_and_add_rows(W_chT, V_chT, c, step_h, momentum, next_c, ch)
        c[:] = next_c
    context[:] = c


# ---- every other mode: a ring buffer of stored steps ---------------------------------------


@njit(**KERNEL)
def descend_all(
    weights: tuple[Array, Array, Array, Array, Array],
    velocity: tuple[Array, Array, Array, Array, Array],
    grads: tuple[Array, Array, Array, Array, Array],
    learning_rate: float,
    momentum: float,
) -> None:
    """The momentum update of every parameter array from the window's gradient."""
    descend(weights[0], velocity[0], grads[0], learning_rate, momentum)
    descend(weights[1], velocity[1], grads[1], learning_rate, momentum)
    descend(weights[2], velocity[2], grads[2], learning_rate, momentum)
    descend(weights[3], velocity[3], grads[3], learning_rate, momentum)
    descend(weights[4], velocity[4], grads[4], learning_rate, momentum)


@njit(**KERNEL)
def backprop_window(
    weights: tuple[Array, Array, Array, Array, Array],
    grads: tuple[Array, Array, Array, Array, Array],
    x_dense: Array,
    x_index: Array,
    ring_c: Array,
    ring_h: Array,
    ring_dy: Array,
    first: int,
    last: int,
    seq_first: int,
    back_mode: int,
    k: int,
    hid_code: int,
    dE_dh: Array,
    delta_h: Array,
    carried: Array,
) -> None:
    """grads = sum over t in [first, last] of dE_t/dtheta, each error truncated at L(t).

    Mirrors srn._window_gradient; step tau's stored values are in ring slot tau % capacity.
    """
    _, W_chT, W_hy, _, _ = weights
    G_xhT, G_chT, G_hy, g_h, g_y = grads
    capacity = ring_h.shape[0]
    G_xhT.fill(0.0)
    G_chT.fill(0.0)
    G_hy.fill(0.0)
    g_h.fill(0.0)
    g_y.fill(0.0)
    if back_mode != BACK_K_STEPS:
        # All errors stop at the same step: one reverse sweep carries them together.
        limit = seq_first if back_mode == BACK_TO_SEQUENCE_START else first
        carried[:] = 0.0  # dE/dh_tau arriving from later steps
        for tau in range(last, limit - 1, -1):
            slot = tau % capacity
            dE_dh[:] = carried
            if tau >= first:  # E_tau is part of this update
                add_outer(G_hy, ring_dy[slot], ring_h[slot])  # dE/dW_hy = delta_y h^T
                g_y += ring_dy[slot]
                add_rows(dE_dh, W_hy, ring_dy[slot])  # + W_hy^T delta_y
            add_hidden_grads(
                grads, x_dense, x_index, ring_c, ring_h, tau, slot, hid_code, dE_dh, delta_h
            )
            if tau > limit:
                for j in range(carried.shape[0]):  # back through the copy link: W_ch^T delta_h
                    carried[j] = dot(W_chT[j], delta_h)
        return
    for t in range(first, last + 1):  # truncated BPTT(k): each error separately
        slot = t % capacity
        add_outer(G_hy, ring_dy[slot], ring_h[slot])
        g_y += ring_dy[slot]
        dE_dh[:] = 0.0
        add_rows(dE_dh, W_hy, ring_dy[slot])  # dE_t/dh_t = W_hy^T delta_y
        limit = max(seq_first, t - k + 1)
        for tau in range(t, limit - 1, -1):
            slot = tau % capacity
            add_hidden_grads(
                grads, x_dense, x_index, ring_c, ring_h, tau, slot, hid_code, dE_dh, delta_h
            )
            if tau > limit:
                for j in range(dE_dh.shape[0]):
                    dE_dh[j] = dot(W_chT[j], delta_h)


@njit(**KERNEL)
def add_hidden_grads(
    grads: tuple[Array, Array, Array, Array, Array],
    x_dense: Array,
    x_index: Array,
    ring_c: Array,
    ring_h: Array,
    tau: int,
    slot: int,
    hid_code: int,
    dE_dh: Array,
    delta_h: Array,
) -> None:
    """delta_h = dE/dh_tau * f_h'(net_h_tau); add delta_h x^T, delta_h c^T and delta_h."""
    G_xhT, G_chT, _, g_h, _ = grads
    h = ring_h[slot]
    for i in range(delta_h.shape[0]):
        delta_h[i] = dE_dh[i] * slope(hid_code, h[i])
        g_h[i] += delta_h[i]
    if x_index.shape[0] > 0:
        row = G_xhT[x_index[tau]]
        for i in range(delta_h.shape[0]):
            row[i] += delta_h[i]
    else:
        add_outer(G_xhT, x_dense[tau], delta_h)  # transposed: G_xhT[j, i] += x_j delta_i
    add_outer(G_chT, ring_c[slot], delta_h)


@njit(**KERNEL)
def train_pass_general(
    weights: tuple[Array, Array, Array, Array, Array],
    velocity: tuple[Array, Array, Array, Array, Array],
    grads: tuple[Array, Array, Array, Array, Array],
    x_dense: Array,
    x_index: Array,
    y_dense: Array,
    y_index: Array,
    is_reset: Array,
    context: Array,
    context_start: float,
    learning_rate: float,
    momentum: float,
    codes: tuple[int, int, int],
    back_mode: int,
    k: int,
    update_every: int,
    ring_c: Array,
    ring_h: Array,
    ring_dy: Array,
    sums: Array,
) -> None:
    """One pass of training in any mode (srn._train_pass_reference, compiled).

    ``back_mode``/``k`` say how far each error flows back; ``update_every`` = 0 means once
    per sequence. The ring buffers hold c, h and delta_y of the last ``capacity`` steps.
    """
    W_xhT, W_chT, W_hy, b_h, b_y = weights
    hid_code = codes[0]
    n_steps = is_reset.shape[0]
    n_hidden, n_out = b_h.shape[0], b_y.shape[0]
    capacity = ring_h.shape[0]
    c = context.copy()
    net_h = np.empty(n_hidden)
    yhat = np.empty(n_out)
    dE_dh = np.empty(n_hidden)
    delta_h = np.empty(n_hidden)
    carried = np.empty(n_hidden)
    scratch = np.empty((2, max(n_hidden, n_out)))
    seq_first = 0
    first = 0
    for t in range(n_steps):
        if is_reset[t]:
            c[:] = context_start
        if t == 0 or is_reset[t]:
            seq_first = t
            first = t
        slot = t % capacity
        net_h[:] = 0.0
        add_rows(net_h, W_chT, c)
        add_input(net_h, W_xhT, x_dense, x_index, t)
        for i in range(n_hidden):
            net_h[i] += b_h[i]
        activate_layer(hid_code, net_h, ring_h[slot], scratch)
        ring_c[slot] = c
        output_step(
            W_hy, b_y, ring_h[slot], y_dense, y_index, t, codes, yhat, ring_dy[slot], sums, scratch
        )
        sequence_ends = t + 1 == n_steps or is_reset[t + 1]
        if sequence_ends or (update_every > 0 and t + 1 - first == update_every):
            backprop_window(
                weights,
                grads,
                x_dense,
                x_index,
                ring_c,
                ring_h,
                ring_dy,
                first,
                t,
                seq_first,
                back_mode,
                k,
                hid_code,
                dE_dh,
                delta_h,
                carried,
            )
            descend_all(weights, velocity, grads, learning_rate, momentum)
            first = t + 1
        c[:] = ring_h[slot]
    context[:] = c


# ---- from srn.py's objects to the kernels and back -----------------------------------------


def _codes(net: SRN) -> tuple[int, int, int]:
    return (
        ACTIVATION_CODES[net.hidden_activation],
        ACTIVATION_CODES[net.output_activation],
        LOSS_CODES[net.loss],
    )


def _kernel_weights(params: SRNParams) -> tuple[Array, Array, Array, Array, Array]:
    """Copies in the kernels' layout: W_xh and W_ch transposed (rows = sending units)."""
    return (
        np.ascontiguousarray(params.W_xh.T, dtype=np.float64),
        np.ascontiguousarray(params.W_ch.T, dtype=np.float64),
        np.ascontiguousarray(params.W_hy, dtype=np.float64),
        np.ascontiguousarray(params.b_h, dtype=np.float64),
        np.ascontiguousarray(params.b_y, dtype=np.float64),
    )


def _write_back(weights: tuple[Array, ...], params: SRNParams) -> None:
    W_xhT, W_chT, W_hy, b_h, b_y = weights
    params.W_xh[...] = W_xhT.T
    params.W_ch[...] = W_chT.T
    params.W_hy[...] = W_hy
    params.b_h[...] = b_h
    params.b_y[...] = b_y


def _stream_arrays(stream: Stream) -> tuple[Array, Array]:
    """(dense, index) with an empty stand-in for the one not used (one compiled signature)."""
    if stream.index is not None:
        return np.zeros((0, 0)), stream.index
    assert stream.dense is not None
    return stream.dense, np.zeros(0, dtype=np.int64)


def _longest_sequence(is_reset: Array) -> int:
    starts = [0, *(int(t) for t in np.flatnonzero(is_reset) if t > 0), len(is_reset)]
    return max(b - a for a, b in itertools.pairwise(starts))


def ring_capacity(is_reset: Array, schedule: SRNSchedule) -> int:
    """How many past steps the general kernel must keep: the oldest step any error of an
    update window can reach, up to the window's last step."""
    longest = max(_longest_sequence(is_reset), 1)
    window = schedule.update_every or longest
    k = schedule.through_time
    if k is None:
        return longest
    if k == "window":
        return min(window, longest)
    return min(longest, window + int(k) - 1)


def is_online_copyback(schedule: SRNSchedule) -> bool:
    """Errors stop at their own step and weights change after every step."""
    return schedule.update_every == 1 and schedule.through_time in (1, "window")


def pass_runner(
    net: SRN,
    params: SRNParams,
    inputs: Stream,
    targets: Stream,
    is_reset: Array,
    schedule: SRNSchedule,
    *,
    force_general: bool = False,
) -> Callable[[Array], Array]:
    """A function that trains ``params`` for one pass (writing them back after it) and returns
    the pass's summed (E, Euclidean error, squared error); ``context`` carries, in place."""
    weights = _kernel_weights(params)
    velocity = tuple(np.zeros_like(w) for w in weights)
    x_dense, x_index = _stream_arrays(inputs)
    y_dense, y_index = _stream_arrays(targets)
    is_reset = np.ascontiguousarray(is_reset, dtype=np.bool_)
    codes = _codes(net)
    lr, momentum = float(schedule.learning_rate), float(schedule.momentum)
    start = float(net.context_start)

    if is_online_copyback(schedule) and not force_general:

        def run(context: Array) -> Array:
            sums = np.zeros(3)
            train_pass_copyback(
                weights,
                velocity,
                x_dense,
                x_index,
                y_dense,
                y_index,
                is_reset,
                context,
                start,
                lr,
                momentum,
                codes,
                sums,
            )
            _write_back(weights, params)
            return sums

        return run

    grads = tuple(np.zeros_like(w) for w in weights)
    capacity = ring_capacity(is_reset, schedule)
    ring_c = np.zeros((capacity, net.n_hidden))
    ring_h = np.zeros((capacity, net.n_hidden))
    ring_dy = np.zeros((capacity, net.n_out))
    k = schedule.through_time
    back_mode = (
        BACK_TO_SEQUENCE_START
        if k is None
        else BACK_TO_WINDOW_START
        if k == "window"
        else BACK_K_STEPS
    )
    k_steps = int(k) if isinstance(k, int) else 0
    update_every = int(schedule.update_every or 0)

    def run_general(context: Array) -> Array:
        sums = np.zeros(3)
        train_pass_general(
            weights,
            velocity,
            grads,
            x_dense,
            x_index,
            y_dense,
            y_index,
            is_reset,
            context,
            start,
            lr,
            momentum,
            codes,
            back_mode,
            k_steps,
            update_every,
            ring_c,
            ring_h,
            ring_dy,
            sums,
        )
        _write_back(weights, params)
        return sums

    return run_general


def run_forward(
    net: SRN, params: SRNParams, inputs: Stream, is_reset: Array, context0: Array
) -> SRNTrace:
    """The compiled frozen pass behind ``srn.run_srn``."""
    n_steps = len(inputs)
    x_dense, x_index = _stream_arrays(inputs)
    trace = SRNTrace(
        contexts=np.empty((n_steps, net.n_hidden)),
        net_hidden=np.empty((n_steps, net.n_hidden)),
        hidden=np.empty((n_steps, net.n_hidden)),
        net_output=np.empty((n_steps, net.n_out)),
        outputs=np.empty((n_steps, net.n_out)),
    )
    forward_pass(
        _kernel_weights(params),
        x_dense,
        x_index,
        np.ascontiguousarray(is_reset, dtype=np.bool_),
        np.ascontiguousarray(context0, dtype=np.float64),
        float(net.context_start),
        _codes(net),
        trace.contexts,
        trace.net_hidden,
        trace.hidden,
        trace.net_output,
        trace.outputs,
    )
    return trace


def warm_up() -> None:
    """Compile (or load from Numba's disk cache) the three kernels the SRN code calls, on a
    tiny net: each has one signature (``_stream_arrays`` passes both a dense and an index
    array), so this is every compilation a run needs."""
    from srnlab.srn import init_srn, run_srn, train_srn

    net = SRN(2, 2, 2)
    params = init_srn(2, 2, 2, np.random.default_rng(0), 0.5)
    steps = np.array([0, 1, 0], dtype=np.int64)
    for schedule in (SRNSchedule(), SRNSchedule(through_time=None, update_every=None)):
        train_srn(net, params, steps, steps, schedule, passes=1)
    run_srn(net, params, steps)
