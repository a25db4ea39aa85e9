"""`srnlab run time-as-space`: window nets on temporal XOR and letters, and the lecture's two
problems with them (the buffer size; a shifted pattern has no overlap with itself)."""

from __future__ import annotations

import dataclasses
import io
import json

import numpy as np
import pytest

from srnlab.backprop import Network
from srnlab.cli import main
from srnlab.errors import UserError
from srnlab.params import init_feedforward
from srnlab.presenters import time_as_space as presenter
from srnlab.recipes import time_as_space as recipe
from srnlab.results import load_run, save_run
from srnlab.tasks.letters import letter_stream
from srnlab.time_as_space import (
    place_event,
    shift_overlaps,
    shift_profile,
    slot_weight_correlations,
    train_window_net,
    window_ideal_predictions,
    window_inputs,
)
from srnlab.training import Schedule, train

# Small enough to run in well under a second, big enough for the qualitative results.
FAST = recipe.Config(widths=(1, 2), passes=100, stream_size=300)
SMOKE = recipe.Config(widths=(1, 3), passes=5, stream_size=40)


# ---- the library pieces ---------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["fast", "reference"])
def test_window_net_training_is_plain_online_backprop(backend):
    """The SRN loop with its context held at 0 trains exactly the feedforward net."""
    stream = letter_stream(20, np.random.default_rng(3))
    windows, targets = window_inputs(stream.inputs, 3), stream.targets
    network = Network((windows.shape[1], 4, 6))
    initial = init_feedforward(network.sizes, np.random.default_rng(1), 1.0)
    ours, history = train_window_net(
        initial, windows, targets, learning_rate=0.3, momentum=0.5, passes=3, backend=backend
    )
    schedule = Schedule(0.3, 0.5, epochs=3, update="online", order="fixed")
    theirs, _ = train(network, initial, windows, targets, schedule, np.random.default_rng(0))
    for a, b in zip(ours.arrays(), theirs.arrays(), strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    assert len(history.rms) == 3


def test_window_ideal_is_the_mean_target_of_each_window():
    windows = np.array([[0.0, 1.0], [0.0, 1.0], [1.0, 1.0], [0.0, 1.0]])
    targets = np.array([[1.0], [0.0], [1.0], [0.5]])
    assert window_ideal_predictions(windows, targets)[:, 0].tolist() == [0.5, 0.5, 1.0, 0.5]


def test_the_event_moved_through_the_buffer():
    assert place_event([[1.0], [1.0]], 6, 1).tolist() == [0, 1, 1, 0, 0, 0]  # the lecture's
    with pytest.raises(UserError, match="cannot start at slot 5"):
        place_event([[1.0], [1.0]], 6, 5)
    params = init_feedforward((6, 5, 1), np.random.default_rng(0), 1.0)
    profile = shift_profile(params, np.array([[1.0], [1.0]]), 6)
    assert profile["shifts"] == [0, 1, 2, 3, 4]
    expected = shift_overlaps(np.array([1.0, 1, 0, 0, 0, 0]), 4)
    np.testing.assert_allclose(profile["input"], expected, atol=1e-12)
    assert profile["hidden"][0] == pytest.approx(1.0)


def test_slot_weight_correlations_compare_slots():
    one_slot = np.random.default_rng(0).normal(size=(5, 2))
    same = np.hstack([one_slot, one_slot, -one_slot])  # 3 slots of 2 units each
    corr = slot_weight_correlations(same, 3)
    np.testing.assert_allclose(corr, [[1, 1, -1], [1, 1, -1], [-1, -1, 1]], atol=1e-12)


# ---- the recipe ------------------------------------------------------------------------------


def test_smoke_run_figures_and_run_folder_round_trip(tmp_path):
    result = recipe.run(SMOKE)
    m = result.metrics
    assert m["widths"] == [1, 3] and m["predictable"] == ["XOR bit"]
    assert set(m["error"]["squared"]["network"]) == {"coin flip 1", "coin flip 2", "XOR bit"}
    assert m["shift"]["lecture_overlaps"][recipe.LECTURE_SHIFT] == 0.0
    assert m["shift"]["input_overlap"] == pytest.approx([1.0, 0.5])  # "1 1" in 3 slots
    assert len(result.history["pass"]) == len(result.history["rms_w3"]) == 5
    assert set(presenter.figures(result)) == {"error_by_width", "shift", "learning_curves"}

    save_run(result, tmp_path)
    loaded = load_run(tmp_path)
    assert loaded.metrics == json.loads(json.dumps(m))
    assert loaded.history["rms_w1"] == pytest.approx(result.history["rms_w1"])
    np.testing.assert_array_equal(
        loaded.arrays["w3_final_weights_0"], result.arrays["w3_final_weights_0"]
    )
    assert set(presenter.figures(loaded)) == {"error_by_width", "shift", "learning_curves"}
    assert presenter.report(loaded) == presenter.report(result)


def test_letters_with_one_slot_still_report_and_draw():
    """A 1-slot buffer has no shift to show on the net: only the lecture's example is drawn."""
    result = recipe.run(dataclasses.replace(SMOKE, task="letters", widths=(1,)))
    assert "hidden_overlap" not in result.metrics["shift"]
    assert "slot_weight_correlation" not in result.metrics["shift"]
    assert result.metrics["positions"] == ["consonant", "vowel 1", "vowel 2", "vowel 3"]
    assert "shift" in presenter.figures(result)
    assert "width 1: network" in presenter.report(result)


def test_same_seed_same_numbers_and_each_width_is_its_own_net():
    first, again = recipe.run(SMOKE), recipe.run(SMOKE)
    assert first.metrics == again.metrics
    for key, value in first.arrays.items():
        np.testing.assert_array_equal(value, again.arrays[key])
    # width 3's net does not depend on which other widths run beside it
    alone = recipe.run(dataclasses.replace(SMOKE, widths=(3,)))
    np.testing.assert_array_equal(
        alone.arrays["w3_final_weights_0"], first.arrays["w3_final_weights_0"]
    )
    other_seed = recipe.run(dataclasses.replace(SMOKE, seed=1))
    assert not np.array_equal(
        other_seed.arrays["w3_initial_weights_0"], first.arrays["w3_initial_weights_0"]
    )


def test_temporal_xor_needs_a_window_of_two():
    """Problem 1: with one slot the XOR bit is a coin flip (error 0.25 at best); with two the
    net sees both bits it depends on and gets far lower, close to its window's ideal."""
    result = recipe.run(FAST)
    xor_bit = result.metrics["error"]["squared"]["network"]["XOR bit"]
    floor = result.metrics["error"]["squared"]["window_ideal"]["XOR bit"]
    assert xor_bit[0] > 0.24  # width 1 cannot beat the coin
    assert xor_bit[1] < 0.6 * xor_bit[0]  # width 2 learns the XOR bit
    assert xor_bit[1] < floor[1] + 0.03
    assert recipe.success(result)


def test_letters_need_a_window_of_three():
    """ "uu" may be followed by u or by a consonant; "uuu" never by a u: three slots suffice."""
    result = recipe.run(dataclasses.replace(FAST, task="letters", widths=(2, 3)))
    last_u = result.metrics["error"]["squared"]["network"]["vowel 3"]
    assert last_u[0] > 0.8 and last_u[1] < 0.02
    assert recipe.success(result)


def test_bad_configs_are_refused():
    with pytest.raises(UserError, match="distinct and increasing"):
        recipe.Config(widths=(2, 1))
    with pytest.raises(UserError, match="one or more window sizes"):
        recipe.Config(widths=())
    with pytest.raises(UserError, match="unknown task"):
        recipe.Config(task="words")  # type: ignore[arg-type]


# ---- the command line ---------------------------------------------------------------------


SMOKE_ARGS = ["--set", "widths=1,4", "--set", "passes=5", "--set", "stream_size=40"]


def test_cli_run_writes_a_run_folder(tmp_path):
    out = io.StringIO()
    folder = tmp_path / "tas"
    argv = ["run", "time-as-space", *SMOKE_ARGS, "--set", "task=letters", "--out", str(folder)]
    assert main(argv, out=out) == 0
    for name in ("config.json", "metrics.json", "history.csv", "arrays.npz"):
        assert (folder / name).is_file()
    for figure in ("error_by_width", "shift", "learning_curves"):
        assert (folder / "figures" / f"{figure}.png").stat().st_size > 1000
    assert load_run(folder).config["widths"] == [1, 4]
    assert "width 4: network" in out.getvalue()


def test_cli_seeds_summarise(tmp_path):
    out = io.StringIO()
    argv = ["run", "time-as-space", *SMOKE_ARGS, "--seeds", "2", "--out", str(tmp_path / "s")]
    assert main(argv, out=out) == 0
    summary = json.loads((tmp_path / "s" / "summary.json").read_text())
    assert summary["seeds"] == [0, 1] and len(summary["shifted_hidden_overlap"]) == 2
    assert (tmp_path / "s" / "figures" / "error_by_width.png").is_file()
    assert "/2 seeds" in out.getvalue()


def test_cli_refuses_an_unknown_task(tmp_path, capsys):
    argv = ["run", "time-as-space", "--set", "task=words", "--out", str(tmp_path / "x")]
    assert main(argv) == 2
    assert "valid values are temporal-xor, letters" in capsys.readouterr().err


# ---- paper-scale (slow) ---------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("task", ["temporal-xor", "letters"])
def test_default_runs_learn_what_each_window_allows_across_seeds(task):
    for seed in range(3):
        result = recipe.run(recipe.Config(task=task, seed=seed))
        assert recipe.success(result), (task, seed, result.metrics["gap_to_window_ideal"])
