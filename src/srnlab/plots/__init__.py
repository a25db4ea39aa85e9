"""Figures: matplotlib lives only in this package.

Every function takes plain data (arrays, a history's columns, a network and its parameters)
and returns a :class:`matplotlib.figure.Figure`; :func:`save_figure` writes it as PNG and SVG.
We use matplotlib's object API only (``Figure(...)``, never ``pyplot``): no global state, no
GUI backend, and a figure is garbage-collected like any other object. Importing this package
loads matplotlib, so the rest of srnlab imports it inside the functions that draw.

One module per job; this package re-exports the figures of the lecture's first part, so
``plots.learning_curve`` etc. are what recipes call:

    style            the palette, colour scales, rc settings, ``format_number``, ``save_figure``
    geometry         boxes, segments and half-planes, for placing labels and lines
    diagram          ``network_diagram``: the layered net as in the slides
    edges            the diagram's connections: labelled arrows, or lines on a colour scale
    curves           ``learning_curve`` and ``solution_epochs`` (epochs to solution over seeds)
    patterns         ``pattern_outputs`` and ``hidden_representation``
    replications     figures over replications: learning-curve bands, a metric across a sweep
    layout           ``TextLayout``: constrained layout worked out from the sizes of the texts,
                     and ``lay_out_grid`` for a grid of alike panels
    folders          the figures of a run folder, drawn for ``srnlab.replicate`` and ``show``

and each later topic has a module of its own (``temporal_xor``, ``letters``, ``words``, ...),
built on the same style.

Notation follows the lecture: units are numbered inputs first (a 2-2-1 net has inputs 1-2,
hidden 3-4, output 5), ``a3`` is the activation of unit 3, ``x5`` the net input of unit 5, and a
bias is the weight from an always-on unit (0 for the first layer above the inputs, 6 for the
output layer of a 2-2-1 net), so ``w0,3`` and ``w6,5`` are biases.
"""

from __future__ import annotations

from srnlab.plots.curves import learning_curve, solution_epochs
from srnlab.plots.diagram import network_diagram
from srnlab.plots.patterns import hidden_representation, pattern_outputs
from srnlab.plots.style import (
    ACTIVATION_CMAP,
    CATEGORY_COLOURS,
    NEGATIVE_COLOUR,
    OKABE_ITO,
    PNG_DPI,
    POSITIVE_COLOUR,
    WEIGHT_CMAP,
    format_number,
    save_figure,
)

__all__ = [
    "ACTIVATION_CMAP",
    "CATEGORY_COLOURS",
    "NEGATIVE_COLOUR",
    "OKABE_ITO",
    "PNG_DPI",
    "POSITIVE_COLOUR",
    "WEIGHT_CMAP",
    "format_number",
    "hidden_representation",
    "learning_curve",
    "network_diagram",
    "pattern_outputs",
    "save_figure",
    "solution_epochs",
]
