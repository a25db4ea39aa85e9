"""Recipe configs: frozen dataclasses, overridden from the command line as ``key=value``.

Every choice of an experiment is a field of its ``Config`` (with a default and a comment saying
which paper or lecture section it reproduces). ``--set key=value`` is checked against the
fields: an unknown key or a value of the wrong type is a ``UserError`` that lists what is valid.

A field may itself be a frozen dataclass, a *group* of settings (a project file's
``[training]`` table). Its settings are addressed with dotted keys, ``training.learning_rate``,
and where the last part names one setting only, by that part alone (``learning_rate``).
"""

from __future__ import annotations

import dataclasses
import difflib
import inspect
import io
import math
import numbers
import re
import textwrap
import tokenize
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from srnlab.errors import UserError

C = TypeVar("C")

_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


def field_types(config_class: type) -> dict[str, Any]:
    """The resolved type of every setting of a config dataclass, by key: a group's settings
    under dotted keys (``training.learning_rate``), the group itself not."""
    hints = typing.get_type_hints(config_class)
    kinds: dict[str, Any] = {}
    for f in dataclasses.fields(config_class):
        if not f.init:
            continue
        kind = hints[f.name]
        if _is_group(kind):
            kinds |= {f"{f.name}.{k}": v for k, v in field_types(kind).items()}
        else:
            kinds[f.name] = kind
    return kinds


def _is_group(kind: Any) -> bool:
    return isinstance(kind, type) and dataclasses.is_dataclass(kind)


def get_setting(config: Any, key: str) -> Any:
    """The value of a (dotted) key."""
    for part in key.split("."):
        config = getattr(config, part)
    return config


def replace_settings(config: C, changes: Mapping[str, Any]) -> C:
    """A copy of ``config`` with (dotted) keys changed; every group touched is rebuilt, so its
    own checks run again."""
    direct: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for key, value in changes.items():
        head, dot, rest = key.partition(".")
        if dot:
            nested.setdefault(head, {})[rest] = value
        else:
            direct[key] = value
    for head, inner in nested.items():
        direct[head] = replace_settings(getattr(config, head), inner)
    return dataclasses.replace(config, **direct)  # type: ignore[type-var]


def describe_fields(config_class: type, notes: bool = False) -> list[str]:
    """'key (type, default value)' for every field, for `srnlab list --keys`; with ``notes``,
    followed by what the source says about it (``field_notes``)."""
    return describe_settings(config_class(), notes)


def describe_settings(config: Any, notes: bool = False) -> list[str]:
    """``describe_fields`` for a config whose values are the defaults to show (a project
    file's config: its defaults are the file's values)."""
    config_class = type(config)
    said = group_notes(config_class) if notes else {}
    parts = []
    kinds = field_types(config_class)
    for name in _display_order(config_class, list(kinds)):
        kind = kinds[name]
        text = f"{name} ({_type_name(kind)}, default {get_setting(config, name)!r})"
        parts.append(f"{text}: {said[name]}" if name in said else text)
    return parts


def _display_order(config_class: type, names: list[str]) -> list[str]:
    """A config's own settings first, then those of the setting groups it is built from
    (``srnlab.settings``), the seed last: what is particular to an experiment is read first."""
    inherited = {
        f.name
        for base in config_class.__mro__[1:]
        if dataclasses.is_dataclass(base)
        for f in dataclasses.fields(base)
    }
    own = [n for n in names if n not in inherited]
    shared = [n for n in names if n in inherited and n != "seed"]
    return own + shared + [n for n in names if n == "seed" and n in inherited]


def group_notes(config_class: type) -> dict[str, str]:
    """``field_notes`` of a config and of each of its groups (under dotted keys)."""
    hints = typing.get_type_hints(config_class)
    notes = field_notes(config_class)
    for f in dataclasses.fields(config_class):
        if _is_group(hints[f.name]):
            notes |= {f"{f.name}.{k}": v for k, v in group_notes(hints[f.name]).items()}
    return notes


def field_notes(config_class: type) -> dict[str, str]:
    """What the source says about each field: the comment on the field's own line, or else
    the comment lines right above it, which also serve the uncommented fields that follow
    straight after (one note for a group of fields). Fields without a note are left out; so is
    everything when the source cannot be read. A field inherited from a setting group
    (``srnlab.settings``) has the group's note unless the class redeclares it with its own."""
    notes: dict[str, str] = {}
    for cls in reversed(config_class.__mro__):  # the groups first, the class itself last
        if dataclasses.is_dataclass(cls) and "__dataclass_fields__" in vars(cls):
            notes |= _class_notes(cls)
    return notes


def _class_notes(config_class: type) -> dict[str, str]:
    """``field_notes`` of the fields one class's own source declares."""
    try:
        source = textwrap.dedent(inspect.getsource(config_class))
    except (OSError, TypeError):
        return {}
    comments = {
        token.start[0]: token.string.lstrip("#").strip()
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    }
    names = set(config_class.__annotations__)  # the fields this class's own source declares
    notes: dict[str, str] = {}
    above: list[str] = []
    group = ""  # the block note of the group of uncommented fields being read
    for number, line in enumerate(source.splitlines(), start=1):
        body = re.match(r"    (\w+)\s*:", line)  # a field of the class body, not deeper
        if line.strip().startswith("#"):
            above.append(comments.get(number, ""))
            continue
        if body and body.group(1) in names:
            group = " ".join(above) or group
            note = comments.get(number) or group
            if note:
                notes[body.group(1)] = note
            if comments.get(number):
                group = ""
        else:
            group = ""
        above = []
    return notes


def parse_value(text: str, kind: Any, key: str) -> Any:
    """Convert the text of ``key=text`` to the field's type, or raise a clear UserError."""
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        if type(None) in args and text.strip().lower() in {"none", "null", ""}:
            return None
        errors = []
        for option in (a for a in args if a is not type(None)):
            try:
                return parse_value(text, option, key)
            except UserError as exc:
                errors.append(str(exc))
        raise UserError(f"{key}={text!r}: expected {_type_name(kind)}")
    if origin is typing.Literal:
        if text in args:
            return text
        raise UserError(f"{key}={text!r}: valid values are {', '.join(map(str, args))}")
    if origin is tuple:
        item_kind = args[0]
        items = [t for t in text.replace(" ", "").split(",") if t]
        return tuple(parse_value(item, item_kind, key) for item in items)
    if kind is bool:
        lowered = text.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise UserError(f"{key}={text!r}: expected true or false")
    if kind is int:
        try:
            return int(text)
        except ValueError:  # also a number too long to convert (Python caps the digits)
            raise UserError(f"{key}={_short(text)!r}: expected a whole number") from None
    if kind is float:
        return finite_float(text, lambda wanted: f"{key}={_short(text)!r}: expected {wanted}")
    if kind is str:
        return text
    raise TypeError(f"config field {key} has a type the parser does not know: {kind!r}")


def finite_float(text: str, problem: Callable[[str], str]) -> float:
    """``text`` as a finite number. Where it is none, or is inf or nan, a UserError saying
    ``problem(wanted)``, ``wanted`` being "a number" or "a finite number"."""
    try:
        value = float(text)
    except ValueError:
        raise UserError(problem("a number")) from None
    if not math.isfinite(value):
        raise UserError(problem("a finite number"))
    return value


def coerce_value(value: Any, kind: Any, key: str) -> Any:
    """A value read from a structured file (TOML, JSON) as the field's type, or a UserError.

    Text goes through ``parse_value`` (so "none" and "window" read as on the command line);
    a list becomes a tuple; an int is a float where a float is wanted, never a bool."""
    if isinstance(value, str) and kind is not str:
        return parse_value(value, kind, key)
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        for option in (a for a in args if a is not type(None)):
            try:
                return coerce_value(value, option, key)
            except UserError:
                continue
    elif origin is tuple and isinstance(value, list):
        return tuple(coerce_value(item, args[0], key) for item in value)
    elif kind is bool and isinstance(value, bool):
        return value
    elif kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    elif kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    elif kind is str and isinstance(value, str | int) and not isinstance(value, bool):
        return str(value)
    raise UserError(f"{key} = {value!r}: expected {_type_name(kind)}")


def _short(text: str, limit: int = 40) -> str:
    """A user's text cut short for a one-line message (a 5,000-digit number stays readable)."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


#: The largest whole number a config holds: a seed is a 32-bit number, and every count or size
#: is far below it (the memory estimate of ``srnlab.checks`` bounds them further).
MAX_WHOLE = 2**32 - 1


def check_fields(config: Any) -> None:
    """Every field of a config holds a value of its declared type, and every number in it is
    usable: a float is finite, a whole number lies in [0, MAX_WHOLE]. A config reaches its
    ``__post_init__`` from the command line, a project file, a run folder's config.json or
    code; this is the one check all of them pass through (each recipe adds its own ranges)."""
    for name, kind in field_types(type(config)).items():
        value = get_setting(config, name)
        if typing.get_origin(kind) is typing.Literal and value not in typing.get_args(kind):
            valid = ", ".join(map(str, typing.get_args(kind)))
            raise UserError(f"unknown {name} {_short(repr(value))}; valid: {valid}")
        if not _has_type(value, kind):
            raise UserError(f"{name} must be {_type_name(kind)}, got {_short(repr(value))}")
        for number in _numbers_in(value):
            if isinstance(number, numbers.Integral):
                if not 0 <= int(number) <= MAX_WHOLE:
                    raise UserError(f"{name} must be between 0 and {MAX_WHOLE}, got {number}")
            elif not math.isfinite(number):
                raise UserError(f"{name} must be a finite number, got {number}")


#: Ranges of the settings several recipes share, by field name: (low, high, low included).
#: Beyond them training only overflows (a learning rate of 1e300 turns every weight into inf)
#: or the numbers mean nothing.
RANGES: dict[str, tuple[float, float, bool]] = {
    "learning_rate": (0.0, 100.0, False),
    "test_learning_rate": (0.0, 100.0, False),
    "init_range": (0.0, 100.0, True),
    "context_start": (-100.0, 100.0, True),
}


def check_ranges(config: Any) -> None:
    """Each of the config's fields named in ``RANGES`` (and not None) lies in its range."""
    for name, (low, high, low_included) in RANGES.items():
        value = getattr(config, name, None)
        if value is None:
            continue
        if not (low <= value if low_included else low < value):
            raise UserError(f"{name} must be {'>=' if low_included else '>'} {low:g}, got {value}")
        if not value <= high:
            raise UserError(f"{name} must be <= {high:g}, got {value}")


def _has_type(value: Any, kind: Any) -> bool:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        return any(_has_type(value, option) for option in typing.get_args(kind))
    if origin is typing.Literal:
        return value in typing.get_args(kind)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        return isinstance(value, tuple) and all(_has_type(v, item) for v in value)
    if kind is type(None):
        return value is None
    if kind is bool:
        return isinstance(value, bool)
    if kind is int:
        return isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, numbers.Real) and not isinstance(value, bool)
    return isinstance(value, kind)


def _numbers_in(value: Any) -> list[Any]:
    items = value if isinstance(value, tuple) else (value,)
    return [v for v in items if isinstance(v, numbers.Real) and not isinstance(v, bool)]


def split_assignment(
    assignment: str, kinds: Mapping[str, Any], usage: str, option: str = ""
) -> tuple[str, str]:
    """``key=text`` as (key, text), the key one of the config's fields; otherwise a UserError
    that says ``usage`` (a malformed assignment) or lists the valid keys."""
    key, sep, text = assignment.partition("=")
    key = key.strip()
    if not sep or not key:
        raise UserError(f"{usage}, got {assignment!r}")
    return resolve_key(key, kinds, option), text


def resolve_key(key: str, kinds: Mapping[str, Any], option: str = "") -> str:
    """``key`` as one of the config's keys: itself, or the one dotted key it ends (``hidden``
    for ``network.hidden``). Unknown: a UserError that suggests the nearest key and lists all."""
    if key in kinds:
        return key
    ending = [k for k in kinds if k.endswith("." + key)]
    if len(ending) == 1:
        return ending[0]
    if len(ending) > 1:
        raise UserError(f"{option}{key!r} is ambiguous: say which, {' or '.join(ending)}")
    hint = nearest_hint(key, kinds)
    raise UserError(f"{option}unknown config key {key!r}{hint}; valid keys: {', '.join(kinds)}")


def nearest_hint(name: str, valid: Iterable[str]) -> str:
    """' (did you mean 'X'?)' for the valid name nearest a misspelt one, or '' if none is near."""
    near = difflib.get_close_matches(name, list(valid), n=1, cutoff=0.6)
    return f" (did you mean {near[0]!r}?)" if near else ""


def apply_overrides(config: C, assignments: Sequence[str]) -> C:
    """A copy of ``config`` with ``key=value`` assignments applied (validated by the class)."""
    config_class = type(config)
    kinds = field_types(config_class)
    changes: dict[str, Any] = {}
    for assignment in assignments:
        key, text = split_assignment(assignment, kinds, "--set expects key=value")
        changes[key] = parse_value(text.strip(), kinds[key], key)
    return replace_settings(config, changes)


def config_from_dict(config_class: type[C], data: dict[str, Any]) -> C:
    """Rebuild a config from its JSON form (tuples come back from lists, groups from
    nested objects)."""
    hints = typing.get_type_hints(config_class)
    fields = {
        f.name: hints[f.name]
        for f in dataclasses.fields(config_class)  # type: ignore[arg-type]
        if f.init
    }
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise UserError(
            f"unknown config keys {', '.join(unknown)}; valid keys: {', '.join(fields)}"
        )
    values = {}
    for key, value in data.items():
        if _is_group(fields[key]) and isinstance(value, dict):
            values[key] = config_from_dict(fields[key], value)
        else:
            values[key] = tuple(value) if isinstance(value, list) else value
    try:
        return config_class(**values)
    except TypeError as exc:  # a value of a type the recipe's own checks do not expect
        raise UserError(f"bad config value: {exc}") from None


def config_to_dict(config: Any) -> dict[str, Any]:
    """A config as JSON-ready data: tuples as lists, groups as nested objects."""
    return {f.name: _plain(getattr(config, f.name)) for f in dataclasses.fields(config) if f.init}


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return config_to_dict(value)
    return list(value) if isinstance(value, tuple) else value


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A nested config dict as {dotted key: value}."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Mapping):
            flat |= flatten(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _type_name(kind: Any) -> str:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in typing.get_args(kind))
    if origin is typing.Literal:
        return "one of " + "/".join(map(str, typing.get_args(kind)))
    if origin is tuple:
        return f"comma-separated {_type_name(typing.get_args(kind)[0])}s"
    if kind is type(None):
        return "none"
    return getattr(kind, "__name__", str(kind))
