"""tlearn's node lists, as in ``1-3 from 0`` or ``output nodes are 4,6``.

A list is one word of comma-separated items; an item is a number or a range ``a-b``:

    0        the bias node (always on)
    K        node K (1 ... nodes)
    iK       input K (1 ... inputs)
    a-b      nodes a to b;   iA-iB  inputs A to B  (``i1-3`` mixes the two and is an error)

Units are returned as columns of tlearn's weight rows: 0 the bias, 1 ... ni the inputs,
ni + K node K (the order of a ``.wts`` file's values for one node).
"""

from __future__ import annotations

import re

_ITEM = re.compile(r"^(i?)(\d+)(?:-(i?)(\d+))?$")


class ListError(ValueError):
    """A list that cannot be read; the caller adds the file and line."""


def parse_list(text: str, n_nodes: int, n_inputs: int) -> list[int]:
    """The columns a list names, in the order written (duplicates dropped)."""
    if not text or text.startswith(",") or text.endswith(",") or ",," in text:
        raise ListError(f"a list is comma-separated items without spaces, got {text!r}")
    columns: list[int] = []
    for item in text.split(","):
        match = _ITEM.match(item)
        if match is None:
            raise ListError(f"cannot read {item!r}: expected K, iK, a-b or iA-iB")
        first_input, first, last_input, last = match.groups()
        if last is None:
            last_input, last = first_input, first
        elif first_input != last_input:
            raise ListError(f"range {item!r} mixes an input and a node; write iA-iB or a-b")
        low, high = int(first), int(last)
        if high < low:
            raise ListError(f"range {item!r} runs backwards")
        _column(high, bool(first_input), n_nodes, n_inputs)  # the range's end exists
        for number in range(low, high + 1):
            column = _column(number, bool(first_input), n_nodes, n_inputs)
            if column not in columns:
                columns.append(column)
    return columns


def _column(number: int, is_input: bool, n_nodes: int, n_inputs: int) -> int:
    if is_input:
        if not 1 <= number <= n_inputs:
            raise ListError(f"there is no input i{number}: inputs are i1-i{n_inputs}")
        return number
    if number == 0:
        return 0
    if number > n_nodes:
        raise ListError(f"there is no node {number}: nodes are 1-{n_nodes}")
    return n_inputs + number


def describe(column: int, n_inputs: int) -> str:
    """A column as the .cf would name it: 0 (bias), iK or a node number."""
    if column == 0:
        return "0"
    if column <= n_inputs:
        return f"i{column}"
    return str(column - n_inputs)


def format_list(columns: list[int], n_inputs: int) -> str:
    """The shortest list naming ``columns``: runs of three or more become ranges."""
    items: list[str] = []
    ordered = sorted(set(columns))
    start = 0
    while start < len(ordered):
        end = start
        while (
            end + 1 < len(ordered)
            and ordered[end + 1] == ordered[end] + 1
            and _kind(ordered[end + 1], n_inputs) == _kind(ordered[start], n_inputs)
        ):
            end += 1
        first, last = describe(ordered[start], n_inputs), describe(ordered[end], n_inputs)
        items.append(first if start == end else f"{first}-{last}")
        start = end + 1
    return ",".join(items)


def _kind(column: int, n_inputs: int) -> str:
    return "bias" if column == 0 else "input" if column <= n_inputs else "node"
