"""What starting srnlab costs: `srnlab --help` imports no experiment, and the compiled kernels
are compiled once and then loaded from Numba's disk cache by every later process."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from srnlab.catalogue import BUILT_IN, RECIPES, get_recipe


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


def test_help_imports_no_recipe_and_no_heavy_library() -> None:
    loaded = _modules_after(
        "import contextlib, io\n"
        "from srnlab.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])"
    )
    assert "srnlab.cli" in loaded
    heavy = {"numpy", "scipy", "matplotlib", "numba", "xlsxwriter", "tqdm"}
    heavy |= {module for pair in BUILT_IN.values() for module in pair}
    assert not heavy & loaded


def test_a_command_imports_only_its_own_recipe() -> None:
    loaded = _modules_after(
        "import contextlib, io\n"
        "from srnlab.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['list', 'xor']) == 0"
    )
    assert "srnlab.recipes.xor" in loaded
    others = {m for n, pair in BUILT_IN.items() if n != "xor" for m in pair}
    assert not others & loaded


@pytest.mark.parametrize("name", list(BUILT_IN))
def test_the_registry_names_each_recipe_by_its_own_name(name: str) -> None:
    experiment = importlib.import_module(BUILT_IN[name][0])
    assert experiment.NAME == name
    recipe = RECIPES[name]
    assert recipe is get_recipe(name)  # built once
    assert (
        recipe.NAME == name and recipe.run is experiment.run and recipe.Config is experiment.Config
    )


def test_the_registry_is_in_the_lecture_order_and_complete() -> None:
    assert list(RECIPES) == [
        "xor", "temporal-xor", "letters", "time-as-space", "words", "sentences", "rules"
    ]  # fmt: skip
    assert len(RECIPES) == len(BUILT_IN) and "nope" not in RECIPES


def _compilations_in_a_new_process() -> int:
    out = subprocess.run(
        [sys.executable, "-c", "from srnlab import compiled; print(compiled.warm_up().compiled)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(out.strip().splitlines()[-1])


def test_kernels_compile_once_and_later_processes_load_them_from_the_cache() -> None:
    _compilations_in_a_new_process()  # compiles whatever is not cached yet
    assert _compilations_in_a_new_process() == 0


def test_the_cli_lists_each_command_with_its_modules_own_name_and_help() -> None:
    from srnlab.cli import COMMANDS, command_module

    for name, (_, help_line) in COMMANDS.items():
        module = command_module(name)
        assert module.NAME == name
        assert module.HELP == help_line


def test_the_replications_draw_nothing_themselves() -> None:
    """srnlab.replicate is on the results floor: it imports no figure code (its callers hand
    it a drawer, srnlab.plots.folders.FolderFigures)."""
    loaded = _modules_after("import srnlab.replicate, srnlab.sweep, srnlab.executors")
    assert "srnlab.replicate.running" in loaded
    figures = ("matplotlib", "srnlab.plots")
    assert not {m for m in loaded if m in figures or m.startswith(tuple(f + "." for f in figures))}
