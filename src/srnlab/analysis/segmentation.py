"""Word segmentation from a prediction stream: where do the boundaries fall, and how well?

Elman (1990) read word boundaries off the per-letter prediction error: it peaks at the first
letter of a word and falls through the word. This module turns that reading into boundaries
and scores them, with the comparisons a reader needs:

- *error segmenters*: a boundary before step t's target wherever the error at step t is a
  local peak (``peaks``) or simply rises (``rises``);
- *the statistical-learning baseline* (Saffran, Aslin & Newport 1996): the transitional
  probability P(next letter | current letter), estimated from the training stream's letter
  bigrams, dips between words; ``dips`` and ``drops`` of it are the same two rules applied to
  -P, so network and baseline are compared like for like;
- *chance*: boundaries placed at random at the true boundary rate, scored analytically
  (``chance_scores``).

Alignment: everything is per *step*. Step t shows letter t and is scored on letter t + 1, so a
boundary at step t means "a word begins with step t's target" and the true boundaries are the
steps whose target starts a word (``WordStream.starts``). Step 0 has no earlier step to rise
from, so no rule ever marks it. All functions are pure and work on plain arrays.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TypedDict

import numpy as np

Array = np.ndarray
TransitionTable = dict[str, dict[str, float]]


class BoundaryScore(TypedDict):
    true_positives: int
    false_positives: int
    false_negatives: int
    precision: float
    recall: float
    f1: float


# ---- segmenters: values per step -> boundary per step ----------------------------------------


def peaks(values: Array, threshold: float = -np.inf) -> Array:
    """Local maxima: ``values[t] > values[t - 1]`` and ``values[t] >= values[t + 1]`` (the last
    step needs only the first), and ``values[t] >= threshold``.

    The strict rise on the left and the weak fall on the right count a plateau once, at its
    start. Step 0 is never a peak (nothing to rise from). Returns a (T,) bool array.
    """
    v = np.asarray(values, dtype=float)
    result = np.zeros(v.shape, dtype=bool)
    if v.size < 2:
        return result
    result[1:] = v[1:] > v[:-1]
    result[1:-1] &= v[1:-1] >= v[2:]
    return result & (v >= threshold)


def rises(values: Array, min_rise: float = 0.0) -> Array:
    """``values[t] - values[t - 1] > min_rise``: the value went up into step t (never step 0)."""
    v = np.asarray(values, dtype=float)
    result = np.zeros(v.shape, dtype=bool)
    result[1:] = np.diff(v) > min_rise
    return result


def dips(values: Array, threshold: float = np.inf) -> Array:
    """Local minima (``peaks`` of ``-values``), at or below ``threshold``."""
    return peaks(-np.asarray(values, dtype=float), -threshold)


def drops(values: Array) -> Array:
    """``values[t] < values[t - 1]`` (``rises`` of ``-values``)."""
    return rises(-np.asarray(values, dtype=float))


# ---- scoring ---------------------------------------------------------------------------------


def score_boundaries(predicted: Array, true: Array) -> BoundaryScore:
    """Precision, recall and F1 of predicted against true boundaries (two (T,) bool arrays).

    precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2 P R / (P + R); each is 0 where
    its denominator is 0 (scikit-learn's ``zero_division=0``), so nothing predicted scores 0.
    """
    predicted = np.asarray(predicted, dtype=bool)
    true = np.asarray(true, dtype=bool)
    if predicted.shape != true.shape:
        raise ValueError(f"predicted has shape {predicted.shape}, true {true.shape}")
    tp = int(np.sum(predicted & true))
    fp = int(np.sum(predicted & ~true))
    fn = int(np.sum(~predicted & true))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


# ---- the bigram baseline ---------------------------------------------------------------------


def transition_table(current: Sequence[str], following: Sequence[str]) -> TransitionTable:
    """P(next | current) from aligned pairs (``current[t]``, ``following[t]``): the count of
    each pair over the count of its first letter. For a wrapping stream of letters ``s``, pass
    ``s`` and ``s`` rotated by one, so every training step is one pair."""
    if len(current) != len(following):
        raise ValueError(f"{len(current)} current letters but {len(following)} following")
    pairs = Counter(zip(current, following, strict=True))
    totals = Counter(current)
    table: TransitionTable = {}
    for (a, b), count in sorted(pairs.items()):
        table.setdefault(a, {})[b] = count / totals[a]
    return table


def transitional_probabilities(
    current: Sequence[str], following: Sequence[str], table: TransitionTable
) -> Array:
    """P(following[t] | current[t]) under ``table`` for every step; 0 for a pair it never saw."""
    if len(current) != len(following):
        raise ValueError(f"{len(current)} current letters but {len(following)} following")
    return np.array(
        [table.get(a, {}).get(b, 0.0) for a, b in zip(current, following, strict=True)],
        dtype=float,
    )


def bigram_predictions(
    current: Sequence[str], table: TransitionTable, codes: dict[str, Array]
) -> Array:
    """The bigram predictor's output at every step: the expected code of the next letter,
    sum over b of P(b | current[t]) code(b) (the best prediction under squared error that
    sees only the current letter). Rows of zeros for a letter the table never saw."""
    width = len(next(iter(codes.values())))
    expected = {
        a: sum((p * np.asarray(codes[b], float) for b, p in row.items()), np.zeros(width))
        for a, row in table.items()
    }
    zero = np.zeros(width)
    return np.array([expected.get(a, zero) for a in current], dtype=float).reshape(-1, width)


# ---- chance ----------------------------------------------------------------------------------


def chance_scores(n_true: int, n_steps: int, n_marked: int | None = None) -> dict[str, float]:
    """Expected scores of ``n_marked`` boundaries (default ``n_true``: the true rate) placed
    uniformly at random among ``n_steps`` steps, ``n_true`` of which are true boundaries.

    The number of hits is hypergeometric with mean n_marked n_true / n_steps, so exactly
    E[precision] = n_true / n_steps (the base rate), E[recall] = n_marked / n_steps, and, since
    F1 = 2 TP / (n_marked + n_true), E[F1] = 2 n_marked n_true / (n_steps (n_marked + n_true)).
    At the true rate all three equal the base rate. (Marking each step independently with
    probability n_true / n_steps gives the same expected recall and, given at least one mark,
    the same expected precision.)
    """
    n_marked = n_true if n_marked is None else n_marked
    if not 0 <= n_true <= n_steps or not 0 <= n_marked <= n_steps or n_steps < 1:
        raise ValueError(
            f"need 0 <= n_true, n_marked <= n_steps >= 1; got {n_true}, {n_marked}, {n_steps}"
        )
    total = n_marked + n_true
    return {
        "precision": n_true / n_steps if n_marked else 0.0,
        "recall": n_marked / n_steps if n_true else 0.0,
        "f1": 2 * n_marked * n_true / (n_steps * total) if total else 0.0,
    }


def random_boundaries(n_marked: int, n_steps: int, rng: np.random.Generator) -> Array:
    """``n_marked`` distinct steps chosen uniformly at random: one draw of the chance model."""
    marked = np.zeros(n_steps, dtype=bool)
    marked[rng.choice(n_steps, size=n_marked, replace=False)] = True
    return marked
