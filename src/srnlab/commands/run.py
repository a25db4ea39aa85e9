"""`srnlab run RECIPE`: train, measure, and write a run folder (or one per seed)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from srnlab.catalogue import RECIPES, get_recipe
from srnlab.config import MAX_WHOLE, apply_overrides
from srnlab.errors import UserError
from srnlab.executors import Backend, make_backend, running
from srnlab.fileio import StagedFolder, check_parent_chain, make_parent, writing
from srnlab.replicate import WORKER_IMPORTS, Interrupted, Progress, run_replications
from srnlab.sweep import discard_if_empty, inspect_folder, manifest, prepare_folder

if TYPE_CHECKING:
    from srnlab.plots.folders import FolderFigures

T = TypeVar("T")

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
A tlearn project runs as a recipe: `srnlab run PROJECT.cf` (PROJECT.data and PROJECT.teach
beside it), with tlearn's options as --set keys (sweeps, learning_rate, momentum, ...) and
--weights FILE.wts to start from a tlearn weights file.

Examples:
  srnlab run xor                               the lecture's 2-2-1 network, seed 0
  srnlab run xor --set hidden=3 --set learning_rate=0.5
  srnlab run xor --seeds 50 --out runs/xor50   how often does backprop solve XOR?

With --seeds N, replication i uses seed (config seed + i), so any replication can be rerun
alone with --set seed=S, and gives the same numbers whether it ran alone, in parallel or on a
cluster. The replications run in worker processes (--jobs, default: every core; --jobs 1 runs
them here; --scheduler runs them on Dask), each into its own folder seed-S/ (figures for the
first seed only, every seed's with --all-figures), beside
  aggregate.json/.csv  every numeric metric's n, mean, SD and 95% CI (t-based), success rate
  metrics.csv          one row per replication, every metric
  summary.json         the recipe's summary; replications.csv its columns per replication
  figures/             the recipe's summary figures and learning curves (mean, 95% band)

An existing --out folder is never replaced unless you pass --force, except that an interrupted
or failed --seeds N run resumes: rerun the same command (same --out) and the replications
already finished are kept, not recomputed. A replication that fails is reported on stderr (one
line) and in aggregate.json, the others go on, and the exit code is 1.
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "recipe", metavar="RECIPE", help=f"one of: {', '.join(RECIPES)}; or a tlearn PROJECT.cf"
    )
    parser.add_argument(
        "--weights", metavar="FILE.wts", help="tlearn projects only: start from these weights"
    )
    parser.add_argument(
        "--out", type=Path, help="run folder to write (default: runs/RECIPE-DATE-TIME)"
    )
    add_set_option(parser, "change one config field, e.g. --set hidden=3 (repeatable)")
    parser.add_argument(
        "--seeds", type=int, default=1, metavar="N", help="train N replications (default 1)"
    )
    add_output_switches(parser)
    add_parallel_options(parser)


def add_set_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    """--set KEY=VALUE (repeatable), collected in ``args.overrides``."""
    parser.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
        help=help_text,
    )  # fmt: skip


def add_output_switches(parser: argparse.ArgumentParser) -> None:
    """--force, --no-figures and --all-figures, as every command that writes run folders has
    them."""
    parser.add_argument("--force", action="store_true", help="replace an existing --out folder")
    figures = parser.add_mutually_exclusive_group()
    figures.add_argument("--no-figures", action="store_true", help="skip drawing figures")
    figures.add_argument(
        "--all-figures",
        action="store_true",
        help="with several seeds, draw every seed's figures (default: the first seed's and "
        "the summaries; `srnlab show FOLDER --figures` draws the rest later)",
    )


def figures_to_draw(args: argparse.Namespace) -> FolderFigures | None:
    """What draws the figures of the run folders (none with --no-figures): the presentation
    floor's drawer, handed down to ``srnlab.replicate``, which never draws itself."""
    if args.no_figures:
        return None
    from srnlab.plots.folders import FolderFigures  # matplotlib only when figures are drawn

    return FolderFigures()


def add_parallel_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs",
        type=int,
        metavar="J",
        help="worker processes for the replications (default: every core; 1: in this process)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the replications on Dask: a scheduler address (tcp://host:8786), or 'local' "
        "for a local cluster of --jobs worker processes (needs srnlab[cluster])",
    )


def execute(args: argparse.Namespace, out: TextIO) -> int:
    recipe = get_recipe(args.recipe)
    config = apply_overrides(recipe.default_config(), args.overrides)
    if args.weights is not None:
        if getattr(recipe, "with_weights", None) is None:
            raise UserError(
                f"--weights FILE.wts is for tlearn projects (PROJECT.cf), not {recipe.NAME}"
            )
        config = recipe.with_weights(config, args.weights)
    check_counts(args, config.seed)
    if args.seeds == 1 and args.scheduler is not None:
        raise UserError("--scheduler runs replications: give --seeds N (N >= 2) as well")
    label = getattr(recipe, "LABEL", recipe.NAME)  # a project's name, without its digest
    folder = args.out or Path("runs") / f"{label}-{time.strftime('%Y%m%d-%H%M%S')}"
    if args.seeds == 1:
        make_parent(folder)
        with StagedFolder(folder, force=args.force) as staging:
            done = run_replications(recipe, config, 1, staging, draw=figures_to_draw(args))
            print(recipe.report(done.results[0]), file=out)
        print(f"run folder: {folder}", file=out)
        return 0

    wanted = manifest("replications", recipe.NAME, config, [])
    done = resumable(
        folder,
        wanted,
        args,
        args.seeds,
        lambda backend: run_replications(
            recipe,
            config,
            args.seeds,
            folder,
            draw=figures_to_draw(args),
            draw_all=args.all_figures,
            progress=progress_bar(),
            backend=backend,
            failed=say,
        ),
    )
    if done.summary is not None:
        print(recipe.report_summary(done.summary), file=out)
    print(f"run folder: {folder}", file=out)
    if done.failures:
        print(
            f"{len(done.failures)} of {args.seeds} replications failed (see aggregate.json); "
            "rerun the same command to retry them",
            file=out,
        )
        return 1
    return 0


def resumable(
    folder: Path,
    wanted: dict[str, Any],
    args: argparse.Namespace,
    n_tasks: int,
    work: Callable[[Backend], T],
    kernels: Collection[str] | None = None,
) -> T:
    """Run ``work`` into a folder that resumes: the folder is checked against ``wanted``
    (its manifest) before any worker starts, prepared (kept, made or replaced), and a Ctrl-C
    says how to resume instead of printing a traceback. The compiled ``kernels`` (parts;
    default: all) are made ready first."""
    # seeds per condition, as the manifest records them (reproduce's experiments each
    # have their own, in their own folders)
    n_seeds = getattr(args, "seeds", None)
    check_parent_chain(folder)
    # a folder whose parent does not exist yet is new; the parent is made once every check
    # (the backend's too) has passed, so a refused command leaves nothing behind
    exists = folder.parent.is_dir()
    mode = inspect_folder(folder, wanted, args.force, n_seeds) if exists else "new"
    backend = make_backend(args.jobs, args.scheduler, n_tasks, notice=say, preload=WORKER_IMPORTS)
    try:
        with running(backend), writing(folder):
            make_parent(folder)
            prepare_kernels(kernels)  # after every check, before the workers start
            prepare_folder(folder, wanted, mode, n_seeds)
            if mode == "resume":
                say(f"resuming {folder}")
            return work(backend)
    except KeyboardInterrupt:
        raise Interrupted(folder) from None
    except UserError:
        if mode != "resume":
            discard_if_empty(folder)  # a folder this command made, with nothing finished in it
        raise


def prepare_kernels(parts: Collection[str] | None = None) -> None:
    """Compile the kernels of ``parts`` (default: every kernel; ``compiled.parts_for`` says
    which some configs need) or load them from the disk cache, here, before any worker
    starts, so that the workers load them instead of each compiling the same ones (timed as
    the "compilation" phase of ``srnlab.timing``). A cold cache is filled by one process per
    core, each compiling its share of the parts."""
    from srnlab import compiled, timing
    from srnlab.executors import available_cores

    cold = not compiled.probably_cached()
    if cold:
        say("compiling the numerical kernels (once: later runs load them from the cache)")
    before = timing.take()
    ready = compiled.warm_up(
        compiled.PARTS if parts is None else parts, available_cores() if cold else 1
    )
    timing.take()  # the warm-up's training of tiny nets: compiling, not training
    for name, seconds in [*before.items(), ("compilation", ready.seconds)]:
        timing.count(name, seconds)
    if ready.compiled:
        say(f"compiled the kernels in {ready.seconds:.1f} s; later runs load them from the cache")


#: The most replications one command runs (seeds times conditions), and the most worker
#: processes per core: beyond them a run is a typo, not a plan (each worker holds ~0.2 GB).
MAX_REPLICATIONS = 100_000
MAX_JOBS_PER_CORE = 4


def check_counts(args: argparse.Namespace, seed: int = 0, conditions: int = 1) -> None:
    """--seeds and --jobs are whole numbers >= 1 (--jobs may be left out: every core), the
    replications' seeds stay valid seeds, and their number is within MAX_REPLICATIONS."""
    from srnlab.executors import available_cores

    if args.seeds < 1:
        raise UserError(f"--seeds must be >= 1, got {args.seeds}")
    if args.seeds * conditions > MAX_REPLICATIONS:
        raise UserError(
            f"{args.seeds * conditions:,} replications ({conditions} conditions x --seeds "
            f"{args.seeds}); the limit is {MAX_REPLICATIONS:,}"
        )
    if seed + args.seeds - 1 > MAX_WHOLE:
        raise UserError(f"seed {seed} + --seeds {args.seeds} goes past the last seed, {MAX_WHOLE}")
    most = MAX_JOBS_PER_CORE * available_cores()
    if args.jobs is not None and args.jobs < 1:
        raise UserError(f"--jobs must be >= 1, got {args.jobs}")
    if args.jobs is not None and args.jobs > most and args.scheduler in (None, "local"):
        raise UserError(f"--jobs must be at most {most} on this machine, got {args.jobs}")


def say(line: str) -> None:
    """One line on stderr (stdout stays clean for the results), above any progress bar."""
    from tqdm import tqdm

    tqdm.write(f"srnlab: {line}", file=sys.stderr)
    sys.stderr.flush()


def new_bar(total: float, desc: str, weighted: bool = False) -> Any:
    """A tqdm bar on stderr with the time left; off when stderr is not a terminal (a log
    file gets the lines the commands print instead of a bar redrawn in place). A ``weighted``
    bar counts estimated seconds of work, not replications: it shows a percentage."""
    from tqdm import tqdm

    class Bar(tqdm):
        # no monitor thread: bars here are moved on by hand, and a thread in this process
        # would keep the workers from being forked (executors.start_method)
        monitor_interval = 0

    layout = "{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining}{postfix}"
    return Bar(
        total=total,
        desc=desc,
        unit="run",
        file=sys.stderr,
        disable=None,
        smoothing=0.1,
        bar_format=layout if weighted else None,
    )


def feed(bar: Any) -> Progress:
    """A ``replicate.Progress`` callback that moves ``bar`` on by the replications that finish
    (several folders could feed one bar)."""
    counted = 0

    def progress(done: int, total: int, what: str | None) -> None:
        nonlocal counted
        bar.update(done - counted)
        counted = done
        if what:
            bar.set_postfix_str(what, refresh=False)

    return progress


def progress_bar(desc: str = "") -> Progress:
    """The progress of one ``run --seeds N`` or sweep: a bar on a terminal; in a log file its
    first note (what is resumed, how many workers) and a line at the end."""
    bar: Any = None
    moved: Progress | None = None

    def progress(done: int, total: int, what: str | None) -> None:
        nonlocal bar, moved
        if bar is None:
            bar = new_bar(total, desc)
            moved = feed(bar)
            if bar.disable and what:
                say(f"{done}/{total} {what}")
        assert moved is not None
        moved(done, total, what)
        if done >= total:
            drawn = not bar.disable  # (closing a bar disables it)
            bar.close()
            if not drawn:
                say(f"{done}/{total} finished")

    return progress
