"""What the letter-stream experiment (``srnlab.recipes.letters``) shows: the paper's
Figures 3 and 4 (error per letter, per output bit), its report text and its paper table, each
drawn from a run folder's contents alone (no retraining, no rerun)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np

from srnlab.analysis.prediction import bit_errors, step_errors
from srnlab.config import config_from_dict
from srnlab.presenters.claims import claim_of
from srnlab.recipes import letters as experiment
from srnlab.recipes.letters import PAPER, POSITION_NAMES
from srnlab.report import count, detail, paper_row, recipe_text, spread
from srnlab.run_result import RunResult
from srnlab.tasks.letters import FEATURES

if TYPE_CHECKING:  # matplotlib is imported only when figures are drawn
    from matplotlib.figure import Figure

Array = np.ndarray


# ---- figures -------------------------------------------------------------------------------


def _target_letters(result: RunResult) -> Array:
    return np.roll(result.arrays["test_letters"], -1)


def figures(result: RunResult) -> dict[str, Figure]:
    """The run's figures, drawn from its saved numbers (no retraining, no rerun)."""
    from srnlab.plots import letters as plots

    config = config_from_dict(experiment.Config, result.config)
    measure_name = config.error_measure
    a = result.arrays
    targets, outputs, ideal = a["test_targets"], a["test_outputs"], a["ideal_outputs"]
    stretch = slice(0, min(config.figure_letters, len(targets)))
    letters = [str(letter) for letter in _target_letters(result)[stretch]]
    net_errors = step_errors(targets, outputs)[measure_name]
    ideal_errors = step_errors(targets, ideal)[measure_name]
    net_bits, ideal_bits = bit_errors(targets, outputs), bit_errors(targets, ideal)
    shown = ("Consonant", "High")
    columns = [FEATURES.index(name) for name in shown]
    m = result.metrics
    label = f"6-{config.hidden}-6 SRN, seed {config.seed}"
    return {
        "error_per_letter": plots.error_per_letter(
            letters,
            net_errors[stretch],
            ideal_errors[stretch],
            measure=measure_name,
            title=f"Prediction error on the test stream ({label})",
        ),
        "bit_error_per_letter": plots.bit_errors_per_letter(
            letters,
            {name: net_bits[stretch, k] for name, k in zip(shown, columns, strict=True)},
            {name: ideal_bits[stretch, k] for name, k in zip(shown, columns, strict=True)},
            title=f"Error on two output bits ({label})",
        ),
        "error_by_position": plots.error_by_position(
            POSITION_NAMES,
            m["network"][measure_name]["by_position"],
            m["ideal"][measure_name]["by_position"],
            measure=measure_name,
            title=f"Error by the target's position in its syllable ({label})",
        ),
        "bit_error_by_target": plots.bit_error_by_target(
            FEATURES,
            m["network"]["bit_error"],
            m["ideal"]["bit_error"],
            title=f"Which bits are hard to predict ({label})",
        ),
        "learning_curve": plots.learning_curve(
            result.history,
            floor={k: m["training"][f"ideal_{k}"] for k in ("rms", "sse")},
            title=f"Training error per pass ({label})",
        ),
    }


# ---- many seeds ----------------------------------------------------------------------------


def summary_figures(results: list[RunResult]) -> dict[str, Figure]:
    from srnlab.plots import letters as plots

    summary = experiment.summarize(results)
    return {
        "seeds": plots.seed_comparison(
            seeds=summary["seeds"],
            consonant_error=summary["consonant_target_error"],
            vowel_error=summary["vowel_target_error"],
            consonant_bit=summary["consonant_bit_error_at_consonants"],
            high_bit=summary["high_bit_error_at_consonants"],
            measure=summary["error_measure"],
            title="The letter task",
        )
    }


# ---- text ----------------------------------------------------------------------------------


#: The texts, written in templates/presenters/letters.txt.j2: a few lines for the terminal
#: (``report``), the summary over seeds, and one line: how many seeds show the pattern, with
#: the two errors (means over seeds).
report = functools.partial(recipe_text, "letters", "report", names=POSITION_NAMES)
report_summary = functools.partial(recipe_text, "letters", "summary")
report_verdict = functools.partial(recipe_text, "letters", "verdict")
#: The paper's claim and the figure the report shows first (in claims.toml).
CLAIM, REPORT_FIGURE = claim_of("letters")


# ---- for `srnlab reproduce` ------------------------------------------------------------------


def paper_table(results: list[RunResult]) -> list[dict[str, str]]:
    """Elman (1990)'s letter-stream results beside ours."""
    measure = results[0].metrics["pattern"]["error_measure"]
    network = [r.metrics["network"][measure] for r in results]
    low, high = (float(v) for v in PAPER["consonant_target_error_range"])  # type: ignore[attr-defined]
    return [
        paper_row(
            "error where the next letter is a consonant",
            f"{low}-{high} [figure]",
            spread([n["consonant_targets"] for n in network]),
            f"{measure} error on a new test stream; ideal predictor "
            + spread([r.metrics["ideal"][measure]["consonant_targets"] for r in results]),
        ),
        paper_row(
            "error where the next letter is a vowel",
            f"mostly under {PAPER['vowel_target_error_mostly_below']} [figure]",
            spread([n["vowel_targets"] for n in network]),
            "ideal predictor 0: vowels follow from the consonant",
        ),
        paper_row(
            "Consonant bit's error at consonant targets (knows *when*)",
            "near 0",
            spread([r.metrics["pattern"]["consonant_bit_error_at_consonants"] for r in results]),
            "mean |y - a| of that output bit",
        ),
        paper_row(
            "High bit's error at consonant targets (not *which*)",
            "high",
            spread([r.metrics["pattern"]["high_bit_error_at_consonants"] for r in results]),
            "mean |y - a| of that output bit",
        ),
        detail(
            paper_row(
                "the whole pattern",
                "yes",
                count([experiment.success(r) for r in results]),
                "all three checks of `success`",
            )
        ),
    ]
