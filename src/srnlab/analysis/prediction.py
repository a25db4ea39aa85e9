"""Measuring prediction: error per step, grouped by what was to be predicted.

Two error measures are reported side by side because Elman (1990) says "RMS error" without
defining it: the per-step Euclidean error sqrt(sum over outputs (y - a)^2), the reading that
fits his numbers best, and the summed squared error (y - a)^2 over outputs (tlearn's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from srnlab.losses import euclidean_error

Array = np.ndarray


def step_errors(targets: Array, outputs: Array) -> dict[str, Array]:
    """Per-step errors under both conventions: {'euclidean': (T,), 'squared': (T,)}."""
    targets, outputs = np.asarray(targets, float), np.asarray(outputs, float)
    return {
        "euclidean": euclidean_error(targets, outputs),
        "squared": np.sum((targets - outputs) ** 2, axis=-1),
    }


def bit_errors(targets: Array, outputs: Array) -> Array:
    """|y - a| for every output unit of every step: shape (T, n_outputs)."""
    return np.abs(np.asarray(targets, float) - np.asarray(outputs, float))


def mean_by_label(values: Array, labels: Sequence[Any]) -> dict[Any, float]:
    """The mean of ``values`` over the steps that share each label (labels in sorted order)."""
    values = np.asarray(values, float)
    labels_array = np.asarray(labels)
    return {
        label.item() if hasattr(label, "item") else label: float(
            values[labels_array == label].mean()
        )
        for label in np.unique(labels_array)
    }


def cycle_profile(values: Array, period: int) -> Array:
    """Mean over consecutive cycles of ``period`` steps (Elman's 12-step temporal-XOR figure):
    element k is the mean of values[k], values[k + period], values[k + 2 period], ...

    Trailing steps that do not fill a whole cycle are left out.
    """
    values = np.asarray(values, float)
    n_cycles = len(values) // period
    if n_cycles == 0:
        raise ValueError(f"need at least {period} steps for a cycle profile, got {len(values)}")
    return values[: n_cycles * period].reshape(n_cycles, period).mean(axis=0)


def mean_or_none(values: Array) -> float | None:
    """The mean, or None where no step falls in the group (a tiny stream may lack one)."""
    return float(np.mean(values)) if np.size(values) else None


def central_span(values: Array) -> list[float] | None:
    """The 5th and 95th percentiles: the span a paper's figure shows, without outliers."""
    if not np.size(values):
        return None
    low, high = np.percentile(values, [5, 95])
    return [float(low), float(high)]


def last_pass(
    history: Mapping[str, Sequence[Any]], floor: Mapping[str, float] | None = None
) -> dict[str, Any]:
    """The last pass's online training errors (measured before each step's update), and
    beside them ``floor``: the ideal predictor's on the same stream, where a recipe has one."""
    floor = dict(floor or {})
    if not history["pass"]:
        return {"passes": 0, **floor}
    return {
        "passes": history["pass"][-1],
        "final_error": history["error"][-1],
        "final_rms": history["rms"][-1],
        "final_sse": history["sse"][-1],
        **floor,
    }
