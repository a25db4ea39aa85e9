"""XOR with backprop: the lecture's 2-2-1 logistic network (Unit 1, "credit assignment").

Inputs 1-2, hidden units 3-4, output 5, a bias on every non-input unit. Trained online with
gradient descent and momentum on the lecture's error E = (y - a)^2. The network has solved
XOR when every output is on the right side of 0.5.

Two hidden units are the fewest that can solve XOR, and from some initial weights backprop
falls into a local minimum (typically one pattern stays wrong). So one network tells little:
``--seeds N`` reports the fraction of seeds that solve it and the epochs they needed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from srnlab.backprop import Network, forward
from srnlab.checks import check_values, fits_in_memory, network_bytes
from srnlab.config import config_from_dict, config_to_dict
from srnlab.errors import UserError
from srnlab.params import FeedforwardParams, init_feedforward, named_weights
from srnlab.report import count, detail, median_quartiles
from srnlab.run_result import RunResult
from srnlab.seeding import generators
from srnlab.tasks.xor import xor_patterns
from srnlab.training import Schedule, train

if TYPE_CHECKING:  # matplotlib is imported only when figures are drawn
    from matplotlib.figure import Figure

NAME = "xor"
SUMMARY = "the lecture's 2-2-1 logistic network learning XOR with backprop"


@dataclass(frozen=True)
class Config:
    hidden: int = 2  # the lecture's 2-2-1 network: two hidden units, the fewest that solve XOR
    learning_rate: float = 0.1  # with momentum 0.9, the setting that solved most seeds (README)
    momentum: float = 0.9  # Rumelhart, Hinton & Williams (1986) used 0.9 on XOR
    init_range: float = 1.0  # weights and biases uniform in [-1, 1] (tlearn's default)
    epochs: int = 2000  # one epoch = the four patterns once
    loss: str = "squared"  # the lecture's E = (y - a)^2; also half_squared, cross_entropy
    update: str = "online"  # online: after every pattern; batch: once per epoch
    order: str = "shuffled"  # online order each epoch: shuffled or fixed (00, 01, 10, 11)
    hidden_activation: str = "logistic"  # also tanh, linear
    output_activation: str = "logistic"  # also tanh, linear
    seed: int = 0  # every random stream (weights, data, order, test) derives from it

    def __post_init__(self) -> None:
        check_values(self)
        if self.hidden < 1:
            raise UserError(f"hidden must be >= 1, got {self.hidden}")
        weights = self.hidden * 4 + 1  # 2-h-1: 2 inputs and a bias in, one output and its bias
        fits_in_memory(network_bytes(weights, 4, 3 + self.hidden, self.epochs), "this XOR net")
        # Build the pieces once so every mistake is reported before any work starts.
        self.network()
        self.schedule()

    def network(self) -> Network:
        return Network(
            (2, self.hidden, 1), self.hidden_activation, self.output_activation, self.loss
        )

    def schedule(self) -> Schedule:
        return Schedule(self.learning_rate, self.momentum, self.epochs, self.update, self.order)


def run(config: Config) -> RunResult:
    """Train one network from ``config.seed`` and measure what it learned."""
    network = config.network()
    rngs = generators(config.seed)
    initial = init_feedforward(network.sizes, rngs["weights"], config.init_range)
    inputs, targets = xor_patterns()
    trained, history = train(network, initial, inputs, targets, config.schedule(), rngs["order"])

    trace = forward(network, trained, inputs)
    solved_at = history.first_solved_epoch()
    metrics: dict[str, Any] = {
        "solved": bool(history.solved[-1]),
        "first_solved_epoch": solved_at,
        "final_error": history.error[-1],
        "final_rms": history.rms[-1],
        "final_max_abs_error": history.max_abs_error[-1],
        "outputs": trace.output[:, 0].tolist(),
        "targets": targets[:, 0].tolist(),
        "hidden": trace.activations[1].tolist(),
        "initial_weights": named_weights(initial),
        "final_weights": named_weights(trained),
    }
    arrays = {f"initial_{k}": v for k, v in initial.to_npz_dict().items()}
    arrays |= {f"final_{k}": v for k, v in trained.to_npz_dict().items()}
    arrays |= {"inputs": inputs, "targets": targets}
    return RunResult(NAME, config_to_dict(config), metrics, history.columns(), arrays)


def success(result: RunResult) -> bool:
    """Solved: every output on the right side of 0.5 at the end of training."""
    return bool(result.metrics["solved"])


def _params(result: RunResult, which: str) -> FeedforwardParams:
    prefix = f"{which}_"
    return FeedforwardParams.from_npz_dict(
        {k[len(prefix) :]: v for k, v in result.arrays.items() if k.startswith(prefix)}
    )


def figures(result: RunResult) -> dict[str, Figure]:
    """The run's figures, drawn from its saved numbers."""
    from srnlab import plots

    config = config_from_dict(Config, result.config)
    network = config.network()
    trained = _params(result, "final")
    inputs, targets = result.arrays["inputs"], result.arrays["targets"]
    trace = forward(network, trained, inputs)
    hidden = trace.activations[1]
    return {
        "learning_curve": plots.learning_curve(
            result.history,
            title=f"XOR, 2-{config.hidden}-1, seed {config.seed}",
            solved_epoch=result.metrics["first_solved_epoch"],
        ),
        "outputs": plots.pattern_outputs(
            inputs, targets, trace.output, title="Output a5 for each pattern after training"
        ),
        "hidden_representation": plots.hidden_representation(
            inputs,
            targets,
            hidden,
            output_weights=trained.weights[1][0],
            output_bias=float(trained.biases[1][0]),
            title="How the hidden layer re-represents XOR",
        ),
        "network": plots.network_diagram(
            network,
            trained,
            [inputs[1], hidden[1], trace.output[1]],
            title="Trained network, pattern 0 1",
        ),
    }


def summarize(results: list[RunResult]) -> dict[str, Any]:
    """Across seeds: the fraction that solved XOR, and epochs to solution (median, quartiles)."""
    solved_epochs = [r.metrics["first_solved_epoch"] for r in results if success(r)]
    summary: dict[str, Any] = {
        "replications": len(results),
        "solved": len(solved_epochs),
        "solved_fraction": len(solved_epochs) / len(results) if results else float("nan"),
        "seeds": [r.config["seed"] for r in results],
    }
    if solved_epochs:
        q1, median, q3 = np.percentile(solved_epochs, [25, 50, 75])
        summary |= {
            "epochs_to_solution_median": float(median),
            "epochs_to_solution_q1": float(q1),
            "epochs_to_solution_q3": float(q3),
        }
    return summary


def summary_figures(results: list[RunResult]) -> dict[str, Figure]:
    from srnlab import plots

    epochs = [r.metrics["first_solved_epoch"] if success(r) else None for r in results]
    return {"solution_epochs": plots.solution_epochs(epochs, title="XOR across seeds")}


def replication_row(result: RunResult) -> dict[str, Any]:
    """One line of replications.csv."""
    return {
        "seed": result.config["seed"],
        "solved": result.metrics["solved"],
        "first_solved_epoch": result.metrics["first_solved_epoch"],
        "final_error": result.metrics["final_error"],
        "final_rms": result.metrics["final_rms"],
    }


def with_seed(config: Config, seed: int) -> Config:
    return dataclasses.replace(config, seed=seed)


def report(result: RunResult) -> str:
    """A few lines for the terminal."""
    m = result.metrics
    outputs = "  ".join(
        f"{' '.join(f'{v:g}' for v in x)} -> {a:.3f}"
        for x, a in zip(result.arrays["inputs"], m["outputs"], strict=True)
    )
    if m["solved"]:
        verdict = f"solved XOR (first at epoch {m['first_solved_epoch']})"
    else:
        verdict = "did not solve XOR (some output is on the wrong side of 0.5)"
    return (
        f"seed {result.config['seed']}: {verdict}; final error E = {m['final_error']:.4f}\n"
        f"outputs: {outputs}"
    )


def report_summary(summary: dict[str, Any]) -> str:
    text = (
        f"{summary['solved']}/{summary['replications']} seeds solved XOR "
        f"({100 * summary['solved_fraction']:.0f}%)"
    )
    if summary["solved"]:
        text += (
            f"; epochs to solution (solved seeds): median "
            f"{summary['epochs_to_solution_median']:g} "
            f"(quartiles {summary['epochs_to_solution_q1']:g}-"
            f"{summary['epochs_to_solution_q3']:g})"
        )
    return text


#: The figure the report shows first: the seeds that solved XOR and when, the others marked.
REPORT_FIGURE = "solution_epochs"
CLAIM = (
    "A 2-2-1 logistic network trained by backpropagation learns XOR, which no network without "
    "hidden units can, from most initial weights; some runs end in a local minimum "
    "(Rumelhart, Hinton & Williams 1986; the lecture, part 1)."
)


def report_verdict(summary: dict[str, Any]) -> str:
    """One line: how many seeds solved XOR, and how fast (median)."""
    solved, n = summary["solved"], summary["replications"]
    text = f"{'Reproduced' if solved else 'Not reproduced'}: {solved} of {n} seeds solve XOR"
    if solved:
        text += f", in a median of {summary['epochs_to_solution_median']:g} epochs"
    return text + ("; the others stop in a local minimum." if solved < n else ".")


# ---- for `srnlab reproduce` ------------------------------------------------------------------

REPRODUCE_SEEDS = 100  # the README's measured rate is over seeds 0-99
QUICK = {"epochs": 300}  # a smoke-sized run


def paper_table(results: list[RunResult]) -> list[dict[str, str]]:
    """The lecture's claims about XOR beside ours."""
    solved = [success(r) for r in results]
    epochs = [r.metrics["first_solved_epoch"] for r in results if success(r)]
    return [
        {
            "quantity": "a 2-2-1 logistic net learns XOR by backprop",
            "paper": "yes, from most initial weights; some fall into a local minimum "
            "(Rumelhart, Hinton & Williams 1986)",
            "srnlab": f"solved in {count(solved)}",
            "note": "solved = every output on the right side of 0.5",
        },
        {
            "quantity": "epochs to solution (solved seeds)",
            "paper": "not given in the lecture",
            "srnlab": median_quartiles(epochs),  # as the summary: median and quartiles
            "note": "online, shuffled order, lr 0.1, momentum 0.9",
        },
        detail(
            {
                "quantity": "final error E = sum over patterns of (y - a)^2, unsolved seeds",
                "paper": "a local minimum",
                "srnlab": median_quartiles(
                    [r.metrics["final_error"] for r in results if not success(r)], digits=3
                ),
                "note": "the error where training stopped, 2,000 epochs",
            }
        ),
    ]
