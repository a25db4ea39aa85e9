"""The naive approach to time: "time as space" (the lecture's slide before Elman's SRN).

A feedforward network sees a fixed window of the last ``width`` inputs laid side by side, as
if time were another spatial dimension. The lecture names its two problems, both visible here:

1. **How big do you make the buffer?** Whatever lies further back than ``width`` steps is
   invisible: temporal XOR needs a window of 2; with 1 the XOR bit cannot be predicted.
2. **A pattern shifted in time has no natural overlap with itself.** [0 1 1 0 0 0] and
   [0 0 0 1 1 0] are the same event two steps apart, yet as window vectors their dot product
   is 0: the network must learn each position separately.

Here: the windows (``window_inputs``), the window net and its online training
(``train_window_net``), the best any function of a window can do
(``window_ideal_predictions``), and what a trained net makes of an event moved through its
buffer (``shift_profile``, ``slot_weight_correlations``). The recipe ``time-as-space`` runs
them on the SRN's streams.
"""

from __future__ import annotations

import numpy as np

from srnlab.activations import get_activation
from srnlab.errors import UserError
from srnlab.params import FeedforwardParams
from srnlab.srn import SRN, SRNHistory, SRNParams, SRNSchedule, train_srn

Array = np.ndarray


def window_inputs(inputs: Array, width: int) -> Array:
    """Row t is [x_{t-width+1}, ..., x_{t-1}, x_t] (oldest first), zeros before the stream starts.

    ``inputs`` has shape (T, n); the result has shape (T, width * n).
    """
    inputs = np.asarray(inputs, dtype=float)
    if inputs.ndim != 2:
        raise UserError(f"inputs must be (steps, units), got shape {inputs.shape}")
    if width < 1:
        raise UserError(f"the window width must be >= 1, got {width}")
    steps, n = inputs.shape
    padded = np.vstack([np.zeros((width - 1, n)), inputs])
    # Slot k of row t holds x_{t - width + 1 + k}: slot width-1 is the current input.
    return np.hstack([padded[k : k + steps] for k in range(width)])


def shifted(pattern: Array, shift: int) -> Array:
    """The same pattern ``shift`` steps later in the buffer (zeros shifted in, not wrapped)."""
    pattern = np.asarray(pattern, dtype=float)
    out = np.zeros_like(pattern)
    if shift >= 0:
        out[shift:] = pattern[: len(pattern) - shift]
    else:
        out[:shift] = pattern[-shift:]
    return out


def overlap(a: Array, b: Array) -> float:
    """How much two input vectors share, as the cosine of the angle between them (0 = none)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    norms = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / norms if norms else 0.0


def shift_overlaps(pattern: Array, max_shift: int) -> Array:
    """overlap(pattern, shifted(pattern, s)) for s = 0 .. max_shift: the lecture's point 2."""
    return np.array([overlap(pattern, shifted(pattern, s)) for s in range(max_shift + 1)])


# ---- a feedforward net over the window, trained online along the stream --------------------


def window_srn(n_window_inputs: int, n_hidden: int, n_out: int) -> SRN:
    """The window net as an SRN whose context is always 0: exactly a feedforward net.

    The net is [x_{t-w+1} .. x_t] -> hidden -> next item, logistic units, the lecture's
    E = (y - a)^2. Written as an SRN with ``context_start = 0`` and a reset before every
    step, the context term W_ch c_t is 0 and so is its gradient delta_h c_t^T: nothing flows
    through the context, and the SRN's compiled online loop trains the feedforward net
    (``tests/test_time_as_space_recipe.py`` proves it equal to ``training.train``).
    """
    return SRN(n_window_inputs, n_hidden, n_out, context_start=0.0)


def as_srn_params(params: FeedforwardParams) -> SRNParams:
    """A 3-layer feedforward net's weights as SRN weights with W_ch = 0 (never used)."""
    (W_xh, W_hy), (b_h, b_y) = params.weights, params.biases
    n_hidden = W_xh.shape[0]
    return SRNParams(W_xh, np.zeros((n_hidden, n_hidden)), W_hy, b_h, b_y).copy()


def as_feedforward(params: SRNParams) -> FeedforwardParams:
    """The inverse of ``as_srn_params`` (W_ch is dropped: the context was always 0)."""
    return FeedforwardParams(
        (params.W_xh.copy(), params.W_hy.copy()), (params.b_h.copy(), params.b_y.copy())
    )


def train_window_net(
    params: FeedforwardParams,
    windows: Array,
    targets: Array,
    *,
    learning_rate: float,
    momentum: float,
    passes: int,
    backend: str = "fast",
) -> tuple[FeedforwardParams, SRNHistory]:
    """Train a copy of ``params`` online, one update per step, in stream order, ``passes``
    times; returns it with the per-pass training errors (measured before each update).

    Same protocol as Elman's SRN (online, the stream in order, no shuffling), so the window
    net and the SRN differ only in where the past comes from: a buffer here, context there.
    """
    windows = np.asarray(windows, dtype=float)
    targets = np.asarray(targets, dtype=float)
    n_hidden = params.weights[0].shape[0]
    net = window_srn(windows.shape[1], n_hidden, targets.shape[1])
    trained, history = train_srn(
        net,
        as_srn_params(params),
        windows,
        targets,
        SRNSchedule(learning_rate, momentum),
        passes=passes,
        resets=range(len(windows)),  # every step starts afresh: the context stays at 0
        backend=backend,
    )
    return as_feedforward(trained), history


# ---- the best any function of the window can do --------------------------------------------


def window_ideal_predictions(windows: Array, targets: Array) -> Array:
    """The expected next item given only the window: the mean target over the steps that
    show the same window, counted on the steps given.

    This is the ideal predictor of the task restricted to a buffer of ``width`` steps, and
    the best any network over that window can do under the squared error it is trained on.
    Counted on the very steps it is scored on it is slightly optimistic (by about the number
    of distinct windows over the number of steps, times the target's variance: under 0.01
    for the defaults here), which only makes it a safe floor.
    """
    windows = np.asarray(windows, dtype=float)
    targets = np.asarray(targets, dtype=float)
    _, which = np.unique(windows, axis=0, return_inverse=True)
    which = which.ravel()  # numpy 2.0.x returns it with the input's shape
    sums = np.zeros((which.max() + 1, targets.shape[1]))
    np.add.at(sums, which, targets)
    counts = np.bincount(which)
    return (sums / counts[:, None])[which]


# ---- the same event, shifted in the buffer -------------------------------------------------


def place_event(event: Array, width: int, start: int) -> Array:
    """A buffer of ``width`` slots holding ``event`` (k items of n units) at slots
    start .. start + k - 1 and zeros (nothing) elsewhere, flattened as ``window_inputs`` does."""
    event = np.atleast_2d(np.asarray(event, dtype=float))
    k, n = event.shape
    if not 0 <= start <= width - k:
        raise UserError(f"an event of {k} steps cannot start at slot {start} of {width}")
    buffer = np.zeros((width, n))
    buffer[start : start + k] = event
    return buffer.ravel()


def hidden_change(params: FeedforwardParams, window: Array) -> Array:
    """What an input adds to the hidden layer: h(window) - h(empty buffer).

    Logistic hidden units are all positive, so raw hidden vectors always look alike; the
    change an event causes is what tells two representations apart.
    """
    W_xh, b_h = params.weights[0], params.biases[0]
    logistic = get_activation("logistic").function
    return logistic(W_xh @ window + b_h) - logistic(b_h)


def shift_profile(params: FeedforwardParams, event: Array, width: int) -> dict[str, list[float]]:
    """The event at the oldest slots, and the same event s = 1, 2, ... steps later.

    ``input``: overlap (cosine) of the two buffers, the lecture's point; ``hidden``: overlap of
    the hidden-layer changes they cause in the net ``params``. An input overlap of 0 means the
    net has nothing in common to go on: any similarity of the hidden responses is something it
    learned, separately, for each position.
    """
    k = np.atleast_2d(event).shape[0]
    buffers = [place_event(event, width, s) for s in range(width - k + 1)]
    changes = [hidden_change(params, b) for b in buffers]
    return {
        "shifts": list(range(len(buffers))),
        "input": [overlap(buffers[0], b) for b in buffers],
        "hidden": [overlap(changes[0], c) for c in changes],
    }


def slot_weights(W_xh: Array, width: int) -> Array:
    """The input->hidden weights of each buffer slot: shape (width, hidden * units per slot)."""
    n_hidden, n_inputs = W_xh.shape
    per_slot = n_inputs // width
    return W_xh.reshape(n_hidden, width, per_slot).transpose(1, 0, 2).reshape(width, -1)


def slot_weight_correlations(W_xh: Array, width: int) -> Array:
    """Pearson correlation between the weights of every pair of buffer slots, (width, width).

    Each slot has its own weights, learned from what appears at that slot only: nothing the
    net learns about an item one step back is shared with the same item two steps back. A
    correlation near 1 would mean the net learned the same thing at both slots.
    """
    per_slot = slot_weights(W_xh, width)
    if per_slot.shape[1] < 2:
        return np.full((width, width), np.nan)
    return np.corrcoef(per_slot)
