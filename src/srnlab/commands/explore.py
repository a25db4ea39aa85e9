"""``srnlab explore``: the lecture's hands-on demo as one web page that works offline."""

from __future__ import annotations

import argparse
import webbrowser
from pathlib import Path
from typing import TextIO

from srnlab.commands.worksheet_inputs import (
    DEFAULT_INIT_RANGE,
    DEFAULT_SEED,
    add_network_options,
    parse_sizes,
    random_weights,
    read_patterns_file,
    read_weights_file,
)
from srnlab.errors import UserError
from srnlab.explain import UPDATE_MODES
from srnlab.explore.page import (
    ACTIVATIONS,
    LOSSES,
    ExplorerSettings,
    check_explorable,
    page_data,
    render_page,
)
from srnlab.fileio import check_new_path, write_text
from srnlab.params import params_from_named
from srnlab.tasks.xor import xor_patterns

NAME = "explore"
HELP = "the hands-on demo in the browser: step through backprop and an SRN, edit anything"
DESCRIPTION = """\
Write explorer.html: one self-contained page (every script and style inline, no network, opens
from file://) that works backprop through in the browser, as the lecture's hands-on demo does,
and unrolls an SRN in time.

Backprop: the lecture's 2-2-1 XOR net (or the sizes of --sizes / --weights), units numbered
0-6, weights named w1,3 ...; buttons (and keys F, E, B, U) for the phases of one update:
forward (x_i and a_i on every unit), error, backward (dE/da and delta of every unit, dE/dw of
every weight; click a weight for its chain rule) and update (delta_w with momentum, the new
weight); next pattern, next epoch, run N epochs with a live error curve and the hidden-space
plot. Every weight, input, target, the learning rate and the momentum are editable; online or
batch; E = (y - a)^2 or 1/2 sum; logistic or tanh units. "Export worksheet" saves the worked
example as the CSV `srnlab worksheet` writes.

SRN: temporal XOR on a 1-2-1 SRN and the letters stream on a 6-20-6 SRN, stepped one input at
a time; the error reaches back through 1 step (copy-back), k steps or all of them, and the page
shows the gradients of all three side by side. The page's numbers equal `srnlab worksheet` and
srnlab's SRN reference to 1e-12.

examples:
  srnlab explore --open                       write ./explorer.html and open it
  srnlab explore --out site --seed 3          the seed-3 nets (as `srnlab run xor --set seed=3`)
  srnlab explore --weights my.json            your own initial weights (`srnlab worksheet
                                              --help` describes the file)
  srnlab explore --momentum 0.9 --update batch

In a Jupyter notebook: `import srnlab.explore; srnlab.explore.show()`.
"""

PAGE_NAME = "explorer.html"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help=f"write DIR/{PAGE_NAME}; DIR is made if missing (default: the current folder)",
    )
    add_network_options(
        parser,
        activations=ACTIVATIONS,
        losses=LOSSES,
        seed_help="random initial weights (and SRN examples) from this seed "
        f"(default: {DEFAULT_SEED})",
    )
    parser.add_argument(
        "--patterns",
        default="xor",
        metavar="xor|FILE",
        help="the patterns: xor (default) or a JSON patterns file (as for `srnlab worksheet`)",
    )
    parser.add_argument("--lr", type=float, default=0.5, help="learning rate (default: 0.5)")
    parser.add_argument("--momentum", type=float, default=0.0, help="momentum (default: 0)")
    parser.add_argument("--update", choices=UPDATE_MODES, default="online")
    parser.add_argument("--open", action="store_true", help="open the page in the default browser")
    parser.add_argument("--force", action="store_true", help=f"replace an existing {PAGE_NAME}")


def execute(args: argparse.Namespace, out: TextIO) -> int:
    # Everything is read and checked before anything is written.
    settings = ExplorerSettings(
        hidden_activation=args.hidden_activation,
        output_activation=args.output_activation,
        loss=args.loss,
        learning_rate=args.lr,
        momentum=args.momentum,
        update=args.update,
    )
    seed = DEFAULT_SEED if args.seed is None else args.seed
    sizes = None if args.sizes is None else parse_sizes(args.sizes)
    if args.weights is not None:
        file_sizes, named = read_weights_file(args.weights)
        if sizes is not None and sizes != file_sizes:
            raise UserError(
                f"--sizes {args.sizes} does not match the weights file {args.weights} "
                f"({'-'.join(map(str, file_sizes))})"
            )
        try:
            params = params_from_named(check_explorable(file_sizes), named)
        except UserError as exc:
            raise UserError(f"weights file {args.weights}: {exc}") from None
    else:
        params = random_weights(check_explorable(sizes or (2, 2, 1)), seed, DEFAULT_INIT_RANGE)
    if args.patterns == "xor":
        inputs, targets = (a.tolist() for a in xor_patterns())
    else:
        inputs, targets = read_patterns_file(Path(args.patterns))
    page = render_page(page_data(params, inputs, targets, settings, seed))

    if not args.out.is_dir() and not args.out.parent.is_dir():
        raise UserError(f"folder {args.out.parent} does not exist")
    if args.out.exists() and not args.out.is_dir():
        raise UserError(f"{args.out} is a file, not a folder")
    path = args.out / PAGE_NAME
    if args.out.is_dir():
        check_new_path(path, args.force)
    args.out.mkdir(exist_ok=True)
    write_text(path, page)
    out.write(f"wrote {path}\n")
    if args.open:
        if not webbrowser.open(path.resolve().as_uri()):
            out.write(f"(no browser could be started; open {path} yourself)\n")
    return 0
