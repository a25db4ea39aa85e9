"""Seeds become generators here, and nowhere else.

A run's seed is split with ``SeedSequence(seed).spawn(...)`` into independent streams, one per
purpose (initial weights, training data, pattern order, a separate test set), so that, for
example, a longer corpus never changes the initial weights. Never global seeding: the same seed
gives the same numbers, always.

Child i of a ``SeedSequence`` depends only on i, not on how many children are spawned, so a new
purpose is appended at the end of ``PURPOSES``: every existing stream stays as it was.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

PURPOSES = ("weights", "data", "order", "test", "pretraining")


def generators(seed: int | Sequence[int]) -> dict[str, np.random.Generator]:
    """One independent generator per purpose, all derived from ``seed``.

    A sequence of whole numbers is a seed too: ``(run_seed, i)`` gives the i-th of many networks
    in one run its own streams, unrelated to ``run_seed + i``'s."""
    children = np.random.SeedSequence(seed).spawn(len(PURPOSES))
    return {
        name: np.random.default_rng(child) for name, child in zip(PURPOSES, children, strict=True)
    }
