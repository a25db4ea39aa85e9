"""One network of the rules recipe's study: pre-trained (protocol "pretrain"), familiarised
with one grammar's sentences, then tested on sentences of new syllables, frozen or learning
on (protocol "test_learning"); its prediction error per test syllable, the looking times'
raw material, and the check that weights leaving never-used input units never changed.

``recipes.rules`` runs a study of such networks per condition and compares them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from srnlab.recipes.rules_config import FEATURE_SPACES, Condition, Config
from srnlab.seeding import generators
from srnlab.srn import SRN, SRNParams, Stream, as_stream, init_srn, run_srn, train_srn
from srnlab.tasks import rules as stimuli
from srnlab.tasks.rules import Encoding, Experiment

Array = np.ndarray


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
        return self.coded(items)[1]

    def coded(self, items: list[str]) -> tuple[Array, Array]:
        """The stream's inputs (each item's code) and its ``targets``."""
        inputs = self.code.codes(items)
        following = np.roll(inputs, -1, axis=0)
        if not self.relations:
            return inputs, following
        return inputs, np.hstack([following, stimuli.relation_targets(items)])


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
    return train_srn(net, params, *s.coded(items), s.config.schedule(), passes=passes)


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
        inputs, targets = s.coded(_trial_items(s, trial))
        outputs = run_srn(net, params, inputs, context0=context).outputs
        squared = np.sum((targets - outputs) ** 2, axis=1)
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
    streams = {trial: _streams(s, net, trial) for trial in dict.fromkeys(trials)}
    rows = []
    for trial in trials:
        inputs, targets = streams[trial]
        cumulative = [0.0]
        for t in range(1, len(inputs) + 1):
            learned, history = train_srn(
                net, params, inputs.head(t), targets.head(t), schedule, passes=1, context0=context
            )
            cumulative.append(history.sse[0])
        params = learned  # after the whole trial
        rows.append(np.diff(cumulative)[-4:-1])  # the steps predicting the three syllables
    return _item_errors(s, np.array(rows))


def _streams(s: Setting, net: SRN, trial: stimuli.TestSentence) -> tuple[Stream, Stream]:
    """A test sentence's inputs and targets, coded and checked once: learning at test trains
    on each of their prefixes."""
    inputs, targets = s.coded(_trial_items(s, trial))
    return as_stream(inputs, net.n_in, "inputs"), as_stream(targets, net.n_out, "targets")


def _untouched(code: Encoding, never: tuple[str, ...], before: SRNParams, after: SRNParams) -> Any:
    """How many input units no training item turned on, and the largest change of the
    weights leaving them (Marcus: exactly 0 for a unit that was never on)."""
    columns = [code.units.index(u) for u in never]
    change = np.abs(after.W_xh[:, columns] - before.W_xh[:, columns])
    return {"units": len(columns), "max_weight_change": float(change.max()) if columns else 0.0}
