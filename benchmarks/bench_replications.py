"""How many replications per minute srnlab runs: one process against every core.

    python benchmarks/bench_replications.py [--quick] [--seeds N] [--json FILE]

For the letters recipe (Elman 1990 section 3: a 6-20-6 SRN, 200 passes over ~3,000 letters)
and the sentences recipe (section 5: a 31-150-31 SRN, 6 passes over ~27,500 words, then the
likelihood, clustering and novel-word analyses), each at its paper-scale defaults, N
replications (seeds 0..N-1) are run exactly as ``srnlab run RECIPE --seeds N`` runs them
(``replicate.execute``: train, measure, write the run folder, stored atomically), twice:

- **one process**: ``--jobs 1``, one replication after another in this process;
- **all cores**: ``--jobs`` = every core, spawned worker processes; timed twice, *cold* (as a
  command runs: the time includes starting the workers, importing srnlab and loading the
  compiled kernels from Numba's cache in each, about 1.5 s) and *warm* (the same pool again:
  the rate a long sweep settles at).

each with and without figures (``--no-figures``): drawing a run's PNG and SVG figures costs as
much as training it. Reported: replications per minute, and the scaling efficiency from one
process to all cores, (rate on J cores / rate on one) / J, cold and warm. A breakdown of one
replication (training and measuring, writing files, drawing figures) says where time goes.

If the sentences recipe is missing, the 31-150-31 network on a random one-hot stream stands in
(training only). Timings are from one run on a shared machine; repeat for spread.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

from srnlab.catalogue import RECIPES
from srnlab.executors import Backend, ProcessBackend, SerialBackend, available_cores
from srnlab.plots.folders import FolderFigures
from srnlab.recipe import Recipe
from srnlab.replicate import execute, plan, write_run


def replications_per_minute(
    recipe: Recipe, n: int, backend: Backend, draw: bool
) -> tuple[float, float]:
    """(replications per minute, seconds) for n replications on ``backend``, end to end."""
    config = recipe.Config()
    with tempfile.TemporaryDirectory(prefix="bench-replications-") as tmp:
        jobs = plan(recipe, config, n, Path(tmp))
        started = time.perf_counter()
        failures = execute(recipe, jobs, backend, draw=FolderFigures() if draw else None)
        seconds = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{len(failures)} replications failed: {failures}")
    return 60.0 * n / seconds, seconds


def breakdown(recipe: Recipe) -> dict[str, float]:
    """Seconds of one replication (seed 1, after seed 0 warmed every cache): train and
    measure (``recipe.run``), write the run folder, draw and save the figures."""
    for seed in (0, 1):
        config = recipe.with_seed(recipe.Config(), seed)
        t0 = time.perf_counter()
        result = recipe.run(config)
        t1 = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            write_run(recipe, result, Path(tmp), draw=None)
            t2 = time.perf_counter()
            write_run(recipe, result, Path(tmp), draw=FolderFigures())
            t3 = time.perf_counter()
    return {"run": t1 - t0, "files": t2 - t1, "figures": t3 - t2 - (t2 - t1)}


def stand_in_rate(n: int) -> dict[str, Any]:
    """Without a sentences recipe: the 31-150-31 net on a random one-hot stream, training only,
    one process (what the sentence simulation's training costs per replication)."""
    import numpy as np

    from srnlab.srn import SRN, SRNSchedule, init_srn, train_srn

    net = SRN(31, 150, 31)
    words = np.random.default_rng(0).integers(0, 29, 27_501)
    eye = np.eye(31)
    inputs, targets = eye[words[:-1]], eye[words[1:]]
    started = time.perf_counter()
    for seed in range(n):
        params = init_srn(31, 150, 31, np.random.default_rng(seed), 1.0)
        train_srn(net, params, inputs, targets, SRNSchedule(), passes=6)
    seconds = time.perf_counter() - started
    return {"recipe": "31-150-31 stand-in (training only)", "one_process": 60 * n / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer replications (a smoke run)")
    parser.add_argument("--seeds", type=int, help="replications per measurement")
    parser.add_argument("--json", type=Path, help="also write the numbers as JSON")
    args = parser.parse_args()
    cores = available_cores()
    print(f"{platform.python_version()} on {cores} cores ({platform.processor() or 'cpu'})")
    rows: list[dict[str, Any]] = []
    for name in ("letters", "sentences"):
        recipe = RECIPES.get(name)
        per_core = {"letters": 8, "sentences": 4}.get(name, 4)
        n = args.seeds or ((1 if args.quick else per_core) * cores)
        if recipe is None:
            rows.append(stand_in_rate(n))
            print(f"{name}: no recipe; {rows[-1]}")
            continue
        parts = breakdown(recipe)
        print(
            f"{name}: one replication = train and measure {parts['run']:.2f} s + write files "
            f"{parts['files']:.2f} s + figures {parts['figures']:.2f} s"
        )
        for draw in (True, False):
            one, one_s = replications_per_minute(recipe, n, SerialBackend(), draw)
            pool = ProcessBackend(cores)
            cold, cold_s = replications_per_minute(recipe, n, pool, draw)
            warm, warm_s = replications_per_minute(recipe, n, pool, draw)
            pool.close()
            rows.append(
                {
                    "recipe": name,
                    "figures": draw,
                    "replications": n,
                    "cores": cores,
                    "one_process_per_min": one,
                    "all_cores_cold_per_min": cold,
                    "all_cores_warm_per_min": warm,
                    "efficiency_cold": cold / one / cores,
                    "efficiency_warm": warm / one / cores,
                    "seconds": {"one_process": one_s, "cold": cold_s, "warm": warm_s},
                    "breakdown_s": parts,
                }
            )
            print(
                f"  {'with' if draw else 'without'} figures, {n} replications: one process "
                f"{one:.1f}/min ({one_s:.1f} s); {cores} cores cold {cold:.1f}/min "
                f"({cold_s:.1f} s), warm {warm:.1f}/min ({warm_s:.1f} s)"
            )
    print()
    print("| recipe | figures | one process | all cores, cold | all cores, warm | efficiency "
          "cold / warm |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for row in rows:
        if "one_process_per_min" not in row:
            print(f"| {row['recipe']} | no | {row['one_process']:.1f} | | | |")
            continue
        print(
            f"| {row['recipe']} | {'yes' if row['figures'] else 'no'} | "
            f"{row['one_process_per_min']:.1f} | {row['all_cores_cold_per_min']:.1f} | "
            f"{row['all_cores_warm_per_min']:.1f} | {row['efficiency_cold']:.0%} / "
            f"{row['efficiency_warm']:.0%} |"
        )
    print(f"(replications per minute; all cores = {cores} worker processes)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
