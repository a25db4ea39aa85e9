"""`srnlab reproduce`: every experiment of the lecture at paper scale, and one report."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from srnlab import compiled, replicate, timing
from srnlab.catalogue import RECIPES
from srnlab.commands.run import add_parallel_options, new_bar, resumable, say
from srnlab.config import apply_overrides
from srnlab.errors import UserError
from srnlab.executors import Backend
from srnlab.fileio import write_json, write_text
from srnlab.recipe import Recipe
from srnlab.replicate import Failure, Replications, load_finished, write_condition
from srnlab.replicate import plan as plan_jobs
from srnlab.replicate import seeds as seeds_of
from srnlab.report import INTRO, Section, html_page, markdown
from srnlab.sweep import difference, manifest, prepare_folder, read_manifest

NAME = "reproduce"
HELP = "run every experiment of the lecture and write a report with the papers' numbers"


def reproducible() -> dict[str, Recipe]:
    """The recipes that take part, in the lecture's order (those with a paper table)."""
    return {name: r for name, r in RECIPES.items() if r.in_report}


_DESCRIPTION = """\
Run every experiment of the lecture at paper scale, each over several seeds, and write

  report.md     the papers' reported numbers beside ours, with every figure (linked)
  report.html   the same as one self-contained page (figures embedded): open it in a browser
  RECIPE/       each experiment's run folders, as `srnlab run RECIPE --seeds N` writes them
                (figures as PNG only; `srnlab show FOLDER/RECIPE --figures` adds the SVGs
                and every seed's figures)

Experiments (seeds at paper scale): {experiments}.

Examples:
  srnlab reproduce --out runs/lecture        everything: about 80 s of CPU, on every core
  srnlab reproduce --quick --out /tmp/smoke  small versions of every experiment: about 15 s of CPU
  srnlab reproduce --only letters,words      some experiments only

Any experiment can be rerun alone with the command its section shows. The --out folder is
written from the start: each replication appears complete or not at all, and each experiment
is kept once finished, so after Ctrl-C or a crash the same command resumes where it stopped,
and running it again on a finished folder reuses it (an experiment whose settings changed is
run again). A folder srnlab did not write, or one of the other scale (--quick or not), is
never replaced unless you pass --force.
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
    # Build every config first, so a bad one fails before anything runs.
    plans = {
        name: Plan(recipe, _config(recipe, args.quick), _seeds(recipe, args.quick), folder / name)
        for name, recipe in chosen.items()
    }
    wanted = manifest("reproduce", NAME, Scale(quick=bool(args.quick)), [])
    timings: dict[str, Any] = {"start-up": started_cpu}

    def work(backend: Backend) -> dict[str, Experiment]:
        timings["compilation"] = timing.take().get("compilation", 0.0)
        say(f"writing into {folder}")
        return run_experiments(plans, backend)

    most = max(p.n_seeds for p in plans.values())
    kernels = compiled.parts_for(p.config for p in plans.values())
    done = resumable(folder, wanted, args, most, work, kernels)
    timing.take()
    sections = []
    for name, plan in plans.items():
        timings[name] = {"seconds": done[name].seconds, "phases": done[name].phases}
        if done[name].done.summary is not None:  # else every replication failed
            sections.append(_section(name, plan.recipe, done[name], args.quick, folder))
    with timing.phase("writing"):
        title = "srnlab: the lecture's simulations, reproduced" + (
            " (quick versions)" if args.quick else ""
        )
        write_text(folder / "report.md", markdown(title, INTRO, sections))
        write_text(folder / "report.html", html_page(title, INTRO, sections, folder))
    timings["report"] = timing.take().get("writing", 0.0)
    LAST_RUN.clear()
    LAST_RUN.update(timings)
    failures = sum(e.failures for e in done.values())
    for section in sections:
        print(f"{section.name}: {section.verdict}", file=out)
    print(f"report: {folder / 'report.html'} and {folder / 'report.md'}", file=out)
    if failures:
        print(f"{failures} replications failed (see each experiment's aggregate.json)", file=out)
        return 1
    return 0


#: The timings of the last ``execute`` in this process (``benchmarks/bench_reproduce.py``):
#: "start-up" and "compilation" seconds, "report" (writing it), and per experiment its
#: "seconds" and "phases" (``srnlab.timing``, summed over the processes that ran it).
LAST_RUN: dict[str, Any] = {}

#: The report embeds PNG figures; the SVGs (a fifth of the drawing time) are drawn on demand
#: by `srnlab show FOLDER --figures`.
DRAW_SVG = False

#: an experiment's record of a finished run, written last (its presence means: complete)
FINISHED = "reproduce.json"

#: Seconds of CPU per seed at paper scale (training, analysis, files; the first seed's figures
#: spread over the seeds), measured with benchmarks/bench_reproduce.py. They only order the
#: work, slowest first, so that the workers finish together instead of one waiting for the
#: last long job, and weight the progress bar's estimate of the time left.
SECONDS_PER_SEED = {
    "xor": 0.04,
    "temporal-xor": 1.2,
    "letters": 0.6,
    "time-as-space": 6.0,
    "words": 0.95,
    "sentences": 4.3,
    "rules": 11.3,
}


#: Seconds of CPU this process spends on an experiment's summary at paper scale (reading its
#: replications back, statistics, summary figures), measured with a timeline of the
#: command on the project's 2-core machine: only their order matters (``job_order``). XOR's
#: is slow because it reads and summarises 100 replications.
SUMMARY_SECONDS = {
    "xor": 3.1,
    "temporal-xor": 0.8,
    "letters": 0.6,
    "time-as-space": 1.2,
    "words": 1.9,
    "sentences": 1.3,
    "rules": 2.3,
}


@dataclass(frozen=True)
class Scale:
    """What a reproduce folder was made with (its manifest): quick or paper scale."""

    quick: bool


@dataclass(frozen=True)
class Plan:
    recipe: Recipe
    config: Any
    n_seeds: int
    folder: Path

    @property
    def cost(self) -> float:
        return SECONDS_PER_SEED.get(self.recipe.NAME, 1.0)


@dataclass
class Experiment:
    done: Replications
    seconds: float  # seconds of work (summed over processes) of the run that made it
    phases: dict[str, float]
    failures: int


def run_experiments(plans: dict[str, Plan], backend: Backend) -> dict[str, Experiment]:
    """Every experiment's replications on one pool, slowest first; each experiment's
    statistics, summary and figures are written here as soon as its last replication is in,
    while the workers go on with the others. An experiment an earlier run finished with the
    same settings is kept as it is; an interrupted one resumes (its finished seeds are kept);
    one whose settings changed since is made again."""
    from srnlab.plots.folders import FolderFigures  # matplotlib only when figures are drawn

    draw = FolderFigures(svg=DRAW_SVG)
    finished: dict[str, Experiment] = {}
    todo: list[Plan] = []
    for name, plan in plans.items():
        kept = _kept(plan)
        if kept is not None:
            finished[name] = kept
        else:
            todo.append(plan)
    by_folder = {plan.folder: plan for plan in todo}
    total = sum(p.cost * p.n_seeds for p in plans.values())
    for k, (name, plan) in enumerate(plans.items(), start=1):
        say(f"[{k}/{len(plans)}] {name} ({plan.n_seeds} seeds): {plan.recipe.SUMMARY}")
    bar = new_bar(total, "reproduce", weighted=True)
    bar.update(sum(plans[n].cost * plans[n].n_seeds for n in finished))
    for name, experiment in finished.items():
        bar.write(f"{name}: {_line(plans[name], experiment, kept=True)}", file=sys.stderr)

    def folder_done(folder: Path, failures: list[Failure], phases: dict[str, float]) -> None:
        plan = by_folder[folder]
        timing.add(phases, timing.take())  # this process's stores of its replications
        done = write_condition(
            plan.recipe, folder, seeds_of(plan.config, plan.n_seeds), failures, draw=draw
        )
        timing.add(phases, timing.take())  # its statistics, summary and figures
        seconds = sum(phases.values())
        if not failures:
            record = {"seeds": plan.n_seeds, "seconds": seconds, "phases": phases}
            write_json(folder / FINISHED, record)
        experiment = Experiment(done, seconds, phases, len(failures))
        finished[plan.recipe.NAME] = experiment
        bar.write(f"{plan.recipe.NAME}: {_line(plan, experiment)}", file=sys.stderr)

    def progress(done: int, total: int, what: str | None) -> None:
        name = (what or "").split(" ")[0]  # a job's label: "EXPERIMENT seed S"
        if name in plans and done:
            bar.update(plans[name].cost)
            bar.set_postfix_str(f"{what} done", refresh=False)

    jobs = []
    for plan in job_order(todo):
        _prepare(plan)
        jobs += plan_jobs(plan.recipe, plan.config, plan.n_seeds, plan.folder, plan.recipe.NAME)
    try:
        timing.take()
        replicate.execute(
            None, jobs, backend, draw=draw, progress=progress, failed=say, folder_done=folder_done
        )
    finally:
        bar.close()
    return finished


def job_order(plans: list[Plan]) -> list[Plan]:
    """The order the experiments' replications are handed to the workers: slowest seeds
    first, so that the workers finish together instead of one waiting for the last long
    job; except the experiment whose summary is quickest, which goes last. An experiment's
    summary (its statistics and figures, in this process) starts when its last replication
    is in: the last experiment's runs alone at the end, while the workers wait, every
    other one while they work on."""
    order = sorted(plans, key=lambda p: -p.cost)
    if len(order) > 1:
        last = min(order, key=lambda p: SUMMARY_SECONDS.get(p.recipe.NAME, 1.0))
        order.remove(last)
        order.append(last)
    return order


def _prepare(plan: Plan) -> None:
    """Make an experiment's folder ready: kept if it holds these settings (its finished seeds
    are reused), made again if it holds other settings (ours, from an earlier version)."""
    wanted = manifest("replications", plan.recipe.NAME, plan.config, [])
    found = read_manifest(plan.folder)
    if found is not None and difference(found, wanted) is None:
        mode = "resume"
    elif plan.folder.exists():
        mode = "replace"
        say(f"{plan.recipe.NAME}: its settings changed since the earlier run; running it again")
    else:
        mode = "new"
    prepare_folder(plan.folder, wanted, mode)
    (plan.folder / FINISHED).unlink(missing_ok=True)


def _kept(plan: Plan) -> Experiment | None:
    """An experiment an earlier run finished with these settings: read back, nothing is run
    or written again. None if there is none."""
    record = read_json_or_none(plan.folder / FINISHED)
    found = read_manifest(plan.folder)
    wanted = manifest("replications", plan.recipe.NAME, plan.config, [])
    if not isinstance(record, dict) or record.get("seeds") != plan.n_seeds:
        return None
    if found is None or difference(found, wanted) is not None:
        return None
    results = load_finished(plan.folder, seeds_of(plan.config, plan.n_seeds))
    if len(results) != plan.n_seeds:
        return None
    done = Replications(results, plan.recipe.summarize(results))
    return Experiment(done, float(record.get("seconds", 0.0)), {}, 0)


def _line(plan: Plan, experiment: Experiment, kept: bool = False) -> str:
    """One line for the terminal: what ran and how long it took."""
    if kept:
        return f"{plan.n_seeds} seeds kept from an earlier run ({experiment.seconds:.1f} s then)"
    failed = f", {experiment.failures} FAILED" if experiment.failures else ""
    return f"{plan.n_seeds} seeds in {experiment.seconds:.1f} s of work{failed}"


def _section(name: str, recipe: Recipe, outcome: Experiment, quick: bool, root: Path) -> Section:
    done = outcome.done
    assert done.summary is not None
    assert recipe.report_verdict is not None and recipe.paper_table is not None  # in_report
    return Section(
        name=name,
        title=f"{name}: {recipe.SUMMARY}",
        command=_command(name, _seeds(recipe, quick), quick, recipe),
        summary=recipe.report_summary(done.summary),
        claim=recipe.CLAIM,
        verdict=recipe.report_verdict(done.summary),
        lead=recipe.REPORT_FIGURE,
        table=recipe.paper_table(done.results),
        figures=_figures(root / name, root, done.results[0].config["seed"]),
        seconds=outcome.seconds,
    )


def _seeds(recipe: Recipe, quick: bool) -> int:
    return 2 if quick else int(recipe.REPRODUCE_SEEDS)


def read_json_or_none(path: Path) -> Any:
    """A JSON file we wrote, or None if it is missing or unreadable (then it is redone)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _chosen(only: str | None) -> dict[str, Recipe]:
    available = reproducible()
    if only is None:
        return available
    names = [n.strip() for n in only.split(",") if n.strip()]
    unknown = [n for n in names if n not in available]
    if unknown or not names:
        wrong = ", ".join(unknown) or "(none)"
        raise UserError(f"--only: unknown experiment {wrong}; valid: {', '.join(available)}")
    return {n: available[n] for n in available if n in names}


def _config(recipe: Recipe, quick: bool) -> object:
    if not quick:
        return recipe.Config()
    return apply_overrides(recipe.Config(), [f"{k}={v}" for k, v in _quick_items(recipe)])


def _quick_items(recipe: Recipe) -> list[tuple[str, str]]:
    return [
        (k, ",".join(map(str, v)) if isinstance(v, tuple | list) else str(v))
        for k, v in recipe.QUICK.items()
    ]


def _command(name: str, n_seeds: int, quick: bool, recipe: Recipe) -> str:
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
