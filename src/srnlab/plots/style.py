"""The shared style of every figure: the palette, the colour scales, the rc settings, how
numbers are written, and ``save_figure``; plus the small text and data helpers the figure
modules share.

Colours: the Okabe-Ito palette for categories, a diverging blue (negative) / red (positive)
scale for weights and a white-to-dark grey scale for activations; all are colour-blind safe,
and every colour is backed by a number, a label or a line style.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, cast

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap, to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.layout_engine import ConstrainedLayoutEngine, TightLayoutEngine
from matplotlib.textpath import text_to_path

Array = np.ndarray


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
    # A figure has the layout engine it asks for, none from the reader's own rc (and
    # ``freeze_layout`` can leave a figure without one).
    "figure.autolayout": False,
    "figure.constrained_layout.use": False,
}
_SAVE_STYLE: dict[str, Any] = {"svg.hashsalt": "srnlab", "svg.fonttype": "path"}

PNG_DPI = 150
#: zlib's level for the PNGs. Levels 1-3 share zlib's fast matcher and cost the same; 3 is the
#: smallest of them. Measured on the 49 figures of `reproduce --quick`: encoding at 3 takes
#: about two thirds of the time of Pillow's default 6 (2.1 s against 3.2 s of CPU) for 6% more
#: bytes (7.1 MB against 6.7 MB); 9 takes 3.5 times as long to save 2%.
PNG_COMPRESS_LEVEL = 3


def figure_style(extra: Mapping[str, Any] | None = None) -> AbstractContextManager[None]:
    """Our rc settings for the figure being built or saved, never a global change."""
    return mpl.rc_context(cast(Any, {**_STYLE, **(extra or {})}))


def format_number(value: float, digits: int = 2) -> str:
    """A number as the figures write it: fixed decimals, a real minus sign, no "-0.00"."""
    text = f"{value:.{digits}f}"
    if float(text) == 0.0:
        text = f"{0.0:.{digits}f}"
    return text.replace("-", "\u2212")


def save_figure(fig: Figure, folder: Path, stem: str, svg: bool = True) -> list[Path]:
    """Write ``stem.png`` (150 dpi, zlib level ``PNG_COMPRESS_LEVEL``) and ``stem.svg``
    (unless ``svg`` is False: a report needs only the PNG, and the SVG is a fifth of the
    drawing time) into ``folder``; return the paths.

    The SVG carries no date and uses a fixed hash salt for its element ids, so a rerun that
    draws the same figure writes byte-identical files (no spurious diff). A constrained (or
    tight) layout is computed once, for the PNG, and then frozen on the figure
    (``freeze_layout``): the SVG gets exactly the same layout, and saving the figure again
    gives the same bytes again (re-running the layout from its own result would move things by
    a millionth of a point).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    png = folder / f"{stem}.png"
    svg_path = folder / f"{stem}.svg"
    with figure_style(_SAVE_STYLE):
        freeze_layout(fig, PNG_DPI)
        fig.savefig(
            png,
            format="png",
            dpi=PNG_DPI,
            facecolor="white",
            pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL},
        )
        if not svg:
            return [png]
        fig.savefig(svg_path, format="svg", metadata={"Date": None}, facecolor="white")
    return [png, svg_path]


def freeze_layout(fig: Figure, dpi: float) -> None:
    """Run the figure's constrained or tight layout once, as a ``dpi`` raster renderer
    measures the text, and fix the axes where it put them (the figure then has no layout
    engine). The same pixels as leaving the layout to ``savefig``, with one draw fewer: given a
    layout engine, ``savefig`` first draws the whole figure without rendering it, only to run
    the layout in, and that draw measures and places every text as the real one does.
    """
    engine = fig.get_layout_engine()
    if not isinstance(engine, ConstrainedLayoutEngine | TightLayoutEngine) or not fig.axes:
        return  # (savefig runs a layout only for a figure with axes, too)
    # The layout measures text with the canvas's renderer at the figure's dpi: an Agg canvas
    # keeps that renderer, so the PNG's draw reuses it and its cache of text sizes.
    FigureCanvasAgg(fig)
    own_dpi = fig.dpi
    fig.dpi = dpi
    try:
        engine.execute(fig)
    finally:
        fig.dpi = own_dpi
    fig.set_layout_engine(None)  # None, not "none": "none" keeps a placeholder engine, and
    # any engine makes savefig draw twice


# ---- small helpers ---------------------------------------------------------------------------


def text_size(text: str, size: float, weight: str = "normal") -> tuple[float, float]:
    """Width and height of a one-line text in points (no renderer needed)."""
    prop = FontProperties(size=size, weight=weight)
    width, height, _ = outline_size(text, prop.get_size_in_points(), findfont(prop))
    return width, height


@functools.lru_cache(maxsize=4096)
def outline_size(text: str, size: float, font_file: str) -> tuple[float, float, float]:
    """Width, height and descent (below the baseline) in points of a one-line text in the font
    of ``font_file`` at ``size`` points, from its glyphs' outlines; remembered: figures measure
    the same labels and tick labels again and again."""
    prop = FontProperties(fname=font_file, size=size)
    w, h, d = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
    return float(w), float(h), float(d)


def add_lines(ax: Axes, lines: Sequence[Any], **style: Any) -> LineCollection:
    """Many lines as one artist on ``ax`` (its data limits take them in): one LineCollection
    is far cheaper to build and draw than a Line2D per line, and gets a Line2D's joins and
    caps here, so it looks the same. ``lines`` are (n, 2) sequences of x, y points; ``style``
    is LineCollection's (``colors``, ``linewidths``, ``alpha``, ``gid``, ...)."""
    collection = LineCollection(
        lines,
        joinstyle=mpl.rcParams["lines.solid_joinstyle"],
        capstyle=mpl.rcParams["lines.solid_capstyle"],
        **style,
    )
    ax.add_collection(collection)
    return collection


def _luminance(colour: Any) -> float:
    r, g, b = to_rgb(colour)
    return 0.299 * r + 0.587 * g + 0.114 * b


def ink_on(colour: Any) -> str:
    """Black or white text, whichever reads on ``colour``."""
    return "white" if _luminance(colour) < 0.5 else "black"


def pattern_label(values: Array) -> str:
    """'0 1' for a binary pattern, '0.5 1' otherwise."""
    parts = []
    for v in np.ravel(values):
        parts.append(str(round(float(v))) if float(v).is_integer() else f"{v:.2g}")
    return " ".join(parts)


def as_rows(values: Any, what: str, n_rows: int | None = None) -> Array:
    """``values`` as a 2-D array of floats, one row per pattern (a 1-D array is one column)."""
    array = np.asarray(values, dtype=float)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2:
        raise ValueError(f"{what} must be one row per pattern, got shape {array.shape}")
    if n_rows is not None and array.shape[0] != n_rows:
        raise ValueError(f"{what} has {array.shape[0]} rows for {n_rows} patterns")
    return array
