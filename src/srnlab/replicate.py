"""Running a recipe and writing what it produced: one run folder, or one per seed plus a summary.

Used by ``srnlab run`` and ``srnlab reproduce``; nothing here prints (progress goes to a
callback), so the same code serves the command line, a notebook or a test.

Replication i of a run with ``--seeds N`` uses seed ``config.seed + i``, so any replication can
be rerun alone with ``--set seed=S`` and gives the same numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from srnlab.fileio import write_json, write_text
from srnlab.results import RunResult, save_run

#: progress(done, total, seed or None when finished)
Progress = Callable[[int, int, int | None], None]


@dataclass
class Replications:
    """What ``run_replications`` produced: every result, and the summary when N > 1."""

    results: list[RunResult]
    summary: dict[str, Any] | None


def run_replications(
    recipe: ModuleType,
    config: Any,
    n_seeds: int,
    folder: Path,
    *,
    draw: bool = True,
    progress: Progress | None = None,
) -> Replications:
    """Run ``n_seeds`` replications into ``folder`` (which must exist).

    One seed: the run's files go straight into ``folder``. Several: each goes into
    ``folder/seed-S/``, beside ``summary.json``, ``replications.csv`` and summary figures.
    """
    if n_seeds == 1:
        result = recipe.run(config)
        write_run(recipe, result, folder, draw)
        return Replications([result], None)
    results = []
    for i in range(n_seeds):
        seeded = recipe.with_seed(config, config.seed + i)
        if progress is not None:
            progress(i, n_seeds, seeded.seed)
        result = recipe.run(seeded)
        seed_folder = folder / f"seed-{seeded.seed}"
        seed_folder.mkdir()
        write_run(recipe, result, seed_folder, draw)
        results.append(result)
    if progress is not None:
        progress(n_seeds, n_seeds, None)
    summary = recipe.summarize(results)
    write_summary(recipe, results, summary, folder, draw)
    return Replications(results, summary)


def write_run(recipe: ModuleType, result: RunResult, folder: Path, draw: bool) -> None:
    save_run(result, folder)
    if draw:
        save_figures(recipe.figures(result), folder / "figures")


def write_summary(
    recipe: ModuleType,
    results: list[RunResult],
    summary: dict[str, Any],
    folder: Path,
    draw: bool,
) -> None:
    write_json(folder / "summary.json", summary)
    write_text(
        folder / "replications.csv", rows_to_csv([recipe.replication_row(r) for r in results])
    )
    if draw:
        save_figures(recipe.summary_figures(results), folder / "figures")


def save_figures(figures: dict[str, Any], folder: Path) -> None:
    from srnlab.plots import save_figure  # matplotlib only when figures are drawn

    folder.mkdir(exist_ok=True)
    for name, figure in figures.items():
        save_figure(figure, folder, name)


def rows_to_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
