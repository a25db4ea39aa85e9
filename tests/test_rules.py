"""The rule-learning harness (Marcus et al. 1999): stimuli, codes, the never-trained weights,
looking times with and without learning at test, the statistics, the CLI, and (slow) what the
training-independence argument predicts for localist codes."""

from __future__ import annotations

import dataclasses
import io
from collections import Counter

import numpy as np
import pytest
from matplotlib.figure import Figure

from conftest import cli, saved_and_loaded
from srnlab.catalogue import get_recipe
from srnlab.cli import main
from srnlab.errors import UserError
from srnlab.presenters import rules as presenter
from srnlab.recipes import rules as recipe
from srnlab.recipes import rules_network as network
from srnlab.recipes.rules_config import Condition
from srnlab.results import load_run
from srnlab.seeding import generators
from srnlab.srn import init_srn, train_srn
from srnlab.tasks import rules as stimuli
from srnlab.tasks.rules import EXPERIMENTS, PAUSE

# ---- stimuli ---------------------------------------------------------------------------------

# Marcus et al. (1999), as listed in ../shared/elman1990.md section 6.
PAPER = {
    1: ("ABA ABB", "ga li ni ta", "ti na gi la", "wo fe wo|wo fe fe|de ko de|de ko ko"),
    2: ("ABA ABB", "le wi ji de", "di je li we", "ba po ba|ba po po|ko ga ko|ko ga ga"),
    3: ("AAB ABB", "le wi ji de", "di je li we", "ba ba po|ba po po|ko ko ga|ko ga ga"),
}


@pytest.mark.parametrize("number", [1, 2, 3])
def test_stimulus_sets_match_the_papers_lists(number):
    grammars, a, b, tests = PAPER[number]
    exp = stimuli.experiment(number)
    assert exp.grammars == tuple(grammars.split())
    assert exp.a_syllables == tuple(a.split())
    assert exp.b_syllables == tuple(b.split())
    sentences = [" ".join(t.syllables) for t in stimuli.test_sentences(exp, "outside")]
    assert sorted(sentences) == sorted(tests.split("|"))


@pytest.mark.parametrize("number", [1, 2, 3])
@pytest.mark.parametrize("space", ["outside", "inside"])
def test_consistent_and_inconsistent_sentences_use_the_same_novel_syllables(number, space):
    exp = stimuli.experiment(number)
    sentences = stimuli.test_sentences(exp, space)
    first, second = exp.grammars
    for grammar in exp.grammars:
        assert sum(t.pattern == grammar for t in sentences) == len(exp.pairs(space))
    syllables_of = {
        g: Counter(s for t in sentences if t.pattern == g for s in set(t.syllables))
        for g in exp.grammars
    }
    assert syllables_of[first] == syllables_of[second]
    for t in sentences:  # each sentence follows its pattern, and is made of novel syllables
        a, b = exp.pairs(space)[t.pair]
        assert t.syllables == stimuli.sentence(t.pattern, a, b)
        assert a != b
        assert not set(t.syllables) & set(exp.training_syllables)


def test_familiarisation_hears_each_of_the_16_sentences_in_every_block():
    exp = EXPERIMENTS[1]
    sentences = stimuli.familiarisation_sentences(exp, "ABA", 3, np.random.default_rng(5))
    assert len(sentences) == 48
    for block in (sentences[:16], sentences[16:32], sentences[32:]):
        assert len(set(block)) == 16
        assert all(s[0] == s[2] != s[1] for s in block)  # A B A
        assert {s[0] for s in block} == set(exp.a_syllables)
        assert {s[1] for s in block} == set(exp.b_syllables)
    assert sentences[:16] != sentences[16:32]  # a fresh order per block
    again = stimuli.familiarisation_sentences(exp, "ABA", 3, np.random.default_rng(5))
    assert again == sentences
    abb = stimuli.familiarisation_sentences(exp, "ABB", 1, np.random.default_rng(5))
    assert all(s[1] == s[2] != s[0] for s in abb)
    aab = stimuli.familiarisation_sentences(EXPERIMENTS[3], "AAB", 1, np.random.default_rng(5))
    assert all(s[0] == s[1] != s[2] for s in aab)


def test_item_stream_pauses_and_positions():
    items = stimuli.sentence_items([("ga", "ti", "ga"), ("li", "na", "li")], gap=2)
    assert items == ["#", "#", "ga", "ti", "ga", "#", "#", "li", "na", "li"]
    assert list(stimuli.positions_in_sentence(items)) == [0, 0, 1, 2, 3, 0, 0, 1, 2, 3]
    no_gap = stimuli.sentence_items([("ga", "ti", "ga"), ("li", "na", "li")], gap=0)
    assert list(stimuli.positions_in_sentence(no_gap)) == [1, 2, 3, 1, 2, 3]


@pytest.mark.parametrize("number", [1, 2, 3])
def test_outside_syllables_need_a_feature_value_training_never_had_and_inside_ones_do_not(
    number,
):
    exp = stimuli.experiment(number)
    code = stimuli.encoding("distributed", exp)
    heard = [*exp.training_syllables, PAUSE]
    never = set(stimuli.units_never_active(code, heard))
    for syllable in exp.test_syllables("outside"):
        assert set(code.active_units(syllable)) & never, syllable
    for syllable in exp.test_syllables("inside"):
        assert not set(code.active_units(syllable)) & never, syllable
        assert syllable not in exp.training_syllables


def test_feature_code_is_the_consonant_then_the_vowel_one_unit_per_feature():
    code = stimuli.encoding("distributed", EXPERIMENTS[1])
    n_consonant = sum(len(v) for v in stimuli.CONSONANT_FEATURES.values())
    ga, go, de = code.code("ga"), code.code("go"), code.code("de")
    assert ga.sum() == 6 and de.sum() == 6  # 3 consonant features + 3 vowel features
    assert np.array_equal(ga[:n_consonant], go[:n_consonant])  # same consonant g
    assert not np.array_equal(ga[n_consonant:], go[n_consonant:])  # a vs o
    # one unit per feature value: within each feature exactly one of its units is on
    offset = 0
    for values in (*stimuli.CONSONANT_FEATURES.values(), *stimuli.VOWEL_FEATURES.values()):
        assert de[offset : offset + len(values)].sum() == 1
        offset += len(values)
    assert np.array_equal(code.code(PAUSE), np.eye(code.width)[-1])
    codes = {s: tuple(code.code(s)) for s in stimuli.ALL_SYLLABLES}
    assert len(set(codes.values())) == len(codes)  # every syllable its own code


def test_localist_code_gives_each_syllable_its_own_unit():
    code = stimuli.encoding("localist", EXPERIMENTS[2])
    assert code.width == len(stimuli.ALL_SYLLABLES) + 1
    rows = code.codes(["le", "di", PAUSE, "ba"])
    assert np.array_equal(rows.sum(axis=1), np.ones(4))
    assert len({int(np.argmax(r)) for r in rows}) == 4
    with pytest.raises(UserError, match="no unit"):
        code.code("zz")


def test_analog_code_puts_every_value_on_a_trained_unit():
    """Negishi's point, as coded: each feature is one unit whose values lie along its scale;
    a test syllable may carry a value no training syllable had (outside), but never reaches a
    unit that training left silent."""
    for feature, scale in stimuli.ANALOG_SCALES.items():
        side, name = feature.split()
        table = stimuli.CONSONANT_FEATURES if side == "C" else stimuli.VOWEL_FEATURES
        assert set(scale) == set(table[name])  # the same values, ordered along a scale
    exp = EXPERIMENTS[1]
    code = stimuli.encoding("analog", exp)
    heard = [*exp.training_syllables, PAUSE]
    assert stimuli.units_never_active(code, heard) == ()
    ga, ko = code.code("ga"), code.code("ko")
    assert ga.shape == (7,) and np.all((ga[:6] >= 0.1) & (ga[:6] <= 0.9)) and ga[6] == 0
    assert ga[code.units.index("C place")] == ko[code.units.index("C place")] == 0.9  # velar
    assert ko[code.units.index("V height")] == pytest.approx(0.5)  # mid: between low and high
    heard_values = {(u, round(v, 9)) for s in heard for u, v in code.values(s).items()}
    for syllable in exp.test_syllables("outside"):
        novel = {(u, round(v, 9)) for u, v in code.values(syllable).items()} - heard_values
        assert novel, syllable  # a value never heard, on a unit that was
    for syllable in exp.test_syllables("inside"):
        assert {(u, round(v, 9)) for u, v in code.values(syllable).items()} <= heard_values


def test_relation_targets_on_a_hand_made_stream():
    items = ["ga", "ti", "ga", PAUSE, "ti", "ti", PAUSE, PAUSE]
    expected = [[0, 0], [0, 0], [0, 1], [0, 0], [0, 0], [1, 0], [0, 0], [0, 0]]
    assert stimuli.relation_targets(items).tolist() == expected


def test_pretraining_stream_repeats_as_asked():
    pool = ["ba", "di", "ko", "le"]
    always = stimuli.pretraining_items(pool, 500, 1.0, np.random.default_rng(1))
    assert set(always) <= set(pool)
    assert all(x in (always[t - 1], always[t - 2]) for t, x in enumerate(always) if t >= 2)
    some = stimuli.pretraining_items(stimuli.ALL_SYLLABLES, 4000, 0.5, np.random.default_rng(1))
    repeats = np.mean([x in (some[t - 1], some[t - 2]) for t, x in enumerate(some) if t >= 2])
    assert 0.45 < repeats < 0.56  # 0.5 asked, plus the occasional chance repeat (2/44)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: stimuli.experiment(4), "experiment must be one of"),
        (lambda: stimuli.sentence("BAB", "ga", "ti"), "pattern must be one of"),
        (lambda: stimuli.feature_units("zo"), "not a consonant-vowel syllable"),
        (lambda: stimuli.encoding("binary", EXPERIMENTS[1]), "encoding must be one of"),
        (lambda: EXPERIMENTS[1].pairs("nearby"), "feature_space must be"),
        (lambda: stimuli.sentence_items([("ga", "ti", "ga")], -1), "gap must be"),
        (
            lambda: stimuli.familiarisation_sentences(
                EXPERIMENTS[1], "AAB", 3, np.random.default_rng(0)
            ),
            "uses ABA and ABB",
        ),
    ],
)
def test_bad_stimulus_requests_are_user_errors(call, message):
    with pytest.raises(UserError, match=message):
        call()


# ---- Marcus's argument: weights from a unit never active never change -----------------------


@pytest.mark.parametrize("through_time, momentum", [(1, 0.0), (3, 0.9), (None, 0.5)])
def test_localist_weights_from_never_used_input_units_stay_exactly_at_their_initial_values(
    through_time, momentum
):
    config = recipe.Config(through_time=through_time, momentum=momentum, hidden=6)
    s = network.setting(config, Condition(1, "localist", "outside", "none"))
    items = stimuli.sentence_items(
        stimuli.familiarisation_sentences(s.experiment, "ABA", 3, np.random.default_rng(0)), 1
    )
    net = config.network(s.code.width, s.n_out)
    initial = init_srn(*net.sizes, np.random.default_rng(1), 1.0)
    update_every = None if through_time is None else 1
    schedule = dataclasses.replace(config.schedule(), update_every=update_every)
    trained, _ = train_srn(net, initial, s.code.codes(items), s.targets(items), schedule, passes=3)
    never = [s.code.units.index(u) for u in stimuli.units_never_active(s.code, items)]
    used = [s.code.units.index(u) for u in set(items)]
    assert {s.code.units[k] for k in never} >= set(s.experiment.test_syllables("outside"))
    assert np.array_equal(trained.W_xh[:, never], initial.W_xh[:, never])  # exactly
    assert np.all(np.abs(trained.W_xh[:, used] - initial.W_xh[:, used]).max(axis=0) > 1e-6)


@pytest.mark.parametrize("through_time, momentum", [(1, 0.0), (1, 0.9), (None, 0.5)])
def test_localist_inputs_as_unit_indices_train_the_same_network_bit_for_bit(through_time, momentum):
    """Setting.coded hands the kernels a localist code as unit indices (one row of input
    weights per step): exactly the numbers of the dense one-hot rows, every weight and error."""
    config = recipe.Config(through_time=through_time, momentum=momentum, hidden=6)
    s = network.setting(config, Condition(2, "localist", "outside", "pretrain"))
    items = stimuli.sentence_items(
        stimuli.familiarisation_sentences(s.experiment, "ABA", 2, np.random.default_rng(0)), 1
    )
    inputs, targets = s.coded(items)
    assert inputs.shape == (len(items),) and inputs.dtype.kind == "i"  # indices
    dense = s.code.codes(items)
    assert np.array_equal(np.eye(s.code.width)[inputs], dense)
    net = config.network(s.code.width, s.n_out)
    initial = init_srn(*net.sizes, np.random.default_rng(1), 1.0)
    update_every = None if through_time is None else 1
    schedule = dataclasses.replace(config.schedule(), update_every=update_every)
    runs = [train_srn(net, initial, x, targets, schedule, passes=2) for x in (inputs, dense)]
    (by_index, index_history), (by_rows, rows_history) = runs
    for name in ("W_xh", "W_ch", "W_hy", "b_h", "b_y"):
        assert np.array_equal(getattr(by_index, name), getattr(by_rows, name)), name
    assert index_history.sse == rows_history.sse
    assert not np.array_equal(by_index.W_xh, initial.W_xh)  # it did learn


# ---- looking times ---------------------------------------------------------------------------

TINY = recipe.Config(networks=4, experiments=(1,), passes=3, pretrain_items=60, pretrain_passes=1)


def test_learning_at_test_errors_equal_a_step_by_step_online_reference():
    """The prefix-difference trick against the plain loop: one step at a time, each step's
    error measured before its update; weights carried on, context restarted every trial."""
    config = dataclasses.replace(TINY, hidden=5)
    s = network.setting(config, Condition(1, "distributed", "inside", "test_learning"))
    net = config.network(s.code.width, s.n_out)
    start = init_srn(*net.sizes, np.random.default_rng(3), 1.0)
    familiar_context = np.random.default_rng(5).random(5)
    trials = network._test_trials(s, np.random.default_rng(4))
    fast = network._errors_while_learning(s, net, start, trials, familiar_context)

    params, reference = start, []
    for trial in trials:
        items, inputs, targets = s.test_streams[trial]
        context, squared = familiar_context, []
        for t in range(len(items)):
            params, history = train_srn(
                net, params, inputs[t : t + 1], targets[t : t + 1], config.schedule(),
                passes=1, context0=context,
            )  # fmt: skip
            squared.append(history.sse[0])
            context = history.final_context
        reference.append(squared[-4:-1])
    np.testing.assert_allclose(fast, np.array(reference), rtol=0, atol=1e-12)

    frozen = network._errors_frozen(s, net, start, trials, familiar_context)
    assert np.abs(fast - frozen).max() > 1e-3  # learning at test does change the errors
    # a rate so small that no weight moves by even one ulp: the errors are the frozen ones
    still = network.setting(dataclasses.replace(config, test_learning_rate=1e-300), s.condition)
    no_learning = network._errors_while_learning(still, net, start, trials, familiar_context)
    np.testing.assert_allclose(no_learning, frozen, rtol=0, atol=1e-12)  # only learning differs


def test_frozen_first_syllable_error_is_the_same_in_consistent_and_inconsistent_sentences():
    s = network.setting(TINY, Condition(1, "distributed", "outside", "none"))
    net = TINY.network(s.code.width, s.n_out)
    params = init_srn(*net.sizes, np.random.default_rng(0), 1.0)
    sentences = stimuli.test_sentences(s.experiment, "outside")
    errors = network._errors_frozen(s, net, params, sentences, None)
    by_pair = {}
    for sentence, row in zip(sentences, errors, strict=True):
        by_pair.setdefault(sentence.pair, []).append(row)
    for rows in by_pair.values():
        assert rows[0][0] == rows[1][0]  # same history, same target: the A after a pause
        assert rows[0][2] != rows[1][2]  # the 3rd syllable is where the patterns differ


def test_conditions_that_differ_only_in_their_test_share_their_networks():
    """A study trains each network once (``Trainings``): the conditions that test the same
    network differently, and experiments 2 and 3 for the networks that hear ABB in both,
    get the very numbers the network gives trained on its own."""
    config = dataclasses.replace(TINY, experiments=(2, 3), encodings=("distributed",))
    trainings = network.Trainings()
    for condition in config.conditions():
        s = network.setting(config, condition)
        for index in range(config.networks):
            shared, alone = network.run_network(s, index, trainings), network.run_network(s, index)
            assert np.array_equal(shared["errors"], alone["errors"])
            assert shared["untouched_input_weights"] == alone["untouched_input_weights"]
    # per network index, one network with the relation units and one without; experiment 3
    # adds the ones that hear AAB (even indices), its ABB networks are experiment 2's
    assert trainings.count == 2 * config.networks + 2 * (config.networks // 2)


@pytest.fixture(scope="module")
def tiny_result():
    return recipe.run(TINY)


def test_run_measures_every_condition_and_round_trips(tiny_result, tmp_path):
    result = tiny_result
    assert get_recipe("rules").run is recipe.run
    keys = [c.key for c in TINY.conditions()]
    assert list(result.metrics["conditions"]) == keys
    assert len(keys) == 15  # localist x 3 protocols + 2 feature codes x {outside, inside} x 3
    for key, c in result.metrics["conditions"].items():
        looking = result.arrays[f"looking_{key}"]
        assert looking.shape == (4, 2)
        comparison = c["comparison"]
        assert comparison["n"] == 4
        assert comparison["mean_difference"] == pytest.approx(
            np.mean(looking[:, 1] - looking[:, 0])
        )
        by_syllable = result.arrays[f"by_syllable_{key}"]  # looking = 2nd + 3rd syllables
        np.testing.assert_allclose(by_syllable[:, :, 1:].sum(axis=2), looking, atol=1e-12)
        if c["encoding"] == "localist":
            assert c["untouched_input_weights"]["max_weight_change"] == 0.0
            assert c["untouched_input_weights"]["units"] >= 8
    again = recipe.run(TINY)
    for name, array in result.arrays.items():
        assert np.array_equal(again.arrays[name], array), name  # bit for bit from the seed
    other = recipe.run(dataclasses.replace(TINY, seed=1))
    assert not np.array_equal(
        other.arrays[f"looking_{keys[3]}"], result.arrays[f"looking_{keys[3]}"]
    )

    loaded = saved_and_loaded(result, tmp_path, TINY)
    figures = presenter.figures(loaded)
    assert set(figures) == {"differences", "looking_times_exp1", "error_by_syllable_exp1"}
    bars = [ax for ax in figures["error_by_syllable_exp1"].axes if ax.get_visible()]
    assert len(bars) == 15 and all(len(ax.patches) == 6 for ax in bars)  # 2 kinds x 3 syllables
    assert all(isinstance(f, Figure) for f in figures.values())
    forest = figures["differences"].axes[0]
    assert len(forest.get_yticklabels()) == 15
    assert sum(ax.get_visible() for ax in figures["looking_times_exp1"].axes) == 15
    assert forest.get_legend() is not None
    for name in ("looking_times_exp1", "error_by_syllable_exp1"):
        panels = [ax for ax in figures[name].axes if ax.get_visible()]
        assert all(ax.get_xlabel() and ax.get_ylabel() for ax in panels), name
        assert all(ax.get_legend() is not None for ax in panels), name


def test_write_up_names_every_condition_and_its_verdict(tiny_result):
    text = presenter.report_summary(recipe.summarize([tiny_result, tiny_result]))
    for label in (
        "Localist:",
        "Features, outside:",
        "Features, inside + learning at test:",
        "Analog features, outside:",
    ):
        assert label in text
    assert "changed not at all" in text
    table = presenter.paper_table([tiny_result, tiny_result])
    shown = [row for row in table if not row.get("detail")]
    folded = [row for row in table if row.get("detail")]
    # the infants, then one row per key condition over its experiments; folded: the other
    # conditions the same way, and all 15 of the first study in full
    assert len(shown) == 1 + len(presenter.KEY_CONDITIONS)
    assert len(folded) == (15 - len(presenter.KEY_CONDITIONS)) + 15
    assert shown[1]["quantity"].startswith("localist: ")
    summary = recipe.summarize([tiny_result, tiny_result])
    key = "exp1-localist-outside-none"
    same = summary["conditions"][key]
    assert shown[1]["srnlab"] == (
        f"exp 1: {np.mean(same['mean_difference']):+.3f}, {same['inconsistent_higher']}/2"
    )
    assert all({"quantity", "paper", "srnlab", "note"} <= set(row) for row in table)
    verdict = presenter.report_verdict(summary)
    assert "\n" not in verdict and "of the 15 conditions" in verdict
    pooled = presenter.summary_figures([tiny_result, tiny_result])["differences"].axes[0]
    assert "over studies' means" in pooled.get_xlabel()
    assert len(pooled.get_yticklabels()) == 15
    line = presenter.report(tiny_result)
    assert line.count("\n") == 15 and "t(3)" in line


# ---- config and command line ------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"protocols": ("none", "magic")}, "protocols: 'magic'"),
        ({"encodings": ("localist",), "feature_spaces": ("inside",)}, "no condition to run"),
        ({"experiments": (1, 4)}, "experiment must be one of"),
        ({"experiments": ()}, "experiments needs"),
        ({"networks": 1}, "networks must be >= 2"),
        ({"gap": 0}, "gap must be >= 1"),
        ({"pretrain_pool": "everything"}, "pretrain_pool must be"),
        ({"pretrain_repeat": 1.5}, "pretrain_repeat must be in"),
        ({"init_range": -1.0}, "init_range must be >= 0"),
        ({"test_learning_rate": -0.1}, "learning_rate must be > 0"),
        ({"error_measure": "abs"}, "error_measure must be"),
        ({"encodings": ("localist", "localist")}, "twice"),
    ],
)
def test_bad_configs_are_user_errors(changes, message):
    with pytest.raises(UserError, match=message):
        recipe.Config(**changes)


def test_windowed_training_reaches_the_maths(tmp_path):
    """Every training mode of the shared schedule reaches the SRN: windowed truncation with
    an update every 4 items trains the networks otherwise than copy-back, online (a study
    keeps no learning curve, so its looking times are compared)."""
    small = ["--set", "networks=2", "--set", "experiments=1", "--set", "protocols=none"]
    small += ["--set", "encodings=distributed", "--set", "passes=2"]
    window = ["--set", "through_time=window", "--set", "update_every=4"]
    runs = {}
    for name, modes in (("copy-back", []), ("window", window)):
        folder = str(tmp_path / name)
        code, text = cli("run", "rules", *small, *modes, "--no-figures", "--out", folder)
        assert code == 0, text
        runs[name] = load_run(tmp_path / name)
    assert runs["window"].config["through_time"] == "window"
    looking = sorted(k for k in runs["window"].arrays if k.startswith("looking_"))
    assert looking == sorted(k for k in runs["copy-back"].arrays if k.startswith("looking_"))
    assert all(runs["window"].arrays[k].shape == runs["copy-back"].arrays[k].shape for k in looking)
    assert any(
        not np.array_equal(runs["window"].arrays[k], runs["copy-back"].arrays[k]) for k in looking
    )


def test_cli_runs_rules_and_rejects_a_bad_setting(tmp_path, capsys):
    out = io.StringIO()
    argv = ["run", "rules", "--out", str(tmp_path / "r"), "--no-figures"]
    sets = ["--set", "networks=2", "--set", "experiments=3", "--set", "protocols=none"]
    assert main([*argv, *sets, "--set", "passes=1"], out=out) == 0
    text = out.getvalue()
    assert "exp 3, localist:" in text and "exp 3, features, inside:" in text
    assert (tmp_path / "r" / "metrics.json").is_file()
    assert main([*argv, "--set", "encodings=binary"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "encodings: 'binary'" in err


# ---- the training-independence argument, at the default scale (a few seconds) -------------


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_localist_codes_without_test_learning_show_no_reliable_difference(seed):
    """Marcus: a novel localist syllable reaches units whose weights training never touched,
    so consistent and inconsistent sentences are alike to the network; the paired difference
    of 16 networks is within noise (95% CI includes 0) in every experiment."""
    config = recipe.Config(encodings=("localist",), protocols=("none",), seed=seed)
    result = recipe.run(config)
    for key, c in result.metrics["conditions"].items():
        comparison = c["comparison"]
        assert comparison["ci95_low"] <= 0.0 <= comparison["ci95_high"], key
        assert c["untouched_input_weights"]["max_weight_change"] == 0.0


def test_networks_of_a_study_get_independent_streams():
    first, second = generators((0, 0)), generators((0, 1))
    assert first["weights"].random() != second["weights"].random()
    assert generators((0, 0))["weights"].random() == generators((0, 0))["weights"].random()


def test_sweep_plots_the_paired_difference_by_default(tmp_path):
    out = io.StringIO()
    argv = ["sweep", "rules", "--grid", "passes=1,2", "--seeds", "2", "--jobs", "1"]
    sets = ["--set", "networks=2", "--set", "experiments=1", "--set", "protocols=none"]
    assert main([*argv, *sets, "--out", str(tmp_path / "s"), "--no-figures"], out=out) == 0
    lines = [line for line in out.getvalue().splitlines() if line.startswith("passes=")]
    assert len(lines) == 2
    assert all("exp1-localist-outside-none.comparison.mean_difference" in x for x in lines)


def test_a_new_seed_purpose_leaves_every_earlier_stream_as_it_was():
    """'pretraining' was appended to the purposes: the weights, data, order and test streams of
    every seed are still those of the four-purpose spawn that earlier runs used."""
    from srnlab.seeding import PURPOSES

    assert PURPOSES[:4] == ("weights", "data", "order", "test")
    for seed in (0, 7, (3, 1)):
        old = np.random.SeedSequence(seed).spawn(4)
        new = generators(seed)
        for name, child in zip(PURPOSES[:4], old, strict=True):
            assert np.array_equal(new[name].random(5), np.random.default_rng(child).random(5)), (
                seed,
                name,
            )
