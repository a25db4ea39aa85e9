"""The ``.cf`` file: tlearn's network configuration, parsed (``cf_writer`` writes it).

    NODES:
    nodes = 5
    inputs = 1
    outputs = 1
    output node is 3
    CONNECTIONS:
    groups = 0
    1-2 from 0                 (bias)
    1-2 from i1
    1-2 from 4-5               (context -> hidden)
    3 from 1-2
    4-5 from 1-2 = 1. & 1. fixed one-to-one   (the copy links)
    SPECIAL:
    linear = 4-5
    weight_limit = 1.0
    selected = 1-2

A connection line is ``TO from FROM [= fixed | = min & max | = group k] [fixed] [one-to-one]``;
``group LIST = fixed`` and ``group LIST = min & max`` constrain groups. Every problem is a
``UserError`` "FILE:LINE: problem".
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from srnlab.errors import UserError
from srnlab.tlearn.lists import ListError, parse_list
from srnlab.tlearn.network import BINARY, BIPOLAR, LINEAR, Network
from srnlab.tlearn.patterns import read_text, whole_number

MAX_WEIGHTS = 50_000_000  # nodes x (1 + inputs + nodes): 400 MB of float64 weights
MAX_GROUPS = 100_000
FUNCTION_KEYS = {"linear": LINEAR, "bipolar": BIPOLAR, "binary": BINARY}
#: SPECIAL keys tlearn uses only to draw the network; read and ignored here.
DISPLAY_KEYS = ("layer", "slab")


class _Lines:
    """The file's non-blank lines as (line number, words), with errors that name the line."""

    def __init__(self, text: str, name: str) -> None:
        self.name = name
        self._lines = [
            (number, line.split())
            for number, line in enumerate(text.splitlines(), start=1)
            if line.strip()
        ]
        self._next = 0
        self.number = 0

    def peek(self) -> list[str] | None:
        return self._lines[self._next][1] if self._next < len(self._lines) else None

    def take(self, what: str) -> list[str]:
        if self._next >= len(self._lines):
            raise self.error(f"the file ends where {what} should be", at_end=True)
        self.number, words = self._lines[self._next]
        self._next += 1
        return words

    def error(self, problem: str, at_end: bool = False) -> UserError:
        number = self._lines[-1][0] if at_end and self._lines else self.number
        return UserError(f"{self.name}:{number}: {problem}")

    def __iter__(self) -> Iterator[list[str]]:
        while self.peek() is not None:
            yield self.take("a line")


@dataclass
class _Builder:
    """The fields of ``Network`` that the CONNECTIONS section fills in, and only those: the
    sizes and the number of groups as declared, then one array per weight for each constraint
    (``parse_cf`` passes them on as they are)."""

    n_nodes: int
    n_inputs: int
    n_groups: int
    connected: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        shape = (self.n_nodes, 1 + self.n_inputs + self.n_nodes)
        self.connected = np.zeros(shape, dtype=bool)
        self.fixed = np.zeros(shape, dtype=bool)
        self.group = np.zeros(shape, dtype=np.int64)
        self.limited = np.zeros(shape, dtype=bool)
        self.low = np.zeros(shape)
        self.high = np.zeros(shape)


def read_cf(path: Path) -> Network:
    """Parse a ``.cf`` file."""
    return parse_cf(read_text(path), str(path))


def parse_cf(text: str, name: str = "<cf>") -> Network:
    """Parse the text of a ``.cf`` file; ``name`` is used in the error messages."""
    lines = _Lines(text, name)
    if lines.take("NODES:") != ["NODES:"]:
        raise lines.error('the first line must be "NODES:"')
    sizes = _sizes(lines)
    n_nodes, n_inputs, n_outputs = sizes["nodes"], sizes["inputs"], sizes["outputs"]
    outputs = _outputs(lines, n_nodes, n_inputs, n_outputs)
    if lines.take("CONNECTIONS:") != ["CONNECTIONS:"]:
        raise lines.error('expected "CONNECTIONS:"')
    groups_text = _assignment(lines, lines.take("groups = G"), ("groups",))[1]
    n_groups = _whole(lines, groups_text, "groups", minimum=0)
    if n_groups > MAX_GROUPS:
        raise lines.error(f"groups = {n_groups}: srnlab holds at most {MAX_GROUPS:,} groups")
    built = _Builder(n_nodes, n_inputs, n_groups)
    limits_on = _connections(lines, built)
    functions, weight_limit, selected = _special(lines, n_nodes, n_inputs)
    return Network(
        **vars(built),  # the sizes, the number of groups and the per-weight arrays
        outputs=outputs,
        functions=functions,
        limits_on=limits_on,
        weight_limit=weight_limit,
        selected=selected,
    )


def _sizes(lines: _Lines) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for _ in range(3):
        key, value = _assignment(lines, lines.take("nodes/inputs/outputs = N"), None)
        if key not in ("nodes", "inputs", "outputs") or key in sizes:
            raise lines.error(f'expected "nodes = N", "inputs = N" and "outputs = N", got {key!r}')
        sizes[key] = _whole(lines, value, key, minimum=1 if key != "inputs" else 0)
    if sizes["nodes"] * (1 + sizes["inputs"] + sizes["nodes"]) > MAX_WEIGHTS:
        raise lines.error(
            f"{sizes['nodes']} nodes and {sizes['inputs']} inputs: more weights than srnlab "
            f"holds ({MAX_WEIGHTS:,})"
        )
    if sizes["outputs"] > sizes["nodes"]:
        raise lines.error(f"{sizes['outputs']} outputs but only {sizes['nodes']} nodes")
    return sizes


def _outputs(lines: _Lines, n_nodes: int, n_inputs: int, n_outputs: int) -> tuple[int, ...]:
    words = lines.take("output nodes are LIST")
    if (
        len(words) != 4
        or words[0] != "output"
        or words[1] not in ("node", "nodes")
        or words[2] not in ("is", "are")
    ):
        raise lines.error('expected "output node is LIST" or "output nodes are LIST"')
    columns = _list(lines, words[3], n_nodes, n_inputs)
    _reject_bias_and_inputs(lines, columns, n_inputs, "output")
    if len(columns) != n_outputs:
        raise lines.error(f"outputs = {n_outputs}, but the list names {len(columns)} nodes")
    return tuple(sorted(c - n_inputs for c in columns))


#: Where only nodes may stand, what is said of the bias and of an input ({} its number).
_NOT_A_NODE = {
    "output": (
        "the bias node (0) cannot be an output",
        "input i{} cannot be an output: outputs are nodes",
    ),
    "target": (
        "cannot connect TO the bias node (0)",
        "input i{} cannot receive connections (it is used as a target)",
    ),
}


def _reject_bias_and_inputs(lines: _Lines, columns: list[int], n_inputs: int, role: str) -> None:
    """Reject the bias column and input columns in a list of outputs or connection targets."""
    not_bias, not_input = _NOT_A_NODE[role]
    for column in columns:
        if column == 0:
            raise lines.error(not_bias)
        if column <= n_inputs:
            raise lines.error(not_input.format(column))


def _connections(lines: _Lines, built: _Builder) -> bool:
    """Read connection and group lines up to SPECIAL:; returns whether limits are on."""
    limits_on = False
    n_nodes, n_inputs = built.n_nodes, built.n_inputs
    while True:
        words = lines.take("SPECIAL:")
        if words == ["SPECIAL:"]:
            return limits_on
        if words[0] == "group":
            limits_on |= _group_line(lines, words, built)
            continue
        if len(words) < 3 or words[1] != "from":
            raise lines.error('expected "TO from FROM ...", "group ..." or "SPECIAL:"')
        to = _list(lines, words[0], n_nodes, n_inputs)
        _reject_bias_and_inputs(lines, to, n_inputs, "target")
        sources = _list(lines, words[2], n_nodes, n_inputs)
        rows = [c - n_inputs - 1 for c in to]
        block = np.ix_(rows, sources)
        fresh = ~built.connected[block]
        built.connected[block] = True
        rest = words[3:]
        clause: tuple[str, float, float] | None = None
        if rest and rest[0] == "=":
            clause, rest = _clause(lines, rest[1:], built.n_groups)
            kind, low, high = clause
            if kind == "fixed":
                built.fixed[block] = True
            elif kind == "group":
                built.group[block] = int(low)
            else:
                built.limited[block] = True
                built.low[block], built.high[block] = low, high
                limits_on = True
        if rest and rest[0] == "fixed":
            built.fixed[block] = True
            rest = rest[1:]
        if rest and rest[0] == "one-to-one":
            _one_to_one(lines, built, rows, sources, fresh)
            rest = rest[1:]
        if rest:
            raise lines.error(f"unexpected {' '.join(rest)!r} at the end of the connection")


def _clause(
    lines: _Lines, words: list[str], n_groups: int
) -> tuple[tuple[str, float, float], list[str]]:
    """``fixed``, ``group k`` or ``min & max`` after an ``=``; returns it and the words left."""
    if not words:
        raise lines.error('expected "fixed", "group k" or "min & max" after "="')
    if words[0] == "fixed":
        return ("fixed", 0.0, 0.0), words[1:]
    if words[0] == "group":
        if len(words) < 2:
            raise lines.error('expected a group number after "= group"')
        number = _whole(lines, words[1], "group", minimum=1)
        if number > n_groups:
            raise lines.error(f"group {number} does not exist: groups = {n_groups}")
        return ("group", float(number), 0.0), words[2:]
    if words[0] == "recurrent":
        raise lines.error("'= recurrent' (tlearn's BPTT mode) is not supported by srnlab")
    if len(words) < 3 or words[1] != "&":
        raise lines.error(f'expected "min & max" with spaces around "&", got {" ".join(words)!r}')
    low, high = _number(lines, words[0], "min"), _number(lines, words[2], "max")
    if high < low:
        raise lines.error(f"max {words[2]} is below min {words[0]}")
    return ("limits", low, high), words[3:]


def _one_to_one(
    lines: _Lines, built: _Builder, rows: list[int], sources: list[int], fresh: np.ndarray
) -> None:
    """TO unit k takes only FROM unit k: the first TO from the first FROM, and so on. As in
    tlearn, these links are fixed and keep the line's limits."""
    if len(rows) != len(sources):
        raise lines.error(
            f"one-to-one needs as many FROM as TO units ({len(sources)} vs {len(rows)})"
        )
    for row, fresh_row in zip(rows, fresh, strict=True):
        cleared = [s for s, new in zip(sources, fresh_row, strict=True) if new]
        built.connected[row, cleared] = False
        built.fixed[row, cleared] = False
        built.limited[row, cleared] = False
    for row, source in zip(rows, sources, strict=True):
        built.connected[row, source] = True
        built.fixed[row, source] = True
        built.limited[row, source] = True


def _group_line(lines: _Lines, words: list[str], built: _Builder) -> bool:
    if len(words) < 4 or words[2] != "=":
        raise lines.error('expected "group LIST = fixed" or "group LIST = min & max"')
    try:
        numbers = parse_list(words[1], built.n_groups, 0)
    except ListError as exc:
        raise lines.error(f"group list: {exc}".replace("node", "group")) from None
    if 0 in numbers:
        raise lines.error("groups are numbered from 1")
    members = np.isin(built.group, numbers)
    clause, rest = _clause(lines, words[3:], built.n_groups)
    if rest:
        raise lines.error(f"unexpected {' '.join(rest)!r} at the end of the group line")
    kind, low, high = clause
    if kind == "fixed":
        built.fixed[members] = True
        return False
    if kind == "group":
        raise lines.error('a group line says "= fixed" or "= min & max"')
    built.limited[members] = True
    built.low[members], built.high[members] = low, high
    return True


def _special(
    lines: _Lines, n_nodes: int, n_inputs: int
) -> tuple[np.ndarray, float, tuple[int, ...]]:
    """The SPECIAL: section, to the end of the file: each node's function, the weight limit
    and the selected nodes."""
    functions = np.zeros(n_nodes, dtype=np.int64)
    weight_limit, selected = 1.0, tuple[int, ...]()
    for words in lines:
        key, value = _assignment(lines, words, None)
        if key == "weight_limit":
            weight_limit = _number(lines, value, "weight_limit")
            if weight_limit < 0:
                raise lines.error(f"weight_limit must be >= 0, got {value}")
        elif key in FUNCTION_KEYS:
            for column in _nodes_only(lines, value, n_nodes, n_inputs, key):
                functions[column - n_inputs - 1] = FUNCTION_KEYS[key]
        elif key == "selected":
            selected = tuple(
                c - n_inputs for c in _nodes_only(lines, value, n_nodes, n_inputs, key)
            )
        elif key in DISPLAY_KEYS:
            _list(lines, value, n_nodes, n_inputs)  # checked, then ignored
        elif key == "delayed":
            raise lines.error("delayed units are not supported by srnlab")
        else:
            valid = ", ".join(("weight_limit", "selected", *FUNCTION_KEYS, *DISPLAY_KEYS))
            raise lines.error(f"unknown SPECIAL key {key!r}; valid: {valid}")
    return functions, weight_limit, selected


def _assignment(lines: _Lines, words: list[str], keys: tuple[str, ...] | None) -> tuple[str, str]:
    if len(words) != 3 or words[1] != "=":
        raise lines.error(f'expected "key = value" with spaces around "=", got {" ".join(words)!r}')
    if keys is not None and words[0] not in keys:
        raise lines.error(f'expected "{keys[0]} = ...", got {words[0]!r}')
    return words[0], words[2]


def _list(lines: _Lines, text: str, n_nodes: int, n_inputs: int) -> list[int]:
    try:
        return parse_list(text, n_nodes, n_inputs)
    except ListError as exc:
        raise lines.error(str(exc)) from None


def _nodes_only(lines: _Lines, text: str, n_nodes: int, n_inputs: int, key: str) -> list[int]:
    columns = _list(lines, text, n_nodes, n_inputs)
    if any(c <= n_inputs for c in columns):
        raise lines.error(f"{key} lists nodes only (not the bias or inputs)")
    return columns


def _whole(lines: _Lines, text: str, key: str, minimum: int) -> int:
    return whole_number(text, minimum, key, f"{key} must be a whole number", lines.error)


def _number(lines: _Lines, text: str, key: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise lines.error(f"{key} must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise lines.error(f"{key} must be finite, got {text!r}")
    return value
