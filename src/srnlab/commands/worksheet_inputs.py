"""What ``srnlab worksheet`` (and ``srnlab explore``) read and check before any work: the
network and its initial weights (random from a seed, or a weights file), the patterns (XOR or
a patterns file), the pattern order and the updates to show. Both file formats are described
in the worksheet command's DESCRIPTION.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from srnlab.backprop import Network
from srnlab.config import MAX_WHOLE, RANGES
from srnlab.errors import UserError
from srnlab.fileio import read_json
from srnlab.params import (
    FeedforwardParams,
    init_feedforward,
    named_weights,
    params_from_named,
    validate_sizes,
)
from srnlab.seeding import generators
from srnlab.tasks.xor import xor_patterns

SHOW_WORDS = ("first", "last", "all", "none")
WEIGHTS_FILE_KEYS = ("sizes", "weights", "comment")
PATTERNS_FILE_KEYS = ("inputs", "targets", "comment")
DEFAULT_SIZES = (2, 2, 1)
DEFAULT_SEED = 0
DEFAULT_INIT_RANGE = 1.0


# ---- the network and its weights -----------------------------------------------------------


def add_network_options(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup,
    *,
    activations: Sequence[str],
    losses: Sequence[str],
    seed_help: str = f"random initial weights from this seed (default: {DEFAULT_SEED})",
    weights_help: str = "initial weights from a JSON weights file",
) -> None:
    """The options both commands take for the network (``--sizes``, the unit functions, the
    loss) and its initial weights (``--seed`` or ``--weights``), read by
    ``network_and_weights``; the choices are the command's (the explorer offers fewer)."""
    parser.add_argument(
        "--sizes", metavar="N,N,..", help="layer sizes, inputs first (default: 2,2,1)"
    )
    parser.add_argument("--seed", type=int, metavar="N", help=seed_help)
    parser.add_argument("--weights", type=Path, metavar="FILE", help=weights_help)
    parser.add_argument("--hidden-activation", choices=activations, default="logistic")
    parser.add_argument("--output-activation", choices=activations, default="logistic")
    parser.add_argument(
        "--loss",
        choices=losses,
        default="squared",
        help="squared is the lecture's E = (y - a)^2 (default)",
    )


def network_and_weights(args: argparse.Namespace) -> tuple[Network, FeedforwardParams]:
    """The network the options describe, with its initial weights (``--weights`` or random)."""
    sizes = None if args.sizes is None else parse_sizes(args.sizes)
    if args.weights is not None:
        if args.seed is not None or args.init_range is not None:
            raise UserError("--weights gives the initial weights; drop --seed and --init-range")
        file_sizes, named = read_weights_file(args.weights)
        if sizes is not None and sizes != file_sizes:
            raise UserError(
                f"--sizes {dashed(sizes)} does not match the {dashed(file_sizes)} net in "
                f"weights file {args.weights}"
            )
        sizes = file_sizes
    network = Network(
        sizes or DEFAULT_SIZES, args.hidden_activation, args.output_activation, args.loss
    )
    check_size(network.sizes, 1, "batch", None, 1)  # before any weight is made or read
    if args.weights is not None:
        try:
            return network, params_from_named(network.sizes, named)
        except UserError as exc:
            raise UserError(f"weights file {args.weights}: {exc}") from None
    seed = DEFAULT_SEED if args.seed is None else args.seed
    init_range = DEFAULT_INIT_RANGE if args.init_range is None else args.init_range
    return network, random_weights(network.sizes, seed, init_range)


def random_weights(sizes: Sequence[int], seed: int, init_range: float) -> FeedforwardParams:
    """Uniform in [-init_range, init_range] from the seed's weights stream (``seeding``), so a
    seed gives the same initial net here as in ``srnlab run`` (and takes the same seeds and
    ranges)."""
    if not 0 <= seed <= MAX_WHOLE:
        raise UserError(f"--seed must be between 0 and {MAX_WHOLE}, got {seed}")
    low, high, _ = RANGES["init_range"]
    if not low <= init_range <= high:
        raise UserError(f"--init-range must be in [{low:g}, {high:g}], got {init_range}")
    return init_feedforward(sizes, generators(seed)["weights"], init_range)


#: The most weight-updates (weights x updates) a worksheet records: every factor of every
#: weight at every update is kept, printed and written as live spreadsheet formulas, which
#: is for a network small enough to follow by hand (2-1000-1 for one epoch takes seconds).
MAX_WEIGHT_UPDATES = 100_000


def check_size(
    sizes: Sequence[int], epochs: int, update: str, order: str | None, n_patterns: int
) -> None:
    """Refuse a worksheet too large to build in reasonable time and memory, before any work."""
    weights = sum((n_in + 1) * n_out for n_in, n_out in itertools.pairwise(sizes))
    per_epoch = n_patterns if order is None else len(order.split(","))
    updates = max(1, epochs) * (per_epoch if update == "online" else 1)
    if weights * updates > MAX_WEIGHT_UPDATES:
        raise UserError(
            f"a {dashed(sizes)} net ({weights:,} weights) over {updates:,} updates: "
            f"{weights * updates:,} weight-updates, too many for a worksheet (at most "
            f"{MAX_WEIGHT_UPDATES:,}); use a smaller net or fewer updates, or train it with "
            "`srnlab run`"
        )


def parse_sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise UserError(
            f"--sizes must be whole numbers separated by commas, inputs first, like 2,2,1; "
            f"got {shown!r}"
        ) from None
    return validate_sizes(sizes)


def read_weights_file(path: Path) -> tuple[tuple[int, ...], dict[str, float]]:
    """The sizes and the named weights of a weights file (the format is in DESCRIPTION)."""
    data = _json_object(path, "weights", WEIGHTS_FILE_KEYS)
    for key in ("sizes", "weights"):
        if key not in data:
            raise UserError(f"weights file {path} has no {key!r}; see `srnlab worksheet --help`")
    sizes = data["sizes"]
    if not isinstance(sizes, list) or not all(_is_whole(n) for n in sizes):
        raise UserError(
            f"weights file {path}: 'sizes' must be a list of whole numbers like [2, 2, 1]"
        )
    weights = data["weights"]
    if not isinstance(weights, dict):
        raise UserError(f"weights file {path}: 'weights' must be an object like {{\"w1,3\": 0.5}}")
    try:
        return validate_sizes(sizes), weights
    except UserError as exc:
        raise UserError(f"weights file {path}: {exc}") from None


def weights_file_data(params: FeedforwardParams) -> dict[str, Any]:
    """What ``--save-weights`` writes: a weights file that ``--weights`` reads back exactly."""
    return {
        "comment": "initial weights for `srnlab worksheet --weights FILE`; w<from>,<to> is the "
        "weight from unit <from> to unit <to>, a bias comes from an always-on unit",
        "sizes": list(params.sizes),
        "weights": named_weights(params),
    }


# ---- the patterns --------------------------------------------------------------------------


def load_patterns(choice: str, sizes: Sequence[int]) -> tuple[list[list[float]], list[list[float]]]:
    """The inputs and targets of ``--patterns`` (xor or a file), checked against the net."""
    if choice == "xor":
        x, y = xor_patterns()
        inputs, targets = x.tolist(), y.tolist()
        where = "the xor patterns"
    else:
        inputs, targets = read_patterns_file(Path(choice))
        where = f"patterns file {choice}"
    for what, rows, width, layer in (
        ("inputs", inputs, sizes[0], "input"),
        ("targets", targets, sizes[-1], "output"),
    ):
        if any(len(row) != width for row in rows):
            raise UserError(
                f"{where} have {len(rows[0])} {what} per pattern but the {dashed(sizes)} net "
                f"has {width} {layer} unit{'s' if width != 1 else ''}"
                + ("; give --patterns FILE" if choice == "xor" else "")
            )
    return inputs, targets


def read_patterns_file(path: Path) -> tuple[list[list[float]], list[list[float]]]:
    """The inputs and targets of a patterns file, one row each per pattern."""
    data = _json_object(path, "patterns", PATTERNS_FILE_KEYS)
    rows = {}
    for key in ("inputs", "targets"):
        value = data.get(key)
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(row, list) and row and all(map(_is_number, row)) for row in value)
        ):
            raise UserError(
                f"patterns file {path}: {key!r} must be a non-empty list of lists of numbers, "
                "one list per pattern"
            )
        rows[key] = [[float(v) for v in row] for row in value]
    if len(rows["inputs"]) != len(rows["targets"]):
        raise UserError(
            f"patterns file {path} has {len(rows['inputs'])} inputs but "
            f"{len(rows['targets'])} targets; give one target row per input row"
        )
    return rows["inputs"], rows["targets"]


def pattern_order(text: str | None, n_patterns: int) -> list[int] | None:
    """'--order 2,1' (patterns numbered from 1) as 0-based indices; None means all, in order."""
    if text is None:
        return None
    numbers = _numbers_list(text, "--order", n_patterns, "pattern")
    return [n - 1 for n in numbers]


def parse_show(text: str, n_updates: int) -> list[int]:
    """The update steps to print in detail: first, last, all, none, or a list like 1,3-5."""
    word = text.strip().lower()
    if word in SHOW_WORDS:
        return {
            "first": [1],
            "last": [n_updates],
            "all": list(range(1, n_updates + 1)),
            "none": [],
        }[word]
    steps: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        numbers = _numbers_list(f"{first},{last or first}", "--show", n_updates, "update")
        if numbers[1] < numbers[0]:
            raise UserError(f"--show: the range {part!r} runs backwards; write it low-high")
        steps += range(numbers[0], numbers[1] + 1)
    return sorted(set(steps))


def _numbers_list(text: str, option: str, count: int, noun: str) -> list[int]:
    """Whole numbers 1..count separated by commas, with an error that says what is valid."""
    try:
        numbers = [int(part) for part in text.split(",")]
    except ValueError:
        extra = f", or one of {', '.join(SHOW_WORDS)}" if option == "--show" else ""
        raise UserError(
            f"{option} must be {noun} numbers separated by commas{extra}; got {text!r}"
        ) from None
    for n in numbers:
        if not 1 <= n <= count:
            raise UserError(f"{option}: there is no {noun} {n}; they are numbered 1-{count}")
    return numbers


# ---- small helpers -------------------------------------------------------------------------


def _json_object(path: Path, what: str, keys: Sequence[str]) -> dict[str, Any]:
    data = read_json(path, what)
    if not isinstance(data, dict):
        raise UserError(f"{what} file {path} must hold a JSON object with keys {', '.join(keys)}")
    unknown = sorted(set(data) - set(keys))
    if unknown:
        raise UserError(
            f"{what} file {path} has unknown key {unknown[0]!r}; valid keys: {', '.join(keys)}"
        )
    return data


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def dashed(sizes: Sequence[int]) -> str:
    """(2, 2, 1) -> '2-2-1'."""
    return "-".join(str(n) for n in sizes)
