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
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from srnlab.analysis.hidden_units import has_run_and_alternation_units, run_vs_alternation
from srnlab.analysis.prediction import cycle_profile, step_errors
from srnlab.checks import at_least, check_values, init_range_ok, srn_fits, srn_schedule
from srnlab.config import config_from_dict, config_to_dict
from srnlab.report import count, detail, outcome, spread
from srnlab.run_result import RunResult
from srnlab.seeding import generators
from srnlab.srn import SRN, SRNParams, SRNSchedule, init_srn, run_srn, train_srn
from srnlab.tasks.temporal_xor import ideal_predictions, temporal_xor_stream

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAME = "temporal-xor"
SUMMARY = "Elman (1990): a 1-2-1 SRN predicting the next bit of a stream of XOR triples"

#: Elman (1990), Figure 1, read off the figure (about +-0.02): error at steps 1..12 of a cycle.
PAPER_PROFILE = (0.33, 0.16, 0.305, 0.285, 0.18, 0.34, 0.32, 0.17, 0.32, 0.32, 0.16, 0.285)
CYCLE = 12  # the paper's figure: 12 consecutive steps, averaged over cycles
XOR_STEPS = (1, 4, 7, 10)  # 0-based steps of the cycle whose target is the XOR bit


@dataclass(frozen=True)
class Config:
    hidden: int = 2  # Elman (1990): 2 hidden units, 2 context units
    n_triples: int = 1000  # Elman (1990): 3,000 bits
    passes: int = 600  # Elman (1990): 600 passes through the stream
    # Not in the paper: tlearn's defaults (Elman's group's simulator). Measured: with these,
    # seeds 0-9 all show the paper's dips at the XOR steps (squared error about 0.14-0.19 there
    # against 0.26-0.28 elsewhere); momentum 0.9 makes 4 of 10 seeds lose the dips.
    learning_rate: float = 0.1
    momentum: float = 0.0
    init_range: float = 1.0  # weights and biases uniform in [-1, 1] (tlearn)
    context_start: float = 0.5  # Elman (1990): context units start at 0.5
    through_time: int | None = 1  # 1 = copy-back (Elman); k = BPTT(k); none = full BPTT
    update_every: int | None = 1  # online, after every step (Elman); none = once per pass
    test_cycles: int = 1200  # Elman (1990): the figure averages 1,200 cycles of 12 steps
    # The paper's "error" is undefined; its figure's ~0.3 at coin flips fits the squared error
    # (module docstring). Used by the figures, the report and the pattern check.
    error_measure: Literal["squared", "euclidean"] = "squared"
    seed: int = 0  # every random stream (weights, data, order, test) derives from it

    def __post_init__(self) -> None:
        check_values(self)
        at_least(self, 1, "hidden", "n_triples", "test_cycles")
        at_least(self, 0, "passes")
        srn_fits(self, 1, 1, 3 * self.n_triples + CYCLE * self.test_cycles)
        init_range_ok(self)
        self.network()
        self.schedule()

    def network(self) -> SRN:
        return SRN(1, self.hidden, 1, context_start=self.context_start)

    def schedule(self) -> SRNSchedule:
        return srn_schedule(self)


def run(config: Config) -> RunResult:
    """Train on one stream, then measure on a fresh stream with the weights frozen."""
    net = config.network()
    rngs = generators(config.seed)
    initial = init_srn(1, config.hidden, 1, rngs["weights"], config.init_range)
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
    arrays: dict[str, np.ndarray] = {f"initial_{k}": v for k, v in initial.to_npz_dict().items()}
    arrays |= {f"final_{k}": v for k, v in trained.to_npz_dict().items()}
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
    for measure_name in ("squared", "euclidean"):
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


def _params(result: RunResult, which: str) -> SRNParams:
    prefix = f"{which}_"
    return SRNParams.from_npz_dict(
        {k[len(prefix) :]: v for k, v in result.arrays.items() if k.startswith(prefix)}
    )


def figures(result: RunResult) -> dict[str, Figure]:
    """The run's figures, drawn from its saved numbers."""
    from srnlab import plots
    from srnlab.plots import temporal_xor as txor_plots

    config = config_from_dict(Config, result.config)
    m = result.metrics
    measure = config.error_measure
    return {
        "error_by_position": txor_plots.error_profile(
            m[f"profile_{measure}"],
            ideal=m[f"ideal_profile_{measure}"],
            paper=m["paper_profile"],
            xor_steps=XOR_STEPS,
            measure=measure,
            title=f"Temporal XOR: {measure} error over {CYCLE} steps, "
            f"mean of {config.test_cycles:,} cycles (seed {config.seed})",
        ),
        "hidden_units": txor_plots.hidden_units(
            result.arrays["test_bits"],
            result.arrays["test_hidden"],
            m["hidden_run_vs_alternation"],
        ),
        "learning_curve": plots.learning_curve(
            result.history,
            title=f"Temporal XOR, 1-{config.hidden}-1 SRN: training error per pass",
            x="pass",
        ),
    }


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


def summary_figures(results: list[RunResult]) -> dict[str, Figure]:
    from srnlab.plots import temporal_xor as txor_plots

    measure = results[0].config.get("error_measure", "squared")
    return {
        "error_by_position": txor_plots.error_profiles_over_seeds(
            [r.metrics[f"profile_{measure}"] for r in results],
            ideal=results[0].metrics[f"ideal_profile_{measure}"],
            paper=list(PAPER_PROFILE),
            xor_steps=XOR_STEPS,
            measure=measure,
            title=f"Temporal XOR across {len(results)} seeds: {measure} error by step",
        )
    }


def replication_row(result: RunResult) -> dict[str, Any]:
    m = result.metrics
    return {
        "seed": result.config["seed"],
        "pattern_found": m["pattern_found"],
        "xor_target_squared": m["xor_target_squared"],
        "coin_flip_target_squared": m["coin_flip_target_squared"],
        "run_and_alternation_units": m["run_and_alternation_units"],
        "final_training_error": m["final_training_error"],
    }


def with_seed(config: Config, seed: int) -> Config:
    return dataclasses.replace(config, seed=seed)


def report(result: RunResult) -> str:
    m = result.metrics
    measure = result.config.get("error_measure", "squared")
    profile = " ".join(f"{v:.2f}" for v in m[f"profile_{measure}"])
    verdict = (
        "shows the paper's dips at every XOR step"
        if m["pattern_found"]
        else "does NOT show the paper's dips at the XOR steps"
    )
    units = " ".join(f"{d:+.2f}" for d in m["hidden_run_vs_alternation"]["difference"])
    return (
        f"seed {result.config['seed']}: {verdict}\n"
        f"{measure} error, steps 1-12: {profile}\n"
        f"  XOR targets {m[f'xor_target_{measure}']:.3f}, coin flips "
        f"{m[f'coin_flip_target_{measure}']:.3f} (ideal: "
        f"{m[f'ideal_xor_target_{measure}']:.2f} and "
        f"{m[f'ideal_coin_flip_target_{measure}']:.2f}; paper about 0.17 and 0.31)\n"
        f"hidden units, mean activation after a run minus after an alternation: {units}"
    )


def report_summary(summary: dict[str, Any]) -> str:
    return (
        f"{summary['pattern_found']}/{summary['replications']} seeds show the paper's dips at "
        f"the XOR steps; {summary['error_measure']} error {summary['xor_target_mean']:.3f} at "
        f"XOR targets vs {summary['coin_flip_target_mean']:.3f} at coin flips (mean over seeds); "
        f"a run unit and an alternation unit (Elman's reading of the hidden units) in "
        f"{summary['run_and_alternation_units']} of {summary['replications']}"
    )


#: The figure the report shows first: the paper's Figure 1 over seeds.
REPORT_FIGURE = "error_by_position"
CLAIM = (
    "Elman (1990), Figure 1: an SRN predicting the next bit of a stream of triples (two random "
    "bits, then their XOR) learns the one predictable bit: its error dips at every third step "
    "and stays high at the two coin flips."
)


def report_verdict(summary: dict[str, Any]) -> str:
    """One line: how many seeds show the dips, with the two errors (means over seeds)."""
    return (
        f"{outcome(summary['pattern_found'], summary['replications'])}: "
        f"{summary['pattern_found']} of {summary['replications']} seeds dip at "
        f"every XOR step; mean {summary['error_measure']} error {summary['xor_target_mean']:.3f} "
        f"at XOR targets vs {summary['coin_flip_target_mean']:.3f} at coin flips "
        "(paper about 0.17 vs 0.31)."
    )


# ---- for `srnlab reproduce` ------------------------------------------------------------------

REPRODUCE_SEEDS = 10
QUICK = {"n_triples": 100, "passes": 20, "test_cycles": 50}


def paper_table(results: list[RunResult]) -> list[dict[str, str]]:
    """Elman (1990)'s temporal XOR results beside ours (squared error; see the docstring)."""
    xor_steps = [PAPER_PROFILE[k] for k in XOR_STEPS]
    other = [v for k, v in enumerate(PAPER_PROFILE) if k not in XOR_STEPS]
    return [
        {
            "quantity": "error at the XOR-bit steps (2, 5, 8, 11)",
            "paper": f"{min(xor_steps):.2f}-{max(xor_steps):.2f} [figure]",
            "srnlab": spread([r.metrics["xor_target_squared"] for r in results]),
            "note": "squared error, test stream of 1,200 cycles; ideal predictor 0",
        },
        {
            "quantity": "error at the coin-flip steps",
            "paper": f"{min(other):.2f}-{max(other):.2f} [figure]",
            "srnlab": spread([r.metrics["coin_flip_target_squared"] for r in results]),
            "note": "a coin cannot be predicted: the ideal predictor's 0.25 is the floor",
        },
        {
            "quantity": "error dips at every XOR step",
            "paper": "yes",
            "srnlab": count([success(r) for r in results]),
            "note": "every XOR step below every other, mean under 0.8 of the others'",
        },
        detail(
            {
                "quantity": "one hidden unit for runs (000, 111), one for alternation (010, 101)",
                "paper": "yes",
                "srnlab": count([r.metrics["run_and_alternation_units"] for r in results]),
                "note": "mean activation after runs minus after alternations: > +0.1 and < -0.1",
            }
        ),
    ]
