"""A tlearn project as a recipe, so ``srnlab run PROJECT.cf`` (with ``--set``,
``--seeds``, ``--weights``) works as it does for the built-in recipes.

The recipe's NAME is the project's absolute ``.cf`` path: worker processes (``--seeds N``)
resolve it again with ``get_recipe``. Its Config is ``project.Config`` (tlearn's options).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from srnlab.recipe import Recipe
from srnlab.run_result import RunResult, seed_and_metrics
from srnlab.tlearn import project as experiment

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAX_PATTERNS_DRAWN = 64  # the outputs figure draws one bar group per pattern


def project_recipe(path: str | Path) -> Recipe:
    """The recipe of the project ``path`` (its files are read and checked now)."""
    cf = Path(path).resolve()
    project = experiment.load_project(cf)
    return Recipe(
        NAME=str(cf),
        LABEL=cf.stem,  # default run folders are runs/STEM-DATE-TIME
        SUMMARY=f"tlearn project {cf.name}: {project.network.n_nodes} nodes, "
        f"{len(project.inputs)} patterns",
        Config=experiment.Config,
        run=functools.partial(experiment.run_project, project),
        with_weights=experiment.with_weights,
        figures=figures,
        report=report,
        summarize=summarize,
        report_summary=report_summary,
        replication_row=replication_row,
    )


def figures(result: RunResult) -> dict[str, Figure]:
    """The learning curve (per pass), and the outputs after training for each pattern."""
    from srnlab import plots

    m = result.metrics
    drawn = {
        "learning_curve": plots.learning_curve(
            result.history,
            title=f"{m['project']}: error per pass ({m['engine']} engine)",
            x="sweep",
        )
    }
    targets = result.arrays["targets"]
    if not np.isnan(targets).any() and len(targets) <= MAX_PATTERNS_DRAWN:
        drawn["outputs"] = plots.pattern_outputs(
            result.arrays["inputs"],
            targets,
            result.arrays["verify_outputs"],
            title="Outputs after training (tlearn's verify)",
        )
    return drawn


def report(result: RunResult) -> str:
    m = result.metrics
    engine = m["engine"] + (f" ({m['engine_note']})" if m["engine_note"] else "")
    lines = [
        f"{m['project']}: {m['sweeps']} sweeps from weights {m['initial_weights']}; "
        f"engine: {engine}",
        f"tlearn RMS error, last pass {m['final_tlearn_rms']:.4f}; "
        f"after training {m['verify_tlearn_rms']:.4f}",
    ]
    outputs = result.arrays["verify_outputs"]
    for row, (x, a) in enumerate(zip(result.arrays["inputs"], outputs, strict=True)):
        if row == 8:
            lines.append(f"  ... {len(outputs) - 8} more patterns in metrics.json")
            break
        pattern = " ".join(f"{v:g}" for v in x)
        lines.append(f"  {pattern} -> {' '.join(f'{v:.3f}' for v in a)}")
    return "\n".join(lines)


def summarize(results: list[RunResult]) -> dict[str, Any]:
    rms = [r.metrics["verify_tlearn_rms"] for r in results]
    return {
        "replications": len(results),
        "seeds": [r.config["seed"] for r in results],
        "verify_tlearn_rms": rms,
        "verify_tlearn_rms_mean": float(np.mean(rms)),
    }


def report_summary(summary: dict[str, Any]) -> str:
    return (
        f"{summary['replications']} replications: tlearn RMS error after training, mean "
        f"{summary['verify_tlearn_rms_mean']:.4f}"
    )


def replication_row(result: RunResult) -> dict[str, Any]:
    return seed_and_metrics(result, "engine", "final_tlearn_rms", "verify_tlearn_rms")
