"""``srnlab worksheet``: every number of a backprop update, as in the lecture's spreadsheet.

The options and the run are here; what is read and checked before any work is in
``worksheet_inputs``, what ``--out`` writes in ``worksheet_output``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from srnlab.activations import ACTIVATIONS
from srnlab.commands.worksheet_inputs import (
    DEFAULT_INIT_RANGE,
    add_network_options,
    check_size,
    load_patterns,
    network_and_weights,
    parse_show,
    pattern_order,
    weights_file_data,
)
from srnlab.commands.worksheet_output import check_out, write_out
from srnlab.errors import UserError
from srnlab.explain import UPDATE_MODES, build_worksheet
from srnlab.fileio import check_new_path, write_json
from srnlab.losses import LOSSES
from srnlab.worksheet_render import render_csv, render_markdown, render_text

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
SUMMARY_LIMIT = 20  # rows of the every-update table printed; the files in --out hold them all


def configure(parser: argparse.ArgumentParser) -> None:
    _network_options(parser)
    _update_options(parser)
    _output_options(parser)


def _network_options(parser: argparse.ArgumentParser) -> None:
    net = parser.add_argument_group("the network")
    add_network_options(
        net,
        activations=sorted(ACTIVATIONS),
        losses=sorted(LOSSES),
        weights_help="initial weights from a JSON file (below)",
    )
    net.add_argument(
        "--init-range",
        type=float,
        metavar="R",
        help=f"random weights are uniform in [-R, R] (default: {DEFAULT_INIT_RANGE:g})",
    )
    net.add_argument(
        "--save-weights",
        type=Path,
        metavar="FILE",
        help="also write the initial weights as a JSON weights file, to edit and reuse",
    )


def _update_options(parser: argparse.ArgumentParser) -> None:
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


def _output_options(parser: argparse.ArgumentParser) -> None:
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
    network, params = network_and_weights(args)
    inputs, targets = load_patterns(args.patterns, network.sizes)
    check_size(network.sizes, args.epochs, args.update, args.order, len(inputs))
    worksheet = build_worksheet(
        network,
        params,
        inputs,
        targets,
        learning_rate=args.lr,
        momentum=args.momentum,
        update=args.update,
        order=pattern_order(args.order, len(inputs)),
        epochs=args.epochs,
    )
    show = parse_show(args.show, len(worksheet.updates))
    if not 1 <= args.digits <= 15:
        raise UserError(f"--digits must be between 1 and 15, got {args.digits}")
    if args.save_weights is not None:
        check_new_path(args.save_weights, args.force)
    if args.out is not None:
        check_out(args.out, args.force)

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
        written += write_out(args.out, args.force, worksheet, args.digits)

    out.write(printed)
    if args.format == "text":  # CSV and Markdown stay clean for piping into a file
        if len(show) < len(worksheet.updates):
            out.write("(--show all prints every update; --out DIR writes them all)\n")
        for path in written:
            out.write(f"wrote {path}\n")
    return 0
