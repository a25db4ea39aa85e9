"""``srnlab worksheet``: every number of a backprop update, as in the lecture's spreadsheet."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from srnlab.activations import ACTIVATIONS
from srnlab.backprop import Network
from srnlab.config import MAX_WHOLE, RANGES
from srnlab.errors import UserError
from srnlab.explain import UPDATE_MODES, Worksheet, build_worksheet, explain_pattern
from srnlab.fileio import StagedFolder, check_new_path, read_json, write_json
from srnlab.losses import LOSSES
from srnlab.params import (
    FeedforwardParams,
    init_feedforward,
    named_weights,
    params_from_named,
    validate_sizes,
)
from srnlab.seeding import generators
from srnlab.tasks.xor import xor_patterns
from srnlab.worksheet_render import render_csv, render_markdown, render_text, write_xlsx

NAME = "worksheet"
HELP = "every number of a backprop update, as in the lecture's spreadsheet"
DESCRIPTION = """\
Work through backprop by hand, the way the lecture's spreadsheet does: for every update it
shows the net input x_i and activation a_i of every unit, the error E, every chain-rule factor
(dE/da, sigma'(x), dx/dw) and their product dE/dw for every weight, then the weight change and
the new weight. Units are numbered as in the lecture: a 2-2-1 net has inputs 1-2, hidden units
3-4 and output 5; a bias is the weight from an always-on unit (w0,3, w0,4 and w6,5).

By default: the 2-2-1 XOR network with random weights from --seed 0 (uniform in +-1, the same
initial weights as `srnlab run xor --set seed=0`), the four XOR patterns 00, 01, 10, 11 -> 0, 1, 1,
0, one online epoch (four updates) with learning rate 0.5 and the lecture's E = (y - a)^2. The
terminal shows the first update in full and a summary of every update (--show to choose);
--out DIR writes all of them.

examples:
  srnlab worksheet                             one XOR epoch, the first update in detail
  srnlab worksheet --order 2                   a single update, on pattern 2 (01 -> 1)
  srnlab worksheet --show all --format markdown
  srnlab worksheet --update batch --momentum 0.9 --epochs 3
  srnlab worksheet --save-weights my.json      a weights file to edit, then:
  srnlab worksheet --weights my.json --out sheet
                                               sheet/worksheet.xlsx recomputes when you edit
                                               a yellow cell (an initial weight, a pattern, the
                                               learning rate or the momentum)
  srnlab worksheet --sizes 2,3,2,1 --hidden-activation tanh --seed 7

weights file (--weights, and what --save-weights writes): a JSON object with the layer sizes
and every weight exactly once, by its lecture name w<from>,<to>:
  {"sizes": [2, 2, 1],
   "weights": {"w0,3": 0.1, "w1,3": 0.2, "w2,3": -0.3,
               "w0,4": 0.4, "w1,4": -0.5, "w2,4": 0.6,
               "w6,5": 0.7, "w3,5": -0.8, "w4,5": 0.9}}
Bias units: unit 0 feeds the first layer above the inputs; every later layer's bias unit is
numbered after the last real unit (6 for the output of a 2-2-1 net). An optional "comment"
key is ignored.

patterns file (--patterns FILE): one row of inputs and one row of targets per pattern:
  {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]}

--out DIR writes worksheet.md, worksheet.csv (tidy: step, epoch, pattern, kind, item, factor,
value), worksheet.xlsx (live formulas), network.png/.svg (the initial net, with the first
pattern's activations) and network_final.png/.svg (the net after the last update), and
manifest.json (what wrote the folder). DIR may exist; files already there are replaced only
with --force, except in a folder an earlier `srnlab worksheet --out` wrote: running the same
command again refreshes it.
"""

OUTPUT_TEXT = {"text": render_text, "markdown": render_markdown}
SHOW_WORDS = ("first", "last", "all", "none")
WEIGHTS_FILE_KEYS = ("sizes", "weights", "comment")
PATTERNS_FILE_KEYS = ("inputs", "targets", "comment")
FIGURE_STEMS = ("network", "network_final")
OUTPUT_FILES = (
    "worksheet.md",
    "worksheet.csv",
    "worksheet.xlsx",
    *(f"{stem}.{ext}" for stem in FIGURE_STEMS for ext in ("png", "svg")),
)
SUMMARY_LIMIT = 20  # rows of the every-update table printed; the files in --out hold them all
DEFAULT_SIZES = (2, 2, 1)
DEFAULT_SEED = 0
DEFAULT_INIT_RANGE = 1.0


def configure(parser: argparse.ArgumentParser) -> None:
    net = parser.add_argument_group("the network")
    net.add_argument("--sizes", metavar="N,N,..", help="layer sizes, inputs first (default: 2,2,1)")
    net.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help=f"random initial weights from this seed (default: {DEFAULT_SEED})",
    )
    net.add_argument(
        "--init-range",
        type=float,
        metavar="R",
        help=f"random weights are uniform in [-R, R] (default: {DEFAULT_INIT_RANGE:g})",
    )
    net.add_argument(
        "--weights", type=Path, metavar="FILE", help="initial weights from a JSON file (below)"
    )
    net.add_argument(
        "--save-weights",
        type=Path,
        metavar="FILE",
        help="also write the initial weights as a JSON weights file, to edit and reuse",
    )
    net.add_argument("--hidden-activation", choices=sorted(ACTIVATIONS), default="logistic")
    net.add_argument("--output-activation", choices=sorted(ACTIVATIONS), default="logistic")
    net.add_argument(
        "--loss",
        choices=sorted(LOSSES),
        default="squared",
        help="squared is the lecture's E = (y - a)^2 (default)",
    )

    run = parser.add_argument_group("the updates")
    run.add_argument(
        "--patterns",
        default="xor",
        metavar="xor|FILE",
        help="the patterns: xor (default) or a JSON patterns file (below)",
    )
    run.add_argument(
        "--order",
        "--pattern-order",
        metavar="P,P,..",
        help="patterns an epoch uses, numbered from 1, in order (default: all, as listed)",
    )
    run.add_argument("--epochs", type=int, default=1, metavar="N", help="epochs (default: 1)")
    run.add_argument(
        "--update",
        choices=UPDATE_MODES,
        default="online",
        help="online: one update per pattern (default); batch: one per epoch, dE/dw summed",
    )
    run.add_argument("--lr", type=float, default=0.5, help="learning rate (default: 0.5)")
    run.add_argument("--momentum", type=float, default=0.0, help="momentum (default: 0)")

    show = parser.add_argument_group("the output")
    show.add_argument(
        "--format",
        choices=("text", "markdown", "csv"),
        default="text",
        help="what is printed: aligned text (default), Markdown or tidy CSV",
    )
    show.add_argument(
        "--show",
        default="first",
        metavar="WHICH",
        help="updates printed in detail: first (default), last, all, none, or steps like 1,3-4; "
        "a summary of every update follows (CSV always holds every update)",
    )
    show.add_argument(
        "--digits", type=int, default=4, help="decimals shown in text and Markdown (default: 4)"
    )
    show.add_argument(
        "--out", type=Path, metavar="DIR", help="write .md, .csv, .xlsx and diagrams to DIR"
    )
    show.add_argument("--force", action="store_true", help="replace files that already exist")


def execute(args: argparse.Namespace, out: TextIO) -> int:
    # Everything is read and checked before anything is written.
    network, params = _network_and_weights(args)
    inputs, targets = _patterns(args.patterns, network.sizes)
    check_size(network.sizes, args.epochs, args.update, args.order, len(inputs))
    worksheet = build_worksheet(
        network,
        params,
        inputs,
        targets,
        learning_rate=args.lr,
        momentum=args.momentum,
        update=args.update,
        order=_order(args.order, len(inputs)),
        epochs=args.epochs,
    )
    show = parse_show(args.show, len(worksheet.updates))
    if not 1 <= args.digits <= 15:
        raise UserError(f"--digits must be between 1 and 15, got {args.digits}")
    if args.save_weights is not None:
        check_new_path(args.save_weights, args.force)
    if args.out is not None:
        _check_out(args.out, args.force)

    if args.format == "csv":
        printed = render_csv(worksheet)
    else:
        printed = OUTPUT_TEXT[args.format](
            worksheet, show=show, digits=args.digits, summary_limit=SUMMARY_LIMIT
        )
    written: list[Path] = []
    if args.save_weights is not None:
        write_json(args.save_weights, weights_file_data(params))
        written.append(args.save_weights)
    if args.out is not None:
        written += _write_out(args.out, args.force, worksheet, args.digits)

    out.write(printed)
    if args.format == "text":  # CSV and Markdown stay clean for piping into a file
        if len(show) < len(worksheet.updates):
            out.write("(--show all prints every update; --out DIR writes them all)\n")
        for path in written:
            out.write(f"wrote {path}\n")
    return 0


# ---- the network and its weights -----------------------------------------------------------


def _network_and_weights(args: argparse.Namespace) -> tuple[Network, FeedforwardParams]:
    sizes = None if args.sizes is None else parse_sizes(args.sizes)
    if args.weights is not None:
        if args.seed is not None or args.init_range is not None:
            raise UserError("--weights gives the initial weights; drop --seed and --init-range")
        file_sizes, named = read_weights_file(args.weights)
        if sizes is not None and sizes != file_sizes:
            raise UserError(
                f"--sizes {_dashed(sizes)} does not match the {_dashed(file_sizes)} net in "
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
            f"a {_dashed(sizes)} net ({weights:,} weights) over {updates:,} updates: "
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


def _patterns(choice: str, sizes: Sequence[int]) -> tuple[list[list[float]], list[list[float]]]:
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
                f"{where} have {len(rows[0])} {what} per pattern but the {_dashed(sizes)} net "
                f"has {width} {layer} unit{'s' if width != 1 else ''}"
                + ("; give --patterns FILE" if choice == "xor" else "")
            )
    return inputs, targets


def read_patterns_file(path: Path) -> tuple[list[list[float]], list[list[float]]]:
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


def _order(text: str | None, n_patterns: int) -> list[int] | None:
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


# ---- writing -------------------------------------------------------------------------------


#: written beside the worksheet's files: the folder is one `srnlab worksheet --out` wrote, so a
#: rerun may replace the files it wrote there (in any other folder they need --force)
MANIFEST = "manifest.json"
MANIFEST_DATA = {"srnlab": "worksheet", "files": list(OUTPUT_FILES)}


def _check_out(folder: Path, force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise UserError(f"--out {folder} is a file; give a folder")
    if folder.exists():
        if _is_worksheet_folder(folder):
            return  # our own earlier output: the rerun refreshes it
        for name in (*OUTPUT_FILES, MANIFEST):
            check_new_path(folder / name, force)
    elif not folder.parent.exists():
        raise UserError(f"folder {folder.parent} does not exist")


def _is_worksheet_folder(folder: Path) -> bool:
    """Did `srnlab worksheet --out` write this folder (its manifest says so)?"""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("srnlab") == "worksheet"


def _write_out(folder: Path, force: bool, worksheet: Worksheet, digits: int) -> list[Path]:
    """Write every output file into ``folder``, all or nothing as far as the disk allows.

    A new folder is built under a temporary name and renamed into place (``StagedFolder``);
    into an existing folder the files are written to a hidden staging folder beside them first
    and moved in only once all of them exist, so a failure leaves the folder as it was.
    """
    if not folder.exists():
        with StagedFolder(folder, force) as staging:
            _write_files(staging, worksheet, digits)
        return [folder / name for name in OUTPUT_FILES]
    staging = Path(tempfile.mkdtemp(prefix=".worksheet.", suffix=".partial", dir=folder))
    try:
        _write_files(staging, worksheet, digits)
        for name in (*OUTPUT_FILES, MANIFEST):
            os.replace(staging / name, folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in OUTPUT_FILES]


def _write_files(folder: Path, worksheet: Worksheet, digits: int) -> None:
    text_files: dict[str, Callable[[], str]] = {
        "worksheet.md": lambda: render_markdown(worksheet, digits=digits),
        "worksheet.csv": lambda: render_csv(worksheet),
    }
    for name, render in text_files.items():
        (folder / name).write_text(render(), encoding="utf-8")
    write_xlsx(worksheet, folder / "worksheet.xlsx")
    _write_diagrams(folder, worksheet)
    (folder / MANIFEST).write_text(json.dumps(MANIFEST_DATA, indent=2) + "\n", encoding="utf-8")


def _write_diagrams(folder: Path, worksheet: Worksheet) -> None:
    from srnlab import plots  # matplotlib loads only when diagrams are drawn

    network = worksheet.network
    first = worksheet.order[0]
    x, y = worksheet.inputs[first], worksheet.targets[first]
    label = f"pattern {first + 1} ({' '.join(f'{v:g}' for v in x)})"
    for stem, weights, when in (
        ("network", worksheet.initial_weights, "initial weights"),
        ("network_final", worksheet.final_weights, f"after update {len(worksheet.updates)}"),
    ):
        record = explain_pattern(network, weights, x, y, pattern=first)
        fig = plots.network_diagram(
            network,
            params_from_named(network.sizes, dict(weights)),
            activations=record.activations_by_layer(),
            title=f"{_dashed(network.sizes)} network, {when}, {label}",
        )
        plots.save_figure(fig, folder, stem)


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


def _dashed(sizes: Sequence[int]) -> str:
    return "-".join(str(n) for n in sizes)
