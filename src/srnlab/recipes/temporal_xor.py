"""Temporal XOR (Elman 1990, "Exclusive-OR"): XOR spread out in time, learned by an SRN.

The stream is 1,000 triples (3,000 bits): two random bits, then their XOR. One input unit sees
bit t, one output unit predicts bit t + 1, two hidden units feed two context units. Only every
third bit is predictable (the XOR of the two before it), and only if the network remembers the
previous bit: the context units are its only memory. Elman trained for 600 passes and showed
the error, averaged over 1,200 cycles of 12 steps, dropping at every third step.

Which error did the paper plot? With one output unit the per-step Euclidean error is
|y - a|, whose mean against a fair coin is 0.5 whatever the network predicts; the paper's
figure shows about 0.3 at the coin-flip steps, which fits the squared error (y - a)^2 (at
least 0.25 against a coin, reached by predicting 0.5). So the figure's measure here is the
squared error (``error_measure``, the choice the paper leaves open), and both measures are in
``metrics.json``.

This is the experiment; its figures and report text are ``srnlab.presenters.temporal_xor``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from srnlab.analysis.hidden_units import has_run_and_alternation_units, run_vs_alternation
from srnlab.analysis.prediction import cycle_profile, step_errors
from srnlab.checks import at_least, srn_fits
from srnlab.config import config_to_dict
from srnlab.engine import weight_arrays
from srnlab.run_result import RunResult, seed_and_metrics
from srnlab.seeding import generators
from srnlab.settings import SRNSettings
from srnlab.srn import init_srn, run_srn, train_srn
from srnlab.tasks.temporal_xor import ideal_predictions, temporal_xor_stream

NAME = "temporal-xor"
SUMMARY = "Elman (1990): a 1-2-1 SRN predicting the next bit of a stream of XOR triples"

#: Elman (1990), Figure 1, read off the figure (about +-0.02): error at steps 1..12 of a cycle.
PAPER_PROFILE = (0.33, 0.16, 0.305, 0.285, 0.18, 0.34, 0.32, 0.17, 0.32, 0.32, 0.16, 0.285)
CYCLE = 12  # the paper's figure: 12 consecutive steps, averaged over cycles
XOR_STEPS = (1, 4, 7, 10)  # 0-based steps of the cycle whose target is the XOR bit


ERROR_MEASURES = ("squared", "euclidean")  # both are in metrics.json


@dataclass(frozen=True, kw_only=True)
class Config(SRNSettings):
    """The network and training schedule are the shared SRN settings (``srnlab.settings``);
    the defaults below are where this recipe's paper, or its measurements, say otherwise."""

    hidden: int = 2  # Elman (1990): 2 hidden units, 2 context units
    n_triples: int = 1000  # Elman (1990): 3,000 bits
    passes: int = 600  # Elman (1990): 600 passes through the stream
    # Not in the paper: tlearn's defaults (Elman's group's simulator). Measured: with these,
    # seeds 0-9 all show the paper's dips at the XOR steps (squared error about 0.14-0.19 there
    # against 0.26-0.28 elsewhere); momentum 0.9 makes 4 of 10 seeds lose the dips.
    learning_rate: float = 0.1
    momentum: float = 0.0
    # The lecture's E = (y - a)^2, twice tlearn's step: what this recipe has always trained
    # with, and learning_rate's measurements too. Also half_squared (tlearn's), cross_entropy.
    loss: str = "squared"
    test_cycles: int = 1200  # Elman (1990): the figure averages 1,200 cycles of 12 steps
    # The paper's "error" is undefined; its figure's ~0.3 at coin flips fits the squared error
    # (module docstring). Used by the figures, the report and the pattern check.
    error_measure: Literal["squared", "euclidean"] = "squared"

    def __post_init__(self) -> None:
        super().__post_init__()  # the shared settings' checks
        at_least(self, 1, "n_triples", "test_cycles")
        srn_fits(self, 1, 1, 3 * self.n_triples + CYCLE * self.test_cycles)


def run(config: Config) -> RunResult:
    """Train on one stream, then measure on a fresh stream with the weights frozen."""
    net = config.network(1, 1)
    rngs = generators(config.seed)
    initial = init_srn(*net.sizes, rngs["weights"], config.init_range)
    train = temporal_xor_stream(config.n_triples, rngs["data"])
    trained, history = train_srn(
        net, initial, train.inputs, train.targets, config.schedule(), passes=config.passes
    )
    # The test stream continues from a fresh context, as a new stream would.
    test = temporal_xor_stream(config.test_cycles * CYCLE // 3, rngs["test"])
    trace = run_srn(net, trained, test.inputs)
    bits = test.inputs[:, 0].astype(np.int8)
    metrics = measure(test.targets, trace.outputs, ideal_predictions(test), test.positions)
    hidden = run_vs_alternation(bits, trace.hidden)
    metrics |= {
        "hidden_run_vs_alternation": hidden,
        "run_and_alternation_units": has_run_and_alternation_units(hidden["difference"]),
        "final_training_error": history.sse[-1] if history.sse else None,
        "paper_profile": list(PAPER_PROFILE),
    }
    metrics["pattern_found"] = shows_paper_pattern(metrics, config.error_measure)
    arrays = weight_arrays(initial, trained)
    arrays |= {"test_bits": bits, "test_outputs": trace.outputs[:, 0], "test_hidden": trace.hidden}
    return RunResult(NAME, config_to_dict(config), metrics, history.columns(), arrays)


def measure(
    targets: np.ndarray, outputs: np.ndarray, ideal: np.ndarray, positions: np.ndarray
) -> dict[str, Any]:
    """The paper's 12-step error profile and the XOR-bit vs coin-flip errors, for the network
    and for the ideal predictor (0.5 at coin flips, the true bit at XOR steps)."""
    net_errors = step_errors(targets, outputs)
    ideal_errors = step_errors(targets, ideal)
    is_xor = positions == 2
    metrics: dict[str, Any] = {}
    for measure_name in ERROR_MEASURES:
        errors, best = net_errors[measure_name], ideal_errors[measure_name]
        metrics[f"profile_{measure_name}"] = cycle_profile(errors, CYCLE).tolist()
        metrics[f"ideal_profile_{measure_name}"] = cycle_profile(best, CYCLE).tolist()
        metrics[f"xor_target_{measure_name}"] = float(errors[is_xor].mean())
        metrics[f"coin_flip_target_{measure_name}"] = float(errors[~is_xor].mean())
        metrics[f"ideal_xor_target_{measure_name}"] = float(best[is_xor].mean())
        metrics[f"ideal_coin_flip_target_{measure_name}"] = float(best[~is_xor].mean())
    return metrics


def shows_paper_pattern(metrics: dict[str, Any], measure: str = "squared") -> bool:
    """The paper's result: the error dips at every third step, where the target is the XOR bit.

    Concretely, on the error profile every XOR step is below every other step, and the mean
    XOR-step error is under 0.8 of the coin-flip steps' (the paper: 0.17 vs 0.31).
    """
    profile = np.asarray(metrics[f"profile_{measure}"])
    xor = profile[list(XOR_STEPS)]
    other = np.delete(profile, XOR_STEPS)
    ratio = metrics[f"xor_target_{measure}"] / metrics[f"coin_flip_target_{measure}"]
    return bool(xor.max() < other.min() and ratio < 0.8)


def success(result: RunResult) -> bool:
    return bool(result.metrics["pattern_found"])


def summarize(results: list[RunResult]) -> dict[str, Any]:
    """Across seeds: how many show the paper's dips, and the mean profile with its spread."""
    measure = results[0].config.get("error_measure", "squared")
    profiles = np.array([r.metrics[f"profile_{measure}"] for r in results])
    found = [success(r) for r in results]
    return {
        "error_measure": measure,
        "replications": len(results),
        "pattern_found": int(sum(found)),
        "pattern_found_fraction": float(np.mean(found)),
        "run_and_alternation_units": int(
            sum(r.metrics["run_and_alternation_units"] for r in results)
        ),
        "profile_mean": profiles.mean(axis=0).tolist(),
        "profile_sd": profiles.std(axis=0, ddof=1).tolist() if len(results) > 1 else None,
        "xor_target_mean": float(np.mean([r.metrics[f"xor_target_{measure}"] for r in results])),
        "coin_flip_target_mean": float(
            np.mean([r.metrics[f"coin_flip_target_{measure}"] for r in results])
        ),
        "paper_profile": list(PAPER_PROFILE),
        "seeds": [r.config["seed"] for r in results],
    }


def replication_row(result: RunResult) -> dict[str, Any]:
    return seed_and_metrics(
        result,
        "pattern_found",
        "xor_target_squared",
        "coin_flip_target_squared",
        "run_and_alternation_units",
        "final_training_error",
    )


# ---- for `srnlab reproduce` ------------------------------------------------------------------

REPRODUCE_SEEDS = 10
QUICK = {"n_triples": 100, "passes": 20, "test_cycles": 50}
