"""What the temporal XOR experiment (``srnlab.recipes.temporal_xor``) shows: the paper's
Figure 1 (error by step of a 12-step cycle), the hidden units, its report text and its paper
table, each drawn from a run folder's contents alone (no retraining)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from srnlab.config import config_from_dict
from srnlab.presenters.claims import claim_of
from srnlab.recipes import temporal_xor as txor
from srnlab.recipes.temporal_xor import CYCLE, PAPER_PROFILE, XOR_STEPS
from srnlab.report import count, detail, paper_row, recipe_text, spread
from srnlab.run_result import RunResult

if TYPE_CHECKING:  # matplotlib is imported only when figures are drawn
    from matplotlib.figure import Figure


def figures(result: RunResult) -> dict[str, Figure]:
    """The run's figures, drawn from its saved numbers."""
    from srnlab import plots
    from srnlab.plots import temporal_xor as txor_plots

    config = config_from_dict(txor.Config, result.config)
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


#: The texts, written in templates/presenters/temporal_xor.txt.j2: a few lines for the
#: terminal (``report``), the summary over seeds, and one line: how many seeds show the dips,
#: with the two errors (means over seeds).
report = functools.partial(recipe_text, "temporal_xor", "report")
report_summary = functools.partial(recipe_text, "temporal_xor", "summary")
report_verdict = functools.partial(recipe_text, "temporal_xor", "verdict")
#: The paper's claim and the figure the report shows first (in claims.toml).
CLAIM, REPORT_FIGURE = claim_of("temporal-xor")


# ---- for `srnlab reproduce` ------------------------------------------------------------------


def paper_table(results: list[RunResult]) -> list[dict[str, str]]:
    """Elman (1990)'s temporal XOR results beside ours (squared error; see the docstring)."""
    xor_steps = [PAPER_PROFILE[k] for k in XOR_STEPS]
    other = [v for k, v in enumerate(PAPER_PROFILE) if k not in XOR_STEPS]
    return [
        paper_row(
            "error at the XOR-bit steps (2, 5, 8, 11)",
            f"{min(xor_steps):.2f}-{max(xor_steps):.2f} [figure]",
            spread([r.metrics["xor_target_squared"] for r in results]),
            "squared error, test stream of 1,200 cycles; ideal predictor 0",
        ),
        paper_row(
            "error at the coin-flip steps",
            f"{min(other):.2f}-{max(other):.2f} [figure]",
            spread([r.metrics["coin_flip_target_squared"] for r in results]),
            "a coin cannot be predicted: the ideal predictor's 0.25 is the floor",
        ),
        paper_row(
            "error dips at every XOR step",
            "yes",
            count([txor.success(r) for r in results]),
            "every XOR step below every other, mean under 0.8 of the others'",
        ),
        detail(
            paper_row(
                "one hidden unit for runs (000, 111), one for alternation (010, 101)",
                "yes",
                count([r.metrics["run_and_alternation_units"] for r in results]),
                "mean activation after runs minus after alternations: > +0.1 and < -0.1",
            )
        ),
    ]
