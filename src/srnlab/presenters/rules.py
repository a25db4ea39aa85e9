"""How the rules recipe (``recipes.rules``, Marcus et al. 1999 and the network replies) shows
its results: the figures of a study and of many studies, the terminal report, and the paper
table of `srnlab reproduce`. Everything here reads a run folder's saved numbers; nothing trains.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from srnlab.aggregate import describe
from srnlab.presenters.claims import claim_of
from srnlab.recipes import rules
from srnlab.report import detail, paper_row
from srnlab.run_result import RunResult
from srnlab.tasks import rules as stimuli

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: What each side of the debate expects, for the report's table.
EXPECTED = {
    "infants": "longer looking at inconsistent sentences (Marcus et al. 1999, experiments 1-3)",
    "localist": "no difference: novel units' weights never trained (Marcus)",
    "outside": "no difference: the test needs feature values never trained (Marcus)",
    "inside": "a difference is possible: generalisation inside the training space (Marcus)",
    "analog": "Negishi: codes on trained dimensions generalise; Marcus: only by interpolation",
}

# ---- figures -------------------------------------------------------------------------------


def figures(result: RunResult) -> dict[str, Figure]:
    from srnlab.plots import rules as rule_plots

    conditions = result.metrics["conditions"]
    seed = result.config["seed"]
    drawn = {
        "differences": rule_plots.difference_forest(
            [(c["experiment"], c["label"], c["comparison"]) for c in conditions.values()],
            title=f"Inconsistent minus consistent looking time (seed {seed})",
        )
    }
    for number in result.config["experiments"]:
        panels = [
            (c["label"], result.arrays[f"looking_{key}"])
            for key, c in conditions.items()
            if c["experiment"] == number
        ]
        grammars = " vs ".join(stimuli.experiment(number).grammars)
        drawn[f"looking_times_exp{number}"] = rule_plots.paired_looking_times(
            panels, title=f"Experiment {number} ({grammars}): each line is one network"
        )
        drawn[f"error_by_syllable_exp{number}"] = rule_plots.error_by_syllable(
            [
                (c["label"], result.arrays[f"by_syllable_{key}"])
                for key, c in conditions.items()
                if c["experiment"] == number
            ],
            title=f"Experiment {number} ({grammars}): where the error differs",
        )
    return drawn


def summary_figures(results: list[RunResult]) -> dict[str, Figure]:
    """Each condition's mean difference over studies with the 95% CI over studies (one study:
    its own CI over networks)."""
    from srnlab.plots import rules as rule_plots

    if len(results) == 1:
        return {"differences": figures(results[0])["differences"]}
    rows = []
    for c in rules.summarize(results)["conditions"].values():
        stats = describe(c["mean_difference"])
        low, high = stats["ci95_low"], stats["ci95_high"]
        assert low is not None and high is not None
        direction = "higher" if low > 0 else "lower" if high < 0 else "no reliable difference"
        row = {"mean_difference": stats["mean"], "ci95_low": low, "ci95_high": high}
        rows.append((c["experiment"], c["label"], row | {"direction": direction}))
    title = f"Inconsistent minus consistent ({len(results)} studies)"
    return {"differences": rule_plots.difference_forest(rows, title=title, over="studies' means")}


# ---- text ----------------------------------------------------------------------------------


def describe_comparison(c: dict[str, Any]) -> str:
    """'+0.93 [0.47, 1.38], d_z 1.09, t(15) 4.37, p 0.0005, 15/16 networks'."""
    return (
        f"{c['mean_difference']:+.3f} [{c['ci95_low']:+.3f}, {c['ci95_high']:+.3f}], "
        f"d_z {c['d_z']:.2f}, t({c['df']}) {c['t']:.2f}, p {c['p']:.2g}, "
        f"{c['b_higher']}/{c['n']} networks higher"
    )


VERDICTS = {
    "higher": "generalises: inconsistent sentences reliably harder",
    "lower": "reversed: consistent sentences reliably harder",
    "no reliable difference": "does not generalise: the 95% CI includes 0",
}


def report(result: RunResult) -> str:
    """The write-up: one line per condition, grouped by experiment."""
    lines = [
        f"seed {result.config['seed']}: looking time = {result.metrics['looking_time']}; "
        "inconsistent - consistent, mean [95% CI], over networks:"
    ]
    for c in result.metrics["conditions"].values():
        comparison = c["comparison"]
        lines.append(
            f"  exp {c['experiment']}, {c['label']}: {describe_comparison(comparison)} "
            f"-> {VERDICTS[comparison['direction']]}"
        )
    return "\n".join(lines)


def report_summary(summary: dict[str, Any]) -> str:
    """Which conditions generalise and which do not, one sentence per condition."""
    first = summary["first"]
    n_networks = next(iter(first.values()))["comparison"]["n"]
    parts = [
        f"Study of seed {summary['seeds'][0]}, {n_networks} networks per condition. Does each "
        "condition generalise, i.e. is the error on inconsistent test sentences reliably "
        "higher than on consistent ones (95% CI of the paired difference above 0)? "
        "Mean difference in brackets."
    ]
    studies = summary["studies"]
    by_label: dict[str, list[str]] = {}
    for key, c in first.items():
        comparison = c["comparison"]
        verdict = {"higher": "yes", "lower": "reversed"}.get(comparison["direction"], "no")
        agree = summary["conditions"][key]["inconsistent_higher"]
        across = f"; yes in {agree}/{studies} studies" if studies > 1 else ""
        by_label.setdefault(c["label"], []).append(
            f"exp {c['experiment']} {verdict} ({comparison['mean_difference']:+.3f}{across})"
        )
    for label, verdicts in by_label.items():
        parts.append(f"{label.capitalize()}: {', '.join(verdicts)}.")
    localist = [c for c in first.values() if c["encoding"] == "localist"]
    if localist:
        change = max(c["untouched_input_weights"]["max_weight_change"] for c in localist)
        units = min(c["untouched_input_weights"]["units"] for c in localist)
        amount = "not at all" if change == 0 else f"by at most {change:g}"
        parts.append(
            f"With localist codes the weights leaving input units that no training item turned "
            f"on ({units} or more per network, every test syllable's among them) changed "
            f"{amount}."
        )
    return " ".join(parts)


# ---- for `srnlab reproduce` ------------------------------------------------------------------


def _expected(c: dict[str, Any]) -> str:
    if c["encoding"] in ("localist", "analog"):
        return EXPECTED[c["encoding"]]
    return EXPECTED[c["feature_space"]]


#: The conditions of the compact table: every code with no protocol, and the two replies on
#: the papers' own test syllables (features outside the training space). The rest is folded.
KEY_CONDITIONS = (
    ("localist", "outside", "none"),
    ("distributed", "outside", "none"),
    ("distributed", "inside", "none"),
    ("analog", "outside", "none"),
    ("analog", "inside", "none"),
    ("distributed", "outside", "pretrain"),
    ("distributed", "outside", "test_learning"),
)

#: The paper's claim and the figure the report shows first (in claims.toml).
CLAIM, REPORT_FIGURE = claim_of("rules")


def report_verdict(summary: dict[str, Any]) -> str:
    """One line: in how many conditions every study finds inconsistent sentences harder."""
    studies, conditions = summary["studies"], summary["conditions"]
    everywhere = [k for k, c in conditions.items() if c["inconsistent_higher"] == studies]
    localist = [k for k in conditions if summary["first"][k]["encoding"] == "localist"]
    in_localist = sum(k in everywhere for k in localist)
    return (
        f"In {len(everywhere)} of the {len(conditions)} conditions every one of the {studies} "
        "studies found inconsistent sentences reliably harder (95% CI above 0); with localist "
        f"codes {in_localist} of {len(localist)}"
        + (", as Marcus argued." if in_localist == 0 else ", against Marcus's argument.")
    )


def paper_table(results: list[RunResult]) -> list[dict[str, str]]:
    """The conditions that matter, one row each over experiments and studies (the mean
    paired difference and how many studies found it reliable); then, folded, the other
    conditions the same way and every condition's full statistics in the first study."""
    summary = rules.summarize(results)
    first = summary["first"]
    studies = summary["studies"]
    labels: dict[tuple[str, str, str], str] = {}
    for c in first.values():
        labels.setdefault((c["encoding"], c["feature_space"], c["protocol"]), c["label"])
    rows = [
        paper_row(
            "infants' looking time, inconsistent vs consistent",
            EXPECTED["infants"],
            "(infants, not simulated)",
            "a 2023 multi-lab replication found no difference in infants",
        )
    ]
    for condition, label in labels.items():
        row = _condition_row(label, condition, summary, studies)
        rows.append(row if condition in KEY_CONDITIONS else detail(row))
    for c in first.values():
        rows.append(
            detail(
                paper_row(
                    f"first study (seed {summary['seeds'][0]}): exp "
                    f"{c['experiment']}, {c['label']}",
                    _claim(c),
                    describe_comparison(c["comparison"]),
                    VERDICTS[c["comparison"]["direction"]],
                )
            )
        )
    return rows


def _condition_row(
    label: str, condition: tuple[str, str, str], summary: dict[str, Any], studies: int
) -> dict[str, str]:
    """One condition over its experiments: mean difference over studies, reliable in k."""
    parts, claim = [], ""
    for key, c in summary["first"].items():
        if (c["encoding"], c["feature_space"], c["protocol"]) != condition:
            continue
        over = summary["conditions"][key]
        parts.append(
            f"exp {c['experiment']}: {np.mean(over['mean_difference']):+.3f}, "
            f"{over['inconsistent_higher']}/{studies}"
        )
        claim = _claim(c)
    return paper_row(
        f"{label}: inconsistent - consistent",
        claim,
        "; ".join(parts),
        f"per experiment: mean over {studies} studies; k/{studies}: studies whose "
        "95% CI lies above 0",
    )


def _claim(c: dict[str, Any]) -> str:
    return _expected(c) if c["protocol"] == "none" else _protocol_claim(c)


def _protocol_claim(c: dict[str, Any]) -> str:
    if c["protocol"] == "pretrain":
        return "Seidenberg & Elman: a difference; Marcus: the teaching signal holds the rule"
    return "Altmann & Dienes: a difference; Vilcu & Hadley: not robust"
