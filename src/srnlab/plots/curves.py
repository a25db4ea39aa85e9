"""Figures of training over time: one run's learning curve, and over many seeds the epoch at
which each first solved the task."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import numpy as np
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.figure import Figure

from srnlab.plots.layout import TextLayout
from srnlab.plots.style import CATEGORY_COLOURS, OKABE_ITO, figure_style


def learning_curve(
    history: Mapping[str, Sequence[float]],
    title: str = "Learning curve",
    solved_epoch: int | None = None,
    x: str = "epoch",
) -> Figure:
    """Error against epoch: E summed over patterns (top) and the mean per-pattern Euclidean
    error ``rms`` (bottom), with a vertical line at the first epoch the task was solved.

    ``history`` is a history's columns (``History.columns()`` or a CSV read back): it needs
    the column ``x`` (``"epoch"``; ``"pass"`` for an SRN's passes through its stream) and at
    least one of ``error`` and ``rms``; other columns are ignored.
    """
    panels = _curve_panels(history, x)
    epoch = np.asarray(history[x], dtype=float)
    with figure_style():
        fig = Figure(figsize=(7.0, 2.2 + 1.9 * len(panels)), layout=TextLayout())
        axes = fig.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
        for ax, (key, label), colour in zip(axes, panels, CATEGORY_COLOURS, strict=False):
            (line,) = ax.plot(
                epoch, np.asarray(history[key], dtype=float), color=colour, linewidth=1.6
            )
            line.set_gid(key)
            ax.set_ylabel(label)
            ax.set_ylim(bottom=0)
            ax.grid(True, color="0.9", linewidth=0.6)
            if solved_epoch is not None:
                marker = ax.axvline(
                    solved_epoch, color=OKABE_ITO["vermillion"], linestyle="--", linewidth=1.2
                )
                marker.set_gid("solved")
        if solved_epoch is not None:
            _label_line(
                axes[0], solved_epoch, f"solved at epoch {solved_epoch}", OKABE_ITO["vermillion"]
            )
        axes[-1].set_xlabel(x)
        if len(epoch):
            axes[-1].set_xlim(float(epoch.min()), float(epoch.max()))
        fig.suptitle(title)
    return fig


def _curve_panels(history: Mapping[str, Sequence[float]], x: str) -> list[tuple[str, str]]:
    """(column, axis label) of each panel the history has data for, checked against ``x``."""
    if x not in history:
        raise ValueError(f"history needs an {x!r} column; it has {', '.join(history)}")
    n_epochs = len(history[x])
    item = "pattern" if x == "epoch" else "step"
    panels = [
        (key, label)
        for key, label in (
            ("error", f"E, summed over {item}s"),
            ("rms", f"mean per-{item}\nerror \u2016y \u2212 a\u2016"),
        )
        if key in history
    ]
    if not panels:
        raise ValueError("history needs an 'error' or an 'rms' column")
    for key, _ in panels:
        if len(history[key]) != n_epochs:
            raise ValueError(
                f"history column {key!r} has {len(history[key])} values for {n_epochs} epochs"
            )
    return panels


def solution_epochs(
    epochs: Sequence[int | None],
    title: str = "Epochs to solution",
) -> Figure:
    """A histogram of the epoch at which each seed first solved the task, and beside it one
    bar for the seeds that never did (``None``). The title states both counts."""
    solved = np.array([e for e in epochs if e is not None], dtype=float)
    n_total = len(epochs)
    n_unsolved = n_total - len(solved)
    with figure_style():
        fig = Figure(figsize=(7.0, 3.8), layout=TextLayout())
        ax, ax_none = fig.subplots(1, 2, sharey=True, width_ratios=(6, 1))
        if len(solved):
            _solved_histogram(ax, solved)
        else:
            ax.text(
                0.5,
                0.5,
                "no seed solved the task",
                transform=ax.transAxes,
                ha="center",
                va="center",
                color="0.4",
            )
        ax.set_xlabel("epoch at which the task was first solved")
        ax.set_ylabel("seeds")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.xaxis.get_major_locator().set_params(integer=True)
        if not len(solved):
            ax.set_xticks([])
        _unsolved_bar(ax_none, n_unsolved)
        top = max([n_unsolved, *(p.get_height() for p in ax.patches)], default=1)
        ax.set_ylim(0, top * 1.15 + 0.5)
        fig.suptitle(f"{title}: {len(solved)} of {n_total} seeds solved, {n_unsolved} did not")
    return fig


def _solved_histogram(ax: Axes, solved: np.ndarray) -> None:
    """The histogram of the solving epochs, with their median marked."""
    edges: Any = np.histogram_bin_edges(solved, bins="auto")
    if len(edges) > 31:
        edges = np.histogram_bin_edges(solved, bins=30)
    if np.ptp(solved) < 5:  # (nearly) all alike: one-epoch bins in a readable window
        edges = np.arange(solved.min() - 0.5, solved.max() + 1.0)
        ax.set_xlim(solved.min() - 5, solved.max() + 5)
    _, _, bars = ax.hist(
        solved, bins=edges, color=OKABE_ITO["blue"], edgecolor="white", linewidth=0.8
    )
    for i, patch in enumerate(cast(BarContainer, bars)):  # one data set: one container
        patch.set_gid(f"solved_bin{i}")
    median = float(np.median(solved))
    ax.axvline(median, color="black", linestyle="--", linewidth=1.0)
    _label_line(ax, median, f"median {median:g}")


def _label_line(ax: Axes, x: float, text: str, colour: str | None = None) -> None:
    """``text`` at the top of the vertical line at ``x``, just to its right."""
    ax.annotate(
        text,
        xy=(x, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(4, -2),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=9,
        color=colour,
    )


def _unsolved_bar(ax: Axes, n_unsolved: int) -> None:
    """The one hatched bar of the seeds that never solved the task, with its count."""
    unsolved = ax.bar(
        [0],
        [n_unsolved],
        width=0.6,
        color=OKABE_ITO["vermillion"],
        hatch="//",
        edgecolor="white",
    )
    unsolved.patches[0].set_gid("not_solved")
    ax.text(0, n_unsolved, str(n_unsolved), ha="center", va="bottom", fontsize=9)
    ax.set_xticks([0], ["not\nsolved"])
    ax.set_xlim(-0.6, 0.6)
    ax.tick_params(axis="y", left=False, labelleft=False)
    ax.spines["left"].set_visible(False)
