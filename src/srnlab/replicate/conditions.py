"""One condition's replications, run and summed up: ``run_replications`` (``srnlab run
--seeds N``) runs them into a folder, and ``write_condition`` reads every finished one back
and writes the files beside them: statistics, tables, the recipe's summary and (with a
drawer) its figures. Everything is computed from the files on disk, so a resumed run's
statistics are those of an uninterrupted one, bit for bit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from srnlab import timing
from srnlab.executors import Backend
from srnlab.fileio import write_json, write_text
from srnlab.recipe import Recipe
from srnlab.replicate.jobs import Figures, plan, quiet_overflow, seeds, write_run
from srnlab.replicate.running import Failed, Failure, Progress, execute
from srnlab.replicate.statistics import metric_row, statistics
from srnlab.replicate.storage import load_finished
from srnlab.replicate.tables import aggregate_csv, metrics_table, rows_to_csv
from srnlab.results import RunResult


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


def run_replications(
    recipe: Recipe,
    config: Any,
    n_seeds: int,
    folder: Path,
    *,
    draw: Figures | None = None,
    draw_all: bool = False,
    progress: Progress | None = None,
    backend: Backend | None = None,
    failed: Failed | None = None,
    phases: dict[str, float] | None = None,
) -> Replications:
    """Run ``n_seeds`` replications into ``folder`` (which must exist).

    One seed: the run's files go straight into ``folder``, in this process. Several: each into
    ``folder/seed-S/`` (skipping those already there), on ``backend`` (default: this
    process), then the statistics and summaries beside them. ``draw`` (None: no figures)
    draws the summary figures and the first seed's (every seed's with ``draw_all``).
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


def write_condition(
    recipe: Recipe,
    folder: Path,
    all_seeds: Sequence[int],
    failures: Sequence[Failure],
    draw: Figures | None,
) -> Replications:
    """Read back every finished replication in ``folder`` and write the files that sum them
    up (aggregate.json and .csv, metrics.csv, and where any finished the recipe's summary).
    Returns them, the recipe's summary and the statistics."""
    with timing.phase("writing"):  # reading back counts as file work too
        results = load_finished(folder, all_seeds)
    with timing.phase("analysis"):
        rows = [metric_row(recipe, r) for r in results]
        stats = statistics(recipe, rows, failures, len(all_seeds))
    with timing.phase("writing"):
        write_json(folder / "aggregate.json", stats)
        write_text(folder / "aggregate.csv", aggregate_csv(stats))
    finished = {r.config["seed"]: row for r, row in zip(results, rows, strict=True)}
    with timing.phase("writing"):
        write_text(folder / "metrics.csv", metrics_table(all_seeds, finished, failures))
    summary = None
    if results:
        with timing.phase("analysis"):
            summary = recipe.summarize(results)
        write_summary(recipe, results, summary, folder, draw)
    return Replications(results, summary, list(failures), stats, rows)


def write_summary(
    recipe: Recipe,
    results: list[RunResult],
    summary: dict[str, Any],
    folder: Path,
    draw: Figures | None,
) -> None:
    """summary.json (the recipe's own summary), replications.csv (its own columns, one row
    per replication) and, with ``draw``, the figures across the replications."""
    with timing.phase("writing"):
        write_json(folder / "summary.json", summary)
        write_text(
            folder / "replications.csv", rows_to_csv([recipe.replication_row(r) for r in results])
        )
    if draw:
        with timing.phase("figures"):
            draw.summary(recipe, results, folder)
