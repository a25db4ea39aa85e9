"""`srnlab reproduce`: every experiment of the lecture at paper scale, and one report."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import TextIO

from srnlab.commands.run import add_parallel_options, progress_bar, say
from srnlab.config import apply_overrides
from srnlab.errors import UserError
from srnlab.executors import make_backend, running
from srnlab.fileio import StagedFolder, write_text
from srnlab.recipes import RECIPES
from srnlab.replicate import run_replications
from srnlab.report import Section, html_page, markdown

NAME = "reproduce"
HELP = "run every experiment of the lecture and write a report with the papers' numbers"


def reproducible() -> dict[str, ModuleType]:
    """The recipes that take part, in the lecture's order (those with a paper table)."""
    return {name: r for name, r in RECIPES.items() if hasattr(r, "paper_table")}


DESCRIPTION = f"""\
Run every experiment of the lecture at paper scale, each over several seeds, and write

  report.md     the papers' reported numbers beside ours, with every figure (linked)
  report.html   the same as one self-contained page (figures embedded): open it in a browser
  RECIPE/       each experiment's run folders, as `srnlab run RECIPE --seeds N` writes them

Experiments (seeds at paper scale): {
    ", ".join(f"{n} ({r.REPRODUCE_SEEDS})" for n, r in reproducible().items())
}.

Examples:
  srnlab reproduce --out runs/lecture        everything, a few minutes
  srnlab reproduce --quick --out /tmp/smoke  small versions of every experiment, seconds
  srnlab reproduce --only letters,words      some experiments only

Any experiment can be rerun alone with the command its section shows. An existing --out folder
is never replaced unless you pass --force; an interrupted run leaves nothing half-written.
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, help="folder to write (default: runs/reproduce-DATE-TIME)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="small versions of every experiment (a smoke test)"
    )
    parser.add_argument(
        "--only", metavar="NAMES", help="comma-separated experiments to run (default: all)"
    )
    parser.add_argument("--force", action="store_true", help="replace an existing --out folder")
    add_parallel_options(parser)


def execute(args: argparse.Namespace, out: TextIO) -> int:
    chosen = _chosen(args.only)
    folder = args.out or Path("runs") / f"reproduce-{time.strftime('%Y%m%d-%H%M%S')}"
    # Build every config first, so a bad one fails before anything runs.
    configs = {name: _config(recipe, args.quick) for name, recipe in chosen.items()}
    sections = []
    failures = 0
    n_tasks = max(2 if args.quick else r.REPRODUCE_SEEDS for r in chosen.values())
    backend = make_backend(args.jobs, args.scheduler, n_tasks, notice=say)
    folder.parent.mkdir(parents=True, exist_ok=True)  # only once the options are known good
    with StagedFolder(folder, force=args.force) as staging, running(backend):
        for k, (name, recipe) in enumerate(chosen.items(), start=1):
            n_seeds = 2 if args.quick else recipe.REPRODUCE_SEEDS
            print(f"[{k}/{len(chosen)}] {name}: {recipe.SUMMARY}", file=sys.stderr, flush=True)
            started = time.perf_counter()
            recipe_folder = staging / name
            recipe_folder.mkdir()
            done = run_replications(
                recipe,
                configs[name],
                n_seeds,
                recipe_folder,
                progress=_indented,
                backend=backend,
                failed=say,
            )
            failures += len(done.failures)
            if done.summary is None:  # every replication failed: nothing to report
                continue
            sections.append(
                Section(
                    name=name,
                    title=f"{name}: {recipe.SUMMARY}",
                    command=_command(name, n_seeds, args.quick, recipe),
                    summary=recipe.report_summary(done.summary),
                    table=recipe.paper_table(done.results),
                    figures=_figures(recipe_folder, staging, done.results[0].config["seed"]),
                    seconds=time.perf_counter() - started,
                )
            )
        title = "srnlab: the lecture's simulations, reproduced" + (
            " (quick versions)" if args.quick else ""
        )
        intro = (
            "Each experiment ran over several seeds; the tables put each number the papers "
            "report (or read off their figures) beside the mean over our seeds, with its SD and "
            "range. 'paper' cells come from ../shared/elman1990.md and the lecture."
        )
        write_text(staging / "report.md", markdown(title, intro, sections))
        write_text(staging / "report.html", html_page(title, intro, sections, staging))
    for section in sections:
        print(f"{section.name}: {section.summary}", file=out)
    print(f"report: {folder / 'report.html'} and {folder / 'report.md'}", file=out)
    if failures:
        print(f"{failures} replications failed (see each experiment's aggregate.json)", file=out)
        return 1
    return 0


def _chosen(only: str | None) -> dict[str, ModuleType]:
    available = reproducible()
    if only is None:
        return available
    names = [n.strip() for n in only.split(",") if n.strip()]
    unknown = [n for n in names if n not in available]
    if unknown or not names:
        wrong = ", ".join(unknown) or "(none)"
        raise UserError(f"--only: unknown experiment {wrong}; valid: {', '.join(available)}")
    return {n: available[n] for n in available if n in names}


def _config(recipe: ModuleType, quick: bool) -> object:
    if not quick:
        return recipe.Config()
    return apply_overrides(recipe.Config(), [f"{k}={v}" for k, v in _quick_items(recipe)])


def _quick_items(recipe: ModuleType) -> list[tuple[str, str]]:
    return [
        (k, ",".join(map(str, v)) if isinstance(v, tuple | list) else str(v))
        for k, v in recipe.QUICK.items()
    ]


def _command(name: str, n_seeds: int, quick: bool, recipe: ModuleType) -> str:
    sets = "".join(f" --set {k}={v}" for k, v in _quick_items(recipe)) if quick else ""
    return f"srnlab run {name} --seeds {n_seeds}{sets}"


def _figures(recipe_folder: Path, root: Path, first_seed: int) -> list[tuple[str, Path]]:
    """The across-seeds figures, then the first seed's, as (caption, PNG path under root)."""
    figures = []
    for where, label in (
        (recipe_folder / "figures", "all seeds"),
        (recipe_folder / f"seed-{first_seed}" / "figures", f"seed {first_seed}"),
    ):
        for png in sorted(where.glob("*.png")):
            figures.append((f"{png.stem.replace('_', ' ')} ({label})", png.relative_to(root)))
    return figures


def _indented(done: int, total: int, what: str | None) -> None:
    progress_bar(done, total, what, label="    ")
