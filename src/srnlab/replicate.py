"""Running a recipe many times and writing what it produced: one run folder per replication,
and the statistics over them, for ``srnlab run --seeds N``, ``srnlab sweep`` and
``srnlab reproduce``. Nothing here prints (progress and failures go to callbacks), so the same
code serves the command line, a notebook or a test.

**Seeds.** Replication i of a condition uses seed ``config.seed + i``, nothing else: it is the
same run whether it is run alone (``--set seed=S``), in a sweep, serially, in worker processes,
on Dask, or on a rerun that resumes an interrupted one.

**Nothing lost, nothing recomputed.** A replication runs in a worker (``run_job``: train, then
write the run folder and its figures into a private temporary folder, and send the files back
as bytes), and the main process writes them into ``.seed-S.*.partial/``, flushes them to disk,
and renames that to ``seed-S/``: a ``seed-S/`` folder exists only complete. A rerun skips every
replication whose folder exists. A replication that raises is reported (one line to the
``failed`` callback, and in ``aggregate.json``) and the others go on; it has no folder, so the
next rerun tries it again.

**What is written** (per condition: a ``run --seeds N`` folder, or each condition of a sweep)

    seed-S/          each replication's run folder (config, metrics, history, arrays; figures
                     for the first seed, or every seed with ``draw_all``)
    aggregate.json   every numeric metric's n, mean, SD, 95% CI (``srnlab.aggregate``); the
                     success rate with its Wilson interval; failed replications and their errors
    aggregate.csv    the same, one row per metric
    metrics.csv      one row per replication: seed, status, error, success, every metric
    summary.json     the recipe's own summary (``recipe.summarize``)
    replications.csv the recipe's own columns, one row per replication
    figures/         the recipe's summary figures and ``learning_curves`` (mean and 95% band)

A sweep adds, at its top: ``replications.csv`` (the tidy table of every replication of every
condition), ``summary.csv`` and ``summary.json`` (per condition and metric) and
``figures/METRIC.png``. Everything is computed from the files on disk, so a resumed run's
statistics are those of an uninterrupted one, bit for bit.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import io
import os
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from srnlab import aggregate, timing
from srnlab.config import config_from_dict, config_to_dict
from srnlab.executors import Backend, SerialBackend
from srnlab.fileio import _umask, write_json, write_text
from srnlab.results import RunResult, check_converged, load_run, save_run
from srnlab.sweep import Condition, Grid, value_text

#: What to draw: True every figure as PNG and SVG, "png" as PNG only (what a report embeds),
#: False none.
Draw = bool | Literal["png"]
#: progress(done, total, what just finished, or a note; None for none)
Progress = Callable[[int, int, str | None], None]
#: failed(one line naming the replication and its error)
Failed = Callable[[str], None]


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during replications: what was finished is kept in ``folder``."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder


# ---- one replication, wherever it runs -------------------------------------------------------


@dataclass
class Outcome:
    """What a worker sends back: the run folder's files, or the error that stopped it."""

    files: dict[str, bytes] | None = None
    error: str | None = None
    detail: str | None = None  # the traceback
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # ``srnlab.timing`` phases


_started_jobs = False  # has this process run a job yet? (its start-up is counted once)


def run_job(recipe: Any, config: dict[str, Any], draw: Draw) -> Outcome:
    """Run one replication and return its run folder as {relative path: bytes}.

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
        with tempfile.TemporaryDirectory(prefix="srnlab-job-") as tmp:
            write_run(recipe, result, Path(tmp), draw)
            files = {
                path.relative_to(tmp).as_posix(): path.read_bytes()
                for path in sorted(Path(tmp).rglob("*"))
                if path.is_file()
            }
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


def _reference(recipe: Any) -> Any:
    """What a worker gets: the recipe itself. A ``Recipe`` holds module-level functions (and a
    project's or tlearn project's data), so it pickles whole and workers need neither the
    catalogue nor a shared file system."""
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


def write_run(recipe: ModuleType, result: RunResult, folder: Path, draw: Draw) -> None:
    check_converged(result)
    with timing.phase("writing"):
        save_run(result, folder)
    if draw:
        with timing.phase("figures"):
            save_figures(recipe.figures(result), folder / "figures", svg=draw is True)


def store(folder: Path, name: str, files: Mapping[str, bytes]) -> Path:
    """Write ``files`` as ``folder/name/`` so that it appears complete or not at all: into a
    temporary folder beside it, each file flushed to disk, then one rename (and the rename
    itself flushed), so not even a power cut leaves a half-written ``name/``."""
    final = folder / name
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".partial", dir=folder))
    try:
        tmp.chmod(0o777 & ~_umask())
        for relative, data in files.items():
            path = tmp / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            path.chmod(0o666 & ~_umask())
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _fsync_folder(folder)
    return final


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_partials(folder: Path) -> None:
    """Delete the temporary folders a killed run left behind (never a finished ``seed-S``)."""
    if folder.is_dir():
        for stale in folder.glob(".seed-*.partial"):
            shutil.rmtree(stale, ignore_errors=True)


# ---- many replications -----------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    folder: Path  # the condition's folder; the replication goes into folder/seed-S
    seed: int
    config: dict[str, Any]  # the replication's resolved config, as JSON
    label: str  # how progress and errors name it
    # the recipe as a worker finds it (``_reference``: a built-in's NAME, a project itself);
    # jobs of several recipes can share one pool
    recipe: Any = ""

    @property
    def name(self) -> str:
        return f"seed-{self.seed}"

    def finished(self) -> bool:
        return (self.folder / self.name).is_dir()


@dataclass
class Failure:
    seed: int
    error: str
    detail: str | None = None


@dataclass
class Replications:
    """What ran in one folder: the finished results (read back from disk), the recipe's
    summary of them (None for a single run, or when none finished), the failures of this
    attempt and the statistics."""

    results: list[RunResult]
    summary: dict[str, Any] | None
    failures: list[Failure] = field(default_factory=list)
    aggregate: dict[str, Any] | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)  # ``metric_row`` of each result


def seeds(config: Any, n_seeds: int) -> list[int]:
    return [config.seed + i for i in range(n_seeds)]


def plan(recipe: ModuleType, config: Any, n_seeds: int, folder: Path, label: str = "") -> list[Job]:
    """One job per seed; ``label`` names the condition in progress lines."""
    prefix = f"{label} " if label else ""
    return [
        Job(
            folder,
            seed,
            config_to_dict(recipe.with_seed(config, seed)),
            f"{prefix}seed {seed}",
            _reference(recipe),
        )
        for seed in seeds(config, n_seeds)
    ]


#: folder_done(folder, its failures in this attempt, its jobs' timing phases)
FolderDone = Callable[[Path, list[Failure], dict[str, float]], None]


def execute(
    recipe: ModuleType | None,
    jobs: Sequence[Job],
    backend: Backend | None = None,
    *,
    draw: Draw = True,
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
    first_seed: dict[Path, int] = {}
    for job in jobs:
        first_seed[job.folder] = min(job.seed, first_seed.get(job.folder, job.seed))
    todo = [job for job in jobs if not job.finished()]
    total, done = len(jobs), len(jobs) - len(todo)
    for folder in {job.folder for job in todo}:
        remove_partials(folder)
    if progress is not None:
        if done == total:
            note = "all already finished, nothing to run"
        elif done:
            note = f"{done} already finished, resuming on {backend.workers} workers"
        else:
            note = f"on {backend.workers} workers"
        progress(done, total, note)
    by_key = {(job.folder, job.seed): job for job in todo}
    tasks = [
        (
            key,
            run_job,
            (
                job.recipe or _name(recipe),
                job.config,
                draw if draw_all or job.seed == first_seed[job.folder] else False,
            ),
        )
        for key, job in by_key.items()
    ]
    failures: dict[tuple[Path, int], Failure] = {}
    left = {job.folder: 0 for job in jobs}
    for job in todo:
        left[job.folder] += 1
    folder_phases: dict[Path, dict[str, float]] = {folder: {} for folder in left}
    if folder_done is not None:
        for folder in [f for f, n in left.items() if n == 0]:
            folder_done(folder, [], {})
    for key, value, error in backend.run(tasks):
        job = by_key[key]
        outcome = value if error is None else Outcome(None, one_line(error), _trace(error))
        if phases is not None:
            timing.add(phases, outcome.phases)
        timing.add(folder_phases[job.folder], outcome.phases)
        if outcome.files is not None:
            with timing.phase("writing"):
                store(job.folder, job.name, outcome.files)
        else:
            failures[key] = Failure(job.seed, outcome.error or "failed", outcome.detail)
            if failed is not None:
                failed(f"{job.label} failed: {outcome.error}")
        done += 1
        if progress is not None:
            progress(done, total, job.label + (" FAILED" if key in failures else ""))
        left[job.folder] -= 1
        if folder_done is not None and left[job.folder] == 0:
            mine = [f for (where, _), f in failures.items() if where == job.folder]
            folder_done(job.folder, mine, folder_phases[job.folder])
    return failures


def _name(recipe: Any) -> Any:
    if recipe is None:
        raise ValueError("a job without a recipe name needs execute(recipe, ...)")
    return _reference(recipe)


def _trace(error: BaseException) -> str:
    return "".join(traceback.format_exception(error))


def run_replications(
    recipe: ModuleType,
    config: Any,
    n_seeds: int,
    folder: Path,
    *,
    draw: bool = True,
    draw_all: bool = False,
    progress: Progress | None = None,
    backend: Backend | None = None,
    failed: Failed | None = None,
    phases: dict[str, float] | None = None,
) -> Replications:
    """Run ``n_seeds`` replications into ``folder`` (which must exist).

    One seed: the run's files go straight into ``folder``, in this process. Several: each into
    ``folder/seed-S/`` (skipping those already there), on ``backend`` (default: this
    process), then the statistics and summaries beside them. ``draw``: the summary figures
    and the first seed's (every seed's with ``draw_all``).
    """
    if n_seeds == 1:
        with quiet_overflow():
            result = recipe.run(config)
        write_run(recipe, result, folder, draw)
        return Replications([result], None)
    jobs = plan(recipe, config, n_seeds, folder)
    failures = execute(
        recipe,
        jobs,
        backend,
        draw=draw,
        draw_all=draw_all,
        progress=progress,
        failed=failed,
        phases=phases,
    )
    return write_condition(
        recipe, folder, seeds(config, n_seeds), [f for (_, _), f in failures.items()], draw
    )


# ---- what is written beside the replications ---------------------------------------------------


def metric_row(recipe: ModuleType, result: RunResult) -> dict[str, Any]:
    """Every scalar metric of one replication, flattened; ``success`` first where the recipe
    defines it."""
    row: dict[str, Any] = {}
    if getattr(recipe, "success", None) is not None:
        row["success"] = bool(recipe.success(result))
    row |= aggregate.flatten_metrics(result.metrics)
    return row


def write_condition(
    recipe: ModuleType,
    folder: Path,
    all_seeds: Sequence[int],
    failures: Sequence[Failure],
    draw: Draw,
) -> Replications:
    """Read back every finished replication in ``folder`` and write the files that sum them
    up. Returns them, the recipe's summary and the statistics."""
    failed_seeds = {f.seed: f for f in failures}
    with timing.phase("writing"):  # reading back counts as file work too
        results = load_finished(folder, all_seeds)
    with timing.phase("analysis"):
        rows = [metric_row(recipe, r) for r in results]
        stats = statistics(recipe, rows, failures, len(all_seeds))
    with timing.phase("writing"):
        write_json(folder / "aggregate.json", stats)
        write_text(folder / "aggregate.csv", aggregate_csv(stats))
    table: list[dict[str, Any]] = []
    finished = {r.config["seed"]: row for r, row in zip(results, rows, strict=True)}
    for seed in all_seeds:
        if seed in finished:
            table.append({"seed": seed, "status": "ok", "error": ""} | finished[seed])
        else:
            error = failed_seeds[seed].error if seed in failed_seeds else "not run"
            table.append({"seed": seed, "status": "failed", "error": error})
    with timing.phase("writing"):
        write_text(folder / "metrics.csv", rows_to_csv(table))
    summary = None
    if results:
        with timing.phase("analysis"):
            summary = recipe.summarize(results)
        write_summary(recipe, results, summary, folder, draw)
    return Replications(results, summary, list(failures), stats, rows)


def load_finished(folder: Path, all_seeds: Sequence[int]) -> list[RunResult]:
    """Every finished replication (``seed-S/``) of ``all_seeds`` in ``folder``, in seed order."""
    return [load_run(folder / f"seed-{s}") for s in all_seeds if (folder / f"seed-{s}").is_dir()]


def statistics(
    recipe: ModuleType, rows: Sequence[Mapping[str, Any]], failures: Sequence[Failure], n: int
) -> dict[str, Any]:
    """aggregate.json: what ran, the success rate and every metric's statistics."""
    metrics = [{k: v for k, v in row.items() if k != "success"} for row in rows]
    return {
        "recipe": recipe.NAME,
        "replications": n,
        "finished": len(rows),
        "failed": [{"seed": f.seed, "error": f.error, "traceback": f.detail} for f in failures],
        "confidence_interval": "95%, mean +/- t(0.975, n-1) * SD / sqrt(n); success: Wilson",
        "success": (
            aggregate.success_rate([bool(row["success"]) for row in rows])
            if getattr(recipe, "success", None) is not None
            else None
        ),
        "metrics": aggregate.describe_all(metrics),
    }


STAT_COLUMNS = ("n", "mean", "sd", "ci95_low", "ci95_high", "min", "max")


def aggregate_csv(stats: Mapping[str, Any]) -> str:
    rows: list[dict[str, Any]] = []
    success = stats.get("success")
    if success is not None:
        rows.append(_success_row(success))
    for name, described in stats["metrics"].items():
        rows.append({"metric": name} | {k: described[k] for k in STAT_COLUMNS})
    return rows_to_csv(rows, ["metric", *STAT_COLUMNS])


def _success_row(success: Mapping[str, Any]) -> dict[str, Any]:
    """The success rate as a row of the statistics tables (its interval is Wilson's)."""
    return {
        "metric": "success",
        "n": success["n"],
        "mean": success["rate"],
        "ci95_low": success["ci95_low"],
        "ci95_high": success["ci95_high"],
    }


def write_summary(
    recipe: ModuleType,
    results: list[RunResult],
    summary: dict[str, Any],
    folder: Path,
    draw: Draw,
) -> None:
    with timing.phase("writing"):
        write_json(folder / "summary.json", summary)
        write_text(
            folder / "replications.csv", rows_to_csv([recipe.replication_row(r) for r in results])
        )
    if draw:
        with timing.phase("figures"):
            draw_summary_figures(recipe, results, folder, svg=draw is True)


def draw_summary_figures(
    recipe: ModuleType, results: list[RunResult], folder: Path, svg: bool = True
) -> None:
    """The recipe's across-seeds figures and the learning-curve band, into folder/figures."""
    from srnlab.plots import replications as band_plots

    figures = dict(recipe.summary_figures(results))
    band = band_plots.learning_curves(
        [r.history for r in results],
        [r.config["seed"] for r in results],
        title=f"{getattr(recipe, 'LABEL', recipe.NAME)}: learning curves",
    )
    if band is not None:
        figures["learning_curves"] = band
    save_figures(figures, folder / "figures", svg)


def save_figures(figures: dict[str, Any], folder: Path, svg: bool = True) -> None:
    from srnlab.plots import save_figure  # matplotlib only when figures are drawn

    folder.mkdir(exist_ok=True)
    for name, figure in figures.items():
        save_figure(figure, folder, name, svg)


def rows_to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """CSV text of the rows; the columns are every row's keys in first-seen order, a missing
    value is an empty cell, a float is written so that it reads back to the same float."""
    columns = list(columns) if columns is not None else aggregate.union_columns(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return value


# ---- sweeps ------------------------------------------------------------------------------------


@dataclass
class SweepResult:
    conditions: list[Condition]
    replications: list[Replications]  # one per condition, in order
    summary: dict[str, Any]
    metric: str | None  # the metric plotted across conditions

    @property
    def failures(self) -> int:
        return sum(len(r.failures) for r in self.replications)


def run_sweep(
    recipe: ModuleType,
    grid: Grid,
    conditions: Sequence[Condition],
    n_seeds: int,
    folder: Path,
    *,
    metric: str | None = None,
    draw: bool = True,
    draw_all: bool = False,
    progress: Progress | None = None,
    backend: Backend | None = None,
    failed: Failed | None = None,
) -> SweepResult:
    """Every condition's ``n_seeds`` replications into ``folder/CONDITION/seed-S`` (one pool
    for all of them), each condition's statistics beside its replications, and the sweep's
    tidy table, summary and plot at the top. ``metric`` (default: ``success`` where the
    recipe defines it) is checked after the runs, against the metrics they produced."""
    jobs: list[Job] = []
    for condition in conditions:
        (folder / condition.name).mkdir(exist_ok=True)
        label = ",".join(f"{k}={value_text(v)}" for k, v in condition.values.items())
        jobs += plan(recipe, condition.config, n_seeds, folder / condition.name, label)
    failures = execute(
        recipe, jobs, backend, draw=draw, draw_all=draw_all, progress=progress, failed=failed
    )
    done = []
    for condition in conditions:
        where = folder / condition.name
        mine = [f for (f_folder, _), f in failures.items() if f_folder == where]
        done.append(write_condition(recipe, where, seeds(condition.config, n_seeds), mine, draw))
    summary = sweep_summary(recipe, grid, conditions, done, n_seeds)
    write_json(folder / "summary.json", summary)
    write_text(folder / "summary.csv", sweep_summary_csv(grid, summary))
    write_text(folder / "replications.csv", sweep_table(recipe, grid, conditions, done, n_seeds))
    chosen = choose_metric(metric, summary, recipe)
    if draw and chosen is not None:
        from srnlab.plots import replications as band_plots
        from srnlab.plots import save_figure

        figure = band_plots.metric_across_conditions(
            [key for key, _ in grid],
            [c.values for c in conditions],
            [_values_of(chosen, r) for r in done],
            [_stats_of(chosen, r.aggregate or {}) for r in done],
            metric=chosen,
            title=f"{getattr(recipe, 'LABEL', recipe.NAME)}: {chosen} across conditions "
            f"({n_seeds} seeds each)",
        )
        save_figure(figure, folder / "figures", _file_stem(chosen))
    return SweepResult(list(conditions), done, summary, chosen)


def _values_of(metric: str, replications: Replications) -> list[float]:
    values = (row.get(metric) for row in replications.rows)
    return [float(v) for v in values if v is not None]


def _stats_of(metric: str, stats: Mapping[str, Any]) -> dict[str, Any]:
    if metric == "success":
        s = stats.get("success") or {}
        return {"n": s.get("n", 0), "mean": s.get("rate"), "ci95_low": s.get("ci95_low"),
                "ci95_high": s.get("ci95_high")}  # fmt: skip
    empty = {"n": 0, "mean": None, "ci95_low": None, "ci95_high": None}
    return dict(stats.get("metrics", {}).get(metric, empty))


def _file_stem(metric: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in metric)


def sweep_summary(
    recipe: ModuleType,
    grid: Grid,
    conditions: Sequence[Condition],
    done: Sequence[Replications],
    n_seeds: int,
) -> dict[str, Any]:
    return {
        "recipe": recipe.NAME,
        "grid": [[key, [_jsonable(v) for v in values]] for key, values in grid],
        "seeds_per_condition": n_seeds,
        "confidence_interval": "95%, mean +/- t(0.975, n-1) * SD / sqrt(n); success: Wilson",
        "conditions": [
            {
                "condition": {k: _jsonable(v) for k, v in c.values.items()},
                "folder": c.name,
                "replications": n_seeds,
                "finished": len(r.results),
                "failed": [{"seed": f.seed, "error": f.error} for f in r.failures],
                "success": (r.aggregate or {}).get("success"),
                "metrics": (r.aggregate or {}).get("metrics", {}),
            }
            for c, r in zip(conditions, done, strict=True)
        ],
    }


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def sweep_summary_csv(grid: Grid, summary: Mapping[str, Any]) -> str:
    """One row per condition and metric (tidy): condition columns, metric, n, mean, SD, CI."""
    keys = [key for key, _ in grid]
    rows: list[dict[str, Any]] = []
    for entry in summary["conditions"]:
        where = {k: value_text(entry["condition"][k]) for k in keys}
        success = entry["success"]
        if success is not None:
            rows.append(where | _success_row(success))
        for name, described in entry["metrics"].items():
            rows.append(where | {"metric": name} | {k: described[k] for k in STAT_COLUMNS})
    return rows_to_csv(rows, [*keys, "metric", *STAT_COLUMNS])


def sweep_table(
    recipe: ModuleType,
    grid: Grid,
    conditions: Sequence[Condition],
    done: Sequence[Replications],
    n_seeds: int,
) -> str:
    """The tidy table: one row per replication of every condition (failed ones included,
    with their error), condition columns, seed, status, error, success, every metric."""
    rows: list[dict[str, Any]] = []
    for condition, replications in zip(conditions, done, strict=True):
        where = {k: value_text(condition.values[k]) for k, _ in grid}
        finished = {
            r.config["seed"]: row
            for r, row in zip(replications.results, replications.rows, strict=True)
        }
        errors = {f.seed: f.error for f in replications.failures}
        for seed in seeds(condition.config, n_seeds):
            if seed in finished:
                rows.append(where | {"seed": seed, "status": "ok", "error": ""} | finished[seed])
            else:
                rows.append(where | {"seed": seed, "status": "failed",
                                     "error": errors.get(seed, "not run")})  # fmt: skip
    return rows_to_csv(rows)


def choose_metric(metric: str | None, summary: Mapping[str, Any], recipe: ModuleType) -> str | None:
    """The metric to plot: exact name, or the one metric whose dotted name ends with it. An
    unknown name is a UserError naming the closest ones (the sweep's files are written first)."""
    from srnlab.errors import UserError

    names: dict[str, None] = {}
    if getattr(recipe, "success", None) is not None:
        names["success"] = None
    for entry in summary["conditions"]:
        for name in entry["metrics"]:
            names.setdefault(name, None)
    available = list(names)
    if metric is None:
        # A recipe without a success test may name the metric its sweeps are about (a suffix
        # of the flattened name: the first metric that ends with it).
        preferred = getattr(recipe, "SWEEP_METRIC", None)
        if preferred is not None:
            ends = [n for n in available if n == preferred or n.endswith("." + preferred)]
            if ends:
                return ends[0]
        return available[0] if available else None
    if metric in names:
        return metric
    ends = [n for n in available if n.endswith("." + metric)]
    if len(ends) == 1:
        return ends[0]
    close = ends or difflib.get_close_matches(metric, available, n=5, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UserError(
        f"--metric {metric!r} names no single metric of this sweep{hint} (the sweep's results are "
        "saved; rerun the same command with another --metric to draw its plot: nothing is "
        "recomputed; aggregate.csv lists every metric)"
    )
