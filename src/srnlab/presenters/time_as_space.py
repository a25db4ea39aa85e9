"""What the time-as-space experiment (``srnlab.recipes.time_as_space``) shows: the error by
window width (the lecture's problem 1), a pattern shifted through the buffer (problem 2), its
report text and its paper table, each drawn from a run folder's contents alone."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import numpy as np

from srnlab.config import config_from_dict
from srnlab.presenters.claims import claim_of
from srnlab.recipes import time_as_space as experiment
from srnlab.recipes.time_as_space import LECTURE_SHIFT, MEASURE, shifted_hidden_overlap
from srnlab.report import count, detail, paper_row, recipe_text, spread
from srnlab.run_result import RunResult

if TYPE_CHECKING:  # matplotlib is imported only when figures are drawn
    from matplotlib.figure import Figure


# ---- figures --------------------------------------------------------------------------------


def figures(result: RunResult) -> dict[str, Figure]:
    """The run's figures, drawn from its saved numbers."""
    from srnlab.plots import time_as_space as tas_plots

    config = config_from_dict(experiment.Config, result.config)
    m = result.metrics
    errors = m["error"][MEASURE]
    figs = {
        "error_by_width": tas_plots.error_by_width(
            m["widths"],
            errors["network"],
            errors["window_ideal"],
            errors["ideal"],
            predictable=m["predictable"],
            measure=MEASURE,
            title=f"{_task_title(config.task)}: test error by window width (seed {config.seed})",
        ),
        "shift": _shift_figure(m["shift"], _shift_title(config)),
    }
    if config.passes:
        figs["learning_curves"] = tas_plots.learning_curves(
            result.history,
            m["widths"],
            title=f"{_task_title(config.task)}: training error per pass, one net per width",
        )
    return figs


def _shift_figure(shift: dict[str, Any], title: str) -> Figure:
    from srnlab.plots import time_as_space as tas_plots

    return tas_plots.shift_overlap(
        shift["lecture_pattern"],
        shift["lecture_shifted"],
        shift["lecture_overlaps"][LECTURE_SHIFT],
        event=" ".join(shift["event"]),
        width=shift["width"],
        shifts=shift.get("shifts"),
        input_overlap=shift.get("input_overlap"),
        hidden_overlap=shift.get("hidden_overlap"),
        hidden_overlap_untrained=shift.get("hidden_overlap_untrained"),
        slot_correlation=shift.get("slot_weight_correlation"),
        title=title,
    )


def _task_title(task: str) -> str:
    return {"temporal-xor": "Temporal XOR", "letters": "Letters ba/dii/guuu"}[task]


def _shift_title(config: experiment.Config) -> str:
    return f"A pattern shifted in time ({_task_title(config.task)}, seed {config.seed})"


# ---- many seeds -------------------------------------------------------------------------------


def summary_figures(results: list[RunResult]) -> dict[str, Figure]:
    from srnlab.plots import time_as_space as tas_plots

    summary = experiment.summarize(results)
    return {
        "error_by_width": tas_plots.error_by_width_over_seeds(
            summary["widths"],
            summary["predictable_error_per_seed"],
            summary["window_ideal_mean"],
            summary["ideal_mean"],
            measure=MEASURE,
            title=f"{_task_title(summary['task'])} across {len(results)} seeds: "
            f"error on {', '.join(summary['predictable'])} targets",
        )
    }


# ---- text -------------------------------------------------------------------------------------


def report(result: RunResult) -> str:
    """A few lines for the terminal."""
    m = result.metrics
    verdict = (
        "every net learned what its window allows"
        if m["success"]
        else "some net fell short of what its window allows"
    )
    target = ", ".join(m["predictable"])
    floors = m["predictable_error"][MEASURE]
    lines = [
        f"seed {result.config['seed']}, {m['task']}: {verdict}",
        f"{MEASURE} error at {target} targets on a fresh stream "
        f"(ideal predictor: {floors['ideal']:.3f}):",
    ]
    for width, net, best in zip(
        m["widths"], floors["network"], floors["window_ideal"], strict=True
    ):
        lines.append(f"  width {width}: network {net:.3f}, window ideal {best:.3f}")
    lines.append(_shift_report(m["shift"]))
    return "\n".join(lines)


def _shift_report(shift: dict[str, Any]) -> str:
    text = (
        f"shifted in time: {_cells(shift['lecture_pattern'])} vs "
        f"{_cells(shift['lecture_shifted'])} overlap "
        f"{shift['lecture_overlaps'][LECTURE_SHIFT]:.2f}"
    )
    if shifted_hidden_overlap(shift) is not None:
        s = LECTURE_SHIFT
        text += (
            f'; "{" ".join(shift["event"])}" moved {s} steps in the width-{shift["width"]} '
            f"buffer: input overlap {shift['input_overlap'][s]:.2f}, hidden response overlap "
            f"{shift['hidden_overlap'][s]:.2f} "
            f"(untrained {shift['hidden_overlap_untrained'][s]:.2f})"
        )
    if "mean_slot_weight_correlation" in shift:
        text += (
            f"; slot weights correlate {shift['mean_slot_weight_correlation']:.2f} on average "
            f"(untrained {shift['mean_slot_weight_correlation_untrained']:.2f})"
        )
    return text


def _cells(values: list[float]) -> str:
    return "[" + " ".join(f"{v:g}" for v in values) + "]"


#: The summary over seeds, written in templates/presenters/time_as_space.txt.j2.
report_summary = functools.partial(
    recipe_text, "time_as_space", "summary", measure=MEASURE, shift=LECTURE_SHIFT
)


#: The paper's claim and the figure the report shows first (in claims.toml).
CLAIM, REPORT_FIGURE = claim_of("time-as-space")


#: One line: the error by width (means over seeds) against the whole past's floor (written
#: in templates/presenters/time_as_space.txt.j2).
report_verdict = functools.partial(recipe_text, "time_as_space", "verdict")


# ---- for `srnlab reproduce` ------------------------------------------------------------------


def paper_table(results: list[RunResult]) -> list[dict[str, str]]:
    """The lecture's two problems with "time as space", measured."""
    m0 = results[0].metrics
    widths = m0["widths"]
    errors = [r.metrics["predictable_error"][MEASURE] for r in results]
    window_ideal = np.mean([e["window_ideal"] for e in errors], axis=0)
    ideal = float(np.mean([e["ideal"] for e in errors]))
    rows = []
    for k, width in enumerate(widths):
        rows.append(
            paper_row(
                f"error on the predictable targets, window of {width}",
                "problem 1: a window shorter than the dependency cannot learn it",
                spread([r.metrics["predictable_error"][MEASURE]["network"][k] for r in results]),
                f"{MEASURE} error; the best any function of {width} inputs can do: "
                f"{window_ideal[k]:.3f}; the SRN's floor: {ideal:.3f} (means over seeds)",
            )
        )
    shift = m0["shift"]
    rows += [
        paper_row(
            "overlap of [0 1 1 0 0 0] with itself two steps later",
            "none (problem 2)",
            f"{shift['lecture_overlaps'][LECTURE_SHIFT]:.2f}",
            "cosine of the two input vectors",
        ),
        paper_row(
            "correlation of the input weights of different buffer slots",
            "each position learned separately (problem 2)",
            spread([r.metrics["shift"]["mean_slot_weight_correlation"] for r in results]),
            "mean over slot pairs, widest window; 0 = unrelated",
        ),
        detail(
            paper_row(
                "every net learned what its window allows",
                "(the premise)",
                count([experiment.success(r) for r in results]),
                "within 20% + 0.03 of the window's ideal",
            )
        ),
    ]
    return rows
