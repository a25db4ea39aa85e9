"""Seeds become generators here, and nowhere else.

A run's seed is split with ``SeedSequence(seed).spawn(...)`` into independent streams, one per
purpose (initial weights, data or pattern order), so that, for example, a longer corpus never
changes the initial weights. Never global seeding: the same seed gives the same numbers, always.
"""

from __future__ import annotations

import numpy as np

PURPOSES = ("weights", "data", "order")


def generators(seed: int) -> dict[str, np.random.Generator]:
    """One independent generator per purpose, all derived from ``seed``."""
    children = np.random.SeedSequence(seed).spawn(len(PURPOSES))
    return {
        name: np.random.default_rng(child) for name, child in zip(PURPOSES, children, strict=True)
    }
