"""A project file as a recipe: what ``srnlab run/sweep/show`` need, as the built-in recipes have.

The object carries the project's text and the bytes of its data files, so it travels whole to
a worker process or a Dask worker (no shared file system needed). Its ``NAME`` ends in a
digest of the data files' SHA-256 hashes: a folder of replications made from other data has
another name in its manifest, so a rerun on changed data is refused, never mixed.

A run folder's ``config.json`` names the recipe ``project:NAME@DIGEST``; ``get_recipe`` gives
that name a presenter (``ProjectRecipe.presenter``), which redraws figures and reports from the
folder alone, but cannot train (the data are not in the folder: rerun from the project file).
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from srnlab.errors import UserError
from srnlab.project import present
from srnlab.project.data import DataFile, data_file_names, read_data_files
from srnlab.project.engine import run_project
from srnlab.project.file import ProjectFile, read_project
from srnlab.project.settings import ProjectConfig
from srnlab.run_result import RunResult

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PREFIX = "project:"


class ProjectRecipe:
    """A project file's experiment, with the recipe interface the commands use."""

    Config = ProjectConfig
    SWEEP_METRIC = "error.network.squared"
    #: The object itself, not its name, is sent to worker processes (see ``replicate``).
    TRAVELS_WHOLE = True

    def __init__(self, project: ProjectFile | None, files: dict[str, DataFile], name: str) -> None:
        self.project = project
        self.files = files
        self.NAME = name
        self.LABEL = name.removeprefix(PREFIX).partition("@")[0]  # for folder names and titles
        kind = project.config.network.kind if project else "project"
        where = project.path.name if project else name
        self.SUMMARY = f"your own experiment ({kind}) from {where}"

    @classmethod
    def load(cls, path: Path) -> ProjectRecipe:
        project = read_project(path)
        files = read_data_files(project.config, project.folder, project.path)
        digest = hashlib.sha256(
            "".join(f"{n}\0{f.sha256}\0" for n, f in sorted(files.items())).encode()
        ).hexdigest()[:12]
        name = f"{PREFIX}{project.config.name}@{digest}"
        recipe_class = (
            FeedforwardProjectRecipe if project.config.network.kind == "feedforward" else cls
        )
        return recipe_class(project, files, name)

    @classmethod
    def presenter(cls, name: str) -> ProjectRecipe:
        return cls(None, {}, name)

    def default_config(self) -> ProjectConfig:
        if self.project is None:
            raise self._no_project()
        return self.project.config

    def with_seed(self, config: ProjectConfig, seed: int) -> ProjectConfig:
        return dataclasses.replace(config, seed=seed)

    def run(self, config: ProjectConfig) -> RunResult:
        if self.project is None:  # a presenter (made from a run folder) has no data to train on
            raise self._no_project()
        missing = [n for n in data_file_names(config) if n not in self.files]
        if missing:
            raise UserError(
                f"{missing[0]} was not read with the project file: data files are set in the "
                "project file, not with --set or --grid"
            )
        result = run_project(self.NAME, config, self.files)
        result.metrics["project_file"] = {"name": self.project.path.name, "text": self.project.text}
        return result

    def _no_project(self) -> UserError:
        return UserError(f"{self.NAME}: run it again from its project file (srnlab run FILE.toml)")

    # -- presentation: from a run folder alone -------------------------------------------------

    def figures(self, result: RunResult) -> dict[str, Figure]:
        return present.figures(result)

    def report(self, result: RunResult) -> str:
        return present.report(result)

    def summarize(self, results: list[RunResult]) -> dict[str, Any]:
        return present.summarize(results)

    def report_summary(self, summary: dict[str, Any]) -> str:
        return present.report_summary(summary)

    def summary_figures(self, results: list[RunResult]) -> dict[str, Figure]:
        return {}

    def replication_row(self, result: RunResult) -> dict[str, Any]:
        return present.summary_numbers(result)

    def __repr__(self) -> str:
        return f"ProjectRecipe({self.NAME!r})"


class FeedforwardProjectRecipe(ProjectRecipe):
    """A feedforward project also says whether each replication solved its patterns."""

    def success(self, result: RunResult) -> bool:
        return bool(result.metrics["solved"])


def is_project_name(name: str) -> bool:
    return name.startswith(PREFIX)
