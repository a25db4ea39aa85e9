"""What the sentences recipe measures of a predictor's outputs: the error against the actual
next word and against the likelihood vectors, the cosine between output and likelihood vector,
and the paper's prediction result as a yes or no.

Apart from ``recipes.sentences`` (which trains, runs and stores) so each can be read on its
own; nothing here trains or draws.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from srnlab.analysis.prediction import last_pass
from srnlab.run_result import RunResult
from srnlab.tasks.sentences import CODE, N_UNITS, TEMPLATES, WORDS, SentenceCorpus

Array = np.ndarray

#: The references every measure is also given for (see ``recipes.sentences``).
PREDICTORS = ("trained", "untrained", "unigram", "ideal", "all_off")
POSITION_NAMES = ("after word 1", "after word 2", "after word 3")

# The paper's qualitative prediction result, as numbers (``pattern``). Loose on purpose: they
# separate "learned what order allows" from "did not", not good runs from better ones.
NEAR_IDEAL = 0.05  # next-word error at most this far above the ideal predictor's
BELOW_UNIGRAM = 0.5  # likelihood error at most this share of the unigram predictor's


def predictor_outputs(
    trained: Array, untrained: Array, likelihoods: Array, unigram: Array
) -> dict[str, Array]:
    """Every predictor's outputs on one corpus, in ``PREDICTORS`` order: the trained and the
    untrained net's, the unigram frequencies whatever came before, the likelihood vectors
    themselves (the ideal predictor) and all outputs off."""
    return {
        "trained": trained,
        "untrained": untrained,
        "unigram": np.broadcast_to(unigram, likelihoods.shape),
        "ideal": likelihoods,
        "all_off": np.zeros_like(likelihoods),
    }


def describe(corpus: SentenceCorpus) -> dict[str, Any]:
    """How big the corpus came out, and how often each template was drawn."""
    starts = corpus.starts
    return {
        "sentences": corpus.n_sentences,
        "words": len(corpus),
        "mean_sentence_length": len(corpus) / corpus.n_sentences,
        "distinct_sentences": len(set(corpus.sentences())),
        "template_counts": np.bincount(corpus.template[starts], minlength=len(TEMPLATES)).tolist(),
        "word_counts": {w: int(np.sum(corpus.index == CODE[w])) for w in WORDS},
    }


def euclidean_rows(a: Array, b: Array) -> Array:
    """||a - b|| of every row."""
    return np.asarray(np.sqrt(np.sum((np.asarray(a) - np.asarray(b)) ** 2, axis=-1)))


def cosine_rows(a: Array, b: Array) -> Array:
    """cos of the angle between rows of ``a`` and ``b``; NaN where either row is zero."""
    norms = np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(norms > 0, np.sum(a * b, axis=-1) / norms, np.nan))


def _stats(values: Array) -> dict[str, float | None]:
    """Mean and SD (population) over tokens; None where undefined (no tokens, or NaN)."""
    values = np.asarray(values, dtype=float)
    if not values.size or not np.all(np.isfinite(values)):
        return {"mean": None, "sd": None}
    return {"mean": float(values.mean()), "sd": float(values.std())}


def measure(targets: Array, outputs: Array, likelihoods: Array, positions: Array) -> dict[str, Any]:
    """Every error the paper reports, for one predictor's outputs on one stream.

    ``targets[t]`` is the unit of the actual next word, ``outputs[t]`` the prediction (T, 31),
    ``likelihoods[t]`` the likelihood vector and ``positions[t]`` the position in its sentence
    of the word just *seen* (0 = the first word). Per token: the Euclidean error ||y - a|| and
    the squared error sum (y - a)^2 against the next word; the Euclidean and squared error and
    the cosine against the likelihood vector. Means and SDs over tokens, and by position.
    """
    outputs = np.asarray(outputs, dtype=float)
    one_hot = np.eye(outputs.shape[1])[np.asarray(targets)]
    next_euclidean = euclidean_rows(one_hot, outputs)
    like_euclidean = euclidean_rows(likelihoods, outputs)
    cosine = cosine_rows(likelihoods, outputs)
    positions = np.asarray(positions)
    by = [positions == p for p in range(len(POSITION_NAMES))]
    return {
        "next_word": {
            "euclidean": _stats(next_euclidean),
            "squared": {**_stats(next_euclidean**2), "sum": float(np.sum(next_euclidean**2))},
        },
        "likelihood": {
            "euclidean": _stats(like_euclidean),
            "squared": _stats(like_euclidean**2),
            "cosine": _stats(cosine),
        },
        "by_position": {
            "tokens": [int(b.sum()) for b in by],
            "next_word_euclidean": [_stats(next_euclidean[b])["mean"] for b in by],
            "likelihood_euclidean": [_stats(like_euclidean[b])["mean"] for b in by],
            "cosine": [_stats(cosine[b])["mean"] for b in by],
        },
    }


def pattern(predictors: dict[str, Any]) -> dict[str, Any]:
    """The paper's prediction result, checked: the net predicts about as well as word order
    allows. Its next-word error is within ``NEAR_IDEAL`` of the ideal predictor's (the paper:
    0.88, near our ideal's), and its error against the likelihood vectors is under
    ``BELOW_UNIGRAM`` of the unigram predictor's (which knows every word's frequency but not
    the order) and so far below the untrained net's."""
    error = {name: p["next_word"]["euclidean"]["mean"] for name, p in predictors.items()}
    like = {name: p["likelihood"]["euclidean"]["mean"] for name, p in predictors.items()}
    checks = {
        "near_ideal": bool(error["trained"] <= error["ideal"] + NEAR_IDEAL),
        "uses_word_order": bool(like["trained"] <= BELOW_UNIGRAM * like["unigram"]),
        "far_below_untrained": bool(like["trained"] <= 0.1 * like["untrained"]),
    }
    return {
        "next_word_error_above_ideal": error["trained"] - error["ideal"],
        "likelihood_error_share_of_unigram": like["trained"] / like["unigram"],
        **checks,
        "shown": all(checks.values()),
    }


def training_metrics(
    history: dict[str, list[Any]], targets: Array, likelihoods: Array
) -> dict[str, Any]:
    """The last pass's online training errors, beside the ideal predictor's on the corpus."""
    ideal = euclidean_rows(np.eye(N_UNITS)[targets], likelihoods)
    floor = {"ideal_rms": float(ideal.mean()), "ideal_sse": float(np.sum(ideal**2))}
    return last_pass(history, floor)


# ---- over seeds ----------------------------------------------------------------------------

#: The measures summarized over seeds, each by its path in one predictor's measures.
SUMMARY_MEASURES = {
    "next_word_error": "next_word.euclidean.mean",
    "likelihood_error": "likelihood.euclidean.mean",
    "likelihood_error_sd": "likelihood.euclidean.sd",
    "likelihood_squared": "likelihood.squared.mean",
    "cosine": "likelihood.cosine.mean",
    "cosine_sd": "likelihood.cosine.sd",
}


def predictor_value(result: RunResult, predictor: str, path: str) -> float | None:
    """One number of a run's measures of ``predictor``, by its dotted ``path`` (as in
    ``SUMMARY_MEASURES``); None where it is undefined."""
    node: Any = result.metrics["predictors"][predictor]
    for key in path.split("."):
        node = node[key]
    return None if node is None else float(node)
