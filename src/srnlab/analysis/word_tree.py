"""The cluster tree of word means, and how to read it against the categories it should show.

Elman (1990) clustered the mean hidden vector of each word hierarchically; his tree splits verbs
from nouns at the top, nouns into animates and inanimates, animates into humans and animals.

- :func:`cluster` builds the tree (scipy's ``linkage``; the paper does not name the linkage,
  so method and metric are parameters, average/Euclidean by default).
- :func:`read_tree` asks, for named partitions of the words (nouns | verbs, ...), whether every
  part is a branch of the tree (a *clean split*), where, and how well the tree's own top cut
  agrees with the partition (:func:`adjusted_rand_index`, which degrades gracefully);
  :func:`elman_partitions` gives the paper's three partitions.
- :func:`where_is` places one word, e.g. the novel word "zog".
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
from scipy.cluster.hierarchy import linkage as scipy_linkage
from scipy.spatial.distance import pdist

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
    return {name: _read_partition(tree, name, parts) for name, parts in partitions.items()}


def _read_partition(tree: _Tree, name: str, parts: Mapping[str, Collection[str]]) -> dict[str, Any]:
    """One partition's entry of :func:`read_tree`."""
    if len(parts) < 2:
        raise UserError(f"partition {name!r} needs at least two parts, got {len(parts)}")
    named = _words_of_partition(name, parts)
    present = {
        p: frozenset(tree.index[w] for w in ws if w in tree.index) for p, ws in parts.items()
    }
    empty = [p for p, members in present.items() if not members]
    if empty:
        raise UserError(f"partition {name!r}: no word of {empty} is in the tree")
    everyone = frozenset().union(*present.values())
    part_reports = {part: _read_part(tree, members, everyone) for part, members in present.items()}
    truth = {i: p for p, members in present.items() for i in members}
    cut = tree.top_cut(everyone, len(parts))
    order = sorted(everyone)
    found = {i: k for k, members in enumerate(cut) for i in members}
    join = tree.smallest_containing(everyone)
    return {
        "clean": all(not r["intruders"] for r in part_reports.values()),
        "ari": adjusted_rand_index([truth[i] for i in order], [found[i] for i in order]),
        "join_height": tree.height(join),
        "join_depth": tree.depth[join],
        "parts": part_reports,
        "missing": sorted(w for w in named if w not in tree.index),
    }


def _words_of_partition(name: str, parts: Mapping[str, Collection[str]]) -> list[str]:
    """Every word the partition names, in order, refusing a word named in two parts."""
    seen: dict[str, str] = {}
    for part, words in parts.items():
        for word in words:
            if word in seen:
                raise UserError(
                    f"partition {name!r}: {word!r} is in both {seen[word]!r} and {part!r}"
                )
            seen[word] = part
    return list(seen)


def _read_part(tree: _Tree, members: frozenset[int], everyone: frozenset[int]) -> dict[str, Any]:
    """Where one part sits: the smallest node of the whole tree that holds all its words."""
    node = tree.smallest_containing(members)
    inside = tree.leaves[node]
    return {
        "words": sorted(tree.labels[i] for i in members),
        "height": tree.height(node),
        "depth": tree.depth[node],
        "size": len(inside),
        "intruders": sorted(tree.labels[i] for i in (inside - members) & everyone),
        "others": sorted(tree.labels[i] for i in inside - everyone),
        "is_branch": inside == members,
    }


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
