r"""Simple recurrent networks (Elman, 1990): the maths, and the functions that train and run them.

An SRN is a feedforward net whose hidden layer also receives a copy of its own previous
state. For every step t of a stream (t = 0, 1, ..., T - 1)::

    c_t     = h_{t-1}                                  context: a fixed one-to-one copy
            = s                                         at the start and at every reset
    net_h_t = W_xh x_t + W_ch c_t + b_h                 net input of the hidden units
    h_t     = f_h(net_h_t)                              hidden activation
    net_y_t = W_hy h_t + b_y                            net input of the output units
    yhat_t  = f_y(net_y_t)                              the prediction
    E_t     = loss(y_t, yhat_t),   E = sum_t E_t        error against the target y_t

The copy links (h_{t-1} -> c_t) are fixed at 1 and never trained; W_xh, W_ch, W_hy, b_h and
b_y are. s is ``SRN.context_start`` (Elman's 0.5 for every context unit).

Shapes (the "receiving unit first" convention of ``params.py``)::

    I = n_in, H = n_hidden, O = n_out, T = steps in the stream
    W_xh (H, I)   W_ch (H, H)   W_hy (O, H)   b_h (H,)   b_y (O,)
    inputs  (T, I) float, or (T,) int: the index of the one unit that is on (one-hot)
    targets (T, O) float, or (T,) int: likewise
    trace   contexts, net_hidden, hidden (T, H);  net_output, outputs (T, O)

Plain-loop equivalent of the forward pass (what ``forward_sequence`` does)::

    c = context0
    for t in range(T):
        if t in resets: c = s
        h = f_h(W_xh @ x[t] + W_ch @ c + b_h)
        yhat = f_y(W_hy @ h + b_y)
        c = h

The backward pass: how far the error flows back in time
--------------------------------------------------------
The chain rule through the copy link c_t = h_{t-1} gives, for one error E_t,

    delta_y_t      = dE_t/dnet_y_t = dE_t/dyhat_t * f_y'(net_y_t)
    dE_t/dh_t      = W_hy^T delta_y_t
    delta_h_tau    = dE_t/dnet_h_tau = dE_t/dh_tau * f_h'(net_h_tau)
    dE_t/dh_{tau-1} = W_ch^T delta_h_tau               (one step back through the copy link)

    dE_t/dW_hy = delta_y_t h_t^T                 dE_t/db_y = delta_y_t
    dE_t/dW_xh = sum_tau delta_h_tau x_tau^T     dE_t/dW_ch = sum_tau delta_h_tau c_tau^T
    dE_t/db_h  = sum_tau delta_h_tau

with the sums over the steps tau = t, t-1, ..., L(t) that the error reaches; at the oldest
step L(t) the context c_{L(t)} is treated as a constant input. ``through_time`` chooses L(t):

- ``1``: L(t) = t. **Copy-back** (Elman 1990): the context is just another input, the
  gradient is one step deep; this is exactly feedforward backprop on the pattern [x_t, c_t].
- ``k >= 2``: L(t) = t - k + 1. **Truncated BPTT(k)**: every error flows back through k
  hidden states (Williams & Peng's BPTT(h) with h = k, per error).
- ``None``: L(t) = the start of t's sequence. **Full BPTT**: E = sum_t E_t over the sequence,
  the gradient of the network unrolled in time (the lecture's dE/dW = sum_t dE_t/dW).
- ``"window"``: L(t) = the first step of t's update window. **Windowed TBPTT** (the common
  "detach every W steps"; Williams & Peng's BPTT(h; h) with h = W).

In every mode L(t) is never earlier than the start of the sequence: the gradient never flows
back across a reset or across the start of a pass. The rule is written once, as
``srn_reference.backprop_limit``; the compiled kernels compile that same function.

Updates: when the weights change
--------------------------------
``update_every = W`` steps (``None``: once per sequence). A sequence is split into update
windows of W steps (the last may be shorter); a window never spans a sequence boundary, so
every sequence and every pass ends with an update. The update after a window is

    g          = sum over the window's steps t of dE_t/dtheta   (each truncated at L(t))
    delta_w(n) = -learning_rate * g + momentum * delta_w(n - 1);   w += delta_w(n)

The forward pass inside a window uses the weights of the window; the backward pass uses the
weights at the update, and the activations stored when each step was computed: an error that
flows back past the window's start (``through_time`` k > W, or ``None``) runs through steps
of earlier windows as they were computed then (Williams & Peng 1990). So:

=========================================  ==================  ==================
mode                                        through_time        update_every
=========================================  ==================  ==================
copy-back, online (Elman 1990)              1                   1
online truncated BPTT(k)                    k                   1
full BPTT, one update per sequence          None                None
windowed TBPTT over windows of W steps      "window"            W
=========================================  ==================  ==================

(k, W) with W > 1 sums W online BPTT(k) gradients and applies them at once; note that
(k = W, W) is *not* windowed TBPTT: there the first errors of a window reach k steps back
into the previous window.

Sequences and the context over a training run
---------------------------------------------
The training stream is one sequence unless ``resets`` are given: positions where the context
is set back to ``context_start`` (e.g. sentence starts) and a new sequence begins. The stream
is shown ``passes`` times. The context starts at ``context0`` (default: every unit at
``context_start``), then carries over from step to step, across update windows and from the
last step of a pass into the first step of the next (Elman's stream wraps around and is never
reset), unless position 0 is itself a reset. Each pass is a fresh sequence for the gradient:
nothing flows back into the previous pass.

Errors logged per pass (``SRNHistory``) are measured online, on the prediction each step made
before that step's update, as Elman's training error curves were.

Where the code is: ``srn_model`` (the objects above), ``srn_reference`` (this maths as readable
NumPy, step by step) and ``srn_fast`` with the ``kernels_srn_*`` modules (the same maths
compiled). This module gives their public names one home and chooses the backend.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from srnlab.errors import UserError
from srnlab.srn_model import (
    SRN,
    SRNHistory,
    SRNParams,
    SRNSchedule,
    SRNTrace,
    Stream,
    ThroughTime,
    as_stream,
    init_srn,
    initial_context,
    is_whole_number,
    reset_mask,
)
from srnlab.srn_reference import forward_sequence, sequence_gradients, train_pass
from srnlab.timing import phase

# The names other modules take from here. The code is in three modules below this one:
# srn_model (the objects), srn_reference (the readable maths) and srn_fast (the compiled
# path), which import neither this module nor each other upwards.
__all__ = [
    "BACKENDS",
    "SRN",
    "SRNHistory",
    "SRNParams",
    "SRNSchedule",
    "SRNTrace",
    "Stream",
    "ThroughTime",
    "as_stream",
    "forward_sequence",
    "init_srn",
    "reset_mask",
    "run_srn",
    "sequence_gradients",
    "train_srn",
]

Array = np.ndarray
BACKENDS = ("fast", "reference")


def train_srn(
    net: SRN,
    params: SRNParams,
    inputs: Array | Stream,
    targets: Array | Stream,
    schedule: SRNSchedule,
    *,
    passes: int,
    resets: Iterable[int] | None = None,
    context0: Array | float | None = None,
    backend: str = "fast",
    on_pass: Callable[[int], None] | None = None,
    running_sse: bool = False,
) -> tuple[SRNParams, SRNHistory]:
    """Train a copy of ``params`` on the stream ``passes`` times; returns it and the history
    (with ``running_sse``, also each pass's squared error summed up to every step).

    ``backend="fast"`` runs compiled loops (``srn_fast``, compiled on first use and cached on
    disk); ``"reference"`` runs the readable code of ``srn_reference``. They compute the
    same numbers up to the order of floating-point sums (tested to 1e-12).
    Training uses no randomness: the order of the stream is the task.
    """
    if backend not in BACKENDS:
        raise UserError(f"unknown backend {backend!r}; valid: {', '.join(BACKENDS)}")
    if isinstance(passes, bool) or not is_whole_number(passes) or passes < 0:
        raise UserError(f"passes must be a whole number >= 0, got {passes!r}")
    params.check_fits(net)
    X = as_stream(inputs, net.n_in, "inputs")
    Y = as_stream(targets, net.n_out, "targets")
    if len(X) != len(Y):
        raise UserError(f"{len(X)} input steps but {len(Y)} targets")
    with phase("training"):
        return _train(
            net, params, X, Y, schedule, passes, resets, context0, backend, on_pass, running_sse
        )


def _train(
    net: SRN,
    params: SRNParams,
    X: Stream,
    Y: Stream,
    schedule: SRNSchedule,
    passes: int,
    resets: Iterable[int] | None,
    context0: Array | float | None,
    backend: str,
    on_pass: Callable[[int], None] | None,
    running_sse: bool,
) -> tuple[SRNParams, SRNHistory]:
    is_reset = reset_mask(resets, len(X))
    context = initial_context(net, context0)
    params = params.copy()
    history = SRNHistory()
    if backend == "fast":
        from srnlab import srn_fast  # numba is imported (and compiles) only when first needed

        run_pass = srn_fast.pass_runner(net, params, X, Y, is_reset, schedule)
    else:
        velocity = params.zeros_like()
        X_rows, Y_rows = X.rows(), Y.rows()

        def run_pass(context: Array, running: Array | None) -> Array:
            return train_pass(
                net, params, velocity, X_rows, Y_rows, is_reset, context, schedule, running
            )

    for n in range(1, passes + 1):
        running = np.empty(len(X)) if running_sse else None
        error, euclidean, squared = run_pass(context, running)
        if running is not None:
            history.running_sse.append(running)
        history.passes.append(n)
        history.error.append(float(error))
        history.rms.append(float(euclidean) / max(len(X), 1))
        history.sse.append(float(squared))
        if on_pass is not None:
            on_pass(n)
    history.final_context = context.copy()
    return params, history


def run_srn(
    net: SRN,
    params: SRNParams,
    inputs: Array | Stream,
    *,
    context0: Array | float | None = None,
    resets: Iterable[int] | None = None,
    backend: str = "fast",
) -> SRNTrace:
    """A frozen pass (no learning): every step's context, net inputs and activations."""
    if backend not in BACKENDS:
        raise UserError(f"unknown backend {backend!r}; valid: {', '.join(BACKENDS)}")
    if backend == "reference":
        return forward_sequence(net, params, inputs, context0, resets)
    params.check_fits(net)
    X = as_stream(inputs, net.n_in, "inputs")
    from srnlab import srn_fast

    return srn_fast.run_forward(
        net, params, X, reset_mask(resets, len(X)), initial_context(net, context0)
    )
