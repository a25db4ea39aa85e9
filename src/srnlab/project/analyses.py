"""What a project's run measured: every analysis is a pure function of the run's arrays.

So ``srnlab show`` and the figures recompute nothing but this, and every number can be
rechecked from ``arrays.npz``. Three predictors are measured on the same test steps and read
side by side: the trained network, the untrained network (its initial weights: what the
architecture and the input alone give) and, for a corpus, the ideal predictor (the training
corpus's statistics). The analyses, each where the data allow it:

- **error** overall (E summed over the output units, squared ``sum (y - a)^2`` and Euclidean
  ``||y - a||`` per step), **by position** of the target in its word, sentence or sequence,
  **by item** (the target), and **by feature** (|y - a| per output unit, for feature codes);
- **segmentation**: a boundary wherever the error peaks (Elman 1990), scored against the
  known boundaries (precision, recall, F1), beside the untrained net's peaks, the ideal
  predictor's, the transitional-probability dips of the statistical-learning account (Saffran,
  Aslin & Newport 1996) and chance;
- **likelihood** (localist codes): the output against the likelihood vector of each step, by
  cosine and Euclidean distance (Elman's measure for the sentence simulation);
- **hidden**: the token check that each hidden state lies nearest its own item's mean,
  trained against untrained (the tree and PCA are drawn from the means in the run folder).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from srnlab.analysis.prediction import bit_errors, mean_by_label, step_errors
from srnlab.analysis.segmentation import chance_scores, dips, peaks, score_boundaries
from srnlab.project.settings import AnalysisSettings

Array = np.ndarray
PREDICTORS = ("network", "untrained", "ideal")


def predictors(arrays: Mapping[str, Array]) -> dict[str, Array]:
    """The outputs of every predictor the run measured, by name."""
    names = {"network": "test_outputs", "untrained": "untrained_outputs", "ideal": "ideal_outputs"}
    return {who: arrays[key] for who, key in names.items() if key in arrays}


def analyse(arrays: Mapping[str, Array], settings: AnalysisSettings, kind: str) -> dict[str, Any]:
    """Every number of the run, as JSON-ready data (see the module docstring)."""
    targets = arrays["test_targets"]
    outputs = predictors(arrays)
    errors = {who: step_errors(targets, out) for who, out in outputs.items()}
    metrics: dict[str, Any] = {
        "steps": len(targets),
        "error": {
            who: {measure: float(np.mean(e)) for measure, e in by.items()}
            for who, by in errors.items()
        },
    }
    if kind == "feedforward":
        metrics["solved"] = bool(np.all(np.abs(targets - arrays["test_outputs"]) < 0.5))
        metrics["outputs"] = arrays["test_outputs"].tolist()
    squared = {who: by["squared"] for who, by in errors.items()}
    if "position" in settings.error_by and "test_positions" in arrays:
        metrics["by_position"] = _by_label(squared, arrays["test_positions"])
    if "item" in settings.error_by:
        labels = (
            arrays["test_target_items"] if "test_target_items" in arrays else arrays["test_items"]
        )
        metrics["by_item"] = _by_label(squared, labels)
    localist = bool(arrays["localist"]) if "localist" in arrays else False
    if "feature" in settings.error_by and not localist:
        metrics["by_feature"] = _by_feature(arrays, outputs)
    if settings.segmentation and "test_starts" in arrays:
        metrics["segmentation"] = segmentation(
            squared, arrays["test_starts"], arrays.get("test_transitional_probabilities")
        )
    if settings.likelihood and localist and "ideal_outputs" in arrays:
        metrics["likelihood"] = {
            who: likelihood_match(out, arrays["ideal_outputs"])
            for who, out in outputs.items()
            if who != "ideal"
        }
    if "token_accuracy" in arrays:
        trained, untrained = arrays["token_accuracy"].tolist()
        metrics["hidden"] = {"token_accuracy": {"network": trained, "untrained": untrained}}
    return metrics


def _by_label(errors: Mapping[str, Array], labels: Array) -> dict[str, Any]:
    """Mean squared error per label (position or item) for each predictor, and the count."""
    labels = np.asarray(labels)
    values, counts = np.unique(labels, return_counts=True)
    return {
        "labels": [v.item() if hasattr(v, "item") else v for v in values],
        "count": counts.tolist(),
        **{who: list(mean_by_label(e, labels.tolist()).values()) for who, e in errors.items()},
    }


def _by_feature(arrays: Mapping[str, Array], outputs: Mapping[str, Array]) -> dict[str, Any]:
    """Mean |y - a| of each output unit, over all steps and at group onsets (the letters
    simulation's reading: the net knows *when* a consonant comes, not *which*)."""
    targets = arrays["test_targets"]
    result: dict[str, Any] = {"features": [str(f) for f in arrays["features"]]}
    for who, out in outputs.items():
        per_unit = bit_errors(targets, out)
        result[who] = per_unit.mean(axis=0).tolist()
        if "test_starts" in arrays and arrays["test_starts"].any():
            result[f"{who}_at_onsets"] = per_unit[arrays["test_starts"]].mean(axis=0).tolist()
    return result


def segmentation(
    errors: Mapping[str, Array], true: Array, transitional: Array | None
) -> dict[str, Any]:
    """Boundaries read off each predictor's error peaks (no labels used to place any), the
    bigram dips, and chance, each scored against the true boundaries."""
    true = np.asarray(true, dtype=bool)
    marked = {f"{who}_peaks": peaks(e) for who, e in errors.items()}
    # only the peaks above the stream's mean error: the small wobbles inside words go
    marked |= {f"{who}_peaks_above_mean": peaks(e, float(e.mean())) for who, e in errors.items()}
    if transitional is not None:
        marked["bigram_dips"] = dips(np.asarray(transitional, float))
    scores: dict[str, Any] = {name: score_boundaries(m, true) for name, m in marked.items()}
    scores["chance"] = chance_scores(int(true.sum()), true.size)
    onset = {who: _mean(e[true]) for who, e in errors.items()}
    inside = {who: _mean(e[~true]) for who, e in errors.items()}
    scores["onset_error"] = onset
    scores["inside_error"] = inside
    return scores


def _mean(values: Array) -> float | None:
    return float(values.mean()) if values.size else None


def likelihood_match(outputs: Array, likelihoods: Array) -> dict[str, float]:
    """Mean cosine and Euclidean distance between outputs and likelihood vectors (rows)."""
    dot = np.sum(outputs * likelihoods, axis=1)
    norms = np.linalg.norm(outputs, axis=1) * np.linalg.norm(likelihoods, axis=1)
    cosine = np.where(norms > 0, dot / np.where(norms > 0, norms, 1), 0.0)
    return {
        "cosine": float(np.mean(cosine)),
        "euclidean": float(np.mean(np.linalg.norm(outputs - likelihoods, axis=1))),
    }
