"""A project run's figures and report, from its run folder alone (``srnlab show`` redraws them).

The figures a reader of the analyses wants: the learning curve; the error by position, by item
and by feature, each for the trained network beside the untrained one and the ideal
predictor; the error over a stretch of the test stream with the group starts shaded; the
segmentation scores; the tree and the PCA of the mean hidden state per item, trained beside
untrained; for a feedforward net, the output for each pattern.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from srnlab.analysis.prediction import step_errors
from srnlab.analysis.representations import cluster, pca
from srnlab.project.analyses import predictors
from srnlab.run_result import RunResult

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PREDICTOR_NAMES = {"network": "trained", "untrained": "untrained", "ideal": "ideal"}


def figures(result: RunResult) -> dict[str, Figure]:
    """Every figure the run's files allow, by name, in the order a reader meets them."""
    from srnlab import plots  # matplotlib loads only when figures are drawn

    arrays, config = result.arrays, result.config
    name = config.get("name", "project")
    out = {"learning_curve": _learning_curve(result, name)}
    out.update(_error_figures(result, name))
    out.update(_hidden_figures(arrays, name))
    if config["network"]["kind"] == "feedforward":
        out["outputs"] = plots.pattern_outputs(
            arrays["test_inputs"],
            arrays["test_targets"],
            arrays["test_outputs"],
            title=f"{name}: output for each pattern",
        )
    return out


def _learning_curve(result: RunResult, name: str) -> Figure:
    from srnlab import plots

    x = "epoch" if result.config["network"]["kind"] == "feedforward" else "pass"
    history = dict(result.history)
    if x == "pass" and "pass" not in history and "epoch" in history:
        x = "epoch"
    return plots.learning_curve(history, title=f"{name}: learning curve", x=x)


#: The error breakdowns drawn as grouped bars, in this order: what the error is by (its metrics
#: key "by_WHAT", its figure "error_by_WHAT"), the key of the bar labels, the title, the x axis
#: and, where it is not the error's default, the y axis.
_BREAKDOWNS: tuple[tuple[str, str, str, str, dict[str, str]], ...] = (
    (
        "position",
        "labels",
        "error by position of the target",
        "position of the target in its group (0 = first)",
        {},
    ),
    ("item", "labels", "error by the item to be predicted", "item", {}),
    (
        "feature",
        "features",
        "error of each output unit",
        "output unit",
        {"ylabel": "mean |y \u2212 a| per step"},
    ),
)


def _error_figures(result: RunResult, name: str) -> dict[str, Figure]:
    """The error by position, item and feature, along the test stream, and the segmentation."""
    from srnlab.plots import project as project_plots

    arrays, metrics, config = result.arrays, result.metrics, result.config
    out: dict[str, Figure] = {}
    for what, labels, title, xlabel, ylabel in _BREAKDOWNS:
        if f"by_{what}" in metrics:
            by = metrics[f"by_{what}"]
            out[f"error_by_{what}"] = project_plots.grouped_bars(
                by[labels], _series(by), f"{name}: {title}", xlabel, **ylabel
            )
    if "test_target_items" in arrays:
        n = int(config["analysis"]["figure_steps"])
        errors = {
            who: step_errors(arrays["test_targets"][:n], out_[:n])["squared"]
            for who, out_ in predictors(arrays).items()
        }
        out["error_per_step"] = project_plots.error_per_step(
            arrays["test_target_items"][:n].tolist(),
            errors,
            arrays.get("test_starts"),
            f"{name}: error at each step of the test stream",
        )
    if "segmentation" in metrics:
        out["segmentation"] = project_plots.segmentation_scores(
            metrics["segmentation"], f"{name}: word boundaries from prediction error"
        )
    return out


def _hidden_figures(arrays: dict[str, np.ndarray], name: str) -> dict[str, Figure]:
    """The tree and the PCA of the mean hidden state per item (three items at least)."""
    from srnlab.plots.representations import dendrograms, pca_plot

    if "hidden_means" not in arrays or len(arrays["hidden_labels"]) < 3:
        return {}
    labels = arrays["hidden_labels"].tolist()
    tree = dendrograms(
        {
            "trained": (cluster(arrays["hidden_means"]), labels),
            "untrained (control)": (cluster(arrays["untrained_hidden_means"]), labels),
        },
        title=f"{name}: mean hidden state per item",
        distance_label="distance between item means at the merge",
    )
    components = pca(arrays["hidden_means"])
    return {
        "hidden_tree": tree,
        "hidden_pca": pca_plot(
            components["coords"],
            labels,
            explained=components["explained"].tolist(),
            title=f"{name}: item means on their first two principal components",
        ),
    }


def _series(by: dict[str, Any]) -> dict[str, list[float]]:
    return {who: by[who] for who in ("network", "untrained", "ideal") if who in by}


def _f(value: Any, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def report(result: RunResult) -> str:
    """The run's numbers in a few lines: error, and each analysis the run made."""
    metrics, config = result.metrics, result.config
    kind = config["network"]["kind"]
    name = config.get("name", "project")
    lines = [f"{name} ({kind}, seed {config['seed']}): {metrics['steps']} test steps"]
    error = metrics["error"]
    parts = [f"{PREDICTOR_NAMES[w]} {_f(e['squared'])}" for w, e in error.items()]
    lines.append("error per step, E = sum (y - a)^2: " + ", ".join(parts))
    if "solved" in metrics:
        solved = "yes" if metrics["solved"] else "no"
        lines.append(f"solved (every output within 0.5 of its target): {solved}")
    if "segmentation" in metrics:
        seg = metrics["segmentation"]
        onset, inside = seg["onset_error"], seg["inside_error"]
        lines.append(
            f"error at group onsets vs inside: trained {_f(onset.get('network'))} vs "
            f"{_f(inside.get('network'))}; untrained {_f(onset.get('untrained'))} vs "
            f"{_f(inside.get('untrained'))}"
        )
        scores = [
            f"{name.replace('_', ' ')} {seg[name]['f1']:.2f}"
            for name in (
                "network_peaks",
                "network_peaks_above_mean",
                "untrained_peaks",
                "ideal_peaks",
                "bigram_dips",
                "chance",
            )
            if name in seg
        ]
        lines.append("boundary F1: " + ", ".join(scores))
    if "likelihood" in metrics:
        like = metrics["likelihood"]
        parts = [f"{PREDICTOR_NAMES[w]} cosine {_f(v['cosine'])}" for w, v in like.items()]
        lines.append("against the likelihood vectors: " + ", ".join(parts))
    if "hidden" in metrics:
        acc = metrics["hidden"]["token_accuracy"]
        lines.append(
            f"hidden states nearest their own item's mean: trained {_f(acc['network'])}, "
            f"untrained {_f(acc['untrained'])}"
        )
    return "\n".join(lines)


def summary_numbers(result: RunResult) -> dict[str, Any]:
    """The headline numbers of one replication (its row in replications.csv)."""
    metrics = result.metrics
    row: dict[str, Any] = {"seed": result.config["seed"]}
    for who, e in metrics["error"].items():
        row[f"{who}_error"] = e["squared"]
    if "segmentation" in metrics:
        for name in ("network_peaks_above_mean", "untrained_peaks_above_mean", "bigram_dips"):
            if name in metrics["segmentation"]:
                row[f"{name}_f1"] = metrics["segmentation"][name]["f1"]
    if "solved" in metrics:
        row["solved"] = metrics["solved"]
    return row


def summarize(results: list[RunResult]) -> dict[str, Any]:
    rows = [summary_numbers(r) for r in results]
    keys = [k for k in rows[0] if k != "seed"] if rows else []
    means = {k: float(np.mean([float(r[k]) for r in rows if r.get(k) is not None])) for k in keys}
    return {"replications": len(rows), "mean": means}


def report_summary(summary: dict[str, Any]) -> str:
    parts = [f"{k.replace('_', ' ')} {v:.3f}" for k, v in summary["mean"].items()]
    return f"{summary['replications']} replications; means: " + ", ".join(parts)
