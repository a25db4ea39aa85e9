"""Figures: matplotlib lives only in this package.

This module holds the shared style (palette, fonts, ``save_figure``) and the feedforward
figures of the lecture's first part; each later topic has a module of its own beside it
(``srnlab.plots.temporal_xor``, ...), built on the same style.

Every function takes plain data (arrays, a history's columns, a network and its parameters)
and returns a :class:`matplotlib.figure.Figure`; :func:`save_figure` writes it as PNG and SVG.
We use matplotlib's object API only (``Figure(...)``, never ``pyplot``): no global state, no
GUI backend, and a figure is garbage-collected like any other object.

Notation follows the lecture: units are numbered inputs first (a 2-2-1 net has inputs 1-2,
hidden 3-4, output 5), ``a3`` is the activation of unit 3, ``x5`` the net input of unit 5, and a
bias is the weight from an always-on unit (0 for the first layer above the inputs, 6 for the
output layer of a 2-2-1 net), so ``w0,3`` and ``w6,5`` are biases.

Colours: the Okabe-Ito palette for categories, a diverging blue (negative) / red (positive)
scale for weights and a white-to-dark grey scale for activations; all are colour-blind safe,
and every colour is backed by a number, a label or a line style.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, cast

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap, Normalize, to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine, TightLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, Patch, Polygon, Rectangle
from matplotlib.textpath import TextToPath

from srnlab.backprop import Network
from srnlab.params import FeedforwardParams, bias_unit, unit_numbers

Array = np.ndarray

# ---- style ----------------------------------------------------------------------------------

#: The Okabe-Ito palette (Okabe & Ito 2008), safe for the common colour-vision deficiencies.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
#: Category colours in the order we use them (targets 0, 1, ...; output units 5, 6, ...).
CATEGORY_COLOURS: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["green"],
    OKABE_ITO["purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["yellow"],
    OKABE_ITO["black"],
)
#: Diverging scale for weights: blue negative, white zero, red positive (ColorBrewer RdBu).
WEIGHT_CMAP = "RdBu_r"
NEGATIVE_COLOUR = "#2166AC"  # the dark ends of RdBu, for labelled (small) nets
POSITIVE_COLOUR = "#B2182B"
#: Activations: white (off) to dark grey (on); stops short of black so text stays readable.
ACTIVATION_CMAP = ListedColormap(mpl.colormaps["Greys"](np.linspace(0.0, 0.85, 256)), "act")

_STYLE: dict[str, Any] = {
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=list(CATEGORY_COLOURS)),
    "legend.frameon": False,
    "legend.fontsize": 9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
}
_SAVE_STYLE: dict[str, Any] = {"svg.hashsalt": "srnlab", "svg.fonttype": "path"}

PNG_DPI = 150


def _style(extra: Mapping[str, Any] | None = None) -> AbstractContextManager[None]:
    """Our rc settings for the figure being built or saved, never a global change."""
    return mpl.rc_context(cast(Any, {**_STYLE, **(extra or {})}))


def format_number(value: float, digits: int = 2) -> str:
    """A number as the figures write it: fixed decimals, a real minus sign, no "-0.00"."""
    text = f"{value:.{digits}f}"
    if float(text) == 0.0:
        text = f"{0.0:.{digits}f}"
    return text.replace("-", "\u2212")


def save_figure(fig: Figure, folder: Path, stem: str, svg: bool = True) -> list[Path]:
    """Write ``stem.png`` (150 dpi) and ``stem.svg`` (unless ``svg`` is False: a report needs
    only the PNG, and the SVG is a fifth of the drawing time) into ``folder``; return the paths.

    The SVG carries no date and uses a fixed hash salt for its element ids, so a rerun that
    draws the same figure writes byte-identical files (no spurious diff). A constrained layout
    is computed once, at the PNG, and then frozen on the figure: the SVG gets exactly the same
    layout, and saving the figure again gives the same bytes again (re-running the layout from
    its own result would move things by a millionth of a point).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    png = folder / f"{stem}.png"
    svg_path = folder / f"{stem}.svg"
    with _style(_SAVE_STYLE):
        fig.savefig(png, format="png", dpi=PNG_DPI, facecolor="white")
        if isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine | TightLayoutEngine):
            fig.set_layout_engine("none")
        if not svg:
            return [png]
        fig.savefig(svg_path, format="svg", metadata={"Date": None}, facecolor="white")
    return [png, svg_path]


# ---- small helpers ---------------------------------------------------------------------------


def _text_size(text: str, size: float, weight: str = "normal") -> tuple[float, float]:
    """Width and height of a one-line text in points (no renderer needed)."""
    prop = FontProperties(size=size, weight=weight)
    w, h, _ = TextToPath().get_text_width_height_descent(text, prop, ismath=False)
    return float(w), float(h)


def _luminance(colour: Any) -> float:
    r, g, b = to_rgb(colour)
    return 0.299 * r + 0.587 * g + 0.114 * b


def _ink_on(colour: Any) -> str:
    """Black or white text, whichever reads on ``colour``."""
    return "white" if _luminance(colour) < 0.5 else "black"


def _pattern_label(values: Array) -> str:
    """'0 1' for a binary pattern, '0.5 1' otherwise."""
    parts = []
    for v in np.ravel(values):
        parts.append(str(round(float(v))) if float(v).is_integer() else f"{v:.2g}")
    return " ".join(parts)


def _as_rows(values: Any, what: str, n_rows: int | None = None) -> Array:
    array = np.asarray(values, dtype=float)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2:
        raise ValueError(f"{what} must be one row per pattern, got shape {array.shape}")
    if n_rows is not None and array.shape[0] != n_rows:
        raise ValueError(f"{what} has {array.shape[0]} rows for {n_rows} patterns")
    return array


# ---- the network diagram ---------------------------------------------------------------------

_LABEL_LIMIT = 60  # more connections than this: no weight labels, colour + width + colorbar
_NUMBER_LIMIT = 16  # wider layers than this: no unit numbers inside the circles
_T_PREFERENCE = (0.7, 0.3, 0.6, 0.4, 0.8, 0.2, 0.5, 0.75, 0.25, 0.65, 0.35, 0.55, 0.45, 0.85)

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def _boxes_overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _box_hits_circle(box: Box, cx: float, cy: float, r: float) -> bool:
    nearest_x = min(max(cx, box[0]), box[2])
    nearest_y = min(max(cy, box[1]), box[3])
    return (nearest_x - cx) ** 2 + (nearest_y - cy) ** 2 < r * r


def _segment_hits_box(p: Array, q: Array, box: Box) -> bool:
    """Liang-Barsky: does the segment p-q pass through the box?"""
    t0, t1 = 0.0, 1.0
    d = q - p
    for delta, lo, hi, start in ((d[0], box[0], box[2], p[0]), (d[1], box[1], box[3], p[1])):
        if abs(delta) < 1e-12:
            if start < lo or start > hi:
                return False
            continue
        ta, tb = (lo - start) / delta, (hi - start) / delta
        if ta > tb:
            ta, tb = tb, ta
        t0, t1 = max(t0, ta), min(t1, tb)
        if t0 > t1:
            return False
    return True


def _check_activations(activations: Sequence[Array], sizes: tuple[int, ...]) -> list[Array]:
    if len(activations) != len(sizes):
        raise ValueError(
            f"activations needs one array per layer ({len(sizes)}), got {len(activations)}"
        )
    out = []
    for layer, (a, n) in enumerate(zip(activations, sizes, strict=True)):
        flat = np.asarray(a, dtype=float).reshape(-1)
        if flat.size != n:
            raise ValueError(f"activations[{layer}] has {flat.size} values for {n} units")
        out.append(flat)
    return out


def _layer_name(layer: int, n_layers: int) -> str:
    if layer == 0:
        return "input"
    if layer == n_layers - 1:
        return "output"
    return "hidden" if n_layers == 3 else f"hidden {layer}"


def network_diagram(
    network: Network,
    params: FeedforwardParams,
    activations: Sequence[np.ndarray] | None = None,
    title: str | None = None,
) -> Figure:
    """The layered net as in the lecture's slides: inputs at the bottom, output at the top.

    Each unit is a circle holding its lecture number; with ``activations`` (one 1-D array per
    layer, layer 0 = the input pattern) the circle also holds its activation and is shaded by
    it. Bias units are small dashed circles (0, 6, ... for 2-2-1) marked ``a = 1``. Every
    connection is an arrow coloured by sign (red positive, blue negative), as wide as its
    weight is large, and labelled with its value. Nets with more than 60 connections drop the
    labels and colour each line on a diverging scale shown by a colorbar.

    Artists carry SVG ids: ``unit3``, ``bias0``, and each connection its weight name ``w1,3``.
    """
    sizes = tuple(int(n) for n in network.sizes)
    if tuple(params.sizes) != sizes:
        raise ValueError(f"params are for a {params.sizes} net, the network is {sizes}")
    acts = None if activations is None else _check_activations(activations, sizes)
    n_layers = len(sizes)
    units = unit_numbers(sizes)
    n_connections = sum((a + 1) * b for a, b in itertools.pairwise(sizes))
    labelled = n_connections <= _LABEL_LIMIT
    widest = max(sizes)
    numbered = widest <= _NUMBER_LIMIT

    # -- geometry, in data units (one data unit is `scale` inches) --
    if widest <= 2:
        spacings = [2.0] * n_layers
    elif widest <= 4:
        spacings = [1.5] * n_layers
    elif widest <= 8:
        spacings = [1.1] * n_layers
    elif numbered:
        spacings = [0.8] * n_layers
    else:  # every wide layer spans the same 12 units
        spacings = [min(0.8, 12.0 / max(n - 1, 1)) for n in sizes]
    radii = [min(0.3, 0.36 * s) for s in spacings]
    radius = max(radii)
    bias_radius = 0.62 * radius if numbered else max(0.06, 0.8 * min(radii))
    row = 1.9 if labelled else 3.0
    show_values = acts is not None and numbered and radius >= 0.25

    pos: dict[int, tuple[float, float]] = {}
    unit_radius: dict[int, float] = {}
    for layer, numbers in enumerate(units):
        n = len(numbers)
        for i, unit in enumerate(numbers):
            pos[unit] = ((i - (n - 1) / 2) * spacings[layer], layer * row)
            unit_radius[unit] = radii[layer]
    bias_pos: dict[int, tuple[float, float]] = {}
    for layer in range(1, n_layers):
        xs = [pos[u][0] for u in units[layer - 1] + units[layer]]
        offset = 1.5 if numbered else 0.8
        bias_pos[bias_unit(sizes, layer)] = (min(xs) - offset, (layer - 1) * row)

    # -- colours --
    values = [
        np.concatenate([w.ravel(), b.ravel()])
        for w, b in zip(params.weights, params.biases, strict=True)
    ]
    biggest = float(max(np.max(np.abs(v)) for v in values)) or 1.0
    weight_norm = Normalize(-biggest, biggest)
    if acts is not None:
        lo = min(0.0, *(float(a.min()) for a in acts))
        hi = max(1.0, *(float(a.max()) for a in acts))
        act_norm = Normalize(lo, hi)

    # -- figure size: extents in data units, then inches --
    name_size = 9.0
    names = [_layer_name(layer, n_layers) for layer in range(n_layers)]
    if not numbered:
        names = [
            f"{name} ({numbers[0]}\u2013{numbers[-1]})" if len(numbers) > 1 else name
            for name, numbers in zip(names, units, strict=True)
        ]
    xs_all = [p[0] for p in pos.values()] + [p[0] for p in bias_pos.values()]
    right_units = max(p[0] for p in pos.values()) + radius
    scale = 1.0 if labelled else min(0.75, 9.0 / (max(xs_all) - min(xs_all) + 3.0))
    name_width = max(_text_size(name, name_size)[0] for name in names) / 72 / scale
    x0 = min(xs_all) - radius - 0.35
    x1 = right_units + 0.35 + name_width + 0.3
    y0 = -radius - (0.4 if numbered else 0.25)
    y1 = (n_layers - 1) * row + radius + 0.12
    top_in = 0.5 if title else 0.1
    note_in = 0.25 if labelled else 0.0
    colorbar_in = 0.0 if labelled else 1.2
    width_in = (x1 - x0) * scale + colorbar_in
    height_in = (y1 - y0) * scale + top_in + note_in

    with _style():
        fig = Figure(figsize=(width_in, height_in))
        ax = fig.add_axes(
            (0.0, note_in / height_in, (x1 - x0) * scale / width_in, (y1 - y0) * scale / height_in)
        )
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal")
        ax.set_axis_off()
        if title:
            fig.text(0.5, 1 - 0.08 / height_in, title, ha="center", va="top", fontsize=11)

        # -- units --
        for layer, numbers in enumerate(units):
            for i, unit in enumerate(numbers):
                x, y = pos[unit]
                face: Any = "white"
                if acts is not None:
                    face = ACTIVATION_CMAP(act_norm(acts[layer][i]))
                circle = Circle(
                    (x, y),
                    unit_radius[unit],
                    facecolor=face,
                    edgecolor="black",
                    linewidth=1.2 if numbered else 0.5,
                    zorder=3,
                )
                circle.set_gid(f"unit{unit}")
                ax.add_patch(circle)
                if not numbered:
                    continue
                ink = _ink_on(face)
                if show_values and acts is not None:
                    ax.text(
                        x,
                        y + 0.3 * radius,
                        str(unit),
                        ha="center",
                        va="center",
                        fontsize=11,
                        fontweight="bold",
                        color=ink,
                        zorder=4,
                    )
                    ax.text(
                        x,
                        y - 0.38 * radius,
                        format_number(float(acts[layer][i])),
                        ha="center",
                        va="center",
                        fontsize=8,
                        color=ink,
                        zorder=4,
                    )
                else:
                    ax.text(
                        x,
                        y,
                        str(unit),
                        ha="center",
                        va="center",
                        fontsize=11,
                        fontweight="bold",
                        color=ink,
                        zorder=4,
                    )
        for number, (x, y) in bias_pos.items():
            circle = Circle(
                (x, y),
                bias_radius,
                facecolor="#EEEEEE",
                edgecolor="black",
                linewidth=1.0 if numbered else 0.5,
                linestyle="--",
                zorder=3,
            )
            circle.set_gid(f"bias{number}")
            ax.add_patch(circle)
            if numbered:
                ax.text(x, y, str(number), ha="center", va="center", fontsize=9, zorder=4)
                ax.text(
                    x,
                    y - bias_radius - 0.06,
                    f"$a_{{{number}}} = 1$",
                    ha="center",
                    va="top",
                    fontsize=8,
                    color="0.3",
                    zorder=4,
                )
        for layer, name in enumerate(names):
            ax.text(
                right_units + 0.35,
                layer * row,
                name,
                ha="left",
                va="center",
                fontsize=name_size,
                color="0.35",
                style="italic",
            )

        # -- connections: (name, source xy, source r, target xy, target r, weight) --
        edges: list[tuple[str, tuple[float, float], float, tuple[float, float], float, float]]
        edges = []
        for layer in range(1, n_layers):
            w, b = params.weights[layer - 1], params.biases[layer - 1]
            bias = bias_unit(sizes, layer)
            for i, target in enumerate(units[layer]):
                edges.append(
                    (
                        f"w{bias},{target}",
                        bias_pos[bias],
                        bias_radius,
                        pos[target],
                        radius,
                        float(b[i]),
                    )
                )
                for j, source in enumerate(units[layer - 1]):
                    edges.append(
                        (
                            f"w{source},{target}",
                            pos[source],
                            radius,
                            pos[target],
                            radius,
                            float(w[i, j]),
                        )
                    )

        if labelled:
            _draw_labelled_edges(ax, edges, biggest, scale, pos, bias_pos, radius, bias_radius)
            fig.text(
                0.01,
                0.1 / height_in,
                "red: positive weight, blue: negative; line width \u221d |w|",
                fontsize=8,
                color="0.35",
                va="bottom",
            )
        else:
            cmap = mpl.colormaps[WEIGHT_CMAP]
            weights = np.array([e[5] for e in edges])
            order = np.argsort(np.abs(weights), kind="stable")  # strong weights drawn on top
            segments = [(edges[k][1], edges[k][3]) for k in order]
            thin = n_connections > 1000
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
    return fig


def _draw_labelled_edges(
    ax: Axes,
    edges: list[tuple[str, tuple[float, float], float, tuple[float, float], float, float]],
    biggest: float,
    scale: float,
    pos: dict[int, tuple[float, float]],
    bias_pos: dict[int, tuple[float, float]],
    radius: float,
    bias_radius: float,
) -> None:
    """Arrows with weight labels, each label placed where it hits the fewest other things."""
    font = 8.5
    pad = 0.05  # data units around the text, the label's white box
    ends: list[tuple[Array, Array]] = []
    for _, (sx, sy), sr, (tx, ty), tr, _w in edges:
        p, q = np.array([sx, sy]), np.array([tx, ty])
        d = (q - p) / np.linalg.norm(q - p)
        ends.append((p + d * sr, q - d * tr))
    circles = [(x, y, radius) for x, y in pos.values()]
    circles += [(x, y, bias_radius) for x, y in bias_pos.values()]
    placed: list[Box] = []
    for k, (name, _s, _sr, _t, _tr, weight) in enumerate(edges):
        colour = POSITIVE_COLOUR if weight >= 0 else NEGATIVE_COLOUR
        start, end = ends[k]
        arrow = FancyArrowPatch(
            tuple(start),
            tuple(end),
            arrowstyle="-|>",
            mutation_scale=9,
            shrinkA=0,
            shrinkB=0,
            color=colour,
            linewidth=0.7 + 2.3 * abs(weight) / biggest,
            zorder=1,
        )
        arrow.set_gid(name)
        ax.add_patch(arrow)

        text = format_number(weight)
        w_pt, h_pt = _text_size(text, font)
        half_w = w_pt / 72 / scale / 2 + pad
        half_h = h_pt / 72 / scale / 2 + pad
        best: tuple[float, Box, Array] | None = None
        for rank, t in enumerate(_T_PREFERENCE):
            centre = start + t * (end - start)
            box = (centre[0] - half_w, centre[1] - half_h, centre[0] + half_w, centre[1] + half_h)
            cost = float(rank)
            cost += 100.0 * sum(_boxes_overlap(box, other) for other in placed)
            cost += 100.0 * sum(_box_hits_circle(box, *c) for c in circles)
            cost += 4.0 * sum(
                _segment_hits_box(p, q, box) for j, (p, q) in enumerate(ends) if j != k
            )
            if best is None or cost < best[0]:
                best = (cost, box, centre)
        assert best is not None
        placed.append(best[1])
        ax.text(
            best[2][0],
            best[2][1],
            text,
            ha="center",
            va="center",
            fontsize=font,
            zorder=5,
            bbox={
                "boxstyle": "round,pad=0.15",
                "facecolor": "white",
                "edgecolor": colour,
                "linewidth": 0.6,
            },
        )


# ---- learning curve --------------------------------------------------------------------------


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
    if x not in history:
        raise ValueError(f"history needs an {x!r} column; it has {', '.join(history)}")
    epoch = np.asarray(history[x], dtype=float)
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
        if len(history[key]) != len(epoch):
            raise ValueError(
                f"history column {key!r} has {len(history[key])} values for {len(epoch)} epochs"
            )
    with _style():
        fig = Figure(figsize=(7.0, 2.2 + 1.9 * len(panels)), layout="constrained")
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
            axes[0].annotate(
                f"solved at epoch {solved_epoch}",
                xy=(solved_epoch, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(4, -2),
                textcoords="offset points",
                ha="left",
                va="top",
                fontsize=9,
                color=OKABE_ITO["vermillion"],
            )
        axes[-1].set_xlabel(x)
        if len(epoch):
            axes[-1].set_xlim(float(epoch.min()), float(epoch.max()))
        fig.suptitle(title)
    return fig


# ---- outputs per pattern ---------------------------------------------------------------------


def pattern_outputs(
    inputs: np.ndarray,
    targets: np.ndarray,
    outputs: np.ndarray,
    title: str = "Output for each pattern",
) -> Figure:
    """One bar per pattern (its output activation) with the target marked and a line at 0.5.

    A bar is blue when the output is on the target's side of 0.5, vermillion when not. With
    several output units the bars are grouped per pattern, one colour per unit.
    """
    x_in = _as_rows(inputs, "inputs")
    n = x_in.shape[0]
    y = _as_rows(targets, "targets", n)
    a = _as_rows(outputs, "outputs", n)
    if y.shape != a.shape:
        raise ValueError(f"targets {y.shape} and outputs {a.shape} differ in shape")
    n_out = a.shape[1]
    labels = [_pattern_label(row) for row in x_in]
    group = 0.8
    width = group / n_out
    xs = np.arange(n)
    lo = min(0.0, float(a.min()), float(y.min()))
    hi = max(1.0, float(a.max()), float(y.max()))
    with _style():
        fig = Figure(
            figsize=(max(6.4, 3.2 + 0.55 * n * max(1, n_out**0.7)), 3.8), layout="constrained"
        )
        ax = fig.add_subplot()
        ax.axhline(0.5, color="0.45", linestyle=":", linewidth=1.0, zorder=0)
        for k in range(n_out):
            centres = xs - group / 2 + (k + 0.5) * width
            if n_out == 1:
                right = (a[:, k] >= 0.5) == (y[:, k] >= 0.5)
                colours: Any = [
                    OKABE_ITO["blue"] if ok else OKABE_ITO["vermillion"] for ok in right
                ]
            else:
                colours = CATEGORY_COLOURS[k % len(CATEGORY_COLOURS)]
            bars = ax.bar(centres, a[:, k], width=width * 0.9, color=colours, zorder=2)
            for i, patch in enumerate(bars.patches):
                patch.set_gid(f"output{k}_pattern{i}")
            half = 0.5 * width
            targets_line = ax.hlines(
                y[:, k], centres - half, centres + half, color="black", linewidth=2.2, zorder=3
            )
            targets_line.set_gid(f"targets{k}")
            if n * n_out <= 24:
                for cx, value in zip(centres, a[:, k], strict=True):
                    ax.text(
                        cx,
                        max(float(value), 0.0) + 0.02 * (hi - lo),
                        format_number(float(value)),
                        ha="center",
                        va="bottom",
                        fontsize=8 if n_out == 1 else 7,
                        zorder=4,
                    )
        ax.set_xticks(xs, labels)
        ax.set_xlabel("input pattern")
        ax.set_ylabel("output activation" if n_out == 1 else "output activations")
        ax.set_ylim(lo - 0.02 * (hi - lo), hi + 0.12 * (hi - lo))
        ax.set_xlim(-0.6, n - 0.4)
        handles: list[Any] = [
            Line2D(
                [],
                [],
                color="black",
                marker="_",
                linestyle="none",
                markersize=14,
                markeredgewidth=2.2,
                label="target",
            ),
            Line2D([], [], color="0.45", linestyle=":", label="0.5"),
        ]
        if n_out == 1:
            handles = [
                Patch(color=OKABE_ITO["blue"], label="output on the\ntarget's side of 0.5"),
                Patch(color=OKABE_ITO["vermillion"], label="output on the\nwrong side"),
                *handles,
            ]
        else:
            handles = [
                Patch(
                    color=CATEGORY_COLOURS[k % len(CATEGORY_COLOURS)], label=f"output unit {k + 1}"
                )
                for k in range(n_out)
            ] + handles
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.set_title(title)
    return fig


# ---- hidden representation -------------------------------------------------------------------


def _line_in_box(w: Array, c: float, box: Box) -> Array | None:
    """The two ends of the line w[0] u + w[1] v + c = 0 inside the box, or None."""
    x0, y0, x1, y1 = box
    points: list[tuple[float, float]] = []
    if abs(w[1]) > 1e-12:
        for u in (x0, x1):
            v = -(w[0] * u + c) / w[1]
            if y0 - 1e-12 <= v <= y1 + 1e-12:
                points.append((u, v))
    if abs(w[0]) > 1e-12:
        for v in (y0, y1):
            u = -(w[1] * v + c) / w[0]
            if x0 - 1e-12 <= u <= x1 + 1e-12:
                points.append((u, v))
    if len(points) < 2:
        return None
    pts = np.array(points)
    far = max(
        ((i, j) for i in range(len(pts)) for j in range(i + 1, len(pts))),
        key=lambda ij: float(np.linalg.norm(pts[ij[0]] - pts[ij[1]])),
    )
    if np.linalg.norm(pts[far[0]] - pts[far[1]]) < 1e-9:
        return None
    return pts[list(far)]


def _half_plane(w: Array, c: float, box: Box) -> Array:
    """The corners of the part of the box where w . p + c > 0 (Sutherland-Hodgman)."""
    x0, y0, x1, y1 = box
    corners = [np.array(p) for p in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
    out: list[Array] = []
    for k, p in enumerate(corners):
        q = corners[(k + 1) % 4]
        fp, fq = float(w @ p + c), float(w @ q + c)
        if fp >= 0:
            out.append(p)
        if (fp >= 0) != (fq >= 0):
            out.append(p + (q - p) * fp / (fp - fq))
    return np.array(out) if out else np.zeros((0, 2))


def _scatter_patterns(
    ax: Axes, points: Array, labels: list[str], classes: Array, names: list[str], gid: str
) -> list[Any]:
    """Points coloured by class, each labelled with its pattern; returns the legend handles."""
    colours = [CATEGORY_COLOURS[int(c) % len(CATEGORY_COLOURS)] for c in classes]
    dots = ax.scatter(
        points[:, 0], points[:, 1], s=110, c=colours, edgecolors="black", linewidths=0.8, zorder=4
    )
    dots.set_gid(gid)
    # Patterns that land on (nearly) the same point share one label, written beside the point
    # on the side away from the middle of the square.
    done: set[int] = set()
    span = float(np.ptp(points)) or 1.0
    x_lo, x_hi = ax.get_xlim()
    middle = (x_lo + x_hi) / 2
    for i in range(len(points)):
        if i in done:
            continue
        same = [
            j
            for j in range(len(points))
            if j not in done and np.linalg.norm(points[j] - points[i]) < 0.04 * span
        ]
        done.update(same)
        left = points[i, 0] < middle
        ax.annotate(
            "\n".join(labels[j] for j in same),
            xy=tuple(points[i]),
            xytext=(-9 if left else 9, 0),
            textcoords="offset points",
            ha="right" if left else "left",
            va="center",
            fontsize=9,
            zorder=5,
            bbox={
                "boxstyle": "round,pad=0.15",
                "facecolor": "white",
                "edgecolor": "none",
                "alpha": 0.8,
            },
        )
    return [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markersize=8,
            markerfacecolor=CATEGORY_COLOURS[k % len(CATEGORY_COLOURS)],
            markeredgecolor="black",
            label=name,
        )
        for k, name in enumerate(names)
    ]


def _activation_square(points: Array) -> tuple[float, float]:
    """The range activations live in: [0, 1] (logistic), [-1, 1] (tanh), or wider."""
    lo = 0.0 if float(points.min()) >= 0.0 else min(-1.0, float(points.min()))
    hi = max(1.0, float(points.max()))
    return lo, hi


def _square_limits(points: Array) -> Box:
    lo, hi = _activation_square(points)
    margin = 0.2 * (hi - lo)
    return (lo - margin, lo - margin, hi + margin, hi + margin)


def hidden_representation(
    inputs: np.ndarray,
    targets: np.ndarray,
    hidden: np.ndarray,
    output_weights: np.ndarray | None = None,
    output_bias: float | None = None,
    unit_labels: Sequence[str] | None = None,
    title: str = "How the hidden layer re-represents the patterns",
) -> Figure:
    """Where each pattern lands in hidden-unit space.

    With two hidden units: the input square (left, when there are two inputs) beside the hidden
    square (a3, a4), each pattern a point labelled with its input and coloured by its target;
    with ``output_weights`` (w3,5, w4,5) and ``output_bias`` (w6,5) the output unit's decision
    line w3,5 a3 + w4,5 a4 + w6,5 = 0 (where x5 = 0, so a logistic a5 = 0.5) is drawn, the side
    where the output is above 0.5 shaded. For XOR the left square cannot be cut by one line
    and the right one can. With any other number of hidden units: a heatmap of activations
    (patterns x hidden units) with each value written in its cell.

    ``unit_labels`` name the hidden units; by default the lecture's a3, a4, ... numbered after
    the inputs.
    """
    x_in = _as_rows(inputs, "inputs")
    n = x_in.shape[0]
    y = _as_rows(targets, "targets", n)
    h = _as_rows(hidden, "hidden", n)
    n_in, n_hidden = x_in.shape[1], h.shape[1]
    output_unit = n_in + n_hidden + 1
    if unit_labels is None:
        labels = [f"$a_{{{n_in + 1 + k}}}$" for k in range(n_hidden)]
    else:
        labels = list(unit_labels)
        if len(labels) != n_hidden:
            raise ValueError(f"{len(labels)} unit labels for {n_hidden} hidden units")
    rows, classes = np.unique(y, axis=0, return_inverse=True)
    classes = np.ravel(classes)
    class_names = [f"target {_pattern_label(r)}" for r in rows]
    pattern_labels = [_pattern_label(r) for r in x_in]

    with _style():
        if n_hidden != 2:
            return _hidden_heatmap(h, pattern_labels, y, labels, title)
        panels = 2 if n_in == 2 else 1
        fig = Figure(figsize=(4.6 * panels + 0.3, 5.0), layout=ConstrainedLayoutEngine(h_pad=0.1))
        axes = fig.subplots(1, panels, squeeze=False)[0]
        spaces: list[tuple[Axes, Array, list[str], str, str]] = []
        if panels == 2:
            spaces.append((axes[0], x_in, ["$a_{1}$", "$a_{2}$"], "input space", "inputs"))
        spaces.append((axes[-1], h, labels, "hidden space", "hidden"))
        legends: list[list[Any]] = []
        for ax, points, names, heading, gid in spaces:
            box = _square_limits(points)
            lo, hi = _activation_square(points)
            ax.add_patch(
                Rectangle(
                    (lo, lo),
                    hi - lo,
                    hi - lo,
                    fill=False,
                    edgecolor="0.7",
                    linewidth=0.8,
                    linestyle="--",
                    zorder=1,
                )
            )
            ax.set_xlim(box[0], box[2])
            ax.set_ylim(box[1], box[3])
            ax.set_aspect("equal")
            ax.set_xlabel(names[0])
            ax.set_ylabel(names[1])
            if (lo, hi) in ((0.0, 1.0), (-1.0, 1.0)):  # ticks at the square's corners and middle
                ax.set_xticks([lo, (lo + hi) / 2, hi])
                ax.set_yticks([lo, (lo + hi) / 2, hi])
            ax.set_title(f"{heading} ({names[0]}, {names[1]})")
            handles = _scatter_patterns(ax, points, pattern_labels, classes, class_names, gid)
            legends.append(handles)
        if output_weights is not None:
            w = np.asarray(output_weights, dtype=float).reshape(-1)
            if w.size != 2:
                raise ValueError(
                    f"output_weights needs the 2 weights to one output unit, got {w.size}"
                )
            c = 0.0 if output_bias is None else float(output_bias)
            ax = axes[-1]
            box = _square_limits(h)
            region = _half_plane(w, c, box)
            if len(region) >= 3:
                shade = Polygon(
                    region,
                    closed=True,
                    facecolor=CATEGORY_COLOURS[1],
                    alpha=0.15,
                    edgecolor="none",
                    zorder=0,
                )
                shade.set_gid("output_above_half")
                ax.add_patch(shade)
            ends = _line_in_box(w, c, box)
            if ends is not None:
                (line,) = ax.plot(ends[:, 0], ends[:, 1], color="black", linewidth=1.4, zorder=2)
                line.set_gid("decision_line")
                mid = ends.mean(axis=0)
                angle = float(np.degrees(np.arctan2(*(ends[1] - ends[0])[::-1])))
                if angle > 90:
                    angle -= 180
                elif angle < -90:
                    angle += 180
                ax.annotate(
                    f"$x_{{{output_unit}}} = 0$  ($a_{{{output_unit}}} = 0.5$)",
                    xy=tuple(mid),
                    xytext=(0, 5),
                    textcoords="offset points",
                    rotation=angle,
                    rotation_mode="anchor",
                    ha="center",
                    va="bottom",
                    fontsize=8.5,
                    transform_rotates_text=True,
                    zorder=3,
                )
            legends[-1].append(
                Patch(
                    facecolor=CATEGORY_COLOURS[1], alpha=0.25, label=f"$a_{{{output_unit}}} > 0.5$"
                )
            )
        for ax, handles in zip(axes, legends, strict=True):
            ax.legend(
                handles=handles,
                loc="upper center",
                bbox_to_anchor=(0.5, -0.14),
                ncols=len(handles),
                handletextpad=0.3,
                columnspacing=1.0,
            )
        fig.suptitle(title)
    return fig


def _hidden_heatmap(
    h: Array, pattern_labels: list[str], y: Array, labels: list[str], title: str
) -> Figure:
    n, n_hidden = h.shape
    lo = min(0.0, float(h.min()))
    hi = max(1.0, float(h.max()))
    norm = Normalize(lo, hi)
    rows = [f"{p}  \u2192 {_pattern_label(t)}" for p, t in zip(pattern_labels, y, strict=True)]
    fig = Figure(
        figsize=(min(12.0, 2.6 + 0.7 * n_hidden), min(12.0, 1.4 + 0.36 * n)), layout="constrained"
    )
    ax = fig.add_subplot()
    image = ax.imshow(h, cmap=ACTIVATION_CMAP, norm=norm, aspect="auto", interpolation="nearest")
    image.set_gid("hidden_heatmap")
    if n * n_hidden <= 400:
        for i in range(n):
            for j in range(n_hidden):
                ax.text(
                    j,
                    i,
                    format_number(float(h[i, j])),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color=_ink_on(ACTIVATION_CMAP(norm(h[i, j]))),
                )
    ax.set_xticks(np.arange(n_hidden), labels)
    ax.set_yticks(np.arange(n), rows)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel("hidden unit")
    ax.set_ylabel("input pattern \u2192 target")
    fig.colorbar(image, ax=ax, label="activation", shrink=0.8)
    ax.set_title(title)
    return fig


# ---- epochs to solution over seeds -----------------------------------------------------------


def solution_epochs(
    epochs: Sequence[int | None],
    title: str = "Epochs to solution",
) -> Figure:
    """A histogram of the epoch at which each seed first solved the task, and beside it one
    bar for the seeds that never did (``None``). The title states both counts."""
    solved = np.array([e for e in epochs if e is not None], dtype=float)
    n_total = len(epochs)
    n_unsolved = n_total - len(solved)
    with _style():
        fig = Figure(figsize=(7.0, 3.8), layout="constrained")
        ax, ax_none = fig.subplots(1, 2, sharey=True, width_ratios=(6, 1))
        if len(solved):
            edges = np.histogram_bin_edges(solved, bins="auto")
            if len(edges) > 31:
                edges = np.histogram_bin_edges(solved, bins=30)
            if np.ptp(solved) < 5:  # (nearly) all alike: one-epoch bins in a readable window
                edges = np.arange(solved.min() - 0.5, solved.max() + 1.0)
                ax.set_xlim(solved.min() - 5, solved.max() + 5)
            _, _, bars = ax.hist(
                solved, bins=edges, color=OKABE_ITO["blue"], edgecolor="white", linewidth=0.8
            )
            for i, patch in enumerate(bars):
                patch.set_gid(f"solved_bin{i}")
            median = float(np.median(solved))
            ax.axvline(median, color="black", linestyle="--", linewidth=1.0)
            ax.annotate(
                f"median {median:g}",
                xy=(median, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(4, -2),
                textcoords="offset points",
                ha="left",
                va="top",
                fontsize=9,
            )
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
        unsolved = ax_none.bar(
            [0],
            [n_unsolved],
            width=0.6,
            color=OKABE_ITO["vermillion"],
            hatch="//",
            edgecolor="white",
        )
        unsolved.patches[0].set_gid("not_solved")
        ax_none.text(0, n_unsolved, str(n_unsolved), ha="center", va="bottom", fontsize=9)
        ax_none.set_xticks([0], ["not\nsolved"])
        ax_none.set_xlim(-0.6, 0.6)
        ax_none.tick_params(axis="y", left=False, labelleft=False)
        ax_none.spines["left"].set_visible(False)
        top = max([n_unsolved, *(p.get_height() for p in ax.patches)], default=1)
        ax.set_ylim(0, top * 1.15 + 0.5)
        fig.suptitle(f"{title}: {len(solved)} of {n_total} seeds solved, {n_unsolved} did not")
    return fig
