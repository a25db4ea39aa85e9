"""Figures of the word-segmentation task (Elman 1990, "Discovering the notion 'word'").

The paper's Figure 6 (the error per letter over a stretch of the stream, letters under the
axis), a bar chart of how well each segmenter finds the word boundaries (the network's error,
the bigram baseline, the ideal predictor's error, chance), and the error by the target's
position in its word. Per-letter figures write the letter *to be predicted* under the x axis,
shade the steps whose target begins a word (the true boundaries), and mark with a triangle
the boundaries the network's error peaks place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from srnlab.plots.layout import TextLayout
from srnlab.plots.predictors import (
    IDEAL_BAR_COLOUR,
    NETWORK_COLOUR,
    ideal_line,
    network_line,
    paired_bars,
)
from srnlab.plots.style import OKABE_ITO, figure_style

Array = np.ndarray

BIGRAM_COLOUR = OKABE_ITO["orange"]
CHANCE_COLOUR = "0.6"
BOUNDARY_SHADE = OKABE_ITO["sky_blue"]
PAPER_COLOUR = OKABE_ITO["vermillion"]

MEASURE_LABELS = {
    "euclidean": "error \u2016y \u2212 a\u2016",
    "squared": "squared error \u03a3(y \u2212 a)\u00b2",
}
SCORES = ("precision", "recall", "f1")


def _measure_label(measure: str) -> str:
    return MEASURE_LABELS.get(measure, measure)


def error_per_letter(
    letters: Sequence[str],
    errors: Array,
    starts: Array,
    ideal_errors: Array | None = None,
    marked: Array | None = None,
    measure: str = "squared",
    paper_onset_range: tuple[float, float] | None = None,
    title: str = "Prediction error per letter",
) -> Figure:
    """The paper's Figure 6: the error of every prediction over a stretch of the stream.

    ``letters[t]`` is the letter to be predicted at step t, ``errors[t]`` the network's error
    there, ``starts[t]`` whether that letter begins a word (shaded, its letter in bold);
    ``ideal_errors`` draws the ideal predictor dashed, ``marked`` puts a triangle over the steps
    a segmenter calls boundaries, and ``paper_onset_range`` shades the paper's onset readings.
    """
    letters = list(letters)
    errors = np.asarray(errors, float)
    starts = np.asarray(starts, dtype=bool)
    for name, values in (
        ("errors", errors),
        ("starts", starts),
        ("ideal_errors", ideal_errors),
        ("marked", marked),
    ):
        if values is not None and len(values) != len(letters):
            raise ValueError(f"{name} has {len(values)} values for {len(letters)} letters")
    steps = np.arange(len(letters))
    top = max(float(errors.max(initial=0.0)), paper_onset_range[1] if paper_onset_range else 0)
    with figure_style():
        fig = Figure(figsize=(max(7.0, 0.17 * len(letters) + 2.5), 3.9), layout=TextLayout())
        ax = fig.add_subplot()
        shades = _shade_starts_and_onsets(ax, starts, paper_onset_range)
        network, ideal = _error_lines(ax, steps, errors, ideal_errors)
        handles: list[Artist] = [network, *shades, *ideal]
        if marked is not None:
            where = np.flatnonzero(np.asarray(marked, dtype=bool))
            (triangles,) = ax.plot(
                where,
                np.full(where.size, top * 1.08 + 0.02),
                linestyle="none",
                marker="v",
                markersize=5,
                color=NETWORK_COLOUR,
                label="boundary placed (error peak)",
            )
            triangles.set_gid("marked")
            handles.append(triangles)
        handles.append(Patch(color=BOUNDARY_SHADE, alpha=0.35, label="target begins a word"))
        _letter_axis(ax, letters, starts)
        ax.set_ylim(0, top * 1.15 + 0.05)
        ax.set_ylabel(_measure_label(measure))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.set_title(title)
    return fig


def _shade_starts_and_onsets(
    ax: Axes, starts: Array, paper_onset_range: tuple[float, float] | None
) -> list[Artist]:
    """A band behind every step whose target begins a word, and the paper's range of onset
    errors across the plot; returns the legend handle of the latter (if drawn)."""
    for t in np.flatnonzero(starts):
        band = ax.axvspan(t - 0.5, t + 0.5, color=BOUNDARY_SHADE, alpha=0.22, linewidth=0)
        band.set_gid(f"word_start{t}")
    if paper_onset_range is None:
        return []
    low, high = paper_onset_range
    band = ax.axhspan(low, high, color=PAPER_COLOUR, alpha=0.08, linewidth=0)
    band.set_gid("paper_onset_range")
    return [Patch(color=PAPER_COLOUR, alpha=0.2, label=f"paper's onset peaks {low}-{high} [F]")]


def _error_lines(
    ax: Axes, steps: Array, errors: Array, ideal_errors: Array | None
) -> tuple[Artist, list[Artist]]:
    """The ideal predictor's error (dashed, if given) under the network's; returns the
    network's line and the ideal one's (none or one)."""
    ideal: list[Artist] = []
    if ideal_errors is not None:
        ideal.append(ideal_line(ax, steps, np.asarray(ideal_errors, float), "error_ideal"))
    network = network_line(ax, steps, errors, "error_network", markersize=3)
    return network, ideal


def _letter_axis(ax: Axes, letters: list[str], starts: Array) -> None:
    """The letters to be predicted under the x axis, those that begin a word in bold."""
    ax.set_xticks(np.arange(len(letters)), letters)
    for label, start in zip(ax.get_xticklabels(), starts, strict=True):
        if start:
            label.set_fontweight("bold")
    ax.tick_params(axis="x", length=0)
    ax.set_xlim(-0.6, len(letters) - 0.4)
    ax.set_xlabel("letter to be predicted (in stream order)")


def _colour(name: str) -> tuple[str, str | None]:
    """Colour and hatch of a segmenter by its source: network, bigram, ideal or chance."""
    lowered = name.lower()
    if lowered.startswith("network"):
        return NETWORK_COLOUR, None
    if lowered.startswith("bigram"):
        return BIGRAM_COLOUR, None
    if lowered.startswith("ideal"):
        return "0.8", "//"
    return CHANCE_COLOUR, None


def segmentation_scores(
    scores: Mapping[str, Mapping[str, float | None]],
    per_seed: Mapping[str, Mapping[str, Sequence[float]]] | None = None,
    title: str = "Word boundaries found",
) -> Figure:
    """Precision, recall and F1 (one panel each) of every segmenter, one bar each.

    ``scores`` maps a segmenter's label to {"precision": p, "recall": r, "f1": f}; labels
    starting with "network", "bigram" and "ideal" are coloured by that source, the rest grey.
    ``per_seed`` (same keys, lists of values) adds one dot per seed over each bar.
    """
    names = list(scores)
    y = np.arange(len(names))[::-1]
    with figure_style():
        fig = Figure(figsize=(11.0, 0.35 * len(names) + 1.6), layout=TextLayout())
        axes = fig.subplots(1, len(SCORES), sharey=True)
        for ax, score in zip(axes, SCORES, strict=True):
            for k, name in enumerate(names):
                colour, hatch = _colour(name)
                value = scores[name][score]
                height = np.nan if value is None else float(value)
                (bar,) = ax.barh(y[k], height, 0.7, color=colour, hatch=hatch, edgecolor="white")
                bar.set_gid(f"{score}_{k}")
                label_at = height
                if per_seed is not None:
                    dots = np.asarray(per_seed[name][score], float)
                    (seeds,) = ax.plot(
                        dots,
                        np.full(dots.size, y[k]),
                        linestyle="none",
                        marker="o",
                        markersize=2.5,
                        color="black",
                        alpha=0.6,
                    )
                    seeds.set_gid(f"{score}_{k}_seeds")
                    label_at = max(height, float(np.max(dots, initial=height)))
                if value is not None:  # the number right of the bar and of every seed's dot
                    ax.annotate(
                        f"{value:.2f}",
                        xy=(label_at, y[k]),
                        xytext=(4, 0),
                        textcoords="offset points",
                        va="center",
                        fontsize=8,
                    )
            ax.set_xlim(0, 1.15)
            ax.set_title("F1" if score == "f1" else score)
            ax.grid(True, axis="x", color="0.9", linewidth=0.6)
        axes[0].set_yticks(y, names)
        axes[0].tick_params(axis="y", length=0)
        fig.suptitle(title)
    return fig


def error_by_position(
    network: Sequence[float | None],
    ideal: Sequence[float | None],
    measure: str = "squared",
    title: str = "Error by position in the word",
) -> Figure:
    """Mean error by the target's position in its word (1st letter, 2nd, ...): network bars
    beside the ideal predictor's. A position no word reaches (None) draws no bar."""
    if len(network) != len(ideal):
        raise ValueError("network and ideal need one value per position")
    x = np.arange(len(network))
    with figure_style():
        fig = Figure(figsize=(6.8, 3.8), layout=TextLayout())
        ax = fig.add_subplot()
        for label, _, bars in paired_bars(ax, x, network, ideal):
            for k, bar in enumerate(bars):
                bar.set_gid(f"{label.split()[0]}_{k}")
        ax.set_xticks(
            x,
            [
                f"{k + 1}" + ("st" if k == 0 else "nd" if k == 1 else "rd" if k == 2 else "th")
                for k in x
            ],
        )
        ax.tick_params(axis="x", length=0)
        ax.set_xlabel("position of the letter to be predicted in its word")
        ax.set_ylabel(f"mean {_measure_label(measure)}")
        ax.set_ylim(bottom=0)
        ax.legend(
            handles=[
                Line2D([], [], color=NETWORK_COLOUR, linewidth=6, label="network"),
                Patch(
                    facecolor=IDEAL_BAR_COLOUR,
                    hatch="//",
                    edgecolor="white",
                    label="ideal predictor",
                ),
            ],
            loc="upper right",
        )
        ax.set_title(title)
    return fig
