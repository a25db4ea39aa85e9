"""What drawing the figures of `srnlab reproduce` costs: CPU seconds per recipe, and as a ratio.

    python benchmarks/bench_figures.py [RECIPE ...] [--runs DIR] [--repeat N] [--svg]
                                       [--profile RECIPE]

Reads the run folders a `srnlab reproduce` wrote (``--runs DIR``; without it, runs
`srnlab reproduce --quick` into a temporary folder first) and, for each recipe, draws what
`reproduce` draws (the first seed's figures and the figures across seeds, PNG only; ``--svg``
adds the SVGs, as `srnlab show --figures` draws them) into a temporary folder, timing the CPU
seconds of this process (``time.process_time``). Nothing is trained or analysed again: the
figures are drawn from the saved numbers, as `srnlab show --figures` does.

Also timed, in the same process: a fixed baseline figure (a 2x3-panel line plot with a
constrained layout, saved as a 150 dpi PNG), so the per-recipe seconds can be given as
multiples of it and compared across machines. Each recipe is drawn ``--repeat`` times (the
first drawing of all loads the fonts, so the baseline is drawn first); the table shows the
fastest of the repeats, the least disturbed by other jobs on a shared machine.
``--profile RECIPE`` prints cProfile's top entries for that recipe's drawing instead (its
second drawing: the first pays for imports, such as scipy.stats, and fills caches).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from srnlab.catalogue import get_recipe
from srnlab.cli import main as srnlab_main
from srnlab.plots.folders import FolderFigures
from srnlab.plots.style import PNG_DPI, figure_style
from srnlab.results import RunResult, load_run


def baseline_figure() -> Figure:
    """The yardstick: six panels of two 200-point lines, each panel titled and labelled."""
    x = np.linspace(0.0, 10.0, 200)
    with figure_style():
        fig = Figure(figsize=(10.0, 6.0), layout="constrained")
        for k, ax in enumerate(fig.subplots(2, 3).ravel()):
            ax.plot(x, np.sin(x + k), label="sine")
            ax.plot(x, np.cos(x * 0.5 + k), label="cosine")
            ax.set_title(f"panel {k + 1}")
            ax.set_xlabel("time")
            ax.set_ylabel("value")
            ax.legend()
        fig.suptitle("baseline")
    return fig


def recipe_folders(runs: Path) -> list[Path]:
    """The recipe folders of a reproduce output (those with seed-S/ run folders), in the
    order reproduce reports them (its manifest has none, so by name)."""
    return sorted(p for p in runs.iterdir() if p.is_dir() and any(p.glob("seed-*/config.json")))


def load_replications(folder: Path) -> list[RunResult]:
    seeds = sorted(folder.glob("seed-*/config.json"), key=lambda p: int(p.parent.name[5:]))
    return [load_run(p.parent) for p in seeds]


def drawing(folder: Path, svg: bool) -> Callable[[Path], None]:
    """A function that draws what reproduce draws for ``folder`` into another folder."""
    results = load_replications(folder)
    recipe = get_recipe(results[0].recipe)
    draw = FolderFigures(svg=svg)

    def draw_into(out: Path) -> None:
        first = out / f"seed-{results[0].config['seed']}"
        first.mkdir(parents=True, exist_ok=True)
        draw.run(recipe, results[0], first)
        draw.summary(recipe, results, out)

    return draw_into


def cpu_seconds(work: Callable[[Path], Any], scratch: Path, repeat: int) -> float:
    """The fastest of ``repeat`` runs of ``work``, in CPU seconds of this process."""
    best = float("inf")
    for k in range(repeat):
        out = scratch / f"try-{k}"
        started = time.process_time()
        work(out)
        best = min(best, time.process_time() - started)
    return best


def save_baseline(out: Path) -> None:
    """The yardstick saved as matplotlib saves it (not by srnlab's ``save_figure``, whose
    speed is what is measured)."""
    out.mkdir(parents=True, exist_ok=True)
    with figure_style():
        baseline_figure().savefig(out / "baseline.png", dpi=PNG_DPI, facecolor="white")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("recipes", nargs="*", help="only these recipes (default: all)")
    parser.add_argument("--runs", type=Path, help="a reproduce output (default: run --quick)")
    parser.add_argument("--repeat", type=int, default=3, help="draw each recipe N times")
    parser.add_argument("--svg", action="store_true", help="also save the SVGs")
    parser.add_argument("--profile", metavar="RECIPE", help="cProfile one recipe's figures")
    parser.add_argument(
        "--sort", default="cumulative", help="the profile's order (pstats: cumulative, tottime)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-figures-") as tmp:
        scratch = Path(tmp)
        runs = args.runs
        if runs is None:
            runs = scratch / "quick"
            srnlab_main(["reproduce", "--quick", "--out", str(runs)], out=open("/dev/null", "w"))
        folders = {
            f.name: f for f in recipe_folders(runs) if not args.recipes or f.name in args.recipes
        }
        save_baseline(scratch / "warm-up")  # fonts, caches: paid once, by nobody below
        if args.profile:
            draw = drawing(folders[args.profile], args.svg)
            draw(scratch / "unprofiled")  # its imports and first-use caches: not what is asked
            profiler = cProfile.Profile()
            profiler.runcall(draw, scratch / "profile")
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(40)
            return
        baseline = cpu_seconds(save_baseline, scratch / "baseline", args.repeat)
        print(f"figures of {runs} (fastest of {args.repeat}; PNG{' and SVG' if args.svg else ''})")
        print("| recipe | CPU s | x baseline |\n|---|---|---|")
        total = 0.0
        for name, folder in folders.items():
            seconds = cpu_seconds(drawing(folder, args.svg), scratch / name, args.repeat)
            total += seconds
            print(f"| {name} | {seconds:.2f} | {seconds / baseline:.1f} |")
        print(f"| all | {total:.2f} | {total / baseline:.1f} |")
        print(f"baseline figure (2x3 panels, constrained layout, PNG): {baseline:.3f} s CPU")


if __name__ == "__main__":
    main()
