"""Statistics over replications: every numeric metric's mean, SD and 95% confidence interval.

Pure functions over plain data (no files, no plotting), used by ``srnlab run --seeds N`` and
``srnlab sweep``.

- **Which numbers.** A run's ``metrics.json`` is nested; ``flatten_metrics`` turns it into
  scalar columns named by their path (``network.euclidean.consonant_targets``; a short list of
  scalars becomes ``outputs.0``, ``outputs.1``, ...). Booleans count as 0/1, so their mean is
  the fraction of replications where they hold. Strings, ``None`` (a number that could not be
  measured, or was not finite: ``metrics.json`` stores NaN as null) and longer lists are left
  out; each metric's ``n`` says how many replications gave it a value.
- **The interval.** ``describe`` gives the sample mean, the SD with n - 1 in the denominator,
  and the 95% confidence interval of the mean from Student's t with n - 1 degrees of freedom:
  mean +/- t(0.975, n - 1) * SD / sqrt(n). It assumes independent replications (different
  seeds) and a roughly normal sampling distribution of the mean; with few seeds and skewed
  metrics read it as a guide. One value has no SD and no interval (``None``).
- **Success rates.** Where a recipe defines ``success(result)``, ``success_rate`` gives the
  fraction of successes with the Wilson score 95% interval, which, unlike mean +/- t * SE,
  stays inside [0, 1] and is not zero-width when every seed succeeds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

#: Lists longer than this are data (per-step outputs, activations), not metrics.
MAX_LIST = 32
#: The confidence level of every interval.
LEVEL = 0.95


def flatten_metrics(metrics: Mapping[str, Any], prefix: str = "") -> dict[str, float | int | bool]:
    """Every scalar number in a nested metrics dict, keyed by its dotted path, in order."""
    flat: dict[str, float | int | bool] = {}
    for key, value in metrics.items():
        _flatten_into(flat, f"{prefix}{key}", value)
    return flat


def _flatten_into(flat: dict[str, float | int | bool], name: str, value: Any) -> None:
    if isinstance(value, bool | np.bool_):
        flat[name] = bool(value)
    elif isinstance(value, int | float | np.integer | np.floating):
        if math.isfinite(float(value)):
            flat[name] = value.item() if isinstance(value, np.generic) else value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _flatten_into(flat, f"{name}.{key}", item)
    elif isinstance(value, list | tuple) and len(value) <= MAX_LIST:
        if all(v is None or _is_scalar(v) for v in value):
            for k, item in enumerate(value):
                _flatten_into(flat, f"{name}.{k}", item)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, bool | int | float | np.bool_ | np.integer | np.floating)


def describe(values: Iterable[float | int | bool | None]) -> dict[str, float | int | None]:
    """n, mean, SD (n - 1), the t-based 95% CI of the mean, min and max of the values given
    (``None`` is skipped). Fewer than two values: no SD and no interval."""
    present = _present(values)
    (interval,) = _sample_intervals([present])
    return _described(present, interval)


def _present(values: Iterable[float | int | bool | None]) -> np.ndarray:
    return np.array([float(v) for v in values if v is not None], dtype=float)


def _described(
    present: np.ndarray, interval: tuple[float, float] | None
) -> dict[str, float | int | None]:
    """``describe``'s numbers for the values ``present``, with their interval (or None)."""
    n = int(present.size)
    if n == 0:
        return {"n": 0, "mean": None, "sd": None, "ci95_low": None, "ci95_high": None,
                "min": None, "max": None}  # fmt: skip
    mean = float(np.mean(present))
    sd = float(np.std(present, ddof=1)) if n >= 2 else None
    low, high = interval if interval is not None else (None, None)
    return {"n": n, "mean": mean, "sd": sd, "ci95_low": low, "ci95_high": high,
            "min": float(np.min(present)), "max": float(np.max(present))}  # fmt: skip


def _sample_intervals(samples: Sequence[np.ndarray]) -> list[tuple[float, float] | None]:
    """``mean_interval`` of each sample (None for fewer than two values), from one call of
    ``scipy.stats.t.interval`` for them all: it works value by value, so the numbers are
    those of one call per sample, and a run's hundreds of metrics take one call, not one each.
    """
    sized = [k for k, sample in enumerate(samples) if sample.size >= 2]
    intervals: list[tuple[float, float] | None] = [None] * len(samples)
    if not sized:
        return intervals
    n = np.array([samples[k].size for k in sized])
    mean = np.array([np.mean(samples[k]) for k in sized])
    scale = np.array([_standard_error(samples[k]) for k in sized])
    low, high = _t_interval(mean, scale, n)
    for k, lo, hi in zip(sized, low.tolist(), high.tolist(), strict=True):
        intervals[k] = (lo, hi)
    return intervals


def mean_interval(values: Any, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The t-based 95% confidence interval of the mean along ``axis`` (at least two values
    there): ``scipy.stats.t.interval`` around the mean with the standard error SD / sqrt(n)."""
    data = np.asarray(values, dtype=float)
    return _t_interval(np.mean(data, axis=axis), _standard_error(data, axis), data.shape[axis])


def _standard_error(data: np.ndarray, axis: int = 0) -> Any:
    return np.std(data, axis=axis, ddof=1) / math.sqrt(data.shape[axis])


def _t_interval(mean: Any, scale: Any, n: Any) -> tuple[np.ndarray, np.ndarray]:
    """mean +/- t(0.975, n - 1) * scale, value by value."""
    from scipy import stats  # imported when needed: worker processes start faster

    spread = scale > 0  # scipy wants a positive scale; equal values: the interval is the mean
    low, high = stats.t.interval(LEVEL, n - 1, loc=mean, scale=np.where(spread, scale, 1.0))
    return np.where(spread, low, mean), np.where(spread, high, mean)


def wilson_interval(successes: int, n: int) -> tuple[float, float]:
    """The Wilson score 95% interval of ``successes`` out of ``n`` (n >= 1), from
    ``scipy.stats.binomtest``."""
    from scipy import stats

    interval = stats.binomtest(successes, n).proportion_ci(LEVEL, method="wilson")
    return float(interval.low), float(interval.high)


def success_rate(successes: Sequence[bool]) -> dict[str, float | int | None]:
    """k of n, the rate k/n and its Wilson score 95% interval."""
    n = len(successes)
    k = sum(bool(s) for s in successes)
    if n == 0:
        return {"n": 0, "successes": 0, "rate": None, "ci95_low": None, "ci95_high": None}
    low, high = wilson_interval(k, n)
    return {"n": n, "successes": k, "rate": k / n, "ci95_low": low, "ci95_high": high}


def describe_all(rows: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, float | int | None]]:
    """``describe`` for every numeric column of the rows (flattened metrics), in first-seen
    order; a column that is numeric in no row is left out."""
    columns: dict[str, None] = {}
    for row in rows:
        for key, value in row.items():
            if value is not None and _is_scalar(value):
                columns.setdefault(key, None)
    samples = [_present(row.get(key) for row in rows) for key in columns]
    intervals = _sample_intervals(samples)
    return {
        key: _described(sample, interval)
        for key, sample, interval in zip(columns, samples, intervals, strict=True)
    }


def union_columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every key of the rows, in first-seen order (replications may differ in what they
    measured, e.g. a metric that is missing where a test stream lacked some case)."""
    columns: dict[str, None] = {}
    for row in rows:
        for key in row:
            columns.setdefault(key, None)
    return list(columns)
