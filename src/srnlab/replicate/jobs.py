"""One replication, wherever it runs: what a job is (``Job``, made by ``plan``), and what a
worker does with it (``run_job``: train, and send the run folder's files back as bytes, its
figures drawn in a private temporary folder; or the error that stopped it)."""

from __future__ import annotations

import contextlib
import io
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from srnlab import timing
from srnlab.config import config_from_dict, config_to_dict
from srnlab.recipe import Recipe
from srnlab.results import RunResult, check_converged, run_files, save_run


class Figures(Protocol):
    """What draws a run folder's figures. ``srnlab.replicate`` says when (a folder's first
    seed, every seed with ``draw_all``, a condition's summary) and where, and never draws
    itself: the drawer comes from the presentation floor (``srnlab.plots.folders``), so the
    results stay free of matplotlib. It travels to the worker processes with the jobs that
    draw, so it must pickle."""

    def run(self, recipe: Any, result: RunResult, folder: Path) -> None:
        """One run's figures, into ``folder/figures``."""

    def summary(self, recipe: Any, results: list[RunResult], folder: Path) -> None:
        """The figures across a condition's replications, into ``folder/figures``."""


@dataclass
class Outcome:
    """What a worker sends back: the run folder's files, or the error that stopped it."""

    files: dict[str, bytes] | None = None
    error: str | None = None
    detail: str | None = None  # the traceback
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # ``srnlab.timing`` phases


_started_jobs = False  # has this process run a job yet? (its start-up is counted once)


def run_job(recipe: Any, config: dict[str, Any], draw: Figures | None) -> Outcome:
    """Run one replication and return its run folder as {relative path: bytes}; ``draw``
    draws its figures (None: none).

    Any exception the recipe raises becomes the Outcome's ``error``: one replication's
    failure is a result, not a crash of the sweep. Anything the recipe prints is dropped
    (recipes do not print; this keeps a Dask worker's or a pool worker's output clean too).
    """
    global _started_jobs

    started = time.perf_counter()
    phases = timing.take()  # what ran before this job is not this job's
    if not _started_jobs and not _serial():
        # A worker's first job: the CPU time it spent starting (interpreter and imports).
        phases = {"start-up": time.process_time()}
    _started_jobs = True
    try:
        # a worker never prints; training (timed inside) is taken out of "analysis"
        with (
            contextlib.redirect_stdout(io.StringIO()),
            quiet_overflow(),
            timing.phase("analysis"),
        ):
            result = recipe.run(config_from_dict(recipe.Config, config))
        files = folder_files(recipe, result, draw)
    except Exception as exc:
        seconds = time.perf_counter() - started
        return Outcome(None, one_line(exc), traceback.format_exc(), seconds, _phases(phases))
    return Outcome(files, None, None, time.perf_counter() - started, _phases(phases))


def _phases(before: dict[str, float]) -> dict[str, float]:
    phases = dict(before)
    timing.add(phases, timing.take())
    return phases


def _serial() -> bool:
    """Is this the main process (a job run in place, ``--jobs 1``)?"""
    import multiprocessing

    return multiprocessing.parent_process() is None


def reference(recipe: Any) -> Any:
    """What a worker gets: the recipe itself. A ``Recipe`` holds module-level functions (and a
    project's or tlearn project's data), so it pickles whole and workers need neither the
    catalogue above this floor nor a shared file system."""
    return recipe


def quiet_overflow() -> Any:
    """NumPy's overflow warnings, off while a recipe trains: a run that diverges is reported
    once, as one line (``results.check_converged``), not as a screenful of warnings. The
    numbers are the same either way."""
    import numpy as np

    return np.errstate(over="ignore", invalid="ignore")


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def write_run(recipe: Recipe, result: RunResult, folder: Path, draw: Figures | None) -> None:
    """The run folder of one result, and its figures if ``draw`` is given."""
    check_converged(result)
    with timing.phase("writing"):
        save_run(result, folder)
    if draw:
        with timing.phase("figures"):
            draw.run(recipe, result, folder)


def folder_files(recipe: Recipe, result: RunResult, draw: Figures | None) -> dict[str, bytes]:
    """What ``write_run`` writes, as {path in the run folder: bytes}; only figures (which
    ``draw`` saves as files) go through a temporary folder."""
    check_converged(result)
    with timing.phase("writing"):
        files = run_files(result)
    if draw:
        with tempfile.TemporaryDirectory(prefix="srnlab-job-") as tmp:
            with timing.phase("figures"):
                draw.run(recipe, result, Path(tmp))
            files.update(
                (path.relative_to(tmp).as_posix(), path.read_bytes())
                for path in sorted(Path(tmp).rglob("*"))
                if path.is_file()
            )
    return files


# ---- the jobs of a condition -------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    folder: Path  # the condition's folder; the replication goes into folder/seed-S
    seed: int
    config: dict[str, Any]  # the replication's resolved config, as JSON
    label: str  # how progress and errors name it
    # the recipe as a worker finds it (``reference``: a built-in's NAME, a project itself);
    # jobs of several recipes can share one pool
    recipe: Any = ""

    @property
    def name(self) -> str:
        return f"seed-{self.seed}"

    def finished(self) -> bool:
        return (self.folder / self.name).is_dir()


def seeds(config: Any, n_seeds: int) -> list[int]:
    """Replication i of a condition uses seed ``config.seed + i``."""
    return [config.seed + i for i in range(n_seeds)]


def plan(recipe: Recipe, config: Any, n_seeds: int, folder: Path, label: str = "") -> list[Job]:
    """One job per seed; ``label`` names the condition in progress lines."""
    prefix = f"{label} " if label else ""
    return [
        Job(
            folder,
            seed,
            config_to_dict(recipe.with_seed(config, seed)),
            f"{prefix}seed {seed}",
            reference(recipe),
        )
        for seed in seeds(config, n_seeds)
    ]
