"""The building blocks of the compiled kernels: one unit's function, slope and error, a whole
layer's activation, and the vector loops every kernel is made of.

The SRN kernels (``kernels_srn_*``) and the feedforward loop (``kernels_ff``) call these. The
unit formulas are not written here: ``activate`` and ``slope`` compile the scalar functions of
``activations.py`` (the worked example's too), and the cross-entropy clip is ``losses.CE_EPS``.
Activation functions and losses travel as small integer codes (``ACTIVATION_CODES``,
``LOSS_CODES``), since a compiled loop cannot hold a Python function.

Nothing compiles on import: each kernel compiles on its first call and is cached on disk
(``cache=True``), beside this file. Numba checks a cached kernel against its own source file
only, not against the files of the functions it calls (``activations.py`` here,
``srn_reference.backprop_limit`` in ``kernels_srn_general``), so importing this module first
drops a cache made from other sources (``kernel_cache``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit

from srnlab import activations
from srnlab.activations import LOGISTIC_NET_LIMIT
from srnlab.kernel_cache import forget_stale_kernels
from srnlab.losses import CE_EPS

forget_stale_kernels()  # before any kernel of any module is loaded from the cache

Array = np.ndarray

LOGISTIC, TANH, LINEAR, CLAMPED_LOGISTIC = 0, 1, 2, 3
ACTIVATION_CODES = {
    "logistic": LOGISTIC,
    "tanh": TANH,
    "linear": LINEAR,
    "clamped_logistic": CLAMPED_LOGISTIC,
}
SQUARED, HALF_SQUARED, CROSS_ENTROPY = 0, 1, 2
LOSS_CODES = {"squared": SQUARED, "half_squared": HALF_SQUARED, "cross_entropy": CROSS_ENTROPY}

# Every kernel compiles on its first call and is cached on disk. The one fast-math liberty is
# "contract": a multiply and an add may become one FMA instruction (one rounding instead of two,
# as OpenBLAS does in the reference's matrix products). Sums keep their order; infinities and
# NaNs behave as IEEE arithmetic says.
# error_model "numpy": a division by zero gives inf/nan as in NumPy (the reference) instead of
# a Python exception, whose check in every division would stop the loops from vectorising.
KERNEL: dict[str, Any] = {"cache": True, "fastmath": {"contract"}, "error_model": "numpy"}
# The building blocks (here and in each kernel module) take arrays but never allocate one, so
# they compile without Numba's reference counting (NRT): then a call takes no reference on its
# array arguments, nor does a row view of one. With it, each such call or view cost a pair of
# calls to NRT_incref/NRT_decref, each an atomic instruction, dozens per step: 40% of the time
# of a 1-2-1 net's step (temporal XOR), 13% of the 6-20-6 letters net's; the numbers are the
# same. Only the kernels that allocate (``train_pass_*``, ``forward_pass``) keep the NRT (an
# allocation in a building block fails to compile, so none can creep in unnoticed).
PIECE: dict[str, Any] = {**KERNEL, "_nrt": False}


# ---- one unit: activation, slope, error ----------------------------------------------------

# activations.py's scalar formulas, compiled as they are
logistic = njit(**KERNEL)(activations.logistic)
clamped_logistic = njit(**KERNEL)(activations.clamped_logistic)
logistic_slope = njit(**KERNEL)(activations.logistic_slope)
tanh_slope = njit(**KERNEL)(activations.tanh_slope)


@njit(**KERNEL)
def activate(code: int, x: float) -> float:
    """a = f(x)."""
    if code == LOGISTIC:
        return logistic(x)
    if code == TANH:
        return math.tanh(x)
    if code == CLAMPED_LOGISTIC:
        return clamped_logistic(x)
    return x


@njit(**KERNEL)
def slope(code: int, a: float) -> float:
    """da/dx = f'(x), written from the output a."""
    if code == LOGISTIC or code == CLAMPED_LOGISTIC:
        return logistic_slope(a)
    if code == TANH:
        return tanh_slope(a)
    return 1.0


@njit(**KERNEL)
def unit_error(code: int, y: float, a: float) -> float:
    """E of one output unit with target y and activation a (as ``losses.LOSSES``)."""
    if code == SQUARED:
        return (y - a) * (y - a)
    if code == HALF_SQUARED:
        return 0.5 * (y - a) * (y - a)
    a = min(max(a, CE_EPS), 1.0 - CE_EPS)
    return -(y * math.log(a) + (1.0 - y) * math.log(1.0 - a))


@njit(**KERNEL)
def output_delta(loss_code: int, act_code: int, y: float, a: float) -> float:
    """dE/dx of an output unit = dE/da * da/dx (cross-entropy on logistic units: a - y, as
    ``losses.output_delta``)."""
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


@njit(**PIECE)
def logistic_layer(net: Array, out: Array, scratch: Array) -> None:
    """out = 1 / (1 + e^-net) for every unit (net clipped to +-709, as ``activations.logistic``).

    ``scratch`` is a (2, n) float64 work array; ``net`` and ``out`` may be the same array.
    """
    n = net.shape[0]
    shifted = scratch[0, :n]  # -net / ln 2 + 1.5 * 2^52: k in its low bits, then 2^k
    poly = scratch[1, :n]  # e^r
    bits = shifted.view(np.int64)
    for i in range(n):
        x = -min(max(net[i], -LOGISTIC_NET_LIMIT), LOGISTIC_NET_LIMIT)
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


@njit(**PIECE)
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

#: ``dot``'s options: the one reassociated sum; no NRT, as every building block
DOT: dict[str, Any] = {"cache": True, "fastmath": {"contract", "reassoc"}, "_nrt": False}


@njit(**DOT)
def dot(u: Array, v: Array) -> float:
    """sum_j u_j v_j. The only reassociated sum: it lets the loop vectorise."""
    total = 0.0
    for j in range(u.shape[0]):
        total += u[j] * v[j]
    return total


@njit(**PIECE)
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


@njit(**PIECE)
def copy_into(out: Array, v: Array) -> None:
    """out[:n] = v for the n values of v, as a plain loop. (Numba compiles ``out[:n] = v`` with
    a check that the shapes match, whose error message pulls in its whole string library:
    seconds of every cold compile.)"""
    for i in range(v.shape[0]):
        out[i] = v[i]


@njit(**PIECE)
def add_outer(G: Array, u: Array, v: Array) -> None:
    """G += u v^T (a rank-1 term of a gradient), row by row."""
    for j in range(G.shape[0]):
        uj = u[j]
        row = G[j]
        for i in range(G.shape[1]):
            row[i] += uj * v[i]


@njit(**PIECE)
def descend(w: Array, v: Array, g: Array, learning_rate: float, momentum: float) -> None:
    """delta_w = -lr g + momentum * delta_w (kept in v); w += delta_w. Any shape, C order."""
    w1, v1, g1 = w.reshape(w.size), v.reshape(v.size), g.reshape(g.size)
    for n in range(w1.shape[0]):
        v1[n] = momentum * v1[n] - learning_rate * g1[n]
        w1[n] += v1[n]


def warm_up() -> None:
    """Nothing of its own to compile: these blocks compile as parts of the kernels that call
    them (``kernels_srn_*``, ``kernels_ff``), with the argument types those pass."""
