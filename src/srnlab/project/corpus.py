"""A text corpus as a prediction stream, and the best prediction its statistics allow.

A project's corpus is read into tokens (``project.data``), numbered by the encoding, and shown
one item per step, each step scored on the next item (``CorpusStream``). ``ideal_outputs`` is
the control every trained network is read against: the likelihood vectors of the training
corpus where group boundaries are known (Elman's definition), its bigrams otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from srnlab.analysis.likelihood import likelihood_vectors
from srnlab.analysis.segmentation import TransitionTable, bigram_predictions
from srnlab.project.data import (
    DataFile,
    Encoding,
    Tokens,
    localist,
    read_feature_table,
    text_of,
    tokenize,
)
from srnlab.project.settings import ProjectConfig

Array = np.ndarray


@dataclass(frozen=True)
class CorpusStream:
    """A corpus as a prediction stream: step t shows item t and is scored on item t + 1
    (wrapping around). ``starts[t]``/``positions[t]`` describe step t's *target*."""

    tokens: Tokens
    index: Array  # (T,) each item's symbol number in the encoding

    @property
    def target_index(self) -> Array:
        return np.roll(self.index, -1)

    @property
    def starts(self) -> Array | None:
        begins = self.tokens.begins
        return None if begins is None else np.roll(begins, -1)

    @property
    def positions(self) -> Array | None:
        begins = self.tokens.begins
        if begins is None:
            return None
        group = np.cumsum(begins) - 1
        first = np.flatnonzero(begins)
        return np.roll(np.arange(len(begins)) - first[group], -1)

    def resets(self, on: bool) -> Array | None:
        begins = self.tokens.begins
        return np.flatnonzero(begins) if on and begins is not None else None

    def groups(self) -> list[Array]:
        """The symbol numbers of each group (word or sentence), in order."""
        if self.tokens.begins is None:
            return [self.index]
        return np.split(self.index, np.flatnonzero(self.tokens.begins)[1:])


def corpus_streams(
    config: ProjectConfig, files: Mapping[str, DataFile]
) -> tuple[CorpusStream, CorpusStream, Encoding]:
    """The training and the test stream (the same corpus unless ``[test] corpus`` names
    another), numbered by one encoding of both."""
    data = config.data
    train_tokens = tokenize(text_of(files[data.corpus]), data, data.corpus)
    test_name = config.test.corpus or data.corpus
    test_tokens = (
        tokenize(text_of(files[test_name]), data, test_name) if config.test.corpus else train_tokens
    )
    if data.encoding == "localist":
        encoding = localist(train_tokens.items + test_tokens.items)
    else:
        encoding = read_feature_table(files[data.encoding])
    train_stream = CorpusStream(train_tokens, encoding.indices(train_tokens.items, data.corpus))
    test_stream = CorpusStream(test_tokens, encoding.indices(test_tokens.items, test_name))
    return train_stream, test_stream, encoding


def code_stream(encoding: Encoding, index: Array) -> Array:
    """What the kernels take: unit numbers for a localist code (the one-hot fast path), the
    feature rows otherwise."""
    return index if encoding.localist else encoding.codes[index]


def ideal_outputs(
    train: CorpusStream, test: CorpusStream, encoding: Encoding, bigrams: TransitionTable
) -> Array:
    """The best prediction the training corpus's statistics allow, as an output vector.

    Where boundaries are known: the likelihood vector of each step (the distribution of what
    followed the same group prefix in the training corpus; Elman's definition), with the
    bigram predictor for a prefix the training corpus never had. Without boundaries: the
    bigram predictor, P(next | current item)."""
    codes = encoding.codes
    by_symbol = {s: codes[k] for k, s in enumerate(encoding.symbols)}
    bigram = bigram_predictions(test.tokens.items, bigrams, by_symbol)
    if train.tokens.begins is None or test.tokens.begins is None:
        return bigram
    likely = likelihood_vectors(
        _as_lists(test.groups()), len(encoding.symbols), reference=_as_lists(train.groups())
    )
    expected = np.where(likely.seen[:, None], np.nan_to_num(likely.vectors) @ codes, bigram)
    return expected


def _as_lists(groups: list[Array]) -> list[list[int]]:
    return [g.tolist() for g in groups]


def rotated(items: tuple[str, ...]) -> tuple[str, ...]:
    """The items one step on, wrapping around: the item that follows each."""
    return items[1:] + items[:1]
