"""What the words recipe measures on one stream: the errors by the target's place in its word,
the word boundaries every segmenter finds, and the paper's pattern as a yes or no.

Apart from ``recipes.words`` (which trains, runs and stores) so each can be read on its own;
nothing here trains or draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from srnlab.analysis.prediction import central_span, mean_or_none, step_errors
from srnlab.analysis.segmentation import (
    BoundaryScore,
    chance_scores,
    dips,
    drops,
    peaks,
    rises,
    score_boundaries,
)
from srnlab.errors import UserError
from srnlab.tasks.words import LEXICON

Array = np.ndarray
ERROR_MEASURES = ("squared", "euclidean")
MAX_POSITION = max(len(w) for w in LEXICON)  # "happily": positions 0-6

#: The segmenters scored on every stream: (source, rule) -> a label for tables and figures.
SEGMENTERS: dict[str, str] = {
    "network_peaks": "network: error peaks",
    "network_peaks_above_mean": "network: error peaks >= mean",
    "network_rises": "network: error rises",
    "bigram_dips": "bigram: TP dips",
    "bigram_dips_below_mean": "bigram: TP dips <= mean",
    "bigram_drops": "bigram: TP drops",
    "ideal_peaks": "ideal predictor: error peaks",
    "ideal_peaks_above_mean": "ideal predictor: peaks >= mean",
    "ideal_rises": "ideal predictor: error rises",
    "chance": "chance (at the true rate)",
}
#: The headline comparison: the network's error peaks against the bigram's TP dips, the same
#: parameter-free rule (local extremes) applied to each.
HEADLINE = ("network_peaks", "bigram_dips")

# The paper's qualitative result as numbers (see ``pattern``); deliberately loose thresholds.
ONSET_TO_OTHER_RATIO = 2.0  # word-initial targets' mean error at least twice the others'
F1_OVER_CHANCE = 1.5  # the network's error peaks find boundaries well above chance


def measure(targets: Array, outputs: Array, positions: Array, ends: Array) -> dict[str, Any]:
    """Every error the paper looks at, for one predictor's outputs on one stream.

    ``positions[t]`` is the place of step t's *target* in its word (0 = word-initial) and
    ``ends[t]`` says that target is the last letter of its word; a one-letter word ("a") is
    word-initial, not counted as word-final.
    """
    positions = np.asarray(positions)
    initial = positions == 0
    final = np.asarray(ends, dtype=bool) & ~initial
    errors = step_errors(targets, outputs)
    result: dict[str, Any] = {}
    for name in ERROR_MEASURES:
        e = errors[name]
        result[name] = {
            "all": mean_or_none(e),
            "word_initial": mean_or_none(e[initial]),
            "other": mean_or_none(e[~initial]),
            "word_final": mean_or_none(e[final]),
            "by_position": [mean_or_none(e[positions == k]) for k in range(MAX_POSITION)],
            "word_initial_range": central_span(e[initial]),
        }
    return result


def onset_error_by_word(errors: Array, starts: Array, target_words: Sequence[str]) -> dict:
    """Mean error at the first letter of each word of the lexicon (None if it never occurs):
    which onsets the network could predict from the words before them."""
    starts = np.asarray(starts, dtype=bool)
    words = np.asarray(target_words)
    return {w: mean_or_none(np.asarray(errors)[starts & (words == w)]) for w in LEXICON}


def segment(
    network_errors: Array, ideal_errors: Array, transitional_probs: Array, true: Array
) -> dict[str, BoundaryScore | dict[str, float]]:
    """Precision, recall and F1 of every segmenter in ``SEGMENTERS`` on one stream.

    Thresholds ("above mean", "below mean") are the mean of the same stream's values: no
    labels are used to place any boundary.
    """
    true = np.asarray(true, dtype=bool)
    net, ideal = np.asarray(network_errors, float), np.asarray(ideal_errors, float)
    tp = np.asarray(transitional_probs, float)
    predicted = {
        "network_peaks": peaks(net),
        "network_peaks_above_mean": peaks(net, float(net.mean())),
        "network_rises": rises(net),
        "bigram_dips": dips(tp),
        "bigram_dips_below_mean": dips(tp, float(tp.mean())),
        "bigram_drops": drops(tp),
        "ideal_peaks": peaks(ideal),
        "ideal_peaks_above_mean": peaks(ideal, float(ideal.mean())),
        "ideal_rises": rises(ideal),
    }
    scores: dict[str, BoundaryScore | dict[str, float]] = {
        name: score_boundaries(marked, true) for name, marked in predicted.items()
    }
    scores["chance"] = chance_scores(int(true.sum()), true.size)
    return scores


def pattern(stream_metrics: dict[str, Any], error_measure: str) -> dict[str, Any]:
    """The paper's result, checked on one stream's metrics: the error at word-initial targets
    is well above the rest (``ONSET_TO_OTHER_RATIO``), and the network's error peaks find word
    boundaries well above chance (``F1_OVER_CHANCE``). How it compares with the bigram
    baseline is reported, not required: the paper made no such claim."""
    errors = stream_metrics["network"][error_measure]
    onset, other = errors["word_initial"], errors["other"]
    if onset is None or other is None:
        raise UserError("the stream needs word-initial and other targets to measure the pattern")
    seg = stream_metrics["segmentation"]
    network_f1, bigram_f1 = seg[HEADLINE[0]]["f1"], seg[HEADLINE[1]]["f1"]
    chance_f1 = seg["chance"]["f1"]
    ratio = onset / other if other > 0 else float("inf")
    checks = {
        "onsets_harder": bool(ratio >= ONSET_TO_OTHER_RATIO),
        "segments_above_chance": bool(network_f1 >= F1_OVER_CHANCE * chance_f1),
    }
    return {
        "error_measure": error_measure,
        "onset_to_other_ratio": ratio,
        "network_f1": network_f1,
        "bigram_f1": bigram_f1,
        "chance_f1": chance_f1,
        "network_minus_bigram_f1": network_f1 - bigram_f1,
        **checks,
        "shown": all(checks.values()),
    }
