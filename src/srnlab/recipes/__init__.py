"""The experiments. Each recipe is a module with NAME, SUMMARY, a frozen ``Config`` dataclass,
``run(config) -> RunResult``, ``figures(result) -> {name: Figure}`` (drawn from saved data, so
a run folder can be redrawn without retraining) and ``summarize(results)`` for many seeds.

A recipe module is imported on first use, not when this package is: some pull in scipy's
clustering or matplotlib helpers, and ``srnlab --help`` (and every worker process) should not
pay for experiments it does not run.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from srnlab.errors import UserError

#: Every recipe's name and module, in the lecture's order.
RECIPE_MODULES: dict[str, str] = {
    "xor": "srnlab.recipes.xor",
    "temporal-xor": "srnlab.recipes.temporal_xor",
    "letters": "srnlab.recipes.letters",
    "time-as-space": "srnlab.recipes.time_as_space",
    "words": "srnlab.recipes.words",
    "sentences": "srnlab.recipes.sentences",
    "rules": "srnlab.recipes.rules",
}


class _Registry(Mapping[str, ModuleType]):
    """Name -> recipe module, a module imported when it is first looked up (its names are
    known without importing anything)."""

    def __getitem__(self, name: str) -> ModuleType:
        return importlib.import_module(RECIPE_MODULES[name])

    def __iter__(self) -> Iterator[str]:
        return iter(RECIPE_MODULES)

    def __len__(self) -> int:
        return len(RECIPE_MODULES)


RECIPES: Mapping[str, ModuleType] = _Registry()


def get_recipe(name: str) -> Any:
    """A built-in recipe by name, or a project file (``*.toml``) as a recipe; a run folder's
    ``project:NAME@DIGEST`` gives a presenter of that project's runs."""
    if name.endswith(".cf"):  # a tlearn project: STEM.cf with STEM.data and STEM.teach beside it
        from srnlab.tlearn.recipe import project_recipe

        return project_recipe(name)
    if name.endswith(".toml"):
        from srnlab.project import load_recipe

        return load_recipe(Path(name))
    if name.startswith("project:"):
        from srnlab.project.recipe import ProjectRecipe

        return ProjectRecipe.presenter(name)
    try:
        return RECIPES[name]
    except KeyError:
        raise UserError(
            f"unknown recipe {name!r}; valid: {', '.join(RECIPES)}, or a project file "
            "(FILE.toml; `srnlab new NAME` writes one)"
        ) from None


def default_config(recipe: Any) -> Any:
    """The config a run starts from: a recipe's defaults, or what a project file declares."""
    if hasattr(recipe, "default_config"):
        return recipe.default_config()
    return recipe.Config()
