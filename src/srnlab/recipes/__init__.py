"""The experiments. Each recipe is a module with NAME, SUMMARY, a frozen ``Config`` dataclass,
``run(config) -> RunResult``, ``figures(result) -> {name: Figure}`` (drawn from saved data, so
a run folder can be redrawn without retraining) and ``summarize(results)`` for many seeds."""

from __future__ import annotations

from types import ModuleType

from srnlab.errors import UserError
from srnlab.recipes import letters, rules, sentences, temporal_xor, time_as_space, words, xor

RECIPES: dict[str, ModuleType] = {
    module.NAME: module
    for module in (xor, temporal_xor, letters, time_as_space, words, sentences, rules)
}


def get_recipe(name: str) -> ModuleType:
    if name.endswith(".cf"):  # a tlearn project: STEM.cf with STEM.data and STEM.teach beside it
        from srnlab.tlearn.recipe import project_recipe

        return project_recipe(name)
    try:
        return RECIPES[name]
    except KeyError:
        raise UserError(f"unknown recipe {name!r}; valid: {', '.join(RECIPES)}") from None
