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
Tags: [P] from the papers, [R] our reconstruction where they are silent.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from itertools import product
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from srnlab.aggregate import describe
from srnlab.analysis.paired import paired_comparison
from srnlab.checks import (
    at_least,
    check_values,
    init_range_ok,
    one_of,
    srn_fits,
    srn_network,
    srn_schedule,
)
from srnlab.config import config_to_dict
from srnlab.errors import UserError
from srnlab.report import detail
from srnlab.run_result import RunResult
from srnlab.seeding import generators
from srnlab.srn import SRN, SRNParams, SRNSchedule, init_srn, run_srn, train_srn
from srnlab.tasks import rules as stimuli
from srnlab.tasks.rules import Encoding, Experiment

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAME = "rules"
SUMMARY = "Marcus et al. (1999): ABA vs ABB on novel syllables, and the network replies"

Array = np.ndarray
Protocol = Literal["none", "pretrain", "test_learning"]
PROTOCOLS = ("none", "pretrain", "test_learning")
FEATURE_SPACES = ("outside", "inside")
ERROR_MEASURES = ("squared", "euclidean")
PRETRAIN_POOLS = ("inventory", "training_space")

PROTOCOL_LABELS = {
    "none": "",
    "pretrain": " + same/different pre-training",
    "test_learning": " + learning at test",
}


@dataclass(frozen=True)
class Config:
    # [P] Marcus et al.'s 1 (ABA vs ABB), 2 (the same, features controlled), 3 (AAB vs ABB)
    experiments: tuple[int, ...] = (1, 2, 3)
    networks: int = 16  # [P] 16 infants per experiment; network i hears grammar i % 2
    # localist: one unit per syllable; distributed: one unit per feature value; analog: one
    # unit per feature, values along its scale (in the spirit of Negishi's reply)
    encodings: tuple[str, ...] = ("localist", "distributed", "analog")
    # test syllables outside the training feature space (the papers'), inside it (ours);
    # distributed codes only: for localist codes every new syllable is outside
    feature_spaces: tuple[str, ...] = ("outside", "inside")
    # none; pretrain (same/different, Seidenberg & Elman); test_learning (Altmann & Dienes)
    protocols: tuple[str, ...] = PROTOCOLS
    hidden: int = 10  # [R] the replies used small SRNs; the papers' sizes differ
    repetitions: int = 3  # [P] each of the 16 sentences heard three times (about 2 minutes)
    gap: int = 1  # [R] pause items between sentences (the infants heard 1 s silences)
    # [R] Infants heard the stream once; one pass of 192 items teaches an SRN at this learning
    # rate almost nothing, so the network hears it ``passes`` times (a free parameter: sweep it).
    passes: int = 10
    learning_rate: float = 0.1  # [R] tlearn's default, as in the Elman recipes
    momentum: float = 0.0  # [R]
    init_range: float = 1.0  # [R] uniform in [-1, 1], tlearn's default
    loss: str = "half_squared"  # [R] tlearn's update
    through_time: int | None = 1  # [R] copy-back, as in Elman (1990); an int k: BPTT(k)
    update_every: int | None = 1  # online
    context_start: float = 0.5  # [R] as in Elman (1990)
    hidden_activation: str = "logistic"  # also tanh, linear
    output_activation: str = "logistic"  # also tanh, linear
    # Pre-training (protocol "pretrain"), in the spirit of Seidenberg & Elman [R]: a random
    # syllable stream in which ``pretrain_repeat`` of the items repeat one of the two before.
    # The pool is every syllable of the feature tables except the test syllables
    # ("inventory": prior experience with the language's sounds, McClelland & Plaut's point), or
    # only those made of feature values (localist: syllables) heard in familiarisation.
    pretrain_items: int = 2000  # [R] syllables in the pre-training stream
    pretrain_passes: int = 5  # [R] passes through it
    pretrain_repeat: float = 0.5  # [R] the share of items that repeat one of the two before
    pretrain_pool: str = "inventory"  # [R] or training_space (see above)
    test_repetitions: int = 3  # [P] 12 test trials: the 4 test sentences three times each
    test_learning_rate: float | None = None  # protocol "test_learning"; None: learning_rate
    error_measure: str = "squared"  # per item: sum of squared errors, or its square root
    seed: int = 0  # network i of a study draws its streams from (seed, i)

    def __post_init__(self) -> None:
        check_values(self)
        if not self.experiments or len(set(self.experiments)) != len(self.experiments):
            raise UserError("experiments needs one or more of 1, 2, 3, each once")
        for number in self.experiments:
            stimuli.experiment(number)
        at_least(self, 2, "networks")  # the paired statistics need two networks or more
        at_least(self, 1, "hidden", "repetitions", "gap", "test_repetitions")
        at_least(self, 0, "passes", "pretrain_passes")
        # Per network: the familiarisation, test and pre-training streams, in codes no wider
        # than 64 units; the studies keep every network's looking times (a few floats each).
        sentence = 3 + self.gap
        steps = 16 * self.repetitions * sentence + 12 * self.test_repetitions * sentence
        srn_fits(self, 64, 64, steps + self.pretrain_items + 100 * self.networks)
        _check_choices("encodings", self.encodings, stimuli.ENCODINGS)
        _check_choices("feature_spaces", self.feature_spaces, FEATURE_SPACES)
        _check_choices("protocols", self.protocols, PROTOCOLS)
        one_of("error_measure", self.error_measure, ERROR_MEASURES)
        one_of("pretrain_pool", self.pretrain_pool, PRETRAIN_POOLS)
        init_range_ok(self)
        if not self.conditions():
            raise UserError("no condition to run: localist codes need feature_spaces outside")
        if "pretrain" in self.protocols and self.pretrain_items < 3:
            raise UserError(f"pretrain_items must be >= 3, got {self.pretrain_items}")
        if not 0.0 <= self.pretrain_repeat <= 1.0:
            raise UserError(f"pretrain_repeat must be in [0, 1], got {self.pretrain_repeat}")
        self.network(2, 2)
        self.schedule()
        self.schedule(self.test_learning_rate)

    def conditions(self) -> list[Condition]:
        """Every (experiment, encoding, feature space, protocol) to run; localist codes only
        'outside' (every novel syllable is a new unit)."""
        return [
            Condition(number, encoding, space, protocol)
            for number, encoding, space, protocol in product(
                self.experiments, self.encodings, self.feature_spaces, self.protocols
            )
            if not (encoding == "localist" and space == "inside")
        ]

    def network(self, n_in: int, n_out: int) -> SRN:
        return srn_network(self, n_in, n_out)

    def schedule(self, learning_rate: float | None = None) -> SRNSchedule:
        return srn_schedule(self, learning_rate)


def _check_choices(name: str, chosen: tuple[str, ...], valid: tuple[str, ...]) -> None:
    if not chosen:
        raise UserError(f"{name} needs at least one of {', '.join(valid)}")
    for value in chosen:
        if value not in valid:
            raise UserError(f"{name}: {value!r} is not one of {', '.join(valid)}")
    if len(set(chosen)) != len(chosen):
        raise UserError(f"{name} lists a value twice: {', '.join(chosen)}")


@dataclass(frozen=True)
class Condition:
    experiment: int
    encoding: str
    feature_space: str
    protocol: str

    @property
    def key(self) -> str:
        return f"exp{self.experiment}-{self.encoding}-{self.feature_space}-{self.protocol}"

    @property
    def label(self) -> str:
        code = {
            "localist": "localist",
            "distributed": f"features, {self.feature_space}",
            "analog": f"analog features, {self.feature_space}",
        }[self.encoding]
        return code + PROTOCOL_LABELS[self.protocol]


# ---- one network ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """What every network of a condition shares: the code, the sizes and the test items."""

    config: Config
    experiment: Experiment
    condition: Condition
    code: Encoding

    @property
    def relations(self) -> bool:
        """The two same/different output units exist (protocol "pretrain")."""
        return self.condition.protocol == "pretrain"

    @property
    def n_out(self) -> int:
        return self.code.width + (len(stimuli.RELATIONS) if self.relations else 0)

    def targets(self, items: list[str]) -> Array:
        """Step t's target: the next item's code (the stream wraps around, as in Elman 1990),
        and with relation units, whether the *current* item repeats one of the two before."""
        codes = np.roll(self.code.codes(items), -1, axis=0)
        if not self.relations:
            return codes
        return np.hstack([codes, stimuli.relation_targets(items)])


def setting(config: Config, condition: Condition) -> Setting:
    exp = stimuli.experiment(condition.experiment)
    code = stimuli.encoding(condition.encoding, exp)
    return Setting(config, exp, condition, code)


def run_network(s: Setting, index: int) -> dict[str, Any]:
    """Pre-train (maybe), familiarise and test network ``index``; its looking times."""
    config, exp = s.config, s.experiment
    rngs = generators((config.seed, index))
    grammar = exp.grammars[index % 2]
    familiar = stimuli.sentence_items(
        stimuli.familiarisation_sentences(exp, grammar, config.repetitions, rngs["data"]),
        config.gap,
    )
    net = config.network(s.code.width, s.n_out)
    initial = init_srn(*net.sizes, rngs["weights"], config.init_range)
    params, heard = initial, list(familiar)
    if s.relations and config.pretrain_passes > 0:
        pool = pretraining_pool(s, familiar)
        items = stimuli.pretraining_items(
            pool, config.pretrain_items, config.pretrain_repeat, rngs["pretraining"]
        )
        params, _ = _train(s, net, params, items, config.pretrain_passes)
        heard += items
    params, history = _train(s, net, params, familiar, config.passes)
    context = history.final_context if config.passes > 0 else None
    trials = _test_trials(s, rngs["order"])
    if s.condition.protocol == "test_learning":
        errors = _errors_while_learning(s, net, params, trials, context)
    else:
        errors = _errors_frozen(s, net, params, trials, context)
    never = stimuli.units_never_active(s.code, heard)
    return {
        "grammar": grammar,
        "trials": trials,
        "errors": errors,  # (n_trials, 3): error at the 1st, 2nd and 3rd syllable target
        "untouched_input_weights": _untouched(s.code, never, initial, params),
    }


def _train(
    s: Setting, net: SRN, params: SRNParams, items: list[str], passes: int
) -> tuple[SRNParams, Any]:
    return train_srn(
        net, params, s.code.codes(items), s.targets(items), s.config.schedule(), passes=passes
    )


def pretraining_pool(s: Setting, familiar: list[str]) -> list[str]:
    """Every syllable of the feature tables except the test syllables (of both feature
    spaces); with ``pretrain_pool=training_space`` only those whose units familiarisation
    turned on."""
    tests = {x for space in FEATURE_SPACES for x in s.experiment.test_syllables(space)}
    pool = [x for x in stimuli.ALL_SYLLABLES if x not in tests]
    if s.config.pretrain_pool == "training_space":
        heard = {u for item in set(familiar) for u in s.code.active_units(item)}
        pool = [x for x in pool if set(s.code.active_units(x)) <= heard]
    return pool


def _test_trials(s: Setting, rng: np.random.Generator) -> list[stimuli.TestSentence]:
    """The test sentences, ``test_repetitions`` times, in a random order (the order matters
    only when the network learns at test)."""
    sentences = stimuli.test_sentences(s.experiment, s.condition.feature_space)
    trials = sentences * s.config.test_repetitions
    return [trials[i] for i in rng.permutation(len(trials))]


def _trial_items(s: Setting, trial: stimuli.TestSentence) -> list[str]:
    return stimuli.sentence_items([trial.syllables], s.config.gap)


def _item_errors(s: Setting, squared: Array) -> Array:
    return squared if s.config.error_measure == "squared" else np.sqrt(squared)


def _errors_frozen(
    s: Setting, net: SRN, params: SRNParams, trials: list[stimuli.TestSentence], context: Any
) -> Array:
    """Weights frozen: every trial starts from the context familiarisation ended with (after a
    sentence's last syllable, as every sentence did in training), so a sentence heard again
    gives the same errors: each distinct sentence is run once."""
    by_sentence: dict[stimuli.TestSentence, Array] = {}
    for trial in dict.fromkeys(trials):
        items = _trial_items(s, trial)
        outputs = run_srn(net, params, s.code.codes(items), context0=context).outputs
        squared = np.sum((s.targets(items) - outputs) ** 2, axis=1)
        # Step t predicts item t + 1: the trial's syllables are its last three items.
        by_sentence[trial] = _item_errors(s, squared[-4:-1])
    return np.array([by_sentence[trial] for trial in trials])


def _errors_while_learning(
    s: Setting, net: SRN, params: SRNParams, trials: list[stimuli.TestSentence], context: Any
) -> Array:
    """Learning goes on through the test trials: each trial starts from the context
    familiarisation ended with, as in the frozen test, but with the weights the trials before
    it left. So the two protocols differ only in the learning (a vanishing
    ``test_learning_rate`` gives the frozen errors exactly). Momentum, if any, restarts with
    each trial.

    Online training measures each step's error before that step's update, and what happens at
    step t never depends on later steps, so within a trial the error of step t is the summed
    error of one pass over its first t + 1 steps minus that over its first t.
    """
    schedule = s.config.schedule(s.config.test_learning_rate)
    rows = []
    for trial in trials:
        items = _trial_items(s, trial)
        inputs, targets = s.code.codes(items), s.targets(items)
        cumulative = [0.0]
        for t in range(1, len(items) + 1):
            learned, history = train_srn(
                net, params, inputs[:t], targets[:t], schedule, passes=1, context0=context
            )
            cumulative.append(history.sse[0])
        params = learned  # after the whole trial
        rows.append(np.diff(cumulative)[-4:-1])  # the steps predicting the three syllables
    return _item_errors(s, np.array(rows))


def _untouched(code: Encoding, never: tuple[str, ...], before: SRNParams, after: SRNParams) -> Any:
    """How many input units no training item turned on, and the largest change of the
    weights leaving them (Marcus: exactly 0 for a unit that was never on)."""
    columns = [code.units.index(u) for u in never]
    change = np.abs(after.W_xh[:, columns] - before.W_xh[:, columns])
    return {"units": len(columns), "max_weight_change": float(change.max()) if columns else 0.0}


# ---- one study -----------------------------------------------------------------------------

#: What each side of the debate expects, for the report's table.
EXPECTED = {
    "infants": "longer looking at inconsistent sentences (Marcus et al. 1999, experiments 1-3)",
    "localist": "no difference: novel units' weights never trained (Marcus)",
    "outside": "no difference: the test needs feature values never trained (Marcus)",
    "inside": "a difference is possible: generalisation inside the training space (Marcus)",
    "analog": "Negishi: codes on trained dimensions generalise; Marcus: only by interpolation",
}


def run(config: Config) -> RunResult:
    """Every condition's ``networks`` networks; their looking times and paired statistics."""
    conditions: dict[str, Any] = {}
    arrays: dict[str, Array] = {}
    for condition in config.conditions():
        s = setting(config, condition)
        nets = [run_network(s, i) for i in range(config.networks)]
        looking = np.array([_looking_times(n) for n in nets])  # (networks, 2)
        by_syllable = np.array([_by_syllable(n) for n in nets])  # (networks, 2, 3)
        untouched = [n["untouched_input_weights"] for n in nets]
        conditions[condition.key] = {
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
        arrays[f"looking_{condition.key}"] = looking
        arrays[f"by_syllable_{condition.key}"] = by_syllable
    metrics = {
        "looking_time": "mean over a network's test trials of the error "
        f"({config.error_measure}) on the 2nd and 3rd syllables",
        "conditions": conditions,
    }
    return RunResult(NAME, config_to_dict(config), metrics, {}, arrays)


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


# ---- figures -------------------------------------------------------------------------------


def figures(result: RunResult) -> dict[str, Figure]:
    from srnlab.plots import rules as plots

    conditions = result.metrics["conditions"]
    seed = result.config["seed"]
    drawn = {
        "differences": plots.difference_forest(
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
        drawn[f"looking_times_exp{number}"] = plots.paired_looking_times(
            panels, title=f"Experiment {number} ({grammars}): each line is one network"
        )
        drawn[f"error_by_syllable_exp{number}"] = plots.error_by_syllable(
            [
                (c["label"], result.arrays[f"by_syllable_{key}"])
                for key, c in conditions.items()
                if c["experiment"] == number
            ],
            title=f"Experiment {number} ({grammars}): where the error differs",
        )
    return drawn


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


def summary_figures(results: list[RunResult]) -> dict[str, Figure]:
    """Each condition's mean difference over studies with the 95% CI over studies (one study:
    its own CI over networks)."""
    from srnlab.plots import rules as plots

    if len(results) == 1:
        return {"differences": figures(results[0])["differences"]}
    rows = []
    for c in summarize(results)["conditions"].values():
        stats = describe(c["mean_difference"])
        low, high = stats["ci95_low"], stats["ci95_high"]
        assert low is not None and high is not None
        direction = "higher" if low > 0 else "lower" if high < 0 else "no reliable difference"
        row = {"mean_difference": stats["mean"], "ci95_low": low, "ci95_high": high}
        rows.append((c["experiment"], c["label"], row | {"direction": direction}))
    title = f"Inconsistent minus consistent ({len(results)} studies)"
    return {"differences": plots.difference_forest(rows, title=title, over="studies' means")}


def replication_row(result: RunResult) -> dict[str, Any]:
    row: dict[str, Any] = {"seed": result.config["seed"]}
    for key, condition in result.metrics["conditions"].items():
        row[f"{key}_difference"] = condition["comparison"]["mean_difference"]
        row[f"{key}_p"] = condition["comparison"]["p"]
    return row


def with_seed(config: Config, seed: int) -> Config:
    return dataclasses.replace(config, seed=seed)


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

#: What `srnlab sweep rules` plots by default: the first condition's paired difference.
SWEEP_METRIC = "comparison.mean_difference"

REPRODUCE_SEEDS = 3  # whole studies (each has every condition's 16 networks)
QUICK = {"networks": 4, "passes": 2, "pretrain_items": 200, "pretrain_passes": 1}


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

#: The figure the report shows first: every condition's paired difference over studies.
REPORT_FIGURE = "differences"
CLAIM = (
    "Marcus et al. (1999): seven-month-olds familiarised with ABA (or AAB) sentences looked "
    "longer at inconsistent sentences made of new syllables, and a simple recurrent network "
    "that predicts the next syllable cannot tell them apart; the network replies (Seidenberg "
    "& Elman 1999; Altmann & Dienes 1999; Negishi 1999; McClelland & Plaut 1999) say it can, "
    "given the right codes or training."
)


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
    summary = summarize(results)
    first = summary["first"]
    studies = summary["studies"]
    labels: dict[tuple[str, str, str], str] = {}
    for c in first.values():
        labels.setdefault((c["encoding"], c["feature_space"], c["protocol"]), c["label"])
    rows = [
        {
            "quantity": "infants' looking time, inconsistent vs consistent",
            "paper": EXPECTED["infants"],
            "srnlab": "(infants, not simulated)",
            "note": "a 2023 multi-lab replication found no difference in infants",
        }
    ]
    for condition, label in labels.items():
        row = _condition_row(label, condition, summary, studies)
        rows.append(row if condition in KEY_CONDITIONS else detail(row))
    for c in first.values():
        rows.append(
            detail(
                {
                    "quantity": f"first study (seed {summary['seeds'][0]}): exp "
                    f"{c['experiment']}, {c['label']}",
                    "paper": _claim(c),
                    "srnlab": describe_comparison(c["comparison"]),
                    "note": VERDICTS[c["comparison"]["direction"]],
                }
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
    return {
        "quantity": f"{label}: inconsistent - consistent",
        "paper": claim,
        "srnlab": "; ".join(parts),
        "note": f"per experiment: mean over {studies} studies; k/{studies}: studies whose "
        "95% CI lies above 0",
    }


def _claim(c: dict[str, Any]) -> str:
    return _expected(c) if c["protocol"] == "none" else _protocol_claim(c)


def _protocol_claim(c: dict[str, Any]) -> str:
    if c["protocol"] == "pretrain":
        return "Seidenberg & Elman: a difference; Marcus: the teaching signal holds the rule"
    return "Altmann & Dienes: a difference; Vilcu & Hadley: not robust"
