"""The reference backward pass against central differences, and one update worked by hand."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from conftest import numeric_gradient
from srnlab.activations import ACTIVATIONS
from srnlab.backprop import Network, backward, forward, gradients
from srnlab.errors import UserError
from srnlab.losses import LOSSES
from srnlab.params import init_feedforward, named_weights, params_from_named, to_vector, zeros_like
from srnlab.training import apply_update


def _problem(sizes, seed, n_patterns=3, output_activation="logistic"):
    rng = np.random.default_rng(seed)
    params = init_feedforward(sizes, rng, 1.0)
    inputs = rng.uniform(-1, 1, size=(n_patterns, sizes[0]))
    # Targets strictly inside (0, 1) so cross-entropy is defined for every output activation
    # whose range allows it; linear/tanh outputs are only paired with the squared losses.
    targets = rng.uniform(0.1, 0.9, size=(n_patterns, sizes[-1]))
    return params, inputs, targets


CASES = [
    (sizes, hidden, output, loss)
    for sizes in [(2, 2, 1), (3, 4, 2), (2, 3, 2, 1)]
    for hidden, output in itertools.product(ACTIVATIONS, ACTIVATIONS)
    for loss in LOSSES
    if not (loss == "cross_entropy" and output != "logistic")
]


@pytest.mark.parametrize(("sizes", "hidden", "output", "loss"), CASES)
def test_backward_matches_central_differences(sizes, hidden, output, loss):
    network = Network(sizes, hidden, output, loss)
    params, inputs, targets = _problem(sizes, seed=len(sizes) * 7 + len(hidden))
    analytic = to_vector(gradients(network, params, inputs, targets))
    numeric = to_vector(numeric_gradient(network, params, inputs, targets))
    np.testing.assert_allclose(analytic, numeric, rtol=1e-7, atol=1e-9)


def test_gradient_of_a_batch_is_the_sum_of_pattern_gradients():
    network = Network((3, 4, 2))
    params, inputs, targets = _problem(network.sizes, seed=3, n_patterns=5)
    batch = to_vector(gradients(network, params, inputs, targets))
    summed = sum(
        to_vector(gradients(network, params, inputs[p : p + 1], targets[p : p + 1]))
        for p in range(5)
    )
    np.testing.assert_allclose(batch, summed, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("update", ["online", "batch"])
def test_momentum_updates_follow_the_numeric_gradient(update):
    """Three updates with momentum: each change equals -lr * dE/dw + m * previous change, with
    dE/dw taken by central differences at the weights of that moment."""
    network = Network((2, 3, 1), loss="half_squared")
    params, inputs, targets = _problem(network.sizes, seed=11, n_patterns=4)
    lr, momentum = 0.3, 0.8
    velocity = zeros_like(params)
    previous_change = to_vector(velocity)
    steps = (
        [(inputs[p : p + 1], targets[p : p + 1]) for p in (0, 1, 2)]
        if update == "online"
        else [(inputs, targets)] * 3
    )
    for x, y in steps:
        before = to_vector(params)
        expected = -lr * to_vector(numeric_gradient(network, params, x, y)) + momentum * (
            previous_change
        )
        apply_update(params, gradients(network, params, x, y), velocity, lr, momentum)
        change = to_vector(params) - before
        np.testing.assert_allclose(change, expected, rtol=1e-6, atol=1e-10)
        previous_change = change


def test_cross_entropy_stays_finite_when_the_output_saturates():
    network = Network((1, 1), loss="cross_entropy")
    params = params_from_named((1, 1), {"w0,2": 0.0, "w1,2": 100.0})
    grads = gradients(network, params, np.array([[1.0]]), np.array([[0.0]]))
    # a = sigma(100) == 1.0 in float64; dE/dx = a - y = 1 exactly, dE/dw1,2 = 1 * a_1 = 1.
    assert np.isfinite(to_vector(grads)).all()
    assert grads.weights[0][0, 0] == pytest.approx(1.0)


def test_shape_errors_are_user_errors():
    network = Network((2, 2, 1))
    params, _, _ = _problem(network.sizes, seed=0)
    with pytest.raises(UserError, match="2 values per pattern"):
        forward(network, params, np.zeros((4, 3)))
    trace = forward(network, params, np.zeros((4, 2)))
    with pytest.raises(UserError, match="3 targets for 4"):
        backward(network, params, trace, np.zeros((3, 1)))


def test_one_update_worked_by_hand():
    """The lecture's 2-2-1 net, pattern x = (1, 0), target y = 1, E = (y - a5)^2, lr = 0.5.

    Weights: w1,3 = 0.5, w2,3 = -0.5, w0,3 = 0;  w1,4 = 1, w2,4 = 1, w0,4 = -1;
             w3,5 = 1, w4,5 = -1, w6,5 = 0.5.

    Forward:
      x3 = w0,3 + w1,3*1 + w2,3*0 = 0.5        a3 = 1/(1+e^-0.5)       = 0.6224593312018546
      x4 = -1 + 1*1 + 1*0         = 0          a4 = 1/(1+e^0)          = 0.5
      x5 = 0.5 + 1*a3 - 1*a4      = 0.62245933  a5 = 1/(1+e^-x5)       = 0.6507776782147003
      E  = (1 - a5)^2                                                  = 0.12195623003311538
    Output unit 5:
      dE/da5 = -2 (y - a5) = -0.6984446435705993
      da5/dx5 = a5 (1 - a5) = 0.2272660917521843
      dE/dx5 = product     = -0.15873278444953748
      dE/dw3,5 = dE/dx5 * a3 = -0.09880470284826724
      dE/dw4,5 = dE/dx5 * a4 = -0.07936639222476874
      dE/dw6,5 = dE/dx5 * 1  = -0.15873278444953748
    Hidden units (error sent back along w3,5 = 1 and w4,5 = -1):
      dE/da3 = dE/dx5 * w3,5 = -0.15873278444953748;  da3/dx3 = a3(1-a3) = 0.2350037122015945
      dE/dx3 = -0.03730279359373684
      dE/da4 = dE/dx5 * w4,5 = +0.15873278444953748;  da4/dx4 = 0.25
      dE/dx4 = +0.03968319611238437
      dE/dw1,3 = dE/dx3 * x1 = -0.03730279359373684,  dE/dw2,3 = dE/dx3 * 0 = 0
      dE/dw1,4 = +0.03968319611238437,                dE/dw2,4 = 0
    New weights (w - 0.5 * dE/dw):
      w3,5 = 1.0494023514241335, w4,5 = -0.9603168038876156, w6,5 = 0.5793663922247687
      w1,3 = 0.5186513967968684, w0,3 = 0.01865139679686842, w2,3 = -0.5 (unchanged)
      w1,4 = 0.9801584019438078, w0,4 = -1.0198415980561921, w2,4 = 1 (unchanged)
    """
    network = Network((2, 2, 1))
    named = {"w0,3": 0.0, "w1,3": 0.5, "w2,3": -0.5, "w0,4": -1.0, "w1,4": 1.0, "w2,4": 1.0,
             "w6,5": 0.5, "w3,5": 1.0, "w4,5": -1.0}  # fmt: skip
    params = params_from_named((2, 2, 1), named)
    x, y = np.array([[1.0, 0.0]]), np.array([[1.0]])
    trace = forward(network, params, x)
    approx = lambda v: pytest.approx(v, rel=1e-12, abs=1e-15)  # noqa: E731

    assert trace.nets[0][0].tolist() == [0.5, 0.0]
    assert trace.activations[1][0, 0] == approx(0.6224593312018546)
    assert trace.activations[1][0, 1] == approx(0.5)
    assert trace.nets[1][0, 0] == approx(0.6224593312018546 - 0.5 + 0.5)
    assert trace.output[0, 0] == approx(0.6507776782147003)
    assert network.loss_function.value(y, trace.output) == approx(0.12195623003311538)

    back = backward(network, params, trace, y)
    assert back.error_by_activation[1][0, 0] == approx(-0.6984446435705993)
    assert back.slopes[1][0, 0] == approx(0.2272660917521843)
    assert back.deltas[1][0, 0] == approx(-0.15873278444953748)
    assert back.grads.weights[1][0].tolist() == [
        approx(-0.09880470284826724),
        approx(-0.07936639222476874),
    ]
    assert back.grads.biases[1][0] == approx(-0.15873278444953748)
    assert back.error_by_activation[0][0].tolist() == [
        approx(-0.15873278444953748),
        approx(0.15873278444953748),
    ]
    assert back.slopes[0][0].tolist() == [approx(0.2350037122015945), approx(0.25)]
    assert back.deltas[0][0].tolist() == [approx(-0.03730279359373684), approx(0.03968319611238437)]
    assert back.grads.weights[0].tolist() == [
        [approx(-0.03730279359373684), 0.0],
        [approx(0.03968319611238437), 0.0],
    ]

    apply_update(params, back.grads, zeros_like(params), learning_rate=0.5, momentum=0.0)
    new = named_weights(params)
    expected = {"w3,5": 1.0494023514241335, "w4,5": -0.9603168038876156,
                "w6,5": 0.5793663922247687, "w1,3": 0.5186513967968684,
                "w0,3": 0.01865139679686842, "w2,3": -0.5, "w1,4": 0.9801584019438078,
                "w0,4": -1.0198415980561921, "w2,4": 1.0}  # fmt: skip
    assert new == {k: approx(v) for k, v in expected.items()}
