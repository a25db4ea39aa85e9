"""Checks on single tokens: do the hidden vectors of a word's tokens sit nearest their own mean?

The paper's caveat is that averaging over contexts could create categories by itself, so Elman
also clustered the tokens (each falls under its own word; sentence-initial tokens apart from
object tokens). A tree of ~27,500 tokens needs ~3 GB of pairwise distances, so
:func:`nearest_centroid_accuracy` and :func:`role_separation` measure the same two claims with
nearest-centroid classifiers instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.spatial.distance import cdist

from srnlab.errors import UserError

Array = np.ndarray


def check_tokens(hidden: Any, words: Sequence[str]) -> Array:
    """The hidden vectors as a (T, H) float array, one row per word of ``words``."""
    hidden = np.asarray(hidden, dtype=float)
    if hidden.ndim != 2:
        raise UserError(f"hidden must be one row per token (T, H), got shape {hidden.shape}")
    if len(words) != hidden.shape[0]:
        raise UserError(f"{len(words)} words for {hidden.shape[0]} hidden vectors")
    return hidden


def group_sums(rows: Array, groups: Array, n_groups: int) -> Array:
    """(n_groups, columns): the sum of the rows of each group (``groups[r]`` in [0, n_groups)).

    The same numbers, to the last bit, as ``np.add.at(sums, groups, rows)`` on zeros, which
    adds one row at a time, in row order (3-15x slower on the sentence corpus). Here the rows
    are sorted by group, stably so that each group's rows keep their order, and each group's
    block is summed down its columns: NumPy does that row after row, from ``initial`` (it sums
    pairwise only along the contiguous axis), so every addition is the one ``add.at`` makes.
    """
    order = np.argsort(groups, kind="stable")
    sorted_rows = rows[order]
    bounds = np.searchsorted(groups[order], np.arange(n_groups + 1))
    sums = np.zeros((n_groups, rows.shape[1]))
    for g in range(n_groups):
        sums[g] = sorted_rows[bounds[g] : bounds[g + 1]].sum(axis=0, initial=0.0)
    return sums


def _nearest_mean(hidden: Array, groups: Array, leave_one_out: bool) -> tuple[Array, Array]:
    """For each token, whether its nearest group mean is its own group's; and which tokens count.

    Leaving the token out of its own mean needs no second pass: with n tokens in the group,
    mean and token h, the mean of the other n - 1 is c' = (n c - h) / (n - 1), so
    h - c' = n / (n - 1) (h - c). The distance to one's own mean grows by n / (n - 1); the
    distances to the other means do not change. A group of one token has no such mean, so its
    token is not counted.
    """
    ids, index, counts = np.unique(groups, return_inverse=True, return_counts=True)
    sums = group_sums(hidden, index, len(ids))
    distances = cdist(hidden, sums / counts[:, None])  # (T, groups), Euclidean
    rows = np.arange(len(hidden))
    n_own = counts[index].astype(float)
    counted = np.ones(len(hidden), dtype=bool)
    if leave_one_out:
        counted = n_own > 1
        distances[rows, index] *= np.where(counted, n_own / np.maximum(n_own - 1, 1), 1.0)
    own = distances[rows, index]
    others = distances.copy()
    others[rows, index] = np.inf
    return own < others.min(axis=1), counted


def nearest_centroid_accuracy(
    hidden: Any, words: Sequence[str], leave_one_out: bool = True
) -> dict[str, Any]:
    """The share of tokens whose nearest word mean (Euclidean) is their own word's.

    Elman's token tree put every token under its own word; this is the same claim as a number.
    With ``leave_one_out`` (default) each token is left out of its own word's mean, so it
    cannot attract the mean it is tested against (the bias is 1/n: tiny for ~950 tokens per
    word, large for rare words); words with a single token are then skipped. A tie counts as
    wrong. Returns ``accuracy``, ``per_word`` accuracy, ``n_tokens`` counted and ``skipped``.
    """
    hidden = check_tokens(hidden, words)
    groups = np.asarray(words, dtype=str)
    right, counted = _nearest_mean(hidden, groups, leave_one_out)
    per_word = {
        str(w): float(right[(groups == w) & counted].mean()) for w in np.unique(groups[counted])
    }
    return {
        "accuracy": float(right[counted].mean()) if counted.any() else float("nan"),
        "per_word": per_word,
        "n_tokens": int(counted.sum()),
        "skipped": sorted(str(w) for w in np.unique(groups[~counted])),
        "leave_one_out": leave_one_out,
    }


def role_separation(
    hidden: Any,
    words: Sequence[str],
    flags: Sequence[bool],
    word: str,
    names: tuple[str, str] = ("sentence-initial", "object"),
) -> dict[str, Any]:
    """Do the flagged tokens of ``word`` (e.g. sentence-initial "boy") sit apart from the rest?

    The two groups are the word's tokens with the flag (``names[0]``) and without
    (``names[1]``). Returns per group its ``n`` and ``spread`` (root-mean-square distance of its
    tokens to their mean); ``distance`` between the two means; ``ratio`` = distance / pooled
    spread (the RMS over both groups; > 2 means the groups barely touch); and ``accuracy``, the
    share of tokens whose nearest group mean (leave-one-out) is their own group's, beside
    ``majority`` (the share of the larger group, the score of always guessing it).
    """
    hidden = check_tokens(hidden, words)
    if len(flags) != len(words):
        raise UserError(f"{len(flags)} flags for {len(words)} tokens")
    mine = np.asarray(words, dtype=str) == word
    flag = np.asarray(flags, dtype=bool)[mine]
    points = hidden[mine]
    sizes = (int(flag.sum()), int((~flag).sum()))
    if min(sizes) < 2:
        raise UserError(f"{word!r} needs two tokens of each role, has {sizes[0]} and {sizes[1]}")
    means = [points[flag].mean(axis=0), points[~flag].mean(axis=0)]
    squared = [
        np.sum((points[g] - m) ** 2, axis=1) for g, m in zip((flag, ~flag), means, strict=True)
    ]
    pooled = float(np.sqrt(np.concatenate(squared).mean()))
    distance = float(np.linalg.norm(means[0] - means[1]))
    right, _ = _nearest_mean(points, flag, leave_one_out=True)
    return {
        "word": word,
        "groups": {
            name: {"n": n, "spread": float(np.sqrt(s.mean()))}
            for name, n, s in zip(names, sizes, squared, strict=True)
        },
        "distance": distance,
        "ratio": distance / pooled if pooled > 0 else float("inf"),
        "accuracy": float(right.mean()),
        "majority": max(sizes) / len(flag),
    }
