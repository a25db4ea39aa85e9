"""Where the time of `srnlab reproduce` goes: one run, each experiment split into phases.

    python benchmarks/bench_reproduce.py [--quick] [--cold] [--jobs J] [--out DIR] [--json FILE]

Runs `srnlab reproduce` (paper scale, or ``--quick``) in this process exactly as the command
does (``srnlab.cli.main``; worker processes on every core unless ``--jobs``), into a fresh
folder, and prints a table: per experiment the seconds its processes spent in each phase and
in all (summed over the main process and the workers: the experiments share one pool of
workers and overlap, so an experiment has no wall time of its own; on an idle machine these
are CPU seconds, on a busy one they include the time others took the CPU from it):

- **start-up**    starting Python and importing srnlab (this process: until the command
                  starts; each worker: until its first replication)
- **compilation** compiling the Numba kernels the experiments call, or loading them from
                  the disk cache: wall seconds, once, before the workers start (a cold
                  cache is filled by one process per core, each compiling its share;
                  ``--cold`` empties the cache first, as on a fresh clone)
- **training**    ``training.train`` and ``srn.train_srn``
- **analysis**    the rest of each recipe's run (tests, measures, clustering) and the
                  statistics over seeds
- **figures**     drawing and saving PNG and SVG figures
- **writing**     writing run folders, statistics and the report

The phases are timed by ``srnlab.timing`` (two clock reads each). Also printed: total wall and
CPU time (this process and its workers), the machine and how busy it was (load average before
and after), and the time of ``reference.py``'s fixed workload, run in a fresh process just
before and just after the command (so it neither imports for the command nor adds to its
start-up): the command's wall time divided by it is a ratio that compares across
machines (and across the moments of one shared machine) where seconds do not. Timings are from
one run; on a shared machine repeat for spread.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time

_T0 = time.perf_counter()
_CPU0 = time.process_time()

from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from reference import describe, reference_in_subprocess  # noqa: E402

PHASES = ("start-up", "compilation", "training", "analysis", "figures", "writing")


def empty_numba_cache(src: Path) -> int:
    """Delete Numba's cached kernels under ``src`` (``*.nbi`` index, ``*.nbc`` code)."""
    removed = 0
    for pattern in ("*.nbi", "*.nbc"):
        for path in src.rglob(pattern):
            path.unlink()
            removed += 1
    return removed


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import numba
    import numpy

    return (
        f"{model}, {os.cpu_count()} cores; Python {platform.python_version()}, "
        f"NumPy {numpy.__version__}, Numba {numba.__version__}"
    )


def table(timings: dict[str, Any], names: list[str]) -> list[list[str]]:
    rows = []
    totals = dict.fromkeys(PHASES, 0.0)
    top = {
        "start-up": float(timings.get("start-up", 0.0)),
        "compilation": float(timings.get("compilation", 0.0)),
    }
    rows.append(["(before the experiments)", "", *(_cell(top.get(p)) for p in PHASES)])
    for phase, seconds in top.items():
        totals[phase] += seconds
    for name in names:
        entry = timings[name]
        phases = entry["phases"]
        rows.append([name, f"{entry['seconds']:.1f}", *(_cell(phases.get(p)) for p in PHASES)])
        for phase in PHASES:
            totals[phase] += phases.get(phase, 0.0)
    report = float(timings.get("report", 0.0))
    totals["writing"] += report
    rows.append(["(the report)", f"{report:.1f}", *(_cell(report if p == "writing" else None)
                                                   for p in PHASES)])  # fmt: skip
    rows.append(["all phases", "", *(f"{totals[p]:.1f}" for p in PHASES)])
    return rows


def _cell(value: float | None) -> str:
    return "" if value is None or value == 0 else f"{value:.1f}"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="srnlab reproduce --quick")
    parser.add_argument("--cold", action="store_true", help="empty Numba's cache first")
    parser.add_argument("--jobs", type=int, help="worker processes (default: every core)")
    parser.add_argument("--out", type=Path, help="folder to write (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="also write the timings as JSON")
    args = parser.parse_args()

    src = Path(__file__).resolve().parent.parent / "src"
    if args.cold:
        print(f"emptied Numba's cache: {empty_numba_cache(src)} files removed")
    load_before = os.getloadavg()
    # The reference runs before the command; its time and CPU are left out of the command's.
    reference_started, reference_cpu = time.perf_counter(), cpu_seconds()
    reference_before = reference_in_subprocess()
    reference_wall = time.perf_counter() - reference_started
    reference_cpu = cpu_seconds() - reference_cpu
    tmp = None
    if args.out is None:
        tmp = Path(tempfile.mkdtemp(prefix="bench-reproduce-"))
        out = tmp / "lecture"
    else:
        out = args.out
    argv = ["reproduce", "--out", str(out)] + (["--quick"] if args.quick else [])
    argv += ["--jobs", str(args.jobs)] if args.jobs else []
    try:
        imported = time.perf_counter()
        from srnlab.cli import main as srnlab_main
        from srnlab.commands import reproduce

        started = time.perf_counter()
        code = srnlab_main(argv, out=open(os.devnull, "w"))
        wall = time.perf_counter() - started
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    if code != 0:
        sys.exit(f"srnlab reproduce exited with {code}")
    timings = dict(reproduce.LAST_RUN)
    # This process's start-up: Python and the imports before the command ran.
    timings["start-up"] = (imported - _T0 - reference_wall) + (started - imported)
    names = [n for n in timings if isinstance(timings[n], dict)]
    header = ["experiment", "seconds", *PHASES]
    print(f"srnlab {' '.join(argv[:1] + argv[3:])}: {', '.join(names)}")
    print(markdown_table(header, table(timings, names)))
    total_wall = time.perf_counter() - _T0 - reference_wall
    total_cpu = cpu_seconds() - reference_cpu
    print(
        f"\ntotal: {total_wall:.1f} s wall (the command: {wall:.1f} s), {total_cpu:.1f} s "
        "CPU (this process and its workers)"
    )
    load_after = os.getloadavg()
    reference_after = reference_in_subprocess()
    print(f"machine: {machine()}")
    print(
        f"load average (1 min) before {load_before[0]:.2f}, after {load_after[0]:.2f} "
        f"on {os.cpu_count()} cores"
    )
    reference = (reference_before["reference"] + reference_after["reference"]) / 2
    print(f"before: {describe(reference_before)}\nafter:  {describe(reference_after)}")
    print(f"the command took {wall / reference:.1f} reference workloads ({reference:.2f} s)")
    if args.json:
        args.json.write_text(json.dumps(
            {"argv": argv, "wall": total_wall, "command_wall": wall, "cpu": total_cpu,
             "timings": timings, "load": [load_before, load_after],
             "reference": [reference_before, reference_after]}, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
