"""`srnlab run RECIPE`: train, measure, and write a run folder (or one per seed)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

from srnlab.config import apply_overrides
from srnlab.errors import UserError
from srnlab.fileio import StagedFolder
from srnlab.recipes import RECIPES, get_recipe
from srnlab.replicate import run_replications

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
        done = run_replications(
            recipe, config, args.seeds, staging, draw=not args.no_figures, progress=progress_bar
        )
        if done.summary is None:
            print(recipe.report(done.results[0]), file=out)
        else:
            print(recipe.report_summary(done.summary), file=out)
    print(f"run folder: {folder}", file=out)
    return 0


def progress_bar(done: int, total: int, seed: int | None, label: str = "") -> None:
    """Progress on stderr (stdout stays clean for the results): a bar redrawn in place on a
    terminal; in a log file, one line per tenth of the way."""
    stream = sys.stderr
    what = f"seed {seed}" if seed is not None else "done"
    text = f"{label}{done}/{total} {what}"
    if not stream.isatty():
        if done == total or done * 10 // total != (done - 1) * 10 // total or done == 0:
            print(text, file=stream, flush=True)
        return
    width = 30
    filled = width * done // total
    end = "\n" if done == total else ""
    print(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {text:<40}", end=end, file=stream, flush=True
    )
