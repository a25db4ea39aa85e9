"""Elman (1990) section "Structure in letter sequences": the ba / dii / guuu stream.

1,000 consonants b, d, g are drawn at random and each is replaced by its syllable (b -> ba,
d -> dii, g -> guuu), giving about 3,000 letters. Every letter is a 6-bit phonetic feature
vector. The consonants are unpredictable; the vowels, and how many of them come, follow from
the consonant.
"""

from __future__ import annotations

import numpy as np

from srnlab.errors import UserError
from srnlab.tasks.streams import TaskStream, next_item_stream

FEATURES = ("Consonant", "Vowel", "Interrupted", "High", "Back", "Voiced")

# Elman (1990), Table 1 [P]: bit order Consonant, Vowel, Interrupted, High, Back, Voiced.
LETTER_FEATURES: dict[str, tuple[int, ...]] = {
    "b": (1, 0, 1, 0, 0, 1),
    "d": (1, 0, 1, 1, 0, 1),
    "g": (1, 0, 1, 0, 1, 1),
    "a": (0, 1, 0, 0, 1, 1),
    "i": (0, 1, 0, 1, 0, 1),
    "u": (0, 1, 0, 1, 1, 1),
}

SYLLABLES = {"b": "ba", "d": "dii", "g": "guuu"}
CONSONANTS = tuple(SYLLABLES)


def letter_sequence(n_consonants: int, rng: np.random.Generator) -> str:
    """The letters of ``n_consonants`` random syllables, e.g. 'diibaguuubadii...'."""
    if n_consonants < 1:
        raise UserError(f"the letter stream needs at least one consonant, got {n_consonants}")
    consonants = rng.choice(len(CONSONANTS), size=n_consonants)
    return "".join(SYLLABLES[CONSONANTS[c]] for c in consonants)


def letter_stream(n_consonants: int, rng: np.random.Generator) -> TaskStream:
    """Inputs and targets are feature vectors; ``positions[t]`` is the position of the *target*
    letter in its syllable (0 = the consonant, 1.. = the vowels), so errors can be grouped by
    what was to be predicted."""
    letters = letter_sequence(n_consonants, rng)
    codes = np.array([LETTER_FEATURES[ch] for ch in letters], dtype=float)
    position_in_syllable = _positions_in_syllable(letters)
    target_positions = np.roll(position_in_syllable, -1)
    return next_item_stream(codes, list(letters), target_positions)


def _positions_in_syllable(letters: str) -> np.ndarray:
    positions = np.empty(len(letters), dtype=int)
    count = 0
    for t, ch in enumerate(letters):
        count = 0 if ch in SYLLABLES else count + 1
        positions[t] = count
    return positions


def ideal_predictions(stream: TaskStream) -> np.ndarray:
    """The best possible prediction at every step (the expected next feature vector).

    A vowel, and whether another vowel follows, is determined by the consonant that began the
    syllable; the next consonant is b, d or g with equal chance, so the best guess there is the
    mean of their three feature vectors (Consonant, Interrupted and Voiced bits certain, High
    and Back at 1/3).
    """
    consonant_mean = np.mean([LETTER_FEATURES[c] for c in CONSONANTS], axis=0)
    consonant_next = stream.positions == 0
    return np.where(consonant_next[:, None], consonant_mean, stream.targets)
