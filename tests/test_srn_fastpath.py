"""The compiled fast path (``srn_fast``) computes what the readable reference (``srn_reference``)
computes, to 1e-12 in float64, in every training mode, for dense and one-hot streams, every
activation and loss, with resets and momentum; and the frozen pass gives the same trace."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import ACTIVATION_LOSS
from srnlab import kernels_units, srn_fast
from srnlab.srn import (
    SRN,
    SRNParams,
    SRNSchedule,
    Stream,
    as_stream,
    init_srn,
    reset_mask,
    run_srn,
    train_srn,
)

TOL = 1e-12

MODES = [
    (1, 1),  # Elman's copy-back, online: the dedicated kernel
    (1, 4),
    (2, 1),
    (3, 2),
    (5, 3),
    (None, None),
    (None, 3),
    ("window", 1),  # online, error stops at its own step: also the dedicated kernel
    ("window", 4),
    ("window", None),
]


def problem(seed: int, sizes: tuple[int, int, int], n_steps: int, one_hot: bool):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    n_in, n_hidden, n_out = sizes
    params = init_srn(n_in, n_hidden, n_out, rng, 1.0)
    if one_hot:
        X = rng.integers(0, n_in, n_steps)
        Y = rng.integers(0, n_out, n_steps)
    else:
        X = rng.uniform(0, 1, (n_steps, n_in))
        Y = rng.uniform(0.05, 0.95, (n_steps, n_out))
    return params, X, Y


def assert_same(a: SRNParams, b: SRNParams, tol: float = TOL) -> None:
    for name in SRNParams.NAMES:
        np.testing.assert_allclose(
            getattr(a, name), getattr(b, name), rtol=tol, atol=tol, err_msg=name
        )


def train_both(net, params, X, Y, schedule, passes, resets):  # type: ignore[no-untyped-def]
    return {
        backend: train_srn(
            net, params, X, Y, schedule, passes=passes, resets=resets, backend=backend
        )
        for backend in ("reference", "fast")
    }


@pytest.mark.parametrize(("through_time", "update_every"), MODES)
@pytest.mark.parametrize("one_hot", [False, True])
@pytest.mark.parametrize("resets", [[], [0, 7, 19]])
def test_fast_path_equals_reference_in_every_mode(
    through_time, update_every, one_hot, resets
) -> None:  # type: ignore[no-untyped-def]
    net = SRN(5, 7, 5)
    params, X, Y = problem(31, net.sizes, 30, one_hot)
    schedule = SRNSchedule(0.3, 0.7, through_time, update_every)
    runs = train_both(net, params, X, Y, schedule, passes=3, resets=resets)
    (ref, ref_history), (fast, fast_history) = runs["reference"], runs["fast"]
    assert_same(fast, ref)
    assert not np.allclose(fast.W_ch, params.W_ch)  # training did change the weights
    for column in ("error", "rms", "sse"):
        np.testing.assert_allclose(
            getattr(fast_history, column), getattr(ref_history, column), rtol=TOL
        )
    np.testing.assert_allclose(
        fast_history.final_context, ref_history.final_context, rtol=TOL, atol=TOL
    )


@pytest.mark.parametrize(("hidden", "output", "loss"), ACTIVATION_LOSS)
@pytest.mark.parametrize(("through_time", "update_every"), [(1, 1), (3, 1), (None, 5)])
def test_fast_path_equals_reference_for_every_activation_and_loss(
    hidden, output, loss, through_time, update_every
) -> None:  # type: ignore[no-untyped-def]
    net = SRN(4, 6, 3, hidden, output, loss, context_start=0.2)
    params, X, Y = problem(7, net.sizes, 25, one_hot=False)
    if output == "tanh":
        Y = 2 * Y - 1
    params = SRNParams(*(0.5 * a for a in params.arrays()))  # keep the linear nets tame
    schedule = SRNSchedule(0.05, 0.5, through_time, update_every)
    runs = train_both(net, params, X, Y, schedule, passes=2, resets=[10])
    assert_same(runs["fast"][0], runs["reference"][0])


def test_general_kernel_equals_the_dedicated_copy_back_kernel() -> None:
    """The general kernel at (k = 1, one-step windows) is the fused copy-back loop."""
    net = SRN(8, 12, 8)
    params, X, Y = problem(3, net.sizes, 60, one_hot=True)
    schedule = SRNSchedule(0.2, 0.9)
    stream_x, stream_y = as_stream(X, 8, "inputs"), as_stream(Y, 8, "targets")
    results = []
    for force_general in (False, True):
        trained = params.copy()
        context = net.start_context()
        run = srn_fast.pass_runner(
            net,
            trained,
            stream_x,
            stream_y,
            reset_mask([], 60),
            schedule,
            force_general=force_general,
        )
        sums = [run(context, None) for _ in range(3)]
        results.append((trained, context, sums))
    assert_same(results[0][0], results[1][0])
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=TOL)
    np.testing.assert_allclose(results[0][2], results[1][2], rtol=TOL)


def test_sentence_sized_one_hot_copy_back_matches_reference() -> None:
    """The hot loop at a size where the vectorised row sweeps matter (H not a multiple of 4)."""
    net = SRN(31, 150, 31)
    params, X, Y = problem(11, net.sizes, 120, one_hot=True)
    runs = train_both(net, params, X, Y, SRNSchedule(0.1, 0.9), passes=2, resets=None)
    assert_same(runs["fast"][0], runs["reference"][0])


@pytest.mark.parametrize("momentum", [0.0, 0.6])
@pytest.mark.parametrize("every_step", [True, False])
def test_copy_back_with_a_zero_context_matches_reference(momentum: float, every_step: bool) -> None:
    """A context that starts at 0: reset before every step it stays 0, and the copy-back
    kernel skips its W_ch sweep (without momentum); reset before some steps only, it does not
    (a reset followed by a step that carries h_t on, a step before a reset)."""
    net = SRN(5, 7, 5, context_start=0.0)
    params, X, Y = problem(13, net.sizes, 40, one_hot=False)
    resets = range(40) if every_step else [0, 1, 2, 3, 9, 10, 20, 21, 22, 39]
    runs = train_both(net, params, X, Y, SRNSchedule(0.3, momentum), passes=3, resets=resets)
    assert_same(runs["fast"][0], runs["reference"][0])
    assert not np.allclose(runs["fast"][0].W_xh, params.W_xh)
    # W_ch learns only from the steps that carry a context on
    assert np.allclose(runs["fast"][0].W_ch, params.W_ch) == every_step


@pytest.mark.parametrize("one_hot", [False, True])
def test_frozen_pass_equals_reference(one_hot: bool) -> None:
    net = SRN(6, 9, 6, context_start=0.3)
    params, X, _ = problem(5, net.sizes, 40, one_hot)
    context0 = np.linspace(0.1, 0.9, 9)
    fast = run_srn(net, params, X, context0=context0, resets=[12, 30], backend="fast")
    ref = run_srn(net, params, X, context0=context0, resets=[12, 30], backend="reference")
    for name in ("contexts", "net_hidden", "hidden", "net_output", "outputs"):
        np.testing.assert_allclose(
            getattr(fast, name), getattr(ref, name), rtol=TOL, atol=TOL, err_msg=name
        )
    np.testing.assert_array_equal(fast.contexts[12], np.full(9, 0.3))


def test_fast_path_is_bit_for_bit_repeatable() -> None:
    net = SRN(6, 10, 6)
    params, X, Y = problem(9, net.sizes, 50, one_hot=True)
    a, _ = train_srn(net, params, X, Y, SRNSchedule(0.1, 0.5, 3, 2), passes=2)
    b, _ = train_srn(net, params, X, Y, SRNSchedule(0.1, 0.5, 3, 2), passes=2)
    for name in SRNParams.NAMES:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


def test_training_leaves_the_callers_params_alone() -> None:
    net = SRN(3, 4, 3)
    params, X, Y = problem(1, net.sizes, 10, one_hot=True)
    before = params.copy()
    train_srn(net, params, X, Y, SRNSchedule(), passes=2)
    assert_same(params, before, tol=0.0)


def test_stream_object_and_raw_indices_train_alike() -> None:
    net = SRN(4, 5, 4)
    params, X, Y = problem(2, net.sizes, 20, one_hot=True)
    stream = Stream(None, np.asarray(X, dtype=np.int64), 4)
    a, _ = train_srn(net, params, stream, Y, SRNSchedule(), passes=1)
    b, _ = train_srn(net, params, np.eye(4)[X], Y, SRNSchedule(), passes=1)
    assert_same(a, b)


def test_vectorised_logistic_layer_matches_numpys_to_a_few_ulp() -> None:
    """The fast path's own e^-x (range reduction + Taylor series, for vectorised loops) against
    activations' NumPy logistic, over the whole range including the clipped tails."""
    from srnlab.activations import get_activation

    grid = np.concatenate(
        [
            np.linspace(-800.0, 800.0, 160_001),
            np.random.default_rng(0).normal(0.0, 4.0, 20_000),
            [0.0, -0.0, 709.0, -709.0, 1e-300, -1e-300, 36.7, -745.0],
        ]
    )
    expected = get_activation("logistic").function(grid)
    out = np.empty_like(grid)
    kernels_units.logistic_layer(grid, out, np.empty((2, grid.size)))
    np.testing.assert_allclose(out, expected, rtol=2e-15, atol=0)
    same = grid.copy()  # in place, as the training loops use it
    kernels_units.logistic_layer(same, same, np.empty((2, grid.size)))
    np.testing.assert_array_equal(same, out)


@pytest.mark.parametrize(("through_time", "update_every"), [(1, 1), (2, 1), (None, None), (3, 2)])
@pytest.mark.parametrize("backend", ["fast", "reference"])
def test_running_sse_after_step_t_is_the_sse_of_a_pass_over_steps_0_to_t(
    through_time, update_every, backend
) -> None:
    """What the rules recipe's learning at test relies on: each step's error is measured
    before any later update, so the running sum after step t is, exactly, the squared error
    of a pass over the first t + 1 steps alone; and it ends at the pass's sse."""
    net = SRN(4, 5, 4)
    params, X, Y = problem(5, net.sizes, 9, one_hot=True)
    schedule = SRNSchedule(0.5, 0.6, through_time, update_every)
    context0 = np.full(5, 0.3)
    _, history = train_srn(
        net, params, X, Y, schedule, passes=2, context0=context0, backend=backend,
        running_sse=True,
    )  # fmt: skip
    running = history.running_sse[0]
    prefixes = [
        train_srn(
            net, params, X[: t + 1], Y[: t + 1], schedule, passes=1, context0=context0,
            backend=backend,
        )[1].sse[0]
        for t in range(9)
    ]  # fmt: skip
    assert running.tolist() == prefixes
    assert [r[-1] for r in history.running_sse] == history.sse
    assert len(set(np.diff(running))) > 1  # the steps' errors differ: a real stream
    _, plain = train_srn(net, params, X, Y, schedule, passes=1, backend=backend)
    assert plain.running_sse == []  # kept only when asked for
