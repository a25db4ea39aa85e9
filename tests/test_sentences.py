"""The sentence simulation (Elman 1990, lexical classes): corpus, likelihood vectors, recipe,
CLI, and the paper's results at paper scale (slow)."""

from __future__ import annotations

import dataclasses
import io
import json
from collections import Counter

import numpy as np
import pytest
from matplotlib.figure import Figure

from conftest import saved_and_loaded
from srnlab.analysis.likelihood import likelihood_vectors
from srnlab.catalogue import get_recipe
from srnlab.cli import main
from srnlab.config import apply_overrides
from srnlab.errors import UserError
from srnlab.presenters import sentences as presenter
from srnlab.recipes import sentences as recipe
from srnlab.recipes.sentences_measures import NEAR_IDEAL
from srnlab.results import load_run
from srnlab.tasks.sentences import (
    CODE,
    DISJOINT,
    N_UNITS,
    NOVEL_WORD,
    PRESETS,
    SPARE_UNIT,
    SUPERSET,
    TEMPLATES,
    VOCABULARY,
    WORDS,
    grammar_floor,
    grammar_likelihoods,
    membership,
    sentence_corpus,
)

# ---- the corpus ------------------------------------------------------------------------------


def test_the_code_is_alphabetical_with_zog_on_the_first_spare_bit():
    assert len(WORDS) == 29 and list(WORDS) == sorted(WORDS)
    assert N_UNITS == 31
    assert CODE["book"] == 0 and CODE["boy"] == 1 and CODE["woman"] == 28
    assert CODE[NOVEL_WORD] == 29 and NOVEL_WORD == "zog" and SPARE_UNIT == 30
    assert list(VOCABULARY) == sorted(VOCABULARY)  # "zog" sorts last too
    assert sorted(CODE.values()) == list(range(30))  # unit 30 codes nothing


def test_presets_are_the_documented_memberships():
    for members in PRESETS.values():
        assert set().union(*map(set, members.values())) == set(WORDS)  # every word, no other
        assert set(members) == {c for row in TEMPLATES for c in row}
    assert DISJOINT["NOUN-FOOD"] == ("cookie", "bread", "sandwich")  # not the misprint "break"
    assert set(DISJOINT["VERB-TRAN"]) == {"see", "chase", "like"}
    assert set(SUPERSET["NOUN-ANIM"]) == set(
        DISJOINT["NOUN-HUM"] + DISJOINT["NOUN-AGRESS"] + DISJOINT["NOUN-ANIM"]
    )
    assert set(SUPERSET["NOUN-INANIM"]) == set(
        DISJOINT["NOUN-FRAG"] + DISJOINT["NOUN-FOOD"] + DISJOINT["NOUN-INANIM"]
    )
    assert set(SUPERSET["VERB-TRAN"]) == {"see", "chase", "like", "smell", "move", "eat"}
    assert SUPERSET["NOUN-HUM"] == DISJOINT["NOUN-HUM"]
    with pytest.raises(UserError, match="unknown category preset"):
        membership("overlapping")
    with pytest.raises(UserError, match="unknown words"):
        membership({"NOUN-HUM": ["man", "robot"]})


def test_the_templates_are_the_papers_sixteen_rows():
    assert len(TEMPLATES) == 16
    assert sum(len(row) == 2 for row in TEMPLATES) == 4  # rows 4, 7, 11, 12
    assert TEMPLATES[0] == ("NOUN-HUM", "VERB-EAT", "NOUN-FOOD")
    assert TEMPLATES[11] == ("NOUN-INANIM", "VERB-AGPAT")
    assert TEMPLATES[15] == ("NOUN-AGRESS", "VERB-EAT", "NOUN-FOOD")


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_sentence_follows_its_template(preset):
    members = membership(preset)
    corpus = sentence_corpus(10_000, np.random.default_rng(0), preset)
    assert corpus.n_sentences == 10_000
    # 2.75 words per sentence on average; the SD of the total is about 43
    assert 27_300 < len(corpus) < 27_700
    for s, (start, sentence) in enumerate(zip(corpus.starts, corpus.sentences(), strict=True)):
        row = TEMPLATES[corpus.template[start]]
        assert len(sentence) == len(row)
        for j, (unit, category) in enumerate(zip(sentence, row, strict=True)):
            assert VOCABULARY[unit] in members[category]
            assert corpus.category[start + j] == category
            assert corpus.sentence[start + j] == s and corpus.position[start + j] == j
    assert "zog" not in corpus.words
    assert np.array_equal(corpus.index, [CODE[w] for w in corpus.words])


def test_templates_and_words_are_drawn_uniformly():
    corpus = sentence_corpus(10_000, np.random.default_rng(1))
    templates = np.bincount(corpus.template[corpus.starts], minlength=16)
    assert np.all(np.abs(templates - 625) < 100)  # 625 expected, SD about 24
    human_subjects = Counter(
        w
        for w, c, p in zip(corpus.words, corpus.category, corpus.position, strict=True)
        if c == "NOUN-HUM" and p == 0
    )
    n = sum(human_subjects.values())  # about 7/16 of 10,000
    assert set(human_subjects) == {"man", "woman", "boy", "girl"}
    assert all(abs(k / n - 0.25) < 0.03 for k in human_subjects.values())


def test_targets_are_the_next_word_wrapping_around():
    corpus = sentence_corpus(50, np.random.default_rng(2))
    assert np.array_equal(corpus.targets[:-1], corpus.index[1:])
    assert corpus.targets[-1] == corpus.index[0]


def test_same_seed_same_corpus_other_seed_other_corpus():
    a = sentence_corpus(500, np.random.default_rng(3))
    b = sentence_corpus(500, np.random.default_rng(3))
    c = sentence_corpus(500, np.random.default_rng(4))
    assert a.words == b.words and np.array_equal(a.template, b.template)
    assert a.words != c.words


def test_zog_replaces_man_everywhere_and_nothing_else():
    plain = sentence_corpus(2000, np.random.default_rng(5))
    novel = sentence_corpus(2000, np.random.default_rng(5), replace={"man": NOVEL_WORD})
    assert "man" not in novel.words
    was_man = np.array(plain.words) == "man"
    assert was_man.sum() > 100
    assert np.all(np.array(novel.words)[was_man] == NOVEL_WORD)
    assert np.array_equal(np.array(novel.words)[~was_man], np.array(plain.words)[~was_man])
    assert np.all(novel.index[was_man] == 29)
    assert novel.category == plain.category  # the slot's category is the replaced word's
    with pytest.raises(UserError, match="not in the vocabulary"):
        sentence_corpus(10, np.random.default_rng(0), replace={"man": "robot"})


def test_bad_corpus_requests_are_user_errors():
    with pytest.raises(UserError, match="at least one sentence"):
        sentence_corpus(0, np.random.default_rng(0))
    with pytest.raises(UserError, match="no members"):
        sentence_corpus(5, np.random.default_rng(0), templates=[("NOUN-HUM", "VERB-FLY")])


def test_grammar_likelihoods_by_hand_after_man():
    # After "man" (disjoint): templates 1-7, each 1/7, then a uniform verb of the slot's
    # category. see: PERCEPT (1/14) + TRAN (1/21); break: DESTROY (1/14) + AGPAT (1/7).
    corpus = sentence_corpus(300, np.random.default_rng(6))
    t = corpus.words.index("man")
    assert corpus.position[t] == 0
    row = grammar_likelihoods(corpus)[t]
    expected = {
        "eat": 1 / 7,
        "smell": 1 / 14,
        "see": 1 / 14 + 1 / 21,
        "smash": 1 / 14,
        "break": 1 / 14 + 1 / 7,
        "think": 1 / 21,
        "sleep": 1 / 21,
        "exist": 1 / 21,
        "chase": 1 / 21,
        "like": 1 / 21,
        "move": 1 / 7,
    }
    for word, p in expected.items():
        assert row[CODE[word]] == pytest.approx(p), word
    assert row.sum() == pytest.approx(1.0)
    assert sum(row[CODE[w]] for w in expected) == pytest.approx(1.0)  # nothing else


# ---- likelihood vectors ----------------------------------------------------------------------

A, B, C, D = 0, 1, 2, 3
TINY = [(A, B, C), (A, B), (D, C), (A, C)]
FIRST = np.array([3 / 4, 0, 0, 1 / 4])  # sentences begin a, a, d, a


def test_likelihood_vectors_on_a_corpus_checked_by_hand():
    found = likelihood_vectors(TINY, width=4)
    after_a = [0, 2 / 3, 1 / 3, 0]  # a -> b, b, c
    after_ab = 0.5 * np.array([0, 0, 1, 0]) + 0.5 * FIRST  # "a b" goes on to c once, ends once
    expected = [
        after_a, after_ab, FIRST,  # a b c: after a full sentence, the next sentence's start
        after_a, after_ab,  # a b
        [0, 0, 1, 0], FIRST,  # d c
        after_a, FIRST,  # a c
    ]  # fmt: skip
    assert np.allclose(found.vectors, expected)
    assert np.allclose(found.first_words, FIRST)
    assert found.support.tolist() == [3, 2, 1, 3, 2, 1, 1, 3, 1]
    assert np.allclose(found.vectors.sum(axis=1), 1.0)


def test_likelihoods_of_new_sentences_come_from_the_reference():
    found = likelihood_vectors([(D, B), (A,)], width=4, reference=TINY)
    assert np.allclose(found.vectors[0], [0, 0, 1, 0])  # "d" is always followed by c
    assert np.all(np.isnan(found.vectors[1]))  # "d b" never occurs: no likelihood vector
    assert found.seen.tolist() == [True, False, True]
    assert np.allclose(found.vectors[2], [0, 2 / 3, 1 / 3, 0])


def _likelihoods_token_by_token(sentences, width, reference):
    """The definition, one token at a time: the counts of what followed the same prefix."""
    following: dict[tuple[int, ...], np.ndarray] = {}
    for sentence in reference:
        for p in range(len(sentence)):
            row = following.setdefault(tuple(sentence[: p + 1]), np.zeros(width + 1, np.int64))
            row[sentence[p + 1] if p + 1 < len(sentence) else width] += 1
    first = np.bincount([s[0] for s in reference], minlength=width) / len(reference)
    vectors, support = [], []
    for sentence in sentences:
        for p in range(len(sentence)):
            row = following.get(tuple(sentence[: p + 1]), np.zeros(width + 1, np.int64))
            total = row.sum()
            support.append(total)
            vectors.append(
                row[:width] / total + (row[width] / total) * first if total else [np.nan] * width
            )
    return np.array(vectors), np.array(support)


def test_likelihood_vectors_are_the_token_by_token_definition_to_the_last_bit():
    reference = sentence_corpus(300, np.random.default_rng(3)).sentences()
    test = sentence_corpus(300, np.random.default_rng(4)).sentences()
    for sentences, ref in ((reference, None), (test, reference)):
        found = likelihood_vectors(sentences, N_UNITS, reference=ref)
        vectors, support = _likelihoods_token_by_token(sentences, N_UNITS, ref or sentences)
        assert found.vectors.tobytes() == vectors.tobytes()
        assert found.support.tolist() == support.tolist()
    assert not likelihood_vectors(test, N_UNITS, reference=reference).seen.all()  # some unseen


def test_empirical_likelihoods_approach_the_grammars():
    corpus = sentence_corpus(10_000, np.random.default_rng(7))
    empirical = likelihood_vectors(corpus.sentences(), N_UNITS).vectors
    exact = grammar_likelihoods(corpus)
    gap = np.linalg.norm(empirical - exact, axis=1)
    assert gap.mean() < 0.05
    assert np.abs(empirical.sum(axis=1) - 1).max() < 1e-12


def test_grammar_floor_by_hand_on_a_two_word_grammar():
    """man|woman eat, repeated: after a noun "eat" is certain (error 0); after "eat" the next
    sentence starts with man or woman, p = (1/2, 1/2): error sqrt(1/4 + 1/4) either way."""
    members = {"NOUN-HUM": ("man", "woman"), "VERB-EAT": ("eat",)}
    floor = grammar_floor(members, [("NOUN-HUM", "VERB-EAT")])
    assert floor == pytest.approx((0.0 + np.sqrt(0.5)) / 2, rel=1e-15)


@pytest.mark.parametrize("preset", ["superset", "disjoint"])
def test_grammar_floor_is_the_long_run_error_of_the_grammars_own_probabilities(preset):
    """A long stream, predicted with the exact probabilities: its mean error is the floor
    within sampling error (4 standard errors); the in-sample likelihood vectors of the same
    stream do better than the floor (they have seen the answers)."""
    corpus = sentence_corpus(20_000, np.random.default_rng(11), membership(preset))
    one_hot = np.eye(N_UNITS)[corpus.targets]
    errors = np.linalg.norm(one_hot - grammar_likelihoods(corpus, preset), axis=1)
    floor = grammar_floor(preset)
    assert abs(errors.mean() - floor) < 4 * errors.std() / np.sqrt(errors.size)
    in_sample = likelihood_vectors(corpus.sentences(), N_UNITS).vectors
    assert np.linalg.norm(one_hot - in_sample, axis=1).mean() < floor


# ---- the recipe ------------------------------------------------------------------------------

SMOKE = recipe.Config(
    n_sentences=300, passes=2, hidden=12, fresh_sentences=150, novel_sentences=300
)
FIGURES = {
    "errors",
    "error_by_position",
    "error_distribution",
    "learning_curve",
    "tree",
    "tree_untrained",
    "pca",
    "tree_novel",
}


@pytest.fixture(scope="module")
def smoke_result():
    return recipe.run(SMOKE)


def test_smoke_run_draws_every_figure_and_round_trips(smoke_result, tmp_path):
    result = smoke_result
    assert get_recipe("sentences").run is recipe.run
    assert result.history["pass"] == [1, 2]
    m = result.metrics
    assert m["corpus"]["sentences"] == 300
    assert m["corpus"]["words"] == len(result.arrays["train_index"])
    assert sum(m["corpus"]["template_counts"]) == 300
    assert result.arrays["trained_means"].shape == (len(result.arrays["trained_labels"]), 12)
    assert NOVEL_WORD in result.arrays["novel_labels"].tolist()
    assert "man" not in result.arrays["novel_labels"].tolist()

    loaded = saved_and_loaded(result, tmp_path, SMOKE)

    figures = presenter.figures(loaded)  # drawn from the saved folder alone
    assert set(figures) == FIGURES
    assert all(isinstance(f, Figure) and f.axes for f in figures.values())
    # the tree's leaves are the words that occur in the corpus
    leaves = {t.get_text() for t in figures["tree"].axes[0].get_yticklabels()}
    assert leaves == set(loaded.metrics["representations"]["trained"]["labels"])


def test_the_references_measure_what_they_should(smoke_result):
    p = smoke_result.metrics["predictors"]
    # a one-hot target is exactly 1 from the all-off output
    assert p["all_off"]["next_word"]["euclidean"] == {"mean": 1.0, "sd": 0.0}
    assert p["all_off"]["likelihood"]["cosine"]["mean"] is None
    assert p["ideal"]["likelihood"]["euclidean"]["mean"] == pytest.approx(0.0, abs=1e-12)
    assert p["ideal"]["likelihood"]["cosine"]["mean"] == pytest.approx(1.0)
    # on the corpus they come from, no predictor beats the likelihood vectors at the next word
    # (they are its per-prefix next-word frequencies, the least-squares prediction)
    best = p["ideal"]["next_word"]["squared"]["mean"]
    assert all(p[name]["next_word"]["squared"]["mean"] >= best for name in p)
    assert sum(p["trained"]["by_position"]["tokens"]) == smoke_result.metrics["corpus"]["words"]


def test_measure_on_a_hand_made_case():
    targets = np.array([0, 1])
    outputs = np.array([[0.6, 0.0, 0.0], [0.0, 0.0, 0.5]])
    likelihoods = np.array([[0.5, 0.5, 0.0], [0.0, 1.0, 0.0]])
    m = recipe.measure(targets, outputs, likelihoods, np.array([0, 1]))
    e1, e2 = 0.4, np.sqrt(1.25)  # ||t - y|| per token
    assert m["next_word"]["euclidean"]["mean"] == pytest.approx((e1 + e2) / 2)
    assert m["next_word"]["squared"]["sum"] == pytest.approx(0.16 + 1.25)
    l1, l2 = np.sqrt(0.01 + 0.25), np.sqrt(1.25)
    assert m["likelihood"]["euclidean"]["mean"] == pytest.approx((l1 + l2) / 2)
    assert m["likelihood"]["euclidean"]["sd"] == pytest.approx(abs(l1 - l2) / 2)
    cos1 = 0.3 / (0.6 * np.sqrt(0.5))  # orthogonal second token: cosine 0
    assert m["likelihood"]["cosine"]["mean"] == pytest.approx(cos1 / 2)
    assert m["by_position"]["cosine"][:2] == pytest.approx([cos1, 0.0])
    assert m["by_position"]["cosine"][2] is None  # no token after a third word
    assert m["by_position"]["tokens"] == [1, 1, 0]


def test_same_seed_same_numbers_other_seed_other_numbers(smoke_result):
    again = recipe.run(SMOKE)
    assert json.dumps(again.metrics) == json.dumps(smoke_result.metrics)
    other = recipe.run(dataclasses.replace(SMOKE, seed=1))
    assert json.dumps(other.metrics) != json.dumps(smoke_result.metrics)


def test_test_corpora_and_weights_do_not_depend_on_the_training_corpus(smoke_result):
    longer = recipe.run(dataclasses.replace(SMOKE, n_sentences=400, passes=0))
    a, b = smoke_result, longer
    assert np.array_equal(a.arrays["initial_W_ch"], b.arrays["initial_W_ch"])
    assert a.metrics["fresh"]["corpus"] == b.metrics["fresh"]["corpus"]
    assert a.metrics["corpus"] != b.metrics["corpus"]


def test_pattern_needs_all_three_parts():
    def one(next_word, like):
        return {"next_word": {"euclidean": {"mean": next_word}},
                "likelihood": {"euclidean": {"mean": like}}}  # fmt: skip

    def predictors(trained_next, trained_like, untrained_like=3.4):
        return {"trained": one(trained_next, trained_like), "ideal": one(0.87, 0.0),
                "unigram": one(0.97, 0.34), "untrained": one(3.5, untrained_like)}  # fmt: skip

    assert recipe.pattern(predictors(0.89, 0.15))["shown"]
    assert not recipe.pattern(predictors(0.95, 0.15))["near_ideal"]  # too far above the ideal
    assert not recipe.pattern(predictors(0.89, 0.20))["uses_word_order"]  # not half the unigram's
    weak = recipe.pattern(predictors(0.89, 0.15, untrained_like=1.0))
    assert weak["near_ideal"] and weak["uses_word_order"] and not weak["far_below_untrained"]
    assert not weak["shown"]


def test_untrained_network_does_not_show_the_pattern():
    result = recipe.run(dataclasses.replace(SMOKE, passes=0, fresh_sentences=0))
    assert not recipe.success(result)
    assert "fresh" not in result.metrics
    assert result.metrics["training"]["passes"] == 0


def test_config_checks_its_fields():
    config = apply_overrides(recipe.Config(), ["categories=disjoint", "init_range=1"])
    assert config.categories == "disjoint" and config.init_range == 1.0
    with pytest.raises(UserError, match="valid values"):
        apply_overrides(recipe.Config(), ["categories=overlap"])
    with pytest.raises(UserError, match="replaced_word"):
        recipe.Config(replaced_word="zog")
    with pytest.raises(UserError, match="linkage"):
        recipe.Config(linkage="nearest")
    with pytest.raises(UserError, match="n_sentences"):
        recipe.Config(n_sentences=0)


def test_paper_table_and_summary_over_two_seeds(smoke_result):
    results = [smoke_result, recipe.run(dataclasses.replace(SMOKE, seed=1))]
    rows = presenter.paper_table(results)
    assert all(set(row) - {"detail"} == {"quantity", "paper", "srnlab", "note"} for row in rows)
    papers = [row["paper"] for row in rows]
    assert {"0.88", "1.0", "0.053", "0.100", "0.916", "0.123"} <= set(papers)
    assert any("zog" in row["quantity"] for row in rows)
    # the ideal row: the grammar's exact floor, the in-sample estimate labelled beside it
    assert rows[1]["srnlab"] == f"{grammar_floor(SMOKE.categories):.4f} (exact)"
    assert "in-sample estimate" in rows[1]["note"]
    assert rows[2]["srnlab"].startswith("mean 1.000 (SD 0.000")  # all outputs off, both seeds
    assert rows[2]["detail"]
    summary = recipe.summarize(results)
    assert summary["replications"] == 2 and summary["seeds"] == [0, 1]
    assert summary["trained"]["cosine"]["values"] == [
        r.metrics["predictors"]["trained"]["likelihood"]["cosine"]["mean"] for r in results
    ]
    assert "seeds predict" in presenter.report_summary(summary)
    for which in ("trained", "untrained", "ideal"):
        assert summary[f"humans_branch_{which}"] == sum(
            recipe.humans_branch(r.metrics["tree"], which) for r in results
        )
    assert any("humans a branch of their own" in row["quantity"] for row in rows)
    assert set(presenter.summary_figures(results)) == {"errors"}
    assert all(v is not None for v in recipe.replication_row(results[0]).values())
    quick = apply_overrides(recipe.Config(), [f"{k}={v}" for k, v in recipe.QUICK.items()])
    assert quick.n_sentences < 1000 and recipe.REPRODUCE_SEEDS >= 2


def test_tree_checks_read_branches_for_the_net_and_the_ideal_predictor(smoke_result):
    m = smoke_result.metrics
    tree, reps = m["tree"], m["representations"]
    assert {"trained", "untrained", "ideal"} <= set(reps) and "ideal" in tree
    for name in ("trained", "untrained", "ideal"):
        for split, parts in tree[f"{name}_branches"].items():
            read = reps[name]["tree"][split]["parts"]
            assert parts == {part: r["is_branch"] for part, r in read.items()}
            # a part that is a branch has no intruders, so a split of branches is clean
            if all(parts.values()):
                assert tree[name][split]
    assert recipe.humans_branch({}) is False  # a small corpus may lack the split


def test_cli_runs_sentences_and_writes_the_folder(tmp_path):
    out = io.StringIO()
    folder = tmp_path / "s"
    argv = ["run", "sentences", "--out", str(folder), "--set", "n_sentences=200",
            "--set", "passes=2", "--set", "hidden=8", "--set", "fresh_sentences=0",
            "--set", "novel_sentences=200"]  # fmt: skip
    assert main(argv, out=out) == 0
    text = out.getvalue()
    assert "predictor  next word" in text and f"run folder: {folder}" in text
    for name in FIGURES:
        assert (folder / "figures" / f"{name}.png").stat().st_size > 1000
    result = load_run(folder)
    assert result.config["n_sentences"] == 200
    assert main(["run", "sentences", "--set", "categories=nope"], out=io.StringIO()) == 2


# ---- paper scale -----------------------------------------------------------------------------

PAPER_SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def paper_runs():
    return [recipe.run(recipe.Config(seed=seed)) for seed in PAPER_SEEDS]


@pytest.mark.slow
def test_paper_scale_prediction_is_near_the_ideal_and_far_from_untrained(paper_runs):
    for result in paper_runs:
        p = result.metrics["predictors"]

        def mean(name, group, key, p=p):
            return p[name][group][key]["mean"]

        assert 26_000 < result.metrics["corpus"]["words"] < 29_000
        # the paper: 0.88 against the actual next word; the ideal predictor sets the floor
        assert (
            mean("trained", "next_word", "euclidean") - mean("ideal", "next_word", "euclidean")
            < NEAR_IDEAL
        )
        like = mean("trained", "likelihood", "euclidean")
        assert like < 0.1 * mean("untrained", "likelihood", "euclidean")
        assert like < mean("unigram", "likelihood", "euclidean")  # word order was used
        assert mean("trained", "likelihood", "cosine") > mean("unigram", "likelihood", "cosine")
        # the same holds on a corpus the net never saw
        fresh = result.metrics["fresh"]["predictors"]
        assert fresh["trained"]["likelihood"]["euclidean"]["mean"] < 1.2 * like


@pytest.mark.slow
def test_paper_scale_tree_splits_nouns_from_verbs_and_untrained_does_not(paper_runs):
    for result in paper_runs:
        tree = result.metrics["tree"]
        assert tree["trained"]["nouns vs verbs"]
        assert not tree["untrained"]["nouns vs verbs"]
        assert tree["trained"]["small vs large animals"]


@pytest.mark.slow
def test_paper_scale_zog_lands_among_the_animate_nouns(paper_runs):
    for result in paper_runs:
        assert result.metrics["tree"]["novel"]["among_animates"]


@pytest.mark.slow
def test_paper_scale_humans_form_a_branch_of_their_own_and_untrained_do_not(paper_runs):
    """Half of the paper's humans | animals: the HUMAN branch of its Figure 7 (seeds 0-9:
    trained 10/10, untrained 0/10). The other half, the animals, is the xfail below."""
    for result in paper_runs:
        tree = result.metrics["tree"]
        assert recipe.humans_branch(tree)
        assert not recipe.humans_branch(tree, "untrained")


@pytest.mark.slow
def test_paper_scale_the_grammar_itself_groups_small_animals_with_humans(paper_runs):
    """Why the animals are no branch: in the likelihood vectors (what word order predicts),
    averaged per word, the humans are a branch and the six animals are not."""
    for result in paper_runs:
        tree = result.metrics["tree"]
        assert recipe.humans_branch(tree, "ideal")
        assert not recipe.animals_branch(tree, "ideal")


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="does not reproduce: measured over seeds 0-9, the six animals are never a branch "
    "(cat/mouse/dog join the humans before the large animals, as they do in the grammar's own "
    "next-word statistics), so humans | animals is a clean split in 0 of 10 under every "
    "linkage, preset, initial range, learning rate, pass count and loss we tried",
)
def test_paper_scale_humans_apart_from_animals(paper_runs):
    for result in paper_runs:
        assert result.metrics["tree"]["trained"]["humans vs animals"]


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="does not reproduce: measured over seeds 0-9, zog's smallest cluster holds human "
    "nouns only in 0 of 10 (it sits with humans and cat/mouse/dog; nearest word usually "
    "'mouse'); no choice tried that keeps nouns | verbs does better than 1 of 10",
)
def test_paper_scale_zog_among_the_humans(paper_runs):
    for result in paper_runs:
        assert result.metrics["tree"]["novel"]["in_human_cluster"]
