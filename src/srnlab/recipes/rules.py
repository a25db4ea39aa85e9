"""The limits debate: can an SRN that predicts the next syllable tell ABA from ABB on new
syllables, as Marcus et al. (1999)'s seven-month-olds did?

One run is one simulated study. For every condition, ``networks`` SRNs (16, like the 16 infants
of each experiment; half familiarised with each grammar) hear the familiarisation stream,
``passes`` times, learning online to predict the next syllable; then they hear the test
sentences, made of syllables never heard before. A network's "looking time" for a test
sentence is its prediction error on the sentence's 2nd and 3rd syllables: the 1st syllable is
the same in the consistent and the inconsistent sentence of a pair, so it can only add noise
(its error is reported too). The question, per condition: is the error on inconsistent
sentences higher than on consistent ones? Each network sees both kinds, so the statistics are
paired: the mean difference (inconsistent - consistent) with its t-based 95% CI, the effect size
d_z = mean / SD of the differences, a paired t-test, and how many networks show the difference.

The conditions cross (``encodings`` x ``feature_spaces`` x ``protocols``):

* localist codes: each test syllable is a unit never active in training, so its outgoing
  weights never change (``metrics[...]["untouched_input_weights"]`` checks it) and nothing
  learned can reach it: Marcus's argument predicts no difference;
* distributed phonetic features, test syllables outside the training feature space (the
  papers' own test syllables) or inside it (our novel syllables whose feature values were all
  heard); localist x inside is skipped: for localist codes every novel syllable is outside;
* analog features, in the spirit of Negishi's reply: one unit per feature, its values spread
  along a scale, so a value never heard is a new point on a trained unit, not an untrained unit
  (the same outside / inside test syllables);
* protocols: ``none``; ``pretrain``, in the spirit of Seidenberg & Elman (1999): two extra
  output units, trained before familiarisation on a long random syllable stream (and then all
  along) to say whether the current syllable repeats the previous one or the one before it;
  looking time then includes their error. Critique (Marcus 1999, reply): the same/different
  teaching signal is computed by the modeller from syllable identity, so the relation the
  infants had to discover is handed to the network; ``test_learning``, in the spirit of Altmann
  & Dienes (1999): the network keeps learning during the test trials (Altmann & Dienes added an
  encoding layer and froze the rest of the network at test; here every weight learns, at
  ``test_learning_rate``), so looking time on a trial depends on the trials before it.
  Critique (Marcus; Vilcu & Hadley 2005): what is learned at test is the test items themselves,
  and the reported effects did not survive replication of the model.

No condition is tuned toward a verdict: the harness reports whatever the numbers say.
Tags: [P] from the papers, [R] our reconstruction where they are silent. The settings and the
conditions are in ``recipes.rules_config``, one network's training and test in
``recipes.rules_network``; the figures and the report's text in ``presenters.rules``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from srnlab.analysis.paired import paired_comparison
from srnlab.config import config_to_dict
from srnlab.recipes.rules_config import Config
from srnlab.recipes.rules_network import Setting, Trainings, run_network, setting
from srnlab.run_result import RunResult
from srnlab.tasks import rules as stimuli

NAME = "rules"
SUMMARY = "Marcus et al. (1999): ABA vs ABB on novel syllables, and the network replies"

Array = np.ndarray


def run(config: Config) -> RunResult:
    """Every condition's ``networks`` networks; their looking times and paired statistics."""
    conditions: dict[str, Any] = {}
    arrays: dict[str, Array] = {}
    trainings = Trainings()  # conditions that differ only in their test share their networks
    for condition in config.conditions():
        s = setting(config, condition)
        nets = [run_network(s, i, trainings) for i in range(config.networks)]
        looking = np.array([_looking_times(n) for n in nets])  # (networks, 2)
        by_syllable = np.array([_by_syllable(n) for n in nets])  # (networks, 2, 3)
        conditions[condition.key] = _condition_metrics(s, nets, looking, by_syllable)
        arrays[f"looking_{condition.key}"] = looking
        arrays[f"by_syllable_{condition.key}"] = by_syllable
    metrics = {
        "looking_time": "mean over a network's test trials of the error "
        f"({config.error_measure}) on the 2nd and 3rd syllables",
        "conditions": conditions,
    }
    return RunResult(NAME, config_to_dict(config), metrics, {}, arrays)


def _condition_metrics(
    s: Setting, nets: list[dict[str, Any]], looking: Array, by_syllable: Array
) -> dict[str, Any]:
    """One condition's networks compared: their mean looking times, the paired statistics of
    inconsistent against consistent, the error by syllable, the never-used input units."""
    condition = s.condition
    untouched = [n["untouched_input_weights"] for n in nets]
    return {
        "label": condition.label,
        "experiment": condition.experiment,
        "encoding": condition.encoding,
        "feature_space": condition.feature_space,
        "protocol": condition.protocol,
        "grammars": list(s.experiment.grammars),
        "test_sentences": [
            " ".join(t.syllables)
            for t in stimuli.test_sentences(s.experiment, condition.feature_space)
        ],
        "looking_time": {
            "consistent": float(looking[:, 0].mean()),
            "inconsistent": float(looking[:, 1].mean()),
        },
        "comparison": paired_comparison(looking[:, 0], looking[:, 1]),
        "error_by_syllable": {
            kind: [float(v) for v in by_syllable[:, k].mean(axis=0)]
            for k, kind in enumerate(("consistent", "inconsistent"))
        },
        "untouched_input_weights": {
            "units": min(u["units"] for u in untouched),
            "max_weight_change": max(u["max_weight_change"] for u in untouched),
        },
    }


def _consistent(net: dict[str, Any]) -> Array:
    return np.array([trial.pattern == net["grammar"] for trial in net["trials"]])


def _looking_times(net: dict[str, Any]) -> tuple[float, float]:
    """(consistent, inconsistent): the mean over trials of the 2nd + 3rd syllables' error."""
    looking = net["errors"][:, 1:].sum(axis=1)
    consistent = _consistent(net)
    return float(looking[consistent].mean()), float(looking[~consistent].mean())


def _by_syllable(net: dict[str, Any]) -> Array:
    consistent = _consistent(net)
    return np.array(
        [net["errors"][consistent].mean(axis=0), net["errors"][~consistent].mean(axis=0)]
    )


# ---- many seeds (whole studies) ------------------------------------------------------------


def summarize(results: list[RunResult]) -> dict[str, Any]:
    """Per condition, across studies: the mean difference of each and how many found
    inconsistent sentences reliably harder (CI above 0)."""
    first = results[0].metrics["conditions"]
    per_condition = {}
    for key, condition in first.items():
        comparisons = [r.metrics["conditions"][key]["comparison"] for r in results]
        per_condition[key] = {
            "label": condition["label"],
            "experiment": condition["experiment"],
            "mean_difference": [c["mean_difference"] for c in comparisons],
            "inconsistent_higher": sum(c["direction"] == "higher" for c in comparisons),
            "inconsistent_lower": sum(c["direction"] == "lower" for c in comparisons),
        }
    return {
        "studies": len(results),
        "seeds": [r.config["seed"] for r in results],
        "first": first,
        "conditions": per_condition,
    }


def replication_row(result: RunResult) -> dict[str, Any]:
    row: dict[str, Any] = {"seed": result.config["seed"]}
    for key, condition in result.metrics["conditions"].items():
        row[f"{key}_difference"] = condition["comparison"]["mean_difference"]
        row[f"{key}_p"] = condition["comparison"]["p"]
    return row


# ---- for `srnlab reproduce` ------------------------------------------------------------------

#: What `srnlab sweep rules` plots by default: the first condition's paired difference.
SWEEP_METRIC = "comparison.mean_difference"

REPRODUCE_SEEDS = 3  # whole studies (each has every condition's 16 networks)
#: `reproduce --quick`: Marcus et al.'s experiment 1 (ABA vs ABB) in all 15 conditions, not
#: experiments 2 and 3 too: with two 15-panel figures each, they made rules a third of the
#: quick run's time (14 of 32 s of CPU, measured with benchmarks/bench_reproduce.py).
#: Experiment 1's numbers are the same either way (seed 0's metrics and arrays compared).
QUICK = {
    "networks": 4,
    "passes": 2,
    "pretrain_items": 200,
    "pretrain_passes": 1,
    "experiments": (1,),
}
