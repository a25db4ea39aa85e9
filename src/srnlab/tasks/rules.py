"""Marcus, Vijayan, Bandi Rao & Vishton (1999), "Rule learning by seven-month-old infants".

Infants heard about two minutes of three-syllable "sentences" that all followed one pattern
(ABA, ABB or AAB), then test sentences made of syllables they had never heard, some consistent
with the familiar pattern and some not; they looked longer at the inconsistent ones. Marcus
argued that a simple recurrent network trained to predict the next syllable cannot do this.

This module builds the stimuli and the two ways of coding a syllable:

* the three experiments' syllable sets and test sentences (``EXPERIMENTS``) [P];
* familiarisation streams: the 16 sentences (4 A x 4 B syllables) in ``repetitions`` blocks,
  each block in a fresh random order [R: the paper says each sentence was heard three times],
  with ``gap`` pause items between sentences (the silence between them);
* test trials: one test sentence each, built from novel syllables; the consistent and the
  inconsistent sentences of an experiment use exactly the same syllables (the pair (A, B) gives
  both A B A and A B B), so only the pattern differs;
* a **localist** code (one unit per syllable: a novel test syllable is a unit that was never
  active in training) and a **distributed** code (a syllable is its consonant's phonetic
  features followed by its vowel's; one unit per feature value, ``FEATURE_VALUES``);
* an **analog** code (one unit per feature, its values spread along a scale, in the spirit of
  Negishi's reply): a new value is a new point on a trained unit, never an untrained unit;
* for the feature codes, test syllables **outside** the feature space of training (the
  papers' own test syllables: each needs at least one feature value, hence one input unit, that
  no training syllable had) or **inside** it (novel syllables whose every feature value was
  heard in training; ``inside_pairs``, our construction [R]). This is Marcus's central point:
  a unit that is never active in training never changes its outgoing weights, so nothing
  learned can transfer to it.

Phonetic features are a textbook classification [R: the papers list the syllables, not
features]: "j" is read as in English "jeep" (a voiced post-alveolar affricate, filed under
palatal), "w" as a labial approximant, "f" as labial (labiodental).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import product

import numpy as np

from srnlab.errors import UserError

Array = np.ndarray

PAUSE = "#"  # the silence between sentences: an item of its own, with its own unit

# ---- the phonetic features -----------------------------------------------------------------

#: Every feature and its values. A syllable's code has one unit per value, on for its value.
CONSONANT_FEATURES: dict[str, tuple[str, ...]] = {
    "voicing": ("voiced", "voiceless"),
    "place": ("labial", "alveolar", "palatal", "velar"),
    "manner": ("stop", "nasal", "fricative", "affricate", "approximant"),
}
VOWEL_FEATURES: dict[str, tuple[str, ...]] = {
    "height": ("high", "mid", "low"),
    "backness": ("front", "back"),
    "rounding": ("unrounded", "rounded"),
}

#: (voicing, place, manner) of every consonant the three experiments use.
CONSONANTS: dict[str, tuple[str, str, str]] = {
    "b": ("voiced", "labial", "stop"),
    "p": ("voiceless", "labial", "stop"),
    "d": ("voiced", "alveolar", "stop"),
    "t": ("voiceless", "alveolar", "stop"),
    "g": ("voiced", "velar", "stop"),
    "k": ("voiceless", "velar", "stop"),
    "f": ("voiceless", "labial", "fricative"),
    "n": ("voiced", "alveolar", "nasal"),
    "l": ("voiced", "alveolar", "approximant"),
    "w": ("voiced", "labial", "approximant"),
    "j": ("voiced", "palatal", "affricate"),
}
#: (height, backness, rounding) of every vowel.
VOWELS: dict[str, tuple[str, str, str]] = {
    "i": ("high", "front", "unrounded"),
    "e": ("mid", "front", "unrounded"),
    "a": ("low", "back", "unrounded"),
    "o": ("mid", "back", "rounded"),
}

#: The distributed code's units, in order: "feature=value" for the consonant, then the vowel,
#: then the pause unit.
FEATURE_VALUES: tuple[str, ...] = (
    *(f"C {feature}={value}" for feature, values in CONSONANT_FEATURES.items() for value in values),
    *(f"V {feature}={value}" for feature, values in VOWEL_FEATURES.items() for value in values),
    PAUSE,
)

#: Every consonant-vowel syllable the feature tables can build (44): the pre-training pool.
ALL_SYLLABLES: tuple[str, ...] = tuple(c + v for c, v in product(CONSONANTS, VOWELS))

# ---- the experiments -----------------------------------------------------------------------

PATTERNS = ("ABA", "ABB", "AAB")


@dataclass(frozen=True)
class Experiment:
    """One of Marcus et al.'s three experiments.

    ``grammars`` are the two familiarisation conditions (half the infants heard each);
    ``test_pairs`` the papers' (A, B) test syllables; each pair gives one test sentence per
    grammar, so every test syllable appears in consistent and inconsistent sentences alike.
    ``inside_pairs`` are our novel syllables inside the training feature space [R].
    """

    number: int
    grammars: tuple[str, str]
    a_syllables: tuple[str, ...]
    b_syllables: tuple[str, ...]
    test_pairs: tuple[tuple[str, str], ...]
    inside_pairs: tuple[tuple[str, str], ...]
    about: str

    @property
    def training_syllables(self) -> tuple[str, ...]:
        return self.a_syllables + self.b_syllables

    def test_syllables(self, feature_space: str) -> tuple[str, ...]:
        pairs = self.pairs(feature_space)
        return tuple(dict.fromkeys(s for pair in pairs for s in pair))

    def pairs(self, feature_space: str) -> tuple[tuple[str, str], ...]:
        if feature_space == "outside":
            return self.test_pairs
        if feature_space == "inside":
            return self.inside_pairs
        raise UserError(f"feature_space must be inside or outside, got {feature_space!r}")

    @property
    def syllables(self) -> tuple[str, ...]:
        """Every syllable the experiment uses, training first: the localist code's units."""
        tests = (s for pairs in (self.test_pairs, self.inside_pairs) for p in pairs for s in p)
        return tuple(dict.fromkeys((*self.training_syllables, *tests)))


# Marcus et al. (1999) [P]. Experiment 2 changed the syllables to control for phonetic
# features; experiment 3 reuses them (written once, below) with AAB vs ABB.
# Inside pairs [R]: every novel syllable whose consonant and vowel feature values all occur in
# the experiment's training syllables (checked in tests), paired both ways round.
_EXPERIMENT_2 = Experiment(
    2,
    ("ABA", "ABB"),
    ("le", "wi", "ji", "de"),
    ("di", "je", "li", "we"),
    (("ba", "po"), ("ko", "ga")),
    (("be", "bi"), ("bi", "be")),
    "ABA vs ABB, phonetic features controlled",
)
EXPERIMENTS: dict[int, Experiment] = {
    1: Experiment(
        1,
        ("ABA", "ABB"),
        ("ga", "li", "ni", "ta"),
        ("ti", "na", "gi", "la"),
        (("wo", "fe"), ("de", "ko")),
        (("da", "ki"), ("ka", "di")),
        "ABA vs ABB",
    ),
    2: _EXPERIMENT_2,
    3: replace(_EXPERIMENT_2, number=3, grammars=("AAB", "ABB"), about="AAB vs ABB"),
}


def experiment(number: int) -> Experiment:
    try:
        return EXPERIMENTS[number]
    except KeyError:
        raise UserError(f"experiment must be one of 1, 2, 3; got {number!r}") from None


def sentence(pattern: str, a: str, b: str) -> tuple[str, str, str]:
    """The three syllables of ``pattern`` ("ABA", "ABB" or "AAB") with A = a and B = b."""
    if pattern not in PATTERNS:
        raise UserError(f"pattern must be one of {', '.join(PATTERNS)}, got {pattern!r}")
    chosen = {"A": a, "B": b}
    first, second, third = (chosen[slot] for slot in pattern)
    return first, second, third


def familiarisation_sentences(
    exp: Experiment, grammar: str, repetitions: int, rng: np.random.Generator
) -> list[tuple[str, str, str]]:
    """All 16 sentences of ``grammar``, ``repetitions`` times, each block in a new order."""
    if grammar not in exp.grammars:
        raise UserError(f"experiment {exp.number} uses {' and '.join(exp.grammars)}, not {grammar}")
    if repetitions < 1:
        raise UserError(f"repetitions must be >= 1, got {repetitions}")
    block = [sentence(grammar, a, b) for a in exp.a_syllables for b in exp.b_syllables]
    sentences: list[tuple[str, str, str]] = []
    for _ in range(repetitions):
        sentences.extend(block[i] for i in rng.permutation(len(block)))
    return sentences


@dataclass(frozen=True)
class TestSentence:
    syllables: tuple[str, str, str]
    pattern: str  # the grammar it follows
    pair: int  # which test pair it was built from


def test_sentences(exp: Experiment, feature_space: str) -> list[TestSentence]:
    """One sentence per test pair and grammar: consistent for one group, inconsistent for the
    other, always made of the same syllables."""
    return [
        TestSentence(sentence(grammar, a, b), grammar, k)
        for k, (a, b) in enumerate(exp.pairs(feature_space))
        for grammar in exp.grammars
    ]


def sentence_items(sentences: Sequence[Sequence[str]], gap: int) -> list[str]:
    """The item stream: every sentence preceded by ``gap`` pauses."""
    if gap < 0:
        raise UserError(f"gap must be >= 0, got {gap}")
    items: list[str] = []
    for syllables in sentences:
        items.extend([PAUSE] * gap)
        items.extend(syllables)
    return items


def positions_in_sentence(items: Sequence[str]) -> Array:
    """0 for a pause, else 1, 2, 3 by the syllable's place in its sentence.

    Syllables are counted from the last pause; with no pauses (gap 0) every third syllable
    starts a new sentence.
    """
    positions = np.zeros(len(items), dtype=int)
    count = 0
    for t, item in enumerate(items):
        count = 0 if item == PAUSE else count % 3 + 1
        positions[t] = count
    return positions


# ---- the pre-training stream (same/different, in the spirit of Seidenberg & Elman) ---------


def pretraining_items(
    pool: Sequence[str], n_items: int, repeat: float, rng: np.random.Generator
) -> list[str]:
    """A random syllable stream in which repeats are common: each item is, with probability
    ``repeat / 2`` each, a copy of the previous item or of the one before it, otherwise a
    syllable drawn uniformly from ``pool``."""
    if not pool:
        raise UserError("the pre-training pool is empty")
    if n_items < 1:
        raise UserError(f"the pre-training stream needs at least one item, got {n_items}")
    if not 0.0 <= repeat <= 1.0:
        raise UserError(f"pretrain_repeat must be in [0, 1], got {repeat}")
    items: list[str] = []
    for _ in range(n_items):
        u = rng.random()
        if u < repeat / 2 and len(items) >= 1:
            items.append(items[-1])
        elif u < repeat and len(items) >= 2:
            items.append(items[-2])
        else:
            items.append(pool[int(rng.integers(len(pool)))])
    return items


#: The two same/different units: does the current item repeat the previous one / the one
#: before that? (A pause is never "the same": it is silence, not a syllable.)
RELATIONS = ("same as previous", "same as two back")


def relation_targets(items: Sequence[str]) -> Array:
    """(T, 2): for each item, 1 where it repeats the item one back / two back, else 0."""
    stream = np.asarray(items, dtype=object)  # compared as Python strings, item by item
    targets = np.zeros((len(stream), len(RELATIONS)))
    syllable = stream != PAUSE
    for k in (1, 2):
        targets[k:, k - 1] = (stream[k:] == stream[:-k]) & syllable[k:]
    return targets


# ---- codes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Encoding:
    """How items become input/target vectors: ``units`` names every unit, in order."""

    name: str
    units: tuple[str, ...]

    @property
    def width(self) -> int:
        return len(self.units)

    def code(self, item: str) -> Array:
        vector = np.zeros(self.width)
        for unit, value in self.values(item).items():
            vector[self.units.index(unit)] = value
        return vector

    def values(self, item: str) -> dict[str, float]:
        """The units an item turns on, with their activations (all others are 0)."""
        if self.name == "analog":
            return analog_values(item)
        return dict.fromkeys(self.active_units(item), 1.0)

    def codes(self, items: Sequence[str]) -> Array:
        """(T, width): each distinct item's code (``code``, computed once per process), then
        rows picked by index."""
        distinct: dict[str, int] = {}
        rows = [distinct.setdefault(item, len(distinct)) for item in items]
        table = np.array([_code_row(self, item) for item in distinct]).reshape(-1, self.width)
        return table[rows]

    def active_units(self, item: str) -> tuple[str, ...]:
        if self.name == "localist":
            if item not in self.units:
                raise UserError(f"{item!r} has no unit in this localist code")
            return (item,)
        if self.name == "analog":
            return tuple(analog_values(item))
        return feature_units(item)


@functools.cache
def _code_row(code: Encoding, item: str) -> Array:
    """``code.code(item)``, kept: a study codes the same few dozen items hundreds of times."""
    row = code.code(item)
    row.flags.writeable = False
    return row


@functools.cache  # a study asks for the same few dozen syllables' units many times
def feature_units(item: str) -> tuple[str, ...]:
    """The distributed code's active units for a syllable (consonant, then vowel) or a pause."""
    if item == PAUSE:
        return (PAUSE,)
    if len(item) != 2 or item[0] not in CONSONANTS or item[1] not in VOWELS:
        raise UserError(
            f"{item!r} is not a consonant-vowel syllable of the feature tables "
            f"(consonants {''.join(CONSONANTS)}, vowels {''.join(VOWELS)})"
        )
    consonant = zip(CONSONANT_FEATURES, CONSONANTS[item[0]], strict=True)
    vowel = zip(VOWEL_FEATURES, VOWELS[item[1]], strict=True)
    return (
        *(f"C {feature}={value}" for feature, value in consonant),
        *(f"V {feature}={value}" for feature, value in vowel),
    )


#: The analog code (in the spirit of Negishi's reply): one unit per feature, its values in
#: order along the feature's scale (place front to back, manner by sonority, height low to
#: high) and spread evenly over [0.1, 0.9]. No value is coded 0, so every unit carries every
#: syllable: a value never heard in training is a new point on a trained dimension, never an
#: untrained unit [R].
ANALOG_SCALES: dict[str, tuple[str, ...]] = {
    "C voicing": ("voiceless", "voiced"),
    "C place": ("labial", "alveolar", "palatal", "velar"),
    "C manner": ("stop", "affricate", "fricative", "nasal", "approximant"),
    "V height": ("low", "mid", "high"),
    "V backness": ("front", "back"),
    "V rounding": ("unrounded", "rounded"),
}
ANALOG_UNITS: tuple[str, ...] = (*ANALOG_SCALES, PAUSE)


def analog_values(item: str) -> dict[str, float]:
    """The analog code's activations for a syllable (every feature unit) or a pause."""
    if item == PAUSE:
        return {PAUSE: 1.0}
    heard = set(feature_units(item))  # checks the syllable, gives its "C place=labial" values
    values = {}
    for unit, scale in ANALOG_SCALES.items():
        position = next(k for k, v in enumerate(scale) if f"{unit}={v}" in heard)
        values[unit] = round(0.1 + 0.8 * position / (len(scale) - 1), 12)  # 0.9, not 0.900..01
    return values


ENCODINGS = ("localist", "distributed", "analog")


def encoding(name: str, exp: Experiment) -> Encoding:
    """The localist code has one unit per syllable of the feature tables (the experiment's
    own first, so pre-training can use the others) and one for the pause; the distributed and
    analog codes are the same for every experiment (``FEATURE_VALUES``, ``ANALOG_UNITS``)."""
    if name == "localist":
        return Encoding("localist", (*dict.fromkeys((*exp.syllables, *ALL_SYLLABLES)), PAUSE))
    if name == "distributed":
        return Encoding("distributed", FEATURE_VALUES)
    if name == "analog":
        return Encoding("analog", ANALOG_UNITS)
    raise UserError(f"encoding must be one of {', '.join(ENCODINGS)}, got {name!r}")


def units_never_active(code: Encoding, heard: Sequence[str]) -> tuple[str, ...]:
    """The units of ``code`` that no item in ``heard`` turns on."""
    active = {u for item in set(heard) for u in code.active_units(item)}
    return tuple(u for u in code.units if u not in active)
