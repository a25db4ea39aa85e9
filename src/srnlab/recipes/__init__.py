"""The experiments. Each recipe is a module with NAME, SUMMARY, a frozen ``Config`` dataclass,
``run(config) -> RunResult``, ``figures(result) -> {name: Figure}`` (drawn from saved data, so
a run folder can be redrawn without retraining) and ``summarize(results)`` for many seeds."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

from srnlab.errors import UserError
from srnlab.recipes import letters, rules, sentences, temporal_xor, time_as_space, words, xor

RECIPES: dict[str, ModuleType] = {
    module.NAME: module
    for module in (xor, temporal_xor, letters, time_as_space, words, sentences, rules)
}


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
