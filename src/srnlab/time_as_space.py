"""The naive approach to time: "time as space" (the lecture's slide before Elman's SRN).

A feedforward network sees a fixed window of the last ``width`` inputs laid side by side, as
if time were another spatial dimension. The lecture names its two problems, both visible here:

1. **How big do you make the buffer?** Whatever lies further back than ``width`` steps is
   invisible: temporal XOR needs a window of 2; with 1 the XOR bit cannot be predicted.
2. **A pattern shifted in time has no natural overlap with itself.** [0 1 1 0 0 0] and
   [0 0 0 1 1 0] are the same event two steps apart, yet as window vectors their dot product
   is 0: the network must learn each position separately.
"""

from __future__ import annotations

import numpy as np

from srnlab.errors import UserError

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
