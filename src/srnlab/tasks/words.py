"""Elman (1990) section "Discovering the notion 'word'": a letter stream made of sentences.

The paper [P]: a 15-word lexicon; 200 sentences of 4 to 9 words (1,270 words, 4,963 letters)
concatenated with no word or sentence boundaries; every letter coded by 5 bits. Its Figure 6
shows the stream "many years ago a boy and girl lived by the sea they played happily": 14 of
the 15 words. The paper publishes neither the 15th word nor the grammar.

Our reconstruction [R]
----------------------
*The 15th word* is ``swam``: a third intransitive past-tense verb beside ``lived`` and
``played``, fitting the story's seaside setting, so the verb slot is a real choice (with two
verbs it would be nearly a coin). It adds one letter (w) the other words lack, and at 4 letters
it keeps the mean word length near the paper's 4,963 / 1,270 = 3.91 letters.

*The grammar* (``GRAMMAR``): every sentence is ::

    [FRONT] SUBJECT VERB [TAIL]

    FRONT    -> (nothing) .4 | many years ago .4 | by the sea .2
    SUBJECT  -> they .3 | DET NOUN .6 | DET NOUN and NOUN .1
    VERB     -> lived | played | swam                       (equally likely)
    TAIL     -> (nothing) .1 | happily .6 | by the sea .2 | happily by the sea .1
    DET      -> a | the;   NOUN -> boy | girl               (equally likely)

and a drawn sentence is redrawn if it has fewer than 4 or more than 9 words (the paper's
range) or names "the sea" twice. The figure's passage is two such sentences: "many years ago
a boy and girl lived" and "by the sea they played happily". The weights are not the paper's:
they were chosen (on a 0.1 grid) so that the expected sentence length, 6.35 words, and word
length, 3.91 letters, match the paper's totals: 200 sentences give 1,271 words and 4,968
letters in expectation, computed from the grammar (the paper: 1,270 and 4,963). Measured over
seeds 0-99, the recipe's training stream (``generators(seed)["data"]``) has 1,274 +- 24 words
and 4,979 +- 79 letters (mean +- SD); seed 0's has 1,248 and 4,904.

*The code* [P table]: each letter is the 5-bit binary of its place in the alphabet, most
significant bit first (a = 00001, b = 00010, ..., z = 11010); the paper calls the codes
random, but its table is exactly this.

Labels
------
A ``WordStream`` is a ``TaskStream`` (inputs = the letters' codes, targets = the next letter's
code; the stream wraps around, as Elman's does) with every step labelled by its *target*
letter, since errors are split by what was to be predicted: ``starts[t]`` (the target begins
a word: the true word boundaries), ``positions[t]`` (the target's place in its word, 0 =
first letter), ``target_words[t]`` (the word the target belongs to), ``word_lengths[t]`` and
``sentence_starts[t]`` (the target begins a sentence).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from srnlab.errors import UserError
from srnlab.tasks.streams import TaskStream

Array = np.ndarray

#: The paper's Figure 6 passage [P]: 14 of the lexicon's 15 words, in the paper's order.
PAPER_PASSAGE = "many years ago a boy and girl lived by the sea they played happily"
#: The 15th word, our reconstruction [R] (see the module docstring for why).
EXTRA_WORD = "swam"
#: The lexicon: the passage's 14 words in order of appearance, then ``EXTRA_WORD``.
LEXICON: tuple[str, ...] = (*dict.fromkeys(PAPER_PASSAGE.split()), EXTRA_WORD)

#: Sentence lengths in words [P].
MIN_WORDS, MAX_WORDS = 4, 9
N_BITS = 5

Choice = tuple[tuple[str, ...], float]  # a word sequence (in slot notation) and its weight

#: The reconstructed grammar [R]: slot -> weighted expansions. Upper-case names are slots
#: themselves; DET, NOUN and VERB expand to one of their words with equal chance.
GRAMMAR: dict[str, tuple[Choice, ...]] = {
    "FRONT": (((), 0.4), (("many", "years", "ago"), 0.4), (("by", "the", "sea"), 0.2)),
    "SUBJECT": (
        (("they",), 0.3),
        (("DET", "NOUN"), 0.6),
        (("DET", "NOUN", "and", "NOUN"), 0.1),
    ),
    "TAIL": (
        ((), 0.1),
        (("happily",), 0.6),
        (("by", "the", "sea"), 0.2),
        (("happily", "by", "the", "sea"), 0.1),
    ),
    "DET": ((("a",), 0.5), (("the",), 0.5)),
    "NOUN": ((("boy",), 0.5), (("girl",), 0.5)),
    "VERB": ((("lived",), 1 / 3), (("played",), 1 / 3), (("swam",), 1 / 3)),
}
SENTENCE = ("FRONT", "SUBJECT", "VERB", "TAIL")


def letter_code(letter: str) -> tuple[int, ...]:
    """The 5-bit code of a lower-case letter: its place in the alphabet in binary, most
    significant bit first (Elman 1990's table): a -> (0, 0, 0, 0, 1), z -> (1, 1, 0, 1, 0)."""
    if len(letter) != 1 or not "a" <= letter <= "z":
        raise UserError(f"only the letters a-z have codes, got {letter!r}")
    place = ord(letter) - ord("a") + 1
    return tuple((place >> (N_BITS - 1 - bit)) & 1 for bit in range(N_BITS))


#: (26, N_BITS): the code of every letter, a to z.
ALPHABET_CODES = np.array([letter_code(chr(ord("a") + k)) for k in range(26)], dtype=float)
ALPHABET_CODES.flags.writeable = False


def encode(letters: str) -> Array:
    """The codes of a string of letters, one row of 5 bits per letter."""
    for letter in set(letters):
        letter_code(letter)  # a UserError unless a-z
    return ALPHABET_CODES[[ord(ch) - ord("a") for ch in letters]].reshape(-1, N_BITS)


def _expand(symbol: str, rng: np.random.Generator) -> list[str]:
    if symbol not in GRAMMAR:
        return [symbol]  # a word
    choices = GRAMMAR[symbol]
    weights = np.array([w for _, w in choices])
    picked = choices[int(rng.choice(len(choices), p=weights / weights.sum()))][0]
    return [word for part in picked for word in _expand(part, rng)]


def acceptable(sentence: Sequence[str]) -> bool:
    """A sentence is kept if it has 4 to 9 words and names the sea at most once."""
    return MIN_WORDS <= len(sentence) <= MAX_WORDS and list(sentence).count("sea") <= 1


def sentence(rng: np.random.Generator) -> tuple[str, ...]:
    """One sentence from the grammar; unacceptable draws are redrawn (module docstring)."""
    while True:
        words = [word for slot in SENTENCE for word in _expand(slot, rng)]
        if acceptable(words):
            return tuple(words)


def sentences(n_sentences: int, rng: np.random.Generator) -> tuple[tuple[str, ...], ...]:
    """``n_sentences`` sentences drawn independently from the grammar."""
    if isinstance(n_sentences, bool) or n_sentences < 1:
        raise UserError(f"the word stream needs at least one sentence, got {n_sentences}")
    return tuple(sentence(rng) for _ in range(n_sentences))


@dataclass(frozen=True)
class WordStream(TaskStream):
    """A letter stream with every step labelled by its *target* letter (module docstring)."""

    starts: Array  # (T,) bool: the target letter begins a word (the true boundaries)
    target_words: tuple[str, ...]  # (T,) the word the target letter belongs to
    word_lengths: Array  # (T,) int: that word's length in letters
    sentence_starts: Array  # (T,) bool: the target letter begins a sentence
    sentences: tuple[tuple[str, ...], ...]  # the sentences, in order

    @property
    def n_words(self) -> int:
        return sum(len(s) for s in self.sentences)

    @property
    def ends(self) -> Array:
        """(T,) bool: the target letter is the last of its word."""
        return np.asarray(self.positions) == np.asarray(self.word_lengths) - 1


def word_stream_from_sentences(sents: Sequence[Sequence[str]]) -> WordStream:
    """The boundary-free letter stream of the given sentences, coded and labelled."""
    words = [word for s in sents for word in s]
    if not words:
        raise UserError("the word stream needs at least one word")
    letters: list[str] = []
    position: list[int] = []
    word_of: list[str] = []
    sentence_start: list[bool] = []
    for s in sents:
        for k, word in enumerate(s):
            for i, ch in enumerate(word):
                letters.append(ch)
                position.append(i)
                word_of.append(word)
                sentence_start.append(k == 0 and i == 0)
    codes = encode("".join(letters))

    def target(values: Sequence) -> Array:  # label of step t = label of letter t + 1 (wraps)
        return np.roll(np.asarray(values), -1)

    positions = target(position)
    return WordStream(
        inputs=codes,
        targets=np.roll(codes, -1, axis=0),
        items=tuple(letters),
        positions=positions,
        starts=positions == 0,
        target_words=tuple(str(w) for w in target(word_of)),
        word_lengths=target([len(w) for w in word_of]),
        sentence_starts=target(sentence_start),
        sentences=tuple(tuple(s) for s in sents),
    )


def word_stream(n_sentences: int, rng: np.random.Generator) -> WordStream:
    """``n_sentences`` sentences from the grammar as one continuous letter stream."""
    return word_stream_from_sentences(sentences(n_sentences, rng))


def passage_stream() -> WordStream:
    """The paper's Figure 6 passage as a stream (its two sentences, as the grammar parses it)."""
    words = PAPER_PASSAGE.split()
    return word_stream_from_sentences([words[:8], words[8:]])


# ---- the ideal predictor ---------------------------------------------------------------------


def sentence_distribution() -> dict[tuple[str, ...], float]:
    """Every sentence the grammar can produce, with its probability (after the redraws).

    The language is finite (a few hundred sentences), so it is listed outright: every
    expansion of ``SENTENCE`` with the product of its weights, the unacceptable ones dropped
    and the rest renormalised, which is exactly what redrawing them does.
    """

    def expansions(symbols: Sequence[str]) -> list[tuple[tuple[str, ...], float]]:
        if not symbols:
            return [((), 1.0)]
        head, rest = symbols[0], expansions(symbols[1:])
        if head not in GRAMMAR:
            return [((head, *words), p) for words, p in rest]
        total = sum(w for _, w in GRAMMAR[head])
        return [
            (words + tail, (w / total) * p * q)
            for choice, w in GRAMMAR[head]
            for words, p in expansions(choice)
            for tail, q in rest
        ]

    kept: dict[tuple[str, ...], float] = {}
    for words, p in expansions(SENTENCE):
        if acceptable(words):
            kept[words] = kept.get(words, 0.0) + p
    total = sum(kept.values())
    return {words: p / total for words, p in kept.items()}


@dataclass(frozen=True)
class _FilterTables:
    """The ideal predictor's fixed tables: the states ("which sentence, which letter of it")
    of the whole language, laid end to end, and per letter the few states that reading it
    can touch. Built once: the grammar is fixed."""

    n_states: int
    ends: Array  # (sentences,) the state of every sentence's last letter, ascending
    first_letter_probs: Array  # (26,) P(a sentence starts with letter k)
    codes: Array  # (26, N_BITS) every letter's code
    leaving: tuple[Array, ...]  # per letter: the states whose next letter it is
    arriving: tuple[Array, ...]  # per letter: the states one on from those
    beginning: tuple[Array, ...]  # per letter: the first states of sentences starting with it
    beginning_probs: tuple[Array, ...]  # per letter: those sentences' probabilities
    # per letter: every state the filter can be in after reading it (the states after
    # ``leaving`` and the ``beginning`` states), ascending, less sentences' last letters;
    # and the letter that follows each
    reachable: tuple[Array, ...]
    reachable_following: tuple[Array, ...]
    # per letter: every state the filter can be in after reading it, ascending (the only
    # states where the belief is not 0)
    reached: tuple[Array, ...]


@functools.cache
def _filter_tables() -> _FilterTables:
    language = sentence_distribution()
    strings = ["".join(words) for words in language]
    probs = np.array(list(language.values()))
    letter_index = np.array([ord(ch) - ord("a") for s in strings for ch in s])
    lengths = np.array([len(s) for s in strings])
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    ends = starts + lengths - 1
    is_end = np.zeros(letter_index.size, dtype=bool)
    is_end[ends] = True
    # the letter that follows each state inside its sentence (-1 after a sentence's last)
    following = np.where(is_end, -1, np.roll(letter_index, -1))
    first_letters = letter_index[starts]
    leaving = tuple(np.flatnonzero(following == k) for k in range(26))
    beginning = tuple(starts[first_letters == k] for k in range(26))
    reached = [np.union1d(leaving[k] + 1, beginning[k]) for k in range(26)]
    reachable = tuple(states[~is_end[states]] for states in reached)
    return _FilterTables(
        n_states=letter_index.size,
        ends=ends,
        first_letter_probs=np.bincount(first_letters, weights=probs, minlength=26),
        codes=ALPHABET_CODES,
        leaving=leaving,
        arriving=tuple(states + 1 for states in leaving),
        beginning=beginning,
        beginning_probs=tuple(probs[first_letters == k] for k in range(26)),
        reachable=reachable,
        reachable_following=tuple(following[states] for states in reachable),
        reached=tuple(reached),
    )


def ideal_predictions(stream: TaskStream) -> Array:
    """The best possible prediction at every step: the expected code of the next letter given
    *every* letter so far, under the grammar (the minimum of the expected squared error).

    The stream is i.i.d. sentences from a finite language, starting at a sentence start, so
    the exact posterior over "which sentence, which letter of it" is tracked letter by letter
    (a forward filter over the letters of every sentence; ``sentence_distribution``). Within a
    sentence the next letter follows from that state; after a sentence's last letter a new
    sentence starts with its probability. Used as the reference the network approaches, and
    its error peaks as the ceiling of error-based segmentation. Assumes the stream's sentences
    come from ``GRAMMAR`` (a letter it cannot produce raises ``UserError``).

    Each step touches only the states the letter can lead to (``_FilterTables``), and sums in
    the order a filter over every state would: the belief is summed over the whole state
    vector, and the next-letter weights are ``np.bincount``'s running sums in state order, to
    which the states left out (belief exactly 0) would add exact zeros. Between steps the
    belief is kept only where it can be nonzero, and a step made before is not made again
    (``_filter_step``).
    """
    observed = [ord(ch) - ord("a") for ch in stream.items]
    predictions = np.empty((len(observed), N_BITS))
    # the belief where it can be nonzero (the states ``reached`` after the last letter), then
    # a 0 for every other state; before the first letter it is 0 everywhere
    belief, last = np.zeros(1), None
    end_mass = 1.0  # before the first letter the stream is at a sentence boundary
    for t, letter in enumerate(observed):
        leaving = belief[_leaving_positions(last, letter)]  # belief[tables.leaving[letter]]
        step = _filter_step(letter, leaving.tobytes(), end_mass)
        if step is None:
            raise UserError(f"letter {t} ({stream.items[t]!r}) cannot follow under the grammar")
        belief, end_mass, predictions[t] = step
        last = letter
    return predictions


@functools.cache
def _leaving_positions(last: int | None, letter: int) -> Array:
    """Where ``ideal_predictions``'s belief after ``last`` holds the states that ``letter``
    leaves: their places among the states ``reached`` after ``last``, or, for a state outside
    them (where the belief is 0), the place of the 0 after them."""
    tables = _filter_tables()
    leaving = tables.leaving[letter]
    if last is None:  # before the first letter: nothing reached, all 0
        return np.zeros(len(leaving), dtype=np.intp)
    reached = tables.reached[last]
    at = np.searchsorted(reached, leaving)
    found = reached[np.minimum(at, len(reached) - 1)] == leaving
    return np.where(found, at, len(reached))


@functools.lru_cache(maxsize=4096)  # a step's arguments and result: 10 kB on average
def _filter_step(letter: int, leaving: bytes, end_mass: float) -> tuple[Array, float, Array] | None:
    """One step of the forward filter: condition the belief on ``letter``, then predict the
    next letter. ``leaving`` (the belief on the states whose next letter it is, as bytes) and
    ``end_mass`` are all a step depends on, so the same arguments give the same numbers bit for
    bit; and streams keep coming back to the same steps: in a 200-sentence stream 60% of the
    steps repeat an earlier one, over ten streams 85%, so the cache keeps the latest 4,096
    (a stream's filter then takes 0.4x the time). Returns the new belief on the states
    ``reached`` after ``letter`` (then a 0), its mass at sentence ends and the prediction,
    all only read; None if ``letter`` cannot follow."""
    tables = _filter_tables()
    # condition on the letter: move every state whose next letter it is one step on
    moved = np.zeros(tables.n_states)
    moved[tables.arriving[letter]] = np.frombuffer(leaving)
    moved[tables.beginning[letter]] += end_mass * tables.beginning_probs[letter]
    total = moved.sum()
    if total <= 0:
        return None
    belief = moved / total
    # predict the next letter: within-sentence continuations, or a new sentence's first letter
    end_mass = float(belief[tables.ends].sum())
    reachable, following = tables.reachable[letter], tables.reachable_following[letter]
    next_probs = (
        np.bincount(following, weights=belief[reachable], minlength=26)
        + end_mass * tables.first_letter_probs
    )
    reached = np.append(belief[tables.reached[letter]], 0.0)
    prediction = next_probs @ tables.codes
    reached.flags.writeable = prediction.flags.writeable = False  # shared by every repeat
    return reached, end_mass, prediction
