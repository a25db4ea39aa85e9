"""A fixed reference workload, so that times measured on different machines (or on one shared
machine at different moments) can be compared: a benchmark runs it in the same process as what
it measures and reports that time in units of the reference.

The workload uses nothing of srnlab, so it does not change when srnlab does. It has three
parts, the three kinds of work `srnlab reproduce` does:

- **python**  an interpreted loop (the analyses, the writing, the experiments' bookkeeping)
- **numpy**   small matrix-vector products in a loop (the size of an SRN's layers)
- **figure**  a 2 x 3 panel matplotlib figure with constrained layout, saved as a 150-dpi PNG

    python benchmarks/reference.py          # prints the three times and their sum
    python benchmarks/reference.py --json   # the same as a JSON object
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np


def _python_loop() -> float:
    total = 0
    for i in range(3_000_000):
        total += i & 7
    return float(total)


def _numpy_products() -> float:
    rng = np.random.default_rng(0)
    weights = rng.uniform(-1.0, 1.0, (150, 181))
    state = rng.uniform(0.0, 1.0, 181)
    for _ in range(20_000):
        hidden = 1.0 / (1.0 + np.exp(-(weights @ state)))
        state[:150] = hidden
    return float(state.sum())


def _figure() -> float:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9.0, 5.0), layout="constrained")
    x = np.linspace(0.0, 10.0, 200)
    for k, ax in enumerate(fig.subplots(2, 3).flat):
        ax.plot(x, np.sin(x + k), label="sin")
        ax.plot(x, np.cos(x + k), label="cos")
        ax.set(title=f"panel {k}", xlabel="x", ylabel="y")
        ax.legend()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150)
    return float(len(buffer.getvalue()))


PARTS = {"python": _python_loop, "numpy": _numpy_products, "figure": _figure}


def reference_seconds(repeats: int = 3) -> dict[str, float]:
    """Each part's best wall time of ``repeats`` runs (the best: the least disturbed by other
    work on the machine), and their sum under "reference"."""
    _figure()  # the first figure pays for matplotlib's imports and font cache
    times = {}
    for name, part in PARTS.items():
        best = float("inf")
        for _ in range(repeats):
            started = time.perf_counter()
            part()
            best = min(best, time.perf_counter() - started)
        times[name] = best
    times["reference"] = sum(times.values())
    return times


def describe(times: dict[str, float]) -> str:
    parts = ", ".join(f"{name} {times[name]:.2f} s" for name in PARTS)
    return f"reference workload {times['reference']:.2f} s ({parts})"


def reference_in_subprocess() -> dict[str, float]:
    """``reference_seconds`` measured in a fresh Python process: a benchmark that calls this
    keeps its own process as the command it measures would find it."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(done.stdout))


if __name__ == "__main__":
    times = reference_seconds()
    print(json.dumps(times) if "--json" in sys.argv[1:] else describe(times))
