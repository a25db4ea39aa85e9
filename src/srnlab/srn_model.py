"""What an SRN is and what training it takes: the objects of ``srn.py``'s maths.

The network's sizes and unit functions (``SRN``), its weights (``SRNParams``, receiving units
first, as in ``params.py``), how to train it (``SRNSchedule``), what a pass records
(``SRNHistory``, ``SRNTrace``) and the streams it reads (``Stream``: dense rows, or the index
of the one unit on). The maths that uses them is in ``srn_reference.py`` (readable) and the
``kernels_srn_*`` modules (compiled); the module docstring of ``srn.py`` states it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from srnlab.activations import Activation, get_activation
from srnlab.errors import UserError
from srnlab.losses import Loss, get_loss

Array = np.ndarray
ThroughTime = int | Literal["window"] | None

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
        if not (k is None or k == "window" or (is_whole_number(k) and k >= 1)):
            raise UserError(
                f"through_time must be a whole number of steps >= 1 (1 = copy-back), "
                f"None (full BPTT) or 'window', got {k!r}"
            )
        w = self.update_every
        if not (w is None or (is_whole_number(w) and w >= 1)):
            raise UserError(
                f"update_every must be a whole number of steps >= 1 or None (once per "
                f"sequence), got {w!r}"
            )

    @property
    def online_copyback(self) -> bool:
        """Errors stop at their own step and weights change after every step: Elman's mode,
        which the copy-back kernel runs (every other schedule takes the general loop)."""
        return self.update_every == 1 and self.through_time in (1, "window")


def is_whole_number(value: object) -> bool:
    """An int (NumPy's too) and not a bool."""
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

    def head(self, n_steps: int) -> Stream:
        """The first ``n_steps`` patterns: views of this stream's arrays, already checked."""
        dense = None if self.dense is None else self.dense[:n_steps]
        index = None if self.index is None else self.index[:n_steps]
        return Stream(dense, index, self.width)

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


def initial_context(net: SRN, context0: Array | float | None) -> Array:
    """The context of the first step: ``context0`` (one value or one per unit), by default
    every unit at ``context_start``."""
    if context0 is None:
        return net.start_context()
    context = np.array(np.broadcast_to(np.asarray(context0, dtype=float), (net.n_hidden,)))
    if not np.all(np.isfinite(context)):
        raise UserError("context0 must be finite")
    return context
