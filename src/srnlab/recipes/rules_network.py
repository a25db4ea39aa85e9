"""One network of the rules recipe's study: pre-trained (protocol "pretrain"), familiarised
with one grammar's sentences, then tested on sentences of new syllables, frozen or learning
on (protocol "test_learning"); its prediction error per test syllable, the looking times'
raw material, and the check that weights leaving never-used input units never changed.

``recipes.rules`` runs a study of such networks per condition and compares them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from srnlab.recipes.rules_config import FEATURE_SPACES, Condition, Config
from srnlab.seeding import generators
from srnlab.srn import SRN, SRNParams, init_srn, run_srn, train_srn
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
        """The items' inputs and their ``targets``. A localist code's inputs are the index of
        each item's unit: the same one-hot rows to the network, but the compiled kernels then
        read and update one row of input weights per step instead of adding every row times
        0 (which changes no number)."""
        codes = self.code.codes(items)
        targets = np.roll(codes, -1, axis=0)
        if self.relations:
            targets = np.hstack([targets, stimuli.relation_targets(items)])
        inputs = codes.argmax(axis=1) if self.code.name == "localist" else codes
        return inputs, targets

    @cached_property
    def test_streams(self) -> dict[stimuli.TestSentence, tuple[list[str], Array, Array]]:
        """Each test sentence's items, inputs and targets, made once for every network of the
        condition (the arrays are only read)."""
        streams = {}
        for sentence in stimuli.test_sentences(self.experiment, self.condition.feature_space):
            items = stimuli.sentence_items([sentence.syllables], self.config.gap)
            streams[sentence] = (items, *self.coded(items))
        return streams


def setting(config: Config, condition: Condition) -> Setting:
    exp = stimuli.experiment(condition.experiment)
    code = stimuli.encoding(condition.encoding, exp)
    return Setting(config, exp, condition, code)


@dataclass(frozen=True)
class Familiarised:
    """A network ready for its test: its weights before and after training, the context its
    familiarisation ended with, and the input units no training item turned on. Shared by
    every condition that tests this network, so only read (training at test makes a copy)."""

    initial: SRNParams
    params: SRNParams
    context: Array | None
    never: tuple[str, ...]


class Trainings:
    """The networks one study (one ``Config``) trains, each trained once.

    A network's training depends on its index (its streams and initial weights), its code,
    whether it has the relation units, its familiarisation items and its pre-training pool,
    and on nothing else: not on the test syllables' feature space, nor on whether it learns at
    test. So conditions that differ only in their test train the same networks, bit for bit,
    and so do experiments 2 and 3 for the networks that hear ABB in both (the same syllables).
    The default study trains 240 networks for its 720 (45 conditions x 16), and makes 32
    pre-training streams (one per network index and pool) for 240 pre-trained networks.
    """

    def __init__(self) -> None:
        self._networks: dict[tuple[Any, ...], Familiarised] = {}
        self._pretraining: dict[tuple[Any, ...], list[str]] = {}

    @property
    def count(self) -> int:
        """How many networks were trained."""
        return len(self._networks)

    def familiarised(
        self, s: Setting, index: int, familiar: list[str], rngs: dict[str, np.random.Generator]
    ) -> Familiarised:
        """Network ``index`` pre-trained (maybe) and familiarised with ``familiar``, drawing
        its initial weights and pre-training stream from ``rngs`` when first trained."""
        pretrains = s.relations and s.config.pretrain_passes > 0
        pool = tuple(pretraining_pool(s, familiar)) if pretrains else ()
        key = (index, s.code, s.relations, tuple(familiar), pool)
        if key not in self._networks:
            items = self._pretraining_items(s.config, index, pool, rngs) if pretrains else []
            self._networks[key] = _familiarise(s, familiar, items, rngs["weights"])
        return self._networks[key]

    def _pretraining_items(
        self,
        config: Config,
        index: int,
        pool: tuple[str, ...],
        rngs: dict[str, np.random.Generator],
    ) -> list[str]:
        """Network ``index``'s pre-training stream from ``pool``: the same for every code."""
        if (index, pool) not in self._pretraining:
            self._pretraining[index, pool] = stimuli.pretraining_items(
                pool, config.pretrain_items, config.pretrain_repeat, rngs["pretraining"]
            )
        return self._pretraining[index, pool]


def run_network(s: Setting, index: int, trainings: Trainings | None = None) -> dict[str, Any]:
    """Pre-train (maybe), familiarise and test network ``index``; its looking times. Its
    training is taken from ``trainings`` if another condition of the study trained it."""
    config, exp = s.config, s.experiment
    rngs = generators((config.seed, index))
    grammar = exp.grammars[index % 2]
    familiar = stimuli.sentence_items(
        stimuli.familiarisation_sentences(exp, grammar, config.repetitions, rngs["data"]),
        config.gap,
    )
    if trainings is None:
        trainings = Trainings()
    trained = trainings.familiarised(s, index, familiar, rngs)
    net = config.network(s.code.width, s.n_out)
    trials = _test_trials(s, rngs["order"])
    if s.condition.protocol == "test_learning":
        errors = _errors_while_learning(s, net, trained.params, trials, trained.context)
    else:
        errors = _errors_frozen(s, net, trained.params, trials, trained.context)
    return {
        "grammar": grammar,
        "trials": trials,
        "errors": errors,  # (n_trials, 3): error at the 1st, 2nd and 3rd syllable target
        "untouched_input_weights": _untouched(
            s.code, trained.never, trained.initial, trained.params
        ),
    }


def _familiarise(
    s: Setting, familiar: list[str], pretraining: list[str], weights: np.random.Generator
) -> Familiarised:
    """Train a new network: on the ``pretraining`` items (if any), then on ``familiar``."""
    config = s.config
    net = config.network(s.code.width, s.n_out)
    initial = init_srn(*net.sizes, weights, config.init_range)
    params = initial
    if pretraining:
        params, _ = _train(s, net, params, pretraining, config.pretrain_passes)
    params, history = _train(s, net, params, familiar, config.passes)
    context = history.final_context if config.passes > 0 else None
    never = stimuli.units_never_active(s.code, [*familiar, *pretraining])
    return Familiarised(initial, params, context, never)


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
        _, inputs, targets = s.test_streams[trial]
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
    error of one pass over its first t + 1 steps minus that over its first t: the running sum
    of the squared error after step t minus that after step t - 1, in one pass over the trial.
    """
    schedule = s.config.schedule(s.config.test_learning_rate)
    rows = []
    for trial in trials:
        _, inputs, targets = s.test_streams[trial]
        params, history = train_srn(
            net, params, inputs, targets, schedule, passes=1, context0=context, running_sse=True
        )
        cumulative = np.concatenate([[0.0], history.running_sse[0]])
        rows.append(np.diff(cumulative)[-4:-1])  # the steps predicting the three syllables
    return _item_errors(s, np.array(rows))


def _untouched(code: Encoding, never: tuple[str, ...], before: SRNParams, after: SRNParams) -> Any:
    """How many input units no training item turned on, and the largest change of the
    weights leaving them (Marcus: exactly 0 for a unit that was never on)."""
    columns = [code.units.index(u) for u in never]
    change = np.abs(after.W_xh[:, columns] - before.W_xh[:, columns])
    return {"units": len(columns), "max_weight_change": float(change.max()) if columns else 0.0}
