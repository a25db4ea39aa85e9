"""What the XOR experiment (``srnlab.recipes.xor``) shows: its figures, its report text and
its paper table, each drawn from a run folder's contents alone (no retraining)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from srnlab.backprop import forward
from srnlab.config import config_from_dict
from srnlab.params import FeedforwardParams
from srnlab.presenters.claims import claim_of
from srnlab.recipes import xor
from srnlab.report import count, detail, median_quartiles, paper_row
from srnlab.run_result import RunResult

if TYPE_CHECKING:  # matplotlib is imported only when figures are drawn
    from matplotlib.figure import Figure


def _params(result: RunResult, which: str) -> FeedforwardParams:
    prefix = f"{which}_"
    return FeedforwardParams.from_npz_dict(
        {k[len(prefix) :]: v for k, v in result.arrays.items() if k.startswith(prefix)}
    )


def figures(result: RunResult) -> dict[str, Figure]:
    """The run's figures, drawn from its saved numbers."""
    from srnlab import plots

    config = config_from_dict(xor.Config, result.config)
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


def summary_figures(results: list[RunResult]) -> dict[str, Figure]:
    from srnlab import plots

    epochs = [r.metrics["first_solved_epoch"] if xor.success(r) else None for r in results]
    return {"solution_epochs": plots.solution_epochs(epochs, title="XOR across seeds")}


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


#: The paper's claim and the figure the report shows first (in claims.toml).
CLAIM, REPORT_FIGURE = claim_of("xor")


def report_verdict(summary: dict[str, Any]) -> str:
    """One line: how many seeds solved XOR, and how fast (median)."""
    solved, n = summary["solved"], summary["replications"]
    text = f"{'Reproduced' if solved else 'Not reproduced'}: {solved} of {n} seeds solve XOR"
    if solved:
        text += f", in a median of {summary['epochs_to_solution_median']:g} epochs"
    return text + ("; the others stop in a local minimum." if solved < n else ".")


# ---- for `srnlab reproduce` ------------------------------------------------------------------


def paper_table(results: list[RunResult]) -> list[dict[str, str]]:
    """The lecture's claims about XOR beside ours."""
    solved = [xor.success(r) for r in results]
    epochs = [r.metrics["first_solved_epoch"] for r in results if xor.success(r)]
    return [
        paper_row(
            "a 2-2-1 logistic net learns XOR by backprop",
            "yes, from most initial weights; some fall into a local minimum "
            "(Rumelhart, Hinton & Williams 1986)",
            f"solved in {count(solved)}",
            "solved = every output on the right side of 0.5",
        ),
        paper_row(
            "epochs to solution (solved seeds)",
            "not given in the lecture",
            median_quartiles(epochs),
            "online, shuffled order, lr 0.1, momentum 0.9",
        ),
        detail(
            paper_row(
                "final error E = sum over patterns of (y - a)^2, unsolved seeds",
                "a local minimum",
                median_quartiles(
                    [r.metrics["final_error"] for r in results if not xor.success(r)], digits=3
                ),
                "the error where training stopped, 2,000 epochs",
            )
        ),
    ]
