"""Figures laid out from the sizes of their texts, not measured on a draw.

Matplotlib's constrained layout finds where the axes go by measuring every tick label, axis
label, title and legend on a renderer, twice, before the real draw measures them again; for
most of our figures that is as much work as the draw itself. ``TextLayout`` is constrained
layout worked out from the strings and fonts of those texts instead (``text_box``: the
outlines of their glyphs, no renderer). Each axes needs room beyond its box on every side
(``Panel.room``: the union of what its tick labels, axis labels and titles take up), every
column and row of the figure's grid gets room for the largest of its axes, and the axes go
where constrained layout puts them: the same pads between them, width and height ratios kept,
the figure's title on top. The axis labels are then fixed just beyond the tick labels, where
every draw would otherwise measure the tick labels again to find their place. The few things a
string does not tell (a legend, a text in the axes, an artist drawn outside them) are measured
on the renderer, those alone. A figure this cannot lay out (a colorbar, a figure legend, axes
of fixed aspect or outside one grid, an axis that writes an offset) is left to constrained
layout, of which ``TextLayout`` is a kind: it takes the same settings.

``lay_out_grid`` is the rule-learning figures' variant: alike panels in equal cells, in a figure
that grows where a text needs more room. Its panels' titles are set with ``y=1.0``
(``ax.set_title(..., y=1.0)``): matplotlib then puts them at the title pad above the axes,
instead of looking at each draw for tick labels above the axes (they have none) to avoid.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.gridspec import GridSpec
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.spines import Spine
from matplotlib.text import Text
from matplotlib.transforms import ScaledTranslation

from srnlab.plots.style import outline_size

#: Added to every measured text: the glyphs a raster draws are hinted to its pixels, so a
#: line can be a few per cent wider than its outline and a pixel taller.
WIDTH_SLACK = 1.05
SLACK = 1.5  # points
#: How far (points) the room an axes needs may still move before the layout counts as done.
SETTLED = 0.25


# ---- the size of a text ----------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _font_extent(font_file: str) -> tuple[float, float, float]:
    """The font's ascent and descent and the gap between its lines, per point of font size,
    from its tables as matplotlib reads them."""
    font = get_font(font_file)
    head, os2, hhea = font.get_sfnt_table("head"), font.get_sfnt_table("OS/2"), None
    if os2 is None:
        hhea = font.get_sfnt_table("hhea")
    if head is None:
        return 0.8, 0.2, 0.0
    em = float(head["unitsPerEm"])
    if os2 is not None:
        return os2["sTypoAscender"] / em, -os2["sTypoDescender"] / em, os2["sTypoLineGap"] / em
    if hhea is not None:
        return hhea["ascent"] / em, -hhea["descent"] / em, hhea["lineGap"] / em
    return 0.8, 0.2, 0.0


def _lines(text: str, prop: FontProperties) -> list[tuple[float, float, float]]:
    """Each line's width, ascent and descent in points, as matplotlib lays them out: each at
    least the font's own ascent and descent, and half a line gap more on either side where
    there are several lines."""
    size = prop.get_size_in_points()
    font_file = findfont(prop)
    ascent, descent, gap = (size * v for v in _font_extent(font_file))
    lines = text.split("\n")
    half_gap = gap / 2 if len(lines) > 1 else 0.0
    boxes = []
    for line in lines:
        w, h, d = outline_size(line, size, font_file)
        boxes.append((w, max(h - d, ascent) + half_gap, max(d, descent) + half_gap))
    return boxes


def string_box(text: str, prop: FontProperties) -> tuple[float, float]:
    """Width and height in points of ``text`` (lines split at newlines) in the font ``prop``,
    as matplotlib lays it out (``_lines``); a little generous (``WIDTH_SLACK``, ``SLACK``).
    (0, 0) for no text."""
    if not text:
        return 0.0, 0.0
    lines = _lines(text, prop)
    width = max(w for w, _, _ in lines)
    height = sum(a + d for _, a, d in lines)
    return width * WIDTH_SLACK + SLACK, height + SLACK


def descent(text: Text) -> float:
    """How far an upright text reaches below its baseline, in points (its last line's descent):
    the part of a title, which sits on its baseline, that hangs into the pad under it."""
    if not text.get_text():
        return 0.0
    return _lines(text.get_text(), text.get_fontproperties())[-1][2]


def text_box(text: Text) -> tuple[float, float]:
    """Width and height in points that a text takes up on the page: ``string_box`` of its
    string and font, turned for a text at 90 degrees. Other angles are not measured here."""
    width, height = string_box(text.get_text(), text.get_fontproperties())
    angle = text.get_rotation() % 180
    if angle == 90:
        return height, width
    if angle != 0:
        raise _CannotLayOut(f"a text at {angle} degrees")
    return width, height


class _CannotLayOut(Exception):
    """What a figure has that ``TextLayout`` does not measure (it falls back on constrained
    layout)."""


# ---- what an axes needs around it ------------------------------------------------------------


@dataclass(frozen=True)
class Room:
    """How far (points) an axes' decorations reach beyond its box on each side."""

    left: float = 0.0
    right: float = 0.0
    below: float = 0.0
    above: float = 0.0

    def __or__(self, other: Room) -> Room:
        """The room both need (their union)."""
        return Room(
            max(self.left, other.left),
            max(self.right, other.right),
            max(self.below, other.below),
            max(self.above, other.above),
        )

    def moved(self, other: Room) -> float:
        """How far the furthest side moved from ``other``."""
        return max(
            abs(self.left - other.left),
            abs(self.right - other.right),
            abs(self.below - other.below),
            abs(self.above - other.above),
        )


def _shown_tick_labels(axis: Axis) -> list[tuple[float, Text]]:
    """The major tick labels the axis will draw (on its left or bottom side), each with its
    place along the axis (0 at the start of its view interval, 1 at the end)."""
    axis.get_majorticklabels()  # (updates the ticks: their places, labels and fonts)
    if axis.get_major_formatter().get_offset():
        raise _CannotLayOut("an axis that writes an offset or a scale")
    params = axis.get_tick_params()
    if params.get("labeltop") or params.get("labelright"):
        raise _CannotLayOut("tick labels above or right of the axes")
    scale = axis.get_transform()
    start, end = (float(v) for v in scale.transform(axis.get_view_interval()))
    shown = []
    for tick in axis.get_major_ticks():
        label = tick.label1
        if not (label.get_visible() and label.get_text()):
            continue
        place = (float(scale.transform(tick.get_loc())) - start) / (end - start)
        if -1e-10 <= place <= 1 + 1e-10:  # (as matplotlib picks the ticks it draws)
            shown.append((place, label))
    return shown


def _tick_room(axis: Axis) -> float:
    """Tick length and pad: the distance from the axes to its tick labels, in points."""
    tick = axis.majorTicks[0]
    pad = cast(float, tick.get_pad())  # (matplotlib's stubs say it returns None)
    return float(tick.get_tick_padding()) + pad


def _ticks_out(axis: Axis, side: str) -> float:
    """How far the tick marks on ``side`` reach out of the axes (points): where an axis
    label goes when the tick labels are hidden."""
    return float(axis.majorTicks[0].get_tick_padding()) if axis.get_tick_params()[side] else 0.0


class Panel:
    """An axes' decorations as it now is, measured from their strings: tick labels, axis
    labels, titles. ``room(width, height)`` is how far they reach beyond the axes when its box
    is ``width`` x ``height`` points (tick labels at its ends, or texts wider than it, reach
    out further the smaller it is); ``extras`` is the room of what the renderer measured
    (``measure_extras``)."""

    def __init__(self, ax: Axes) -> None:
        self.ax = ax
        if ax.yaxis.get_label_position() != "left" or ax.xaxis.get_label_position() != "bottom":
            raise _CannotLayOut("an axis label above or right of the axes")
        self.y_ticks = [(place, *text_box(label)) for place, label in _shown_tick_labels(ax.yaxis)]
        self.x_ticks = [(place, *text_box(label)) for place, label in _shown_tick_labels(ax.xaxis)]
        y_tick_width = max((w for _, w, _ in self.y_ticks), default=0.0)
        x_tick_height = max((h for _, _, h in self.x_ticks), default=0.0)
        # Where the axis labels go: beyond the tick labels by the label pad (or, without
        # tick labels, beyond the tick marks), as matplotlib places them.
        if self.y_ticks:
            self.ylabel_at = _tick_room(ax.yaxis) + y_tick_width + ax.yaxis.labelpad
        else:
            self.ylabel_at = _ticks_out(ax.yaxis, "left") + ax.yaxis.labelpad
        if self.x_ticks:
            self.xlabel_at = _tick_room(ax.xaxis) + x_tick_height + ax.xaxis.labelpad
        else:
            self.xlabel_at = _ticks_out(ax.xaxis, "bottom") + ax.xaxis.labelpad
        self.ylabel = text_box(ax.yaxis.label) if ax.yaxis.label.get_visible() else (0.0, 0.0)
        self.xlabel = text_box(ax.xaxis.label) if ax.xaxis.label.get_visible() else (0.0, 0.0)
        self.titles = [  # (where, width, height above its baseline)
            (title.get_horizontalalignment(), width, height - descent(title))
            for title in _titles(ax)
            for width, height in [text_box(title)]
        ]
        self.extras = Room()

    def room(self, width: float, height: float) -> Room:
        """The room the decorations need around an axes of ``width`` x ``height`` points."""
        ylabel_width, ylabel_height = self.ylabel
        xlabel_width, xlabel_height = self.xlabel
        left = self.ylabel_at + ylabel_width if ylabel_width else 0.0
        below = self.xlabel_at + xlabel_height if xlabel_height else 0.0
        if self.y_ticks:
            left = max(left, _tick_room(self.ax.yaxis) + max(w for _, w, _ in self.y_ticks))
        if self.x_ticks:
            below = max(below, _tick_room(self.ax.xaxis) + max(h for _, _, h in self.x_ticks))
        right = above = 0.0
        # Tick labels are centred on their ticks: those at the ends reach past the axes.
        for place, w, _ in self.x_ticks:
            left = max(left, w / 2 - place * width)
            right = max(right, place * width + w / 2 - width)
        for place, _, h in self.y_ticks:
            below = max(below, h / 2 - place * height)
            above = max(above, place * height + h / 2 - height)
        # Labels and titles wider than the axes reach past it.
        overhang = max(0.0, (xlabel_width - width) / 2)
        left, right = max(left, overhang), max(right, overhang)
        overhang = max(0.0, (ylabel_height - height) / 2)
        below, above = max(below, overhang), max(above, overhang)
        if self.titles:  # (at the title pad above the axes: see _titles)
            above = max(above, mpl.rcParams["axes.titlepad"] + max(h for _, _, h in self.titles))
        for loc, w, _ in self.titles:
            if loc == "center":
                left, right = max(left, (w - width) / 2), max(right, (w - width) / 2)
            elif loc == "left":
                right = max(right, w - width)
            else:
                left = max(left, w - width)
        return Room(left, right, below, above) | self.extras

    def measure_extras(self, renderer: Any, dpi: float) -> None:
        """Measure on ``renderer`` what else the axes shows that is not clipped to its box
        (legends, texts, artists drawn outside it), where the axes now is, as room beyond
        its box."""
        ax = self.ax
        box = ax.get_window_extent(renderer)
        room = Room()
        for artist in _extras(ax):
            extent = artist.get_tightbbox(renderer)
            if extent is None or not (0 < extent.width < float("inf")):
                continue
            to_points = 72 / dpi
            room |= Room(
                (box.x0 - extent.x0) * to_points,
                (extent.x1 - box.x1) * to_points,
                (box.y0 - extent.y0) * to_points,
                (extent.y1 - box.y1) * to_points,
            )
        self.extras = room

    def pin_labels(self, fig: Figure) -> None:
        """Fix the axis labels just beyond the tick labels, where matplotlib would put them,
        so that no draw measures the tick labels again to find that place."""
        ax = self.ax
        beside = ScaledTranslation(-self.ylabel_at / 72, 0, fig.dpi_scale_trans)
        ax.yaxis.set_label_coords(0.0, 0.5, transform=ax.transAxes + beside)
        under = ScaledTranslation(0, -self.xlabel_at / 72, fig.dpi_scale_trans)
        ax.xaxis.set_label_coords(0.5, 0.0, transform=ax.transAxes + under)


def _titles(ax: Axes) -> list[Text]:
    """The axes' titles (left, centre, right) that have a text: the texts it holds itself,
    not in its data area (``ax.texts``). Each must sit at the top of the axes (y = 1), as
    matplotlib puts it when no tick labels or offset are above the axes, which a figure laid
    out here never has."""
    titles = [
        child
        for child in ax.get_children()
        if isinstance(child, Text) and child not in ax.texts and child.get_text()
    ]
    if any(title.get_position()[1] != 1.0 for title in titles if title.get_visible()):
        raise _CannotLayOut("a title moved off the top of its axes")
    return [title for title in titles if title.get_visible()]


def _extras(ax: Axes) -> list[Artist]:
    """What the axes shows, beyond its axes and titles, that is not clipped to its box:
    legends, texts, artists drawn outside it (matplotlib's own list for its layouts, less
    the spines and background, which lie on the box)."""
    return [
        artist
        for artist in ax.get_default_bbox_extra_artists()
        if not isinstance(artist, Spine) and artist is not ax.patch
    ]


# ---- a figure's grid -------------------------------------------------------------------------

#: The size (points) an axes is measured at before the layout knows it: large enough that
#: nothing reaches past it for want of room.
_UNBOUNDED = 1e6


@dataclass(frozen=True)
class _Cell:
    """Where an axes sits in its grid: its rows and columns (spans allowed)."""

    rows: range
    columns: range


def _grid(fig: Figure) -> tuple[GridSpec, dict[Axes, _Cell]]:
    """The one grid all of the figure's axes sit in, and the cell of each; or
    ``_CannotLayOut`` where the figure has more than a grid of axes and a title."""
    if fig.legends or fig.subfigs or fig.get_supxlabel() or fig.get_supylabel():
        raise _CannotLayOut("a figure legend, subfigure or figure axis label")
    if any(text.get_text() != fig.get_suptitle() for text in fig.texts):
        raise _CannotLayOut("a text on the figure other than its title")
    cells: dict[Axes, _Cell] = {}
    grids = set()
    for ax in fig.axes:
        spec = ax.get_subplotspec()
        if spec is None or ax.get_axes_locator() is not None or ax.child_axes:
            raise _CannotLayOut("axes outside a grid (a colorbar, an inset)")
        if ax.get_aspect() != "auto":
            raise _CannotLayOut("axes of fixed aspect")
        grids.add(spec.get_gridspec())
        cells[ax] = _Cell(spec.rowspan, spec.colspan)
    grid = grids.pop() if len(grids) == 1 else None
    if type(grid) is not GridSpec or len(set(cells.values())) < len(cells):
        raise _CannotLayOut("axes in more than one grid, or two in one cell")
    return grid, cells


def _inner_spans(
    length: float,
    ratios: Sequence[float],
    before: Sequence[float],
    after: Sequence[float],
) -> list[tuple[float, float]]:
    """Along one direction of ``length`` points: where each cell's inner part (its axes)
    starts and ends, cells side by side, each with ``before`` and ``after`` points of room,
    the inner parts as long as their ``ratios`` say (constrained layout's grid)."""
    inner = length - sum(before) - sum(after)
    if inner <= 0:
        raise _CannotLayOut("no room left for the axes")
    spans, at = [], 0.0
    for ratio, ahead, behind in zip(ratios, before, after, strict=True):
        start = at + ahead
        end = start + inner * ratio / sum(ratios)
        spans.append((start, end))
        at = end + behind
    return spans


#: How many times the layout may measure and place again before it counts as not settling.
_ROUNDS = 5


def _figure_title(fig: Figure) -> Text | None:
    """The figure's title (``suptitle``) artist, found among its texts by its string (matplotlib
    has no getter for the artist itself), or None."""
    title = fig.get_suptitle()
    heading = next((text for text in fig.texts if title and text.get_text() == title), None)
    if heading is not None and heading.get_verticalalignment() != "top":
        raise _CannotLayOut("a figure title not hung from the top")
    return heading


def _lay_out(
    fig: Figure,
    *,
    h_pad: float,
    w_pad: float,
    hspace: float,
    wspace: float,
    rect: Sequence[float],
) -> None:
    """``TextLayout``'s work, with constrained layout's settings: pads in inches around each
    axes' decorations, spaces between cells as fractions of the figure."""
    if tuple(rect) != (0, 0, 1, 1):
        raise _CannotLayOut("a layout in part of the figure")
    grid, cells = _grid(fig)
    shown = [ax for ax in cells if ax.get_visible()]
    renderer = None
    if any(_extras(ax) for ax in shown):
        renderer = getattr(fig.canvas, "get_renderer", lambda: None)()
        if renderer is None:
            raise _CannotLayOut("no renderer to measure legends and texts on")

    def measure() -> dict[Axes, Panel]:
        """Every shown axes' decorations where it now is: how many ticks an axis shows, and
        so its tick labels, depends on its length."""
        panels = {ax: Panel(ax) for ax in shown}
        if renderer is not None:
            for panel in panels.values():
                panel.measure_extras(renderer, fig.dpi)
        return panels

    width, height = (float(v) * 72 for v in fig.get_size_inches())
    heading = _figure_title(fig)
    sheet = _Sheet(grid, cells, width, height, h_pad * 72, w_pad * 72, hspace, wspace, heading)
    panels = measure()
    rooms = {ax: panel.room(_UNBOUNDED, _UNBOUNDED) for ax, panel in panels.items()}
    for _ in range(_ROUNDS):
        sheet.place(rooms)
        panels = measure()
        now = {ax: panel.room(*sheet.size_of(ax)) for ax, panel in panels.items()}
        if all(now[ax].moved(rooms[ax]) < SETTLED for ax in shown):
            break
        rooms = now
    else:
        raise _CannotLayOut("the layout did not settle")
    for panel in panels.values():
        panel.pin_labels(fig)
    if heading is not None:
        heading.set_y(1 - h_pad * 72 / height)


@dataclass(frozen=True)
class _Sheet:
    """A figure's grid of axes, ``width`` x ``height`` points, and the pads and spaces
    constrained layout keeps: ``h_pad`` and ``w_pad`` points around every cell's axes and
    decorations (or, between cells where larger, a share of ``hspace`` and ``wspace``, as
    fractions of the figure), and the figure's title (``heading``) on top."""

    grid: GridSpec
    cells: dict[Axes, _Cell]
    width: float
    height: float
    h_pad: float
    w_pad: float
    hspace: float
    wspace: float
    heading: Text | None

    def place(self, rooms: dict[Axes, Room]) -> None:
        """Set every axes' position for the room its decorations need (``rooms``)."""
        n_rows, n_columns = self.grid.get_geometry()
        grid = self.grid
        wspace = grid.wspace if grid.wspace is not None else self.wspace
        hspace = grid.hspace if grid.hspace is not None else self.hspace
        column_gap = max(self.w_pad, wspace / 2 / n_columns * self.width)
        row_gap = max(self.h_pad, hspace / 2 / n_rows * self.height)
        top = 0.0
        if self.heading is not None:
            top = text_box(self.heading)[1] + 2 * self.h_pad
        left, right, above, below = _grid_room(rooms, self.cells, n_rows, n_columns)
        columns = range(n_columns)
        across = _inner_spans(
            self.width,
            np.asarray(grid.get_width_ratios(), dtype=float).tolist(),
            [(self.w_pad if c == 0 else column_gap) + left[c] for c in columns],
            [right[c] + (self.w_pad if c == n_columns - 1 else column_gap) for c in columns],
        )
        rows = range(n_rows)
        down = _inner_spans(  # from the top, under the figure's title
            self.height - top,
            np.asarray(grid.get_height_ratios(), dtype=float).tolist(),
            [(self.h_pad if r == 0 else row_gap) + above[r] for r in rows],
            [below[r] + (self.h_pad if r == n_rows - 1 else row_gap) for r in rows],
        )
        for ax, cell in self.cells.items():
            x0, x1 = across[cell.columns.start][0], across[cell.columns[-1]][1]
            y1 = self.height - top - down[cell.rows.start][0]
            y0 = self.height - top - down[cell.rows[-1]][1]
            ax.set_position(
                (x0 / self.width, y0 / self.height, (x1 - x0) / self.width, (y1 - y0) / self.height)
            )

    def size_of(self, ax: Axes) -> tuple[float, float]:
        """The axes' width and height in points."""
        box = ax.get_position()
        return box.width * self.width, box.height * self.height


def _grid_room(
    rooms: dict[Axes, Room], cells: dict[Axes, _Cell], n_rows: int, n_columns: int
) -> tuple[list[float], list[float], list[float], list[float]]:
    """The room each column needs on its left and right and each row above and below: the
    largest of its axes' (an axes spanning cells counts where it starts and where it ends)."""

    def largest(side: str, edge: Callable[[_Cell], int], index: int) -> float:
        """The most room on ``side`` any axes needs whose ``edge`` row or column is ``index``."""
        return max(
            (getattr(room, side) for ax, room in rooms.items() if edge(cells[ax]) == index),
            default=0.0,
        )

    return (
        [largest("left", lambda cell: cell.columns[0], c) for c in range(n_columns)],
        [largest("right", lambda cell: cell.columns[-1], c) for c in range(n_columns)],
        [largest("above", lambda cell: cell.rows[0], r) for r in range(n_rows)],
        [largest("below", lambda cell: cell.rows[-1], r) for r in range(n_rows)],
    )


class TextLayout(ConstrainedLayoutEngine):
    """Constrained layout worked out from the sizes of the figure's texts instead of measured
    on a draw (see this module); a figure it cannot lay out that way gets constrained layout
    itself. It takes constrained layout's settings (``h_pad``, ``w_pad``, ``hspace``,
    ``wspace``)."""

    def __init__(
        self,
        *,
        h_pad: float | None = None,
        w_pad: float | None = None,
        hspace: float | None = None,
        wspace: float | None = None,
    ) -> None:
        super().__init__(h_pad=h_pad, w_pad=w_pad, hspace=hspace, wspace=wspace)

    def execute(self, fig: Figure) -> None:
        try:
            _lay_out(fig, **self.get())
        except _CannotLayOut:
            super().execute(fig)


# ---- the rule-learning figures' grids of alike panels -----------------------------------------

#: Room at the figure's edges and between cells, in points (constrained layout's default).
PAD = 3.0
#: The least width and height of a panel's axes, in points: room for a legend inside it.
MIN_AXES_WIDTH = 144.0
MIN_AXES_HEIGHT = 108.0


def lay_out_grid(fig: Figure, axes: Sequence[Axes], columns: int, title: str) -> None:
    """Place the panels ``axes`` (row by row, ``columns`` to a row; hidden ones keep their
    cell empty) in equal cells filling the figure, under the figure's ``title``: each cell has
    room for the largest title, labels and tick labels of any panel. The figure's size is the
    least it gets: where a text needs more room (a long title), the figure grows. Call it when
    the panels are drawn (their limits and ticks final), on a figure without layout engine."""
    if fig.get_layout_engine() is not None:
        raise ValueError("lay_out_grid places the axes itself: make the figure without layout")
    panels = [Panel(ax) for ax in axes if ax.get_visible()]
    need = Room()
    for panel in panels:
        need |= panel.room(_UNBOUNDED, _UNBOUNDED)
    title_half = max((w / 2 for panel in panels for _, w, _ in panel.titles), default=0.0)
    rows = -(-len(axes) // columns)
    heading = fig.suptitle(title, va="top")
    heading_width, heading_height = text_box(heading)
    top = PAD + heading_height + PAD

    # The cells' room (each cell keeps PAD / 2 clear on either side), widened where needed.
    width, height = (float(v) * 72 for v in fig.get_size_inches())
    room = (width - PAD) / columns - PAD
    room = max(room, 2 * title_half, need.left + title_half + MIN_AXES_WIDTH / 2)
    width = max(columns * (room + PAD) + PAD, heading_width + 2 * PAD)
    cell_width = (width - PAD) / columns
    cell_height = max(
        (height - top - PAD / 2) / rows, PAD + need.above + need.below + MIN_AXES_HEIGHT
    )
    height = top + rows * cell_height + PAD / 2
    fig.set_size_inches(width / 72, height / 72)
    heading.set_y(1 - PAD / height)

    # As wide as the cell allows, but narrow enough for the title centred over it to fit.
    room = cell_width - PAD
    axes_width = min(room - need.left, 2 * (room - need.left - title_half))
    axes_left = max(need.left, title_half - axes_width / 2)
    axes_height = cell_height - PAD - need.above - need.below
    for _ in range(3):  # narrower axes for x tick labels that reach past the cell's right
        spill = max(
            axes_left + axes_width + panel.room(axes_width, axes_height).right - room
            for panel in panels
        )
        axes_width -= max(spill, 0.0)
    for k, ax in enumerate(axes):
        row, column = divmod(k, columns)
        x0 = PAD / 2 + column * cell_width + PAD / 2 + axes_left
        y0 = height - top - (row + 1) * cell_height + PAD / 2 + need.below
        ax.set_position((x0 / width, y0 / height, axes_width / width, axes_height / height))
    for panel in panels:
        panel.pin_labels(fig)
