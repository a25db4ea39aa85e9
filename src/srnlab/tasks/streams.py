"""What every prediction stream shares: the input at step t, the target (the next item), and
labels that say what each step is, for the analyses.

Elman (1990) trains on a continuous stream that wraps around: the target of the last item is
the first item, so a stream of T items gives T training steps in every pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class TaskStream:
    """A prediction stream: ``inputs[t]`` is shown, ``targets[t]`` (= the next item) is wanted.

    ``items`` are the input symbols as text (one per step) and ``positions[t]`` says where the
    *target* of step t stands (its place in a triple, a syllable, a word), so errors can be
    grouped by what was to be predicted.
    """

    inputs: Array  # (T, n_in) float
    targets: Array  # (T, n_out) float
    items: tuple[str, ...]
    positions: Array  # (T,) int

    def __len__(self) -> int:
        return len(self.items)


def next_item_stream(
    codes: Array, items: list[str], positions: Array, wrap: bool = True
) -> TaskStream:
    """Inputs are the codes, targets the next code; with ``wrap`` the last target is the first
    code (Elman's wrap-around), otherwise the last item is dropped as an input."""
    codes = np.asarray(codes, dtype=float)
    if wrap:
        targets = np.roll(codes, -1, axis=0)
        return TaskStream(codes, targets, tuple(items), np.asarray(positions))
    return TaskStream(codes[:-1], codes[1:], tuple(items[:-1]), np.asarray(positions)[:-1])
