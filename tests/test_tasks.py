"""Stream generators: what the papers specify, and seeded determinism."""

from __future__ import annotations

import numpy as np
import pytest

from srnlab.errors import UserError
from srnlab.tasks.letters import LETTER_FEATURES, letter_sequence, letter_stream
from srnlab.tasks.temporal_xor import temporal_xor_bits, temporal_xor_stream
from srnlab.tasks.xor import xor_patterns


def test_xor_table_is_the_lectures():
    inputs, targets = xor_patterns()
    assert [(*x, *y) for x, y in zip(inputs.tolist(), targets.tolist(), strict=True)] == [
        (0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)
    ]  # fmt: skip


def test_temporal_xor_every_third_bit_is_the_xor_of_the_two_before():
    bits = temporal_xor_bits(1000, np.random.default_rng(0))
    assert bits.shape == (3000,)
    triples = bits.reshape(-1, 3)
    assert np.array_equal(triples[:, 2], triples[:, 0] ^ triples[:, 1])
    # The first two bits of a triple are fair coins: both values are common.
    assert 0.45 < triples[:, :2].mean() < 0.55


def test_temporal_xor_stream_targets_are_the_next_bit_wrapping_around():
    stream = temporal_xor_stream(50, np.random.default_rng(1))
    bits = stream.inputs[:, 0]
    assert np.array_equal(stream.targets[:-1, 0], bits[1:])
    assert stream.targets[-1, 0] == bits[0]
    xor_targets = stream.targets[stream.positions == 2, 0]
    xor_of_pairs = bits.reshape(-1, 3)[:, 0].astype(int) ^ bits.reshape(-1, 3)[:, 1].astype(int)
    assert np.array_equal(xor_targets, xor_of_pairs)


def test_letter_stream_follows_the_syllable_rules():
    letters = letter_sequence(1000, np.random.default_rng(2))
    # Rebuild the consonant sequence and check each is followed by its exact vowels.
    syllables = {"b": "ba", "d": "dii", "g": "guuu"}
    t, count = 0, 0
    while t < len(letters):
        syllable = syllables[letters[t]]
        assert letters[t : t + len(syllable)] == syllable
        t += len(syllable)
        count += 1
    assert count == 1000
    assert 2700 < len(letters) < 3300  # about 3,000 letters (mean syllable length 3)


def test_letter_codes_are_table_1_and_positions_label_targets():
    stream = letter_stream(30, np.random.default_rng(3))
    for item, code in zip(stream.items, stream.inputs, strict=True):
        assert tuple(code) == LETTER_FEATURES[item]
    consonant_targets = stream.positions == 0
    assert np.all(stream.targets[consonant_targets, 0] == 1)  # Consonant bit on
    assert np.all(stream.targets[~consonant_targets, 1] == 1)  # Vowel bit on


def test_generators_are_deterministic_per_seed():
    a = letter_sequence(100, np.random.default_rng(5))
    b = letter_sequence(100, np.random.default_rng(5))
    c = letter_sequence(100, np.random.default_rng(6))
    assert a == b and a != c


def test_empty_streams_are_refused():
    with pytest.raises(UserError):
        temporal_xor_bits(0, np.random.default_rng(0))
    with pytest.raises(UserError):
        letter_sequence(0, np.random.default_rng(0))


def test_ideal_predictors_are_the_conditional_expectations():
    from srnlab.tasks import letters, temporal_xor

    xor_stream = temporal_xor.temporal_xor_stream(400, np.random.default_rng(0))
    ideal = temporal_xor.ideal_predictions(xor_stream)
    # Averaged over many triples, the ideal prediction matches the mean target at each position.
    for position in (0, 1, 2):
        steps = xor_stream.positions == position
        assert abs(ideal[steps].mean() - xor_stream.targets[steps].mean()) < 0.06
    assert np.array_equal(
        ideal[xor_stream.positions == 2], xor_stream.targets[xor_stream.positions == 2]
    )

    letter_stream_ = letters.letter_stream(2000, np.random.default_rng(1))
    ideal = letters.ideal_predictions(letter_stream_)
    consonants = letter_stream_.positions == 0
    np.testing.assert_allclose(
        ideal[consonants].mean(axis=0), letter_stream_.targets[consonants].mean(axis=0), atol=0.03
    )
    assert ideal[consonants][0].tolist() == pytest.approx([1, 0, 1, 1 / 3, 1 / 3, 1])
