"""The ``srnlab`` command: a thin layer over the library, and the only place that prints.

Each subcommand lives in ``srnlab.commands.<name>`` as ``configure(parser)`` and
``execute(args, out) -> int``. Every user mistake surfaces as ``UserError``; ``main`` prints it
as one line on stderr and returns 2. Nothing is written before the input has been validated.

SIGTERM (what ``timeout``, SLURM and Kubernetes send) is handled like Ctrl-C: the command
stops its workers, keeps what was finished, says how to resume, and exits 143 (130 after
Ctrl-C). A second signal while it stops is ignored: stopping is already under way.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from types import FrameType
from typing import NoReturn, TextIO

from srnlab import __version__
from srnlab.commands import list_recipes, reproduce, run, show, sweep, worksheet
from srnlab.errors import UserError
from srnlab.fileio import os_error_reason
from srnlab.replicate import Interrupted

COMMANDS = (list_recipes, run, show, sweep, worksheet, reproduce)

DESCRIPTION = """\
srnlab: the classic simple neural networks of cognitive science, exact and explained.

  srnlab list                 the experiments (recipes) you can run
  srnlab run xor              train the lecture's 2-2-1 XOR network, write a run folder
  srnlab run xor --seeds 20   twenty networks: how often backprop solves XOR, and how fast
  srnlab show FOLDER          a run folder's report again (--figures: redraw its figures)
  srnlab sweep xor --grid hidden=2,3,4 --seeds 20 --out runs/h    a grid of conditions
  srnlab worksheet            every number of one backprop update, as in the lecture's sheet

Run `srnlab COMMAND --help` for the options of a command.
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line and exit code 2 (through ``UserError``)."""

    def error(self, message: str) -> NoReturn:
        raise UserError(f"{message} (see `{self.prog} --help`)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="srnlab",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"srnlab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        child = sub.add_parser(
            command.NAME,
            help=command.HELP,
            description=command.DESCRIPTION,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.configure(child)
        child.set_defaults(execute=command.execute)
    return parser


class Stopped(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived: raised where the command is, so it unwinds as after Ctrl-C
    (workers stopped, staged files removed, finished replications kept)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextlib.contextmanager
def stop_on_signals() -> Iterator[list[int]]:
    """While the block runs, SIGINT and SIGTERM raise ``Stopped`` (the first one only); the
    list yielded holds the signal received. The earlier handlers are put back afterwards."""
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received  # signals reach only the main thread; leave them to whoever runs it
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        if not received:
            received.append(signum)
            raise Stopped(signum)

    kept = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    for number in kept:
        signal.signal(number, stop)
    try:
        yield received
    finally:
        for number, handler in kept.items():
            signal.signal(number, handler)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line ``argv``; returns the exit code (0 ok, 1 some replications failed,
    2 bad input or an output that cannot be written, 130/143 stopped by SIGINT/SIGTERM)."""
    out = out if out is not None else sys.stdout
    parser = build_parser()
    with stop_on_signals() as received:
        try:
            args = parser.parse_args(argv)
            if args.command is None:
                parser.print_help(out)
                return 0
            return int(args.execute(args, out))
        except UserError as exc:
            print(f"srnlab: error: {exc}", file=sys.stderr)
            return 2
        except Interrupted as stop:
            print(
                f"srnlab: {_stopped_by(received)}; the finished replications are kept in "
                f"{stop.folder}: rerun the same command with --out {stop.folder} to resume",
                file=sys.stderr,
            )
            return _stop_code(received)
        except KeyboardInterrupt:
            print(
                f"srnlab: {_stopped_by(received)}; nothing half-written was kept", file=sys.stderr
            )
            return _stop_code(received)
        except BrokenPipeError:
            raise  # the reader of stdout went away; console_main ends quietly
        except OSError as exc:  # one not met where files are written (those name their path)
            where = f"{exc.filename}: " if exc.filename else ""
            print(f"srnlab: error: {where}{os_error_reason(exc)}", file=sys.stderr)
            return 2
        except MemoryError:
            print(
                "srnlab: error: out of memory; make the network, corpus or --seeds smaller",
                file=sys.stderr,
            )
            return 2


def _stopped_by(received: list[int]) -> str:
    return "stopped (SIGTERM)" if received == [signal.SIGTERM] else "interrupted"


def _stop_code(received: list[int]) -> int:
    """128 + the signal, as a shell reports a program killed by it."""
    return 128 + (received[0] if received else signal.SIGINT)


def console_main() -> None:
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`srnlab list | head`): stop quietly, as Unix tools do. Point
        # stdout at /dev/null so the interpreter's final flush does not fail a second time.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 141  # 128 + SIGPIPE, what a shell reports for a tool killed by a closed pipe
    sys.exit(code)
