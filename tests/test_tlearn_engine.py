"""The tlearn engines: tlearn's own numbers, tlearn's node order, the SRN maths, the gradient,
and the compiled fast path against the reference engine."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from srnlab.srn import SRN, SRNSchedule, train_srn
from srnlab.tlearn.cf import parse_cf, read_cf
from srnlab.tlearn.engine import Training, run_sweeps
from srnlab.tlearn.fastpath import Layout, srn_layout, to_srn
from srnlab.tlearn.network import initial_weights
from srnlab.tlearn.patterns import parse_patterns
from srnlab.tlearn.project import Config, Project, load_project, run_project
from srnlab.tlearn.wts import format_wts, parse_wts, read_wts
from tlearn_data import SRN_CF, XOR_FILES, xor_folders


def _xor(folder):
    net = read_cf(folder / "xor.cf")
    x = parse_patterns((folder / "xor.data").read_text(), 2, "d", teach=False)
    y = parse_patterns((folder / "xor.teach").read_text(), 1, "t", teach=True)
    return (
        net,
        x,
        y,
        read_wts(folder / "xor.0.wts", net),
        parse_wts((folder / "xor.2000.wts").read_text())[0],
    )


# ---- tlearn's own numbers ------------------------------------------------------------------


@pytest.mark.parametrize("folder", xor_folders())
def test_float32_reproduces_tlearns_xor_weights_digit_for_digit(folder):
    """xtlearn -f xor -l xor.0.wts -s 2000 -r 0.3 -m 0.9: every printed digit of xor.2000.wts."""
    net, x, y, start, tlearn = _xor(folder)
    final, _ = run_sweeps(net, start, x, y, np.arange(2000) % 4, np.zeros(2000, bool),
                          Training(0.3, 0.9), precision="float32")  # fmt: skip
    printed = [f"{v:f}" for v in final.astype(np.float32).ravel()]
    assert printed == [f"{v:f}" for v in tlearn.ravel()]


@pytest.mark.parametrize("folder", xor_folders())
def test_the_project_run_gives_tlearns_xor_weights(folder):
    """`srnlab run xor.cf --weights xor.0.wts --set ...`: fast path (float64) and float32."""
    project = load_project(folder / "xor.cf")
    tlearn = parse_wts((folder / "xor.2000.wts").read_text())[0]
    config = Config(sweeps=2000, learning_rate=0.3, momentum=0.9, weights=str(folder / "xor.0.wts"))
    fast = run_project(project, config)
    assert fast.metrics["engine"] == "fast"
    # float64 differs from tlearn's float32 by rounding only: measured 6.4e-6 over 2000 sweeps
    assert np.abs(fast.arrays["final_weights"] - tlearn).max() < 1e-5
    exact = run_project(project, dataclasses.replace(config, precision="float32"))
    assert exact.metrics["engine"] == "reference"
    assert np.abs(exact.arrays["final_weights"] - tlearn).max() <= 5e-7  # tlearn prints 6 decimals


# ---- node order ----------------------------------------------------------------------------

ORDER_CF = """\
NODES:
nodes = 2
inputs = 1
outputs = 1
output node is 2
CONNECTIONS:
groups = 0
1 from i1
1 from 2
2 from 1
SPECIAL:
linear = 1-2
"""


def test_lower_numbers_are_seen_this_sweep_higher_numbers_last_sweep():
    """Node 1 = x + u * a2(previous sweep); node 2 = v * a1(this sweep), by hand."""
    net = parse_cf(ORDER_CF)
    u, v = 0.5, 2.0
    weights = np.zeros((2, 4))
    weights[0, 1], weights[0, 3], weights[1, 2] = 1.0, u, v
    x = np.array([[1.0], [3.0], [-1.0]])
    _, record = run_sweeps(net, weights, x, np.zeros((3, 1)), np.arange(3), np.zeros(3, bool),
                           None, keep=True)  # fmt: skip
    a1 = [1.0, 3.0 + u * (v * 1.0), -1.0 + u * (v * (3.0 + u * v))]
    assert record.activations is not None
    assert record.activations[:, 0].tolist() == a1
    assert record.activations[:, 1].tolist() == [v * a for a in a1]
    # a reset before sweep 2 sets node 2 back to 0: node 1 sees only its input there
    _, reset = run_sweeps(net, weights, x, np.zeros((3, 1)), np.arange(3),
                          np.array([False, False, True]), None, keep=True)  # fmt: skip
    assert reset.activations is not None and reset.activations[2, 0] == -1.0


def test_a_connection_from_a_higher_node_learns_from_its_previous_value():
    """One sweep, rate 1: dw(1 <- 2) = -delta_1 * a2 before the sweep, here 0 (start of run);
    in the second sweep it is -delta_1 * a2 of the first sweep."""
    net = parse_cf(ORDER_CF.replace("output node is 2", "output node is 1"))
    weights = np.array([[0.0, 1.0, 0.0, 0.5], [0.0, 0.0, 2.0, 0.0]])
    x, t = np.array([[1.0]]), np.array([[0.0]])
    after1, _ = run_sweeps(net, weights, x, t, [0], [False], Training(1.0))
    # a1 = 1 (a2 was 0), delta_1 = a1 - t = 1 (linear output): w(1<-i1) -= 1, w(1<-2) -= 0
    assert after1[0, 1] == 0.0 and after1[0, 3] == 0.5
    after2, _ = run_sweeps(net, weights, x, t, [0, 0], [False, False], Training(1.0))
    # sweep 2: a2(previous) = 2 * 1 = 2; a1 = w_i1 * 1 + 0.5 * 2 = 0 + 1 = 1; delta = 1
    assert after2[0, 3] == 0.5 - 1.0 * 2.0


# ---- the gradient ------------------------------------------------------------------------------

DAG_CF = """\
NODES:
nodes = 4
inputs = 2
outputs = 2
output nodes are 3-4
CONNECTIONS:
groups = 0
1-4 from 0
1-2 from i1-i2
2 from 1
3 from 1-2
4 from 1-2,i2
SPECIAL:
bipolar = 2
linear = 4
"""


def test_tlearns_deltas_are_the_gradient_of_half_the_squared_error():
    """On a feedforward net in node order (skip links, a bipolar and a linear unit), one
    sweep at rate 1 changes each weight by -dE/dw, E = 1/2 sum (t - a)^2, checked against
    central differences in float64. (Only while no output feeds another node: tlearn gives
    an output its own error only [compute.c], which is not the gradient there.)"""
    net = parse_cf(DAG_CF)
    weights = initial_weights(net, np.random.default_rng(3))
    x, t = np.array([[0.3, -0.7]]), np.array([[0.9, -0.2]])

    def error(w):
        _, record = run_sweeps(net, w, x, t, [0], [False], None)
        return record.loss[0]

    after, _ = run_sweeps(net, weights, x, t, [0], [False], Training(1.0))
    step = 1e-6
    numeric = np.zeros_like(weights)
    for index in zip(*np.nonzero(net.connected), strict=True):
        plus, minus = weights.copy(), weights.copy()
        plus[index] += step
        minus[index] -= step
        numeric[index] = (error(plus) - error(minus)) / (2 * step)
    assert np.abs((weights - after) - numeric).max() < 1e-8
    assert np.abs(numeric).max() > 1e-2  # the check is not trivially zero


# ---- the SRN maths -----------------------------------------------------------------------------


def _srn_project(seed=0, steps=24):
    net = parse_cf(SRN_CF)
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, (steps, 1)).astype(float)
    y = np.roll(x, -1, axis=0)
    return net, initial_weights(net, rng), x, y


@pytest.mark.parametrize(
    ("momentum", "every", "resets"), [(0.0, 1, []), (0.9, 1, [0, 12]), (0.5, 4, [0, 8])]
)
def test_the_srn_cf_follows_the_reference_srn_maths(momentum, every, resets):
    """The reference engine on an SRN .cf equals srn.py's readable reference maths with
    tlearn's choices: context from 0 (and 0 at a reset), 1/2 squared error, copy-back."""
    net, weights, x, y = _srn_project()
    passes = 5
    sweeps = passes * len(x)
    reset_at = np.isin(np.arange(sweeps) % len(x), resets)
    training = Training(0.3, momentum, every)
    ours, record = run_sweeps(net, weights, x, y, np.arange(sweeps) % len(x), reset_at, training)
    layout = srn_layout(net, weights)
    assert isinstance(layout, Layout) and layout.context == (4, 5)
    srn, params = to_srn(layout, weights, 1, cross_entropy=False)
    assert srn == SRN(1, 2, 1, "clamped_logistic", "clamped_logistic", "half_squared", 0.0)
    schedule = SRNSchedule(0.3, momentum, through_time=1, update_every=every)
    trained, history = train_srn(srn, params, x, y, schedule, passes=passes, resets=resets,
                                 backend="reference")  # fmt: skip
    assert np.allclose(ours[0:2, 1], trained.W_xh[:, 0], atol=1e-12, rtol=0)
    assert np.allclose(ours[0:2, [5, 6]], trained.W_ch, atol=1e-12, rtol=0)
    assert np.allclose(ours[2, [2, 3]], trained.W_hy[0], atol=1e-12, rtol=0)
    assert np.allclose(ours[0:3, 0], [*trained.b_h, *trained.b_y], atol=1e-12, rtol=0)
    per_pass = record.loss.reshape(passes, -1).sum(axis=1)
    assert np.allclose(per_pass, history.error, atol=1e-12, rtol=0)
    assert ours[3, 2] == ours[4, 3] == 1.0  # the copy links never move


# ---- the fast path -----------------------------------------------------------------------------


def _run_both(project: Project, config: Config):
    fast = run_project(project, config)
    reference = run_project(project, dataclasses.replace(config, engine="reference"))
    return fast, reference


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"momentum": 0.9},
        {"update_every_sweeps": 4, "momentum": 0.5},
        {"cross_entropy": True},
        {"reset": True},
    ],
)
def test_the_fast_path_equals_the_reference_engine_on_an_srn(tmp_path, changes):
    net, _, x, y = _srn_project(seed=1)
    (tmp_path / "s.reset").write_text("2\n0\n8\n")
    project = Project(tmp_path / "s.cf", net, x, y, [0, 8])
    config = Config(**{"sweeps": 10 * len(x), "learning_rate": 0.2, "reset": False, **changes})
    fast, reference = _run_both(project, config)
    assert (fast.metrics["engine"], reference.metrics["engine"]) == ("fast", "reference")
    assert np.abs(fast.arrays["final_weights"] - reference.arrays["final_weights"]).max() < 1e-12
    for column in ("error", "sse", "tlearn_rms"):
        assert np.allclose(fast.history[column], reference.history[column], atol=1e-12, rtol=0)
    assert np.allclose(fast.arrays["probe_activations"], reference.arrays["probe_activations"],
                       atol=1e-12, rtol=0)  # fmt: skip


@pytest.mark.parametrize("output", ["logistic", "linear"])
def test_the_fast_path_equals_the_reference_engine_on_a_layered_net(output):
    text = (DAG_CF.replace("2 from 1\n", "").replace("3 from 1-2", "3-4 from 1-2")
            .replace("4 from 1-2,i2\n", "").replace("bipolar = 2\n", ""))  # fmt: skip
    if output == "logistic":
        text = text.replace("linear = 4\n", "")
    else:
        text = text.replace("linear = 4", "linear = 3-4")
    net = parse_cf(text)
    rng = np.random.default_rng(2)
    x, y = rng.uniform(-1, 1, (6, 2)), rng.uniform(0, 1, (6, 2))
    project = Project(Path("dag.cf"), net, x, y, None)
    fast, reference = _run_both(project, Config(sweeps=600, learning_rate=0.1, momentum=0.8))
    assert fast.metrics["engine"] == "fast"
    assert np.abs(fast.arrays["final_weights"] - reference.arrays["final_weights"]).max() < 1e-12


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"precision": "float32"}, "float32"),
        ({"random_order": True}, "random order"),
        ({"sweeps": 50}, "not a whole number of passes"),
        ({"teacher_forcing": True}, "teacher forcing"),
        ({"update_every_sweeps": 5}, "straddle"),
    ],
)
def test_options_the_kernels_cannot_take_run_on_the_reference_engine(changes, reason):
    net, _, x, y = _srn_project(seed=2)
    project = Project(Path("s.cf"), net, x, y, None)
    result = run_project(project, Config(**{"sweeps": 48, **changes}))
    assert result.metrics["engine"] == "reference"
    assert reason in result.metrics["engine_note"]


@pytest.mark.parametrize("changes", [{}, {"cross_entropy": True, "momentum": 0.5}])
def test_the_fast_path_clamps_as_tlearn_does(tmp_path, changes):
    """Weights so large that net inputs pass 10 all through training: tlearn's clamp acts,
    and the kernels' clamped logistic gives the reference engine's numbers."""
    net, weights, x, y = _srn_project(seed=4)
    weights = weights * 30.0
    weights[3, 2] = weights[4, 3] = 1.0  # the copy links stay copies
    project = Project(Path("s.cf"), net, x, y, None)
    path = tmp_path / "big.wts"
    path.write_text(format_wts(weights, 0))
    config = Config(**{"sweeps": 48, "learning_rate": 0.1, "weights": str(path), **changes})
    fast, reference = _run_both(project, config)
    assert (fast.metrics["engine"], reference.metrics["engine"]) == ("fast", "reference")
    assert reference.metrics["clamp_reached_in_training"]
    assert np.abs(fast.arrays["final_weights"] - reference.arrays["final_weights"]).max() < 1e-12
    assert np.allclose(fast.arrays["probe_activations"], reference.arrays["probe_activations"],
                       atol=1e-12, rtol=0)  # fmt: skip
    # without the clamp the same run ends elsewhere: the clamp is what the test compares
    from srnlab.tlearn import fastpath

    unclamped = {**fastpath._ACTIVATIONS, fastpath.LOGISTIC: "logistic"}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fastpath, "_ACTIVATIONS", unclamped)
        plain = run_project(project, config)
    assert np.abs(plain.arrays["final_weights"] - reference.arrays["final_weights"]).max() > 1e-6


def test_teacher_forcing_feeds_the_target_not_the_output():
    """-t: a link from an output carries the pattern's target (a `*` target: the output)."""
    net = parse_cf(ORDER_CF.replace("output node is 2", "output node is 1"))
    weights = np.array([[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 2.0, 0.0]])  # node 2 = 2 * node 1
    x, t = np.array([[1.0], [1.0]]), np.array([[5.0], [np.nan]])
    forced = Training(0.1, teacher_forcing=True)
    _, record = run_sweeps(net, weights, x, t, [0, 1], [False, False], forced, keep=True,
                           learn=False)  # fmt: skip
    assert record.activations is not None
    assert record.activations[:, 1].tolist() == [10.0, 2.0]


# ---- against tlearn itself, beyond XOR ---------------------------------------------------------

COMPARE = XOR_FILES / "compare"  # projects run by tlearn; see its README.md
TLEARN_RUNS = [
    ("elman", "A", {"learning_rate": 0.3, "momentum": 0.9, "reset": False}, "fast"),
    ("elman", "B", {"learning_rate": 0.1, "update_every_sweeps": 3, "reset": True}, "fast"),
    ("elman", "C", {"learning_rate": 0.2, "momentum": 0.5, "cross_entropy": True,
                    "reset": False}, "fast"),
    ("dag", "D", {"learning_rate": 0.1, "momentum": 0.3}, "reference"),
    ("jordan", "E", {"learning_rate": 0.3, "teacher_forcing": True}, "reference"),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "case", "options", "engine"), TLEARN_RUNS)
def test_tlearns_own_runs_resets_groups_limits_dont_cares_and_teacher_forcing(
    stem, case, options, engine
):
    """tlearn's weights after SRN training with resets and -U, cross-entropy, groups, limits,
    bipolar and linear units, a `*` target, teacher forcing: float32 gives every printed
    digit; float64 (the kernels where the network maps) agrees to rounding."""
    (result_file,) = COMPARE.glob(f"{stem}.{case}.*.wts")
    tlearn, sweeps = parse_wts(result_file.read_text())
    project = load_project(COMPARE / f"{stem}.cf")
    config = Config(sweeps=sweeps, weights=str(COMPARE / f"{stem}.0.wts"), **options)
    exact = run_project(project, dataclasses.replace(config, precision="float32"))
    printed = [f"{v:f}" for v in exact.arrays["final_weights"].astype(np.float32).ravel()]
    assert printed == [f"{v:f}" for v in tlearn.ravel()]
    default = run_project(project, config)
    assert default.metrics["engine"] == engine
    assert np.abs(default.arrays["final_weights"] - tlearn).max() < 1e-5  # measured <= 3.9e-6
