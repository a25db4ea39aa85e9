"""Figures of the sentence-prediction task (Elman 1990, "Discovering lexical classes").

The paper reports its prediction results as numbers, not figures; these put the numbers side by
side: the network's error against the actual next word and against the likelihood vectors, and
the cosine with the likelihood vectors, beside the references that bracket it (the untrained
net, a unigram predictor, all outputs off, the ideal predictor) and the paper's value. Then
where in the sentence the error lies, how it is spread over words, and a comparison of seeds.
The hidden-layer figures (trees, PCA) are in ``srnlab.plots.representations``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from srnlab.plots.layout import TextLayout
from srnlab.plots.style import CATEGORY_COLOURS, OKABE_ITO, figure_style, format_number

Array = np.ndarray

#: How each predictor is named and coloured, in the order the bars are drawn (top to bottom).
PREDICTOR_STYLE: dict[str, tuple[str, str]] = {
    "untrained": ("untrained net", "0.6"),
    "all_off": ("all outputs off", "0.8"),
    "unigram": ("unigram (word frequencies)", OKABE_ITO["orange"]),
    "trained": ("trained net", CATEGORY_COLOURS[0]),
    "ideal": ("ideal (likelihood vectors)", OKABE_ITO["black"]),
    "paper": ("Elman (1990)", OKABE_ITO["vermillion"]),
}
PANELS = (
    ("next_word", "euclidean", "error against the next word\n\u2016y \u2212 a\u2016", "error"),
    (
        "likelihood",
        "euclidean",
        "error against the likelihood vector\n\u2016L \u2212 a\u2016",
        "error",
    ),
    ("likelihood", "cosine", "cosine of y and the\nlikelihood vector L", "cosine"),
)


def _paper_value(paper: Mapping[str, Any], group: str, key: str) -> tuple[float, float | None]:
    if group == "next_word":
        return float(paper["next_word_error"]), None
    if key == "euclidean":
        return float(paper["likelihood_error_mean"]), float(paper["likelihood_error_sd"])
    return float(paper["cosine_mean"]), float(paper["cosine_sd"])


def _bars(
    ax: Axes,
    names: Sequence[str],
    means: Sequence[float | None],
    sds: Sequence[float | None],
    limit: float,
    gid: str,
) -> None:
    """Horizontal bars with their values written beside; a bar past ``limit`` is cut at the
    axis edge and says so with its number and an arrow head."""
    rows = [float(k) for k in range(len(names))]
    for row, name, mean, sd in zip(rows, names, means, sds, strict=True):
        colour = PREDICTOR_STYLE[name][1]
        if mean is None:
            ax.text(0.01 * limit, row, "undefined (y = 0)", va="center", fontsize=8, color="0.4")
            continue
        shown = min(mean, limit)
        bar = ax.barh(row, shown, color=colour, height=0.62, edgecolor="none")
        bar.patches[0].set_gid(f"{gid}_{name}")
        if sd is not None and mean <= limit:
            ax.errorbar(mean, row, xerr=sd, color="black", capsize=2.5, linewidth=0.9, fmt="none")
        cut = mean > limit
        text = format_number(mean, 3) + (" \u25b8" if cut else "")
        if sd is not None:
            text += f"  (SD {format_number(sd, 3)})"
        x = shown if cut else mean + (sd or 0.0)
        ax.text(
            min(x, limit) + 0.01 * limit if not cut else shown - 0.01 * limit,
            row,
            text,
            va="center",
            ha="right" if cut else "left",
            fontsize=8,
            color="white" if cut else "black",
        )
    ax.set_yticks(rows, [PREDICTOR_STYLE[n][0] for n in names])
    ax.set_ylim(len(names) - 0.4, -0.6)
    ax.set_xlim(0, limit)
    ax.tick_params(axis="y", length=0)
    ax.grid(True, axis="x", color="0.9", linewidth=0.6)
    ax.set_axisbelow(True)


def error_summary(
    predictors: Mapping[str, Mapping[str, Any]],
    paper: Mapping[str, Any],
    title: str = "Prediction of the next word",
) -> Figure:
    """Three panels: error against the actual next word, error against the likelihood vectors
    (with SD over words), and cosine with them, for every predictor and the paper.

    ``predictors`` maps a predictor name (keys of ``PREDICTOR_STYLE``) to the recipe's
    ``measure`` dict. The untrained net's errors are several times the others': its bar is cut
    at the axis edge (an arrow head and its number say so), so the others stay readable.
    """
    names = [n for n in PREDICTOR_STYLE if n in predictors] + ["paper"]
    with figure_style():
        fig = Figure(figsize=(12.5, 3.9), layout=TextLayout())
        axes = fig.subplots(1, len(PANELS), sharey=True)
        for ax, (group, key, label, kind) in zip(axes, PANELS, strict=True):
            means: list[float | None] = []
            sds: list[float | None] = []
            for name in names:
                if name == "paper":
                    mean, sd = _paper_value(paper, group, key)
                else:
                    stats = predictors[name][group][key]
                    mean = stats["mean"]
                    sd = stats["sd"] if group == "likelihood" else None
                means.append(mean)
                sds.append(sd)
            if kind == "cosine":
                limit = 1.3
            else:
                ordinary = [
                    (m or 0.0) + (s or 0.0)
                    for n, m, s in zip(names, means, sds, strict=True)
                    if n != "untrained"
                ]
                limit = 1.45 * max(ordinary)
            _bars(ax, names, means, sds, limit, f"{group}_{key}")
            ax.set_title(label, fontsize=10)
        fig.suptitle(title)
    return fig


def error_by_position(
    position_names: Sequence[str],
    by_position: Mapping[str, Mapping[str, Sequence[float | None]]],
    title: str = "Error against the likelihood vectors, by place in the sentence",
) -> Figure:
    """Grouped bars: each predictor's mean error against the likelihood vectors after the
    first, second and third word of a sentence (with the number of words of each)."""
    names = list(by_position)
    x = np.arange(len(position_names))
    width = 0.8 / max(len(names), 1)
    with figure_style():
        fig = Figure(figsize=(7.0, 3.8), layout=TextLayout())
        ax = fig.add_subplot()
        for k, name in enumerate(names):
            values = [np.nan if v is None else v for v in by_position[name]["likelihood_euclidean"]]
            label, colour = PREDICTOR_STYLE.get(name, (name, CATEGORY_COLOURS[k]))
            bars = ax.bar(x + (k - (len(names) - 1) / 2) * width, values, width, color=colour)
            bars.set_label(label)
            for i, (bar, value) in enumerate(zip(bars.patches, values, strict=True)):
                bar.set_gid(f"{name}_position{i}")
                if np.isfinite(value):
                    ax.annotate(
                        format_number(value, 3),
                        (bar.get_x() + bar.get_width() / 2, value),
                        xytext=(0, 2),
                        textcoords="offset points",
                        ha="center",
                        fontsize=8,
                    )
        tokens = by_position[names[0]].get("tokens") if names else None
        labels = [
            f"{p}\n({tokens[i]:,} words)" if tokens else p for i, p in enumerate(position_names)
        ]
        ax.set_xticks(x, labels)
        ax.set_ylabel("mean \u2016L \u2212 a\u2016")
        ax.set_ylim(bottom=0)
        ax.legend()
        ax.set_title(title, fontsize=10)
    return fig


def error_distribution(
    errors: Array,
    cosines: Array,
    paper: Mapping[str, Any],
    title: str = "Per-word error against the likelihood vectors",
) -> Figure:
    """Histograms over words of the trained net's error and cosine against the likelihood
    vectors, the mean and SD marked, beside the paper's mean and SD: what the SDs summarise."""
    panels = (
        (np.asarray(errors, float), "\u2016L \u2212 a\u2016", "likelihood_error"),
        (np.asarray(cosines, float), "cosine of a and L", "cosine"),
    )
    with figure_style():
        fig = Figure(figsize=(10.0, 3.6), layout=TextLayout())
        axes = fig.subplots(1, 2)
        for ax, (values, label, key) in zip(axes, panels, strict=True):
            values = values[np.isfinite(values)]
            ax.hist(values, bins=50, color=CATEGORY_COLOURS[0], alpha=0.85)
            mean, sd = float(values.mean()), float(values.std())
            pmean, psd = float(paper[f"{key}_mean"]), float(paper[f"{key}_sd"])
            for centre, spread, colour, name, style in (
                (mean, sd, "black", "ours", "-"),
                (pmean, psd, OKABE_ITO["vermillion"], "Elman (1990)", "--"),
            ):
                line = ax.axvline(centre, color=colour, linestyle=style, linewidth=1.4)
                line.set_label(
                    f"{name}: mean {format_number(centre, 3)}, SD {format_number(spread, 3)}"
                )
                line.set_gid(f"{key}_{'paper' if colour != 'black' else 'ours'}")
                ax.axvspan(centre - spread, centre + spread, color=colour, alpha=0.07)
            ax.set_xlabel(f"{label}, one value per word of the corpus")
            ax.set_ylabel("words")
            ax.legend(loc="upper right" if key == "likelihood_error" else "upper left")
        fig.suptitle(title)
    return fig


def seed_comparison(
    summary: Mapping[str, Any],
    paper: Mapping[str, Any],
    title: str = "The sentence task over seeds",
) -> Figure:
    """One point per seed for the trained net's three numbers, beside the references: the
    grammar's exact floor of the next-word error (dashed, where the summary has
    ``grammar_floor``), the in-sample likelihood vectors' value (dash-dot; Elman's ideal,
    0 and 1 by definition against themselves) and the paper's value (dotted)."""
    seeds = list(summary["seeds"])
    panels = (
        ("next_word_error", "error against the next word", paper["next_word_error"]),
        ("likelihood_error", "error against the likelihood vector", paper["likelihood_error_mean"]),
        ("cosine", "cosine with the likelihood vector", paper["cosine_mean"]),
    )
    with figure_style():
        fig = Figure(figsize=(11.0, 3.4), layout=TextLayout())
        axes = fig.subplots(1, len(panels))
        for ax, (key, label, paper_value) in zip(axes, panels, strict=True):
            values = [np.nan if v is None else v for v in summary["trained"][key]["values"]]
            (points,) = ax.plot(
                seeds, values, "o", color=CATEGORY_COLOURS[0], label="trained net, per seed"
            )
            points.set_gid(f"{key}_seeds")
            ideal = summary["ideal"][key]["mean"]
            floor = summary.get("grammar_floor") if key == "next_word_error" else None
            if floor is not None:
                ax.axhline(
                    floor, color="black", linestyle="--", linewidth=1.0,
                    label="floor: the grammar's exact probabilities",
                )  # fmt: skip
            if ideal is not None:
                ax.axhline(
                    ideal, color="0.45", linestyle="-.", linewidth=1.0,
                    label="in-sample likelihood vectors (Elman's ideal)",
                )  # fmt: skip
            ax.axhline(
                paper_value,
                color=OKABE_ITO["vermillion"],
                linestyle=":",
                linewidth=1.4,
                label="Elman (1990)",
            )
            ax.set_xticks(seeds)
            ax.set_xlabel("seed")
            ax.set_ylabel(label.split(" ")[0], fontsize=9)
            ax.set_title(label, fontsize=10)
            ax.grid(True, axis="y", color="0.9", linewidth=0.6)
            ax.legend(fontsize=7)
        fig.suptitle(title)
    return fig
