"""How fast a tlearn SRN project runs, against srnlab's own SRN training of the same network.

    python benchmarks/bench_tlearn.py [--quick] [--json FILE]

The project: Elman's letters-scale SRN written as a tlearn .cf (6 inputs, 20 hidden nodes,
6 outputs, 20 copy units fixed at 1), 3,000 patterns of random 6-bit vectors predicting the
next, trained 20 passes (60,000 sweeps) at rate 0.1, momentum 0 (tlearn's defaults), from
the same weights by

1. ``srn.train_srn`` on the same network with tlearn's choices (context from 0, 1/2 squared
   error, copy-back): the baseline, srnlab's speed;
2. the fast path's training alone (``fastpath.train_fast``: the .cf's weights mapped onto
   the kernels and back), and the whole project run (``run_project``, engine auto), which
   adds reading the start weights, the frozen verify/probe pass and the run's result;
3. the same project on the reference engine (``engine=reference``), timed on one pass and
   reported per sweep (its cost per sweep does not depend on the sweep).

Reported as ratios to (1) in this process, best of a few repeats. The fast path's weights
are checked against (1) before anything is timed, so both do the same work.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from srnlab.srn import SRNSchedule, init_srn, train_srn
from srnlab.tlearn.export import layered_network, srn_weights
from srnlab.tlearn.fastpath import srn_layout, to_srn, train_fast
from srnlab.tlearn.project import Config, Project, run_project
from srnlab.tlearn.wts import format_wts

N_IN, N_HIDDEN, N_OUT = 6, 20, 6


def best_time(run: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller stream, fewer repeats")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    steps, passes, repeats = (600, 3, 2) if args.quick else (3000, 20, 5)

    rng = np.random.default_rng(0)
    bits = rng.integers(0, 2, (steps + 1, N_IN)).astype(float)
    inputs, targets = bits[:-1], bits[1:]
    network = layered_network(N_IN, N_HIDDEN, N_OUT, "logistic", "logistic", context=True)
    weights = srn_weights(init_srn(N_IN, N_HIDDEN, N_OUT, rng, 1.0))
    layout = srn_layout(network, weights)
    assert not isinstance(layout, str), layout
    srn, params = to_srn(layout, weights, N_IN, cross_entropy=False)
    schedule = SRNSchedule(0.1, 0.0, through_time=1, update_every=1)
    with tempfile.TemporaryDirectory() as tmp:
        start = Path(tmp) / "start.wts"
        start.write_text(format_wts(weights, 0))
        project = Project(Path(tmp) / "letters.cf", network, inputs, targets, None)
        config = Config(sweeps=steps * passes, learning_rate=0.1, momentum=0.0, weights=str(start))

        def baseline() -> Any:
            return train_srn(srn, params, inputs, targets, schedule, passes=passes)

        def fast_training() -> Any:
            return train_fast(layout, weights, inputs, targets, [], config.training(), passes, N_IN)

        def project_run() -> Any:
            return run_project(project, config)

        one_pass = dataclasses.replace(config, sweeps=steps, engine="reference")

        def reference() -> Any:
            return run_project(project, one_pass)

        trained, _ = baseline()  # also compiles the kernels
        result = project_run()
        assert result.metrics["engine"] == "fast", result.metrics["engine_note"]
        assert np.abs(result.arrays["final_weights"] - srn_weights(trained)).max() < 1e-12

        t_base = best_time(baseline, repeats)
        t_fast = best_time(fast_training, repeats)
        t_project = best_time(project_run, repeats)
        t_reference = best_time(reference, 1 if args.quick else 2) * passes

    numbers = {
        "network": f"{N_IN}-{N_HIDDEN}-{N_OUT} SRN (+{N_HIDDEN} copy units)",
        "sweeps": steps * passes,
        "train_srn_seconds": t_base,
        "fast_training_seconds": t_fast,
        "project_fast_seconds": t_project,
        "fast_training_over_train_srn": t_fast / t_base,
        "reference_engine_seconds_extrapolated": t_reference,
        "project_fast_over_train_srn": t_project / t_base,
        "reference_over_train_srn": t_reference / t_base,
    }
    print(f"{numbers['network']}, {numbers['sweeps']:,} sweeps (rate 0.1, momentum 0):")
    print(f"  srn.train_srn (baseline)       {t_base * 1e3:9.1f} ms")
    print(
        f"  fast path, training only       {t_fast * 1e3:9.1f} ms  "
        f"({t_fast / t_base:.2f}x the baseline)"
    )
    print(
        f"  tlearn project run, fast path  {t_project * 1e3:9.1f} ms  "
        f"({t_project / t_base:.2f}x the baseline)"
    )
    print(
        f"  tlearn project, reference      {t_reference * 1e3:9.1f} ms  "
        f"({t_reference / t_base:.0f}x the baseline; timed on one pass)"
    )
    if args.json:
        args.json.write_text(json.dumps(numbers, indent=2) + "\n")


if __name__ == "__main__":
    main()
