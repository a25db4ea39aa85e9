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
import atexit
import contextlib
import importlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from types import FrameType, ModuleType
from typing import NoReturn, TextIO

from srnlab import __version__
from srnlab.errors import UserError
from srnlab.fileio import os_error_reason

#: The subcommands, in the order `srnlab --help` lists them: name -> (module, its HELP line).
#: A command's module, and what it imports (NumPy, the recipes, ...), loads only when that
#: command runs, so `srnlab --help` starts in a tenth of a second; the lines here are the
#: modules' own HELP (tests/test_startup.py checks that they agree).
COMMANDS: dict[str, tuple[str, str]] = {
    "list": ("srnlab.commands.list_recipes", "list the experiments (recipes) and their settings"),
    "new": (
        "srnlab.commands.new",
        "write a new project (a TOML file and its data) to run and edit",
    ),
    "run": ("srnlab.commands.run", "run an experiment (recipe) and write its run folder"),
    "show": (
        "srnlab.commands.show",
        "print a run folder's report again, and redraw its figures (no retraining)",
    ),
    "sweep": (
        "srnlab.commands.sweep",
        "run a recipe over a grid of settings, several seeds each, with statistics",
    ),
    "worksheet": (
        "srnlab.commands.worksheet",
        "every number of a backprop update, as in the lecture's spreadsheet",
    ),
    "explore": (
        "srnlab.commands.explore",
        "the hands-on demo in the browser: step through backprop and an SRN, edit anything",
    ),
    "reproduce": (
        "srnlab.commands.reproduce",
        "run every experiment of the lecture and write a report with the papers' numbers",
    ),
    "export-tlearn": (
        "srnlab.commands.export_tlearn",
        "write a run's network and data (or a project) as a tlearn project",
    ),
}
#: build_parser(command=EVERY): configure every subcommand (the default)
EVERY = "*"


def command_module(name: str) -> ModuleType:
    return importlib.import_module(COMMANDS[name][0])


DESCRIPTION = """\
srnlab: the classic simple neural networks of cognitive science, exact and explained.

  srnlab list                 the experiments (recipes) you can run
  srnlab new NAME             your own experiment: a project file and its data to edit
  srnlab run NAME/NAME.toml   run a project file (every command takes one like a recipe)
  srnlab run xor              train the lecture's 2-2-1 XOR network, write a run folder
  srnlab run xor --seeds 20   twenty networks: how often backprop solves XOR, and how fast
  srnlab show FOLDER          a run folder's report again (--figures: redraw its figures)
  srnlab sweep xor --grid hidden=2,3,4 --seeds 20 --out runs/h    a grid of conditions
  srnlab worksheet            every number of one backprop update, as in the lecture's sheet
  srnlab explore --open       the same, clickable in the browser (one self-contained page)

Run `srnlab COMMAND --help` for the options of a command.
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line and exit code 2 (through ``UserError``)."""

    def error(self, message: str) -> NoReturn:
        raise UserError(f"{message} (see `{self.prog} --help`)")


def build_parser(command_name: str | None = EVERY) -> argparse.ArgumentParser:
    """The command line's parser. Only ``command_name``'s options and description are built
    (all of them for ``EVERY``; none for None, enough for ``srnlab --help``): a command's
    description may import what it describes (the recipes), which the others should not pay
    for."""
    parser = _Parser(
        prog="srnlab",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"srnlab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_line) in COMMANDS.items():
        if command_name not in (EVERY, name):
            sub.add_parser(name, help=help_line)
            continue
        command = command_module(name)
        child = sub.add_parser(
            command.NAME,
            help=command.HELP,
            description=command.DESCRIPTION,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.configure(child)
        child.set_defaults(execute=command.execute)
    return parser


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names: its first word that is not an option (the top level
    has no option that takes a value)."""
    return next((word for word in argv if not word.startswith("-")), None)


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
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_command_in(argv))
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
        except KeyboardInterrupt as stop:
            folder = getattr(stop, "folder", None)  # replicate.Interrupted: what finished is kept
            if folder is not None:
                print(
                    f"srnlab: {_stopped_by(received)}; the finished replications are kept in "
                    f"{folder}: rerun the same command with --out {folder} to resume",
                    file=sys.stderr,
                )
            else:
                print(
                    f"srnlab: {_stopped_by(received)}; nothing half-written was kept",
                    file=sys.stderr,
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
    exit_promptly(code)


def exit_promptly(code: int) -> NoReturn:
    """End the process with ``code`` as ``sys.exit`` would, without the interpreter's final
    freeing of every object, module by module: after `srnlab reproduce` (NumPy arrays,
    matplotlib, Numba's compiled code, every result) that took a second of the command's
    time, measured on the project's 2-core machine, for memory the OS takes back at once.

    Everything an exit must do still happens: the ``atexit`` functions run (logging's
    flush, multiprocessing's finalizers) and stdout and stderr are flushed. Every file
    srnlab writes is closed before the command returns. Only a command that finished (exit
    0, or 1: some replications failed) ends this way, and only with no other thread or child
    process left (Python waits for them); an interrupted or failed one exits as usual."""
    import multiprocessing

    if code not in (0, 1) or threading.active_count() > 1 or multiprocessing.active_children():
        sys.exit(code)
    atexit._run_exitfuncs()  # CPython's: what sys.exit runs before finalizing
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)
