"""Reading a project file (TOML, with the standard library's ``tomllib``) into a config.

Every mistake is one ``UserError`` line that names the file, the key, the line where the key
stands, and what is valid; a misspelt key or table suggests the nearest valid one.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import typing
from pathlib import Path
from typing import Any

from srnlab.config import coerce_value, nearest_hint
from srnlab.errors import UserError
from srnlab.project.settings import FEEDFORWARD_TRAINING, ProjectConfig

#: The tables a project file may hold, each with the settings group it fills.
TABLES = ("network", "data", "training", "test", "analysis")
TOP_KEYS = ("name", "seed")
MAX_PROJECT_BYTES = 1_000_000  # a project file is a few lines; a bigger one is the wrong file


@dataclasses.dataclass(frozen=True)
class ProjectFile:
    """A read project file: where it is, its text, and the config it declares."""

    path: Path
    text: str
    config: ProjectConfig

    @property
    def folder(self) -> Path:
        return self.path.parent


def read_project(path: Path) -> ProjectFile:
    """Read and check ``path``; nothing of the data is read yet (see ``project.data``)."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"project file {path} does not exist")
    if not path.is_file():
        raise UserError(f"project file {path} is not a file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read project file {path}: {exc.strerror}") from None
    if len(raw) > MAX_PROJECT_BYTES:
        raise UserError(f"{path}: {len(raw):,} bytes is too large for a project file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None
    return ProjectFile(path.resolve(), text, config_from_document(document, text, path))


def config_from_document(document: dict[str, Any], text: str, path: Path) -> ProjectConfig:
    """The config a parsed TOML document declares (defaults where a key is left out)."""

    def fail(key: str, problem: str) -> UserError:
        line = line_of(text, key.strip("[]"))
        where = f"{path}:{line}" if line else f"{path}"
        return UserError(f"{where}: {key}: {problem}")

    hints = typing.get_type_hints(ProjectConfig)
    values: dict[str, Any] = {"name": path.stem}
    groups: dict[str, dict[str, Any]] = {}
    for key, value in document.items():
        if key in TABLES:
            if not isinstance(value, dict):
                raise fail(key, f"expected a table [{key}], got a value")
            groups[key] = value
        elif key in TOP_KEYS:
            values[key] = _coerce(value, hints[key], key, fail)
        else:
            raise fail(key, _unknown("table or key", key, (*TABLES, *TOP_KEYS)))
    training = groups.get("training", {})
    if "seed" in training:
        if "seed" in values:
            raise fail("training.seed", "seed is given twice (top level and [training])")
        values["seed"] = _coerce(training["seed"], int, "training.seed", fail)
    kind = groups.get("network", {}).get("kind", "srn")
    for table in TABLES:
        given = {
            k: v for k, v in groups.get(table, {}).items() if (table, k) != ("training", "seed")
        }
        values[table] = _group(table, hints[table], given, kind, fail)
    try:
        return ProjectConfig(**values)
    except UserError as exc:
        raise UserError(f"{path}: {exc}") from None


def _group(table: str, group_class: type, given: dict[str, Any], kind: str, fail: Any) -> Any:
    hints = typing.get_type_hints(group_class)
    fields = [f.name for f in dataclasses.fields(group_class)]
    values: dict[str, Any] = {}
    for key, value in given.items():
        dotted = f"{table}.{key}"
        if key not in fields:
            raise fail(dotted, _unknown(f"key in [{table}]", key, fields))
        values[key] = _coerce(value, hints[key], dotted, fail)
    if table == "training" and kind == "feedforward":
        values = FEEDFORWARD_TRAINING | values
    if table == "data" and values.get("patterns") and values.get("targets"):
        values.setdefault("task", "targets")
    try:
        return group_class(**values)
    except UserError as exc:
        named = _named_key(str(exc), table)
        if named is None:  # a check of the table as a whole: point at its header
            raise fail(f"[{table}]", str(exc)) from None
        raise fail(named, str(exc).removeprefix(named).strip(" :")) from None


def _coerce(value: Any, kind: Any, key: str, fail: Any) -> Any:
    try:
        return coerce_value(value, kind, key)
    except UserError as exc:
        raise fail(key, str(exc).removeprefix(f"{key} = ").removeprefix(f"{key}=")) from None


def _unknown(what: str, key: str, valid: typing.Sequence[str]) -> str:
    return f"unknown {what}{nearest_hint(key, valid)}; valid: {', '.join(valid)}"


def _named_key(message: str, table: str) -> str | None:
    """The dotted key a settings check names at the start of its message, if any."""
    match = re.match(rf"({table}\.\w+)", message)
    return match.group(1) if match else None


def line_of(text: str, dotted: str) -> int | None:
    """The line (1-based) where ``table.key`` (or a top-level key or table) is written."""
    table, _, key = dotted.rpartition(".")
    current = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.match(r"\[\s*([\w.-]+)\s*\]", stripped)
        if header:
            current = header.group(1)
            if not table and current == key:
                return number
            continue
        if current == table and re.match(rf"{re.escape(key)}\s*=", stripped):
            return number
    return None
