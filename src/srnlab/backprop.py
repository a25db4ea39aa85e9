"""The reference forward and backward passes of a layered (feedforward) network.

This is the lecture's maths, written to be read beside it. For a unit i with incoming weights
w_{j,i} from units j and a bias w_{0,i} from an always-on unit:

    x_i = w_{0,i} + sum_j w_{j,i} a_j          (net input)
    a_i = f(x_i)                               (activation)

and the chain rule for one weight is the product of three factors,

    dE/dw_{j,i} = dE/da_i * da_i/dx_i * dx_i/dw_{j,i}
                = dE/da_i * f'(x_i)    * a_j

where dE/da_i comes from the loss at an output unit, and at a hidden unit is the error sent
back from the layer above: dE/da_i = sum_k dE/dx_k * w_{i,k}.

Every function takes patterns as rows (shape ``(n_patterns, n_units)``); gradients are summed
over the patterns given, because the error of a set of patterns is the sum of their errors.
The compiled fast paths elsewhere in the package are tested against this file.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from srnlab.activations import Activation, get_activation
from srnlab.errors import UserError
from srnlab.losses import Loss, get_loss, output_delta
from srnlab.params import FeedforwardParams, validate_sizes

Array = np.ndarray


@dataclass(frozen=True)
class Network:
    """What a network *is* (its hyperparameters), apart from its learned weights."""

    sizes: tuple[int, ...]
    hidden_activation: str = "logistic"
    output_activation: str = "logistic"
    loss: str = "squared"

    def __post_init__(self) -> None:
        object.__setattr__(self, "sizes", validate_sizes(self.sizes))
        get_activation(self.hidden_activation)  # fail early, with the valid names
        get_activation(self.output_activation)
        get_loss(self.loss)

    def activation(self, layer: int) -> Activation:
        """The activation of layer ``layer`` (1 .. L; the output layer is L)."""
        is_output = layer == len(self.sizes) - 1
        return get_activation(self.output_activation if is_output else self.hidden_activation)

    @property
    def loss_function(self) -> Loss:
        return get_loss(self.loss)


@dataclass(frozen=True)
class Trace:
    """Everything the forward pass computed: ``activations[0]`` is the input pattern,
    ``nets[l - 1]`` and ``activations[l]`` are the x and a of layer l."""

    nets: tuple[Array, ...]
    activations: tuple[Array, ...]

    @property
    def output(self) -> Array:
        return self.activations[-1]


@dataclass(frozen=True)
class Backward:
    """Every chain-rule factor of the backward pass, layer by layer (index l - 1 for layer l).

    ``error_by_activation`` = dE/da, ``slopes`` = da/dx = f'(x), ``deltas`` = dE/dx, and
    ``grads`` = dE/dw for every weight and bias.
    """

    error_by_activation: tuple[Array, ...]
    slopes: tuple[Array, ...]
    deltas: tuple[Array, ...]
    grads: FeedforwardParams


def as_patterns(values: Array, width: int, what: str) -> Array:
    """Patterns as a float64 matrix with one row per pattern; a single vector becomes one row."""
    array = np.asarray(values, dtype=float)
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2 or array.shape[1] != width:
        raise UserError(f"{what} must have {width} values per pattern, got shape {array.shape}")
    return array


def forward(network: Network, params: FeedforwardParams, inputs: Array) -> Trace:
    """Run patterns through the net, keeping every net input and activation."""
    a = as_patterns(inputs, network.sizes[0], "inputs")
    nets: list[Array] = []
    activations: list[Array] = [a]
    for layer, (w, b) in enumerate(zip(params.weights, params.biases, strict=True), start=1):
        x = a @ w.T + b  # x_i = w_{0,i} + sum_j w_{j,i} a_j
        a = network.activation(layer).function(x)  # a_i = f(x_i)
        nets.append(x)
        activations.append(a)
    return Trace(tuple(nets), tuple(activations))


def backward(network: Network, params: FeedforwardParams, trace: Trace, targets: Array) -> Backward:
    """Backpropagate the error of the traced patterns: every factor of the chain rule."""
    n_layers = len(params.weights)
    y = as_patterns(targets, network.sizes[-1], "targets")
    if y.shape[0] != trace.output.shape[0]:
        raise UserError(f"{y.shape[0]} targets for {trace.output.shape[0]} input patterns")
    loss = network.loss_function

    error_by_activation: list[Array] = [np.empty(0)] * n_layers
    slopes: list[Array] = [np.empty(0)] * n_layers
    deltas: list[Array] = [np.empty(0)] * n_layers
    grad_w: list[Array] = [np.empty(0)] * n_layers
    grad_b: list[Array] = [np.empty(0)] * n_layers

    # Output layer: dE/da from the loss, e.g. dE/da = -2 (y - a) for E = (y - a)^2.
    out = trace.output
    with np.errstate(divide="ignore", invalid="ignore"):  # cross-entropy at a saturated unit
        dE_da = loss.grad(y, out)
    for layer in range(n_layers, 0, -1):
        a = trace.activations[layer]
        a_below = trace.activations[layer - 1]
        activation = network.activation(layer)
        slope = activation.derivative(a)  # da_i/dx_i = f'(x_i), e.g. a (1 - a)
        if layer == n_layers:
            delta = output_delta(loss, activation.name, y, a, slope)  # dE/dx = dE/da * da/dx
        else:
            delta = dE_da * slope  # dE/dx_i = dE/da_i * da_i/dx_i
        error_by_activation[layer - 1] = dE_da
        slopes[layer - 1] = slope
        deltas[layer - 1] = delta
        grad_w[layer - 1] = delta.T @ a_below  # dE/dw_{j,i} = dE/dx_i * a_j, summed over patterns
        grad_b[layer - 1] = delta.sum(axis=0)  # dx_i/dw_{0,i} = 1: the bias unit is always on
        # Credit for the layer below: dE/da_j = sum_i dE/dx_i * dx_i/da_j, and dx_i/da_j = w_{j,i}.
        dE_da = delta @ params.weights[layer - 1]

    return Backward(
        tuple(error_by_activation),
        tuple(slopes),
        tuple(deltas),
        FeedforwardParams(tuple(grad_w), tuple(grad_b)),
    )


def gradients(
    network: Network, params: FeedforwardParams, inputs: Array, targets: Array
) -> FeedforwardParams:
    """dE/dw for every weight and bias, summed over the given patterns."""
    return backward(network, params, forward(network, params, inputs), targets).grads


def error(network: Network, params: FeedforwardParams, inputs: Array, targets: Array) -> float:
    """E summed over the given patterns (and output units) under the network's loss."""
    y = as_patterns(targets, network.sizes[-1], "targets")
    return network.loss_function.value(y, forward(network, params, inputs).output)
