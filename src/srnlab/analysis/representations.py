"""What the hidden layer learned: word means, their cluster tree, and checks on single tokens.

Elman (1990, "Lexical classes from word order") froze the trained 31-150-31 net, ran the corpus
through it once more, kept the 150-d hidden vector of every word token, averaged them per word
and clustered the 29 means hierarchically. His tree splits verbs from nouns at the top, nouns
into animates and inanimates, animates into humans and animals. This module turns that reading
into numbers a test can check:

- :func:`word_means` and :func:`cluster` build the tree (scipy's ``linkage``; the paper does
  not name the linkage, so method and metric are parameters, average/Euclidean by default).
- :func:`read_tree` asks, for named partitions of the words (nouns | verbs, ...), whether every
  part is a branch of the tree (a *clean split*), where, and how well the tree's own top cut
  agrees with the partition (the adjusted Rand index, which degrades gracefully).
- :func:`where_is` and :func:`nearest_words` place one word, e.g. the novel word "zog".
- :func:`nearest_centroid_accuracy` and :func:`role_separation` check single tokens: the
  paper's caveat is that averaging over contexts could create categories by itself, so Elman
  also clustered the tokens (each falls under its own word; sentence-initial tokens apart
  from object tokens). A tree of ~27,500 tokens needs ~3 GB of pairwise distances, so we
  measure the same two claims with nearest-centroid classifiers instead.
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
from scipy.cluster.hierarchy import linkage as scipy_linkage
from scipy.spatial.distance import cdist, pdist

from srnlab.errors import UserError

Array = np.ndarray

#: scipy's linkage methods. centroid, median and ward are defined for Euclidean distances only.
LINKAGE_METHODS = ("single", "complete", "average", "weighted", "centroid", "median", "ward")
EUCLIDEAN_ONLY = ("centroid", "median", "ward")
#: Distances between hidden vectors (scipy.spatial.distance names).
METRICS = (
    "euclidean",
    "sqeuclidean",
    "cityblock",
    "chebyshev",
    "cosine",
    "correlation",
    "canberra",
    "braycurtis",
)


# ---- the tree of word means ------------------------------------------------------------------


def _check_tokens(hidden: Any, words: Sequence[str]) -> Array:
    hidden = np.asarray(hidden, dtype=float)
    if hidden.ndim != 2:
        raise UserError(f"hidden must be one row per token (T, H), got shape {hidden.shape}")
    if len(words) != hidden.shape[0]:
        raise UserError(f"{len(words)} words for {hidden.shape[0]} hidden vectors")
    return hidden


def word_means(hidden: Any, words: Sequence[str]) -> tuple[list[str], Array]:
    """The mean hidden vector of each word's tokens: (labels in sorted order, (W, H) matrix)."""
    hidden = _check_tokens(hidden, words)
    labels, index = np.unique(np.asarray(words, dtype=str), return_inverse=True)
    sums = np.zeros((len(labels), hidden.shape[1]))
    np.add.at(sums, index, hidden)
    counts = np.bincount(index, minlength=len(labels))
    return [str(w) for w in labels], sums / counts[:, None]


def cluster(matrix: Any, method: str = "average", metric: str = "euclidean") -> Array:
    """Agglomerative clustering of the rows; the scipy linkage matrix, shape (n - 1, 4).

    Row i merges clusters ``Z[i, 0]`` and ``Z[i, 1]`` (ids below n are the rows themselves,
    id n + i is the cluster made at row i) at height ``Z[i, 2]`` into ``Z[i, 3]`` leaves.
    """
    if method not in LINKAGE_METHODS:
        raise UserError(f"unknown linkage {method!r}; valid: {', '.join(LINKAGE_METHODS)}")
    if metric not in METRICS:
        raise UserError(f"unknown metric {metric!r}; valid: {', '.join(METRICS)}")
    if method in EUCLIDEAN_ONLY and metric != "euclidean":
        raise UserError(f"linkage {method!r} needs metric 'euclidean', got {metric!r}")
    matrix = np.asarray(matrix, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] < 2:
        raise UserError(f"need a (n >= 2, d) matrix of vectors to cluster, got {matrix.shape}")
    distances = pdist(matrix, metric=metric)
    if not np.all(np.isfinite(distances)):
        raise UserError(
            f"metric {metric!r} is undefined for some rows (a constant row has no direction)"
        )
    return np.asarray(scipy_linkage(distances, method=method))


class _Tree:
    """Parent links, depths and leaf sets of a linkage matrix (node ids as in scipy)."""

    def __init__(self, linkage: Any, labels: Sequence[str]) -> None:
        self.Z = np.asarray(linkage, dtype=float)
        self.n = self.Z.shape[0] + 1
        if len(labels) != self.n:
            raise UserError(f"{len(labels)} labels for a tree of {self.n} leaves")
        self.labels = list(labels)
        self.index = {w: i for i, w in enumerate(self.labels)}
        self.children = {self.n + i: (int(a), int(b)) for i, (a, b) in enumerate(self.Z[:, :2])}
        self.leaves: dict[int, frozenset[int]] = {i: frozenset([i]) for i in range(self.n)}
        for node, (a, b) in self.children.items():  # children always come before parents
            self.leaves[node] = self.leaves[a] | self.leaves[b]
        self.root = 2 * self.n - 2
        self.depth = {self.root: 0}
        for node in range(self.root, self.n - 1, -1):
            for child in self.children[node]:
                self.depth[child] = self.depth[node] + 1

    def height(self, node: int) -> float:
        return 0.0 if node < self.n else float(self.Z[node - self.n, 2])

    def smallest_containing(self, members: frozenset[int]) -> int:
        """The lowest node whose leaves include all ``members`` (their common ancestor)."""
        if len(members) == 1:
            return next(iter(members))
        return next(node for node in self.children if members <= self.leaves[node])

    def words(self, node: int) -> list[str]:
        return sorted(self.labels[i] for i in self.leaves[node])

    def top_cut(self, members: frozenset[int], k: int) -> list[frozenset[int]]:
        """Cut the tree restricted to ``members`` into (at most) k clusters, highest merge first.

        The restricted tree keeps only the branches that hold members; cutting it splits the
        highest remaining merge until there are k clusters (for a monotone linkage, the same
        as cutting the whole tree at one height and dropping the other words).
        """

        def restricted(node: int) -> int:  # go down while one child holds every member
            while node >= self.n:
                inside = [c for c in self.children[node] if self.leaves[c] & members]
                if len(inside) == 2:
                    return node
                node = inside[0]
            return node

        parts = [restricted(self.smallest_containing(members))]
        while len(parts) < k:
            splittable = [p for p in parts if p >= self.n]
            if not splittable:
                break
            top = max(splittable, key=lambda p: (self.height(p), p))
            parts.remove(top)
            parts += [restricted(c) for c in self.children[top] if self.leaves[c] & members]
        return [self.leaves[p] & members for p in parts]


def adjusted_rand_index(truth: Sequence[Any], predicted: Sequence[Any]) -> float:
    """Agreement of two partitions of the same items, corrected for chance (Hubert & Arabie).

    Counts the pairs of items both partitions put together: 1 for identical partitions, about 0
    for unrelated ones (it can go below 0). Two trivial partitions that agree give 1.
    """
    _, t = np.unique(np.asarray(truth), return_inverse=True)
    _, p = np.unique(np.asarray(predicted), return_inverse=True)
    table = np.zeros((t.max() + 1, p.max() + 1))
    np.add.at(table, (t, p), 1)

    def pairs(x: Array) -> float:
        return float(np.sum(x * (x - 1) / 2))

    together = pairs(table)
    in_truth, in_predicted = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = in_truth * in_predicted / pairs(np.array([float(len(t))]))
    most = (in_truth + in_predicted) / 2
    if most == expected:
        return 1.0
    return (together - expected) / (most - expected)


def read_tree(
    linkage: Any, labels: Sequence[str], partitions: Mapping[str, Mapping[str, Collection[str]]]
) -> dict[str, Any]:
    """Does the tree reproduce each named partition of the words? One dict per partition.

    ``partitions`` maps a name to its parts, e.g. ``{"nouns vs verbs": {"nouns": {...},
    "verbs": {...}}}`` (see :func:`elman_partitions`). Only the partition's own words count:
    "animates vs inanimates" is read on the tree restricted to the nouns. Per partition:

    - ``clean``: every part is a branch of the restricted tree, i.e. the smallest node holding
      a part holds no word of another part. For two parts this is the paper's claim "the tree
      splits X from Y": the restricted tree's top merge joins exactly the two parts.
    - ``ari``: the adjusted Rand index between the parts and the restricted tree cut into as
      many clusters as there are parts (highest merges first): 1 for a clean top split, about 0
      for a tree unrelated to the partition; one stray word lowers it but not to 0 (one of 12
      words on the wrong side of a 6 | 6 split: 0.66).
      (The other candidate, purity of the top two branches, is >= 0.5 even by chance.)
    - ``join_height``, ``join_depth``: where all the partition's words meet (depth 0 = root).
    - ``parts``: per part its ``words``, and the smallest node holding the part in the whole
      tree: its merge ``height``, ``depth``, ``size``, ``intruders`` from other parts (none iff
      the part is clean), ``others`` (leaves outside the partition, e.g. "zog" among the
      humans) and ``is_branch`` (that node holds the part and nothing else).
    - ``missing``: named words not in the tree (a word absent from the corpus, e.g. "man"
      when "zog" replaced it); they are left out of everything above.
    """
    tree = _Tree(linkage, labels)
    report: dict[str, Any] = {}
    for name, parts in partitions.items():
        if len(parts) < 2:
            raise UserError(f"partition {name!r} needs at least two parts, got {len(parts)}")
        seen: dict[str, str] = {}
        for part, words in parts.items():
            for word in words:
                if word in seen:
                    raise UserError(
                        f"partition {name!r}: {word!r} is in both {seen[word]!r} and {part!r}"
                    )
                seen[word] = part
        present = {
            p: frozenset(tree.index[w] for w in ws if w in tree.index) for p, ws in parts.items()
        }
        empty = [p for p, members in present.items() if not members]
        if empty:
            raise UserError(f"partition {name!r}: no word of {empty} is in the tree")
        everyone = frozenset().union(*present.values())
        part_reports = {}
        for part, members in present.items():
            node = tree.smallest_containing(members)
            inside = tree.leaves[node]
            part_reports[part] = {
                "words": sorted(tree.labels[i] for i in members),
                "height": tree.height(node),
                "depth": tree.depth[node],
                "size": len(inside),
                "intruders": sorted(tree.labels[i] for i in (inside - members) & everyone),
                "others": sorted(tree.labels[i] for i in inside - everyone),
                "is_branch": inside == members,
            }
        truth = {i: p for p, members in present.items() for i in members}
        cut = tree.top_cut(everyone, len(parts))
        order = sorted(everyone)
        found = {i: k for k, members in enumerate(cut) for i in members}
        join = tree.smallest_containing(everyone)
        report[name] = {
            "clean": all(not r["intruders"] for r in part_reports.values()),
            "ari": adjusted_rand_index([truth[i] for i in order], [found[i] for i in order]),
            "join_height": tree.height(join),
            "join_depth": tree.depth[join],
            "parts": part_reports,
            "missing": sorted(w for w in seen if w not in tree.index),
        }
    return report


def elman_partitions(categories: Mapping[str, Collection[str]]) -> dict[str, dict[str, set[str]]]:
    """The three splits of Elman's tree, built from the category membership.

    nouns | verbs (categories named NOUN-* and VERB-*); among nouns, animates (NOUN-HUM,
    NOUN-ANIM, NOUN-AGRESS) | inanimates (NOUN-INANIM, NOUN-FRAG, NOUN-FOOD); among animates,
    humans (NOUN-HUM) | animals (the other animates). Works for the "disjoint" and the
    "superset" membership alike, since both are unions.
    """
    needed = ("NOUN-HUM", "NOUN-ANIM", "NOUN-AGRESS", "NOUN-INANIM", "NOUN-FRAG", "NOUN-FOOD")
    lacking = [c for c in needed if c not in categories]
    if lacking:
        raise UserError(f"categories lack {', '.join(lacking)}; have {', '.join(categories)}")

    def union(names: Sequence[str]) -> set[str]:
        return set().union(*(set(categories[c]) for c in names))

    nouns = union([c for c in categories if c.startswith("NOUN")])
    verbs = union([c for c in categories if c.startswith("VERB")])
    humans = set(categories["NOUN-HUM"])
    animates = union(["NOUN-HUM", "NOUN-ANIM", "NOUN-AGRESS"])
    return {
        "nouns vs verbs": {"nouns": nouns, "verbs": verbs},
        "animates vs inanimates": {
            "animates": animates,
            "inanimates": union(["NOUN-INANIM", "NOUN-FRAG", "NOUN-FOOD"]),
        },
        "humans vs animals": {"humans": humans, "animals": animates - humans},
    }


def where_is(
    linkage: Any,
    labels: Sequence[str],
    word: str,
    categories: Mapping[str, Collection[str]] | None = None,
    min_others: int = 1,
) -> dict[str, Any]:
    """The smallest cluster holding ``word`` and at least ``min_others`` other words.

    Returns its ``members`` (the other words), merge ``height`` and ``depth``, and with
    ``categories`` how many members each category has (``categories``, largest first): for
    the novel word, "zog" should land among the human nouns where "man" was.
    """
    tree = _Tree(linkage, labels)
    if word not in tree.index:
        raise UserError(f"{word!r} is not a leaf of the tree; leaves: {', '.join(tree.labels)}")
    if not 1 <= min_others < tree.n:
        raise UserError(f"min_others must be 1 to {tree.n - 1}, got {min_others}")
    leaf = tree.index[word]
    node = next(
        n for n in tree.children if leaf in tree.leaves[n] and len(tree.leaves[n]) > min_others
    )
    members = [w for w in tree.words(node) if w != word]
    report: dict[str, Any] = {
        "word": word,
        "members": members,
        "height": tree.height(node),
        "depth": tree.depth[node],
    }
    if categories is not None:
        counts = {c: sum(w in set(ws) for w in members) for c, ws in categories.items()}
        report["categories"] = dict(
            sorted(((c, n) for c, n in counts.items() if n), key=lambda cn: -cn[1])
        )
    return report


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


# ---- single tokens ---------------------------------------------------------------------------


def _nearest_mean(hidden: Array, groups: Array, leave_one_out: bool) -> tuple[Array, Array]:
    """For each token, whether its nearest group mean is its own group's; and which tokens count.

    Leaving the token out of its own mean needs no second pass: with n tokens in the group,
    mean and token h, the mean of the other n - 1 is c' = (n c - h) / (n - 1), so
    h - c' = n / (n - 1) (h - c). The distance to one's own mean grows by n / (n - 1); the
    distances to the other means do not change. A group of one token has no such mean, so its
    token is not counted.
    """
    ids, index, counts = np.unique(groups, return_inverse=True, return_counts=True)
    sums = np.zeros((len(ids), hidden.shape[1]))
    np.add.at(sums, index, hidden)
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
    hidden = _check_tokens(hidden, words)
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
    hidden = _check_tokens(hidden, words)
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
    labels, means = word_means(hidden, words)
    tree = cluster(means, method, metric)
    out: dict[str, Any] = {
        "method": method,
        "metric": metric,
        "labels": labels,
        "linkage": tree.tolist(),
        "tree": read_tree(tree, labels, partitions),
        "tokens": nearest_centroid_accuracy(hidden, words),
    }
    if flags is not None:
        out["roles"] = {w: role_separation(hidden, words, flags, w) for w in role_words}
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
