"""The figures of run folders: one run's (the recipe's ``figures``), those across a
condition's replications (the recipe's ``summary_figures`` and the learning-curve band) and a
sweep's metric across its conditions.

``srnlab.replicate`` decides when each is drawn and where, and never draws itself: the
commands hand it a ``FolderFigures`` (its ``Figures`` drawer), which travels to the worker
processes with the jobs that draw. ``srnlab show --figures`` redraws with the same object.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from srnlab.plots import replications as band_plots
from srnlab.plots.style import save_figure
from srnlab.replicate.statistics import metric_stats, metric_values
from srnlab.replicate.sweeps import SweepResult
from srnlab.results import RunResult
from srnlab.sweep import Grid

#: The folder of a run folder (or a condition's, or a sweep's) that holds its figures.
FIGURES = "figures"


@dataclass(frozen=True)
class FolderFigures:
    """Draws figures into run folders: PNG and SVG, or with ``svg=False`` PNG only (what a
    report embeds; the SVG is a fifth of the drawing time). It is sent to worker processes,
    so it holds nothing but that choice."""

    svg: bool = True

    def run(self, recipe: Any, result: RunResult, folder: Path) -> None:
        """One run's figures, into ``folder/figures``."""
        with collector_paused():
            save_figures(recipe.figures(result), folder / FIGURES, self.svg)

    def summary(self, recipe: Any, results: list[RunResult], folder: Path) -> None:
        """The recipe's across-seeds figures and the learning-curve band, into
        ``folder/figures``."""
        with collector_paused():
            figures = dict(recipe.summary_figures(results))
            band = band_plots.learning_curves(
                [r.history for r in results],
                [r.config["seed"] for r in results],
                title=f"{getattr(recipe, 'LABEL', recipe.NAME)}: learning curves",
            )
            if band is not None:
                figures["learning_curves"] = band
            save_figures(figures, folder / FIGURES, self.svg)

    def sweep(self, recipe: Any, grid: Grid, result: SweepResult, folder: Path) -> None:
        """The sweep's metric (``result.metric``) across its conditions, mean and 95% CI, into
        ``folder/figures/METRIC``; nothing where the sweep has no metric."""
        chosen = result.metric
        if chosen is None:
            return
        n_seeds = result.summary["seeds_per_condition"]
        with collector_paused():
            figure = band_plots.metric_across_conditions(
                [key for key, _ in grid],
                [c.values for c in result.conditions],
                [metric_values(chosen, r) for r in result.replications],
                [metric_stats(chosen, r.aggregate or {}) for r in result.replications],
                metric=chosen,
                title=f"{getattr(recipe, 'LABEL', recipe.NAME)}: {chosen} across conditions "
                f"({n_seeds} seeds each)",
            )
            save_figure(figure, folder / FIGURES, _file_stem(chosen), self.svg)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while figures are built and saved (and left
    as it was found after).

    A figure is tens of thousands of objects in reference cycles (artists, their axes and
    figure, transforms) that all live until it is saved. While they pile up, the collector
    scans them again and again, and each time they have grown by a quarter it scans the
    whole heap. Paused, it meets them once, as garbage, at its next run: measured on the
    figures of `reproduce --quick`, collecting took 1.9 s of CPU instead of 3.4 s (out of
    about 30 s of drawing), and half the time of building the rules' 15-panel grids had been
    collection. The figures live until saved either way: the peak memory was the same.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def save_figures(figures: dict[str, Any], folder: Path, svg: bool = True) -> None:
    """Each figure as ``folder/NAME.png`` (and ``.svg``)."""
    folder.mkdir(exist_ok=True)
    for name, figure in figures.items():
        save_figure(figure, folder, name, svg)


def _file_stem(metric: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in metric)
