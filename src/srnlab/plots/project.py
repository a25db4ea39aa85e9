"""Figures of a project's run: the general analyses, drawn the same way for any data.

Every function takes plain arrays and labels and returns a matplotlib ``Figure``. Three
predictors share one colour each throughout: the trained network, the untrained network (the
control) and the ideal predictor of the corpus's statistics. Notation is the lecture's: y the
target, a the activation, the error per step E = sum over output units of (y - a)^2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from srnlab.plots.layout import TextLayout
from srnlab.plots.style import OKABE_ITO, figure_style

Array = np.ndarray

COLOURS = {
    "network": OKABE_ITO["blue"],
    "untrained": "#999999",  # grey: the control recedes
    "ideal": OKABE_ITO["orange"],
    "bigram": OKABE_ITO["green"],
    "chance": "#555555",
}
NAMES = {
    "network": "trained network",
    "untrained": "untrained network",
    "ideal": "ideal predictor (corpus statistics)",
}
ERROR_LABEL = "E per step, \u03a3 (y \u2212 a)\u00b2"


def grouped_bars(
    labels: Sequence[Any],
    series: Mapping[str, Sequence[float]],
    title: str,
    xlabel: str,
    ylabel: str = ERROR_LABEL,
) -> Figure:
    """One group of bars per label, one bar per predictor (in ``series``), with a legend."""
    n = len(labels)
    with figure_style():
        fig = Figure(
            figsize=(max(5.0, 0.55 * n * max(1, len(series)) + 2.0), 3.6), layout=TextLayout()
        )
        ax = fig.add_subplot()
        x = np.arange(n)
        width = 0.8 / max(1, len(series))
        for k, (who, values) in enumerate(series.items()):
            heights = np.asarray(values, dtype=float)
            bars = ax.bar(
                x + (k - (len(series) - 1) / 2) * width,
                heights,
                width,
                label=NAMES.get(who, who),
                color=COLOURS.get(who),
            )
            if n * len(series) <= 40:  # the value as text too: a bar near 0 is still read
                ax.bar_label(bars, [f"{v:.2f}" for v in heights], fontsize="xx-small", padding=1)
        ax.set_xticks(x, [str(v) for v in labels], rotation=0 if n <= 12 else 90)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.legend(frameon=False, fontsize="small")
    return fig


def error_per_step(
    target_items: Sequence[str],
    errors: Mapping[str, Array],
    starts: Array | None,
    title: str,
) -> Figure:
    """The error at each step of a test stretch, labelled by the item to be predicted; steps
    whose target begins a word or sentence are shaded (Elman's Figure 6)."""
    n = len(target_items)
    with figure_style():
        fig = Figure(figsize=(max(6.0, 0.16 * n + 1.5), 3.4), layout=TextLayout())
        ax = fig.add_subplot()
        x = np.arange(n)
        if starts is not None:
            for t in np.flatnonzero(starts[:n]):
                ax.axvspan(t - 0.5, t + 0.5, color="#DDDDDD", lw=0, zorder=0)
        for who, e in errors.items():
            ax.plot(
                x,
                e[:n],
                marker="o",
                ms=3,
                lw=1.2,
                label=NAMES.get(who, who),
                color=COLOURS.get(who),
            )
        ax.set_xticks(x, [str(s) for s in target_items[:n]], fontsize="x-small")
        ax.set_xlim(-0.5, n - 0.5)
        ax.set_xlabel(
            "the item to be predicted"
            + (" (shaded: it begins a group)" if starts is not None else "")
        )
        ax.set_ylabel(ERROR_LABEL)
        ax.set_title(title)
        ax.legend(frameon=False, fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def segmentation_scores(scores: Mapping[str, Mapping[str, float]], title: str) -> Figure:
    """Precision, recall and F1 of every segmenter, chance as a dashed line."""
    names = [k for k, v in scores.items() if isinstance(v, Mapping) and "f1" in v and k != "chance"]
    measures = ("precision", "recall", "f1")
    shades = {"precision": "#A6CEE3", "recall": "#1F78B4", "f1": "#08306B"}
    with figure_style():
        fig = Figure(figsize=(1.4 * len(names) + 2.5, 3.6), layout=TextLayout())
        ax = fig.add_subplot()
        x = np.arange(len(names))
        for k, m in enumerate(measures):
            values = [float(scores[n][m]) for n in names]
            bars = ax.bar(x + (k - 1) * 0.26, values, 0.26, label=m, color=shades[m])
            for bar, v in zip(bars, values, strict=True):
                ax.annotate(
                    f"{v:.2f}",
                    (bar.get_x() + bar.get_width() / 2, v),
                    ha="center",
                    va="bottom",
                    fontsize="x-small",
                )
        if "chance" in scores:
            ax.axhline(
                float(scores["chance"]["f1"]), ls="--", color=COLOURS["chance"], label="chance F1"
            )
        ax.set_xticks(x, [n.replace("_", " ") for n in names])
        ax.set_ylim(0, 1.1)
        ax.set_ylabel("score against the true boundaries")
        ax.set_title(title)
        ax.legend(frameon=False, fontsize="small", ncols=4, loc="upper center")
    return fig
