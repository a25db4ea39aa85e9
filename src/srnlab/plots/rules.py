"""Figures of the rule-learning harness (Marcus et al. 1999 and the network replies)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from srnlab.aggregate import mean_interval
from srnlab.plots.layout import TextLayout, lay_out_grid
from srnlab.plots.style import CATEGORY_COLOURS, OKABE_ITO, add_lines, figure_style

Array = np.ndarray

CONSISTENT_COLOUR = OKABE_ITO["blue"]
INCONSISTENT_COLOUR = OKABE_ITO["vermillion"]


def difference_forest(
    rows: Sequence[tuple[int, str, Mapping[str, Any]]],
    title: str = "Inconsistent - consistent",
    over: str = "networks",
) -> Figure:
    """One row per condition: the mean paired difference (inconsistent - consistent looking
    time) with its 95% CI, coloured by experiment, against the zero line. A CI that crosses 0
    is no evidence of generalisation; filled markers are reliably above or below 0."""
    n = len(rows)
    experiments = sorted({experiment for experiment, _, _ in rows})
    colour = {e: CATEGORY_COLOURS[k % len(CATEGORY_COLOURS)] for k, e in enumerate(experiments)}
    with figure_style():
        fig = Figure(figsize=(8.0, 1.2 + 0.32 * n), layout=TextLayout())
        ax = fig.subplots()
        ax.axvline(0.0, color="0.4", linewidth=0.8)
        # One errorbar per experiment and marker fill (a handful of artists, not one per row).
        for (experiment, reliable), ys in _forest_groups(rows).items():
            means = np.array([rows[y][2]["mean_difference"] for y in ys])
            lows = np.array([rows[y][2]["ci95_low"] for y in ys])
            highs = np.array([rows[y][2]["ci95_high"] for y in ys])
            ax.errorbar(
                means,
                ys,
                xerr=[means - lows, highs - means],
                fmt="o",
                color=colour[experiment],
                markerfacecolor=colour[experiment] if reliable else "white",
                capsize=3,
                gid=f"exp{experiment}-{'reliable' if reliable else 'unreliable'}",
            )
        ax.set_yticks(range(n), [f"exp {e}: {label}" for e, label, _ in rows])
        ax.invert_yaxis()
        ax.set_xlabel(f"inconsistent \u2212 consistent looking time\n(mean and 95% CI over {over})")
        ax.grid(True, axis="x", color="0.9", linewidth=0.6)
        ax.legend(handles=_forest_legend(colour), loc="best", fontsize=7)
        ax.set_title(title, loc="right")
    return fig


def _forest_groups(
    rows: Sequence[tuple[int, str, Mapping[str, Any]]],
) -> dict[tuple[int, bool], list[int]]:
    """The forest's rows by (experiment, reliably different from 0), in order."""
    groups: dict[tuple[int, bool], list[int]] = {}
    for y, (experiment, _, c) in enumerate(rows):
        reliable = c["direction"] != "no reliable difference"
        groups.setdefault((experiment, reliable), []).append(y)
    return groups


def _forest_legend(colour: Mapping[int, str]) -> list[Line2D]:
    """Which colour is which experiment, and what a filled marker means."""

    def dot(label: str, colour: str, face: str | None = None) -> Line2D:
        return Line2D(
            [], [], color=colour, marker="o", linestyle="none", markerfacecolor=face, label=label
        )

    return [
        *(dot(f"experiment {e}", c) for e, c in colour.items()),
        dot("95% CI excludes 0", "0.3"),
        dot("95% CI includes 0", "0.3", face="white"),
    ]


def _legend_above(ax: Axes, room: float = 0.5, **legend: Any) -> None:
    """A panel's legend in room made above its data (``room`` of the data's height), so it
    hides nothing."""
    low, high = ax.get_ylim()
    ax.set_ylim(low, high + room * (high - low))
    ax.legend(loc="upper center", **legend)


def _network_lines() -> list[Line2D]:
    """The legend of a paired panel: what a thin line's colour says, and the mean."""
    return [
        Line2D(
            [], [], color=INCONSISTENT_COLOUR, linewidth=0.8, label="a network, inconsistent higher"
        ),
        Line2D([], [], color="0.6", linewidth=0.8, label="a network, not higher"),
        Line2D([], [], color="k", linewidth=2.2, marker="o", label="mean"),
    ]


def _panel_grid(
    n: int, columns: int, height: float, heading: float
) -> tuple[Figure, list[Axes], int]:
    """A figure of ``n`` panels, ``columns`` to a row, each cell 3.5 in wide and ``height``
    high, with ``heading`` inches more for the title; the axes in reading order (those past
    ``n`` hidden) and the number of columns."""
    columns = max(1, min(columns, n))
    n_rows = -(-n // columns)
    # No layout engine: ``lay_out_grid`` places the panels once (see srnlab.plots.layout).
    fig = Figure(figsize=(3.5 * columns + 0.5, height * n_rows + heading))
    axes = list(np.atleast_1d(fig.subplots(n_rows, columns, squeeze=False)).ravel())
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes, columns


def _label_panel(ax: Axes, title: str, xlabel: str, ylabel: str) -> None:
    """A panel's title and axis labels; at most six plain y tick labels (no offset or
    exponent above the axis, where the title is: the layout measures every label)."""
    ax.set_title(title, fontsize=9, y=1.0)  # y given: see srnlab.plots.layout
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    ax.ticklabel_format(axis="y", style="plain", useOffset=False)
    ax.grid(True, axis="y", color="0.9", linewidth=0.6)


def paired_looking_times(
    panels: Sequence[tuple[str, Array]], title: str = "Looking times", columns: int = 3
) -> Figure:
    """One panel per condition: each network's consistent and inconsistent looking time joined
    by a thin line (grey: inconsistent higher is not what that network shows), the means in
    bold. ``panels`` are (label, (networks, 2) array of consistent, inconsistent)."""
    with figure_style():
        fig, axes, columns = _panel_grid(len(panels), columns, height=2.8, heading=0.6)
        for ax, (label, looking) in zip(axes, panels, strict=False):
            data = np.asarray(looking, dtype=float)
            up = data[:, 1] > data[:, 0]
            add_lines(  # one artist for all the networks' lines, not one each
                ax,
                [[(0.0, consistent), (1.0, inconsistent)] for consistent, inconsistent in data],
                colors=[INCONSISTENT_COLOUR if u else "0.6" for u in up],
                alpha=0.5,
                linewidths=0.8,
            )
            ax.plot([0, 1], data.mean(axis=0), "k-", linewidth=2.2, marker="o", label="mean")
            ax.set_xticks([0, 1], ["consistent", "inconsistent"])
            ax.set_xlim(-0.3, 1.3)
            _label_panel(ax, label, "test sentence", "looking time (error)")
            _legend_above(ax, handles=_network_lines(), fontsize=7)
        lay_out_grid(fig, axes, columns, title)
    return fig


def error_by_syllable(
    panels: Sequence[tuple[str, Array]], title: str = "Error by syllable", columns: int = 3
) -> Figure:
    """One panel per condition: the mean error at the 1st, 2nd and 3rd syllable of consistent
    and inconsistent test sentences, with the 95% CI over networks (t-based, unpaired: the
    paired test is ``difference_forest``'s). Shows where a difference lives: the 3rd syllable
    for ABA vs ABB, the 2nd and 3rd for AAB vs ABB.
    ``panels`` are (label, (networks, 2, 3) array: consistent/inconsistent x syllable)."""
    positions = np.arange(3)
    with figure_style():
        fig, axes, columns = _panel_grid(len(panels), columns, height=2.7, heading=0.8)
        for ax, (label, by_syllable) in zip(axes, panels, strict=False):
            data = np.asarray(by_syllable, dtype=float)
            n_networks = data.shape[0]
            for k, (kind, colour) in enumerate(
                (("consistent", CONSISTENT_COLOUR), ("inconsistent", INCONSISTENT_COLOUR))
            ):
                means = data[:, k].mean(axis=0)
                half = mean_interval(data[:, k])[1] - means if n_networks > 1 else np.zeros(3)
                ax.bar(
                    positions + (k - 0.5) * 0.38,
                    means,
                    width=0.38,
                    yerr=half,
                    color=colour,
                    capsize=2,
                    label=kind,
                )
            ax.set_xticks(positions, ["1st", "2nd", "3rd"])
            _label_panel(ax, label, "syllable of the test sentence", "mean error (95% CI)")
            _legend_above(ax, ncols=2, fontsize=7)
        lay_out_grid(fig, axes, columns, title)
    return fig
