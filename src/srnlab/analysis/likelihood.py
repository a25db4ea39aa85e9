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
    counts = np.zeros(width)
    for sentence in sentences:
        if len(sentence):
            counts[sentence[0]] += 1
    if not counts.sum():
        raise ValueError("no sentences to take first words from")
    return counts / counts.sum()


def continuation_counts(sentences: Sequence[Sentence], width: int) -> dict[tuple[int, ...], Array]:
    """For every prefix in ``sentences``: counts of what came next, (width + 1,), the last
    entry counting the sentences that ended there."""
    end = width
    counts: dict[tuple[int, ...], Array] = {}
    for sentence in sentences:
        words = tuple(int(w) for w in sentence)
        for p in range(len(words)):
            prefix = words[: p + 1]
            row = counts.get(prefix)
            if row is None:
                row = counts[prefix] = np.zeros(width + 1, dtype=np.int64)
            row[words[p + 1] if p + 1 < len(words) else end] += 1
    return counts


def likelihood_vectors(
    sentences: Sequence[Sentence],
    width: int,
    reference: Sequence[Sentence] | None = None,
) -> Likelihoods:
    """The likelihood vector of every token of ``sentences`` (in order), from ``reference``.

    ``sentences`` and ``reference`` are lists of sentences, each a sequence of word units in
    [0, width). Without ``reference`` the sentences are their own reference (Elman: testing on
    the training corpus).
    """
    reference = sentences if reference is None else reference
    first = first_word_distribution(reference, width)
    counts = continuation_counts(reference, width)
    cache: dict[tuple[int, ...], Array] = {}
    n_tokens = sum(len(s) for s in sentences)
    vectors = np.full((n_tokens, width), np.nan)
    support = np.zeros(n_tokens, dtype=np.int64)
    t = 0
    for sentence in sentences:
        words = tuple(int(w) for w in sentence)
        for p in range(len(words)):
            prefix = words[: p + 1]
            row = counts.get(prefix)
            if row is not None:
                if prefix not in cache:
                    total = row.sum()
                    cache[prefix] = row[:width] / total + (row[width] / total) * first
                vectors[t] = cache[prefix]
                support[t] = row.sum()
            t += 1
    return Likelihoods(vectors, support, first)
