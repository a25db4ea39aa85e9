"""`srnlab reproduce`: every experiment of the lecture at paper scale, and one report."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

from srnlab import timing
from srnlab.commands.run import (
    add_parallel_options,
    feed,
    new_bar,
    resumable,
    say,
)
from srnlab.config import apply_overrides
from srnlab.errors import UserError
from srnlab.executors import Backend
from srnlab.fileio import write_json, write_text
from srnlab.recipes import RECIPES
from srnlab.replicate import Progress, Replications, load_finished, run_replications
from srnlab.replicate import seeds as seeds_of
from srnlab.report import Section, html_page, markdown
from srnlab.sweep import difference, manifest, prepare_folder, read_manifest

NAME = "reproduce"
HELP = "run every experiment of the lecture and write a report with the papers' numbers"


def reproducible() -> dict[str, ModuleType]:
    """The recipes that take part, in the lecture's order (those with a paper table)."""
    return {name: r for name, r in RECIPES.items() if hasattr(r, "paper_table")}


_DESCRIPTION = """\
Run every experiment of the lecture at paper scale, each over several seeds, and write

  report.md     the papers' reported numbers beside ours, with every figure (linked)
  report.html   the same as one self-contained page (figures embedded): open it in a browser
  RECIPE/       each experiment's run folders, as `srnlab run RECIPE --seeds N` writes them

Experiments (seeds at paper scale): {experiments}.

Examples:
  srnlab reproduce --out runs/lecture        everything, a few minutes
  srnlab reproduce --quick --out /tmp/smoke  small versions of every experiment, seconds
  srnlab reproduce --only letters,words      some experiments only

Any experiment can be rerun alone with the command its section shows. An existing --out folder
is never replaced unless you pass --force; an interrupted run leaves nothing half-written.
"""


def __getattr__(name: str) -> str:
    """DESCRIPTION names every experiment's seed count, so it imports the recipes: only when
    `srnlab reproduce --help` (or the parser of this command) asks for it."""
    if name == "DESCRIPTION":
        listed = ", ".join(f"{n} ({r.REPRODUCE_SEEDS})" for n, r in reproducible().items())
        return _DESCRIPTION.format(experiments=listed)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    started_cpu = time.process_time()  # what this process spent starting: imports, parsing
    chosen = _chosen(args.only)
    folder = args.out or Path("runs") / f"reproduce-{time.strftime('%Y%m%d-%H%M%S')}"
    folder.parent.mkdir(parents=True, exist_ok=True)
    # Build every config first, so a bad one fails before anything runs.
    configs = {name: _config(recipe, args.quick) for name, recipe in chosen.items()}
    seeds = {name: _seeds(recipe, args.quick) for name, recipe in chosen.items()}
    wanted = manifest("reproduce", NAME, Scale(quick=bool(args.quick)), [])
    timings: dict[str, Any] = {"start-up": started_cpu}
    sections: list[Section] = []
    failures = 0

    def work(backend: Backend) -> None:
        nonlocal failures
        timings["compilation"] = timing.take().get("compilation", 0.0)
        say(f"writing into {folder}")
        bar = new_bar(sum(seeds.values()), "reproduce")
        try:
            for k, (name, recipe) in enumerate(chosen.items(), start=1):
                bar.write(f"[{k}/{len(chosen)}] {name}: {recipe.SUMMARY}", file=sys.stderr)
                outcome = _experiment(
                    recipe, configs[name], seeds[name], folder / name, backend, feed(bar)
                )
                timings[name] = {"seconds": outcome.seconds, "phases": outcome.phases}
                bar.write(f"      {outcome.line}", file=sys.stderr)
                failures += outcome.failures
                if outcome.done.summary is None:  # every replication failed: nothing to report
                    continue
                sections.append(_section(name, recipe, outcome, args.quick, folder))
        finally:
            bar.close()

    resumable(folder, wanted, args, max(seeds.values()), work)
    timing.take()
    with timing.phase("writing"):
        title = "srnlab: the lecture's simulations, reproduced" + (
            " (quick versions)" if args.quick else ""
        )
        intro = (
            "Each experiment ran over several seeds; the tables put each number the papers "
            "report (or read off their figures) beside the mean over our seeds, with its SD and "
            "range. 'paper' cells come from ../shared/elman1990.md and the lecture."
        )
        write_text(folder / "report.md", markdown(title, intro, sections))
        write_text(folder / "report.html", html_page(title, intro, sections, folder))
    timings["report"] = timing.take().get("writing", 0.0)
    LAST_RUN.clear()
    LAST_RUN.update(timings)
    for section in sections:
        print(f"{section.name}: {section.summary}", file=out)
    print(f"report: {folder / 'report.html'} and {folder / 'report.md'}", file=out)
    if failures:
        print(f"{failures} replications failed (see each experiment's aggregate.json)", file=out)
        return 1
    return 0


#: The timings of the last ``execute`` in this process (``benchmarks/bench_reproduce.py``):
#: "start-up" and "compilation" seconds, "report" (writing it), and per experiment its wall
#: "seconds" and "phases" (``srnlab.timing``, summed over the processes that ran it).
LAST_RUN: dict[str, Any] = {}

#: an experiment's record of a finished run, written last (its presence means: complete)
FINISHED = "reproduce.json"


@dataclass(frozen=True)
class Scale:
    """What a reproduce folder was made with (its manifest): quick or paper scale."""

    quick: bool


@dataclass
class Experiment:
    done: Replications
    seconds: float  # wall time of the run that made it
    phases: dict[str, float]
    failures: int
    line: str  # one line for the terminal: what ran, how long


def _experiment(
    recipe: ModuleType,
    config: object,
    n_seeds: int,
    folder: Path,
    backend: Backend,
    progress: Progress,
) -> Experiment:
    """One experiment into ``folder``: kept as it is if an earlier run finished it with these
    settings; resumed (finished seeds kept) if one was interrupted; made again (refreshed) if
    its settings changed since."""
    wanted = manifest("replications", recipe.NAME, config, [])
    record = read_json_or_none(folder / FINISHED)
    found = read_manifest(folder)
    if found is not None and difference(found, wanted) is None:
        if record is not None and record.get("seeds") == n_seeds:
            return _kept(recipe, config, n_seeds, folder, record, progress)
        mode = "resume"
    elif folder.exists():
        mode = "replace"  # our own folder, made with other settings: refresh it
    else:
        mode = "new"
    prepare_folder(folder, wanted, mode)
    (folder / FINISHED).unlink(missing_ok=True)
    started = time.perf_counter()
    timing.take()
    phases: dict[str, float] = {}
    done = run_replications(
        recipe, config, n_seeds, folder, progress=progress, backend=backend, failed=say,
        phases=phases,
    )  # fmt: skip
    timing.add(phases, timing.take())  # this process's share: summaries, figures, files
    seconds = time.perf_counter() - started
    if not done.failures:
        write_json(folder / FINISHED, {"seeds": n_seeds, "seconds": seconds, "phases": phases})
    resumed = " (resumed)" if mode == "resume" else " (refreshed)" if mode == "replace" else ""
    line = f"{n_seeds} seeds in {seconds:.1f} s{resumed}"
    return Experiment(done, seconds, phases, len(done.failures), line)


def _kept(
    recipe: ModuleType,
    config: object,
    n_seeds: int,
    folder: Path,
    record: dict[str, Any],
    progress: Progress,
) -> Experiment:
    """An experiment an earlier run finished: read back, nothing run or written again."""
    results = load_finished(folder, seeds_of(config, n_seeds))
    progress(len(results), n_seeds, "kept")
    done = Replications(results, recipe.summarize(results))
    seconds = float(record.get("seconds", 0.0))
    line = f"{n_seeds} seeds: kept from an earlier run ({seconds:.1f} s then)"
    return Experiment(done, seconds, {}, 0, line)


def _section(
    name: str, recipe: ModuleType, outcome: Experiment, quick: bool, root: Path
) -> Section:
    done = outcome.done
    return Section(
        name=name,
        title=f"{name}: {recipe.SUMMARY}",
        command=_command(name, _seeds(recipe, quick), quick, recipe),
        summary=recipe.report_summary(done.summary),
        table=recipe.paper_table(done.results),
        figures=_figures(root / name, root, done.results[0].config["seed"]),
        seconds=outcome.seconds,
    )


def _seeds(recipe: ModuleType, quick: bool) -> int:
    return 2 if quick else int(recipe.REPRODUCE_SEEDS)


def read_json_or_none(path: Path) -> Any:
    """A JSON file we wrote, or None if it is missing or unreadable (then it is redone)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


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
