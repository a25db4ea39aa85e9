"""The analysis of hidden representations, on data whose answer is known by construction."""

from __future__ import annotations

import json

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Text
from scipy.cluster.hierarchy import dendrogram as scipy_dendrogram
from scipy.spatial.distance import cdist

from srnlab.analysis import representations as rep
from srnlab.errors import UserError
from srnlab.plots import CATEGORY_COLOURS
from srnlab.plots import representations as rplots

# Four tight groups of three words in the plane: humans and animals near each other (left),
# food and things near each other (right), the two sides far apart. The tree must be
# ((humans, animals), (food, things)).
GROUPS = {
    "humans": ["man", "woman", "boy"],
    "animals": ["cat", "dog", "lion"],
    "food": ["bread", "cookie", "sandwich"],
    "things": ["book", "rock", "car"],
}
CENTRES = {"humans": (0.0, 0.0), "animals": (0.0, 3.0), "food": (20.0, 0.0), "things": (20.0, 3.0)}
OFFSETS = [(0.0, 0.0), (0.2, 0.0), (0.0, 0.2)]
PARTITIONS = {
    "left vs right": {
        "left": {*GROUPS["humans"], *GROUPS["animals"]},
        "right": {*GROUPS["food"], *GROUPS["things"]},
    },
    "humans vs animals": {"humans": set(GROUPS["humans"]), "animals": set(GROUPS["animals"])},
}


def points(groups: dict[str, list[str]] = GROUPS) -> tuple[list[str], np.ndarray]:
    labels, rows = [], []
    for name, words in groups.items():
        for word, offset in zip(words, OFFSETS, strict=True):
            labels.append(word)
            rows.append(np.add(CENTRES[name], offset))
    return labels, np.array(rows)


def tree(groups: dict[str, list[str]] = GROUPS) -> tuple[np.ndarray, list[str]]:
    labels, matrix = points(groups)
    return rep.cluster(matrix), labels


# ---- word means and clustering ---------------------------------------------------------------


def test_word_means_averages_each_words_tokens_in_sorted_order() -> None:
    hidden = np.array([[1.0, 0.0], [0.0, 4.0], [3.0, 2.0], [0.0, 0.0]])
    labels, matrix = rep.word_means(hidden, ["dog", "cat", "dog", "cat"])
    assert labels == ["cat", "dog"]
    np.testing.assert_array_equal(matrix, [[0.0, 2.0], [2.0, 1.0]])


def test_group_sums_add_each_groups_rows_in_order_as_add_at_does() -> None:
    # Order-sensitive rows: 1e16 + 1 + 1 - 1e16 is 0 added in row order, 2 in others; and
    # random rows of every magnitude, a group with no rows, single-row groups.
    tricky = np.array([[1e16], [1.0], [1.0], [-1e16]])
    assert rep.group_sums(tricky, np.zeros(4, dtype=int), 1).tolist() == [[0.0]]
    rng = np.random.default_rng(5)
    for n_rows, n_groups in ((1, 1), (7, 3), (500, 40), (3000, 5)):
        rows = rng.standard_normal((n_rows, 17)) * 10.0 ** rng.uniform(-8, 8, (n_rows, 1))
        groups = rng.integers(0, n_groups, n_rows)
        expected = np.zeros((n_groups + 1, 17))  # the last group has no rows
        np.add.at(expected, groups, rows)
        assert rep.group_sums(rows, groups, n_groups + 1).tobytes() == expected.tobytes()


def test_word_means_rejects_a_length_mismatch() -> None:
    with pytest.raises(UserError, match="3 words for 2 hidden vectors"):
        rep.word_means(np.zeros((2, 3)), ["a", "b", "c"])


def test_cluster_returns_scipys_linkage_and_validates_method_and_metric() -> None:
    _, matrix = points()
    z = rep.cluster(matrix)
    assert z.shape == (11, 4)
    assert z[-1, 3] == 12  # the last merge holds every leaf
    with pytest.raises(UserError, match="unknown linkage 'avg'; valid: single, complete, average"):
        rep.cluster(matrix, method="avg")
    with pytest.raises(UserError, match="unknown metric 'euclid'; valid: euclidean, sqeuclidean"):
        rep.cluster(matrix, metric="euclid")
    with pytest.raises(UserError, match="'ward' needs metric 'euclidean'"):
        rep.cluster(matrix, method="ward", metric="cosine")
    with pytest.raises(UserError, match="undefined for some rows"):
        rep.cluster(np.array([[0.0, 0.0], [1.0, 1.0]]), metric="cosine")


# ---- reading the tree ------------------------------------------------------------------------


def test_separated_groups_give_clean_splits_where_they_were_built() -> None:
    z, labels = tree()
    reading = rep.read_tree(z, labels, PARTITIONS)
    top = reading["left vs right"]
    assert top["clean"] and top["ari"] == 1.0
    assert top["join_depth"] == 0  # the root
    assert top["parts"]["left"]["depth"] == 1 and top["parts"]["left"]["is_branch"]
    assert top["parts"]["left"]["height"] < top["join_height"]
    inner = reading["humans vs animals"]
    assert inner["clean"] and inner["ari"] == 1.0
    assert inner["join_depth"] == 1  # the left branch of the root
    assert inner["parts"]["humans"] == {
        "words": ["boy", "man", "woman"],
        # man and woman meet at 0.2; boy joins at the mean of its distances to them (average link)
        "height": pytest.approx(np.mean([0.2, np.hypot(0.2, 0.2)])),
        "depth": 2,
        "size": 3,
        "intruders": [],
        "others": [],
        "is_branch": True,
    }
    assert inner["missing"] == []


def test_shuffled_labels_give_no_clean_split() -> None:
    # The same tree of points, the words dealt round-robin: every built group mixes both sides.
    words = [w for group in GROUPS.values() for w in group]
    dealt = [words[(3 * k) % 12 + (3 * k) // 12] for k in range(12)]
    z, _ = tree()
    reading = rep.read_tree(z, dealt, PARTITIONS)
    assert not reading["left vs right"]["clean"]
    assert not reading["humans vs animals"]["clean"]
    assert reading["left vs right"]["ari"] < 0.2


def test_one_stray_word_lowers_the_score_by_the_hand_computed_amount() -> None:
    # "boy" moves over to the food: left has 5 words, right 7 (boy among them).
    labels, matrix = points()
    matrix[labels.index("boy")] = (20.1, 0.1)
    reading = rep.read_tree(rep.cluster(matrix), labels, PARTITIONS)["left vs right"]
    assert not reading["clean"]
    assert reading["parts"]["right"]["intruders"] == ["boy"]
    # Holding boy as well, the left part's smallest node is the root: every right word intrudes.
    assert reading["parts"]["left"]["intruders"] == sorted(PARTITIONS["left vs right"]["right"])
    assert reading["parts"]["left"]["depth"] == 0
    # Pairs: together in both 10 + 15 = 25; in truth 2 C(6,2) = 30; in the cut C(5,2) + C(7,2)
    # = 31; expected 30 * 31 / C(12,2); maximum (30 + 31) / 2.
    expected = 30 * 31 / 66
    assert reading["ari"] == pytest.approx((25 - expected) / (30.5 - expected))


def test_adjusted_rand_index_by_hand() -> None:
    assert rep.adjusted_rand_index([0, 0, 0, 1, 1, 1], [5, 5, 5, 7, 7, 7]) == 1.0
    # Contingency [[2, 1], [0, 3]]: together 1 + 3 = 4, truth 6, cut 1 + 6 = 7, of 15 pairs.
    value = rep.adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 1, 1])
    assert value == pytest.approx((4 - 2.8) / (6.5 - 2.8))


def test_read_tree_reports_missing_and_outside_words() -> None:
    # "zog" sits with the humans and "man" is absent, as in the novel-word run.
    groups = {**GROUPS, "humans": ["zog", "woman", "boy"]}
    z, labels = tree(groups)
    reading = rep.read_tree(z, labels, PARTITIONS)["humans vs animals"]
    assert reading["missing"] == ["man"]
    assert reading["clean"]  # zog is no word of the partition, so it intrudes on nothing
    assert reading["parts"]["humans"]["others"] == ["zog"]
    assert not reading["parts"]["humans"]["is_branch"]


def test_read_tree_rejects_overlapping_parts() -> None:
    z, labels = tree()
    with pytest.raises(UserError, match="'man' is in both 'a' and 'b'"):
        rep.read_tree(z, labels, {"bad": {"a": {"man"}, "b": {"man", "cat"}}})


def test_elman_partitions_from_the_superset_membership() -> None:
    categories = {
        "NOUN-HUM": {"man", "woman"},
        "NOUN-ANIM": {"man", "woman", "cat", "lion"},  # superset: includes humans and AGRESS
        "NOUN-AGRESS": {"lion"},
        "NOUN-INANIM": {"rock", "glass", "bread"},
        "NOUN-FRAG": {"glass"},
        "NOUN-FOOD": {"bread"},
        "VERB-EAT": {"eat"},
        "VERB-INTRAN": {"sleep"},
    }
    parts = rep.elman_partitions(categories)
    assert parts["nouns vs verbs"]["verbs"] == {"eat", "sleep"}
    assert parts["animates vs inanimates"]["inanimates"] == {"rock", "glass", "bread"}
    assert parts["humans vs animals"] == {"humans": {"man", "woman"}, "animals": {"cat", "lion"}}
    with pytest.raises(UserError, match="lack NOUN-FOOD"):
        rep.elman_partitions({k: v for k, v in categories.items() if k != "NOUN-FOOD"})


def test_where_is_places_the_novel_word_among_the_humans() -> None:
    labels, matrix = points()
    labels.append("zog")
    matrix = np.vstack([matrix, [0.0, 0.01]])  # next to "man"
    z = rep.cluster(matrix)
    categories = {"NOUN-HUM": set(GROUPS["humans"]), "NOUN-ANIM": set(GROUPS["animals"])}
    near = rep.where_is(z, labels, "zog", categories)
    assert near["members"] == ["man"] and near["height"] == pytest.approx(0.01)
    assert near["categories"] == {"NOUN-HUM": 1}
    wider = rep.where_is(z, labels, "zog", categories, min_others=3)
    assert wider["members"] == ["boy", "man", "woman"]
    assert wider["depth"] == near["depth"] - 2  # two merges up: boy, then woman (both at 0.2)
    with pytest.raises(UserError, match="'zig' is not a leaf"):
        rep.where_is(z, labels, "zig")


def test_nearest_words_in_order_with_distances() -> None:
    labels, matrix = points()
    near = rep.nearest_words(matrix, labels, "man", k=3)
    assert [w for w, _ in near] == ["woman", "boy", "cat"]  # woman and boy tie at 0.2: stable
    assert [d for _, d in near] == pytest.approx([0.2, 0.2, 3.0])


# ---- single tokens ---------------------------------------------------------------------------


def test_nearest_centroid_accuracy_with_and_without_leaving_the_token_out() -> None:
    # a: tokens 0 and 2 (mean 1); b: 3.5 and 6.5 (mean 5); c: one token far away.
    hidden = np.array([[0.0], [2.0], [3.5], [6.5], [100.0]])
    words = ["a", "a", "b", "b", "c"]
    plain = rep.nearest_centroid_accuracy(hidden, words, leave_one_out=False)
    assert plain["accuracy"] == 1.0 and plain["n_tokens"] == 5
    # Left out, b's token 3.5 is 3.0 from the other b (6.5) but 2.5 from a's mean: wrong.
    loo = rep.nearest_centroid_accuracy(hidden, words)
    assert loo["accuracy"] == 0.75
    assert loo["per_word"] == {"a": 1.0, "b": 0.5}
    assert loo["skipped"] == ["c"] and loo["n_tokens"] == 4


def test_leave_one_out_shortcut_equals_recomputing_each_mean() -> None:
    rng = np.random.default_rng(0)
    words = list(rng.choice(["x", "y", "z"], size=60))
    hidden = (
        rng.normal(size=(60, 4))
        + np.array([{"x": 0, "y": 0.6, "z": 1.2}[w] for w in words])[:, None]
    )
    labels, means = rep.word_means(hidden, words)
    right = []
    for t, word in enumerate(words):
        others = [i for i, w in enumerate(words) if w == word and i != t]
        centres = means.copy()
        centres[labels.index(word)] = hidden[others].mean(axis=0)
        right.append(labels[int(np.argmin(cdist(hidden[t : t + 1], centres)[0]))] == word)
    result = rep.nearest_centroid_accuracy(hidden, words)
    assert 0.3 < result["accuracy"] < 1.0  # a test that can tell the two apart
    assert result["accuracy"] == pytest.approx(np.mean(right))


def test_role_separation_by_hand() -> None:
    hidden = np.array([[0, 0], [0, 2], [4, 0], [4, 2], [9, 9]], dtype=float)
    words = ["boy", "boy", "boy", "boy", "girl"]
    initial = [True, True, False, False, True]
    result = rep.role_separation(hidden, words, initial, "boy")
    assert result["distance"] == 4.0  # means (0, 1) and (4, 1)
    assert result["groups"] == {
        "sentence-initial": {"n": 2, "spread": 1.0},
        "object": {"n": 2, "spread": 1.0},
    }
    assert result["ratio"] == 4.0 and result["accuracy"] == 1.0 and result["majority"] == 0.5
    # Roles that overlap: the groups' means coincide and nobody is nearer their own.
    mixed = rep.role_separation(hidden, words, [True, False, False, True, True], "boy")
    assert mixed["distance"] == 0.0 and mixed["accuracy"] == 0.0
    with pytest.raises(UserError, match="two tokens of each role"):
        rep.role_separation(hidden, words, [True, False, False, False, True], "boy")


# ---- PCA -------------------------------------------------------------------------------------


def test_pca_finds_the_known_axis_and_its_share_of_variance() -> None:
    u, v = np.array([0.6, 0.8]), np.array([-0.8, 0.6])
    a, b = np.array([-2, -2, 2, 2.0]), np.array([-1, 1, -1, 1.0])  # variances 4 and 1
    matrix = np.array([5.0, -1.0]) + a[:, None] * u + b[:, None] * v
    result = rep.pca(matrix)
    np.testing.assert_allclose(result["explained"], [0.8, 0.2])
    np.testing.assert_allclose(result["components"][0], u)  # signed: largest entry positive
    np.testing.assert_allclose(result["coords"][:, 0], a, atol=1e-12)
    np.testing.assert_allclose(np.abs(result["coords"][:, 1]), np.abs(b), atol=1e-12)
    with pytest.raises(UserError, match="n_components must be 1 to 2"):
        rep.pca(matrix, n_components=3)


# ---- one report each, trained beside untrained -----------------------------------------------


def tokens(spread: float, seed: int) -> tuple[np.ndarray, list[str], list[bool]]:
    """Ten noisy tokens per word around the group points; half of them flagged initial."""
    rng = np.random.default_rng(seed)
    labels, matrix = points()
    words = [w for w in labels for _ in range(10)]
    hidden = np.repeat(matrix, 10, axis=0) + spread * rng.normal(size=(120, 2))
    return hidden, words, [k % 2 == 0 for k in range(120)]


def test_report_is_json_ready_and_compare_pairs_its_numbers() -> None:
    hidden, words, flags = tokens(0.01, seed=1)
    trained = rep.report(hidden, words, PARTITIONS, flags=flags, role_words=["boy"], novel="man")
    # The "untrained" net: the same tokens with the words' vectors dealt at random.
    rng = np.random.default_rng(2)
    shuffled = np.repeat(rng.permutation(points()[1]), 10, axis=0) + 0.01 * rng.normal(
        size=(120, 2)
    )
    untrained = rep.report(shuffled, words, PARTITIONS)
    json.dumps(trained)
    json.dumps(untrained)
    side = rep.compare(trained, untrained)
    assert side["tree.left vs right.clean"] == {"trained": True, "untrained": False}
    assert side["tokens.accuracy"]["trained"] == 1.0
    assert side["roles.boy.accuracy"]["untrained"] is None
    assert "linkage" not in side and trained["novel"]["nearest"][0][0] in {"woman", "boy"}


# ---- figures ---------------------------------------------------------------------------------

GROUP_WORDS = {name: set(words) for name, words in GROUPS.items()}


def test_dendrogram_writes_the_leaves_in_scipys_order_coloured_by_group() -> None:
    z, labels = tree()
    labels[0] = "zog"  # no group, highlighted
    fig = rplots.dendrogram(z, labels, GROUP_WORDS, highlight=["zog"])
    assert isinstance(fig, Figure)
    (ax,) = [a for a in fig.axes if a.get_yticklabels()]
    ticks = ax.get_yticklabels()
    assert [t.get_text() for t in ticks] == scipy_dendrogram(z, labels=labels, no_plot=True)["ivl"]
    colour = {t.get_text(): to_hex(t.get_color()) for t in ticks}
    assert colour["cat"] == to_hex(CATEGORY_COLOURS[1])  # animals, the second group
    assert colour["book"] == to_hex(CATEGORY_COLOURS[3])
    assert colour["zog"] == to_hex("0.55")
    bold = [t.get_text() for t in ticks if t.get_fontweight() == "bold"]
    assert bold == ["zog"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["humans", "animals", "food", "things", "no group", "bold: zog"]
    (merges,) = [c for c in ax.collections if c.get_gid() == "merges"]
    brackets = scipy_dendrogram(z, labels=labels, no_plot=True)
    assert len(merges.get_paths()) == 11  # one bracket per merge: height right, leaves down
    for path, ys, xs in zip(
        merges.get_paths(), brackets["icoord"], brackets["dcoord"], strict=True
    ):
        np.testing.assert_array_equal(path.vertices, np.column_stack([xs, ys]))


def test_two_dendrograms_side_by_side() -> None:
    z, labels = tree()
    fig = rplots.dendrograms({"trained": (z, labels), "untrained": (z, labels[::-1])}, GROUP_WORDS)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["trained", "untrained"]
    with pytest.raises(UserError, match="9 groups for 8"):
        rplots.dendrogram(z, labels, {str(k): {"man"} for k in range(9)})


def test_pca_plot_labels_every_word_and_states_the_variance_kept() -> None:
    labels, matrix = points()
    fig = rplots.pca_plot(matrix, labels, GROUP_WORDS, explained=[0.75, 0.125], highlight=["man"])
    (ax,) = fig.axes
    assert ax.get_xlabel() == "PC1 (75.0% of variance)"
    assert ax.get_ylabel() == "PC2 (12.5% of variance)"
    texts = {t.get_gid(): t for t in fig.findobj(Text) if (t.get_gid() or "").startswith("label_")}
    assert sorted(texts) == sorted(f"label_{w}" for w in labels)
    assert texts["label_man"].get_fontweight() == "bold"
    assert to_hex(texts["label_rock"].get_color()) == to_hex(CATEGORY_COLOURS[3])
