"""Figures of what the hidden layer learned (Elman 1990, Figure 7 and its untrained baseline).

:func:`dendrograms` draws cluster trees of word means, one panel each (trained beside untrained,
as Kolen 1994 asks), every word written in its group's colour with a coloured square at its
leaf; :func:`dendrogram` is the one-panel case. :func:`pca_plot` shows the same means on their
first two principal components. A highlighted word (the novel "zog") is written in bold.

Groups are at most eight named sets of words, one Okabe-Ito colour each; a word takes the
colour of the first group that holds it, and a word in no group is grey. Text that would be too
pale to read (yellow) is written in black; its square still carries the colour.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from scipy.cluster.hierarchy import dendrogram as scipy_dendrogram

from srnlab.errors import UserError
from srnlab.plots.layout import TextLayout
from srnlab.plots.style import CATEGORY_COLOURS, add_lines, figure_style

Array = np.ndarray
Groups = Mapping[str, Collection[str]]

NO_GROUP = "0.55"  # grey, for words in no group
BRANCH_COLOUR = "0.25"


def _colours(groups: Groups | None) -> dict[str, str]:
    """Group name -> colour, in the order the groups are given."""
    groups = groups or {}
    if len(groups) > len(CATEGORY_COLOURS):
        raise UserError(
            f"{len(groups)} groups for {len(CATEGORY_COLOURS)} colour-blind-safe colours; "
            "merge some groups"
        )
    return {name: CATEGORY_COLOURS[k] for k, name in enumerate(groups)}


def _group_of(word: str, groups: Groups | None) -> str | None:
    return next((name for name, words in (groups or {}).items() if word in words), None)


def _ink(colour: str) -> str:
    """The colour itself for text, or black where it would be too pale to read on white."""
    r, g, b = to_rgb(colour)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.7 else colour


def _swatch(colour: str, label: str) -> Line2D:
    """A legend entry: a square of the group's colour."""
    return Line2D(
        [],
        [],
        marker="s",
        linestyle="none",
        markersize=7,
        markerfacecolor=colour,
        markeredgecolor="black",
        markeredgewidth=0.5,
        label=label,
    )


def _legend(
    ax: Axes, words: Sequence[str], groups: Groups | None, highlight: Collection[str]
) -> None:
    colours = _colours(groups)
    used = {_group_of(w, groups) for w in words}
    handles = [_swatch(colour, name) for name, colour in colours.items() if name in used]
    if None in used and groups:
        handles.append(_swatch(NO_GROUP, "no group"))
    shown = [w for w in highlight if w in words]
    if shown:
        handles.append(Line2D([], [], linestyle="none", label=f"bold: {', '.join(shown)}"))
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def _draw_tree(
    ax: Axes,
    linkage: Any,
    labels: Sequence[str],
    groups: Groups | None,
    highlight: Collection[str],
    distance_label: str,
) -> list[str]:
    """One dendrogram, leaves down the left edge (first leaf on top), merge height to the right.

    scipy's ``dendrogram(no_plot=True)`` gives each merge as a bracket: four points whose
    ``icoord`` are leaf positions (5, 15, 25, ... for leaves 0, 1, 2, ...) and whose ``dcoord``
    are heights. Returns the leaves in drawing order, top first.
    """
    linkage = np.asarray(linkage, dtype=float)
    if len(labels) != linkage.shape[0] + 1:
        raise UserError(f"{len(labels)} labels for a tree of {linkage.shape[0] + 1} leaves")
    tree = scipy_dendrogram(linkage, labels=list(labels), no_plot=True)
    brackets = [
        np.column_stack([xs, ys]) for ys, xs in zip(tree["icoord"], tree["dcoord"], strict=True)
    ]
    add_lines(ax, brackets, colors=BRANCH_COLOUR, linewidths=1.0, gid="merges")
    order = [str(w) for w in tree["ivl"]]
    positions = 5.0 + 10.0 * np.arange(len(order))
    colours = _colours(groups)
    leaf_colours = [colours.get(_group_of(w, groups) or "", NO_GROUP) for w in order]
    squares = ax.scatter(
        np.zeros(len(order)),
        positions,
        marker="s",
        s=30,
        c=leaf_colours,
        edgecolors="black",
        linewidths=0.5,
        zorder=3,
        clip_on=False,
    )
    squares.set_gid("leaves")
    ax.set_yticks(positions, order)
    for text, word, colour in zip(ax.get_yticklabels(), order, leaf_colours, strict=True):
        text.set_color(_ink(colour))
        text.set_gid(f"leaf_{word}")
        if word in highlight:
            text.set_fontweight("bold")
    ax.tick_params(axis="y", length=0, pad=8)
    ax.set_ylim(positions[-1] + 5.0, 0.0)  # first leaf on top
    ax.set_xlim(left=0.0)
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(distance_label)
    return order


def dendrograms(
    trees: Mapping[str, tuple[Any, Sequence[str]]],
    groups: Groups | None = None,
    highlight: Collection[str] = (),
    title: str | None = None,
    distance_label: str = "distance between word means at the merge",
) -> Figure:
    """Cluster trees side by side, one panel per ``{panel title: (linkage, labels)}``.

    The usual pair is ``{"trained": ..., "untrained": ...}``: structure found in both is not
    the work of learning. Each panel has its own distance scale (an untrained net's vectors
    lie much closer together): compare the shapes of the trees, not their heights. One legend,
    of the groups that occur, at the right.
    """
    if not trees:
        raise UserError("dendrograms needs at least one tree")
    n_leaves = max(len(labels) for _, labels in trees.values())
    with figure_style():
        fig = Figure(figsize=(4.2 * len(trees) + 1.6, 1.4 + 0.2 * n_leaves), layout=TextLayout())
        axes = fig.subplots(1, len(trees), squeeze=False)[0]
        every: list[str] = []
        for ax, (name, (linkage, labels)) in zip(axes, trees.items(), strict=True):
            every += _draw_tree(ax, linkage, labels, groups, highlight, distance_label)
            ax.set_title(name)
        _legend(axes[-1], every, groups, highlight)
        if title:
            fig.suptitle(title)
    return fig


def dendrogram(
    linkage: Any,
    labels: Sequence[str],
    groups: Groups | None = None,
    highlight: Collection[str] = (),
    title: str = "Cluster tree of the mean hidden vector of each word",
    distance_label: str = "distance between word means at the merge",
) -> Figure:
    """One cluster tree (Elman's Figure 7): words coloured by group, ``highlight`` in bold."""
    return dendrograms({title: (linkage, labels)}, groups, highlight, None, distance_label)


def pca_plot(
    coords: Any,
    labels: Sequence[str],
    groups: Groups | None = None,
    explained: Sequence[float] | None = None,
    highlight: Collection[str] = (),
    title: str = "Word means on their first two principal components",
) -> Figure:
    """Each word's mean hidden vector as a point on PC1, PC2, labelled and coloured by group.

    ``explained`` (the share of variance of each component, from ``analysis.pca``) goes into
    the axis labels, so a reader sees how much of the 150-d picture the plane keeps. Both axes
    share one scale: distances on the page are distances in the plane.
    """
    points = np.asarray(coords, dtype=float)
    if points.ndim != 2 or points.shape[1] < 2 or len(points) != len(labels):
        raise UserError(f"need (n, >= 2) coordinates for {len(labels)} labels, got {points.shape}")
    colours = _colours(groups)
    point_colours = [colours.get(_group_of(w, groups) or "", NO_GROUP) for w in labels]
    with figure_style():
        fig = Figure(figsize=(7.2, 5.6), layout=TextLayout())
        ax = fig.add_subplot()
        ax.axhline(0, color="0.85", linewidth=0.6, zorder=0)
        ax.axvline(0, color="0.85", linewidth=0.6, zorder=0)
        dots = ax.scatter(
            points[:, 0],
            points[:, 1],
            s=36,
            c=point_colours,
            edgecolors="black",
            linewidths=0.5,
            zorder=3,
        )
        dots.set_gid("words")
        for (x, y), word, colour in zip(points[:, :2], labels, point_colours, strict=True):
            text = ax.annotate(
                word,
                xy=(x, y),
                xytext=(4, 3),
                textcoords="offset points",
                fontsize=8.5,
                color=_ink(colour),
                zorder=4,
                fontweight="bold" if word in highlight else "normal",
                bbox={
                    "boxstyle": "square,pad=0.05",
                    "facecolor": "white",
                    "edgecolor": "none",
                    "alpha": 0.7,
                },
            )
            text.set_gid(f"label_{word}")
        for axis, k in ((ax.set_xlabel, 0), (ax.set_ylabel, 1)):
            share = "" if explained is None else f" ({100 * explained[k]:.1f}% of variance)"
            axis(f"PC{k + 1}{share}")
        ax.set_aspect("equal", adjustable="datalim")
        _legend(ax, list(labels), groups, highlight)
        ax.set_title(title)
    return fig
