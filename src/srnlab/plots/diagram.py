"""The network diagram: a layered feedforward net drawn as in the lecture's slides.

Inputs at the bottom, output at the top; units are circles holding their lecture numbers
(inputs first: a 2-2-1 net has inputs 1-2, hidden 3-4, output 5), bias units small dashed
circles (0, 6, ... for 2-2-1), and every connection an arrow coloured by the sign of its
weight. Big nets trade the labels for a colour scale. The drawing goes in named steps: lay the
units out (``_layout``), size the figure around them (``_frame``), draw the units, list the
connections, then draw those labelled or as coloured lines (``srnlab.plots.edges``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from srnlab.backprop import Network
from srnlab.params import FeedforwardParams, bias_unit, unit_numbers
from srnlab.plots.edges import Disc, Edge, Point, draw_labelled_edges, draw_weight_lines
from srnlab.plots.geometry import Box
from srnlab.plots.style import (
    ACTIVATION_CMAP,
    figure_style,
    format_number,
    ink_on,
    text_size,
)

Array = np.ndarray

_LABEL_LIMIT = 60  # more connections than this: no weight labels, colour + width + colorbar
_NUMBER_LIMIT = 16  # wider layers than this: no unit numbers inside the circles
_NAME_SIZE = 9.0  # font size of the layer names


@dataclass
class _Layout:
    """Where everything goes, in data units (one data unit is ``scale`` inches)."""

    sizes: tuple[int, ...]
    units: list[list[int]]  # lecture numbers, layer by layer
    labelled: bool  # weight labels on the arrows (small nets)
    numbered: bool  # unit numbers inside the circles (narrow layers)
    show_values: bool  # activations written inside the circles
    pos: dict[int, Point]
    unit_radius: dict[int, float]
    bias_pos: dict[int, Point]
    radius: float
    bias_radius: float
    row: float  # distance between layers
    names: list[str]  # the layers' names, written right of each layer
    right_units: float  # right edge of the widest layer

    def circles(self) -> list[Disc]:
        """Every unit's and bias unit's circle, as the weight labels should avoid them."""
        circles = [(x, y, self.radius) for x, y in self.pos.values()]
        return circles + [(x, y, self.bias_radius) for x, y in self.bias_pos.values()]


@dataclass(frozen=True)
class _Frame:
    """The figure around a layout: the axes' limits and the sizes in inches."""

    scale: float  # inches per data unit
    box: Box  # the axes' limits
    width_in: float
    height_in: float
    note_in: float  # height of the colour note under the diagram


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
    layout = _layout(sizes, acts is not None)
    frame = _frame(layout, title)
    biggest, weight_norm = _weight_scale(params)
    with figure_style():
        fig, ax = _diagram_axes(frame, title)
        _draw_units(ax, layout, acts)
        _draw_bias_units(ax, layout)
        _draw_layer_names(ax, layout)
        edges = _connections(params, layout)
        if layout.labelled:
            draw_labelled_edges(ax, edges, biggest, layout.circles(), frame.scale)
            fig.text(
                0.01,
                0.1 / frame.height_in,
                "red: positive weight, blue: negative; line width \u221d |w|",
                fontsize=8,
                color="0.35",
                va="bottom",
            )
        else:
            draw_weight_lines(fig, ax, edges, biggest, weight_norm, frame.width_in)
    return fig


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


# ---- layout ------------------------------------------------------------------------------------


def _spacings(sizes: tuple[int, ...], numbered: bool) -> list[float]:
    """The distance between neighbouring units of each layer: wider nets sit closer."""
    widest = max(sizes)
    if widest <= 2:
        return [2.0] * len(sizes)
    if widest <= 4:
        return [1.5] * len(sizes)
    if widest <= 8:
        return [1.1] * len(sizes)
    if numbered:
        return [0.8] * len(sizes)
    return [min(0.8, 12.0 / max(n - 1, 1)) for n in sizes]  # every wide layer spans 12 units


def _layout(sizes: tuple[int, ...], with_activations: bool) -> _Layout:
    """Place the units and the bias units, and name the layers."""
    n_layers = len(sizes)
    units = unit_numbers(sizes)
    n_connections = sum((a + 1) * b for a, b in itertools.pairwise(sizes))
    labelled = n_connections <= _LABEL_LIMIT
    numbered = max(sizes) <= _NUMBER_LIMIT
    spacings = _spacings(sizes, numbered)
    radii = [min(0.3, 0.36 * s) for s in spacings]
    radius = max(radii)
    row = 1.9 if labelled else 3.0
    pos: dict[int, Point] = {}
    unit_radius: dict[int, float] = {}
    for layer, numbers in enumerate(units):
        n = len(numbers)
        for i, unit in enumerate(numbers):
            pos[unit] = ((i - (n - 1) / 2) * spacings[layer], layer * row)
            unit_radius[unit] = radii[layer]
    bias_pos: dict[int, Point] = {}
    for layer in range(1, n_layers):
        xs = [pos[u][0] for u in units[layer - 1] + units[layer]]
        offset = 1.5 if numbered else 0.8
        bias_pos[bias_unit(sizes, layer)] = (min(xs) - offset, (layer - 1) * row)
    names = [_layer_name(layer, n_layers) for layer in range(n_layers)]
    if not numbered:
        names = [
            f"{name} ({numbers[0]}\u2013{numbers[-1]})" if len(numbers) > 1 else name
            for name, numbers in zip(names, units, strict=True)
        ]
    return _Layout(
        sizes=sizes,
        units=units,
        labelled=labelled,
        numbered=numbered,
        show_values=with_activations and numbered and radius >= 0.25,
        pos=pos,
        unit_radius=unit_radius,
        bias_pos=bias_pos,
        radius=radius,
        bias_radius=0.62 * radius if numbered else max(0.06, 0.8 * min(radii)),
        row=row,
        names=names,
        right_units=max(p[0] for p in pos.values()) + radius,
    )


def _frame(layout: _Layout, title: str | None) -> _Frame:
    """The axes' limits (room for the layer names on the right) and the figure's inches."""
    xs_all = [p[0] for p in layout.pos.values()] + [p[0] for p in layout.bias_pos.values()]
    radius, numbered = layout.radius, layout.numbered
    scale = 1.0 if layout.labelled else min(0.75, 9.0 / (max(xs_all) - min(xs_all) + 3.0))
    name_width = max(text_size(name, _NAME_SIZE)[0] for name in layout.names) / 72 / scale
    x0 = min(xs_all) - radius - 0.35
    x1 = layout.right_units + 0.35 + name_width + 0.3
    y0 = -radius - (0.4 if numbered else 0.25)
    y1 = (len(layout.sizes) - 1) * layout.row + radius + 0.12
    top_in = 0.5 if title else 0.1
    note_in = 0.25 if layout.labelled else 0.0
    colorbar_in = 0.0 if layout.labelled else 1.2
    return _Frame(
        scale=scale,
        box=(x0, y0, x1, y1),
        width_in=(x1 - x0) * scale + colorbar_in,
        height_in=(y1 - y0) * scale + top_in + note_in,
        note_in=note_in,
    )


def _weight_scale(params: FeedforwardParams) -> tuple[float, Normalize]:
    """The largest |weight| (bias included) and the symmetric scale the lines are coloured on."""
    values = [
        np.concatenate([w.ravel(), b.ravel()])
        for w, b in zip(params.weights, params.biases, strict=True)
    ]
    biggest = float(max(np.max(np.abs(v)) for v in values)) or 1.0
    return biggest, Normalize(-biggest, biggest)


def _diagram_axes(frame: _Frame, title: str | None) -> tuple[Figure, Axes]:
    """The figure, with one equal-aspect axes (no frame) holding the diagram, and its title."""
    x0, y0, x1, y1 = frame.box
    scale, width_in, height_in = frame.scale, frame.width_in, frame.height_in
    fig = Figure(figsize=(width_in, height_in))
    ax = fig.add_axes(
        (
            0.0,
            frame.note_in / height_in,
            (x1 - x0) * scale / width_in,
            (y1 - y0) * scale / height_in,
        )
    )
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        fig.text(0.5, 1 - 0.08 / height_in, title, ha="center", va="top", fontsize=11)
    return fig, ax


# ---- units -------------------------------------------------------------------------------------


def _activation_norm(acts: list[Array]) -> Normalize:
    """The grey scale of the activations: at least 0 to 1, wider if an activation is."""
    lo = min(0.0, *(float(a.min()) for a in acts))
    hi = max(1.0, *(float(a.max()) for a in acts))
    return Normalize(lo, hi)


def _draw_units(ax: Axes, layout: _Layout, acts: list[Array] | None) -> None:
    """Every unit's circle (shaded by its activation, if given) and its number (and value)."""
    act_norm = None if acts is None else _activation_norm(acts)
    for layer, numbers in enumerate(layout.units):
        for i, unit in enumerate(numbers):
            x, y = layout.pos[unit]
            face: Any = "white"
            if acts is not None and act_norm is not None:
                face = ACTIVATION_CMAP(act_norm(acts[layer][i]))
            circle = Circle(
                (x, y),
                layout.unit_radius[unit],
                facecolor=face,
                edgecolor="black",
                linewidth=1.2 if layout.numbered else 0.5,
                zorder=3,
            )
            circle.set_gid(f"unit{unit}")
            ax.add_patch(circle)
            if not layout.numbered:
                continue
            value = None
            if layout.show_values and acts is not None:
                value = float(acts[layer][i])
            _write_unit(ax, layout, unit, value, ink_on(face))


def _write_unit(ax: Axes, layout: _Layout, unit: int, value: float | None, ink: str) -> None:
    """The unit's number in its circle; with ``value``, the number above and the value below."""
    x, y = layout.pos[unit]
    number_y = y if value is None else y + 0.3 * layout.radius
    ax.text(
        x,
        number_y,
        str(unit),
        ha="center",
        va="center",
        fontsize=11,
        fontweight="bold",
        color=ink,
        zorder=4,
    )
    if value is not None:
        ax.text(
            x,
            y - 0.38 * layout.radius,
            format_number(value),
            ha="center",
            va="center",
            fontsize=8,
            color=ink,
            zorder=4,
        )


def _draw_bias_units(ax: Axes, layout: _Layout) -> None:
    """The always-on units: small dashed circles, numbered and marked ``a = 1`` when there is
    room."""
    bias_radius = layout.bias_radius
    for number, (x, y) in layout.bias_pos.items():
        circle = Circle(
            (x, y),
            bias_radius,
            facecolor="#EEEEEE",
            edgecolor="black",
            linewidth=1.0 if layout.numbered else 0.5,
            linestyle="--",
            zorder=3,
        )
        circle.set_gid(f"bias{number}")
        ax.add_patch(circle)
        if layout.numbered:
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


def _draw_layer_names(ax: Axes, layout: _Layout) -> None:
    for layer, name in enumerate(layout.names):
        ax.text(
            layout.right_units + 0.35,
            layer * layout.row,
            name,
            ha="left",
            va="center",
            fontsize=_NAME_SIZE,
            color="0.35",
            style="italic",
        )


# ---- connections -------------------------------------------------------------------------------


def _connections(params: FeedforwardParams, layout: _Layout) -> list[Edge]:
    """Every connection, layer by layer; into each unit its bias first, then its inputs."""
    edges = []
    for layer in range(1, len(layout.sizes)):
        w, b = params.weights[layer - 1], params.biases[layer - 1]
        bias = bias_unit(layout.sizes, layer)
        for i, target in enumerate(layout.units[layer]):
            target_at = layout.pos[target]
            edges.append(
                Edge(
                    f"w{bias},{target}",
                    layout.bias_pos[bias],
                    layout.bias_radius,
                    target_at,
                    layout.radius,
                    float(b[i]),
                )
            )
            for j, source in enumerate(layout.units[layer - 1]):
                edges.append(
                    Edge(
                        f"w{source},{target}",
                        layout.pos[source],
                        layout.radius,
                        target_at,
                        layout.radius,
                        float(w[i, j]),
                    )
                )
    return edges
