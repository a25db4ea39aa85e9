"""The `words` recipe (Elman 1990, "Discovering the notion 'word'"): the sentence generator and
its letter code, boundary scoring and its baselines on hand-made cases, the ideal predictor,
a smoke run with figures and a run-folder round trip, the CLI, and the paper's result at
paper scale (slow)."""

from __future__ import annotations

import dataclasses
import io
import json

import numpy as np
import pytest
from matplotlib.figure import Figure

from conftest import saved_and_loaded
from srnlab.analysis.segmentation import (
    bigram_predictions,
    chance_scores,
    dips,
    drops,
    peaks,
    random_boundaries,
    rises,
    score_boundaries,
    transition_table,
    transitional_probabilities,
)
from srnlab.catalogue import get_recipe
from srnlab.cli import main
from srnlab.config import apply_overrides, field_types
from srnlab.errors import UserError
from srnlab.presenters import words as presenter
from srnlab.recipes import words as recipe
from srnlab.results import load_run
from srnlab.tasks.words import (
    GRAMMAR,
    LEXICON,
    PAPER_PASSAGE,
    encode,
    ideal_predictions,
    letter_code,
    passage_stream,
    sentence_distribution,
    word_stream,
    word_stream_from_sentences,
)

SMOKE = recipe.Config(n_sentences=20, test_sentences=20, passes=2, figure_letters=30)


# ---- the generator ---------------------------------------------------------------------------


def test_the_code_is_the_letters_place_in_the_alphabet_in_binary():
    assert letter_code("a") == (0, 0, 0, 0, 1)
    assert letter_code("b") == (0, 0, 0, 1, 0)
    assert letter_code("m") == (0, 1, 1, 0, 1)  # 13
    assert letter_code("z") == (1, 1, 0, 1, 0)  # 26
    table = encode("abcdefghijklmnopqrstuvwxyz")
    assert table.shape == (26, 5)
    assert len({tuple(row) for row in table}) == 26  # every letter its own code
    with pytest.raises(UserError, match="a-z"):
        letter_code("A")


def test_the_lexicon_holds_the_papers_fourteen_words_and_one_more():
    assert len(LEXICON) == 15 == len(set(LEXICON))
    assert set(PAPER_PASSAGE.split()) < set(LEXICON)
    assert LEXICON[-1] == "swam"


def test_a_stream_has_the_papers_shape_and_every_label_lines_up():
    stream = word_stream(200, np.random.default_rng(7))
    assert len(stream.sentences) == 200
    assert all(4 <= len(s) <= 9 for s in stream.sentences)
    assert {w for s in stream.sentences for w in s} <= set(LEXICON)
    assert all(s.count("sea") <= 1 for s in stream.sentences)
    text = "".join(w for s in stream.sentences for w in s)
    assert "".join(stream.items) == text and len(stream) == len(text)
    # every word begins exactly once as a target (the first word via the wrap-around)
    assert int(stream.starts.sum()) == stream.n_words
    assert int(stream.sentence_starts.sum()) == 200
    # the labels belong to the *next* letter: step t's target is letter t + 1
    targets = np.roll(np.array(stream.items), -1)
    np.testing.assert_array_equal(stream.targets, encode("".join(targets)))
    np.testing.assert_array_equal(stream.inputs, encode(text))
    for t in range(len(stream)):
        word = stream.target_words[t]
        assert word[stream.positions[t]] == targets[t]
        assert stream.word_lengths[t] == len(word)
    assert stream.ends.sum() == stream.n_words  # one last letter per word
    # about the paper's 1,270 words and 4,963 letters (SD over seeds: 24 and 79)
    assert 1150 < stream.n_words < 1400 and 4500 < len(stream) < 5450


def test_the_grammars_expected_totals_match_the_paper():
    language = sentence_distribution()
    assert sum(language.values()) == pytest.approx(1.0)
    words = 200 * sum(len(s) * p for s, p in language.items())
    letters = 200 * sum(len("".join(s)) * p for s, p in language.items())
    assert words == pytest.approx(1270, abs=2)  # the paper: 1,270
    assert letters == pytest.approx(4963, abs=10)  # the paper: 4,963
    # the weights are the grammar's: TAIL happily 0.6 against by-the-sea 0.2
    p = language[("many", "years", "ago", "they", "swam", "happily")]
    assert p == pytest.approx(
        3 * language[("many", "years", "ago", "they", "swam", "by", "the", "sea")]
    )
    assert p == pytest.approx(language[("many", "years", "ago", "they", "lived", "happily")])
    assert ("they", "swam", "happily") not in language  # 3 words: redrawn
    assert GRAMMAR["VERB"][2][0] == ("swam",)


def test_the_papers_passage_is_two_sentences_of_the_grammar():
    language = sentence_distribution()
    words = tuple(PAPER_PASSAGE.split())
    assert words[:8] in language and words[8:] in language
    assert passage_stream().sentences == (words[:8], words[8:])
    assert "".join(passage_stream().items) == PAPER_PASSAGE.replace(" ", "")


def test_same_generator_seed_same_stream_other_seed_other_stream():
    a = word_stream(50, np.random.default_rng(3))
    b = word_stream(50, np.random.default_rng(3))
    c = word_stream(50, np.random.default_rng(4))
    assert a.sentences == b.sentences and np.array_equal(a.inputs, b.inputs)
    assert a.sentences != c.sentences
    with pytest.raises(UserError, match="at least one sentence"):
        word_stream(0, np.random.default_rng(0))


# ---- segmentation on hand-made boundaries ------------------------------------------------------


def test_scores_on_hand_made_boundaries():
    true = np.array([0, 1, 0, 0, 1, 1], dtype=bool)
    s = score_boundaries(np.array([0, 1, 1, 0, 1, 0], dtype=bool), true)
    assert (s["true_positives"], s["false_positives"], s["false_negatives"]) == (2, 1, 1)
    assert s["precision"] == pytest.approx(2 / 3)
    assert s["recall"] == pytest.approx(2 / 3)
    assert s["f1"] == pytest.approx(2 / 3)
    s = score_boundaries(np.array([1, 1, 1, 1, 0, 0], dtype=bool), np.array([1, 0, 0, 0, 0, 1]))
    assert (s["precision"], s["recall"]) == (0.25, 0.5)
    assert s["f1"] == pytest.approx(1 / 3)  # 2 * 0.25 * 0.5 / 0.75
    nothing = score_boundaries(np.zeros(6, dtype=bool), true)
    assert (nothing["precision"], nothing["recall"], nothing["f1"]) == (0.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="shape"):
        score_boundaries(np.zeros(5, dtype=bool), true)


def test_peaks_rises_dips_and_drops_on_hand_made_values():
    v = np.array([0.5, 1.0, 0.2, 0.2, 0.9, 0.9, 0.1, 0.3])
    assert np.flatnonzero(rises(v)).tolist() == [1, 4, 7]
    # a plateau (0.9, 0.9) counts once, at its start; the last step needs only its rise
    assert np.flatnonzero(peaks(v)).tolist() == [1, 4, 7]
    assert np.flatnonzero(peaks(v, threshold=0.5)).tolist() == [1, 4]
    assert np.flatnonzero(rises(v, min_rise=0.6)).tolist() == [4]
    assert np.flatnonzero(dips(v)).tolist() == [2, 6]
    assert np.flatnonzero(dips(v, threshold=0.15)).tolist() == [6]
    assert np.flatnonzero(drops(v)).tolist() == [2, 6]
    assert not peaks(np.array([2.0, 1.0]))[0]  # step 0 has nothing to rise from


def test_the_bigram_baseline_on_a_tiny_stream():
    letters = list("abcab")  # steps (wrapping): a->b, b->c, c->a, a->b, b->a
    following = letters[1:] + letters[:1]
    table = transition_table(letters, following)
    assert table == {"a": {"b": 1.0}, "b": {"a": 0.5, "c": 0.5}, "c": {"a": 1.0}}
    tps = transitional_probabilities(letters, following, table)
    np.testing.assert_allclose(tps, [1.0, 0.5, 1.0, 1.0, 0.5])
    # boundaries where the transition is least certain: after each b
    assert np.flatnonzero(dips(tps)).tolist() == [1, 4]
    # an unseen pair, or an unseen letter, has probability 0
    assert transitional_probabilities(["a", "z"], ["c", "a"], table).tolist() == [0.0, 0.0]
    codes = {"a": np.array([1.0, 0.0]), "b": np.array([0.0, 1.0]), "c": np.array([1.0, 1.0])}
    expected = bigram_predictions(["a", "b", "z"], table, codes)
    np.testing.assert_allclose(expected, [[0.0, 1.0], [1.0, 0.5], [0.0, 0.0]])


def test_chance_scores_are_exact_expectations():
    assert chance_scores(25, 100) == {"precision": 0.25, "recall": 0.25, "f1": 0.25}
    other = chance_scores(25, 100, n_marked=50)
    assert other["precision"] == 0.25 and other["recall"] == 0.5
    assert other["f1"] == pytest.approx(1 / 3)  # 2 * 50 * 25 / (100 * 75)
    # the analytic values are the mean over random draws
    rng = np.random.default_rng(0)
    true = np.zeros(100, dtype=bool)
    true[rng.choice(100, 25, replace=False)] = True
    draws = [score_boundaries(random_boundaries(25, 100, rng), true) for _ in range(4000)]
    for key in ("precision", "recall", "f1"):
        assert np.mean([d[key] for d in draws]) == pytest.approx(0.25, abs=0.005)


# ---- the ideal predictor -----------------------------------------------------------------------


def test_the_ideal_predictor_is_exact_where_the_grammar_decides():
    stream = word_stream(40, np.random.default_rng(1))
    ideal = ideal_predictions(stream)
    errors = np.sum((stream.targets - ideal) ** 2, axis=1)
    words = np.array(stream.target_words)
    inside = (stream.positions > 0) & np.isin(words, ["happily", "played", "years", "lived"])
    assert inside.any() and np.all(errors[inside] < 1e-20)
    # "years" always follows "many", "ago" always follows "years": their onsets too
    predictable = stream.starts & np.isin(words, ["years", "ago"])
    assert predictable.any() and np.all(errors[predictable] < 1e-20)
    # a sentence's first letter cannot be known: m, b, t or a, with the grammar's odds
    assert np.all(errors[stream.sentence_starts] > 0.1)
    assert np.all((ideal > -1e-12) & (ideal < 1 + 1e-12))  # a mean of 0/1 codes


def _filter_over_every_state(stream):
    """The ideal predictor written plainly: every step updates the belief over every state of
    the language (the letters of every sentence, laid end to end)."""
    language = sentence_distribution()
    strings = ["".join(words) for words in language]
    probs = np.array(list(language.values()))
    letters = np.array([ord(ch) - ord("a") for s in strings for ch in s])
    lengths = np.array([len(s) for s in strings])
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    is_end = np.zeros(letters.size, dtype=bool)
    is_end[starts + lengths - 1] = True
    following = np.where(is_end, -1, np.roll(letters, -1))
    first_letter_probs = np.bincount(letters[starts], weights=probs, minlength=26)
    codes = encode("abcdefghijklmnopqrstuvwxyz")
    belief, end_mass = np.zeros(letters.size), 1.0
    predictions = []
    for ch in stream.items:
        letter = ord(ch) - ord("a")
        moved = np.zeros_like(belief)
        inside = following == letter
        moved[np.flatnonzero(inside) + 1] = belief[inside]
        beginning = letters[starts] == letter
        moved[starts[beginning]] += end_mass * probs[beginning]
        belief = moved / moved.sum()
        end_mass = float(belief[is_end].sum())
        next_probs = (
            np.bincount(following[~is_end], weights=belief[~is_end], minlength=26)
            + end_mass * first_letter_probs
        )
        predictions.append(next_probs @ codes)
    return np.array(predictions)


def test_the_ideal_predictor_gives_the_plain_filters_numbers_to_the_last_bit():
    # it visits only the states a letter can reach, but sums as the plain filter does; and it
    # keeps the steps it has made, which later steps of a stream and other streams repeat
    streams = [passage_stream(), *(word_stream(30, np.random.default_rng(s)) for s in (7, 8))]
    for stream in streams:
        assert ideal_predictions(stream).tobytes() == _filter_over_every_state(stream).tobytes()


def test_the_ideal_predictor_rejects_a_stream_the_grammar_cannot_make():
    with pytest.raises(UserError, match="cannot follow"):
        ideal_predictions(word_stream_from_sentences([["they", "they", "swam", "happily"]]))


# ---- the recipe --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def smoke_result():
    return recipe.run(SMOKE)


def test_smoke_run_draws_every_figure_and_round_trips(smoke_result, tmp_path):
    result = smoke_result
    assert get_recipe("words").run is recipe.run
    assert result.history["pass"] == [1, 2]
    train = result.metrics["streams"]["train"]
    assert train["sentences"] == 20
    assert train["letters"] == len(result.arrays["train_letters"])
    assert train["word_boundaries"] == train["words"] == int(result.arrays["train_starts"].sum())
    assert result.metrics["passage"]["letters"] == 53

    loaded = saved_and_loaded(result, tmp_path, SMOKE)

    figures = presenter.figures(loaded)  # drawn from the saved folder alone
    assert set(figures) == {
        "error_per_letter",
        "error_on_paper_passage",
        "segmentation",
        "error_by_position",
        "learning_curve",
    }
    assert all(isinstance(f, Figure) and f.axes for f in figures.values())
    # the per-letter figure writes the 30 target letters under its axis, in stream order
    ticks = [t.get_text() for t in figures["error_per_letter"].axes[0].get_xticklabels()]
    assert ticks == list(np.roll(result.arrays["train_letters"], -1)[:30])
    ticks = [t.get_text() for t in figures["error_on_paper_passage"].axes[0].get_xticklabels()]
    assert "".join(ticks) == PAPER_PASSAGE.replace(" ", "")
    # one bar per segmenter in each of the three panels
    bars = figures["segmentation"].axes[0].patches
    assert len(bars) == len(recipe.SEGMENTERS)


def test_the_figures_error_is_the_metrics_error(smoke_result):
    """The per-letter errors the figures recompute from the saved outputs are the ones the
    metrics were measured on."""
    net, _ = presenter._stream_errors(smoke_result, "train", "squared")
    starts = smoke_result.arrays["train_starts"]
    m = smoke_result.metrics["streams"]["train"]["network"]["squared"]
    assert np.mean(net[starts]) == pytest.approx(m["word_initial"])
    assert np.mean(net[~starts]) == pytest.approx(m["other"])
    seg = smoke_result.metrics["streams"]["train"]["segmentation"]
    assert seg["network_peaks"]["f1"] == pytest.approx(score_boundaries(peaks(net), starts)["f1"])
    assert seg["chance"]["f1"] == pytest.approx(np.mean(starts))


def test_same_seed_same_numbers_and_the_streams_are_independent():
    a, b = recipe.run(SMOKE), recipe.run(SMOKE)
    assert json.dumps(a.metrics) == json.dumps(b.metrics)
    longer = recipe.run(dataclasses.replace(SMOKE, n_sentences=30))
    assert len(longer.arrays["train_letters"]) > len(a.arrays["train_letters"])
    assert np.array_equal(a.arrays["test_letters"], longer.arrays["test_letters"])
    assert np.array_equal(a.arrays["initial_W_ch"], longer.arrays["initial_W_ch"])
    other = recipe.run(dataclasses.replace(SMOKE, seed=1))
    assert not np.array_equal(a.arrays["train_letters"], other.arrays["train_letters"])


def test_measure_splits_by_the_target_on_a_hand_made_case():
    # four targets: 1st, 2nd and 3rd (last) letter of a word, then the one-letter word "a"
    targets = encode("boya")
    outputs = targets.copy()
    outputs[0, 0] += 0.5  # squared error 0.25 at the first onset
    outputs[2, :2] += 0.2  # 0.08 at the word-final y
    outputs[3, 4] -= 1.0  # 1.0 at "a", an onset (not counted as word-final)
    m = recipe.measure(targets, outputs, np.array([0, 1, 2, 0]), np.array([0, 0, 1, 1], bool))
    s = m["squared"]
    assert s["word_initial"] == pytest.approx(0.625)
    assert s["other"] == pytest.approx(0.04)
    assert s["word_final"] == pytest.approx(0.08)
    assert s["all"] == pytest.approx((0.25 + 0.08 + 1.0) / 4)
    assert s["by_position"][:3] == pytest.approx([0.625, 0.0, 0.08])
    assert s["by_position"][3:] == [None] * 4
    assert m["euclidean"]["word_initial"] == pytest.approx((0.5 + 1.0) / 2)


def _stream_metrics(onset: float, other: float, network_f1: float, chance_f1: float) -> dict:
    return {
        "network": {"squared": {"word_initial": onset, "other": other}},
        "segmentation": {
            "network_peaks": {"f1": network_f1},
            "bigram_dips": {"f1": 0.6},
            "chance": {"f1": chance_f1},
        },
    }


@pytest.mark.parametrize(
    ("numbers", "failing"),
    [
        ((0.8, 0.15, 0.6, 0.25), None),
        ((0.8, 0.5, 0.6, 0.25), "onsets_harder"),
        ((0.8, 0.15, 0.3, 0.25), "segments_above_chance"),
    ],
)
def test_pattern_needs_both_parts(numbers, failing):
    p = recipe.pattern(_stream_metrics(*numbers), "squared")
    assert p["shown"] is (failing is None)
    for check in ("onsets_harder", "segments_above_chance"):
        assert p[check] is (check != failing)
    assert p["network_minus_bigram_f1"] == pytest.approx(numbers[2] - 0.6)


def test_an_untrained_network_does_not_show_the_pattern():
    result = recipe.run(dataclasses.replace(SMOKE, passes=0))
    assert not result.metrics["pattern"]["onsets_harder"]
    assert not recipe.success(result)


def test_config_checks_and_parses_its_fields():
    config = apply_overrides(recipe.Config(), ["figure_stream=test", "error_measure=euclidean"])
    assert config.figure_stream == "test" and config.error_measure == "euclidean"
    with pytest.raises(UserError, match="figure_stream"):
        apply_overrides(recipe.Config(), ["figure_stream=passage"])
    with pytest.raises(UserError, match="n_sentences must be >= 1"):
        recipe.Config(n_sentences=0)
    with pytest.raises(UserError, match="unknown loss"):
        recipe.Config(loss="hinge")


def test_cli_runs_words_and_writes_the_folder(tmp_path):
    folder = tmp_path / "words"
    out = io.StringIO()
    argv = ["run", "words", "--set", "n_sentences=20", "--set", "test_sentences=20"]
    code = main([*argv, "--set", "passes=2", "--out", str(folder)], out=out)
    assert code == 0
    assert f"run folder: {folder}" in out.getvalue()
    for name in ("config.json", "metrics.json", "history.csv", "arrays.npz"):
        assert (folder / name).is_file()
    for figure in ("error_per_letter", "error_on_paper_passage", "segmentation"):
        assert (folder / "figures" / f"{figure}.png").stat().st_size > 1000
    result = load_run(folder)
    assert result.config["passes"] == 2 and len(result.history["pass"]) == 2
    assert ("does NOT show" in out.getvalue()) is not result.metrics["pattern"]["shown"]


def test_summary_paper_table_and_quick_settings(smoke_result):
    untrained = recipe.run(dataclasses.replace(SMOKE, passes=0, seed=1))
    results = [smoke_result, untrained]
    summary = recipe.summarize(results)
    assert summary["seeds"] == [0, 1]
    assert summary["pattern_shown"] == int(recipe.success(smoke_result))
    f1 = summary["train_segmentation"]["network_peaks"]["f1"]
    assert f1["values"] == [
        r.metrics["streams"]["train"]["segmentation"]["network_peaks"]["f1"] for r in results
    ]
    assert presenter.report_summary(summary).startswith(f"{summary['pattern_shown']}/2 seeds")
    assert set(presenter.summary_figures(results)) == {"segmentation_train", "segmentation_test"}

    table = presenter.paper_table(results)
    assert all(set(row) - {"detail"} == {"quantity", "paper", "srnlab", "note"} for row in table)
    shown = [row["quantity"] for row in table if not row.get("detail")]
    assert shown[0].startswith("error at word onsets") and len(shown) == 5
    verdict = presenter.report_verdict(summary)
    assert f"{summary['pattern_shown']} of 2 seeds show it" in verdict
    assert all(isinstance(v, str) for row in table for v in row.values())
    assert table[0]["paper"] == "200 / 1,270 / 4,963"
    assert "1.8-2.95 [figure]" in table[1]["paper"]
    assert table[5]["srnlab"] == f"{summary['pattern_shown']} of 2 seeds"

    assert set(recipe.QUICK) <= set(field_types(recipe.Config))
    quick = apply_overrides(recipe.Config(), [f"{k}={v}" for k, v in recipe.QUICK.items()])
    assert quick.passes < recipe.Config().passes and quick != recipe.Config()
    assert isinstance(recipe.REPRODUCE_SEEDS, int) and recipe.REPRODUCE_SEEDS >= 3


# ---- paper scale ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_paper_scale_runs_show_that_error_peaks_mark_words():
    """Elman (1990): the error is high at the first letter of each word and falls through the
    word, so its peaks mark word boundaries; here on the training stream (as the paper) and on
    a fresh test stream, over three seeds.

    Measured (seeds 0-9): the network's error peaks reach F1 about 0.59 (peaks >= the mean
    error 0.63); the bigram baseline's transitional-probability dips 0.64; chance 0.26; the
    ideal predictor's error peaks 0.74. So the network does NOT beat the bigram baseline at
    paper scale: we assert what holds (well above chance, below the ceiling) and report the
    comparison in metrics.json and the paper table.
    """
    for seed in (0, 1, 2):
        result = recipe.run(recipe.Config(seed=seed))
        m = result.metrics
        assert recipe.success(result), (seed, m["pattern"])
        for stream in ("train", "test"):
            s = m["streams"][stream]
            net, ideal = s["network"]["squared"], s["ideal"]["squared"]
            seg = s["segmentation"]
            assert net["word_initial"] > 3 * net["other"], (seed, stream)
            # the error falls through the word: the onset is the worst position
            assert net["by_position"][0] > max(v for v in net["by_position"][1:] if v is not None)
            # no network beats the ideal predictor, and it is not far off at the onsets
            assert ideal["all"] < net["all"]
            assert net["word_initial"] < 1.6 * ideal["word_initial"]
            chance = seg["chance"]["f1"]
            assert seg["network_peaks"]["f1"] > 1.8 * chance, (seed, stream)
            assert seg["network_peaks_above_mean"]["f1"] > 1.8 * chance, (seed, stream)
            assert seg["bigram_dips"]["f1"] > 1.8 * chance
            assert seg["network_peaks"]["f1"] < seg["ideal_peaks"]["f1"], (seed, stream)
        train = m["streams"]["train"]
        assert train["words"] == pytest.approx(1270, rel=0.05)
        assert train["letters"] == pytest.approx(4963, rel=0.05)


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="does not reproduce: over seeds 0-9 the error peaks' boundary F1 is 0.59 against "
    "0.64 for letter-bigram dips; the ideal predictor itself reaches only 0.74, and which side "
    "the network lands on depends on the unpublished grammar (README, words)",
)
def test_paper_scale_error_peaks_segment_better_than_the_bigram_baseline():
    """The issue's claim: boundary F1 from the error well above the bigram baseline."""
    f1 = {"network_peaks": [], "bigram_dips": []}
    for seed in (0, 1, 2):
        seg = recipe.run(recipe.Config(seed=seed)).metrics["streams"]["train"]
        for name, values in f1.items():
            values.append(seg["segmentation"][name]["f1"])
    assert np.mean(f1["network_peaks"]) > np.mean(f1["bigram_dips"]) + 0.05
