"""What the hidden layer learned: word means, their cluster tree, and checks on single tokens.

Elman (1990, "Lexical classes from word order") froze the trained 31-150-31 net, ran the corpus
through it once more, kept the 150-d hidden vector of every word token, averaged them per word
and clustered the 29 means hierarchically. His tree splits verbs from nouns at the top, nouns
into animates and inanimates, animates into humans and animals. This module turns that reading
into numbers a test can check, and is the one place to import them from:

- :func:`word_means` averages the tokens of each word; ``word_tree`` builds and reads the tree:
  :func:`cluster`, :func:`read_tree` (is each named partition a clean split of the tree, and
  how well does the tree's top cut agree with it), :func:`elman_partitions` and
  :func:`where_is`, which places one word, e.g. the novel word "zog".
- :func:`nearest_words` lists the words whose means lie nearest one word's.
- ``centroids`` checks single tokens (:func:`nearest_centroid_accuracy`,
  :func:`role_separation`): the paper's caveat is that averaging over contexts could create
  categories by itself, so Elman also clustered the tokens; nearest-centroid classifiers
  measure the same claims without a tree of ~27,500 tokens.
- :func:`pca` gives 2-d coordinates of the means, with the share of variance they keep.

The untrained baseline (Kolen 1994). Every function takes plain arrays, so it applies as is to
the hidden vectors of an untrained net, and :func:`report` gathers every number in one
JSON-ready dict that :func:`compare` sets side by side. How to read the pair: an untrained
SRN's state is already a function of the current input and the recent past, so

- token-level accuracy is high even untrained (a one-hot input adds its own random column of
  ``W_xh`` to every token of that word): it shows the vectors tell words apart, not learning;
- word means of an untrained net can already split by position (verbs always follow a noun),
  so a noun/verb split in the untrained tree is structure of the input, not of learning;
- what learning adds is what the trained tree has and the untrained one lacks: clean splits
  and ARI near 1 for animate/inanimate and human/animal, near 0 untrained.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
from scipy.spatial.distance import cdist

from srnlab.analysis.centroids import (
    check_tokens,
    group_sums,
    nearest_centroid_accuracy,
    role_separation,
)
from srnlab.analysis.word_tree import (
    EUCLIDEAN_ONLY,
    LINKAGE_METHODS,
    METRICS,
    adjusted_rand_index,
    cluster,
    elman_partitions,
    read_tree,
    where_is,
)
from srnlab.errors import UserError

Array = np.ndarray

__all__ = [
    "EUCLIDEAN_ONLY",
    "LINKAGE_METHODS",
    "METRICS",
    "adjusted_rand_index",
    "cluster",
    "compare",
    "elman_partitions",
    "group_sums",
    "nearest_centroid_accuracy",
    "nearest_words",
    "pca",
    "read_tree",
    "report",
    "role_separation",
    "where_is",
    "word_means",
]


# ---- word means ------------------------------------------------------------------------------


def word_means(hidden: Any, words: Sequence[str]) -> tuple[list[str], Array]:
    """The mean hidden vector of each word's tokens: (labels in sorted order, (W, H) matrix)."""
    hidden = check_tokens(hidden, words)
    labels, index = np.unique(np.asarray(words, dtype=str), return_inverse=True)
    sums = group_sums(hidden, index, len(labels))
    counts = np.bincount(index, minlength=len(labels))
    return [str(w) for w in labels], sums / counts[:, None]


def nearest_words(
    matrix: Any, labels: Sequence[str], word: str, k: int = 5, metric: str = "euclidean"
) -> list[tuple[str, float]]:
    """The k words whose mean vectors lie nearest to ``word``'s, nearest first, with distances."""
    if metric not in METRICS:
        raise UserError(f"unknown metric {metric!r}; valid: {', '.join(METRICS)}")
    labels = list(labels)
    if word not in labels:
        raise UserError(f"{word!r} is not among the labels: {', '.join(labels)}")
    matrix = np.asarray(matrix, dtype=float)
    i = labels.index(word)
    distances = cdist(matrix[i : i + 1], matrix, metric=metric)[0]
    order = [j for j in np.argsort(distances, kind="stable") if j != i][:k]
    return [(labels[j], float(distances[j])) for j in order]


# ---- PCA -------------------------------------------------------------------------------------


def pca(matrix: Any, n_components: int = 2) -> dict[str, Array]:
    """Principal components of the rows by SVD of the centred matrix.

    Returns ``coords`` (n, k), the rows in the new axes; ``components`` (k, d), unit vectors,
    each signed so its largest entry is positive (the same data always gives the same
    picture); ``explained`` (k,), the share of the total variance along each axis; ``mean``.
    """
    matrix = np.asarray(matrix, dtype=float)
    if matrix.ndim != 2:
        raise UserError(f"pca needs a 2-D matrix, got shape {matrix.shape}")
    k_max = min(matrix.shape)
    if not 1 <= n_components <= k_max:
        raise UserError(f"n_components must be 1 to {k_max}, got {n_components}")
    mean = matrix.mean(axis=0)
    _, s, vt = np.linalg.svd(matrix - mean, full_matrices=False)
    vt = vt[:n_components]
    signs = np.sign(vt[np.arange(len(vt)), np.argmax(np.abs(vt), axis=1)])
    vt = vt * signs[:, None]
    variance = s**2
    total = variance.sum()
    explained = variance[:n_components] / total if total > 0 else np.zeros(n_components)
    return {
        "coords": (matrix - mean) @ vt.T,
        "components": vt,
        "explained": explained,
        "mean": mean,
    }


# ---- one report per network, trained and untrained side by side -----------------------------


def report(
    hidden: Any,
    words: Sequence[str],
    partitions: Mapping[str, Mapping[str, Collection[str]]],
    *,
    method: str = "average",
    metric: str = "euclidean",
    flags: Sequence[bool] | None = None,
    role_words: Sequence[str] = (),
    novel: str | None = None,
    categories: Mapping[str, Collection[str]] | None = None,
) -> dict[str, Any]:
    """Every number of this module for one set of hidden vectors, as a JSON-ready dict.

    Holds the ``labels`` and ``linkage`` (to redraw the tree), ``tree`` (:func:`read_tree`),
    ``tokens`` (:func:`nearest_centroid_accuracy`), with ``flags`` the ``roles`` of each of
    ``role_words``, with ``novel`` where that word lands (:func:`where_is` and its nearest
    words), and the ``pca`` coordinates and explained shares.
    """
    tokens: Any = np.asarray(words, dtype=str)  # converted once, not by every check below
    labels, means = word_means(hidden, tokens)
    tree = cluster(means, method, metric)
    out: dict[str, Any] = {
        "method": method,
        "metric": metric,
        "labels": labels,
        "linkage": tree.tolist(),
        "tree": read_tree(tree, labels, partitions),
        "tokens": nearest_centroid_accuracy(hidden, tokens),
    }
    if flags is not None:
        out["roles"] = {w: role_separation(hidden, tokens, flags, w) for w in role_words}
    if novel is not None:
        out["novel"] = where_is(tree, labels, novel, categories)
        out["novel"]["nearest"] = nearest_words(means, labels, novel, metric=metric)
    components = pca(means)
    out["pca"] = {
        "coords": components["coords"].tolist(),
        "explained": components["explained"].tolist(),
    }
    return out


def _numbers(tree: Any, path: str = "") -> dict[str, Any]:
    """The scalar leaves (numbers, booleans) of a nested dict, keyed by their dotted path."""
    if isinstance(tree, Mapping):
        flat: dict[str, Any] = {}
        for key, value in tree.items():
            flat.update(_numbers(value, f"{path}.{key}" if path else str(key)))
        return flat
    if isinstance(tree, bool | int | float):
        return {path: tree}
    return {}


def compare(trained: Mapping[str, Any], untrained: Mapping[str, Any]) -> dict[str, Any]:
    """Two reports side by side: every number of either, ``{path: {"trained", "untrained"}}``.

    Paths are dotted keys, e.g. ``tree.humans vs animals.clean``. A number only one report has
    is paired with None. Lists (linkage, coordinates) are left out.
    """
    a, b = _numbers(trained), _numbers(untrained)
    keys = list(a) + [k for k in b if k not in a]
    return {k: {"trained": a.get(k), "untrained": b.get(k)} for k in keys}
