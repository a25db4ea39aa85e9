"""Grids of conditions and the manifest that lets an interrupted run resume.

``--grid hidden=10,20 --grid learning_rate=0.1,0.5`` is checked against the recipe's ``Config``
like ``--set`` (unknown key, bad value: a ``UserError`` before anything runs) and expanded into
its Cartesian product, first key slowest. Each condition is the base config (defaults plus
``--set``) with its grid values applied, and has a folder name built from them
(``hidden=10,learning_rate=0.1``). A field that holds a list (``widths``) takes ``;`` between
its grid values: ``--grid 'widths=1,2;1,2,3'``.

A folder of replications holds ``manifest.json``: the recipe, the resolved base config, the
grid and the number of seeds asked for. Running the same command again finds a matching
manifest and resumes there; a different one is refused with a one-line error that names the
first difference, and so is a smaller ``--seeds`` (it would rewrite the statistics over fewer
replications): only a larger one adds replications. A manifest that cannot be read says the
folder is damaged.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import shutil
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from srnlab.config import (
    config_to_dict,
    field_types,
    flatten,
    parse_value,
    replace_settings,
    resolve_key,
    split_assignment,
)
from srnlab.errors import UserError

Grid = list[tuple[str, list[Any]]]

MANIFEST = "manifest.json"
FORMAT = 1


@dataclass(frozen=True)
class Condition:
    """One cell of a grid: its values, its config (every replication's base) and its folder."""

    values: dict[str, Any]
    config: Any
    name: str  # folder name under the sweep folder; "" for a plain `run --seeds N`


def _holds_list(kind: Any) -> bool:
    if typing.get_origin(kind) is tuple:
        return True
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        return any(_holds_list(option) for option in typing.get_args(kind))
    return False


def _list_only(kind: Any) -> bool:
    """The key takes lists only (no single number or word)."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        return all(_list_only(o) for o in typing.get_args(kind) if o is not type(None))
    return typing.get_origin(kind) is tuple


def parse_grid(config_class: type, specs: Sequence[str], fixed: Sequence[str] = ()) -> Grid:
    """``["key=v1,v2", ...]`` as [(key, [typed values])], checked against the config's fields.
    ``fixed`` are the ``--set`` keys: a key may not be both set and swept."""
    kinds = field_types(config_class)
    grid: Grid = []
    for spec in specs:
        key, text = split_assignment(
            spec, kinds, "--grid expects key=value1,value2,...", "--grid: "
        )
        if key == "seed":
            raise UserError("--grid: seed is not a grid key; use --seeds N (and --set seed=S)")
        if key in (k for k, _ in grid):
            raise UserError(f"--grid: {key} is given twice; list all its values in one --grid")
        if key in {resolve_key(f, kinds) for f in fixed}:
            raise UserError(f"--grid: {key} is also given with --set; use one or the other")
        # a list-valued key separates its values with ";" (a key that also takes one number,
        # like a project's network.hidden, only where ";" is used)
        separator = (
            ";" if _holds_list(kinds[key]) and (";" in text or _list_only(kinds[key])) else ","
        )
        items = [t.strip() for t in text.split(separator)]
        if not text.strip() or any(t == "" for t in items):
            raise UserError(f"--grid: {key} needs values separated by {separator!r}, got {text!r}")
        values = [parse_value(t, kinds[key], key) for t in items]
        if len({_text(v) for v in values}) < len(values):
            raise UserError(f"--grid: {key} lists a value twice: {text}")
        grid.append((key, values))
    return grid


def expand(base: Any, grid: Grid) -> list[Condition]:
    """The grid's conditions in order (first key slowest); each config is validated now."""
    keys = [key for key, _ in grid]
    conditions = []
    for combination in itertools.product(*(values for _, values in grid)):
        values = dict(zip(keys, combination, strict=True))
        try:
            config = replace_settings(base, values)
        except UserError as exc:
            where = ", ".join(f"{k}={_text(v)}" for k, v in values.items())
            raise UserError(f"--grid condition {where}: {exc}") from None
        conditions.append(Condition(values, config, folder_name(values)))
    names = [c.name for c in conditions]
    if len(set(names)) < len(names):  # only if two values differ in characters we replace
        conditions = [
            dataclasses.replace(c, name=f"{k:03d}-{c.name}") for k, c in enumerate(conditions)
        ]
    return conditions


def _text(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "+".join(_text(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    return str(value)


def value_text(value: Any) -> str:
    """A grid value as it appears in folder names, CSV cells and plot labels."""
    return _text(value)


def folder_name(values: dict[str, Any]) -> str:
    """``hidden=10,learning_rate=0.1``: safe on every file system."""
    text = ",".join(f"{k}={_text(v)}" for k, v in values.items())
    return re.sub(r"[^A-Za-z0-9._+=,-]", "_", text)


def manifest(kind: str, recipe_name: str, base: Any, grid: Grid) -> dict[str, Any]:
    """What a folder of replications was made by (the seeds are not part of it: more seeds
    can be added to a finished run by rerunning with a larger --seeds)."""
    return _json(
        {
            "srnlab": kind,
            "format": FORMAT,
            "recipe": recipe_name,
            "config": config_to_dict(base),
            "grid": [[key, list(values)] for key, values in grid],
        }
    )


def _json(data: Any) -> Any:
    """The form the data takes after a round trip through JSON (tuples become lists)."""
    return json.loads(json.dumps(data))


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest; None if it has none; a ``UserError`` ("damaged: ...") if it
    cannot be read or is not a manifest of ours."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        problem = _manifest_problem(data)
    except (OSError, ValueError, RecursionError) as exc:
        problem = f"{type(exc).__name__}: {exc}"
    if problem is not None:
        raise UserError(
            f"{folder} is damaged: {MANIFEST}: {' '.join(problem.split())[:200]}; choose another "
            "--out, or pass --force to start it afresh"
        )
    return data


def _manifest_problem(data: Any) -> str | None:
    """What makes ``data`` no manifest of ours, or None."""
    if not isinstance(data, dict):
        return "not a JSON object"
    for key, kind in (("srnlab", str), ("recipe", str), ("config", dict), ("grid", list)):
        if not isinstance(data.get(key), kind):
            return f"{key!r} is missing or not a {kind.__name__}"
    unknown = sorted(set(data) - {"srnlab", "format", "recipe", "config", "grid", "seeds"})
    if unknown:
        return f"unknown key {unknown[0]!r}"
    if data.get("format") != FORMAT:
        return f"'format' is {data.get('format')!r}; this srnlab reads format {FORMAT}"
    seeds = data.get("seeds")
    if seeds is not None and (isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 1):
        return f"'seeds' must be a whole number >= 1, got {seeds!r}"
    return None


def difference(found: dict[str, Any], wanted: dict[str, Any]) -> str | None:
    """The first way the folder's manifest differs from this command's, in words; None if
    they match."""
    if found.get("srnlab") != wanted["srnlab"]:
        return f"it holds a {found.get('srnlab', 'different')} folder, not a {wanted['srnlab']}"
    if found.get("recipe") != wanted["recipe"]:
        there_name, _, there_digest = str(found.get("recipe")).partition("@")
        here_name, _, here_digest = str(wanted["recipe"]).partition("@")
        if there_name == here_name and there_digest and here_digest:  # a project's data digest
            return (
                f"the data files changed since they ran ({there_digest} there, {here_digest} here)"
            )
        return f"recipe {found.get('recipe')} there, {wanted['recipe']} here"
    there, here = flatten(found.get("config") or {}), flatten(wanted["config"])
    for key in sorted(set(there) | set(here)):
        if there.get(key) != here.get(key):
            return f"config {key}={there.get(key)!r} there, {here.get(key)!r} here"
    if found.get("grid") != wanted["grid"]:
        return f"grid {_grid_text(found.get('grid', []))} there, {_grid_text(wanted['grid'])} here"
    return None


def _grid_text(grid: list[Any]) -> str:
    return " ".join(f"{k}={','.join(_text(v) for v in vs)}" for k, vs in grid) or "(none)"


def inspect_folder(
    folder: Path, wanted: dict[str, Any], force: bool, n_seeds: int | None = None
) -> str:
    """What to do with ``--out``, decided before anything is written: ``"new"`` (it does not
    exist), ``"resume"`` (it holds the same recipe, config and grid, and no more seeds than
    ``n_seeds``: finished replications are kept), ``"replace"`` (``--force``). Anything else
    is a one-line ``UserError``."""
    from srnlab.fileio import check_parent

    folder = Path(folder)
    check_parent(folder)
    if not folder.exists() and not folder.is_symlink():
        return "new"
    if force:
        return "replace"
    found = read_manifest(folder) if folder.is_dir() else None
    if found is None:
        kind = "folder" if folder.is_dir() else "file"
        raise UserError(f"{folder} already exists ({kind}); pass --force to replace it")
    why = difference(found, wanted)
    if why is not None:
        raise UserError(
            f"{folder} holds other replications ({why}); choose another --out, or pass "
            "--force to replace it"
        )
    held = seeds_held(folder, found)
    if n_seeds is not None and held > n_seeds:
        raise UserError(
            f"{folder} holds a run of --seeds {held}; --seeds {n_seeds} would rewrite its "
            f"statistics over fewer replications. Rerun with --seeds {held} (or more), choose "
            "another --out, or pass --force to start afresh"
        )
    return "resume"


_SEED_FOLDER = re.compile(r"seed-(\d+)")


def seeds_held(folder: Path, found: dict[str, Any]) -> int:
    """How many seeds per condition the folder was run with: its manifest says (written since
    the manifest records it); for an older one, the finished seed-S/ folders do."""
    if isinstance(found.get("seeds"), int):
        return int(found["seeds"])
    base = found["config"].get("seed", 0)
    base = base if isinstance(base, int) else 0
    places = [folder, *(child for child in folder.iterdir() if child.is_dir())]
    seeds = [
        int(match.group(1))
        for place in places
        for child in place.iterdir()
        if (match := _SEED_FOLDER.fullmatch(child.name)) and child.is_dir()
    ]
    return max((seed - base + 1 for seed in seeds), default=0)


def prepare_folder(
    folder: Path, wanted: dict[str, Any], mode: str, n_seeds: int | None = None
) -> None:
    """Make ``folder`` ready for ``mode`` (from ``inspect_folder``): a new folder gets its
    manifest first, before any replication; ``replace`` removes what was there; a resumed one
    with more seeds than before records the new number."""
    from srnlab.fileio import write_json

    folder = Path(folder)
    record = wanted if n_seeds is None else wanted | {"seeds": n_seeds}
    if mode == "resume":
        found = read_manifest(folder) or {}
        if n_seeds is not None and found.get("seeds") != n_seeds:
            write_json(folder / MANIFEST, found | {"seeds": n_seeds})
        return
    if mode == "replace":
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder)
        else:
            folder.unlink()
    folder.mkdir()
    write_json(folder / MANIFEST, record)


def discard_if_empty(folder: Path) -> None:
    """Remove a folder of replications in which nothing was finished (only its manifest and
    temporary files): what a failed start leaves behind is not a result."""
    folder = Path(folder)
    if not folder.is_dir() or folder.is_symlink():
        return
    finished = any(
        _SEED_FOLDER.fullmatch(child.name) for child in folder.rglob("seed-*") if child.is_dir()
    )
    if not finished:
        shutil.rmtree(folder, ignore_errors=True)
