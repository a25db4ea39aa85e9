"""A network diagram's connections: labelled arrows for a small net, each weight's label
placed where it hides the least, or for a big net unlabelled lines on a colour scale."""

from __future__ import annotations

from typing import NamedTuple

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from srnlab.plots.geometry import Box, box_hits_circle, boxes_overlap, segment_hits_box
from srnlab.plots.style import (
    NEGATIVE_COLOUR,
    POSITIVE_COLOUR,
    WEIGHT_CMAP,
    format_number,
    text_size,
)

Array = np.ndarray
Point = tuple[float, float]
Disc = tuple[float, float, float]  # a circle: x, y, radius

#: Where along its arrow a weight label may sit (fraction of the way), most preferred first.
_T_PREFERENCE = (0.7, 0.3, 0.6, 0.4, 0.8, 0.2, 0.5, 0.75, 0.25, 0.65, 0.35, 0.55, 0.45, 0.85)
_LABEL_FONT = 8.5  # font size of the weight labels
_LABEL_PAD = 0.05  # data units around a weight label (its white box)


class Edge(NamedTuple):
    """One connection: its weight's name (``w1,3``), both ends with their circles' radii."""

    name: str
    source: Point
    source_radius: float
    target: Point
    target_radius: float
    weight: float


def draw_weight_lines(
    fig: Figure,
    ax: Axes,
    edges: list[Edge],
    biggest: float,
    weight_norm: Normalize,
    width_in: float,
) -> None:
    """A big net's connections: unlabelled lines coloured on a diverging scale (with its
    colorbar), as wide as the weight is large; the strongest drawn on top."""
    cmap = mpl.colormaps[WEIGHT_CMAP]
    weights = np.array([e.weight for e in edges])
    order = np.argsort(np.abs(weights), kind="stable")  # strong weights drawn on top
    segments = [(edges[k].source, edges[k].target) for k in order]
    thin = len(edges) > 1000
    lines = LineCollection(
        segments,
        colors=cmap(weight_norm(weights[order])),
        linewidths=(0.1 if thin else 0.3)
        + (0.6 if thin else 1.7) * np.abs(weights[order]) / biggest,
        alpha=0.5 if thin else 1.0,
        zorder=1,
    )
    lines.set_gid("connections")
    ax.add_collection(lines)
    cax = fig.add_axes((1 - 1.0 / width_in, 0.2, 0.15 / width_in, 0.6))
    fig.colorbar(ScalarMappable(weight_norm, cmap), cax=cax, label="weight")


def draw_labelled_edges(
    ax: Axes, edges: list[Edge], biggest: float, circles: list[Disc], scale: float
) -> None:
    """Arrows with weight labels, each label placed where it hits the fewest other things
    (``circles``: the units' circles, as x, y, radius; ``scale``: inches per data unit)."""
    ends: list[tuple[Array, Array]] = []
    for edge in edges:  # from circle edge to circle edge
        p, q = np.array(edge.source), np.array(edge.target)
        d = (q - p) / np.linalg.norm(q - p)
        ends.append((p + d * edge.source_radius, q - d * edge.target_radius))
    placed: list[Box] = []
    for k, edge in enumerate(edges):
        colour = POSITIVE_COLOUR if edge.weight >= 0 else NEGATIVE_COLOUR
        start, end = ends[k]
        arrow = FancyArrowPatch(
            tuple(start),
            tuple(end),
            arrowstyle="-|>",
            mutation_scale=9,
            shrinkA=0,
            shrinkB=0,
            color=colour,
            linewidth=0.7 + 2.3 * abs(edge.weight) / biggest,
            zorder=1,
        )
        arrow.set_gid(edge.name)
        ax.add_patch(arrow)
        text = format_number(edge.weight)
        others = [segment for j, segment in enumerate(ends) if j != k]
        box, centre = _label_place(text, start, end, scale, placed, circles, others)
        placed.append(box)
        _write_weight(ax, text, centre, colour)


def _label_place(
    text: str,
    start: Array,
    end: Array,
    scale: float,
    placed: list[Box],
    circles: list[Disc],
    others: list[tuple[Array, Array]],
) -> tuple[Box, Array]:
    """The box and centre of a weight label on the arrow start-end: of the places in
    ``_T_PREFERENCE``, the first with the lowest cost (a label or a circle in the way is
    worse than another arrow crossing it)."""
    w_pt, h_pt = text_size(text, _LABEL_FONT)
    half_w = w_pt / 72 / scale / 2 + _LABEL_PAD
    half_h = h_pt / 72 / scale / 2 + _LABEL_PAD
    best: tuple[float, Box, Array] | None = None
    for rank, t in enumerate(_T_PREFERENCE):
        centre = start + t * (end - start)
        box = (centre[0] - half_w, centre[1] - half_h, centre[0] + half_w, centre[1] + half_h)
        cost = float(rank)
        cost += 100.0 * sum(boxes_overlap(box, other) for other in placed)
        cost += 100.0 * sum(box_hits_circle(box, *c) for c in circles)
        cost += 4.0 * sum(segment_hits_box(p, q, box) for p, q in others)
        if best is None or cost < best[0]:
            best = (cost, box, centre)
    assert best is not None
    return best[1], best[2]


def _write_weight(ax: Axes, text: str, centre: Array, colour: str) -> None:
    ax.text(
        centre[0],
        centre[1],
        text,
        ha="center",
        va="center",
        fontsize=_LABEL_FONT,
        zorder=5,
        bbox={
            "boxstyle": "round,pad=0.15",
            "facecolor": "white",
            "edgecolor": colour,
            "linewidth": 0.6,
        },
    )
