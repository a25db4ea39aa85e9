"""A grid of alike panels, laid out once from the sizes of its texts.

Matplotlib's constrained layout finds where the panels go by measuring every tick label,
title and axis label of every panel, twice, before the real draw; for a figure of 15 panels
that is half the time of saving it. The rule-learning figures are such grids: every panel has
a title above it, a label and tick labels below it and to its left, and its legend inside it.
``lay_out_grid`` measures those texts from their strings and font sizes (no drawing), gives
every cell of the grid room for the largest of them, and fixes the axes and their labels where
matplotlib would otherwise search for them at each draw. The figure is then drawn once, with
nothing overlapping and nothing clipped.

A panel's title must be set with ``y=1.0`` (``ax.set_title(..., y=1.0)``): matplotlib then
puts it at the title pad above the axes, instead of looking at each draw for tick labels above
the axes (these panels have none) and moving it above them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.text import Text
from matplotlib.transforms import ScaledTranslation

from srnlab.plots.style import text_size

#: Room at the figure's edges and between cells, in points (constrained layout's default).
PAD = 3.0
#: Added to every measured text: the glyphs a raster draws are hinted to its pixels, so a
#: line can be a few per cent wider than its outline (``text_size``) and a pixel taller.
WIDTH_SLACK = 1.05
SLACK = 1.5  # points
#: The least width and height of a panel's axes, in points: room for a legend inside it.
MIN_AXES_WIDTH = 144.0
MIN_AXES_HEIGHT = 108.0


@dataclass(frozen=True)
class Decorations:
    """The room a panel needs around its axes, in points: ``left`` (tick labels and y label),
    ``below`` (tick labels and x label), ``above`` (the title) and ``title_half`` (half the
    title's width: it is centred over the axes); and how far from the axes its axis labels go
    (``ylabel_at``, ``xlabel_at``: just beyond its tick labels)."""

    left: float
    below: float
    above: float
    title_half: float
    ylabel_at: float
    xlabel_at: float


def _height(text: str, size: float) -> float:
    """A line's height as matplotlib lays it out (at least the font's full height: its
    ascender and descender), or 0 for no text."""
    if not text:
        return 0.0
    font = get_font(findfont(FontProperties(size=size)))
    metrics, head = font.get_sfnt_table("OS/2"), font.get_sfnt_table("head")
    full = size
    if metrics is not None and head is not None:
        full = (metrics["sTypoAscender"] - metrics["sTypoDescender"]) / head["unitsPerEm"] * size
    return max(text_size(text, size)[1], full) + SLACK


def _width(text: str, size: float) -> float:
    return text_size(text, size)[0] * WIDTH_SLACK + SLACK if text else 0.0


def tick_labels(axis: Axis) -> list[str]:
    """The labels of the major ticks the axis will draw (those within its view limits)."""
    low, high = sorted(axis.get_view_interval())
    locations = [x for x in axis.get_majorticklocs() if low <= x <= high]
    return [label for label in axis.get_major_formatter().format_ticks(locations) if label]


def _tick_room(axis: Axis) -> float:
    """Tick length and pad: the distance from the axes to its tick labels, in points."""
    tick = axis.majorTicks[0]
    pad = cast(float, tick.get_pad())  # (matplotlib's stubs say it returns None)
    return float(tick.get_tick_padding()) + pad


def _size(text: Text) -> float:
    """A text's font size in points."""
    return float(text.get_fontproperties().get_size_in_points())


def decorations(ax: Axes) -> Decorations:
    """Measure one panel's title, axis labels and tick labels."""
    y_size = _size(ax.yaxis.majorTicks[0].label1)
    x_size = _size(ax.xaxis.majorTicks[0].label1)
    y_tick_width = max((_width(t, y_size) for t in tick_labels(ax.yaxis)), default=0.0)
    x_tick_height = max((_height(t, x_size) for t in tick_labels(ax.xaxis)), default=0.0)
    ylabel_at = _tick_room(ax.yaxis) + y_tick_width + ax.yaxis.labelpad
    xlabel_at = _tick_room(ax.xaxis) + x_tick_height + ax.xaxis.labelpad
    ylabel, xlabel, title = ax.yaxis.label, ax.xaxis.label, ax.title
    return Decorations(
        left=ylabel_at + _height(ylabel.get_text(), _size(ylabel)),
        below=xlabel_at + _height(xlabel.get_text(), _size(xlabel)),
        above=mpl.rcParams["axes.titlepad"] + _height(title.get_text(), _size(title)),
        title_half=_width(title.get_text(), _size(title)) / 2,
        ylabel_at=ylabel_at,
        xlabel_at=xlabel_at,
    )


def _x_tick_spill(ax: Axes, axes_left: float, axes_width: float, room: float) -> float:
    """How far (points) the x tick labels reach past the right of the cell's room, where the
    axes span ``axes_left`` to ``axes_left + axes_width`` of it (0 if they fit)."""
    low, high = ax.get_xlim()
    size = _size(ax.xaxis.majorTicks[0].label1)
    locations = [x for x in ax.xaxis.get_majorticklocs() if min(low, high) <= x <= max(low, high)]
    labels = ax.xaxis.get_major_formatter().format_ticks(locations)
    spill = 0.0
    for x, label in zip(locations, labels, strict=True):
        at = axes_left + (x - low) / (high - low) * axes_width
        spill = max(spill, at + _width(label, size) / 2 - room)
    return spill


def lay_out_grid(fig: Figure, axes: Sequence[Axes], columns: int, title: str) -> None:
    """Place the panels ``axes`` (row by row, ``columns`` to a row; hidden ones keep their
    cell empty) in equal cells filling the figure, under the figure's ``title``: each cell has
    room for the largest title, labels and tick labels of any panel. The figure's size is the
    least it gets: where a text needs more room (a long title), the figure grows. Call it when
    the panels are drawn (their limits and ticks final), on a figure without layout engine."""
    if fig.get_layout_engine() is not None:
        raise ValueError("lay_out_grid places the axes itself: make the figure without layout")
    shown = [ax for ax in axes if ax.get_visible()]
    needs = {ax: decorations(ax) for ax in shown}
    left = max(d.left for d in needs.values())
    below = max(d.below for d in needs.values())
    above = max(d.above for d in needs.values())
    title_half = max(d.title_half for d in needs.values())
    rows = -(-len(axes) // columns)
    heading = fig.suptitle(title, va="top")
    top = PAD + _height(title, _size(heading)) + PAD

    # The cells' room (each cell keeps PAD / 2 clear on either side), widened where needed.
    width, height = (float(v) * 72 for v in fig.get_size_inches())
    room = (width - PAD) / columns - PAD
    room = max(room, 2 * title_half, left + title_half + MIN_AXES_WIDTH / 2)
    width = max(columns * (room + PAD) + PAD, _width(title, _size(heading)) + 2 * PAD)
    cell_width = (width - PAD) / columns
    cell_height = max((height - top - PAD / 2) / rows, PAD + above + below + MIN_AXES_HEIGHT)
    height = top + rows * cell_height + PAD / 2
    fig.set_size_inches(width / 72, height / 72)
    heading.set_y(1 - PAD / height)

    # As wide as the cell allows, but narrow enough for the title centred over it to fit.
    room = cell_width - PAD
    axes_width = min(room - left, 2 * (room - left - title_half))
    axes_left = max(left, title_half - axes_width / 2)
    for _ in range(3):  # narrower axes for x tick labels that reach past the cell's right
        spill = max(_x_tick_spill(ax, axes_left, axes_width, room) for ax in shown)
        axes_width -= max(spill, 0.0)
    axes_height = cell_height - PAD - above - below
    for k, ax in enumerate(axes):
        row, column = divmod(k, columns)
        x0 = PAD / 2 + column * cell_width + PAD / 2 + axes_left
        y0 = height - top - (row + 1) * cell_height + PAD / 2 + below
        ax.set_position((x0 / width, y0 / height, axes_width / width, axes_height / height))
        if ax in needs:
            _pin_labels(fig, ax, needs[ax])


def _pin_labels(fig: Figure, ax: Axes, needs: Decorations) -> None:
    """Fix the axis labels just beyond the panel's own tick labels, where matplotlib would
    put them, so that no draw measures the tick labels again to find that place."""
    beside = ScaledTranslation(-needs.ylabel_at / 72, 0, fig.dpi_scale_trans)
    ax.yaxis.set_label_coords(0.0, 0.5, transform=ax.transAxes + beside)
    under = ScaledTranslation(0, -needs.xlabel_at / 72, fig.dpi_scale_trans)
    ax.xaxis.set_label_coords(0.5, 0.0, transform=ax.transAxes + under)
