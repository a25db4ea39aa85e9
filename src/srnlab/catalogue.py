"""Every experiment the commands can name: the built-in recipes, in the lecture's order, and a
project file or tlearn project given by its path.

A built-in recipe is its experiment module (``srnlab.recipes.NAME``) joined with its
presentation module (``srnlab.presenters.NAME``) into a ``Recipe``. Both are imported on first
use, not when this module is: some pull in scipy's clustering or matplotlib helpers, and
``srnlab --help`` (and every worker process) should not pay for experiments it does not run.
This module sits on the presentation floor, above both halves it joins.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from srnlab.errors import UserError
from srnlab.recipe import Recipe

#: Every built-in recipe's name and its (experiment, presentation) modules, in lecture order.
BUILT_IN: dict[str, tuple[str, str]] = {
    "xor": ("srnlab.recipes.xor", "srnlab.presenters.xor"),
    "temporal-xor": ("srnlab.recipes.temporal_xor", "srnlab.presenters.temporal_xor"),
    "letters": ("srnlab.recipes.letters", "srnlab.presenters.letters"),
    "time-as-space": ("srnlab.recipes.time_as_space", "srnlab.presenters.time_as_space"),
    "words": ("srnlab.recipes.words", "srnlab.presenters.words"),
    "sentences": ("srnlab.recipes.sentences", "srnlab.presenters.sentences"),
    "rules": ("srnlab.recipes.rules", "srnlab.presenters.rules"),
}


@functools.cache
def built_in(name: str) -> Recipe:
    """The built-in recipe ``name`` (its modules imported now, once)."""
    experiment, presentation = BUILT_IN[name]
    return Recipe.of(importlib.import_module(experiment), importlib.import_module(presentation))


class _Catalogue(Mapping[str, Recipe]):
    """Name -> built-in recipe, each built when first looked up (the names are known without
    importing anything)."""

    def __getitem__(self, name: str) -> Recipe:
        if name not in BUILT_IN:
            raise KeyError(name)
        return built_in(name)

    def __iter__(self) -> Iterator[str]:
        return iter(BUILT_IN)

    def __len__(self) -> int:
        return len(BUILT_IN)


RECIPES: Mapping[str, Recipe] = _Catalogue()


def get_recipe(name: str) -> Any:
    """A built-in recipe by name, or a project file (``*.toml``) or tlearn project (``*.cf``)
    as a recipe; a run folder's ``project:NAME@DIGEST`` gives a presenter of that project's
    runs."""
    if name.endswith(".cf"):  # a tlearn project: STEM.cf with STEM.data and STEM.teach beside it
        from srnlab.tlearn.recipe import project_recipe

        return project_recipe(name)
    if name.endswith(".toml"):
        from srnlab.project import recipe as project_file

        return project_file.project_recipe(Path(name))
    if name.startswith("project:"):
        from srnlab.project.recipe import presenter

        return presenter(name)
    try:
        return RECIPES[name]
    except KeyError:
        raise UserError(
            f"unknown recipe {name!r}; valid: {', '.join(RECIPES)}, or a project file "
            "(FILE.toml; `srnlab new NAME` writes one)"
        ) from None
