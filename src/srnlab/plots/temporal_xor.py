"""Figures of the temporal XOR simulation (Elman 1990, Figure 1 and the hidden units' roles)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from srnlab.plots.layout import TextLayout
from srnlab.plots.style import ACTIVATION_CMAP, CATEGORY_COLOURS, OKABE_ITO, add_lines, figure_style

Array = np.ndarray

XOR_COLOUR = OKABE_ITO["vermillion"]
COIN_COLOUR = OKABE_ITO["blue"]


def _profile_axes(ax: Axes, n_steps: int, xor_steps: Sequence[int], measure: str) -> None:
    ax.set_xticks(range(n_steps), [str(k + 1) for k in range(n_steps)])
    ax.set_xlabel("step in the cycle (orange: the target is an XOR bit; blue: a coin flip)")
    for k in xor_steps:
        ax.get_xticklabels()[k].set_color(XOR_COLOUR)
    ax.set_ylabel(
        "squared error (y \u2212 a)\u00b2" if measure == "squared" else "error |y \u2212 a|"
    )
    ax.set_ylim(bottom=0)
    ax.grid(True, axis="y", color="0.9", linewidth=0.6)


def _target_legend(ax: Axes, bars: str, extra: Sequence[Line2D] = (), alpha: float = 1.0) -> None:
    """The reference lines' legend, plus one swatch per bar colour (so no caption has to name
    a colour): ``bars`` says what the bars are."""
    from matplotlib.patches import Patch

    lines = [h for h in ax.get_legend_handles_labels()[0] if isinstance(h, Line2D)]
    handles: list[Artist] = [*lines, *extra]
    handles += [
        Patch(color=XOR_COLOUR, alpha=alpha, label=f"{bars}, XOR-bit target"),
        Patch(color=COIN_COLOUR, alpha=alpha, label=f"{bars}, coin-flip target"),
    ]
    ax.legend(handles=handles, loc="upper right", ncols=2, fontsize=8)


def _reference_lines(
    ax: Axes, ideal: Sequence[float] | None, paper: Sequence[float] | None
) -> None:
    steps = np.arange(len(ideal if ideal is not None else paper or []))
    if paper is not None:
        (line,) = ax.plot(
            steps,
            paper,
            "D--",
            color="0.35",
            markersize=4,
            linewidth=1,
            label="Elman (1990), Fig. 1 (read off)",
        )
        line.set_gid("paper")
    if ideal is not None:
        (line,) = ax.plot(
            steps,
            ideal,
            "_",
            color="black",
            markersize=18,
            markeredgewidth=2,
            label="ideal predictor",
        )
        line.set_gid("ideal")


def error_profile(
    profile: Sequence[float],
    ideal: Sequence[float] | None = None,
    paper: Sequence[float] | None = None,
    xor_steps: Sequence[int] = (1, 4, 7, 10),
    title: str = "Temporal XOR: error by step",
    measure: str = "squared",
) -> Figure:
    """The error at each step of a cycle, averaged over cycles (the paper's Figure 1), as bars
    coloured by what the target is (XOR bit or coin flip), with the ideal predictor's error
    and the paper's figure readings for comparison."""
    values = np.asarray(profile, dtype=float)
    colours = [XOR_COLOUR if k in xor_steps else COIN_COLOUR for k in range(len(values))]
    with figure_style():
        fig = Figure(figsize=(7.5, 4.0), layout=TextLayout())
        ax = fig.subplots()
        bars = ax.bar(range(len(values)), values, color=colours, width=0.7, label="network")
        for k, patch in enumerate(bars.patches):
            patch.set_gid(f"step{k + 1}")
        _reference_lines(ax, ideal, paper)
        _profile_axes(ax, len(values), xor_steps, measure)
        _target_legend(ax, "network")
        top = max(values.max(), max(paper or [0]), max(ideal or [0]))
        ax.set_ylim(0, 1.25 * top)
        ax.set_title(title)
    return fig


def error_profiles_over_seeds(
    profiles: Sequence[Sequence[float]],
    ideal: Sequence[float] | None = None,
    paper: Sequence[float] | None = None,
    xor_steps: Sequence[int] = (1, 4, 7, 10),
    title: str = "Temporal XOR across seeds",
    measure: str = "squared",
) -> Figure:
    """Every seed's profile as a thin line, their mean as bars, with the references."""
    data = np.asarray(profiles, dtype=float)
    mean = data.mean(axis=0)
    colours = [XOR_COLOUR if k in xor_steps else COIN_COLOUR for k in range(data.shape[1])]
    with figure_style():
        fig = Figure(figsize=(7.5, 4.0), layout=TextLayout())
        ax = fig.subplots()
        ax.bar(
            range(len(mean)),
            mean,
            color=colours,
            width=0.7,
            alpha=0.6,
            label=f"mean of {len(data)} seeds",
        )
        steps = np.arange(data.shape[1])
        add_lines(
            ax,
            [np.column_stack([steps, row]) for row in data],
            colors="0.5",
            linewidths=0.6,
            alpha=0.7,
        )
        _reference_lines(ax, ideal, paper)
        _profile_axes(ax, data.shape[1], xor_steps, measure)
        one_seed = Line2D([], [], color="0.5", linewidth=0.6, label="one seed")
        _target_legend(ax, f"mean of {len(data)} seeds", [one_seed], alpha=0.6)
        ax.set_ylim(0, 1.25 * max(data.max(), max(paper or [0])))
        ax.set_title(title)
    return fig


def hidden_units(
    bits: Array,
    hidden: Array,
    run_vs_alternation: Mapping[str, Sequence[float]],
    n_steps: int = 24,
) -> Figure:
    """What the hidden units respond to: left, each unit's mean activation after a run of
    equal bits (000, 111) and after an alternation (010, 101); right, the units' activations
    over a stretch of the test stream, the input bits written above."""
    run = np.asarray(run_vs_alternation["run"], dtype=float)
    alternation = np.asarray(run_vs_alternation["alternation"], dtype=float)
    n_units = len(run)
    with figure_style():
        fig = Figure(figsize=(10.0, 1.8 + 0.5 * n_units + 1.2), layout=TextLayout())
        ax_bars, ax_time = fig.subplots(1, 2, width_ratios=(1, 2.6))
        units = np.arange(n_units)
        ax_bars.bar(
            units - 0.18, run, width=0.36, color=CATEGORY_COLOURS[0], label="after 000 / 111"
        )
        ax_bars.bar(
            units + 0.18,
            alternation,
            width=0.36,
            color=CATEGORY_COLOURS[1],
            label="after 010 / 101",
        )
        ax_bars.set_xticks(units, [f"hidden {u + 1}" for u in units])
        ax_bars.set_ylim(0, 1.15)
        ax_bars.set_ylabel("mean activation")
        ax_bars.legend(loc="upper left", fontsize=8)
        ax_bars.set_title("runs vs alternations")

        stretch = slice(0, min(n_steps, len(bits)))
        shown = np.asarray(hidden, dtype=float)[stretch].T
        image = ax_time.imshow(shown, aspect="auto", cmap=ACTIVATION_CMAP, vmin=0, vmax=1)
        ax_time.set_yticks(range(n_units), [f"hidden {u + 1}" for u in range(n_units)])
        shown_bits = np.asarray(bits)[stretch]
        ax_time.set_xticks(range(len(shown_bits)), [str(int(b)) for b in shown_bits])
        ax_time.set_xlabel("input bit at each step (test stream)")
        for spine in ax_time.spines.values():
            spine.set_visible(False)
        fig.colorbar(image, ax=ax_time, label="activation", shrink=0.9)
        ax_time.set_title("hidden activations, step by step")
    return fig
