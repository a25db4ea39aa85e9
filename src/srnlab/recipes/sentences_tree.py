"""How the sentences recipe reads the hidden layer: the partitions of the words Elman's
Figure 7 shows (nouns | verbs, animates | inanimates, humans | animals and finer), the tree of
word means read against them (``analysis.representations``), the novel word's place in it, and
the paper's reading of the tree as yes or no per claim.

Apart from ``recipes.sentences`` (which trains, runs and stores) so each can be read on its
own; nothing here trains or draws.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import numpy as np

from srnlab.analysis import representations as rep
from srnlab.tasks.sentences import NOVEL_WORD, TEMPLATES, SentenceCorpus

Array = np.ndarray

#: Elman's Figure 7 read as partitions of the words [F], beyond the three top splits that
#: ``representations.elman_partitions`` builds from the membership.
PAPER_SUBSPLITS: dict[str, dict[str, set[str]]] = {
    "small vs large animals": {
        "small": {"cat", "mouse", "dog"},
        "large": {"dragon", "monster", "lion"},
    },
    "food vs breakables vs other inanimates": {
        "food": {"cookie", "bread", "sandwich"},
        "breakables": {"glass", "plate"},
        "other": {"book", "rock", "car"},
    },
    "verbs by direct object (paper's reading)": {
        "obligatory": {"like", "chase", "eat"},
        "optional": {"see", "smell", "move", "break", "smash"},
        "absent": {"think", "sleep", "exist"},
    },
}
#: The three top splits, in the order the tree is read.
TOP_SPLITS = ("nouns vs verbs", "animates vs inanimates", "humans vs animals")


def _object_classes(members: Mapping[str, Collection[str]]) -> dict[str, set[str]]:
    """Verbs by what the grammar lets follow them: an object always, sometimes, never."""
    with_object: set[str] = set()
    without: set[str] = set()
    for row in TEMPLATES:
        verbs = set(members[row[1]])
        (with_object if len(row) == 3 else without).update(verbs)
    return {
        "object required": with_object - without,
        "object optional": with_object & without,
        "no object": without - with_object,
    }


def tree_partitions(members: Mapping[str, Collection[str]]) -> dict[str, dict[str, set[str]]]:
    """The partitions the tree is read against: the paper's three top splits (from the
    membership), its finer splits (``PAPER_SUBSPLITS``), and the verbs by the grammar's own
    object classes (which differ from the paper's reading: in its templates see, smell and
    smash always take an object)."""
    return {
        **rep.elman_partitions(members),
        **PAPER_SUBSPLITS,
        "verbs by direct object (grammar)": _object_classes(members),
    }


def word_groups(members: Mapping[str, Collection[str]]) -> dict[str, set[str]]:
    """Eight colour groups for the figures: five kinds of noun, three kinds of verb."""
    return {
        "humans": set(members["NOUN-HUM"]),
        "animals": {"cat", "mouse", "dog", "dragon", "monster", "lion"},
        "food": {"cookie", "bread", "sandwich"},
        "breakables": {"glass", "plate"},
        "other inanimates": {"book", "rock", "car"},
        **{f"verbs, {k}": v for k, v in _object_classes(members).items()},
    }


def subject_and_object_words(members: Mapping[str, Collection[str]]) -> list[str]:
    """Nouns the grammar uses both as first word and as object: their tokens in the two
    roles are compared (Elman: sentence-initial tokens cluster apart from object tokens)."""
    first = set().union(*(set(members[row[0]]) for row in TEMPLATES))
    objects = set().union(*(set(members[row[2]]) for row in TEMPLATES if len(row) == 3))
    return sorted(first & objects)


def _present(
    partitions: Mapping[str, Mapping[str, Collection[str]]], words: Collection[str]
) -> dict[str, dict[str, set[str]]]:
    """The partitions whose every part has a word in the corpus (a small corpus may lack
    some word; a split with an empty part cannot be read)."""
    present = set(words)
    return {
        name: {part: set(ws) for part, ws in parts.items()}
        for name, parts in partitions.items()
        if all(present & set(ws) for ws in parts.values())
    }


def _in_both_roles(candidates: list[str], words: tuple[str, ...], flags: Array) -> list[str]:
    """The candidates with at least two tokens in each role (what a comparison needs)."""
    tokens = np.asarray(words)
    kept = []
    for word in candidates:
        mine = tokens == word
        if np.sum(mine & flags) >= 2 and np.sum(mine & ~flags) >= 2:
            kept.append(word)
    return kept


def _substitute(
    partitions: Mapping[str, Mapping[str, Collection[str]]], swap: Mapping[str, str]
) -> dict[str, dict[str, set[str]]]:
    return {
        name: {part: {swap.get(w, w) for w in words} for part, words in parts.items()}
        for name, parts in partitions.items()
    }


def _substitute_members(
    members: Mapping[str, Collection[str]], swap: Mapping[str, str]
) -> dict[str, list[str]]:
    return {c: [swap.get(w, w) for w in words] for c, words in members.items()}


def humans_branch(tree: Mapping[str, Any], name: str = "trained") -> bool:
    """Do the human nouns form a branch of their own in ``name``'s tree (``tree_checks``)?"""
    branches = tree.get(f"{name}_branches", {}).get("humans vs animals", {})
    return bool(branches.get("humans", False))


def animals_branch(tree: Mapping[str, Any], name: str = "trained") -> bool:
    """Do the six animals (small and large) form a branch of their own in ``name``'s tree?"""
    branches = tree.get(f"{name}_branches", {}).get("humans vs animals", {})
    return bool(branches.get("animals", False))


def _part_words(splits: Mapping[str, Any], split: str, part: str) -> set[str]:
    """The words of one part of a read split (empty if a small corpus left the split out)."""
    return set(splits.get(split, {}).get("parts", {}).get(part, {}).get("words", []))


def tree_checks(reports: dict[str, Any], replaced_word: str = "man") -> dict[str, Any]:
    """The paper's reading of its tree, yes or no per claim, trained and untrained (and for
    the ideal predictor's outputs, where the reports have them).

    A split is shown when it is ``clean`` (every part a branch of the tree restricted to the
    partition's words). ``{name}_branches`` says, per split and part, whether that part alone
    is a branch of the whole tree: half a split can hold where the whole does not (the humans
    are a branch of their own while cat, mouse and dog join them before the large animals, so
    "the animals" are not). Three readings of "the novel word falls among the humans", strictest
    first: the smallest cluster holding it and one other word holds human nouns only
    (``in_human_cluster``, the paper's claim); its nearest word is a human noun
    (``nearest_is_human``); that cluster holds animate nouns only (``among_animates``).
    """
    out: dict[str, Any] = {}
    for name in ("trained", "untrained", "ideal"):
        if name not in reports:
            continue
        tree = reports[name]["tree"]
        out[name] = {split: bool(tree[split]["clean"]) for split in tree}
        out[f"{name}_ari"] = {split: float(tree[split]["ari"]) for split in tree}
        out[f"{name}_branches"] = {
            split: {part: bool(r["is_branch"]) for part, r in tree[split]["parts"].items()}
            for split in tree
        }
    if "novel" in reports:
        novel = reports["novel"]
        where = novel["novel"]
        others = set(where["members"])
        nearest = [w for w, _ in where["nearest"]]
        splits = novel["tree"]
        humans = _part_words(splits, "humans vs animals", "humans")
        animates = _part_words(splits, "animates vs inanimates", "animates")
        out["novel"] = {
            "nearest_cluster": where["members"],
            "nearest_words": nearest,
            "in_human_cluster": bool(others and others <= humans),
            "nearest_is_human": bool(nearest and nearest[0] in humans),
            "among_animates": bool(others and others <= animates),
            "humans_vs_animals_clean_with_novel": bool(
                splits.get("humans vs animals", {}).get("clean", False)
            ),
            "replaced_word": replaced_word,
        }
    return out


# ---- reading the trees ---------------------------------------------------------------------


def hidden_layer_reports(
    corpus: SentenceCorpus,
    members: Mapping[str, Collection[str]],
    hidden: Mapping[str, Array],
    likelihoods: Array,
    method: str,
    metric: str,
) -> tuple[dict[str, Any], dict[str, dict[str, set[str]]]]:
    """The trained and the untrained net's hidden vectors (``hidden``, one per token of the
    corpus) and the likelihood vectors, each read as the paper reads its tree; and the
    partitions they were read against (those the corpus has every part of)."""
    partitions = _present(tree_partitions(members), corpus.words)
    flags = corpus.position == 0
    role_words = _in_both_roles(subject_and_object_words(members), corpus.words, flags)

    def tree_report(vectors: Array, **token_checks: Any) -> dict[str, Any]:
        """One vector per token of the corpus, read as the paper reads its tree."""
        return rep.report(
            vectors, corpus.words, partitions, method=method, metric=metric, **token_checks
        )

    tokens = {"flags": flags, "role_words": role_words}
    reports = {
        "trained": tree_report(hidden["trained"], **tokens),
        "untrained": tree_report(hidden["untrained"], **tokens),
        # [R] The ideal predictor's outputs (the likelihood vectors) in place of hidden
        # vectors: the tree of what word order itself predicts after each word, beside the
        # net's. Not a hidden layer: it says which groupings the grammar's next-word
        # statistics support (e.g. humans | animals does not; see ``recipes.sentences``).
        "ideal": tree_report(likelihoods),
    }
    return reports, partitions


def novel_report(
    novel: SentenceCorpus,
    hidden: Array,
    partitions: Mapping[str, Mapping[str, Collection[str]]],
    members: Mapping[str, Collection[str]],
    replaced_word: str,
    method: str,
    metric: str,
) -> dict[str, Any]:
    """The tree of the novel-word corpus (``NOVEL_WORD`` for every ``replaced_word``), read
    against ``partitions`` with the novel word in the replaced word's place."""
    swap = {replaced_word: NOVEL_WORD}
    report = rep.report(
        hidden,
        novel.words,
        _present(_substitute(partitions, swap), novel.words),
        method=method,
        metric=metric,
        novel=NOVEL_WORD,
        categories=_substitute_members(members, swap),
    )
    report["replaced_word"] = replaced_word
    return report
