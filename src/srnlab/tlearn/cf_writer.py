"""The ``.cf`` file written: the text of a ``Network``, which ``cf.parse_cf`` reads back."""

from __future__ import annotations

import numpy as np

from srnlab.tlearn.lists import format_list
from srnlab.tlearn.network import BINARY, BIPOLAR, LINEAR, Network


def format_cf(network: Network) -> str:
    """The ``.cf`` text of ``network``, one connection line per receiving node.

    Group membership and one-to-one links are written per weight, so any network srnlab can
    hold is written; only the forms srnlab itself produces need to read back identically.
    """
    ni = network.n_inputs
    out = [
        "NODES:",
        f"nodes = {network.n_nodes}",
        f"inputs = {ni}",
        f"outputs = {len(network.outputs)}",
    ]
    plural = "nodes are" if len(network.outputs) > 1 else "node is"
    out.append(f"output {plural} {format_list([ni + k for k in network.outputs], ni)}")
    out += ["CONNECTIONS:", f"groups = {network.n_groups}"]
    for row in range(network.n_nodes):
        to = str(row + 1)
        kinds: dict[tuple[str, ...], list[int]] = {}
        for column in np.flatnonzero(network.connected[row]):
            kinds.setdefault(_constraint(network, row, int(column)), []).append(int(column))
        for constraint, columns in kinds.items():
            line = f"{to} from {format_list(columns, ni)} {' '.join(constraint)}"
            out.append(line.rstrip())
    out += _group_limit_lines(network)
    out.append("SPECIAL:")
    for code, key in ((LINEAR, "linear"), (BIPOLAR, "bipolar"), (BINARY, "binary")):
        nodes = [ni + int(k) + 1 for k in np.flatnonzero(network.functions == code)]
        if nodes:
            out.append(f"{key} = {format_list(nodes, ni)}")
    out.append(f"weight_limit = {network.weight_limit!r}")
    if network.selected:
        out.append(f"selected = {format_list([ni + k for k in network.selected], ni)}")
    return "\n".join(out) + "\n"


def _constraint(network: Network, row: int, column: int) -> tuple[str, ...]:
    words: list[str] = []
    limited = network.limited[row, column] and network.limits_on
    if network.group[row, column]:  # its limits, if any, go on a group line
        words += ["=", "group", str(int(network.group[row, column]))]
    elif limited:
        words += [
            "=",
            repr(float(network.low[row, column])),
            "&",
            repr(float(network.high[row, column])),
        ]
    if network.fixed[row, column]:
        words += ["fixed"] if words else ["=", "fixed"]
    return tuple(words)


def _group_limit_lines(network: Network) -> list[str]:
    """``group k = min & max`` for each group whose weights carry limits."""
    lines = []
    for number in range(1, network.n_groups + 1):
        members = (network.group == number) & network.limited & network.connected
        if network.limits_on and members.any():
            low, high = float(network.low[members][0]), float(network.high[members][0])
            lines.append(f"group {number} = {low!r} & {high!r}")
    return lines
