"""The CSV tables of replications: ``metrics.csv`` (one row per replication of a condition),
``aggregate.csv`` (one row per metric), and a sweep's ``summary.csv`` and tidy
``replications.csv``. A float is written so that it reads back to the same float."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from srnlab import aggregate
from srnlab.replicate.jobs import seeds
from srnlab.replicate.running import Failure
from srnlab.replicate.statistics import STAT_COLUMNS, success_row
from srnlab.sweep import Condition, Grid, value_text

if TYPE_CHECKING:
    from srnlab.replicate.conditions import Replications


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


def aggregate_csv(stats: Mapping[str, Any]) -> str:
    """aggregate.csv: aggregate.json's statistics, one row per metric (success first)."""
    rows: list[dict[str, Any]] = []
    success = stats.get("success")
    if success is not None:
        rows.append(success_row(success))
    for name, described in stats["metrics"].items():
        rows.append({"metric": name} | {k: described[k] for k in STAT_COLUMNS})
    return rows_to_csv(rows, ["metric", *STAT_COLUMNS])


def metrics_table(
    all_seeds: Sequence[int],
    finished: Mapping[int, Mapping[str, Any]],
    failures: Sequence[Failure],
) -> str:
    """metrics.csv: one row per seed: seed, status, error, and the metrics of those that
    finished (``finished``: seed -> its ``metric_row``)."""
    failed_seeds = {f.seed: f for f in failures}
    table: list[dict[str, Any]] = []
    for seed in all_seeds:
        if seed in finished:
            table.append({"seed": seed, "status": "ok", "error": ""} | dict(finished[seed]))
        else:
            error = failed_seeds[seed].error if seed in failed_seeds else "not run"
            table.append({"seed": seed, "status": "failed", "error": error})
    return rows_to_csv(table)


def sweep_summary_csv(grid: Grid, summary: Mapping[str, Any]) -> str:
    """One row per condition and metric (tidy): condition columns, metric, n, mean, SD, CI."""
    keys = [key for key, _ in grid]
    rows: list[dict[str, Any]] = []
    for entry in summary["conditions"]:
        where = {k: value_text(entry["condition"][k]) for k in keys}
        success = entry["success"]
        if success is not None:
            rows.append(where | success_row(success))
        for name, described in entry["metrics"].items():
            rows.append(where | {"metric": name} | {k: described[k] for k in STAT_COLUMNS})
    return rows_to_csv(rows, [*keys, "metric", *STAT_COLUMNS])


def sweep_table(
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
