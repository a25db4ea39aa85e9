"""Figures over replications: learning curves as a mean with a band, and one metric across the
conditions of a sweep. Both take plain data (histories' columns, numbers per condition)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from srnlab.aggregate import mean_interval, wilson_interval
from srnlab.plots.layout import TextLayout
from srnlab.plots.style import CATEGORY_COLOURS, add_lines, figure_style

#: At most this many history columns get a panel (the rest are in the run folders).
MAX_PANELS = 6
#: Individual replications are drawn as thin lines up to this many.
MAX_LINES = 30


def _wilson_band(block: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson 95% interval of the fraction of yes (1) at each x: one scipy call per
    distinct count (at most n + 1 of them), not one per x."""
    n = block.shape[0]
    counts = np.rint(block.sum(axis=0)).astype(int)
    distinct = np.unique(counts)
    bounds = np.array([wilson_interval(int(k), n) for k in distinct])
    where = np.searchsorted(distinct, counts)
    return bounds[where, 0], bounds[where, 1]


def learning_curves(
    histories: Sequence[Mapping[str, Sequence[Any]]],
    seeds: Sequence[int],
    title: str = "Learning curves",
) -> Figure | None:
    """Every numeric history column against the first (epoch or pass): each replication as a
    thin line, their mean as a thick one, and the 95% confidence band of the mean (t-based;
    for a yes/no column such as ``solved``, the fraction with its Wilson interval).

    Returns None where there is nothing to overlay: fewer than two histories, histories of
    different lengths or x values, or no numeric column.
    """
    histories = [h for h in histories if h]
    overlay = _overlay(histories)
    if overlay is None:
        return None
    x_name, x, columns = overlay
    n = len(histories)
    with figure_style():
        fig = Figure(figsize=(7.0, 1.6 + 1.8 * len(columns)), layout=TextLayout())
        axes = fig.subplots(len(columns), 1, sharex=True, squeeze=False)[:, 0]
        for ax, (name, block), colour in zip(
            axes, columns, CATEGORY_COLOURS * MAX_PANELS, strict=False
        ):
            _band_panel(ax, x, name, block, colour)
        axes[-1].set_xlabel(x_name)
        seeds_text = f"seeds {min(seeds)}-{max(seeds)}" if seeds else ""
        fig.suptitle(
            f"{title}\nmean of {n} replications ({seeds_text}), band: 95% CI of the mean",
            fontsize=11,
        )
    return fig


def _overlay(
    histories: Sequence[Mapping[str, Sequence[Any]]],
) -> tuple[str, np.ndarray, list[tuple[str, np.ndarray]]] | None:
    """The x column's name and values (the first column, the same in every history) and the
    numeric columns every history has, each as one row per history (at most ``MAX_PANELS``);
    None where there is nothing to overlay."""
    if len(histories) < 2:
        return None
    x_name = next(iter(histories[0]))
    try:
        xs = [np.asarray(h[x_name], dtype=float) for h in histories]
    except (KeyError, TypeError, ValueError):
        return None
    if any(x.shape != xs[0].shape or not np.array_equal(x, xs[0]) for x in xs) or not xs[0].size:
        return None
    columns = []
    for name in histories[0]:
        if name == x_name or not all(name in h for h in histories):
            continue
        try:
            block = np.array([np.asarray(h[name], dtype=float) for h in histories])
        except (TypeError, ValueError):
            continue
        if block.ndim == 2 and block.shape[1] == xs[0].size:
            columns.append((name, block))
    if not columns:
        return None
    return x_name, xs[0], columns[:MAX_PANELS]


def _band_panel(ax: Axes, x: np.ndarray, name: str, block: np.ndarray, colour: str) -> None:
    """One column over the replications: each as a thin line (when few), the mean, its band."""
    if block.shape[0] <= MAX_LINES:
        add_lines(
            ax,
            [np.column_stack([x, row]) for row in block],
            colors=colour,
            linewidths=0.6,
            alpha=0.3,
        )
    mean = np.mean(block, axis=0)
    if np.isin(block, (0.0, 1.0)).all():  # a yes/no column: the fraction, Wilson band
        low, high = _wilson_band(block)
        name = f"{name} (fraction)"
    else:
        low, high = mean_interval(block)
    band = ax.fill_between(x, low, high, color=colour, alpha=0.3, lw=0)
    band.set_gid(f"{name}_band")
    (line,) = ax.plot(x, mean, color=colour, linewidth=1.8, label="mean")
    line.set_gid(f"{name}_mean")
    ax.set_ylabel(name)
    ax.grid(True, color="0.9", linewidth=0.6)


def metric_across_conditions(
    keys: Sequence[str],
    conditions: Sequence[Mapping[str, Any]],
    values: Sequence[Sequence[float]],
    summaries: Sequence[Mapping[str, Any]],
    metric: str,
    title: str = "",
) -> Figure:
    """One metric across a sweep's conditions: the first grid key on the x axis, one line per
    combination of the other keys; the mean with its 95% CI as error bars and each replication
    as a dot. ``summaries[i]`` has mean, ci95_low and ci95_high of condition i (``None``
    where not measurable)."""
    first, rest = keys[0], list(keys[1:])
    xs = [c[first] for c in conditions]
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in xs)
    levels = list(dict.fromkeys(xs))
    position = {v: (float(v) if numeric else float(k)) for k, v in enumerate(levels)}
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, c in enumerate(conditions):
        groups.setdefault(tuple(_label(c[k]) for k in rest), []).append(i)
    with figure_style():
        fig = Figure(figsize=(7.0, 4.2), layout=TextLayout())
        ax = fig.subplots()
        log = numeric and min(levels) > 0 and max(levels) / min(levels) >= 20
        spacing = _spacing([math.log10(position[v]) if log else position[v] for v in levels])
        # side by side within a level: a fraction of the gap between levels
        shifts = np.linspace(-0.12, 0.12, len(groups)) * spacing if len(groups) > 1 else [0.0]
        for (group, members), colour, shift in zip(
            groups.items(), CATEGORY_COLOURS * len(groups), shifts, strict=False
        ):
            label = ", ".join(f"{k}={v}" for k, v in zip(rest, group, strict=True)) or None
            px, means, low, high = [], [], [], []
            for i in members:
                x = position[xs[i]] * 10**shift if log else position[xs[i]] + shift
                ax.plot(np.full(len(values[i]), x), values[i], "o", color=colour, alpha=0.25, ms=3)
                s = summaries[i]
                if s.get("mean") is None:
                    continue
                px.append(x)
                means.append(s["mean"])
                low.append(s["mean"] - _or(s.get("ci95_low"), s["mean"]))
                high.append(_or(s.get("ci95_high"), s["mean"]) - s["mean"])
            if px:
                ax.errorbar(
                    px,
                    means,
                    yerr=[low, high],
                    color=colour,
                    marker="s",
                    ms=5,
                    capsize=3,
                    linewidth=1.5,
                    label=label,
                )
        if numeric:
            if log:
                ax.set_xscale("log")
            ax.set_xticks([position[v] for v in levels], [_label(v) for v in levels])
        else:
            ax.set_xticks(range(len(levels)), [_label(v) for v in levels])
        ax.margins(x=0.15)
        ax.set_xlabel(first)
        ax.set_ylabel(metric)
        ax.grid(True, axis="y", color="0.9", linewidth=0.6)
        if len(groups) > 1:
            ax.legend()
        ax.set_title(f"{title}\nmean and 95% CI (squares), replications (dots)", fontsize=11)
    return fig


def _or(value: float | None, default: float) -> float:
    return default if value is None else value


def _spacing(positions: Sequence[float]) -> float:
    distinct = sorted(set(positions))
    if len(distinct) < 2:
        return 1.0
    return float(min(b - a for a, b in itertools.pairwise(distinct)))


def _label(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "+".join(_label(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
