"""`srnlab run RECIPE`: train, measure, and write a run folder (or one per seed)."""

from __future__ import annotations

import argparse
import csv
import io
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

from srnlab.config import apply_overrides
from srnlab.errors import UserError
from srnlab.fileio import StagedFolder, write_json, write_text
from srnlab.recipes import RECIPES, get_recipe
from srnlab.results import RunResult, save_run

NAME = "run"
HELP = "run an experiment (recipe) and write its run folder"
DESCRIPTION = f"""\
Run a recipe and write a run folder:

  config.json   the resolved config and the versions that produced it
  metrics.json  every number the run reports
  history.csv   the learning curve, one row per epoch
  arrays.npz    initial and final weights (load with numpy, allow_pickle=False)
  figures/      PNG and SVG figures

Recipes: {", ".join(RECIPES)} (`srnlab list --keys` shows every setting).

Examples:
  srnlab run xor                               the lecture's 2-2-1 network, seed 0
  srnlab run xor --set hidden=3 --set learning_rate=0.5
  srnlab run xor --seeds 50 --out runs/xor50   how often does backprop solve XOR?

With --seeds N, replication i uses seed (config seed + i), so any replication can be rerun
alone with --set seed=S; each gets its own folder seed-S/ beside summary.json and
replications.csv. An existing --out folder is never replaced unless you pass --force.
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("recipe", metavar="RECIPE", help=f"one of: {', '.join(RECIPES)}")
    parser.add_argument(
        "--out", type=Path, help="run folder to write (default: runs/RECIPE-DATE-TIME)"
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="change one config field, e.g. --set hidden=3 (repeatable)",
    )
    parser.add_argument(
        "--seeds", type=int, default=1, metavar="N", help="train N replications (default 1)"
    )
    parser.add_argument("--force", action="store_true", help="replace an existing --out folder")
    parser.add_argument("--no-figures", action="store_true", help="skip drawing figures")


def execute(args: argparse.Namespace, out: TextIO) -> int:
    recipe = get_recipe(args.recipe)
    config = apply_overrides(recipe.Config(), args.overrides)
    if args.seeds < 1:
        raise UserError(f"--seeds must be >= 1, got {args.seeds}")
    folder = args.out or Path("runs") / f"{recipe.NAME}-{time.strftime('%Y%m%d-%H%M%S')}"
    folder.parent.mkdir(parents=True, exist_ok=True)

    with StagedFolder(folder, force=args.force) as staging:
        if args.seeds == 1:
            result = recipe.run(config)
            _write_run(recipe, result, staging, not args.no_figures)
            print(recipe.report(result), file=out)
        else:
            results = []
            for i in range(args.seeds):
                seeded = recipe.with_seed(config, config.seed + i)
                _progress(i, args.seeds, seeded.seed)
                result = recipe.run(seeded)
                seed_folder = staging / f"seed-{seeded.seed}"
                seed_folder.mkdir()
                _write_run(recipe, result, seed_folder, not args.no_figures)
                results.append(result)
            _progress(args.seeds, args.seeds, None)
            _write_summary(recipe, results, staging, not args.no_figures)
            print(recipe.report_summary(recipe.summarize(results)), file=out)
    print(f"run folder: {folder}", file=out)
    return 0


def _write_run(recipe: ModuleType, result: RunResult, folder: Path, draw: bool) -> None:
    save_run(result, folder)
    if draw:
        _save_figures(recipe.figures(result), folder / "figures")


def _write_summary(recipe: ModuleType, results: list[RunResult], folder: Path, draw: bool) -> None:
    write_json(folder / "summary.json", recipe.summarize(results))
    write_text(
        folder / "replications.csv", _rows_to_csv([recipe.replication_row(r) for r in results])
    )
    if draw:
        _save_figures(recipe.summary_figures(results), folder / "figures")


def _save_figures(figures: dict[str, Any], folder: Path) -> None:
    from srnlab.plots import save_figure  # matplotlib only when figures are drawn

    folder.mkdir(exist_ok=True)
    for name, figure in figures.items():
        save_figure(figure, folder, name)


def _rows_to_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _progress(done: int, total: int, seed: int | None) -> None:
    """A one-line progress bar on stderr (stdout stays clean for the results)."""
    width = 30
    filled = width * done // total
    label = f"seed {seed}" if seed is not None else "done"
    end = "\n" if done == total else ""
    print(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label:<12}",
        end=end,
        file=sys.stderr,
        flush=True,
    )
