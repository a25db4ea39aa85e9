r"""Simple recurrent networks (Elman, 1990): the reference maths, written to be read.

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
back across a reset or across the start of a pass.

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
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from srnlab.activations import Activation, get_activation
from srnlab.errors import UserError
from srnlab.losses import Loss, get_loss, output_delta
from srnlab.timing import phase

Array = np.ndarray
ThroughTime = int | Literal["window"] | None
BACKENDS = ("fast", "reference")


# ---- what a network is, and what it has learned -------------------------------------------


@dataclass(frozen=True)
class SRN:
    """An SRN's hyperparameters: sizes, unit functions, loss and the context's start value."""

    n_in: int
    n_hidden: int
    n_out: int
    hidden_activation: str = "logistic"
    output_activation: str = "logistic"
    loss: str = "squared"
    context_start: float = 0.5  # Elman (1990): every context unit starts at 0.5

    def __post_init__(self) -> None:
        for name in ("n_in", "n_hidden", "n_out"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
                raise UserError(f"{name} must be a positive integer, got {value!r}")
        get_activation(self.hidden_activation)  # fail early, with the valid names
        get_activation(self.output_activation)
        get_loss(self.loss)
        if not np.isfinite(self.context_start):
            raise UserError(f"context_start must be a finite number, got {self.context_start}")

    @property
    def sizes(self) -> tuple[int, int, int]:
        return (int(self.n_in), int(self.n_hidden), int(self.n_out))

    @property
    def hidden(self) -> Activation:
        return get_activation(self.hidden_activation)

    @property
    def output(self) -> Activation:
        return get_activation(self.output_activation)

    @property
    def loss_function(self) -> Loss:
        return get_loss(self.loss)

    def start_context(self) -> Array:
        """The context at the start and after a reset: every unit at ``context_start``."""
        return np.full(self.n_hidden, float(self.context_start))


@dataclass(frozen=True)
class SRNParams:
    """An SRN's weights and biases, named by connection (receiving units first)."""

    W_xh: Array  # (H, I) input -> hidden
    W_ch: Array  # (H, H) context -> hidden
    W_hy: Array  # (O, H) hidden -> output
    b_h: Array  # (H,)   bias of the hidden units
    b_y: Array  # (O,)   bias of the output units

    NAMES = ("W_xh", "W_ch", "W_hy", "b_h", "b_y")

    @property
    def sizes(self) -> tuple[int, int, int]:
        return (self.W_xh.shape[1], self.W_xh.shape[0], self.W_hy.shape[0])

    def arrays(self) -> Iterator[Array]:
        """Every parameter array, in the order of ``NAMES``."""
        for name in self.NAMES:
            yield getattr(self, name)

    def copy(self) -> SRNParams:
        return SRNParams(*(np.array(a, dtype=float, copy=True) for a in self.arrays()))

    def zeros_like(self) -> SRNParams:
        return SRNParams(*(np.zeros_like(a) for a in self.arrays()))

    def to_npz_dict(self) -> dict[str, Array]:
        return {name: getattr(self, name) for name in self.NAMES}

    @classmethod
    def from_npz_dict(cls, arrays: dict[str, Array]) -> SRNParams:
        missing = [name for name in cls.NAMES if name not in arrays]
        if missing:
            raise UserError(f"SRN parameters lack {', '.join(missing)}")
        return cls(*(np.asarray(arrays[name], dtype=float) for name in cls.NAMES))

    def check_fits(self, net: SRN) -> None:
        """Raise ``UserError`` unless every array has the shape ``net`` needs."""
        n_in, n_hidden, n_out = net.sizes
        expected = {
            "W_xh": (n_hidden, n_in),
            "W_ch": (n_hidden, n_hidden),
            "W_hy": (n_out, n_hidden),
            "b_h": (n_hidden,),
            "b_y": (n_out,),
        }
        for name, shape in expected.items():
            actual = np.shape(getattr(self, name))
            if actual != shape:
                raise UserError(f"{name} has shape {actual}; a {net.sizes} SRN needs {shape}")


def init_srn(
    n_in: int, n_hidden: int, n_out: int, rng: np.random.Generator, init_range: float
) -> SRNParams:
    """Every weight and bias uniform in [-init_range, +init_range].

    Draw order is fixed: W_xh, W_ch, W_hy (each row by row), then b_h and b_y, so the same
    generator state always gives the same network.
    """
    if not init_range >= 0:
        raise UserError(f"init_range must be >= 0, got {init_range}")
    SRN(n_in, n_hidden, n_out)  # validates the sizes

    def draw(*shape: int) -> Array:
        return rng.uniform(-init_range, init_range, size=shape)

    return SRNParams(
        W_xh=draw(n_hidden, n_in),
        W_ch=draw(n_hidden, n_hidden),
        W_hy=draw(n_out, n_hidden),
        b_h=draw(n_hidden),
        b_y=draw(n_out),
    )


# ---- how to train --------------------------------------------------------------------------


@dataclass(frozen=True)
class SRNSchedule:
    """How to train an SRN (see the module docstring for the exact semantics).

    The defaults are Elman's protocol (copy-back, online) with the learning rate and momentum
    of tlearn, his group's simulator (the paper gives neither).
    """

    learning_rate: float = 0.1
    momentum: float = 0.0
    through_time: ThroughTime = 1
    update_every: int | None = 1

    def __post_init__(self) -> None:
        if not self.learning_rate > 0:
            raise UserError(f"learning_rate must be > 0, got {self.learning_rate}")
        if not 0 <= self.momentum < 1:
            raise UserError(f"momentum must be in [0, 1), got {self.momentum}")
        k = self.through_time
        if not (k is None or k == "window" or (_is_int(k) and k >= 1)):
            raise UserError(
                f"through_time must be a whole number of steps >= 1 (1 = copy-back), "
                f"None (full BPTT) or 'window', got {k!r}"
            )
        w = self.update_every
        if not (w is None or (_is_int(w) and w >= 1)):
            raise UserError(
                f"update_every must be a whole number of steps >= 1 or None (once per "
                f"sequence), got {w!r}"
            )


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


@dataclass
class SRNHistory:
    """Per-pass errors, measured online during training (before each step's update).

    ``error``: E summed over the pass under the network's loss; ``rms``: the mean over steps of
    the Euclidean error sqrt(sum_o (y_o - yhat_o)^2) (Elman's "RMS error"); ``sse``: squared
    error summed over steps and outputs. ``final_context`` is the context the next step would
    see: pass it as ``context0`` to continue the stream.
    """

    passes: list[int] = field(default_factory=list)
    error: list[float] = field(default_factory=list)
    rms: list[float] = field(default_factory=list)
    sse: list[float] = field(default_factory=list)
    final_context: Array = field(default_factory=lambda: np.empty(0))

    def columns(self) -> dict[str, list]:
        return {"pass": self.passes, "error": self.error, "rms": self.rms, "sse": self.sse}


@dataclass(frozen=True)
class SRNTrace:
    """What the forward pass computed at every step (rows are steps)."""

    contexts: Array  # (T, H) c_t
    net_hidden: Array  # (T, H) net_h_t
    hidden: Array  # (T, H) h_t
    net_output: Array  # (T, O) net_y_t
    outputs: Array  # (T, O) yhat_t


# ---- streams: dense rows or one-hot indices ------------------------------------------------


@dataclass(frozen=True)
class Stream:
    """A stream of T patterns of ``width`` units: dense rows, or the index of the one unit on."""

    dense: Array | None  # (T, width) float64
    index: Array | None  # (T,) int64
    width: int

    def __len__(self) -> int:
        data = self.dense if self.dense is not None else self.index
        assert data is not None
        return int(data.shape[0])

    @property
    def one_hot(self) -> bool:
        return self.index is not None

    def rows(self) -> Array:
        """Every pattern as a dense (T, width) float64 row (one-hot indices expanded)."""
        if self.dense is not None:
            return self.dense
        assert self.index is not None
        return np.eye(self.width)[self.index]


def as_stream(values: Array | Stream, width: int, what: str) -> Stream:
    """Dense (T, width) floats, or (T,) integer indices in [0, width) meaning one-hot rows."""
    if isinstance(values, Stream):
        if values.width != width:
            raise UserError(f"{what} have {values.width} units, the network needs {width}")
        return values
    array = np.asarray(values)
    if array.ndim == 1 and array.dtype.kind in "iu":
        if array.size and (array.min() < 0 or array.max() >= width):
            raise UserError(
                f"{what} indices must lie in [0, {width}), got {array.min()}..{array.max()}"
            )
        return Stream(None, np.ascontiguousarray(array, dtype=np.int64), width)
    if array.ndim != 2 or array.shape[1] != width or array.dtype.kind not in "fiub":
        raise UserError(
            f"{what} must be a (steps, {width}) array of numbers or a (steps,) array of unit "
            f"indices, got shape {array.shape} and dtype {array.dtype}"
        )
    dense = np.ascontiguousarray(array, dtype=np.float64)
    if not np.all(np.isfinite(dense)):
        raise UserError(f"{what} must be finite")
    return Stream(dense, None, width)


def reset_mask(resets: Iterable[int] | None, n_steps: int) -> Array:
    """``is_reset[t]`` is True where the context goes back to its start value."""
    mask = np.zeros(n_steps, dtype=np.bool_)
    if resets is None:
        return mask
    positions = np.asarray(list(resets) if not isinstance(resets, np.ndarray) else resets)
    if positions.size == 0:
        return mask
    if positions.ndim != 1 or positions.dtype.kind not in "iu":
        raise UserError("resets must be a list of step positions (whole numbers)")
    if positions.min() < 0 or positions.max() >= n_steps:
        raise UserError(
            f"reset positions must lie in [0, {n_steps}), got {positions.min()}..{positions.max()}"
        )
    mask[positions] = True
    return mask


def _initial_context(net: SRN, context0: Array | float | None) -> Array:
    if context0 is None:
        return net.start_context()
    context = np.array(np.broadcast_to(np.asarray(context0, dtype=float), (net.n_hidden,)))
    if not np.all(np.isfinite(context)):
        raise UserError("context0 must be finite")
    return context


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
    c = _initial_context(net, context0)
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


def _backprop_limit(t: int, seq_first: int, window_first: int, through_time: ThroughTime) -> int:
    """L(t): the oldest step whose hidden state the error E_t reaches."""
    if through_time is None:
        return seq_first
    if through_time == "window":
        return window_first
    return max(seq_first, t - int(through_time) + 1)


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
    through_time: ThroughTime,
) -> SRNParams:
    """g = sum over the window's steps t of dE_t/dtheta, each error truncated at L(t)."""
    first, last = window
    grads = params.zeros_like()
    f_h = net.hidden.derivative
    if through_time is None or through_time == "window":
        # Every error of the window stops at the same step L, so their backward messages can
        # travel together: one reverse sweep, the classic BPTT of the unrolled network.
        limit = _backprop_limit(last, seq_first, first, through_time)
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
        limit = _backprop_limit(t, seq_first, first, through_time)
        for tau in range(t, limit - 1, -1):
            delta_h = dE_dh * f_h(steps[tau].h)  # dE_t/dnet_h_tau
            _add_hidden_grads(grads, steps[tau], delta_h)
            if tau > limit:
                dE_dh = params.W_ch.T @ delta_h  # dE_t/dh_{tau-1}
    return grads


def _update_windows(is_reset: Array, update_every: int | None) -> Iterator[tuple[int, int, int]]:
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
    of the gradients a training pass would apply (see the module docstring).

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
    total = params.zeros_like()
    for seq_first, first, last in _update_windows(is_reset, update_every):
        grads = _window_gradient(net, params, steps, (first, last), seq_first, through_time)
        for acc, g in zip(total.arrays(), grads.arrays(), strict=True):
            acc += g
    return total


# ---- training ------------------------------------------------------------------------------


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


def _train_pass_reference(
    net: SRN,
    params: SRNParams,
    velocity: SRNParams,
    X: Array,
    Y: Array,
    is_reset: Array,
    context: Array,
    schedule: SRNSchedule,
) -> Array:
    """One pass of training, readable: forward step by step, update after every window.

    ``params``, ``velocity`` and ``context`` change in place; returns the summed
    (E, Euclidean error, squared error) of the pass.
    """
    ends = {
        last: (seq_first, first)
        for seq_first, first, last in _update_windows(is_reset, schedule.update_every)
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
        if t in ends:
            seq_first, first = ends[t]
            grads = _window_gradient(
                net, params, steps, (first, t), seq_first, schedule.through_time
            )
            _apply_update(params, grads, velocity, schedule.learning_rate, schedule.momentum)
            _forget_unreachable(steps, t + 1, schedule.through_time)
        context[...] = h  # the copy link: c_{t+1} = h_t
    return sums


def _forget_unreachable(
    steps: dict[int, _Step], next_first: int, through_time: ThroughTime
) -> None:
    """Drop stored steps that no later error of this sequence can reach."""
    if through_time is None:
        return
    oldest = next_first if through_time == "window" else next_first - int(through_time) + 1
    for t in [t for t in steps if t < oldest]:
        del steps[t]


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
) -> tuple[SRNParams, SRNHistory]:
    """Train a copy of ``params`` on the stream ``passes`` times; returns it and the history.

    ``backend="fast"`` runs compiled loops (``srnlab.kernels``, compiled on first use and
    cached on disk); ``"reference"`` runs the readable code of this module. They compute the
    same numbers up to the order of floating-point sums (tested to 1e-12).
    Training uses no randomness: the order of the stream is the task.
    """
    if backend not in BACKENDS:
        raise UserError(f"unknown backend {backend!r}; valid: {', '.join(BACKENDS)}")
    if isinstance(passes, bool) or not _is_int(passes) or passes < 0:
        raise UserError(f"passes must be a whole number >= 0, got {passes!r}")
    params.check_fits(net)
    X = as_stream(inputs, net.n_in, "inputs")
    Y = as_stream(targets, net.n_out, "targets")
    if len(X) != len(Y):
        raise UserError(f"{len(X)} input steps but {len(Y)} targets")
    with phase("training"):
        return _train(net, params, X, Y, schedule, passes, resets, context0, backend, on_pass)


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
) -> tuple[SRNParams, SRNHistory]:
    is_reset = reset_mask(resets, len(X))
    context = _initial_context(net, context0)
    params = params.copy()
    history = SRNHistory()
    if backend == "fast":
        from srnlab import kernels  # numba is imported (and compiles) only when first needed

        run_pass = kernels.pass_runner(net, params, X, Y, is_reset, schedule)
    else:
        velocity = params.zeros_like()
        X_rows, Y_rows = X.rows(), Y.rows()

        def run_pass(context: Array) -> Array:
            return _train_pass_reference(
                net, params, velocity, X_rows, Y_rows, is_reset, context, schedule
            )

    for n in range(1, passes + 1):
        error, euclidean, squared = run_pass(context)
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
    from srnlab import kernels

    return kernels.run_forward(
        net, params, X, reset_mask(resets, len(X)), _initial_context(net, context0)
    )
