"""Figures of "time as space": a feedforward net over a buffer of the last w inputs.

The lecture's two problems: the error each window width leaves (beside the best any function
of that window can do, and the ideal predictor that knows the whole past), and a pattern that
shifted in time shares nothing with itself (the lecture's example, then the same event moved
through the buffer of a trained net).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from srnlab.plots.layout import TextLayout
from srnlab.plots.style import CATEGORY_COLOURS, OKABE_ITO, WEIGHT_CMAP, figure_style, format_number

Array = np.ndarray

WINDOW_IDEAL_STYLE: dict[str, Any] = {
    "color": "black",
    "linestyle": "--",
    "marker": "s",
    "markersize": 4,
}
IDEAL_STYLE: dict[str, Any] = {"color": "0.45", "linestyle": ":", "linewidth": 1.6}
TRAINED_COLOUR = OKABE_ITO["vermillion"]
UNTRAINED_COLOUR = "0.55"
INPUT_COLOUR = OKABE_ITO["blue"]


def _measure_label(measure: str) -> str:
    if measure == "squared":
        return "squared error \u2016y \u2212 a\u2016\u00b2"
    return "Euclidean error \u2016y \u2212 a\u2016"


def _width_axis(ax: Axes, widths: Sequence[int]) -> None:
    ax.set_xticks(list(widths))
    ax.set_xlabel("window width (steps)")
    top = ax.get_ylim()[1]
    ax.set_ylim(-0.02 * top, top)  # an ideal error of 0 stays visible above the axis
    ax.grid(True, axis="y", color="0.9", linewidth=0.6)


def error_by_width(
    widths: Sequence[int],
    network: Mapping[str, Sequence[float]],
    window_ideal: Mapping[str, Sequence[float]],
    ideal: Mapping[str, float],
    predictable: Sequence[str] = (),
    measure: str = "squared",
    title: str = "Test error by window width",
) -> Figure:
    """One panel per kind of target (e.g. XOR bit, coin flips): the trained nets' mean test
    error at each window width (solid), the window ideal, the best any function of the last
    w items can do (dashed), and the ideal predictor that knows the whole past (dotted).

    Where the dashed line meets the dotted one the buffer is long enough for that target;
    the gap between them is what the buffer cannot see.
    """
    names = list(network)
    with figure_style():
        fig = Figure(figsize=(2.6 * len(names) + 0.8, 3.9), layout=TextLayout())
        axes = fig.subplots(1, len(names), sharey=True, squeeze=False)[0]
        for i, (ax, name) in enumerate(zip(axes, names, strict=True)):
            colour = CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)]
            (net_line,) = ax.plot(
                widths, network[name], "o-", color=colour, linewidth=1.8, label="network"
            )
            net_line.set_gid(f"network_{name}")
            (best_line,) = ax.plot(
                widths, window_ideal[name], label="window ideal", **WINDOW_IDEAL_STYLE
            )
            best_line.set_gid(f"window_ideal_{name}")
            ideal_line = ax.axhline(ideal[name], label="ideal (whole past)", **IDEAL_STYLE)
            ideal_line.set_gid(f"ideal_{name}")
            kind = "predictable" if name in predictable else "not fully predictable"
            ax.set_title(f"{name} targets\n({kind})", fontsize=10)
            _width_axis(ax, widths)
        axes[0].set_ylabel(f"{_measure_label(measure)}, mean over test steps")
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=3)
        fig.suptitle(title)
    return fig


def error_by_width_over_seeds(
    widths: Sequence[int],
    per_seed: Sequence[Sequence[float]],
    window_ideal: Sequence[float],
    ideal: float,
    measure: str = "squared",
    title: str = "Error on predictable targets across seeds",
) -> Figure:
    """Each seed's error on the predictable targets against window width (thin lines), their
    mean (thick), the mean window ideal (dashed) and the ideal predictor (dotted)."""
    values = np.asarray(per_seed, dtype=float)
    with figure_style():
        fig = Figure(figsize=(6.0, 4.0), layout=TextLayout())
        ax = fig.subplots()
        for k, row in enumerate(values):
            (line,) = ax.plot(widths, row, color=INPUT_COLOUR, alpha=0.35, linewidth=0.9)
            line.set_gid(f"seed{k}")
        ax.plot(
            widths,
            values.mean(axis=0),
            "o-",
            color=INPUT_COLOUR,
            linewidth=2.0,
            label=f"network, mean of {len(values)} seeds",
        )
        ax.plot(widths, window_ideal, label="window ideal", **WINDOW_IDEAL_STYLE)
        ax.axhline(ideal, label="ideal (whole past)", **IDEAL_STYLE)
        _width_axis(ax, widths)
        ax.set_ylabel(f"{_measure_label(measure)}, mean over test steps")
        ax.legend(loc="upper right")
        ax.set_title(title)
    return fig


def learning_curves(
    history: Mapping[str, Sequence[float]],
    widths: Sequence[int],
    title: str = "Training error per pass",
) -> Figure:
    """The mean per-step Euclidean error of each width's net over the passes, measured online
    (each step's prediction before its update), from the columns ``pass`` and ``rms_w<w>``."""
    passes = np.asarray(history["pass"], dtype=float)
    with figure_style():
        fig = Figure(figsize=(7.0, 4.0), layout=TextLayout())
        ax = fig.subplots()
        for i, width in enumerate(widths):
            (line,) = ax.plot(
                passes,
                np.asarray(history[f"rms_w{width}"], dtype=float),
                color=CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)],
                linewidth=1.6,
                label=f"width {width}",
            )
            line.set_gid(f"rms_w{width}")
        ax.set_xlabel("pass through the training stream")
        ax.set_ylabel("mean per-step error \u2016y \u2212 a\u2016")
        ax.set_ylim(bottom=0)
        if len(passes):
            ax.set_xlim(float(passes.min()), float(passes.max()))
        ax.grid(True, color="0.9", linewidth=0.6)
        fig.legend(loc="outside right upper")
        ax.set_title(title)
    return fig


# ---- problem 2: a shifted pattern ------------------------------------------------------------


def _pattern_rows(ax: Axes, rows: Sequence[Sequence[float]], overlaps: Sequence[float]) -> None:
    """Each pattern as a row of cells (dark = 1), with its overlap with the first row."""
    for r, (row, value) in enumerate(zip(rows, overlaps, strict=True)):
        y = len(rows) - 1 - r
        for k, cell in enumerate(row):
            face = "0.2" if cell else "white"
            patch = Rectangle((k, y + 0.1), 0.9, 0.8, facecolor=face, edgecolor="black")
            patch.set_gid(f"pattern{r}_cell{k}")
            ax.add_patch(patch)
            ax.text(
                k + 0.45,
                y + 0.5,
                f"{cell:g}",
                ha="center",
                va="center",
                color="white" if cell else "black",
                fontsize=10,
            )
        ax.text(
            len(row) + 0.3,
            y + 0.5,
            f"overlap with the top row: {format_number(value)}",
            va="center",
            fontsize=9,
        )
    ax.set_xlim(-0.1, len(rows[0]) + 5.5)
    ax.set_ylim(0, len(rows))
    ax.set_aspect("equal")
    ax.set_axis_off()


def _overlap_panel(
    ax: Axes,
    shifts: Sequence[int],
    input_overlap: Sequence[float],
    hidden_overlap: Sequence[float],
    hidden_overlap_untrained: Sequence[float],
    event: str,
    width: int,
) -> None:
    series = (
        (input_overlap, "input buffers", INPUT_COLOUR, "o-"),
        (hidden_overlap, "hidden response, trained net", TRAINED_COLOUR, "s-"),
        (hidden_overlap_untrained, "hidden response, untrained net", UNTRAINED_COLOUR, "^--"),
    )
    for values, label, colour, style in series:
        (line,) = ax.plot(shifts, values, style, color=colour, linewidth=1.6, label=label)
        line.set_gid(label.replace(" ", "_").replace(",", ""))
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xticks(list(shifts))
    ax.set_xlabel(f"steps later (\u201c{event}\u201d moved through a {width}-slot buffer)")
    ax.set_ylabel("overlap (cosine) with\nthe event at the oldest slots")
    ax.set_ylim(-1.05, 1.05)
    ax.grid(True, axis="y", color="0.9", linewidth=0.6)
    ax.legend(loc="lower left", fontsize=8)
    ax.set_title("The same event, shifted", fontsize=10)


def _slot_label(slot: int, width: int) -> str:
    back = width - 1 - slot
    return "t" if back == 0 else f"t\u2212{back}"


def _slot_panel(fig: Figure, ax: Axes, correlation: Array) -> None:
    width = len(correlation)
    image = ax.imshow(correlation, cmap=WEIGHT_CMAP, vmin=-1, vmax=1)
    image.set_gid("slot_weight_correlation")
    labels = [_slot_label(k, width) for k in range(width)]
    ax.set_xticks(range(width), labels)
    ax.set_yticks(range(width), labels)
    for i in range(width):
        for j in range(width):
            value = correlation[i, j]
            ink = "white" if abs(value) > 0.6 else "black"
            ax.text(j, i, format_number(value), ha="center", va="center", fontsize=8, color=ink)
    ax.set_xlabel("buffer slot")
    ax.set_title("Trained input weights:\ncorrelation between slots", fontsize=10)
    fig.colorbar(image, ax=ax, shrink=0.8, label="correlation")


def shift_overlap(
    lecture_pattern: Sequence[float],
    lecture_shifted: Sequence[float],
    lecture_overlap: float,
    *,
    event: str = "",
    width: int | None = None,
    shifts: Sequence[int] | None = None,
    input_overlap: Sequence[float] | None = None,
    hidden_overlap: Sequence[float] | None = None,
    hidden_overlap_untrained: Sequence[float] | None = None,
    slot_correlation: Sequence[Sequence[float]] | None = None,
    title: str = "A pattern shifted in time",
) -> Figure:
    """The lecture's problem 2. Top: its two patterns, the same event two steps apart, with no
    overlap at all. Bottom left (with ``shifts``): an event moved through a trained net's
    buffer, the overlap of the input buffers and of the hidden responses it causes with those
    at shift 0. Bottom right (with ``slot_correlation``): the correlation between the trained
    input weights of each pair of slots, learned apart from each other.
    """
    has_shifts = shifts is not None and len(shifts) > 1 and width is not None
    has_slots = slot_correlation is not None
    bottom = [name for name, present in (("shift", has_shifts), ("slots", has_slots)) if present]
    with figure_style():
        fig = Figure(figsize=(10.0, 6.6 if bottom else 2.4), layout=TextLayout())
        if bottom:
            mosaic = [["pattern"] * len(bottom), bottom]
            axes = fig.subplot_mosaic(cast(Any, mosaic), height_ratios=(1, 3))
        else:
            axes = {"pattern": fig.subplots()}
        _pattern_rows(axes["pattern"], [lecture_pattern, lecture_shifted], [1.0, lecture_overlap])
        axes["pattern"].set_title(
            "The lecture's example: the same pattern two steps later", fontsize=10
        )
        if has_shifts:
            assert shifts is not None and width is not None
            _overlap_panel(
                axes["shift"],
                shifts,
                input_overlap or [],
                hidden_overlap or [],
                hidden_overlap_untrained or [],
                event,
                width,
            )
        if has_slots:
            _slot_panel(fig, axes["slots"], np.asarray(slot_correlation, dtype=float))
        fig.suptitle(title)
    return fig
