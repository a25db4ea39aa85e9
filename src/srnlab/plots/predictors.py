"""How the prediction figures (letters, words) draw a network beside the ideal predictor: the
network's error solid with dots, the ideal predictor's dashed under it, as bars side by side,
each in the same colours, so the figures of the two recipes read alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.lines import Line2D

from srnlab.plots.style import CATEGORY_COLOURS, OKABE_ITO

NETWORK_COLOUR = CATEGORY_COLOURS[0]  # blue
IDEAL_COLOUR = OKABE_ITO["black"]
IDEAL_BAR_COLOUR = "0.75"  # hatched, so the pair reads in grey print too
BAR_WIDTH = 0.38


def network_line(ax: Axes, steps: Any, errors: Any, gid: str, markersize: float) -> Line2D:
    """The network's error at every step (solid, dots), its SVG id ``gid``."""
    (line,) = ax.plot(
        steps,
        errors,
        color=NETWORK_COLOUR,
        linewidth=1.5,
        marker="o",
        markersize=markersize,
        label="network",
    )
    line.set_gid(gid)
    return line


def ideal_line(ax: Axes, steps: Any, errors: Any, gid: str, **marker: Any) -> Line2D:
    """The ideal predictor's error at every step (dashed; ``marker`` as ``ax.plot`` takes it)."""
    (line,) = ax.plot(
        steps,
        errors,
        color=IDEAL_COLOUR,
        linestyle="--",
        linewidth=1.0,
        label="ideal predictor",
        **marker,
    )
    line.set_gid(gid)
    return line


def paired_bars(
    ax: Axes,
    x: Any,
    network: Sequence[float | None],
    ideal: Sequence[float | None],
) -> list[tuple[str, Sequence[float | None], BarContainer]]:
    """The network's bar and the ideal predictor's side by side at each ``x``; a missing value
    (None) draws no bar. Returns (label, values, bars) of each, for the caller's ids and labels."""
    drawn = []
    for offset, values, colour, label, hatch in (
        (-BAR_WIDTH / 2, network, NETWORK_COLOUR, "network", None),
        (BAR_WIDTH / 2, ideal, IDEAL_BAR_COLOUR, "ideal predictor", "//"),
    ):
        heights = [np.nan if v is None else float(v) for v in values]
        bars = ax.bar(
            x + offset,
            heights,
            BAR_WIDTH,
            color=colour,
            hatch=hatch,
            edgecolor="white",
            label=label,
        )
        drawn.append((label, values, bars))
    return drawn
