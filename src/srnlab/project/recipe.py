"""A project file as a ``Recipe``: its experiment (``project.experiment``) joined with the
presentation every project shares (``project.present``).

A run folder's ``config.json`` names the recipe ``project:NAME@DIGEST``; ``presenter`` gives
that name a recipe that redraws figures and reports from the folder alone, but cannot train
(the data are not in the folder: rerun from the project file).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from srnlab.project import present
from srnlab.project.experiment import ProjectExperiment
from srnlab.project.settings import ProjectConfig
from srnlab.recipe import Recipe
from srnlab.run_result import RunResult

if TYPE_CHECKING:
    pass


def project_recipe(path: Path) -> Recipe:
    """The project file at ``path`` as a recipe (its data read, checked and hashed now)."""
    return _recipe(ProjectExperiment.load(path))


def presenter(name: str) -> Recipe:
    """The recipe of a run folder whose config.json names ``project:NAME@DIGEST``."""
    return _recipe(ProjectExperiment(None, name))


def _recipe(experiment: ProjectExperiment) -> Recipe:
    where = experiment.project.path.name if experiment.project else experiment.name
    return Recipe(
        NAME=experiment.name,
        LABEL=experiment.label,
        SUMMARY=f"your own experiment ({experiment.kind}) from {where}",
        Config=ProjectConfig,
        run=experiment.run,  # a bound method: the experiment, data and all, travels with it
        default=experiment.default_config,
        summarize=present.summarize,
        replication_row=present.summary_numbers,
        figures=present.figures,
        report=present.report,
        report_summary=present.report_summary,
        SWEEP_METRIC="error.network.squared",
        success=solved if experiment.kind == "feedforward" else None,
    )


def solved(result: RunResult) -> bool:
    """A feedforward project says whether each replication solved its patterns."""
    return bool(result.metrics["solved"])
