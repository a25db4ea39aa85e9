"""`srnlab sweep RECIPE --grid key=v1,v2 ... --seeds N`: a grid of conditions, N seeds each."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from srnlab.catalogue import RECIPES, get_recipe
from srnlab.commands.run import (
    add_output_switches,
    add_parallel_options,
    add_set_option,
    check_counts,
    figures_to_draw,
    progress_bar,
    resumable,
    say,
)
from srnlab.config import apply_overrides
from srnlab.executors import Backend
from srnlab.replicate import SweepResult, run_sweep
from srnlab.sweep import expand, manifest, parse_grid, value_text

NAME = "sweep"
HELP = "run a recipe over a grid of settings, several seeds each, with statistics"
DESCRIPTION = f"""\
Run a recipe over the Cartesian product of --grid values, --seeds N replications each, and
write into --out:

  replications.csv  the tidy table: one row per replication, the condition's columns, seed,
                    status (ok/failed), error, success, and every scalar metric (flattened:
                    network.euclidean.consonant_targets)
  summary.csv       per condition and metric: n, mean, SD, 95% CI (t-based; the success rate's
                    is Wilson's), min, max; summary.json the same, with failures
  figures/METRIC    --metric across the conditions (default: success), mean and 95% CI
  CONDITION/        each condition as `srnlab run --seeds N` writes it (seed-S/ folders, ...)

Recipes: {", ".join(RECIPES)} (`srnlab list --keys` shows every setting).

Examples:
  srnlab sweep xor --grid hidden=2,3,4 --grid learning_rate=0.1,0.5 --seeds 20 --out runs/x
  srnlab sweep letters --grid hidden=5,10,20 --seeds 10 --metric network.euclidean.vowel_targets \
      --out runs/l
  srnlab sweep xor --grid hidden=2,3 --seeds 50 --scheduler local --out runs/x50

Replication i of every condition uses seed (config seed + i): each is the same run as
`srnlab run RECIPE --set KEY=VALUE ... --set seed=S`. A list-valued key takes ';' between its
values: --grid 'widths=1,2;1,2,3'.

Nothing lost, nothing recomputed: an interrupted sweep (Ctrl-C, a killed worker, a reboot)
resumes when you rerun the same command: the --out folder's manifest.json records the recipe,
the config and the grid, and every finished replication (a seed-S/ folder appears only when
complete) is kept. A different command on that folder is refused; --force starts it afresh.
A replication that fails is reported on stderr (one line) and in the summaries, the others
go on, and the exit code is 1; rerunning retries only the failed ones. A larger --seeds on the
same folder adds replications.
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("recipe", metavar="RECIPE", help=f"one of: {', '.join(RECIPES)}")
    parser.add_argument(
        "--grid",
        action="append",
        default=[],
        required=True,
        metavar="KEY=V1,V2,...",
        help="a config field and the values to try (repeatable: the grid is their product)",
    )
    parser.add_argument(
        "--seeds", type=int, default=1, metavar="N", help="replications per condition (default 1)"
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="sweep folder (rerun with it to resume)"
    )
    add_set_option(parser, "change a config field for every condition (repeatable)")
    parser.add_argument(
        "--metric",
        help="the metric to plot across conditions (default: success where the recipe has "
        "it, else the recipe's main metric, e.g. rules: the paired difference); a full name "
        "from aggregate.csv or its last part",
    )
    add_output_switches(parser)
    add_parallel_options(parser)


def execute(args: argparse.Namespace, out: TextIO) -> int:
    recipe = get_recipe(args.recipe)
    config = apply_overrides(recipe.default_config(), args.overrides)
    fixed = [item.partition("=")[0].strip() for item in args.overrides]
    grid = parse_grid(type(config), args.grid, fixed)
    check_counts(args, config.seed, _product(grid))
    conditions = expand(config, grid)
    folder: Path = args.out
    wanted = manifest("sweep", recipe.NAME, config, grid)

    def sweep(backend: Backend) -> SweepResult:
        draw = figures_to_draw(args)  # (after the folder's checks: matplotlib loads slowly)
        done = run_sweep(
            recipe,
            grid,
            conditions,
            args.seeds,
            folder,
            metric=args.metric,
            draw=draw,
            draw_all=args.all_figures,
            progress=progress_bar(),
            backend=backend,
            failed=say,
        )
        if draw is not None:  # the chosen metric across the conditions
            draw.sweep(recipe, grid, done, folder)
        return done

    result = resumable(folder, wanted, args, len(conditions) * args.seeds, sweep)
    print(table(result), file=out)
    print(f"sweep folder: {folder}", file=out)
    if result.failures:
        total = len(conditions) * args.seeds
        print(
            f"{result.failures} of {total} replications failed (see summary.json); rerun the "
            "same command to retry them",
            file=out,
        )
        return 1
    return 0


def _product(grid: list[tuple[str, list[Any]]]) -> int:
    count = 1
    for _, values in grid:
        count *= len(values)
    return count


def table(result: SweepResult) -> str:
    """One line per condition: replications finished, and the plotted metric's mean and CI."""
    metric = result.metric
    lines = []
    for condition, entry in zip(result.conditions, result.summary["conditions"], strict=True):
        where = ", ".join(f"{k}={value_text(v)}" for k, v in condition.values.items())
        text = f"{where}: {entry['finished']}/{entry['replications']} finished"
        if metric is not None:
            stats: dict[str, Any] | None
            if metric == "success":
                stats = entry["success"] and {
                    "mean": entry["success"]["rate"],
                    "ci95_low": entry["success"]["ci95_low"],
                    "ci95_high": entry["success"]["ci95_high"],
                }
            else:
                stats = entry["metrics"].get(metric)
            text += f"; {metric} {_estimate(stats)}"
        lines.append(text)
    return "\n".join(lines)


def _estimate(stats: dict[str, Any] | None) -> str:
    if not stats or stats.get("mean") is None:
        return "n/a"
    text = f"{stats['mean']:.4g}"
    if stats.get("ci95_low") is not None:
        text += f" (95% CI {stats['ci95_low']:.4g} to {stats['ci95_high']:.4g})"
    return text
