"""XOR with backprop: the lecture's 2-2-1 logistic network (Unit 1, "credit assignment").

Inputs 1-2, hidden units 3-4, output 5, a bias on every non-input unit. Trained online with
gradient descent and momentum on the lecture's error E = (y - a)^2. The network has solved
XOR when every output is on the right side of 0.5.

Two hidden units are the fewest that can solve XOR, and from some initial weights backprop
falls into a local minimum (typically one pattern stays wrong). So one network tells little:
``--seeds N`` reports the fraction of seeds that solve it and the epochs they needed.

This is the experiment; its figures and report text are ``srnlab.presenters.xor``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from srnlab.backprop import Network, forward
from srnlab.checks import check_values, fits_in_memory, network_bytes
from srnlab.config import config_to_dict
from srnlab.engine import weight_arrays
from srnlab.errors import UserError
from srnlab.params import init_feedforward, named_weights
from srnlab.run_result import RunResult, seed_and_metrics
from srnlab.seeding import generators
from srnlab.tasks.xor import xor_patterns
from srnlab.training import Schedule, train

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
    arrays = weight_arrays(initial, trained)
    arrays |= {"inputs": inputs, "targets": targets}
    return RunResult(NAME, config_to_dict(config), metrics, history.columns(), arrays)


def success(result: RunResult) -> bool:
    """Solved: every output on the right side of 0.5 at the end of training."""
    return bool(result.metrics["solved"])


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


def replication_row(result: RunResult) -> dict[str, Any]:
    """One line of replications.csv."""
    return seed_and_metrics(result, "solved", "first_solved_epoch", "final_error", "final_rms")


# ---- for `srnlab reproduce` ------------------------------------------------------------------

REPRODUCE_SEEDS = 100  # the README's measured rate is over seeds 0-99
QUICK = {"epochs": 300}  # a smoke-sized run
