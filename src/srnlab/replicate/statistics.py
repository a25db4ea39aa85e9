"""The numbers over replications: each replication's metrics as one flat row, and the
statistics of a condition (``aggregate.json``: n, mean, SD, 95% CI of every metric, the success
rate with its Wilson interval, via ``srnlab.aggregate``) and of a sweep (``summary.json``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from srnlab import aggregate
from srnlab.recipe import Recipe
from srnlab.replicate.running import Failure
from srnlab.results import RunResult
from srnlab.sweep import Condition, Grid

if TYPE_CHECKING:
    from srnlab.replicate.conditions import Replications

#: How every interval in these files is computed (written into them).
CONFIDENCE_INTERVAL = "95%, mean +/- t(0.975, n-1) * SD / sqrt(n); success: Wilson"
#: The statistics of one metric, in the order the CSV tables write them.
STAT_COLUMNS = ("n", "mean", "sd", "ci95_low", "ci95_high", "min", "max")


def metric_row(recipe: Recipe, result: RunResult) -> dict[str, Any]:
    """Every scalar metric of one replication, flattened; ``success`` first where the recipe
    defines it."""
    row: dict[str, Any] = {}
    if recipe.success is not None:
        row["success"] = bool(recipe.success(result))
    row |= aggregate.flatten_metrics(result.metrics)
    return row


def statistics(
    recipe: Recipe, rows: Sequence[Mapping[str, Any]], failures: Sequence[Failure], n: int
) -> dict[str, Any]:
    """aggregate.json: what ran, the success rate and every metric's statistics."""
    metrics = [{k: v for k, v in row.items() if k != "success"} for row in rows]
    return {
        "recipe": recipe.NAME,
        "replications": n,
        "finished": len(rows),
        "failed": [{"seed": f.seed, "error": f.error, "traceback": f.detail} for f in failures],
        "confidence_interval": CONFIDENCE_INTERVAL,
        "success": (
            aggregate.success_rate([bool(row["success"]) for row in rows])
            if recipe.success is not None
            else None
        ),
        "metrics": aggregate.describe_all(metrics),
    }


def success_row(success: Mapping[str, Any]) -> dict[str, Any]:
    """The success rate as a row of the statistics tables (its interval is Wilson's)."""
    return {
        "metric": "success",
        "n": success["n"],
        "mean": success["rate"],
        "ci95_low": success["ci95_low"],
        "ci95_high": success["ci95_high"],
    }


def metric_values(metric: str, replications: Replications) -> list[float]:
    """One metric's value in every finished replication that has it."""
    values = (row.get(metric) for row in replications.rows)
    return [float(v) for v in values if v is not None]


def metric_stats(metric: str, stats: Mapping[str, Any]) -> dict[str, Any]:
    """One metric's n, mean and 95% CI from a condition's aggregate.json (the success rate's
    under the same names)."""
    if metric == "success":
        s = stats.get("success") or {}
        return {"n": s.get("n", 0), "mean": s.get("rate"), "ci95_low": s.get("ci95_low"),
                "ci95_high": s.get("ci95_high")}  # fmt: skip
    empty = {"n": 0, "mean": None, "ci95_low": None, "ci95_high": None}
    return dict(stats.get("metrics", {}).get(metric, empty))


def sweep_summary(
    recipe: Recipe,
    grid: Grid,
    conditions: Sequence[Condition],
    done: Sequence[Replications],
    n_seeds: int,
) -> dict[str, Any]:
    """summary.json of a sweep: the grid, and per condition what ran and its statistics."""
    return {
        "recipe": recipe.NAME,
        "grid": [[key, [_jsonable(v) for v in values]] for key, values in grid],
        "seeds_per_condition": n_seeds,
        "confidence_interval": CONFIDENCE_INTERVAL,
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
