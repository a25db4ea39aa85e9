"""How fast srnlab trains the XOR recipe's network: the compiled loop against the reference.

    python benchmarks/bench_xor.py [--seeds N]

Trains the lecture's 2-2-1 network with the recipe's defaults (online, shuffled order, lr 0.1,
momentum 0.9, 2,000 epochs, the error measured after every epoch) from seeds 0..N-1, with
``training.train`` compiled (``srnlab.kernels_ff``, the default) and with
``compiled=False`` (the NumPy reference), in this process, and prints networks per second and
the ratio. The compiled loop is warmed up first (compiled or loaded from the disk cache), so
the time is training only. Also printed: whether both gave the same verdict and first solved
epoch on every seed, and the largest difference of their final weights.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from srnlab import kernels_ff
from srnlab.params import init_feedforward
from srnlab.recipes import xor
from srnlab.seeding import generators
from srnlab.tasks.xor import xor_patterns
from srnlab.training import train


def train_seeds(seeds: range, compiled: bool) -> tuple[float, list]:
    config = xor.Config()
    network, schedule = config.network(), config.schedule()
    inputs, targets = xor_patterns()
    out = []
    started = time.perf_counter()
    for seed in seeds:
        rngs = generators(seed)
        initial = init_feedforward(network.sizes, rngs["weights"], config.init_range)
        out.append(
            train(network, initial, inputs, targets, schedule, rngs["order"], compiled=compiled)
        )
    return time.perf_counter() - started, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    kernels_ff.warm_up()
    seeds = range(args.seeds)
    fast_s, fast = train_seeds(seeds, compiled=True)
    slow_s, slow = train_seeds(seeds, compiled=False)
    same = all(
        a.solved[-1] == b.solved[-1] and a.first_solved_epoch() == b.first_solved_epoch()
        for (_, a), (_, b) in zip(fast, slow, strict=True)
    )
    diff = max(
        float(np.max(np.abs(x - y)))
        for (p, _), (q, _) in zip(fast, slow, strict=True)
        for x, y in zip(p.arrays(), q.arrays(), strict=True)
    )
    print(f"XOR 2-2-1, 2,000 epochs, {args.seeds} seeds")
    print("| training.train | networks/s | ms per network | ratio |")
    print("|---|---|---|---|")
    print(f"| compiled (kernels_ff) | {args.seeds / fast_s:,.1f} | {1e3 * fast_s / args.seeds:.2f} "
          f"| {slow_s / fast_s:.0f}x faster |")  # fmt: skip
    print(f"| NumPy reference (compiled=False) | {args.seeds / slow_s:,.2f} | "
          f"{1e3 * slow_s / args.seeds:.0f} | |")  # fmt: skip
    print(f"same verdict and first solved epoch on every seed: {same}; largest weight "
          f"difference {diff:.1e}")  # fmt: skip


if __name__ == "__main__":
    main()
