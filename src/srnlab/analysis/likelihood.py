r"""Likelihood vectors (Elman 1990): what the next word can be, given the sentence so far.

The sentence stream cannot be predicted word by word: after "man" comes any of a dozen verbs.
So Elman measured the network against the *likelihood vector* of every position: "the
distribution of next words over all training sentences identical to the current one up to that
point". It is the best a predictor can do that knows where the sentences begin, and it is used
only to test, never to train.

Our reading, exactly. For token t, the p-th word (0-based) of a sentence w_0 w_1 ... , take
every reference sentence whose first p + 1 words are w_0 .. w_p (the current sentence's
prefix; "up to that point" starts at the current sentence's first word, since the stream has
no other boundary). Of these N sentences, n_v continue with word v, and n_end end there. Then

    L_t[v] = n_v / N  +  (n_end / N) * F[v]

where F is the distribution of *first* words over all reference sentences. So where sentences
can end (after a two-word intransitive sentence, or always after a third word) the next word
is the next sentence's first word, predicted from the first-word distribution (the templates'
distribution of sentence starts, as estimated by the same corpus), not from the particular
sentence that happened to follow. Every L_t sums to 1.

The reference is the training corpus (Elman tested on the training corpus, so each test
sentence is among the sentences it is measured against). A test sentence whose prefix never
occurs in the reference has no likelihood vector: its row is NaN and ``seen`` is False there.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Array = np.ndarray
Sentence = Sequence[int]


@dataclass(frozen=True)
class Likelihoods:
    """One likelihood vector per test token (rows in stream order)."""

    vectors: Array  # (T, width) float; NaN rows where the prefix was never seen
    support: Array  # (T,) int: N, how many reference sentences share the token's prefix
    first_words: Array  # (width,) F, the distribution of sentence-initial words

    @property
    def seen(self) -> Array:
        """(T,) bool: the token's prefix occurs in the reference corpus."""
        return self.support > 0


def first_word_distribution(sentences: Sequence[Sentence], width: int) -> Array:
    """F[v]: the fraction of sentences that begin with word v."""
    firsts = np.array([sentence[0] for sentence in sentences if len(sentence)], dtype=np.int64)
    counts = np.bincount(firsts, minlength=width).astype(float)
    if not counts.sum():
        raise ValueError("no sentences to take first words from")
    return counts / counts.sum()


def prefix_tokens(sentences: Sequence[Sentence], width: int) -> tuple[Array, Array, int]:
    """Every token of ``sentences``, in order: an id of its prefix (its sentence's words up to
    and including it: equal prefixes, equal ids, in [0, n_prefixes)) and the word after it
    (``width`` where the sentence ends there); and n_prefixes.

    The ids are built one position at a time: a prefix is its parent prefix and one word.
    """
    lengths = np.array([len(sentence) for sentence in sentences], dtype=np.int64)
    words = np.fromiter(itertools.chain.from_iterable(sentences), np.int64, int(lengths.sum()))
    if words.size and (words.min() < 0 or words.max() >= width):
        raise ValueError(f"words must be units in [0, {width}), got {words.min()}..{words.max()}")
    position = np.arange(words.size) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    last = position == np.repeat(lengths, lengths) - 1
    following = np.where(last, width, np.roll(words, -1))
    ids = np.empty(words.size, dtype=np.int64)
    n_prefixes = 0
    for p in range(int(lengths.max(initial=0))):
        at = np.flatnonzero(position == p)
        parents = ids[at - 1] if p else np.zeros(at.size, dtype=np.int64)
        _, level = np.unique(parents * width + words[at], return_inverse=True)
        ids[at] = n_prefixes + level
        n_prefixes += int(level.max()) + 1
    return ids, following, n_prefixes


def likelihood_vectors(
    sentences: Sequence[Sentence],
    width: int,
    reference: Sequence[Sentence] | None = None,
) -> Likelihoods:
    """The likelihood vector of every token of ``sentences`` (in order), from ``reference``.

    ``sentences`` and ``reference`` are lists of sentences, each a sequence of word units in
    [0, width). Without ``reference`` the sentences are their own reference (Elman: testing on
    the training corpus).

    Per prefix of the reference, counts of what came next (the last column: the sentence
    ended), from which each prefix's vector is n_v / N + (n_end / N) F, element by element.
    """
    own = reference is None
    reference = sentences if reference is None else reference
    first = first_word_distribution(reference, width)
    ids, following, n_prefixes = prefix_tokens(
        reference if own else [*reference, *sentences], width
    )
    n_reference = sum(len(sentence) for sentence in reference)
    counts = np.bincount(
        ids[:n_reference] * (width + 1) + following[:n_reference],
        minlength=n_prefixes * (width + 1),
    ).reshape(n_prefixes, width + 1)
    totals = counts.sum(axis=1)  # N, per prefix (0: a prefix only the test sentences have)
    seen = totals > 0
    by_prefix = np.full((n_prefixes, width), np.nan)
    by_prefix[seen] = (
        counts[seen, :width] / totals[seen, None]
        + (counts[seen, width] / totals[seen])[:, None] * first
    )
    tokens = ids if own else ids[n_reference:]
    return Likelihoods(by_prefix[tokens], totals[tokens], first)
