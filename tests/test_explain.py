"""The worked-backprop records against the package's reference maths (``backprop.py``).

``explain.py`` computes every number with scalar loops over named weights; ``backprop.py`` with
matrix products. Comparing the two, record by record, checks both.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from conftest import numeric_gradient
from srnlab.backprop import Network, backward, error, forward
from srnlab.errors import UserError
from srnlab.explain import MAX_UPDATES, build_worksheet, explain_pattern
from srnlab.explain_records import PatternRecord, connections
from srnlab.params import (
    FeedforwardParams,
    init_feedforward,
    named_weights,
    zeros_like,
)
from srnlab.training import Schedule, apply_update, train

XOR_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_TARGETS = np.array([[0.0], [1.0], [1.0], [0.0]])
TIGHT = {"rtol": 1e-12, "atol": 1e-12}

# (sizes, hidden activation, output activation, loss): every activation and loss appears, on
# nets with zero, one and two hidden layers and with several outputs.
CASES = [
    ((2, 2, 1), "logistic", "logistic", "squared"),
    ((2, 2, 1), "tanh", "logistic", "cross_entropy"),
    ((2, 3, 2, 1), "logistic", "logistic", "squared"),
    ((2, 3, 2, 1), "tanh", "linear", "half_squared"),
    ((2, 3, 2, 1), "linear", "tanh", "squared"),
    ((3, 2, 2), "logistic", "logistic", "cross_entropy"),
    ((3, 2, 2), "tanh", "tanh", "half_squared"),
    ((3, 2, 2), "linear", "logistic", "half_squared"),
    ((2, 1), "logistic", "linear", "squared"),
]


def _case(sizes, hidden, output, loss, seed=0):
    """A network, random weights and four random patterns (targets in (0, 1))."""
    rng = np.random.default_rng(seed)
    network = Network(sizes, hidden, output, loss)
    params = init_feedforward(sizes, rng, 1.5)
    inputs = rng.uniform(-1.0, 1.0, size=(4, sizes[0]))
    targets = rng.uniform(0.05, 0.95, size=(4, sizes[-1]))
    return network, params, inputs, targets


@pytest.mark.parametrize(("sizes", "hidden", "output", "loss"), CASES)
def test_every_record_agrees_with_backprop(sizes, hidden, output, loss):
    network, params, inputs, targets = _case(sizes, hidden, output, loss)
    weights = named_weights(params)
    for p in range(len(inputs)):
        x, y = inputs[p : p + 1], targets[p : p + 1]
        record = explain_pattern(network, weights, x[0], y[0], pattern=p)
        trace = forward(network, params, x)
        reference = backward(network, params, trace, y)
        gradient = named_weights(reference.grads)

        # every chain-rule product is the gradient of that weight
        assert [w.name for w in record.weights] == list(gradient)
        for w in record.weights:
            np.testing.assert_allclose(w.product, gradient[w.name], **TIGHT)

        # the forward quantities, layer by layer
        for layer in range(1, len(sizes)):
            units = [u for u in record.units if u.layer == layer]
            np.testing.assert_allclose(
                [u.net_input for u in units], trace.nets[layer - 1][0], **TIGHT
            )
            np.testing.assert_allclose(
                [u.activation for u in units], trace.activations[layer][0], **TIGHT
            )
            # the backward quantities: dE/da, da/dx and dE/dx of every unit
            credits = [c for c in record.credits if c.layer == layer]
            for field, ours in (
                ("error_by_activation", [c.dE_da for c in credits]),
                ("slopes", [c.slope for c in credits]),
                ("deltas", [c.dE_dx for c in credits]),
            ):
                theirs = getattr(reference, field)[layer - 1][0]
                np.testing.assert_allclose(ours, theirs, **TIGHT)
        np.testing.assert_allclose(record.error, error(network, params, x, y), **TIGHT)


def test_records_agree_with_central_differences():
    """A check that does not go through backprop.py at all."""
    network, params, inputs, targets = _case((2, 3, 2, 1), "tanh", "logistic", "squared", seed=4)
    record = explain_pattern(network, named_weights(params), inputs[1], targets[1])
    numeric = named_weights(numeric_gradient(network, params, inputs[1:2], targets[1:2]))
    for w in record.weights:
        assert w.product == pytest.approx(numeric[w.name], abs=1e-8)


@pytest.mark.parametrize(("sizes", "hidden", "output", "loss"), CASES)
def test_records_show_the_lecture_factors(sizes, hidden, output, loss):
    network, params, inputs, targets = _case(sizes, hidden, output, loss, seed=1)
    weights = named_weights(params)
    record = explain_pattern(network, weights, inputs[0], targets[0])
    activation = {u.unit: u.activation for u in record.units}
    bias_units = {c.source for c in connections(sizes) if c.is_bias}
    for w in record.weights:
        # dE/dw = dE/da * da/dx * dx/dw, and dx/dw is a_j, or 1 from an always-on bias unit
        assert w.product == pytest.approx(w.dE_da * w.slope * w.dx_dw, rel=1e-12, abs=1e-15)
        assert w.dx_dw == (1.0 if w.source in bias_units else activation[w.source])
        assert (w.dE_da, w.slope, w.dE_dx) == (
            record.credit(w.target).dE_da,
            record.credit(w.target).slope,
            record.credit(w.target).dE_dx,
        )
    for c in record.credits:
        if c.terms:  # hidden unit: dE/da_i = sum_k dE/dx_k w_i,k, term by term
            assert c.dE_da == pytest.approx(sum(t.product for t in c.terms), rel=1e-12)
            for t in c.terms:
                assert t.value == weights[t.weight]
                assert t.dE_dx == record.credit(t.source).dE_dx
                assert t.product == pytest.approx(t.dE_dx * t.value, rel=1e-15)


def test_lecture_numbering_of_the_xor_net():
    names = [c.name for c in connections((2, 2, 1))]
    # The lecture's list: W0,3 W0,4 W1,3 W1,4 W2,3 W2,4 W3,5 W4,5 W6,5 (ours grouped by unit).
    assert sorted(names) == sorted(
        ["w0,3", "w0,4", "w1,3", "w1,4", "w2,3", "w2,4", "w3,5", "w4,5", "w6,5"]
    )
    record = explain_pattern(Network((2, 2, 1)), dict.fromkeys(names, 0.0), [0, 1], [1])
    assert [u.unit for u in record.units] == [1, 2, 3, 4, 5]
    assert [c.unit for c in record.credits] == [5, 3, 4]  # the output first, then back


def test_hand_worked_update_from_zero_weights():
    """Every weight 0, pattern 01 -> 1, lr 0.5, worked with pencil and the lecture's formulas:
    a3 = a4 = sigma(0) = 0.5, x5 = 0 and a5 = 0.5, E = (1 - 0.5)^2 = 0.25,
    dE/da5 = -2 (1 - 0.5) = -1, sigma'(x5) = 0.25, dE/dx5 = -0.25,
    dE/dw6,5 = -0.25, dE/dw3,5 = dE/dw4,5 = -0.25 * 0.5 = -0.125, and because w3,5 = w4,5 = 0
    no credit reaches the hidden units: their gradients are 0."""
    network = Network((2, 2, 1))
    ws = build_worksheet(network, zeros(network), [[0, 1]], [[1]], learning_rate=0.5)
    (update,) = ws.updates
    (record,) = update.patterns
    assert [u.activation for u in record.units] == [0, 1, 0.5, 0.5, 0.5]
    assert record.error == 0.25
    assert (record.credit(5).dE_da, record.credit(5).slope, record.credit(5).dE_dx) == (
        -1.0,
        0.25,
        -0.25,
    )
    expected_gradient = {"w6,5": -0.25, "w3,5": -0.125, "w4,5": -0.125}
    for change in update.changes:
        assert change.gradient == expected_gradient.get(change.name, 0.0)
        assert change.new == -0.5 * expected_gradient.get(change.name, 0.0)


def test_hand_worked_credit_to_a_hidden_unit():
    """w3,5 = 1 and every other weight 0, pattern 11 -> 0: x5 = a3 = 0.5, so
    dE/da3 = dE/dx5 * w3,5 = -2 (0 - a5) a5 (1 - a5) and dE/dw1,3 = dE/da3 * 0.25 * a1."""
    network = Network((2, 2, 1))
    weights = dict.fromkeys(named_weights(zeros(network)), 0.0) | {"w3,5": 1.0}
    record = explain_pattern(network, weights, [1, 1], [0])
    a5 = 1 / (1 + math.exp(-0.5))
    dE_dx5 = -2 * (0 - a5) * a5 * (1 - a5)
    assert record.unit(5).net_input == 0.5
    assert record.credit(3).dE_da == pytest.approx(dE_dx5, rel=1e-15)
    assert record.credit(4).dE_da == 0.0
    assert record.weight("w1,3").product == pytest.approx(dE_dx5 * 0.25 * 1.0, rel=1e-15)
    assert record.weight("w0,3").dx_dw == 1.0


def zeros(network: Network) -> FeedforwardParams:
    return zeros_like(init_feedforward(network.sizes, np.random.default_rng(0), 1.0))


@pytest.mark.parametrize(("update", "momentum"), [("online", 0.0), ("online", 0.9), ("batch", 0.5)])
def test_final_weights_match_training(update, momentum):
    network = Network((2, 2, 1))
    params = init_feedforward(network.sizes, np.random.default_rng(5), 1.0)
    ws = build_worksheet(
        network, params, XOR_INPUTS, XOR_TARGETS,
        learning_rate=0.7, momentum=momentum, update=update, epochs=3,
    )  # fmt: skip
    schedule = Schedule(0.7, momentum, epochs=3, update=update, order="fixed")
    rng = np.random.default_rng(0)  # unused: the order is fixed
    trained, history = train(network, params, XOR_INPUTS, XOR_TARGETS, schedule, rng)
    assert len(ws.updates) == (12 if update == "online" else 3)
    for ours, theirs in zip(ws.final_params.arrays(), trained.arrays(), strict=True):
        np.testing.assert_allclose(ours, theirs, **TIGHT)
    if update == "batch":
        # a batch update's E (all patterns, before it) is what training measured an epoch earlier
        for u, measured in zip(ws.updates, history.error, strict=False):
            assert u.error == pytest.approx(measured, rel=1e-12)


def test_online_order_and_momentum_step_by_step():
    """A chosen order (with a repeat) against backprop + training.apply_update, update by
    update, and every update's bookkeeping: old = previous new, change = -lr g + mu change."""
    network = Network((2, 3, 2, 1), "tanh", "logistic", "cross_entropy")
    params = init_feedforward(network.sizes, np.random.default_rng(2), 1.0)
    order, lr, mu = [2, 0, 3, 3, 1], 0.3, 0.8
    ws = build_worksheet(
        network, params, XOR_INPUTS, XOR_TARGETS,
        learning_rate=lr, momentum=mu, order=order, epochs=2,
    )  # fmt: skip
    reference = params.copy()
    velocity = zeros_like(reference)
    previous = None
    assert [u.patterns[0].pattern for u in ws.updates] == order * 2
    assert [u.epoch for u in ws.updates] == [1] * 5 + [2] * 5
    for update, p in zip(ws.updates, order * 2, strict=True):
        x, y = XOR_INPUTS[p : p + 1], XOR_TARGETS[p : p + 1]
        grads = backward(network, reference, forward(network, reference, x), y).grads
        before = named_weights(reference)
        apply_update(reference, grads, velocity, lr, mu)
        after, gradient = named_weights(reference), named_weights(grads)
        for c in update.changes:
            assert c.old == pytest.approx(before[c.name], rel=1e-12, abs=1e-12)
            assert c.gradient == pytest.approx(gradient[c.name], rel=1e-12, abs=1e-12)
            assert c.new == pytest.approx(after[c.name], rel=1e-12, abs=1e-12)
            assert c.change == -lr * c.gradient + mu * c.previous_change
            assert c.new == c.old + c.change
            if previous is None:
                assert c.previous_change == 0.0
            else:
                assert c.previous_change == previous.change(c.name).change
                assert c.old == previous.change(c.name).new
        previous = update


def test_batch_update_sums_the_patterns():
    network = Network((3, 2, 2), "logistic", "logistic", "half_squared")
    rng = np.random.default_rng(3)
    params = init_feedforward(network.sizes, rng, 1.0)
    inputs, targets = rng.uniform(size=(5, 3)), rng.uniform(size=(5, 2))
    ws = build_worksheet(
        network, params, inputs, targets, learning_rate=0.2, update="batch", order=[4, 1, 1]
    )
    (update,) = ws.updates
    assert [p.pattern for p in update.patterns] == [4, 1, 1]
    gradient = named_weights(
        backward(
            network, params, forward(network, params, inputs[[4, 1, 1]]), targets[[4, 1, 1]]
        ).grads
    )
    for c in update.changes:
        assert c.gradient == pytest.approx(gradient[c.name], rel=1e-12, abs=1e-12)
        assert c.gradient == sum(p.weight(c.name).product for p in update.patterns)


def test_activations_by_layer_for_the_diagram():
    network, params, inputs, targets = _case((2, 3, 2, 1), "tanh", "logistic", "squared")
    record: PatternRecord = explain_pattern(network, named_weights(params), inputs[0], targets[0])
    layers = record.activations_by_layer()
    trace = forward(network, params, inputs[:1])
    assert [a.shape for a in layers] == [(2,), (3,), (2,), (1,)]
    for ours, theirs in zip(layers, trace.activations, strict=True):
        np.testing.assert_allclose(ours, theirs[0], **TIGHT)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"learning_rate": 0.0}, "learning rate"),
        ({"learning_rate": math.nan}, "learning rate"),
        ({"momentum": 1.0}, "momentum"),
        ({"epochs": 0}, "epochs"),
        ({"update": "minibatch"}, "unknown update"),
        ({"order": [4]}, "pattern index 4"),
        ({"order": []}, "empty"),
        ({"epochs": MAX_UPDATES}, "too many"),
    ],
)
def test_bad_settings_are_user_errors(change, message):
    network = Network((2, 2, 1))
    params = init_feedforward(network.sizes, np.random.default_rng(0), 1.0)
    settings = {"learning_rate": 0.5} | change
    with pytest.raises(UserError, match=message):
        build_worksheet(network, params, XOR_INPUTS, XOR_TARGETS, **settings)


def test_mismatched_inputs_are_user_errors():
    network = Network((2, 2, 1))
    params = init_feedforward((2, 3, 1), np.random.default_rng(0), 1.0)
    with pytest.raises(UserError, match="2-3-1"):
        build_worksheet(network, params, XOR_INPUTS, XOR_TARGETS, learning_rate=0.5)
    params = init_feedforward((2, 2, 1), np.random.default_rng(0), 1.0)
    with pytest.raises(UserError, match="targets"):
        build_worksheet(network, params, XOR_INPUTS, XOR_TARGETS[:3], learning_rate=0.5)
    with pytest.raises(UserError, match="cross_entropy"):
        build_worksheet(
            Network((2, 2, 1), output_activation="tanh", loss="cross_entropy"),
            params, XOR_INPUTS, XOR_TARGETS, learning_rate=0.5,
        )  # fmt: skip
