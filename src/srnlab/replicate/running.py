"""Running many jobs on a backend (this process, worker processes, Dask) and storing each
as it finishes: ``execute``. A job that raises is a ``Failure`` reported to a callback, not a
crash; it leaves no folder, so the next rerun tries it again."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from srnlab import timing
from srnlab.executors import Backend, SerialBackend
from srnlab.recipe import Recipe
from srnlab.replicate.jobs import Figures, Job, Outcome, one_line, reference, run_job
from srnlab.replicate.storage import remove_partials, store

#: progress(done, total, what just finished, or a note; None for none)
Progress = Callable[[int, int, str | None], None]
#: failed(one line naming the replication and its error)
Failed = Callable[[str], None]


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during replications: what was finished is kept in ``folder``."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder


@dataclass
class Failure:
    seed: int
    error: str
    detail: str | None = None


#: What replications import that the main process may not have loaded by the time its
#: workers start (it has the recipes, the compiled kernels and, when figures are drawn,
#: matplotlib): SciPy's statistics, about 2 s of CPU to import. Forked workers get them from
#: the main process (``executors.ProcessBackend``'s ``preload``) instead of each importing them.
WORKER_IMPORTS = ("scipy.stats",)

#: folder_done(folder, its failures in this attempt, its jobs' timing phases)
FolderDone = Callable[[Path, list[Failure], dict[str, float]], None]


def execute(
    recipe: Recipe | None,
    jobs: Sequence[Job],
    backend: Backend | None = None,
    *,
    draw: Figures | None = None,
    draw_all: bool = False,
    progress: Progress | None = None,
    failed: Failed | None = None,
    phases: dict[str, float] | None = None,
    folder_done: FolderDone | None = None,
) -> dict[tuple[Path, int], Failure]:
    """Run every job whose folder does not exist yet; store each as it finishes. Returns the
    failures of this attempt, keyed by (folder, seed). Jobs run in the order given, each as
    its own recipe (``job.recipe``, else ``recipe``'s), so one pool can serve the jobs of
    several folders and recipes; ``folder_done`` is called (in this process, while the
    workers go on) as soon as every job of a folder has finished.

    With ``draw``, the first seed of each folder draws its figures (those a report shows),
    every seed with ``draw_all`` too: drawing is most of a replication's time, and
    ``srnlab show FOLDER --figures`` draws the others from the saved numbers when wanted.
    ``phases`` (if given) gets the jobs' ``srnlab.timing`` phases added to it."""
    backend = backend or SerialBackend()
    todo = [job for job in jobs if not job.finished()]
    total, done = len(jobs), len(jobs) - len(todo)
    for folder in {job.folder for job in todo}:
        remove_partials(folder)
    if progress is not None:
        progress(done, total, _start_note(done, total, backend.workers))
    by_key = {(job.folder, job.seed): job for job in todo}
    first = _first_seeds(jobs)
    tasks = [
        (
            key,
            run_job,
            (job.recipe or _name(recipe), job.config, _drawer(job, first, draw, draw_all)),
        )
        for key, job in by_key.items()
    ]
    tally = _Tally(jobs, todo)
    if folder_done is not None:
        for folder in tally.empty():
            folder_done(folder, [], {})
    failures: dict[tuple[Path, int], Failure] = {}
    for key, value, error in backend.run(tasks):
        job = by_key[key]
        outcome = value if error is None else Outcome(None, one_line(error), _trace(error))
        if phases is not None:
            timing.add(phases, outcome.phases)
        timing.add(tally.phases[job.folder], outcome.phases)
        failure = _keep(job, outcome)
        if failure is not None:
            failures[key] = failure
            if failed is not None:
                failed(f"{job.label} failed: {outcome.error}")
        done += 1
        if progress is not None:
            progress(done, total, job.label + (" FAILED" if failure is not None else ""))
        if tally.one_done(job.folder) and folder_done is not None:
            mine = [f for (where, _), f in failures.items() if where == job.folder]
            folder_done(job.folder, mine, tally.phases[job.folder])
    return failures


def _start_note(done: int, total: int, workers: int) -> str:
    if done == total:
        return "all already finished, nothing to run"
    if done:
        return f"{done} already finished, resuming on {workers} workers"
    return f"on {workers} workers"


def _first_seeds(jobs: Sequence[Job]) -> dict[Path, int]:
    """Each folder's first seed (the one whose figures are drawn)."""
    first: dict[Path, int] = {}
    for job in jobs:
        first[job.folder] = min(job.seed, first.get(job.folder, job.seed))
    return first


def _drawer(
    job: Job, first: dict[Path, int], draw: Figures | None, draw_all: bool
) -> Figures | None:
    """What draws this job's figures: ``draw`` for a folder's first seed (or every seed with
    ``draw_all``), else nothing."""
    return draw if draw_all or job.seed == first[job.folder] else None


def _keep(job: Job, outcome: Outcome) -> Failure | None:
    """Store a finished job's folder, or return its failure."""
    if outcome.files is None:
        return Failure(job.seed, outcome.error or "failed", outcome.detail)
    with timing.phase("writing"):
        store(job.folder, job.name, outcome.files)
    return None


class _Tally:
    """How many jobs of each folder are still to finish, and the timing phases of those that
    have, so that a folder is reported done as soon as its last job is in."""

    def __init__(self, jobs: Sequence[Job], todo: Sequence[Job]) -> None:
        self.left = {job.folder: 0 for job in jobs}
        for job in todo:
            self.left[job.folder] += 1
        self.phases: dict[Path, dict[str, float]] = {folder: {} for folder in self.left}

    def empty(self) -> list[Path]:
        """The folders with nothing left to run (every seed finished by an earlier run)."""
        return [folder for folder, n in self.left.items() if n == 0]

    def one_done(self, folder: Path) -> bool:
        """Count one of ``folder``'s jobs as finished; True when it was the last."""
        self.left[folder] -= 1
        return self.left[folder] == 0


def _name(recipe: Any) -> Any:
    if recipe is None:
        raise ValueError("a job without a recipe name needs execute(recipe, ...)")
    return reference(recipe)


def _trace(error: BaseException) -> str:
    return "".join(traceback.format_exception(error))
