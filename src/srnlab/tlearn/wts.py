"""The ``.wts`` file: a tlearn network's weights.

    NETWORK CONFIGURED BY TLEARN
    # weights after 2000 sweeps
    # WEIGHTS
    # TO NODE 1
    2.074289           (from the bias)
    -5.630709          (from i1) ... then from nodes 1..N; 0 where there is no connection

tlearn writes 6 decimals (``%f``); srnlab writes the shortest text that reads back to the
same number, which tlearn's ``fscanf("%f")`` reads as well.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from srnlab.errors import UserError
from srnlab.tlearn.network import Network
from srnlab.tlearn.patterns import read_text

Array = np.ndarray
HEADER = "NETWORK CONFIGURED BY TLEARN"


def parse_wts(text: str, name: str = "<wts>") -> tuple[Array, int]:
    """(weights (nodes, 1 + inputs + nodes), sweeps) as the file has them."""
    weights, sweeps, _ = _parse(text, name)
    return weights, sweeps


def _parse(text: str, name: str) -> tuple[Array, int, list[int]]:
    """The weights, the sweeps, and the line of each '# TO NODE' header."""
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines or lines[0][1] != HEADER:
        where = lines[0][0] if lines else 1
        raise UserError(f"{name}:{where}: the first line must be {HEADER!r}: not a tlearn .wts")
    if len(lines) < 3 or not lines[1][1].startswith("# weights after"):
        raise UserError(
            f"{name}:{lines[min(1, len(lines) - 1)][0]}: expected '# weights after S sweeps'"
        )
    try:
        sweeps = int(lines[1][1].split()[3])
    except (IndexError, ValueError):
        raise UserError(f"{name}:{lines[1][0]}: expected '# weights after S sweeps'") from None
    if lines[2][1] != "# WEIGHTS":
        raise UserError(f"{name}:{lines[2][0]}: expected '# WEIGHTS'")
    rows: list[list[float]] = []
    headers: list[int] = []
    for number, line in lines[3:]:
        if line[0] == "#":
            words = line.split()
            if words[:3] != ["#", "TO", "NODE"] or words[3:] != [str(len(rows) + 1)]:
                raise UserError(f"{name}:{number}: expected '# TO NODE {len(rows) + 1}'")
            rows.append([])
            headers.append(number)
            continue
        if not rows:
            raise UserError(f"{name}:{number}: a weight before '# TO NODE 1'")
        try:
            value = float(line)
        except ValueError:
            raise UserError(
                f"{name}:{number}: expected one weight per line, got {line!r}"
            ) from None
        if not math.isfinite(value):
            raise UserError(f"{name}:{number}: weights must be finite, got {line!r}")
        rows[-1].append(value)
    if not rows:
        raise UserError(f"{name}:{lines[-1][0]}: no '# TO NODE' blocks: the file holds no weights")
    for node, row in enumerate(rows[1:], start=1):
        if len(row) != len(rows[0]):
            raise UserError(
                f"{name}:{headers[node]}: node {node + 1} has {len(row)} weights, node 1 has "
                f"{len(rows[0])}"
            )
    return np.array(rows), sweeps, headers


def read_wts(path: Path, network: Network) -> Array:
    """The weights of ``path`` for ``network``: a file for another network is an error;
    weights where the .cf has no connection are set to 0 (tlearn never uses them)."""
    weights, _, headers = _parse(read_text(path), str(path))
    expected = network.connected.shape
    if weights.shape != expected:
        nodes, columns = weights.shape
        where = headers[min(expected[0], nodes - 1)] if columns == expected[1] else headers[0]
        raise UserError(
            f"{path}:{where}: weights for another network: {nodes} nodes with {columns} "
            "weights each, "
            f"but the project has {expected[0]} nodes with {expected[1]} (1 bias + "
            f"{network.n_inputs} inputs + {network.n_nodes} nodes)"
        )
    return np.where(network.connected, weights, 0.0)


def format_wts(weights: Array, sweeps: int) -> str:
    lines = [HEADER, f"# weights after {sweeps} sweeps", "# WEIGHTS"]
    for node, row in enumerate(np.asarray(weights, dtype=float), start=1):
        lines.append(f"# TO NODE {node}")
        lines += [_number(v) for v in row]
    return "\n".join(lines) + "\n"


def _number(value: float) -> str:
    return "0.000000" if value == 0 else repr(float(value))
