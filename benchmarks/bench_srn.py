"""How fast srnlab trains a simple recurrent network, against two yardsticks.

    python benchmarks/bench_srn.py [--quick] [--json FILE]

1. **Sentence scale** (Elman 1990, section 5): a 31-150-31 SRN, one-hot words, online
   copy-back training, float64, ``SRNSchedule()``'s default learning rate and momentum,
   27,500 steps x 6 passes. Reported: srnlab's steps per second and two ratios:
   - to a straightforward NumPy loop, one step at a time (written below as a person would
     write it). It is timed on fewer steps and extrapolated per step: its cost per step
     does not depend on the step.
   - to a *ceiling*: a compiled loop with no Python per step that does nothing but stream
     each of the step's weight matrices through one matrix-vector product and one rank-1
     update (no activation function, no error): the memory traffic a step cannot avoid. W_ch
     and W_hy are streamed whole; W_xh, whose input is one-hot, one row (what the step
     needs). It is compiled with ``fastmath`` and timed in two layouts; the faster counts.
   The same with momentum 0.9, whose ceiling also streams the velocity arrays.
2. **Letters scale** (section 3): a 6-20-6 SRN with dense 6-bit feature inputs, ~3,000 steps
   per pass; here the time per step is overhead, not memory.
3. **Compile time** of the kernels: the first call in a fresh process with an empty Numba
   cache (compiling), and again with that cache filled (loading from disk). Numba's on-disk
   cache is what every later run uses.

Timings are the best of a few repeats (the least disturbed by other processes).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from numba import njit

from srnlab.srn import SRN, SRNParams, SRNSchedule, init_srn, train_srn
from srnlab.tasks.letters import letter_stream

SENTENCE_SIZES = (31, 150, 31)
SENTENCE_STEPS = 27_500
SENTENCE_PASSES = 6


def best_time(run: Callable[[], Any], repeats: int) -> float:
    """The least-disturbed of ``repeats`` timings, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


# ---- the data ------------------------------------------------------------------------------


def sentence_like_stream(n_steps: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """One-hot word indices (29 words on 31 units) and next-word targets. Speed does not
    depend on the words, so a random stream stands in for the grammar."""
    words = np.random.default_rng(seed).integers(0, 29, n_steps + 1)
    return words[:-1], words[1:]


# ---- the straightforward NumPy loop --------------------------------------------------------


def numpy_copyback(
    params: SRNParams,
    inputs: np.ndarray,
    targets: np.ndarray,
    n_out: int,
    learning_rate: float,
    momentum: float,
    context_start: float,
) -> None:
    """Online copy-back training, one NumPy call per operation, as one would write it."""
    W_xh, W_ch, W_hy, b_h, b_y = (a.copy() for a in params.arrays())
    V_xh, V_ch, V_hy, v_h, v_y = (np.zeros_like(a) for a in (W_xh, W_ch, W_hy, b_h, b_y))
    c = np.full(b_h.shape, context_start)
    one_hot = inputs.ndim == 1
    for t in range(len(inputs)):
        x_in = W_xh[:, inputs[t]] if one_hot else W_xh @ inputs[t]
        h = 1.0 / (1.0 + np.exp(-(x_in + W_ch @ c + b_h)))
        y_hat = 1.0 / (1.0 + np.exp(-(W_hy @ h + b_y)))
        if targets.ndim == 1:
            y = np.zeros(n_out)
            y[targets[t]] = 1.0
        else:
            y = targets[t]
        delta_y = -2.0 * (y - y_hat) * y_hat * (1.0 - y_hat)
        delta_h = (W_hy.T @ delta_y) * h * (1.0 - h)
        if momentum == 0.0:
            W_hy -= learning_rate * np.outer(delta_y, h)
            b_y -= learning_rate * delta_y
            W_ch -= learning_rate * np.outer(delta_h, c)
            b_h -= learning_rate * delta_h
            if one_hot:
                W_xh[:, inputs[t]] -= learning_rate * delta_h
            else:
                W_xh -= learning_rate * np.outer(delta_h, inputs[t])
        else:
            x = np.eye(W_xh.shape[1])[inputs[t]] if one_hot else inputs[t]
            for w, v, g in (
                (W_hy, V_hy, np.outer(delta_y, h)),
                (b_y, v_y, delta_y),
                (W_ch, V_ch, np.outer(delta_h, c)),
                (b_h, v_h, delta_h),
                (W_xh, V_xh, np.outer(delta_h, x)),
            ):
                v *= momentum
                v -= learning_rate * g
                w += v
        c = h


# ---- the ceiling ---------------------------------------------------------------------------


@njit(cache=True, fastmath=True)
def ceiling_rows_first(W_xhT, W_ch, W_hy, V_ch, V_hy, V_xhT, x_index, momentum, n_steps):  # type: ignore[no-untyped-def]
    """Per step: for W_ch and W_hy one matrix-vector product (dot product per row) and one
    rank-1 update (with momentum: through the velocity array), for W_xh the one-hot row and
    its update (with momentum: every row, as the velocity decays everywhere)."""
    n_hidden, n_out = W_ch.shape[0], W_hy.shape[0]
    a = np.full(n_hidden, 0.5)
    d = np.full(n_hidden, 1e-9)
    e = np.full(n_out, 1e-9)
    q = np.zeros(n_hidden)
    r = np.zeros(n_out)
    for t in range(n_steps):
        row = W_xhT[x_index[t]]
        for i in range(n_hidden):
            q[i] = row[i]
        for i in range(n_hidden):  # W_ch a
            s = 0.0
            for j in range(n_hidden):
                s += W_ch[i, j] * a[j]
            q[i] += s
        for o in range(n_out):  # W_hy q
            s = 0.0
            for j in range(n_hidden):
                s += W_hy[o, j] * q[j]
            r[o] = s
        _rank1(W_ch, V_ch, d, a, momentum)
        _rank1(W_hy, V_hy, e, q, momentum)
        if momentum == 0.0:
            for i in range(n_hidden):
                row[i] -= d[i]
        else:
            _rank1_onehot(W_xhT, V_xhT, x_index[t], d, momentum)
        for i in range(n_hidden):  # keep a dependence between steps, so nothing is skipped
            a[i] = 1e-3 * q[i]
        e[0] = 1e-12 * r[0]


@njit(cache=True, fastmath=True)
def _rank1(W, V, u, v, momentum):  # type: ignore[no-untyped-def]
    for i in range(W.shape[0]):
        ui = u[i]
        if momentum == 0.0:
            for j in range(W.shape[1]):
                W[i, j] -= ui * v[j]
        else:
            for j in range(W.shape[1]):
                V[i, j] = momentum * V[i, j] - ui * v[j]
                W[i, j] += V[i, j]


@njit(cache=True, fastmath=True)
def _rank1_onehot(WT, VT, index, d, momentum):  # type: ignore[no-untyped-def]
    for j in range(WT.shape[0]):
        x = 1.0 if j == index else 0.0
        for i in range(WT.shape[1]):
            VT[j, i] = momentum * VT[j, i] - x * d[i]
            WT[j, i] += VT[j, i]


@njit(cache=True, fastmath=True)
def ceiling_sum_of_rows(W_xhT, W_chT, W_hy, V_chT, V_hy, V_xhT, x_index, momentum, n_steps):  # type: ignore[no-untyped-def]
    """The same work with W_ch stored transposed: W_ch a as a sum of rows of W_ch^T."""
    n_hidden, n_out = W_chT.shape[0], W_hy.shape[0]
    a = np.full(n_hidden, 0.5)
    d = np.full(n_hidden, 1e-9)
    e = np.full(n_out, 1e-9)
    q = np.zeros(n_hidden)
    r = np.zeros(n_out)
    for t in range(n_steps):
        row = W_xhT[x_index[t]]
        for i in range(n_hidden):
            q[i] = row[i]
        for j in range(n_hidden):  # W_ch a = sum_j a_j W_chT[j, :]
            aj = a[j]
            for i in range(n_hidden):
                q[i] += W_chT[j, i] * aj
        for o in range(n_out):
            s = 0.0
            for j in range(n_hidden):
                s += W_hy[o, j] * q[j]
            r[o] = s
        _rank1(W_chT, V_chT, a, d, momentum)
        _rank1(W_hy, V_hy, e, q, momentum)
        if momentum == 0.0:
            for i in range(n_hidden):
                row[i] -= d[i]
        else:
            _rank1_onehot(W_xhT, V_xhT, x_index[t], d, momentum)
        for i in range(n_hidden):
            a[i] = 1e-3 * q[i]
        e[0] = 1e-12 * r[0]


def ceiling_seconds_per_step(
    params: SRNParams, inputs: np.ndarray, momentum: float, n_steps: int, repeats: int
) -> float:
    if n_steps > len(inputs):  # the kernels do not check bounds: never read past the stream
        raise ValueError(f"{n_steps} steps asked of a stream of {len(inputs)}")
    best = float("inf")
    for kernel in (ceiling_rows_first, ceiling_sum_of_rows):
        W_xhT = np.ascontiguousarray(params.W_xh.T)
        W_ch = np.ascontiguousarray(params.W_ch if kernel is ceiling_rows_first else params.W_ch.T)
        W_hy = params.W_hy.copy()
        V = [np.zeros_like(w) for w in (W_ch, W_hy, W_xhT)]
        args = (W_xhT, W_ch, W_hy, *V, inputs, momentum)
        kernel(*args, 10)  # compile (or load) outside the timing
        best = min(
            best, best_time(lambda kernel=kernel, args=args: kernel(*args, n_steps), repeats)
        )
    return best / n_steps


# ---- the measurements ----------------------------------------------------------------------


def sentence_scale(quick: bool, momentum: float) -> dict[str, Any]:
    n_in, n_hidden, n_out = SENTENCE_SIZES
    net = SRN(n_in, n_hidden, n_out)
    schedule = SRNSchedule(momentum=momentum)
    params = init_srn(n_in, n_hidden, n_out, np.random.default_rng(1), 1.0)
    inputs, targets = sentence_like_stream(SENTENCE_STEPS, seed=2)
    passes = 1 if quick else SENTENCE_PASSES
    repeats = 3
    train_srn(net, params, inputs[:50], targets[:50], schedule, passes=1)  # compile or load

    def srnlab_run() -> None:
        train_srn(net, params, inputs, targets, schedule, passes=passes)

    srnlab_s = best_time(srnlab_run, repeats) / (passes * SENTENCE_STEPS)
    numpy_steps = 600 if quick else 3_000
    numpy_s = (
        best_time(
            lambda: numpy_copyback(
                params,
                inputs[:numpy_steps],
                targets[:numpy_steps],
                n_out,
                schedule.learning_rate,
                momentum,
                net.context_start,
            ),
            2 if quick else 3,
        )
        / numpy_steps
    )
    ceiling_steps = SENTENCE_STEPS * (1 if quick else 2)
    ceiling_inputs = np.resize(inputs, ceiling_steps)  # the stream again, as a second pass
    ceiling_s = ceiling_seconds_per_step(params, ceiling_inputs, momentum, ceiling_steps, repeats)
    return {
        "sizes": list(SENTENCE_SIZES),
        "steps_per_pass": SENTENCE_STEPS,
        "passes_timed": passes,
        "learning_rate": schedule.learning_rate,
        "momentum": momentum,
        "srnlab_steps_per_s": 1.0 / srnlab_s,
        "srnlab_us_per_step": srnlab_s * 1e6,
        "srnlab_run_s_6_passes": srnlab_s * SENTENCE_STEPS * SENTENCE_PASSES,
        "numpy_us_per_step": numpy_s * 1e6,
        "numpy_steps_timed": numpy_steps,
        "speedup_vs_numpy": numpy_s / srnlab_s,
        "ceiling_us_per_step": ceiling_s * 1e6,
        "time_vs_ceiling": srnlab_s / ceiling_s,
    }


def letters_scale(quick: bool) -> dict[str, Any]:
    net = SRN(6, 20, 6)
    schedule = SRNSchedule()
    params = init_srn(6, 20, 6, np.random.default_rng(3), 1.0)
    stream = letter_stream(1_000, np.random.default_rng(4))  # Elman's ba/dii/guuu features
    inputs, targets = stream.inputs, stream.targets
    passes = 5 if quick else 50
    train_srn(net, params, inputs[:20], targets[:20], schedule, passes=1)
    srnlab_s = best_time(
        lambda: train_srn(net, params, inputs, targets, schedule, passes=passes), 3
    ) / (passes * len(inputs))
    numpy_s = best_time(
        lambda: numpy_copyback(
            params, inputs, targets, 6, schedule.learning_rate, 0.0, net.context_start
        ),
        2,
    ) / len(inputs)
    return {
        "sizes": [6, 20, 6],
        "steps_per_pass": len(inputs),
        "passes_timed": passes,
        "srnlab_steps_per_s": 1.0 / srnlab_s,
        "srnlab_us_per_step": srnlab_s * 1e6,
        "numpy_us_per_step": numpy_s * 1e6,
        "speedup_vs_numpy": numpy_s / srnlab_s,
    }


_FIRST_CALLS = """
import json, time
import numpy as np
from srnlab.srn import SRN, SRNSchedule, init_srn, run_srn, train_srn
net = SRN(3, 4, 3)
p = init_srn(3, 4, 3, np.random.default_rng(0), 1.0)
x = np.array([0, 1, 2, 1]); y = np.array([1, 2, 1, 0])
times = {}
for name, call in [
    ("copy-back training", lambda: train_srn(net, p, x, y, SRNSchedule(), passes=1)),
    ("general training (BPTT)", lambda: train_srn(net, p, x, y, SRNSchedule(through_time=None,
                                                                    update_every=None), passes=1)),
    ("frozen run", lambda: run_srn(net, p, x)),
]:
    start = time.perf_counter(); call(); times[name] = time.perf_counter() - start
print(json.dumps(times))
"""


def compile_times() -> dict[str, dict[str, float]]:
    """First-call seconds per kernel: with an empty Numba cache, then with that cache filled."""
    out: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as cache_dir:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache_dir}
        for label in ("cold (compiles)", "cached (loads from disk)"):
            done = subprocess.run(
                [sys.executable, "-c", _FIRST_CALLS],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            out[label] = json.loads(done.stdout)
    return out


def report(results: dict[str, Any]) -> str:
    lines = [f"srnlab SRN benchmark ({results['machine']})", ""]
    for key, title in (
        ("sentence", "Sentence scale 31-150-31, one-hot, online copy-back, float64"),
        ("sentence_momentum", "Same, momentum 0.9 (ceiling also streams the velocities)"),
    ):
        r = results[key]
        lines += [
            f"{title}, lr {r['learning_rate']}, momentum {r['momentum']}:",
            f"  srnlab      {r['srnlab_steps_per_s']:>12,.0f} steps/s"
            f"  ({r['srnlab_us_per_step']:.2f} us/step; {r['steps_per_pass']:,} steps"
            f" x {SENTENCE_PASSES} passes = {r['srnlab_run_s_6_passes']:.2f} s;"
            f" timed on {r['passes_timed']} pass(es))",
            f"  NumPy loop  {1e6 / r['numpy_us_per_step']:>12,.0f} steps/s"
            f"  ({r['numpy_us_per_step']:.1f} us/step, timed on {r['numpy_steps_timed']:,}"
            f" steps, extrapolated)  -> srnlab is {r['speedup_vs_numpy']:.1f}x faster",
            f"  ceiling     {1e6 / r['ceiling_us_per_step']:>12,.0f} steps/s"
            f"  ({r['ceiling_us_per_step']:.2f} us/step)"
            f"  -> srnlab takes {r['time_vs_ceiling']:.2f}x the ceiling's time",
            "",
        ]
    r = results["letters"]
    lines += [
        "Letters scale 6-20-6, dense 6-bit features, online copy-back:",
        f"  srnlab      {r['srnlab_steps_per_s']:>12,.0f} steps/s"
        f"  ({r['srnlab_us_per_step']:.2f} us/step,"
        f" {r['steps_per_pass']:,} steps x {r['passes_timed']} passes)",
        f"  NumPy loop  {1e6 / r['numpy_us_per_step']:>12,.0f} steps/s"
        f"  -> srnlab is {r['speedup_vs_numpy']:.0f}x faster",
        "",
        "Compile time, first call per kernel (seconds):",
    ]
    for label, times in results["compile"].items():
        lines.append(f"  {label:<26}" + ", ".join(f"{k} {v:.2f}" for k, v in times.items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps (about 10 s)")
    parser.add_argument("--json", metavar="FILE", help="also save the numbers as JSON")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {
        "machine": f"{os.cpu_count()} CPUs, numpy {np.__version__}, {sys.platform}",
        "quick": args.quick,
        "compile": compile_times(),
        "sentence": sentence_scale(args.quick, SRNSchedule().momentum),
        "sentence_momentum": sentence_scale(args.quick, 0.9),
        "letters": letters_scale(args.quick),
    }
    print(report(results))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
