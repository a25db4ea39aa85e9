"""The engine: a project's config and data in, one trained network and its measurements out.

The same maths as the built-in recipes, called the same way, so a project that declares a
recipe's experiment gets the recipe's numbers bit for bit (``srnlab new --from letters``):

- an **SRN** is trained by ``srnlab.engine`` (the steps every SRN recipe takes: weights from
  the seed's ``weights`` stream, ``train_srn``'s compiled kernels) and tested, frozen, by
  ``run_srn``, continuing from the context training ended with unless
  ``test.carry_context = false``;
- a **feedforward** net is initialised by ``init_feedforward`` and trained by
  ``training.train``, the pattern order shuffled from the seed's ``order`` stream.

Every run also tests the *untrained* network (its initial weights) on the same stream, the
control every analysis is read against, and, for a corpus, the *ideal predictor* built from
the training corpus's statistics (``project.corpus``). What is measured from these outputs is
``project.analyses``: a function of the arrays stored here, so it is redone from a run folder.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from srnlab.analysis.representations import nearest_centroid_accuracy, word_means
from srnlab.analysis.segmentation import transition_table, transitional_probabilities
from srnlab.backprop import Network, forward
from srnlab.config import config_to_dict
from srnlab.engine import SRNFit, frozen_context, train_from_seed, weight_arrays
from srnlab.errors import UserError
from srnlab.params import init_feedforward
from srnlab.project.analyses import analyse
from srnlab.project.corpus import code_stream, corpus_streams, ideal_outputs, rotated
from srnlab.project.data import DataFile, Patterns, read_patterns
from srnlab.project.settings import ProjectConfig
from srnlab.run_result import RunResult
from srnlab.seeding import generators
from srnlab.srn import SRN, SRNTrace, run_srn
from srnlab.training import Schedule, train

Array = np.ndarray


def run_project(
    recipe_name: str, config: ProjectConfig, files: Mapping[str, DataFile]
) -> RunResult:
    """Train and test one network from ``config.seed``; measure everything ``[analysis]`` asks."""
    if config.network.kind == "feedforward":
        arrays, history = _feedforward(config, files)
    elif config.data.corpus:
        arrays, history = _srn_on_corpus(config, files)
    else:
        arrays, history = _srn_on_patterns(config, files)
    metrics = analyse(arrays, config.analysis, config.network.kind)
    metrics["source"] = {name: f.sha256 for name, f in files.items()}
    return RunResult(recipe_name, config_to_dict(config), metrics, history, arrays)


def training_data(
    config: ProjectConfig, files: Mapping[str, DataFile]
) -> tuple[Array, Array, Array | None]:
    """What the network is trained on, as dense rows: inputs (T, n_in), targets (T, n_out),
    and the steps where the context resets (None: never); for an export to another
    simulator (``srnlab export-tlearn``)."""
    if config.network.kind == "feedforward" or config.data.patterns:
        patterns, _ = _patterns(config, files)
        srn = config.network.kind == "srn"
        resets = sequence_resets(patterns.sequences) if srn else None
        return patterns.inputs, _targets_of(patterns, config), resets
    stream, _, encoding = corpus_streams(config, files)
    resets = stream.resets(config.data.reset_at_boundaries)
    return encoding.codes[stream.index], encoding.codes[stream.target_index], resets


# ---- an SRN on a text corpus -----------------------------------------------------------------


def _srn_on_corpus(
    config: ProjectConfig, files: Mapping[str, DataFile]
) -> tuple[dict[str, Array], dict[str, list[Any]]]:
    train_stream, test_stream, encoding = corpus_streams(config, files)
    width = encoding.width
    reset_on = config.data.reset_at_boundaries
    fit = _train(
        config,
        _srn(config, width, width),
        code_stream(encoding, train_stream.index),
        code_stream(encoding, train_stream.target_index),
        train_stream.resets(reset_on),
    )
    trace, control = _test(
        config, fit, code_stream(encoding, test_stream.index), test_stream.resets(reset_on)
    )
    items = np.array(test_stream.tokens.items)
    # P(next | current) from the training corpus's bigrams (wrapping, as trained): the
    # ideal predictor's fallback and the statistical-learning segmenter share it
    bigrams = transition_table(train_stream.tokens.items, rotated(train_stream.tokens.items))
    arrays: dict[str, Array] = {
        "symbols": np.array(encoding.symbols),
        "codes": encoding.codes,
        "features": np.array(encoding.features),
        "localist": np.array(encoding.localist),
        "test_items": items,
        "test_target_items": np.roll(items, -1),
        "test_targets": encoding.codes[test_stream.target_index],
        "test_outputs": trace.outputs,
        "untrained_outputs": control.outputs,
        "ideal_outputs": ideal_outputs(train_stream, test_stream, encoding, bigrams),
        "test_transitional_probabilities": transitional_probabilities(
            test_stream.tokens.items, rotated(test_stream.tokens.items), bigrams
        ),
    }
    if test_stream.starts is not None:
        arrays["test_starts"] = test_stream.starts
        arrays["test_positions"] = test_stream.positions  # type: ignore[assignment]
    arrays |= _hidden_arrays(config, items, trace.hidden, control.hidden)
    arrays |= weight_arrays(fit.initial, fit.trained)
    return arrays, fit.history.columns()


def _train(
    config: ProjectConfig, net: SRN, inputs: Array, targets: Array, resets: Array | None
) -> SRNFit:
    training = config.training
    return train_from_seed(
        net, config.seed, training.init_range, inputs, targets, training.schedule(),
        training.passes, resets,
    )  # fmt: skip


def _test(
    config: ProjectConfig, fit: SRNFit, inputs: Array, resets: Array | None
) -> tuple[SRNTrace, SRNTrace]:
    """The trained network, frozen, over the test inputs, and the untrained control."""
    context0 = frozen_context(fit, config.test.carry_context)
    trace = run_srn(fit.net, fit.trained, inputs, context0=context0, resets=resets)
    return trace, run_srn(fit.net, fit.initial, inputs, resets=resets)


def _srn(config: ProjectConfig, n_in: int, n_out: int) -> SRN:
    network = config.network
    return SRN(
        n_in,
        network.layers[0],
        n_out,
        network.hidden_activation,
        network.output_activation,
        config.training.loss,
        network.context_start,
    )


def _hidden_arrays(
    config: ProjectConfig, labels: Array, hidden: Array, untrained: Array
) -> dict[str, Array]:
    """The mean hidden state per item, trained and untrained (the dendrogram's and PCA's
    input), and the token-level check that each state lies nearest its own item's mean."""
    if config.analysis.hidden == "none" or len(set(labels.tolist())) < 2:
        return {}
    names, means = word_means(hidden, labels.tolist())
    _, control = word_means(untrained, labels.tolist())
    trained_tokens = nearest_centroid_accuracy(hidden, labels.tolist())
    untrained_tokens = nearest_centroid_accuracy(untrained, labels.tolist())
    arrays = {
        "hidden_labels": np.array(names),
        "hidden_means": means,
        "untrained_hidden_means": control,
    }
    if trained_tokens["n_tokens"]:  # items seen more than once: each left out of its own mean
        accuracy = [trained_tokens["accuracy"], untrained_tokens["accuracy"]]
        arrays["token_accuracy"] = np.array(accuracy)
    return arrays


# ---- an SRN on numeric sequences ---------------------------------------------------------------


def sequence_resets(sequences: Array | None) -> Array | None:
    """Where the ``sequence`` column's value changes: each such row starts a new sequence."""
    if sequences is None:
        return None
    changes = np.flatnonzero(sequences[1:] != sequences[:-1]) + 1
    return np.concatenate([[0], changes]).astype(np.int64)


def _positions_in_sequence(resets: Array | None, n: int) -> Array:
    starts = np.zeros(n, dtype=bool)
    starts[0] = True
    if resets is not None:
        starts[resets] = True
    first = np.flatnonzero(starts)
    return np.arange(n) - first[np.cumsum(starts) - 1]


def _targets_of(patterns: Patterns, config: ProjectConfig) -> Array:
    if config.data.task == "targets":
        assert patterns.targets is not None
        return patterns.targets
    return np.roll(patterns.inputs, -1, axis=0)


def _check_widths(train: Patterns, test: Patterns, name: str) -> None:
    if test.inputs.shape[1] != train.inputs.shape[1]:
        raise UserError(
            f"{name}: {test.inputs.shape[1]} inputs, the training data has {train.inputs.shape[1]}"
        )
    if (test.targets is None) != (train.targets is None) or (
        test.targets is not None
        and train.targets is not None
        and test.targets.shape[1] != train.targets.shape[1]
    ):
        raise UserError(f"{name}: the targets do not match the training data's")


def _patterns(config: ProjectConfig, files: Mapping[str, DataFile]) -> tuple[Patterns, Patterns]:
    train = read_patterns(files[config.data.patterns], config.data)
    if not config.test.patterns:
        return train, train
    test = read_patterns(files[config.test.patterns], config.data)
    _check_widths(train, test, config.test.patterns)
    return train, test


def _srn_on_patterns(
    config: ProjectConfig, files: Mapping[str, DataFile]
) -> tuple[dict[str, Array], dict[str, list[Any]]]:
    train_data, test_data = _patterns(config, files)
    targets = _targets_of(train_data, config)
    net = _srn(config, train_data.inputs.shape[1], targets.shape[1])
    fit = _train(config, net, train_data.inputs, targets, sequence_resets(train_data.sequences))
    resets = sequence_resets(test_data.sequences)
    trace, control = _test(config, fit, test_data.inputs, resets)
    labels = np.array(test_data.labels)
    arrays: dict[str, Array] = {
        "test_items": labels,
        "test_inputs": test_data.inputs,
        "test_targets": _targets_of(test_data, config),
        "test_outputs": trace.outputs,
        "untrained_outputs": control.outputs,
        "features": np.array([f"output {k + 1}" for k in range(targets.shape[1])]),
    }
    if test_data.positions is not None:  # the file's own position column
        arrays["test_positions"] = test_data.positions
    elif resets is not None:  # else each row's place in its sequence
        arrays["test_positions"] = _positions_in_sequence(resets, len(labels))
    if resets is not None:
        arrays["test_resets"] = resets
    arrays |= _hidden_arrays(config, labels, trace.hidden, control.hidden)
    arrays |= weight_arrays(fit.initial, fit.trained)
    return arrays, fit.history.columns()


# ---- a feedforward net on patterns ---------------------------------------------------------------


def _feedforward(
    config: ProjectConfig, files: Mapping[str, DataFile]
) -> tuple[dict[str, Array], dict[str, list[Any]]]:
    train_data, test_data = _patterns(config, files)
    assert train_data.targets is not None and test_data.targets is not None
    settings, training = config.network, config.training
    network = Network(
        (train_data.inputs.shape[1], *settings.layers, train_data.targets.shape[1]),
        settings.hidden_activation,
        settings.output_activation,
        training.loss,
    )
    rngs = generators(config.seed)
    initial = init_feedforward(network.sizes, rngs["weights"], training.init_range)
    schedule = Schedule(
        training.learning_rate, training.momentum, training.passes, training.update, training.order
    )
    trained, history = train(
        network, initial, train_data.inputs, train_data.targets, schedule, rngs["order"]
    )
    trace = forward(network, trained, test_data.inputs)
    control = forward(network, initial, test_data.inputs)
    labels = np.array(test_data.labels)
    arrays: dict[str, Array] = {
        "test_items": labels,
        "test_inputs": test_data.inputs,
        "test_targets": test_data.targets,
        "test_outputs": trace.output,
        "untrained_outputs": control.output,
        "test_hidden": trace.activations[-2],  # the last hidden layer, one row per pattern
        "features": np.array([f"output {k + 1}" for k in range(test_data.targets.shape[1])]),
    }
    arrays |= _hidden_arrays(config, labels, trace.activations[-2], control.activations[-2])
    arrays |= weight_arrays(initial, trained)
    return arrays, history.columns()
