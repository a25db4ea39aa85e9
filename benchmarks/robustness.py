"""The bad-input catalogue: run many bad or odd command lines through the installed srnlab, as
a new user or a cluster user would type them, and count what went wrong.

Every case is a command line that must be refused: one line on stderr and exit code 2. For
each case the script makes a fresh folder, lets the case's ``setup`` put files there (a run
folder to damage, a weights file, a file where a folder should be), records every file's
bytes, runs ``python -m srnlab ARGV`` there as a subprocess (this interpreter, so the srnlab
it has installed), and then counts

- tracebacks: "Traceback (most recent call last)" on stderr;
- exit codes other than 2 (a hang counts as a hang, not here);
- hangs: still running after ``TIMEOUT`` seconds (then killed);
- files changed: any file added, removed or modified in the case's folder.

All four must be 0. Run it from anywhere:

    python benchmarks/robustness.py            # every case, 2 at a time; prints the counts
    python benchmarks/robustness.py --list     # the cases, one per line
    python benchmarks/robustness.py -k worksheet   # only cases whose command contains this

``CASES`` is a plain list of ``Case(argv, setup)``: append cases for new commands and file
formats (project files, tlearn files) the same way. The fixtures a setup may copy (a finished
run folder, a --seeds 3 folder) are made once per run by ``make_fixtures``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

#: Seconds a case may run; a bad input is refused in about 1.5 s (mostly Python starting).
TIMEOUT = 60.0

Setup = Callable[[Path, Path], None]  # (the case's folder, the fixtures' folder)


@dataclass(frozen=True)
class Case:
    """One bad command line (``srnlab`` left out) and what must exist before it runs."""

    argv: tuple[str, ...]
    setup: Setup | None = None

    @property
    def text(self) -> str:
        return " ".join(self.argv)


# ---- setups ----------------------------------------------------------------------------------


def file(name: str, content: str | bytes) -> Setup:
    """A file ``name`` with ``content``."""

    def make(where: Path, fixtures: Path) -> None:
        path = where / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode() if isinstance(content, str) else content
        path.write_bytes(data)

    return make


def folder(name: str) -> Setup:
    def make(where: Path, fixtures: Path) -> None:
        (where / name).mkdir(parents=True)

    return make


def copy(fixture: str, name: str, damage: Callable[[Path], None] | None = None) -> Setup:
    """A copy of a fixture folder as ``name``, then ``damage`` done to it."""

    def make(where: Path, fixtures: Path) -> None:
        shutil.copytree(fixtures / fixture, where / name)
        if damage is not None:
            damage(where / name)

    return make


def both(*setups: Setup) -> Setup:
    def make(where: Path, fixtures: Path) -> None:
        for setup in setups:
            setup(where, fixtures)

    return make


def write(relative: str, content: str | bytes) -> Callable[[Path], None]:
    def damage(run: Path) -> None:
        data = content.encode() if isinstance(content, str) else content
        (run / relative).write_bytes(data)

    return damage


def remove(relative: str) -> Callable[[Path], None]:
    def damage(run: Path) -> None:
        path = run / relative
        shutil.rmtree(path) if path.is_dir() else path.unlink()

    return damage


def truncate(relative: str, keep: int) -> Callable[[Path], None]:
    def damage(run: Path) -> None:
        path = run / relative
        path.write_bytes(path.read_bytes()[:keep])

    return damage


def object_array(run: Path) -> None:
    """arrays.npz with an object array inside (only pickle could load it)."""
    import numpy as np

    np.savez(run / "arrays.npz", weights=np.array([{"a": 1}, None], dtype=object))


def object_array_in(relative: str) -> Callable[[Path], None]:
    def damage(run: Path) -> None:
        object_array(run / relative)

    return damage


def npy_instead(run: Path) -> None:
    import numpy as np

    with open(run / "arrays.npz", "wb") as handle:
        np.save(handle, np.zeros(3))


def empty_zip(run: Path) -> None:
    with zipfile.ZipFile(run / "arrays.npz", "w"):
        pass


# ---- the cases -------------------------------------------------------------------------------

XOR_FAST = ("--set", "epochs=50", "--no-figures")
#: A weights file of the 2-2-1 net, as `srnlab worksheet --help` shows it.
GOOD_WEIGHTS = {
    "w0,3": 0.1,
    "w1,3": 0.2,
    "w2,3": -0.3,
    "w0,4": 0.4,
    "w1,4": -0.5,
    "w2,4": 0.6,
    "w6,5": 0.7,
    "w3,5": -0.8,
    "w4,5": 0.9,
}


def weights_file(text: str) -> Setup:
    return file("w.json", text)


def weights(sizes: object = (2, 2, 1), **changes: object) -> str:
    named = dict(GOOD_WEIGHTS)
    for key, value in changes.items():
        key = key.replace("_", ",").lstrip("w")
        if value is None:
            named.pop(f"w{key}")
        else:
            named[f"w{key}"] = value  # type: ignore[assignment]
    return json.dumps(
        {"sizes": list(sizes) if isinstance(sizes, tuple) else sizes, "weights": named}
    )


#: Bad values for config keys, tried on every recipe that has the key.
BAD_VALUES: dict[str, tuple[str, ...]] = {
    "seed": ("-1", "4294967296", "1.5", "", "9" * 5000),
    "hidden": ("0", "-3", "1000000000", "two", "1e3"),
    "learning_rate": ("inf", "nan", "-1", "0", "1e300", "1e999"),
    "momentum": ("1", "-0.5", "nan"),
    "init_range": ("inf", "-1", "1e308"),
    "passes": ("-1", "ten", "4294967296"),
    "epochs": ("-1", "4000000000"),
    "through_time": ("0", "window2"),
    "update_every": ("0",),
    "context_start": ("inf", "1e6"),
    "loss": ("nope",),
    "hidden_activation": ("relu",),
    "n_sentences": ("0", "100000000"),
    "n_consonants": ("0", "4000000000"),
    "widths": ("", "0,1", "3,2", "1,100000000"),
    "networks": ("1", "4000000000"),
    "experiments": ("4", "1,1"),
    "encodings": ("morse",),
    "test_learning_rate": ("inf", "0"),
    "pretrain_repeat": ("1.5",),
    "error_measure": ("cubic",),
    "categories": ("nope",),
    "replaced_word": ("zog2",),
    "stream_size": ("0",),
    "n_triples": ("0", "1000000000000"),
    "task": ("chess",),
}


def set_cases() -> list[Case]:
    """Every bad value of ``BAD_VALUES`` on every recipe that has the key, into a run folder
    named ``out`` (nothing may appear there), and malformed assignments."""
    from srnlab.catalogue import RECIPES
    from srnlab.config import field_types

    cases = []
    for name, recipe in RECIPES.items():
        keys = field_types(recipe.Config)
        for key, values in BAD_VALUES.items():
            if key in keys:
                cases += [
                    Case(("run", name, "--set", f"{key}={v}", "--out", "out")) for v in values
                ]
        cases += [
            Case(("run", name, "--set", "colour=red", "--out", "out")),
            Case(("run", name, "--set", "=3", "--out", "out")),
        ]
    cases += [
        Case(("run", "xor", "--set", "hidden")),
        Case(("run", "xor", "--set", "hidden==2")),
        Case(("run", "xor", "--set", "learning_rate=-inf", "--seeds", "3", "--out", "out")),
        Case(("run", "xor", "--set", "seed=-1", "--seeds", "3", "--out", "out")),
    ]
    return cases


COUNT_CASES = [
    Case(("run", "xor", "--seeds", "0")),
    Case(("run", "xor", "--seeds", "-1")),
    Case(("run", "xor", "--seeds", "x")),
    Case(("run", "xor", "--seeds", "1000000", "--out", "out")),
    Case(("run", "xor", "--seeds", "2", "--set", "seed=4294967295", "--out", "out")),
    Case(("run", "xor", "--seeds", "2", "--jobs", "0", "--out", "out")),
    Case(("run", "xor", "--seeds", "2", "--jobs", "100000", "--out", "out")),
    Case(("run", "xor", "--scheduler", "local", "--out", "out")),
    Case(("run", "xor", "--seeds", "2", "--scheduler", "not an address", "--out", "out")),
    Case(("run", "xor", "--seeds", "2", "--scheduler", "tcp://127.0.0.1:1", "--out", "out")),
    Case(("run", "xor", "--seeds", "2", "--scheduler", "tcp://127.0.0.1:99999", "--out", "out")),
    Case(
        (
            "run",
            "xor",
            "--seeds",
            "2",
            "--scheduler",
            "tcp://nonexistent.invalid:8786",
            "--out",
            "out",
        )
    ),
    Case(
        ("sweep", "xor", "--grid", "hidden=2,3", "--scheduler", "tcp://127.0.0.1:1", "--out", "out")
    ),
]

GRID_CASES = [
    Case(("sweep", "xor", "--out", "out")),
    Case(("sweep", "xor", "--grid", "hidden=", "--out", "out")),
    Case(("sweep", "xor", "--grid", "hidden=2,2", "--out", "out")),
    Case(("sweep", "xor", "--grid", "hidden=2,,3", "--out", "out")),
    Case(("sweep", "xor", "--grid", "seed=1,2", "--out", "out")),
    Case(("sweep", "xor", "--grid", "hidden=2,x", "--out", "out")),
    Case(("sweep", "xor", "--grid", "hidden=0,2", "--out", "out")),
    Case(("sweep", "xor", "--grid", "colour=1,2", "--out", "out")),
    Case(("sweep", "xor", "--grid", "hidden=2", "--grid", "hidden=3", "--out", "out")),
    Case(("sweep", "xor", "--grid", "hidden=2,3", "--set", "hidden=3", "--out", "out")),
    Case(("sweep", "xor", "--grid", "init_range=0.5,inf", "--out", "out")),
    Case(("sweep", "xor", "--grid", "learning_rate=0.1,nan", "--out", "out")),
    Case(("sweep", "xor", "--grid", "hidden=1000000000,2", "--out", "out")),
    Case(("sweep", "xor", "--grid", "=2,3", "--out", "out")),
    Case(("sweep", "xor", "--grid", "hidden", "--out", "out")),
    Case(("sweep", "xor", "--grid", "hidden=2,3", "--seeds", "60000", "--out", "out")),
    Case(("sweep", "time-as-space", "--grid", "widths=1,2;;3", "--out", "out")),
    Case(("sweep", "nosuch", "--grid", "hidden=2,3", "--out", "out")),
    Case(("sweep", "xor", "--grid", "hidden=2,3")),
]

OUTPUT_CASES = [
    Case(("run", "xor", "--out", "f/sub"), file("f", "a file")),
    Case(("run", "xor", "--out", "f/sub/deeper"), file("f", "a file")),
    Case(("run", "xor", "--seeds", "2", "--out", "f/sub"), file("f", "a file")),
    Case(("sweep", "xor", "--grid", "hidden=2,3", "--out", "f/sub"), file("f", "a file")),
    Case(("run", "xor", "--out", "f"), file("f", "a file")),
    Case(("run", "xor", "--seeds", "2", "--out", "f"), file("f", "a file")),
    Case(("run", "xor", "--out", "mine"), file("mine/notes.txt", "my notes")),
    Case(("run", "xor", "--seeds", "2", "--out", "mine"), file("mine/notes.txt", "my notes")),
    Case(("run", "xor", "--out", "/proc/srnlab-robustness")),
    Case(("run", "xor", "--seeds", "2", "--out", "/proc/srnlab-robustness")),
    Case(("run", "xor", "--out", "/dev/null/x")),
    Case(("run", "xor", "--seeds", "2", "--out", "/dev/null/x/y")),
    Case(("run", "xor", *XOR_FAST, "--out", "run"), copy("run", "run")),
    # resuming: a smaller --seeds, a different config, a damaged manifest
    Case(
        ("run", "xor", *XOR_FAST, "--seeds", "2", "--jobs", "1", "--out", "seeds"),
        copy("seeds", "seeds"),
    ),
    Case(
        ("run", "xor", *XOR_FAST, "--set", "hidden=3", "--seeds", "3", "--out", "seeds"),
        copy("seeds", "seeds"),
    ),
    Case(
        ("run", "xor", *XOR_FAST, "--seeds", "3", "--out", "seeds"),
        copy("seeds", "seeds", write("manifest.json", "{not json")),
    ),
    Case(
        ("run", "xor", *XOR_FAST, "--seeds", "3", "--out", "seeds"),
        copy("seeds", "seeds", write("manifest.json", "[]")),
    ),
    Case(
        ("run", "xor", *XOR_FAST, "--seeds", "3", "--out", "seeds"),
        copy("seeds", "seeds", write("manifest.json", '{"srnlab": "replications"}')),
    ),
    Case(
        ("run", "xor", *XOR_FAST, "--seeds", "3", "--out", "seeds"),
        copy("seeds", "seeds", write("manifest.json", b"\xff\xfe\x00")),
    ),
    Case(
        ("run", "xor", *XOR_FAST, "--seeds", "3", "--out", "seeds"),
        copy("seeds", "seeds", write("manifest.json", "[" * 100_000)),
    ),
    Case(("run", "letters", "--seeds", "3", "--out", "seeds"), copy("seeds", "seeds")),
    Case(("sweep", "xor", "--grid", "hidden=2,3", "--out", "seeds"), copy("seeds", "seeds")),
    Case(
        (
            "sweep",
            "xor",
            *XOR_FAST,
            "--grid",
            "hidden=2,3",
            "--seeds",
            "1",
            "--jobs",
            "1",
            "--out",
            "sweep",
        ),
        copy("sweep", "sweep"),
    ),
]

SHOW_CASES = [
    Case(("show",)),
    Case(("show", "missing")),
    Case(("show", "f"), file("f", "a file")),
    Case(("show", "empty"), folder("empty")),
    Case(("show", "sweep"), copy("sweep", "sweep")),
    Case(("show", "run"), copy("run", "run", remove("metrics.json"))),
    Case(("show", "run"), copy("run", "run", remove("arrays.npz"))),
    # without --figures a run's report needs no history: show prints it (exit 0), rightly
    Case(("show", "run", "--figures"), copy("run", "run", remove("history.csv"))),
    Case(("show", "run"), copy("run", "run", write("config.json", ""))),
    Case(("show", "run"), copy("run", "run", write("config.json", "{}"))),
    Case(("show", "run"), copy("run", "run", write("config.json", '{"recipe": 3, "config": 1}'))),
    Case(
        ("show", "run"),
        copy("run", "run", write("config.json", '{"recipe": "nope", "config": {}}')),
    ),
    Case(
        ("show", "run"),
        copy("run", "run", write("config.json", '{"recipe": "letters", "config": {}}')),
    ),
    Case(("show", "run"), copy("run", "run", write("metrics.json", "{}"))),
    Case(("show", "run"), copy("run", "run", write("metrics.json", "[1, 2]"))),
    Case(("show", "run"), copy("run", "run", write("metrics.json", '{"solved": "maybe"}'))),
    Case(("show", "run"), copy("run", "run", write("metrics.json", "[" * 200_000))),
    Case(("show", "run"), copy("run", "run", write("metrics.json", "1" * 5000))),
    Case(("show", "run"), copy("run", "run", write("metrics.json", b"\x80\x81"))),
    Case(("show", "run"), copy("run", "run", write("history.csv", ""))),
    Case(("show", "run"), copy("run", "run", write("history.csv", "a,b\n1\n"))),
    Case(("show", "run"), copy("run", "run", write("history.csv", "a,a\n1,2\n"))),
    Case(("show", "run"), copy("run", "run", write("history.csv", b"\xff\xfe"))),
    Case(("show", "run"), copy("run", "run", truncate("history.csv", 100))),
    Case(("show", "run"), copy("run", "run", object_array)),
    Case(("show", "run"), copy("run", "run", write("arrays.npz", "hello"))),
    Case(("show", "run"), copy("run", "run", write("arrays.npz", ""))),
    Case(("show", "run"), copy("run", "run", truncate("arrays.npz", 100))),
    Case(("show", "run"), copy("run", "run", npy_instead)),
    Case(("show", "run"), copy("run", "run", empty_zip)),
    Case(("show", "seeds"), copy("seeds", "seeds", write("seed-1/metrics.json", "{"))),
    Case(("show", "seeds"), copy("seeds", "seeds", object_array_in("seed-2"))),
    Case(("show", "seeds"), copy("seeds", "seeds", write("seed-0/config.json", "[]"))),
    Case(("show", "run", "--figures"), copy("run", "run", object_array)),
]


WORKSHEET_CASES = [
    Case(("worksheet", "--weights", "missing.json")),
    Case(("worksheet", "--weights", "d"), folder("d")),
    Case(("worksheet", "--weights", "w.json"), weights_file("")),
    Case(("worksheet", "--weights", "w.json"), weights_file("{")),
    Case(("worksheet", "--weights", "w.json"), weights_file("[]")),
    Case(("worksheet", "--weights", "w.json"), weights_file("null")),
    Case(("worksheet", "--weights", "w.json"), weights_file("[" * 200_000)),
    Case(("worksheet", "--weights", "w.json"), weights_file('{"sizes": [2,2,1]}')),
    Case(("worksheet", "--weights", "w.json"), weights_file('{"weights": {}}')),
    Case(("worksheet", "--weights", "w.json"), weights_file(weights(sizes=(2, 2)))),
    Case(("worksheet", "--weights", "w.json"), weights_file(weights(sizes=(2, 0, 1)))),
    Case(("worksheet", "--weights", "w.json"), weights_file(weights(sizes="2,2,1"))),
    Case(("worksheet", "--weights", "w.json"), weights_file(weights(sizes=(2, 2.5, 1)))),
    Case(("worksheet", "--weights", "w.json"), weights_file(weights(sizes=(2, True, 1)))),
    Case(("worksheet", "--weights", "w.json"), weights_file(weights(sizes=(2, 10**8, 1)))),
    Case(("worksheet", "--weights", "w.json"), weights_file(weights(w0_3=None))),
    Case(("worksheet", "--weights", "w.json"), weights_file(weights(w9_9=1.0))),
    Case(("worksheet", "--weights", "w.json"), weights_file(weights(w0_3="big"))),
    Case(("worksheet", "--weights", "w.json"), weights_file(weights(w0_3=None) + " ")),
    Case(("worksheet", "--weights", "w.json"), weights_file(weights().replace("0.1", "NaN"))),
    Case(("worksheet", "--weights", "w.json"), weights_file(weights().replace("0.1", "Infinity"))),
    Case(("worksheet", "--weights", "w.json"), weights_file(weights().replace("0.1", "1e999"))),
    Case(("worksheet", "--weights", "w.json"), weights_file(weights().replace("0.1", "9" * 5000))),
    Case(("worksheet", "--weights", "w.json"), weights_file(b"\xff\xfe{}")),
    Case(("worksheet", "--weights", "w.json", "--seed", "3"), weights_file(weights())),
    Case(("worksheet", "--weights", "w.json", "--sizes", "2,3,1"), weights_file(weights())),
    Case(("worksheet", "--patterns", "missing.json")),
    Case(("worksheet", "--patterns", "p.json"), file("p.json", "{}")),
    Case(("worksheet", "--patterns", "p.json"), file("p.json", '{"inputs": [], "targets": []}')),
    Case(
        ("worksheet", "--patterns", "p.json"),
        file("p.json", '{"inputs": [[0, 1]], "targets": [[1], [0]]}'),
    ),
    Case(
        ("worksheet", "--patterns", "p.json"),
        file("p.json", '{"inputs": [[0, NaN]], "targets": [[1]]}'),
    ),
    Case(
        ("worksheet", "--patterns", "p.json"),
        file("p.json", '{"inputs": [[0, 1, 1]], "targets": [[1]]}'),
    ),
    Case(
        ("worksheet", "--patterns", "p.json"),
        file("p.json", '{"inputs": [["a", 1]], "targets": [[1]]}'),
    ),
    Case(("worksheet", "--patterns", "p.json"), file("p.json", "[" * 100_000)),
    Case(("worksheet", "--sizes", "2,100000000,1")),
    Case(("worksheet", "--sizes", "2,10000,1")),
    Case(("worksheet", "--sizes", "2")),
    Case(("worksheet", "--sizes", "2,,1")),
    Case(("worksheet", "--sizes", "2,-1,1")),
    Case(("worksheet", "--sizes", "9" * 5000)),
    Case(("worksheet", "--sizes", "3,2,1")),
    Case(("worksheet", "--epochs", "0")),
    Case(("worksheet", "--epochs", "100000000")),
    Case(("worksheet", "--lr", "inf")),
    Case(("worksheet", "--lr", "nan")),
    Case(("worksheet", "--lr", "-1")),
    Case(("worksheet", "--momentum", "1")),
    Case(("worksheet", "--init-range", "inf")),
    Case(("worksheet", "--init-range", "1e308")),
    Case(("worksheet", "--seed", "-5")),
    Case(("worksheet", "--seed", "99999999999")),
    Case(("worksheet", "--order", "0")),
    Case(("worksheet", "--order", "1,x")),
    Case(("worksheet", "--order", "")),
    Case(("worksheet", "--show", "5-2")),
    Case(("worksheet", "--show", "1-99999999999")),
    Case(("worksheet", "--show", "sometimes")),
    Case(("worksheet", "--digits", "0")),
    Case(("worksheet", "--digits", "1000")),
    Case(("worksheet", "--format", "pdf")),
    Case(("worksheet", "--update", "sometimes")),
    Case(("worksheet", "--out", "f"), file("f", "a file")),
    Case(("worksheet", "--out", "f/sub"), file("f", "a file")),
    Case(("worksheet", "--out", "sheet"), file("sheet/worksheet.md", "mine")),
    Case(("worksheet", "--save-weights", "w.json"), weights_file("mine")),
    Case(("worksheet", "--save-weights", "missing/w.json")),
    Case(("worksheet", "--save-weights", "f/w.json"), file("f", "a file")),
    Case(("worksheet", "--out", "/proc/srnlab-robustness")),
]

USAGE_CASES = [
    Case(("nosuch",)),
    Case(("--bogus",)),
    Case(("run",)),
    Case(("run", "nosuch")),
    Case(("run", "xor", "--bogus")),
    Case(("run", "xor", "--seeds")),
    Case(("list", "nosuch")),
    Case(("reproduce", "--only", "nosuch")),
    Case(("reproduce", "--only", ",")),
    Case(("reproduce", "--quick", "--jobs", "0")),
    Case(("reproduce", "--quick", "--out", "mine"), file("mine/notes.txt", "mine")),
    Case(("reproduce", "--quick", "--out", "f"), file("f", "a file")),
    Case(("reproduce", "--quick", "--scheduler", "tcp://127.0.0.1:1", "--out", "out")),
    Case(("reproduce", "--quick", "--scheduler", "not an address", "--out", "out")),
]


# ---- project files (TOML), `srnlab new`, tlearn projects, the explorer ---------------------

SRN_TOML = '[data]\ncorpus = "c.txt"\nboundaries = "space"\n[training]\npasses = 2\n'
FF_TOML = (
    '[network]\nkind = "feedforward"\n[data]\npatterns = "x.csv"\ninputs = ["a"]\ntargets = ["y"]\n'
)


def project(toml: str, **files: str | bytes) -> Setup:
    """A project file p.toml with its data files (c.txt, a small corpus, unless given)."""
    files = {"c.txt": "ab ba abba", **files}
    return both(file("p.toml", toml), *(file(name, text) for name, text in files.items()))


PROJECT_CASES = [
    Case(("run", "p.toml", "--out", "out"), setup)
    for setup in (
        file("p.toml", "[network\n"),  # not TOML
        file("p.toml", b"\xff\xfe[network]\n"),  # not UTF-8
        file("p.toml", "x" * 1_100_000),  # far too long for a project file
        project("[netwrk]\nhidden = 3\n" + SRN_TOML),
        project("[network]\nhiden = 3\n" + SRN_TOML),
        project("[network]\nhidden = 0\n" + SRN_TOML),
        project("[network]\nhidden = [3, 2]\n" + SRN_TOML),
        project("[network]\nhidden = 1e9\n" + SRN_TOML),
        project('[network]\nkind = "lstm"\n' + SRN_TOML),
        project('[network]\nhidden_activation = "relu"\n' + SRN_TOML),
        project("[network]\ncontext_start = nan\n" + SRN_TOML),
        project(SRN_TOML.replace("passes = 2", "passes = 0")),
        project(SRN_TOML.replace("passes = 2", 'passes = "many"')),
        project(SRN_TOML + "learning_rate = inf\n"),
        project(SRN_TOML + "learning_rate = -0.1\n"),
        project(SRN_TOML + "momentum = 1.0\n"),
        project(SRN_TOML + "through_time = 0\n"),
        project(SRN_TOML + 'order = "shuffled"\n'),
        project(SRN_TOML + "seed = -1\n"),
        project("seed = 1\n" + SRN_TOML + "seed = 2\n"),
        project(SRN_TOML + '[analysis]\nerror_by = ["colour"]\n'),
        project(SRN_TOML + '[test]\ncorpus = "c.txt"\npatterns = "x.csv"\n'),
        project('[data]\ncorpus = "missing.txt"\n'),
        project('[data]\ncorpus = "c.txt"\npatterns = "x.csv"\n'),
        project('[data]\nunit = "letter"\n'),
        project(SRN_TOML, **{"c.txt": " \n\t\n"}),
        project(SRN_TOML, **{"c.txt": b"\xff\xfe\x00"}),
        project(SRN_TOML + "[data]\n"),  # a table twice: not TOML
        project(
            SRN_TOML.replace('"c.txt"', '"c.txt"\nencoding = "f.csv"'), **{"f.csv": "s,x\na,1\n"}
        ),
        project(
            SRN_TOML.replace('"c.txt"', '"c.txt"\nencoding = "f.csv"'),
            **{"f.csv": "s,x,y\na,1\nb,0,1\n"},
        ),
        project(
            SRN_TOML.replace('"c.txt"', '"c.txt"\nencoding = "f.csv"'),
            **{"f.csv": "s,x\na,one\nb,0\n"},
        ),
        project(
            SRN_TOML.replace('"c.txt"', '"c.txt"\nencoding = "f.csv"'),
            **{"f.csv": "s,x\na,1\na,0\nb,1\n"},
        ),
        project(SRN_TOML.replace('"c.txt"', '"c.txt"\nencoding = "f.csv"'), **{"f.csv": ""}),
        project(FF_TOML, **{"x.csv": "a,y\n1,0\nnan,1\n"}),
        project(FF_TOML, **{"x.csv": "a,y\n1,0\ninf,1\n"}),
        project(FF_TOML, **{"x.csv": "a,y\n1,0\n2\n"}),
        project(FF_TOML, **{"x.csv": "b,y\n1,0\n"}),
        project(FF_TOML, **{"x.csv": "a,y\n"}),
        project(FF_TOML, **{"x.csv": ""}),
        project(FF_TOML.replace("x.csv", "x.npy"), **{"x.npy": b"not numpy"}),
        project(FF_TOML.replace("x.csv", "x.npz"), **{"x.npz": b"PK\x03\x04broken"}),
        project('[network]\nkind = "feedforward"\n[data]\ncorpus = "c.txt"\n'),
        project(
            '[network]\nkind = "feedforward"\n[data]\npatterns = "x.csv"\ninputs = ["a"]\n',
            **{"x.csv": "a,y\n1,0\n"},
        ),
    )
] + [
    Case(("run", "p.toml", "--set", "hidden=3", "--out", "out"), project(SRN_TOML)),
    Case(
        ("run", "p.toml", "--set", "training.learnig_rate=0.3", "--out", "out"), project(SRN_TOML)
    ),
    Case(("run", "p.toml", "--set", "data.corpus=other.txt", "--out", "out"), project(SRN_TOML)),
    Case(("run", "p.toml", "--set", "network.hidden=-2", "--out", "out"), project(SRN_TOML)),
    Case(("sweep", "p.toml", "--grid", "network.hidden=2,x", "--out", "out"), project(SRN_TOML)),
    Case(("sweep", "p.toml", "--grid", "nothing=1,2", "--out", "out"), project(SRN_TOML)),
    Case(("run", "missing.toml", "--out", "out")),
    Case(("run", "folder.toml", "--out", "out"), folder("folder.toml")),
    Case(("list", "missing.toml")),
    Case(("new", "../escape")),
    Case(("new", "bad name")),
    Case(("new", "mine", "--from", "sentences")),
    Case(("new", "mine"), folder("mine")),
    Case(("new", "mine"), file("mine", "a file where the folder would go")),
    Case(("new", "mine", "--dir", "missing/deeper")),
]

TLEARN_XOR = {
    "x.cf": "NODES:\nnodes = 3\ninputs = 2\noutputs = 1\noutput node is 3\nCONNECTIONS:\n"
    "groups = 0\n1-2 from i1-i2\n3 from 1-2\n1-3 from 0\nSPECIAL:\nweight_limit = 1.00\n",
    "x.data": "distributed\n4\n0 0\n0 1\n1 0\n1 1\n",
    "x.teach": "distributed\n4\n0\n1\n1\n0\n",
}


def tlearn(**changes: str | bytes) -> Setup:
    files = {**TLEARN_XOR, **changes}
    return both(*(file(name, text) for name, text in files.items()))


TLEARN_CASES = [
    Case(("run", "x.cf", "--out", "out"), setup)
    for setup in (
        tlearn(**{"x.cf": TLEARN_XOR["x.cf"].replace("i1-i2", "i1-3")}),
        tlearn(**{"x.cf": TLEARN_XOR["x.cf"].replace("3 from 1-2", "3 from 1-7")}),
        tlearn(**{"x.cf": TLEARN_XOR["x.cf"].replace("nodes = 3", "nodes = x")}),
        tlearn(**{"x.cf": TLEARN_XOR["x.cf"].replace("output node is 3", "output node is i1")}),
        tlearn(**{"x.cf": "NODES:\n"}),
        tlearn(**{"x.cf": ""}),
        tlearn(**{"x.data": "distributed\n5\n0 0\n0 1\n1 0\n1 1\n"}),
        tlearn(**{"x.data": "distributed\n4\n0 0\n0 1\n1 0\n"}),
        tlearn(**{"x.data": "distributed\n4\n0 0\n0 x\n1 0\n1 1\n"}),
        tlearn(**{"x.data": "sparse\n4\n0 0\n0 1\n1 0\n1 1\n"}),
        tlearn(**{"x.teach": "distributed\n3\n0\n1\n1\n"}),
        tlearn(**{"x.teach": "distributed\n4\n0\n1\n1\nnan\n"}),
        tlearn(**{"x.data": "distributed\n999999999999\n0 0\n"}),
        file("x.cf", TLEARN_XOR["x.cf"]),  # no .data or .teach beside it
    )
] + [
    Case(
        ("run", "x.cf", "--weights", "w.wts", "--out", "out"),
        both(
            tlearn(),
            file(
                "w.wts",
                "NETWORK CONFIGURED BY TLEARN\n# weights after 0 sweeps\n# WEIGHTS\n"
                "# TO NODE 1\n0.1\n",
            ),
        ),
    ),
    Case(("run", "x.cf", "--weights", "missing.wts", "--out", "out"), tlearn()),
    Case(("run", "x.cf", "--set", "sweeps=0", "--out", "out"), tlearn()),
    Case(("run", "x.cf", "--set", "learning_rate=nan", "--out", "out"), tlearn()),
    Case(("run", "xor", "--weights", "w.wts", "--out", "out"), file("w.wts", "x")),
    Case(("export-tlearn", "missing", "out")),
    Case(("export-tlearn", "p.toml", "out"), project("[netwrk]\n" + SRN_TOML)),
    Case(("export-tlearn", "x.cf", "out"), tlearn(**{"x.data": "distributed\n1\n"})),
]

EXPLORE_CASES = [
    Case(("explore", "--out", "out", "--seed", "-1")),
    Case(("explore", "--out", "out", "--weights", "missing.json")),
    Case(("explore", "--out", "out", "--weights", "w.json"), file("w.json", "{not json")),
    Case(("explore", "--out", "out", "--sizes", "2,0,1")),
    Case(("explore", "--out", "out", "--lr", "nan")),
    Case(("explore", "--out", "f/sub"), file("f", "a file where a folder would go")),
]


CASES: list[Case] = [
    *set_cases(),
    *COUNT_CASES,
    *GRID_CASES,
    *OUTPUT_CASES,
    *SHOW_CASES,
    *WORKSHEET_CASES,
    *USAGE_CASES,
    *PROJECT_CASES,
    *TLEARN_CASES,
    *EXPLORE_CASES,
]


# ---- fixtures and running --------------------------------------------------------------------


def srnlab(argv: Sequence[str], cwd: Path, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "srnlab", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


#: The folders setups copy: a finished xor run, a --seeds 3 run and a 2-condition sweep
#: (small: 50 epochs, no figures), each made by one srnlab command line.
FIXTURES: list[tuple[str, ...]] = [
    ("run", "xor", *XOR_FAST, "--out", "run"),
    ("run", "xor", *XOR_FAST, "--seeds", "3", "--jobs", "1", "--out", "seeds"),
    ("sweep", "xor", *XOR_FAST, "--grid", "hidden=2,3", "--seeds", "2", "--jobs", "1",
     "--out", "sweep"),
]  # fmt: skip


def make_fixtures(where: Path) -> None:
    for argv in FIXTURES:
        done = srnlab(argv, where, timeout=300)
        if done.returncode != 0:
            raise SystemExit(f"could not make a fixture with {argv}:\n{done.stderr}")


def snapshot(where: Path) -> dict[str, str]:
    """Every file and folder under ``where``: its bytes' hash (folders: "dir")."""
    state = {}
    for path in sorted(where.rglob("*")):
        key = path.relative_to(where).as_posix()
        if path.is_symlink():
            state[key] = "link:" + os.readlink(path)
        elif path.is_dir():
            state[key] = "dir"
        else:
            state[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


@dataclass
class Outcome:
    case: Case
    code: int | None  # None: it hung
    traceback: bool
    changed: list[str]
    stderr: str
    seconds: float

    @property
    def problems(self) -> list[str]:
        found = []
        if self.code is None:
            found.append("hang")
        elif self.code != 2:
            found.append(f"exit {self.code}")
        if self.traceback:
            found.append("traceback")
        if self.changed:
            found.append("changed " + ", ".join(self.changed[:3]))
        return found


def run_case(case: Case, fixtures: Path, scratch: Path, timeout: float = TIMEOUT) -> Outcome:
    where = Path(tempfile.mkdtemp(prefix="case-", dir=scratch))
    if case.setup is not None:
        case.setup(where, fixtures)
    before = snapshot(where)
    started = time.perf_counter()
    try:
        done = srnlab(case.argv, where, timeout)
        code: int | None = done.returncode
        stderr = done.stderr
    except subprocess.TimeoutExpired as expired:
        code = None
        stderr = expired.stderr.decode() if isinstance(expired.stderr, bytes) else ""
    seconds = time.perf_counter() - started
    after = snapshot(where)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    shutil.rmtree(where, ignore_errors=True)
    return Outcome(
        case, code, "Traceback (most recent call last)" in stderr, changed, stderr, seconds
    )


def run_catalogue(cases: Sequence[Case], parallel: int = 2) -> list[Outcome]:
    with tempfile.TemporaryDirectory(prefix="srnlab-robustness-") as tmp:
        fixtures = Path(tmp) / "fixtures"
        fixtures.mkdir()
        make_fixtures(fixtures)
        scratch = Path(tmp) / "cases"
        scratch.mkdir()
        with ThreadPoolExecutor(parallel) as pool:
            return list(pool.map(lambda c: run_case(c, fixtures, scratch), cases))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="list the cases and stop")
    parser.add_argument("-k", help="only the cases whose command line contains this text")
    parser.add_argument("--parallel", type=int, default=2, help="cases at a time (default 2)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every case's line")
    args = parser.parse_args()
    cases = [c for c in CASES if args.k is None or args.k in c.text]
    if args.list:
        for case in cases:
            print(case.text[:150])
        return 0
    started = time.perf_counter()
    outcomes = run_catalogue(cases, args.parallel)
    for outcome in outcomes:
        if outcome.problems or args.verbose:
            last = outcome.stderr.strip().splitlines()[-1:] or [""]
            mark = "; ".join(outcome.problems) or "ok"
            print(f"[{mark}] srnlab {outcome.case.text[:120]}\n    {last[0][:200]}")
    counts = {
        "tracebacks": sum(o.traceback for o in outcomes),
        "exit codes other than 2": sum(o.code is not None and o.code != 2 for o in outcomes),
        "hangs": sum(o.code is None for o in outcomes),
        "files changed": sum(bool(o.changed) for o in outcomes),
    }
    slowest = max(outcomes, key=lambda o: o.seconds)
    print(
        f"{len(outcomes)} bad inputs in {time.perf_counter() - started:.0f} s "
        f"(slowest {slowest.seconds:.1f} s: srnlab {slowest.case.text[:60]})"
    )
    for name, count in counts.items():
        print(f"  {name}: {count}")
    return 0 if not any(counts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
