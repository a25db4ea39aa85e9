"""The compiled feedforward loop (``kernels_ff``) against the NumPy reference
(``train(..., compiled=False)``): the same weights and history to 1e-12 in float64."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from srnlab.backprop import Network
from srnlab.params import init_feedforward
from srnlab.recipes import xor
from srnlab.training import Schedule, train

TOL = {"rtol": 1e-12, "atol": 1e-12}

# The two loops round alike except in exp (NumPy's vectorised exp and the C library's differ
# in the last bit now and then) and in the order of BLAS's sums, so they agree to about 1e-15
# per step; nets that train too fast for that to stay small are avoided below.


def _both(network, schedule, n_patterns, seed, init_range=1.0):
    rng = np.random.default_rng(seed)
    params = init_feedforward(network.sizes, rng, init_range)
    inputs = rng.uniform(-1, 1, (n_patterns, network.sizes[0]))
    if network.output_activation == "logistic":
        targets = rng.integers(0, 2, (n_patterns, network.sizes[-1])).astype(float)
    else:
        targets = rng.uniform(-0.8, 0.8, (n_patterns, network.sizes[-1]))
    runs = []
    for compiled in (True, False):
        order_rng = np.random.default_rng(seed + 1)
        runs.append(train(network, params, inputs, targets, schedule, order_rng, compiled=compiled))
    return runs


def _assert_same(fast, reference):
    (p_fast, h_fast), (p_ref, h_ref) = fast, reference
    # Settings where training stays well conditioned: a gradient step that amplifies
    # rounding differences (a large rate with momentum) would compare chaos, not code.
    assert np.all(np.isfinite(h_ref.error))
    for a, b in zip(p_fast.arrays(), p_ref.arrays(), strict=True):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, **TOL)
    assert h_fast.epoch == h_ref.epoch
    for column in ("error", "rms", "max_abs_error"):
        np.testing.assert_allclose(getattr(h_fast, column), getattr(h_ref, column), **TOL)
    assert h_fast.solved == h_ref.solved


UNITS = ("logistic", "tanh", "linear")


@pytest.mark.parametrize(
    ("update", "order", "momentum"),
    [("online", "fixed", 0.0), ("online", "shuffled", 0.9), ("batch", "fixed", 0.5)],
)
@pytest.mark.parametrize(("hidden", "output"), list(itertools.product(UNITS, UNITS)))
def test_compiled_training_equals_the_reference(update, order, momentum, hidden, output):
    network = Network((3, 4, 2), hidden, output, "squared")
    schedule = Schedule(0.02, momentum, 25, update, order)
    _assert_same(*_both(network, schedule, 5, seed=7))


@pytest.mark.parametrize("loss", ["squared", "half_squared", "cross_entropy"])
@pytest.mark.parametrize("update", ["online", "batch"])
def test_every_loss_and_two_hidden_layers(loss, update):
    network = Network((2, 5, 3, 2), "tanh", "logistic", loss)
    schedule = Schedule(0.1, 0.5, 30, update, "shuffled")
    _assert_same(*_both(network, schedule, 6, seed=3))


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=5),
    n_patterns=st.integers(1, 9),
    update=st.sampled_from(["online", "batch"]),
    order=st.sampled_from(["fixed", "shuffled"]),
    momentum=st.sampled_from([0.0, 0.3, 0.5]),
    hidden=st.sampled_from(UNITS),
    loss=st.sampled_from(["squared", "half_squared", "cross_entropy"]),
    seed=st.integers(0, 2**16),
)
def test_any_net_any_schedule(sizes, n_patterns, update, order, momentum, hidden, loss, seed):
    network = Network(tuple(sizes), hidden, "logistic", loss)
    schedule = Schedule(0.05, momentum, 10, update, order)
    fast, reference = _both(network, schedule, n_patterns, seed)
    # A deep chain of linear units can blow up under any loop; then there is nothing to compare.
    assume(np.all(np.isfinite(reference[1].error)))
    _assert_same(fast, reference)


def test_zero_epochs_and_the_input_is_not_changed():
    network = Network((2, 2, 1))
    params = init_feedforward(network.sizes, np.random.default_rng(0), 1.0)
    before = [a.copy() for a in params.arrays()]
    inputs, targets = np.eye(2), np.ones((2, 1))
    trained, history = train(
        network, params, inputs, targets, Schedule(epochs=0), np.random.default_rng(0)
    )
    assert history.epoch == [0]
    for a, b, c in zip(params.arrays(), before, trained.arrays(), strict=True):
        assert a.tobytes() == b.tobytes() == c.tobytes()
    trained, _ = train(
        network, params, inputs, targets, Schedule(epochs=3), np.random.default_rng(0)
    )
    for a, b in zip(params.arrays(), before, strict=True):
        assert a.tobytes() == b.tobytes()
    assert any(a.tobytes() != b.tobytes() for a, b in zip(trained.arrays(), before, strict=True))


def test_the_xor_recipe_solves_the_same_seeds_either_way():
    """The recipe's own settings over 12 seeds: the same verdict and first epoch solved,
    the same final weights to 1e-12, whichever loop trains."""
    import srnlab.recipes.xor as recipe_module

    fast = [xor.run(xor.Config(seed=s)) for s in range(12)]
    original = recipe_module.train
    try:
        recipe_module.train = lambda *a, **k: original(*a, compiled=False, **k)
        slow = [xor.run(xor.Config(seed=s)) for s in range(12)]
    finally:
        recipe_module.train = original
    for a, b in zip(fast, slow, strict=True):
        assert a.metrics["solved"] == b.metrics["solved"]
        assert a.metrics["first_solved_epoch"] == b.metrics["first_solved_epoch"]
        np.testing.assert_allclose(a.arrays["final_weights_0"], b.arrays["final_weights_0"], **TOL)


@pytest.mark.parametrize("n_patterns", [1, 2, 4, 9])
def test_the_epoch_orders_are_the_reference_loops_draws(n_patterns):
    """All epochs' orders are drawn in one call; they and the generator's state afterwards
    are those of one rng.permutation per epoch, as the reference loop draws them."""
    from srnlab.training import _orders

    rng, reference = np.random.default_rng(5), np.random.default_rng(5)
    orders = _orders(n_patterns, Schedule(epochs=50), rng)
    expected = [reference.permutation(n_patterns) for _ in range(50)]
    assert orders.tolist() == [row.tolist() for row in expected]
    assert rng.random() == reference.random()
    fixed = _orders(n_patterns, Schedule(epochs=3, order="fixed"), rng)
    assert fixed.tolist() == [list(range(n_patterns))] * 3
