"""What every experiment provides to the commands, declared once: the ``Recipe`` object.

A built-in recipe is two modules: its experiment (``srnlab.recipes.NAME``: the ``Config``, the
``run``, the numbers of a replication) and its presentation (``srnlab.presenters.NAME``:
figures, report text, paper table), which reads a run folder and never trains. ``Recipe``
joins the two (``Recipe.of``); a project file and a tlearn project make the same object
from their own pieces. The commands use nothing else, so what a recipe must provide is these
fields and nothing more: a missing required name is an error when the recipe is built, not a
``hasattr`` deep in a command.

A ``Recipe`` holds module-level functions and classes only, so it pickles by reference and
travels to worker processes and Dask workers whole.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # matplotlib is imported only when figures are drawn
    from matplotlib.figure import Figure

    from srnlab.run_result import RunResult

Summary = dict[str, Any]


def no_summary_figures(results: list[RunResult]) -> dict[str, Figure]:
    """A recipe without figures over replications of its own (a module-level function, so a
    ``Recipe`` still pickles)."""
    return {}


@dataclass(frozen=True)
class Recipe:
    """An experiment the commands can run, replicate, sweep, present and reproduce."""

    # -- the experiment ------------------------------------------------------------------------
    NAME: str  # what `srnlab run NAME` takes and config.json records
    SUMMARY: str  # one line for `srnlab list`
    Config: type  # a frozen dataclass: every choice, with its default
    run: Callable[[Any], RunResult]  # one network (or study) from config.seed
    summarize: Callable[[list[RunResult]], Summary]  # the numbers over replications
    replication_row: Callable[[RunResult], dict[str, Any]]  # one row of replications.csv
    # -- its presentation, from a run folder alone ---------------------------------------------
    figures: Callable[[RunResult], dict[str, Figure]]
    report: Callable[[RunResult], str]  # a few lines for the terminal
    report_summary: Callable[[Summary], str]
    # -- optional ------------------------------------------------------------------------------
    #: figures over replications of its own (the learning-curve band every recipe gets)
    summary_figures: Callable[[list[RunResult]], dict[str, Figure]] = no_summary_figures
    LABEL: str = ""  # the name in folder names and titles (default: NAME)
    success: Callable[[RunResult], bool] | None = None  # did a replication show the result?
    with_weights: Callable[[Any, str], Any] | None = None  # `run --weights FILE` (tlearn)
    SWEEP_METRIC: str | None = None  # the metric a sweep plots by default
    default: Callable[[], Any] | None = None  # the config to start from (default: Config())
    # -- in `srnlab reproduce`'s report (all or none) ------------------------------------------
    CLAIM: str = ""  # the paper's claim, as the section opens with it
    REPORT_FIGURE: str = ""  # the summary figure the section shows
    report_verdict: Callable[[Summary], str] | None = None  # one line: reproduced or not
    paper_table: Callable[[list[RunResult]], list[dict[str, str]]] | None = None
    REPRODUCE_SEEDS: int = 0  # replications at paper scale
    QUICK: Mapping[str, Any] = field(default_factory=dict)  # --quick's smaller settings

    def __post_init__(self) -> None:
        if not self.LABEL:
            object.__setattr__(self, "LABEL", self.NAME)

    @classmethod
    def of(cls, experiment: ModuleType, presentation: ModuleType) -> Recipe:
        """The recipe declared by an experiment module and its presentation module: each field
        is read from whichever of the two defines it (a name in both is an error, so each
        thing is said in one place)."""
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            found = [m for m in (experiment, presentation) if hasattr(m, f.name)]
            if len(found) > 1:
                raise TypeError(
                    f"{f.name} is defined by both {experiment.__name__} and "
                    f"{presentation.__name__}; say it in one place"
                )
            if found:
                values[f.name] = getattr(found[0], f.name)
        return cls(**values)

    @property
    def in_report(self) -> bool:
        """Does `srnlab reproduce` report this recipe (it has a paper table and a claim)?"""
        return self.paper_table is not None

    def default_config(self) -> Any:
        """The config a run starts from."""
        return self.default() if self.default is not None else self.Config()

    def with_seed(self, config: Any, seed: int) -> Any:
        """The same config with another seed: replication i of ``--seeds N`` runs seed + i."""
        return dataclasses.replace(config, seed=seed)
