"""The XOR problem of the lecture: y = x1 XOR x2, the classic task a network without hidden
units cannot learn (its two classes are not linearly separable in input space)."""

from __future__ import annotations

import numpy as np

Array = np.ndarray


def xor_patterns() -> tuple[Array, Array]:
    """The lecture's table, in its order: inputs (4, 2) and targets (4, 1)."""
    inputs = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    targets = np.array([[0.0], [1.0], [1.0], [0.0]])
    return inputs, targets


def pattern_labels(inputs: Array) -> list[str]:
    """'0 1'-style labels for 0/1 input patterns (other values are printed as they are)."""
    return [" ".join(f"{v:g}" for v in row) for row in np.asarray(inputs)]
