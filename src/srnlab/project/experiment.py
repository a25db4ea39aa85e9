"""A project file as an experiment: its declaration, the bytes of its data files, and a name
that ends in a digest of them.

The object carries the project's text and its data, so it travels whole to a worker process
or a Dask worker (no shared file system needed). Its ``name`` ends in a digest of the data
files' SHA-256 hashes: a folder of replications made from other data has another name in its
manifest, so a rerun on changed data is refused, never mixed. One made from a run folder's
name alone (``project:NAME@DIGEST``) has no project and cannot train: it serves the
presentation of that folder (``project.recipe``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from srnlab.errors import UserError
from srnlab.project.data import DataFile, data_file_names, read_data_files
from srnlab.project.engine import run_project
from srnlab.project.file import ProjectFile, read_project
from srnlab.project.settings import ProjectConfig
from srnlab.run_result import RunResult

PREFIX = "project:"


@dataclass(frozen=True)
class ProjectExperiment:
    """One project file's experiment (``project`` is None for a run folder's name alone)."""

    project: ProjectFile | None
    name: str  # project:NAME@DIGEST
    files: dict[str, DataFile] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> ProjectExperiment:
        """The project file at ``path``, its data files read, checked and hashed."""
        project = read_project(path)
        files = read_data_files(project.config, project.folder, project.path)
        digest = hashlib.sha256(
            "".join(f"{n}\0{f.sha256}\0" for n, f in sorted(files.items())).encode()
        ).hexdigest()[:12]
        return cls(project, f"{PREFIX}{project.config.name}@{digest}", files)

    @property
    def label(self) -> str:
        """The project's name without its digest, for folder names and titles."""
        return self.name.removeprefix(PREFIX).partition("@")[0]

    @property
    def kind(self) -> str:
        return self.project.config.network.kind if self.project else "project"

    def default_config(self) -> ProjectConfig:
        if self.project is None:
            raise self._no_project()
        return self.project.config

    def run(self, config: ProjectConfig) -> RunResult:
        if self.project is None:  # made from a run folder: no data to train on
            raise self._no_project()
        missing = [n for n in data_file_names(config) if n not in self.files]
        if missing:
            raise UserError(
                f"{missing[0]} was not read with the project file: data files are set in the "
                "project file, not with --set or --grid"
            )
        result = run_project(self.name, config, self.files)
        result.metrics["project_file"] = {"name": self.project.path.name, "text": self.project.text}
        return result

    def _no_project(self) -> UserError:
        return UserError(f"{self.name}: run it again from its project file (srnlab run FILE.toml)")


def is_project_name(name: str) -> bool:
    return name.startswith(PREFIX)
