"""A sweep: every condition of a grid replicated (one pool for all of them), each condition
summed up in its own folder, and the sweep's tidy table and summary at the top. The plot of
one metric across the conditions is drawn by the caller (``srnlab.plots.folders``), from the
``SweepResult``; ``choose_metric`` says which metric."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from srnlab.executors import Backend
from srnlab.fileio import write_json, write_text
from srnlab.recipe import Recipe
from srnlab.replicate.conditions import Replications, write_condition
from srnlab.replicate.jobs import Figures, Job, plan, seeds
from srnlab.replicate.running import Failed, Progress, execute
from srnlab.replicate.statistics import sweep_summary
from srnlab.replicate.tables import sweep_summary_csv, sweep_table
from srnlab.sweep import Condition, Grid, value_text


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
    recipe: Recipe,
    grid: Grid,
    conditions: Sequence[Condition],
    n_seeds: int,
    folder: Path,
    *,
    metric: str | None = None,
    draw: Figures | None = None,
    draw_all: bool = False,
    progress: Progress | None = None,
    backend: Backend | None = None,
    failed: Failed | None = None,
) -> SweepResult:
    """Every condition's ``n_seeds`` replications into ``folder/CONDITION/seed-S`` (one pool
    for all of them), each condition's statistics (and with ``draw`` its figures) beside its
    replications, and the sweep's tidy table and summary at the top. ``metric`` (default:
    ``success`` where the recipe defines it) is checked after the runs, against the metrics
    they produced; the caller plots it across the conditions."""
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
    write_text(folder / "replications.csv", sweep_table(grid, conditions, done, n_seeds))
    chosen = choose_metric(metric, summary, recipe)
    return SweepResult(list(conditions), done, summary, chosen)


def choose_metric(metric: str | None, summary: Mapping[str, Any], recipe: Recipe) -> str | None:
    """The metric to plot: exact name, or the one metric whose dotted name ends with it. An
    unknown name is a UserError naming the closest ones (the sweep's files are written first)."""
    from srnlab.errors import UserError

    names: dict[str, None] = {}
    if recipe.success is not None:
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
