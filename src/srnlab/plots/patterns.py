"""Figures of what a trained feedforward net does with each pattern: its output beside the
target (``pattern_outputs``), and where each pattern lands in hidden-unit space
(``hidden_representation``), the picture of why a hidden layer solves XOR."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon, Rectangle

from srnlab.plots.geometry import Box, half_plane, line_in_box
from srnlab.plots.layout import TextLayout
from srnlab.plots.style import (
    ACTIVATION_CMAP,
    CATEGORY_COLOURS,
    OKABE_ITO,
    as_rows,
    figure_style,
    format_number,
    ink_on,
    pattern_label,
)

Array = np.ndarray

# ---- outputs per pattern -----------------------------------------------------------------------


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
    x_in = as_rows(inputs, "inputs")
    n = x_in.shape[0]
    y = as_rows(targets, "targets", n)
    a = as_rows(outputs, "outputs", n)
    if y.shape != a.shape:
        raise ValueError(f"targets {y.shape} and outputs {a.shape} differ in shape")
    n_out = a.shape[1]
    lo = min(0.0, float(a.min()), float(y.min()))
    hi = max(1.0, float(a.max()), float(y.max()))
    with figure_style():
        fig = Figure(
            figsize=(max(6.4, 3.2 + 0.55 * n * max(1, n_out**0.7)), 3.8), layout=TextLayout()
        )
        ax = fig.add_subplot()
        ax.axhline(0.5, color="0.45", linestyle=":", linewidth=1.0, zorder=0)
        for k in range(n_out):
            _output_bars(ax, k, a, y, (lo, hi))
        ax.set_xticks(np.arange(n), [pattern_label(row) for row in x_in])
        ax.set_xlabel("input pattern")
        ax.set_ylabel("output activation" if n_out == 1 else "output activations")
        ax.set_ylim(lo - 0.02 * (hi - lo), hi + 0.12 * (hi - lo))
        ax.set_xlim(-0.6, n - 0.4)
        ax.legend(handles=_output_legend(n_out), loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.set_title(title)
    return fig


_GROUP = 0.8  # the width of one pattern's group of bars


def _output_bars(ax: Axes, k: int, a: Array, y: Array, span: tuple[float, float]) -> None:
    """Output unit ``k``'s bar for every pattern, its targets as black ticks, and (when few)
    each value written above its bar."""
    n, n_out = a.shape
    width = _GROUP / n_out
    centres = np.arange(n) - _GROUP / 2 + (k + 0.5) * width
    if n_out == 1:
        right = (a[:, k] >= 0.5) == (y[:, k] >= 0.5)
        colours: Any = [OKABE_ITO["blue"] if ok else OKABE_ITO["vermillion"] for ok in right]
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
        lo, hi = span
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


def _output_legend(n_out: int) -> list[Any]:
    """What the bar colours mean (right/wrong side, or which unit), the target and 0.5 marks."""
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
        return [
            Patch(color=OKABE_ITO["blue"], label="output on the\ntarget's side of 0.5"),
            Patch(color=OKABE_ITO["vermillion"], label="output on the\nwrong side"),
            *handles,
        ]
    return [
        Patch(color=CATEGORY_COLOURS[k % len(CATEGORY_COLOURS)], label=f"output unit {k + 1}")
        for k in range(n_out)
    ] + handles


# ---- hidden representation ---------------------------------------------------------------------


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
    x_in = as_rows(inputs, "inputs")
    n = x_in.shape[0]
    y = as_rows(targets, "targets", n)
    h = as_rows(hidden, "hidden", n)
    n_in, n_hidden = x_in.shape[1], h.shape[1]
    if unit_labels is None:
        labels = [f"$a_{{{n_in + 1 + k}}}$" for k in range(n_hidden)]
    else:
        labels = list(unit_labels)
        if len(labels) != n_hidden:
            raise ValueError(f"{len(labels)} unit labels for {n_hidden} hidden units")
    pattern_labels = [pattern_label(r) for r in x_in]
    with figure_style():
        if n_hidden != 2:
            return _hidden_heatmap(h, pattern_labels, y, labels, title)
        panels = 2 if n_in == 2 else 1
        fig = Figure(figsize=(4.6 * panels + 0.3, 5.0), layout=TextLayout(h_pad=0.1))
        axes = fig.subplots(1, panels, squeeze=False)[0]
        spaces: list[tuple[Axes, Array, list[str], str, str]] = []
        if panels == 2:
            spaces.append((axes[0], x_in, ["$a_{1}$", "$a_{2}$"], "input space", "inputs"))
        spaces.append((axes[-1], h, labels, "hidden space", "hidden"))
        legends = _pattern_spaces(spaces, y, pattern_labels)
        if output_weights is not None:
            output_unit = n_in + n_hidden + 1
            legends[-1].append(
                _decision_line(axes[-1], h, output_weights, output_bias, output_unit)
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


def _pattern_spaces(
    spaces: list[tuple[Axes, Array, list[str], str, str]], y: Array, pattern_labels: list[str]
) -> list[list[Any]]:
    """Each (axes, points, unit names, heading, SVG id) drawn as a square of activations with
    the patterns in it, coloured by target; returns each square's legend handles."""
    rows, classes = np.unique(y, axis=0, return_inverse=True)
    classes = np.ravel(classes)
    class_names = [f"target {pattern_label(r)}" for r in rows]
    legends: list[list[Any]] = []
    for ax, points, names, heading, gid in spaces:
        _activation_space(ax, points, names, heading)
        legends.append(_scatter_patterns(ax, points, pattern_labels, classes, class_names, gid))
    return legends


def _activation_square(points: Array) -> tuple[float, float]:
    """The range activations live in: [0, 1] (logistic), [-1, 1] (tanh), or wider."""
    lo = 0.0 if float(points.min()) >= 0.0 else min(-1.0, float(points.min()))
    hi = max(1.0, float(points.max()))
    return lo, hi


def _square_limits(points: Array) -> Box:
    lo, hi = _activation_square(points)
    margin = 0.2 * (hi - lo)
    return (lo - margin, lo - margin, hi + margin, hi + margin)


def _activation_space(ax: Axes, points: Array, names: list[str], heading: str) -> None:
    """An equal-aspect square of two units' activations, the range they live in dashed."""
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


def _scatter_patterns(
    ax: Axes, points: Array, labels: list[str], classes: Array, names: list[str], gid: str
) -> list[Any]:
    """Points coloured by class, each labelled with its pattern; returns the legend handles."""
    colours = [CATEGORY_COLOURS[int(c) % len(CATEGORY_COLOURS)] for c in classes]
    dots = ax.scatter(
        points[:, 0], points[:, 1], s=110, c=colours, edgecolors="black", linewidths=0.8, zorder=4
    )
    dots.set_gid(gid)
    _label_points(ax, points, labels)
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


def _label_points(ax: Axes, points: Array, labels: list[str]) -> None:
    """Each point's pattern written beside it, on the side away from the middle of the square;
    patterns that land on (nearly) the same point share one label."""
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


def _decision_line(
    ax: Axes, h: Array, output_weights: Any, output_bias: float | None, output_unit: int
) -> Patch:
    """The output unit's line x = 0 in hidden space, labelled, with the side where its
    activation is above 0.5 shaded; returns the shade's legend handle."""
    w = np.asarray(output_weights, dtype=float).reshape(-1)
    if w.size != 2:
        raise ValueError(f"output_weights needs the 2 weights to one output unit, got {w.size}")
    c = 0.0 if output_bias is None else float(output_bias)
    box = _square_limits(h)
    region = half_plane(w, c, box)
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
    ends = line_in_box(w, c, box)
    if ends is not None:
        (line,) = ax.plot(ends[:, 0], ends[:, 1], color="black", linewidth=1.4, zorder=2)
        line.set_gid("decision_line")
        _label_line(ax, ends, output_unit)
    return Patch(facecolor=CATEGORY_COLOURS[1], alpha=0.25, label=f"$a_{{{output_unit}}} > 0.5$")


def _label_line(ax: Axes, ends: Array, output_unit: int) -> None:
    """``x = 0 (a = 0.5)`` written along the decision line, the right way up."""
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


def _hidden_heatmap(
    h: Array, pattern_labels: list[str], y: Array, labels: list[str], title: str
) -> Figure:
    """Patterns x hidden units, shaded by activation, each value written in its cell (when
    there are few enough cells to read)."""
    n, n_hidden = h.shape
    lo = min(0.0, float(h.min()))
    hi = max(1.0, float(h.max()))
    norm = Normalize(lo, hi)
    rows = [f"{p}  \u2192 {pattern_label(t)}" for p, t in zip(pattern_labels, y, strict=True)]
    fig = Figure(
        figsize=(min(12.0, 2.6 + 0.7 * n_hidden), min(12.0, 1.4 + 0.36 * n)), layout=TextLayout()
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
                    color=ink_on(ACTIVATION_CMAP(norm(h[i, j]))),
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
