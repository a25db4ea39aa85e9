"""Figures of the letter-prediction task (Elman 1990, "Structure in letter sequences").

The paper's Figure 3 (error per letter over a stretch of the test stream) and Figure 4 (the
error of single output bits), plus bar charts of the same numbers averaged over the whole test
stream, the learning curve over passes, and a comparison of seeds. Every per-letter figure
writes the letter *to be predicted* under the x axis (as the paper labels its Figure 3) and
shades the steps whose target is a consonant, where the stream is unpredictable. The ideal
predictor's error (the expected next letter's features) is drawn beside the network's as the
reference a well-trained network approaches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from srnlab.plots.layout import TextLayout
from srnlab.plots.predictors import (
    IDEAL_COLOUR,
    NETWORK_COLOUR,
    ideal_line,
    network_line,
    paired_bars,
)
from srnlab.plots.style import CATEGORY_COLOURS, OKABE_ITO, add_lines, figure_style

Array = np.ndarray

CONSONANT_SHADE = OKABE_ITO["orange"]
CONSONANTS = frozenset("bdg")

MEASURE_LABELS = {
    "euclidean": "error \u2016y \u2212 a\u2016",
    "squared": "squared error \u03a3(y \u2212 a)\u00b2",
}


def _measure_label(measure: str) -> str:
    return MEASURE_LABELS.get(measure, measure)


def _shade_consonant_targets(ax: Axes, letters: Sequence[str]) -> None:
    """A light band behind every step whose target is a consonant: the unpredictable steps."""
    for t, letter in enumerate(letters):
        if letter in CONSONANTS:
            band = ax.axvspan(t - 0.5, t + 0.5, color=CONSONANT_SHADE, alpha=0.18, linewidth=0)
            band.set_gid(f"consonant_target{t}")


def _letter_axis(ax: Axes, letters: Sequence[str]) -> None:
    """Each step's target letter under the axis; consonants bold, since they are the news."""
    ax.set_xticks(np.arange(len(letters)), list(letters))
    for label, letter in zip(ax.get_xticklabels(), letters, strict=True):
        if letter in CONSONANTS:
            label.set_fontweight("bold")
    ax.tick_params(axis="x", length=0)
    ax.set_xlim(-0.6, len(letters) - 0.4)
    ax.set_xlabel("letter to be predicted (test stream, in order)")


def _legend_handles(ax: Axes) -> list[Artist]:
    """Network first, then the ideal predictor, then what the shading means."""
    handles, labels = ax.get_legend_handles_labels()
    ordered = [handles[labels.index(name)] for name in ("network", "ideal predictor")]
    return [*ordered, Patch(color=CONSONANT_SHADE, alpha=0.3, label="target is a consonant")]


def _check_lengths(letters: Sequence[str], **series: Array) -> None:
    for name, values in series.items():
        if len(values) != len(letters):
            raise ValueError(f"{name} has {len(values)} values for {len(letters)} letters")


def _plot_pair(ax: Axes, network: Array, ideal: Array, gid: str) -> None:
    """The network's error (solid, dots) over the ideal predictor's (dashed)."""
    steps = np.arange(len(network))
    ideal_line(ax, steps, ideal, f"{gid}_ideal", marker="_", markersize=7)
    network_line(ax, steps, network, f"{gid}_network", markersize=3.5)


def error_per_letter(
    letters: Sequence[str],
    errors: Array,
    ideal_errors: Array,
    measure: str = "euclidean",
    title: str = "Prediction error per letter",
) -> Figure:
    """The paper's Figure 3: the error of every prediction over a stretch of the test stream.

    ``letters[t]`` is the letter to be predicted at step t, ``errors[t]`` the network's error
    there and ``ideal_errors[t]`` the ideal predictor's.
    """
    letters = list(letters)
    _check_lengths(letters, errors=errors, ideal_errors=ideal_errors)
    with figure_style():
        fig = Figure(figsize=(max(7.0, 0.2 * len(letters) + 1.5), 3.8), layout=TextLayout())
        ax = fig.add_subplot()
        _shade_consonant_targets(ax, letters)
        _plot_pair(ax, np.asarray(errors, float), np.asarray(ideal_errors, float), "error")
        _letter_axis(ax, letters)
        ax.set_ylabel(_measure_label(measure))
        ax.set_ylim(bottom=0)
        ax.legend(handles=_legend_handles(ax), loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.set_title(title)
    return fig


def bit_errors_per_letter(
    letters: Sequence[str],
    network: Mapping[str, Array],
    ideal: Mapping[str, Array],
    title: str = "Error on single output bits",
) -> Figure:
    """The paper's Figure 4: |y - a| of chosen output bits (one panel each) over a stretch.

    ``network`` and ``ideal`` map a feature name (e.g. "Consonant", "High") to its per-step
    absolute error.
    """
    letters = list(letters)
    names = list(network)
    for name in names:
        _check_lengths(
            letters, **{f"network[{name}]": network[name], f"ideal[{name}]": ideal[name]}
        )
    with figure_style():
        fig = Figure(
            figsize=(max(7.0, 0.2 * len(letters) + 1.5), 1.0 + 2.3 * len(names)),
            layout=TextLayout(),
        )
        axes = fig.subplots(len(names), 1, sharex=True, squeeze=False)[:, 0]
        for ax, name in zip(axes, names, strict=True):
            _shade_consonant_targets(ax, letters)
            _plot_pair(ax, np.asarray(network[name], float), np.asarray(ideal[name], float), name)
            ax.set_ylim(0, 1.05)
            ax.set_ylabel(f"{name} bit\n|y \u2212 a|")
            ax.set_title(f"the {name} bit", loc="left", fontsize=10)
        _letter_axis(axes[-1], letters)
        axes[0].legend(handles=_legend_handles(axes[0]), loc="upper left", bbox_to_anchor=(1, 1))
        fig.suptitle(title)
    return fig


def _bar_labels(ax: Axes, bars: BarContainer, values: Sequence[float | None]) -> None:
    for bar, value in zip(bars, values, strict=True):
        if value is not None:
            ax.annotate(
                f"{value:.2f}",
                xy=(bar.get_x() + bar.get_width() / 2, bar.get_height()),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8,
            )


def _paired_bars(
    ax: Axes, names: Sequence[str], network: Sequence[float | None], ideal: Sequence[float | None]
) -> None:
    """Network and ideal side by side for each group; a missing value (None) draws no bar."""
    x = np.arange(len(names))
    for label, values, bars in paired_bars(ax, x, network, ideal):
        for bar, name in zip(bars, names, strict=True):
            bar.set_gid(f"{label.split()[0]}_{name}".replace(" ", "_"))
        _bar_labels(ax, bars, values)
    ax.set_xticks(x, list(names))
    ax.tick_params(axis="x", length=0)
    ax.set_ylim(bottom=0)


def error_by_position(
    positions: Sequence[str],
    network: Sequence[float | None],
    ideal: Sequence[float | None],
    measure: str = "euclidean",
    title: str = "Error by position in the syllable",
) -> Figure:
    """Mean error by the target's position in its syllable (consonant, 1st vowel, ...)."""
    if not len(positions) == len(network) == len(ideal):
        raise ValueError("positions, network and ideal need one value each")
    with figure_style():
        fig = Figure(figsize=(6.4, 3.8), layout=TextLayout())
        ax = fig.add_subplot()
        _paired_bars(ax, positions, network, ideal)
        ax.set_xlabel("what is to be predicted (its position in the syllable)")
        ax.set_ylabel(f"mean {_measure_label(measure)}")
        ax.legend(loc="upper right")
        ax.set_title(title)
    return fig


def bit_error_by_target(
    features: Sequence[str],
    network: Mapping[str, Mapping[str, float | None]],
    ideal: Mapping[str, Mapping[str, float | None]],
    title: str = "Error of each output bit",
) -> Figure:
    """Mean |y - a| of every feature bit, at consonant targets (left) and vowel targets (right).

    ``network`` and ``ideal`` are {"consonant_targets": {feature: value}, "vowel_targets": ...}.
    """
    groups = (
        ("consonant_targets", "next letter is a consonant"),
        ("vowel_targets", "next letter is a vowel"),
    )
    with figure_style():
        fig = Figure(figsize=(10.0, 3.8), layout=TextLayout())
        axes = fig.subplots(1, 2, sharey=True)
        for ax, (key, heading) in zip(axes, groups, strict=True):
            _paired_bars(
                ax,
                features,
                [network[key][f] for f in features],
                [ideal[key][f] for f in features],
            )
            ax.set_title(heading)
            ax.set_xlabel("output bit (feature)")
            ax.set_ylim(0, 1.0)
        axes[0].set_ylabel("mean |y \u2212 a|")
        axes[1].legend(loc="upper right")
        fig.suptitle(title)
    return fig


def learning_curve(
    history: Mapping[str, Sequence[float]],
    floor: Mapping[str, float] | None = None,
    title: str = "Learning curve",
) -> Figure:
    """The online training error of every pass: mean Euclidean error per letter (``rms``)
    and, below, the squared error summed over the pass (``sse``). ``floor`` gives, per column,
    the ideal predictor's error on the training stream, drawn as a dashed line: the consonants
    are unpredictable, so the error levels off near it instead of falling to 0."""
    if "pass" not in history:
        raise ValueError(f"history needs a 'pass' column; it has {', '.join(history)}")
    passes = np.asarray(history["pass"], dtype=float)
    panels = [
        (key, label)
        for key, label in (
            ("rms", "mean error per letter\n\u2016y \u2212 a\u2016"),
            ("sse", "squared error\nsummed over the pass"),
        )
        if key in history
    ]
    with figure_style():
        fig = Figure(figsize=(7.0, 1.6 + 2.0 * len(panels)), layout=TextLayout())
        axes = fig.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
        for ax, (key, label), colour in zip(axes, panels, CATEGORY_COLOURS, strict=False):
            (line,) = ax.plot(passes, np.asarray(history[key], float), color=colour, linewidth=1.6)
            line.set_gid(key)
            if floor is not None and key in floor:
                ideal = ax.axhline(
                    floor[key],
                    color=IDEAL_COLOUR,
                    linestyle="--",
                    linewidth=1.0,
                    label=f"ideal predictor ({floor[key]:.3g})",
                )
                ideal.set_gid(f"{key}_ideal")
                ax.legend(loc="upper right")
            ax.set_ylabel(label)
            ax.set_ylim(bottom=0)
            ax.grid(True, color="0.9", linewidth=0.6)
        axes[-1].set_xlabel("pass through the training stream")
        if len(passes) > 1:
            axes[-1].set_xlim(float(passes.min()), float(passes.max()))
        fig.suptitle(title)
    return fig


def seed_comparison(
    seeds: Sequence[int],
    consonant_error: Sequence[float],
    vowel_error: Sequence[float],
    consonant_bit: Sequence[float],
    high_bit: Sequence[float],
    measure: str = "euclidean",
    title: str = "Across seeds",
) -> Figure:
    """Per seed: error at consonant vs vowel targets (left); at consonant targets, the High
    bit's vs the Consonant bit's error (right). One line joins each seed's pair; the paper's
    pattern makes every line fall, so a seed that breaks it stands out."""
    panels = (
        (
            "consonant\ntargets",
            "vowel\ntargets",
            consonant_error,
            vowel_error,
            f"mean {_measure_label(measure)}",
            "error by what is to be predicted",
        ),
        (
            "High bit\n(which?)",
            "Consonant bit\n(when?)",
            high_bit,
            consonant_bit,
            "mean |y \u2212 a| at consonant targets",
            "at consonant targets, per bit",
        ),
    )
    with figure_style():
        fig = Figure(figsize=(8.0, 4.0), layout=TextLayout())
        axes = fig.subplots(1, 2)
        for ax, (left, right, a, b, ylabel, heading) in zip(axes, panels, strict=True):
            pairs = [[(0.0, u), (1.0, v)] for u, v in zip(a, b, strict=True)]
            add_lines(ax, pairs, colors="0.6", linewidths=0.8, zorder=1, gid="seeds")
            ax.scatter(np.zeros(len(a)), a, color=CONSONANT_SHADE, zorder=2, s=22)
            ax.scatter(np.ones(len(b)), b, color=NETWORK_COLOUR, zorder=2, s=22)
            ax.set_xticks([0, 1], [left, right])
            ax.set_xlim(-0.4, 1.4)
            ax.set_ylim(0, max(1.0, *a, *b) * 1.05)
            ax.set_ylabel(ylabel)
            ax.set_title(heading)
        fig.suptitle(f"{title} ({len(seeds)} seeds)")
    return fig
