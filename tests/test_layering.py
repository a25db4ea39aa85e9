"""The package's floors point down: every import in src/srnlab goes to a module on the same
floor or a lower one, and no group of modules imports itself round in a circle.

    foundation    errors, config, seeding, fileio, the version
    maths         activations, losses, params, backprop, srn, kernels, explain, run results
    training      training loops and schedules, the shared setting groups and their checks
    tasks         stream and corpus generators, file readers (tlearn files)
    analysis      error profiles, segmentation, likelihood vectors, clustering, statistics
    experiments   the recipes, project files and tlearn projects as experiments, Recipe
    results       run folders, replications, sweeps, executors
    presentation  plots, reports, presenters, worksheets, the explorer, the catalogue
    commands      one module per command, and the CLI

Imports are read from the source with ``ast``: module-level ones and those inside functions
(a lazy import is still a dependency), but not those under ``if TYPE_CHECKING:`` (they never
run). The catalogue's table of recipe modules is read as imports too.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src"

FLOORS = (
    "foundation",
    "maths",
    "training",
    "tasks",
    "analysis",
    "experiments",
    "results",
    "presentation",
    "commands",
)

#: Module (or package prefix) -> floor; the longest matching prefix decides.
PLACES: dict[str, str] = {
    "srnlab": "foundation",  # the package's __init__: the version
    "srnlab.errors": "foundation",
    "srnlab.config": "foundation",
    "srnlab.seeding": "foundation",
    "srnlab.fileio": "foundation",
    "srnlab.timing": "foundation",
    "srnlab.activations": "maths",
    "srnlab.losses": "maths",
    "srnlab.params": "maths",
    "srnlab.backprop": "maths",
    "srnlab.srn": "maths",
    "srnlab.kernels": "maths",
    "srnlab.compiled": "maths",
    "srnlab.kernel_cache": "maths",
    "srnlab.explain": "maths",
    "srnlab.run_result": "maths",
    "srnlab.training": "training",
    "srnlab.time_as_space": "training",
    "srnlab.settings": "training",
    "srnlab.checks": "training",
    "srnlab.tasks": "tasks",
    "srnlab.tlearn.cf": "tasks",
    "srnlab.tlearn.patterns": "tasks",
    "srnlab.tlearn.wts": "tasks",
    "srnlab.tlearn.lists": "tasks",
    "srnlab.tlearn.network": "tasks",
    "srnlab.tlearn": "experiments",  # engine, fast path, project
    "srnlab.analysis": "analysis",
    "srnlab.aggregate": "analysis",  # statistics over replications (scipy.stats)
    "srnlab.statistics": "analysis",
    "srnlab.recipe": "experiments",
    "srnlab.engine": "experiments",
    "srnlab.recipes": "experiments",
    "srnlab.project": "experiments",
    "srnlab.results": "results",
    "srnlab.replicate": "results",
    "srnlab.sweep": "results",
    "srnlab.executors": "results",
    "srnlab.plots": "presentation",
    "srnlab.report": "presentation",
    "srnlab.presenters": "presentation",
    "srnlab.catalogue": "presentation",
    "srnlab.worksheet_render": "presentation",
    "srnlab.explore": "presentation",
    "srnlab.project.present": "presentation",
    "srnlab.project.recipe": "presentation",  # joins a project's experiment and presentation
    "srnlab.tlearn.recipe": "presentation",  # likewise for a tlearn project
    "srnlab.tlearn.export": "presentation",  # reads run folders, writes tlearn's files
    "srnlab.commands": "commands",
    "srnlab.cli": "commands",
    "srnlab.__main__": "commands",
}


def floor(module: str) -> int:
    """The floor of the longest entry of PLACES that names ``module``, its package, or a
    module whose name it extends with "_" (``srnlab.kernels`` places ``srnlab.kernels_ff``)."""
    matches = [
        key
        for key in PLACES
        if module == key or module.startswith((f"{key}.", f"{key}_")) or key == "srnlab"
    ]
    if not matches:
        raise KeyError(f"{module} has no floor: add it to PLACES in {__file__}")
    return FLOORS.index(PLACES[max(matches, key=len)])


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SOURCE / "srnlab").rglob("*.py")):
        parts = list(path.relative_to(SOURCE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST):
    """Every node under ``node`` except the bodies of ``if TYPE_CHECKING:``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _type_checking_only(child):
            yield from (n for c in child.orelse for n in [c, *_walk(c)])
            continue
        yield child
        yield from _walk(child)


@cache
def imports(module: str) -> frozenset[str]:
    """The srnlab modules ``module`` imports (a ``from package import name`` counts as the
    submodule where ``name`` is one)."""
    known = modules()
    package = module if known[module].name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in _walk(ast.parse(known[module].read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else base)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # a module named in a table and imported by name (the catalogue's recipes)
            if module == "srnlab.catalogue" and node.value in known:
                found.add(node.value)
    return frozenset(m for m in found if m in known and m != module)


def upward_imports() -> list[str]:
    return [
        f"{module} ({FLOORS[floor(module)]}) imports {target} ({FLOORS[floor(target)]})"
        for module in modules()
        for target in sorted(imports(module))
        if floor(target) > floor(module)
    ]


def cycles() -> list[list[str]]:
    """The import cycles: strongly connected groups of two or more modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in imports(module):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in modules():
        if module not in index:
            visit(module)
    return found


def test_every_module_has_a_floor():
    for module in modules():
        floor(module)


def test_no_import_points_up_a_floor():
    assert upward_imports() == []


def test_no_modules_import_each_other_in_a_circle():
    assert cycles() == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from srnlab.plots import learning_curve\n", {"srnlab.plots"}),
        ("def f():\n    from srnlab import plots\n", {"srnlab.plots"}),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from srnlab import plots\n",
            set(),
        ),
    ],
)
def test_the_reader_sees_module_level_and_lazy_imports_but_not_type_checking_ones(
    source, expected, tmp_path, monkeypatch
):
    """The test itself could miss an import: a lazy one is found, a TYPE_CHECKING one not."""
    fake = tmp_path / "srnlab" / "recipes" / "fake.py"
    fake.parent.mkdir(parents=True)
    fake.write_text(source)
    known = modules() | {"srnlab.recipes.fake": fake}
    monkeypatch.setattr(__import__(__name__), "modules", lambda: known)
    imports.cache_clear()
    try:
        assert imports("srnlab.recipes.fake") == expected
    finally:
        imports.cache_clear()


def readme_map() -> dict[str, str]:
    """The README's module map: each name it lists -> the floor it lists it on."""
    readme = (SOURCE.parent / "README.md").read_text()
    block = readme.split("### Module map", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    floors: dict[str, str] = {}
    current = ""
    for line in block.splitlines():
        head = line[:14].strip()
        if head:
            current = head
        floors[current] = floors.get(current, "") + " " + line[14:]
    named: dict[str, str] = {}
    for place, text in floors.items():
        text = _outside_parentheses(text)  # what a module is for is said in parentheses
        for name in (part.strip().rstrip("/") for part in text.split(",")):
            if name:
                named["srnlab" if name == "srnlab" else f"srnlab.{name}"] = place
    return named


def _outside_parentheses(text: str) -> str:
    depth, kept = 0, []
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and char != ")":
            kept.append(char)
    return "".join(kept)


def test_the_readme_module_map_names_every_module_on_its_floor():
    named = readme_map()
    known = modules()
    top_level = {m for m in known if m.count(".") == 1}
    assert sorted(top_level - set(named)) == []  # every module and package is on the map
    for name, place in named.items():
        if name == "srnlab.templates":  # Jinja2 templates: files, not a module
            continue
        assert name in known, f"the README names {name}, which does not exist"
        assert FLOORS[floor(name)] == place, f"{name}: README says {place}"
