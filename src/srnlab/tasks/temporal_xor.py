"""Elman (1990) section "Exclusive-OR": XOR in time.

The stream is a concatenation of triples: two random bits, then their XOR. Only every third bit
is predictable (it is the XOR of the two before it); the other two are coin flips, so the best
possible error on them stays high. Example (paper): 1 0 1 0 0 0 0 1 1 1 1 0 1 0 1 ...
"""

from __future__ import annotations

import numpy as np

from srnlab.errors import UserError
from srnlab.tasks.streams import TaskStream, next_item_stream


def temporal_xor_bits(n_triples: int, rng: np.random.Generator) -> np.ndarray:
    """3 * n_triples bits: (a, b, a XOR b) repeated, a and b fair coin flips."""
    if n_triples < 1:
        raise UserError(f"the temporal XOR stream needs at least one triple, got {n_triples}")
    pairs = rng.integers(0, 2, size=(n_triples, 2))
    triples = np.column_stack([pairs, pairs[:, 0] ^ pairs[:, 1]])
    return triples.ravel()


def temporal_xor_stream(n_triples: int, rng: np.random.Generator) -> TaskStream:
    """One input unit, one output unit: input bit t, target bit t + 1 (wrapping around).

    ``positions[t]`` is the place of the *target* bit in its triple: 0 and 1 are coin flips,
    2 is the XOR bit, the only predictable one.
    """
    bits = temporal_xor_bits(n_triples, rng)
    positions = (np.arange(len(bits)) + 1) % 3
    return next_item_stream(bits[:, None], [str(b) for b in bits], positions)


def ideal_predictions(stream: TaskStream) -> np.ndarray:
    """The best possible prediction at every step: the expected next bit given everything seen.

    The XOR bit (target position 2) is fully determined by the two bits before it; the others
    are fair coins, best predicted by 0.5. Its error is the floor no network can go below.
    """
    determined = stream.positions == 2
    return np.where(determined[:, None], stream.targets, 0.5)
