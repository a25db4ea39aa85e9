"""`srnlab show FOLDER`: read a run folder back, print its report, and redraw its figures."""

from __future__ import annotations

import argparse
import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from srnlab.catalogue import get_recipe
from srnlab.errors import UserError
from srnlab.fileio import writing
from srnlab.results import RunResult, load_run

if TYPE_CHECKING:
    from srnlab.plots.folders import FolderFigures

NAME = "show"
HELP = "print a run folder's report again, and redraw its figures (no retraining)"
DESCRIPTION = """\
Read a folder written by `srnlab run` back from its files (config.json, metrics.json,
history.csv, arrays.npz) and print the report the run printed; nothing is trained again.

  srnlab show runs/xor-20260101-120000           one run: its report
  srnlab show runs/letters10                     a --seeds N folder: the summary over seeds
  srnlab show runs/letters10 --figures           ... and redraw every figure (PNG and SVG)

--figures redraws into FOLDER/figures (and each seed-S/figures), replacing figures of the same
name and nothing else: useful after changing a plot, or to get back a deleted figure.
"""

#: The files of a run folder beside config.json (history.csv: where a recipe has a history).
RUN_FILES = ("metrics.json", "arrays.npz", "history.csv")
_SEED_FOLDER = re.compile(r"seed-(-?\d+)")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, metavar="FOLDER", help="a run folder")
    parser.add_argument("--figures", action="store_true", help="redraw the figures as well")


def execute(args: argparse.Namespace, out: TextIO) -> int:
    folder: Path = args.folder
    if not folder.is_dir():
        raise UserError(f"{folder} is not a folder")
    if (folder / "config.json").exists():
        result = load_run(folder)
        recipe = get_recipe(result.recipe)
        with read_from(folder, recipe.NAME):
            if args.figures:
                with writing(folder / "figures"):
                    _drawer().run(recipe, result, folder)
            report = recipe.report(result)
        print(report, file=out)
        return 0
    results = _replications(folder)
    recipe = get_recipe(results[0].recipe)
    if len({r.recipe for r in results}) > 1:
        raise UserError(f"{folder} holds runs of several recipes; show them one at a time")
    with read_from(folder, recipe.NAME):
        if args.figures:
            with writing(folder):
                draw = _drawer()
                for result in results:
                    draw.run(recipe, result, folder / f"seed-{result.config['seed']}")
                draw.summary(recipe, results, folder)
        report = recipe.report_summary(recipe.summarize(results))
        seeds = _seed_list(results)
    print(report, file=out)
    print(f"({len(results)} replications: seeds {seeds})", file=out)
    return 0


def _drawer() -> FolderFigures:
    """The run folders' figures, PNG and SVG (matplotlib loads only when they are redrawn)."""
    from srnlab.plots.folders import FolderFigures

    return FolderFigures()


@contextlib.contextmanager
def read_from(folder: Path, recipe: str) -> Iterator[None]:
    """The files were read, but what they hold is not what a ``recipe`` run writes (a metric
    missing or of the wrong kind: edited, or from another version): one line, not a traceback.
    ``load_run`` has checked each file's form; the recipe's report is where its content is
    used, so that is where a mismatch shows."""
    try:
        yield
    except UserError:
        raise
    except (KeyError, IndexError, TypeError, ValueError, AttributeError, ArithmeticError) as exc:
        text = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        missing = [name for name in RUN_FILES if not (folder / name).exists()]
        if (folder / "config.json").exists() and missing:
            raise UserError(f"{folder} is damaged: {missing[0]}: missing ({text})") from None
        raise UserError(
            f"{folder} is damaged: its files do not hold what a {recipe} run writes ({text})"
        ) from None


def _replications(folder: Path) -> list[RunResult]:
    """Every finished seed-S/ run of a `--seeds N` folder, in seed order."""
    seeds = sorted(
        (int(match.group(1)), child)
        for child in folder.iterdir()
        if (match := _SEED_FOLDER.fullmatch(child.name)) and (child / "config.json").exists()
    )
    if not seeds:
        conditions = sorted(c.name for c in folder.iterdir() if c.is_dir() and "=" in c.name)
        if (folder / "summary.csv").is_file() and conditions:
            raise UserError(
                f"{folder} is a sweep folder (its table: summary.csv); show one condition, "
                f"e.g. {folder / conditions[0]}"
            )
        raise UserError(
            f"{folder} is not a run folder: no config.json, and no seed-S/ folders with one"
        )
    return [load_run(child) for _, child in seeds]


def _seed_list(results: list[RunResult]) -> str:
    seeds = [int(r.config["seed"]) for r in results]
    if seeds == list(range(seeds[0], seeds[0] + len(seeds))) and len(seeds) > 2:
        return f"{seeds[0]}-{seeds[-1]}"
    return ", ".join(map(str, seeds))
