"""The worked backprop example: every number of every update, as records in the lecture's notation.

This is the spreadsheet of the lecture's hands-on demo, as data. Units are numbered the
lecture's way (a 2-2-1 net: inputs 1-2, hidden 3-4, output 5) and a bias is the weight from a
unit that is always on (w0,3, w0,4 and w6,5). For one pattern the records hold

    forward    x_i = w0,i + sum_j w_j,i a_j  and  a_i = f(x_i)       for every unit i
    error      E, e.g. the lecture's E = (y - a5)^2
    backward   dE/da_i: from the loss at an output unit, and at a hidden unit the credit sent
               back from the layer above, dE/da_i = sum_k dE/dx_k w_i,k (term by term);
               the slope da_i/dx_i = f'(x_i) and their product dE/dx_i
    chain      for every weight w_j,i:  dE/dw_j,i = dE/da_i * f'(x_i) * dx_i/dw_j,i,
               where dx_i/dw_j,i = a_j (and 1 for a bias: its unit is always on)

and an update adds, for every weight, the gradient summed over the update's patterns, the
change  delta_w(t) = -lr * dE/dw + momentum * delta_w(t - 1)  and the new weight.

Why the sums here are plain scalar loops: ``backprop.py`` is the package's vectorised reference,
and the tests compare every product recorded here with its gradients. Computing the records
unit by unit, the way the spreadsheet does, keeps that comparison a real check of two
independent calculations rather than a copy of one. The records themselves, and the wiring
(which weight runs from which unit to which), are defined in ``explain_records.py``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from srnlab.activations import logistic, logistic_slope, tanh_slope
from srnlab.backprop import Network, as_patterns
from srnlab.errors import UserError
from srnlab.explain_records import (
    CreditRecord,
    CreditTerm,
    PatternRecord,
    UnitRecord,
    UpdateRecord,
    WeightChange,
    WeightRecord,
    Worksheet,
    connections,
    incoming,
    outgoing,
)
from srnlab.losses import CE_EPS
from srnlab.params import FeedforwardParams, named_weights, unit_numbers

UPDATE_MODES = ("online", "batch")

# A worksheet explains updates one by one; a long training run belongs to `srnlab run`.
MAX_UPDATES = 10_000

# ---- scalar unit functions and losses (the spreadsheet's formulas) ------------------------


# name -> (a = f(x), da/dx written from the output a): the scalar forms of ``activations.py``
_UNIT_FUNCTIONS: dict[str, tuple[Callable[[float], float], Callable[[float], float]]] = {
    "logistic": (logistic, logistic_slope),  # sigma'(x) = a (1 - a)
    "tanh": (math.tanh, tanh_slope),  # tanh'(x) = 1 - a^2
    "linear": (lambda x: x, lambda a: 1.0),  # dx/dx = 1
}


def unit_error(loss: str, y: float, a: float) -> float:
    """E of one output unit: its share of the pattern's error."""
    if loss == "squared":
        return (y - a) ** 2
    if loss == "half_squared":
        return 0.5 * (y - a) ** 2
    a = min(max(a, CE_EPS), 1.0 - CE_EPS)  # clipped inside the logarithms only, as losses.py
    return -(y * math.log(a) + (1.0 - y) * math.log(1.0 - a))


def _error_by_activation(loss: str, y: float, a: float) -> float:
    """dE/da of one output unit."""
    if loss == "squared":
        return -2.0 * (y - a)
    if loss == "half_squared":
        return -(y - a)
    if a <= 0.0 or a >= 1.0:  # a saturated logistic unit: dE/da is infinite
        return math.copysign(math.inf, a - y)
    return (a - y) / (a * (1.0 - a))


def _output_delta(network: Network, y: float, a: float, dE_da: float, slope: float) -> float:
    """dE/dx of one output unit: dE/da * da/dx.

    Cross-entropy on a logistic unit simplifies exactly to a - y; that form stays finite when
    the unit saturates (where the two factors would be inf * 0), as in ``losses.output_delta``.
    """
    if network.loss == "cross_entropy" and network.output_activation == "logistic":
        return a - y
    return dE_da * slope


def uses_simplified_delta(network: Network) -> bool:
    """Whether the output units' dE/dx is written as a - y (cross-entropy on logistic units)."""
    return network.loss == "cross_entropy" and network.output_activation == "logistic"


# ---- one pattern ---------------------------------------------------------------------------


def explain_pattern(
    network: Network,
    weights: Mapping[str, float],
    inputs: Sequence[float],
    targets: Sequence[float],
    pattern: int = 0,
) -> PatternRecord:
    """Forward, error, backward and chain rule for one pattern, unit by unit.

    ``weights`` holds every weight by its lecture name (``named_weights``)."""
    sizes = network.sizes
    units = unit_numbers(sizes)
    _check_pattern(sizes, weights, inputs, targets)
    activation: dict[int, float] = {}
    records: list[UnitRecord] = []

    # Forward: a_i is the input for input units; above them x_i = w0,i + sum_j w_j,i a_j.
    for unit, value in zip(units[0], inputs, strict=True):
        activation[unit] = float(value)
        records.append(UnitRecord(unit, 0, None, float(value)))
    for layer in range(1, len(sizes)):
        f, _ = _UNIT_FUNCTIONS[network.activation(layer).name]
        for target in units[layer]:
            x = 0.0
            for c in incoming(sizes, target):
                x += weights[c.name] * (1.0 if c.is_bias else activation[c.source])
            activation[target] = f(x)
            records.append(UnitRecord(target, layer, x, activation[target]))

    outputs = units[-1]
    ys = [float(y) for y in targets]
    error = sum(
        unit_error(network.loss, y, activation[k]) for k, y in zip(outputs, ys, strict=True)
    )
    credits = _backward(network, weights, activation, dict(zip(outputs, ys, strict=True)))
    return PatternRecord(
        pattern=pattern,
        inputs=tuple(float(v) for v in inputs),
        targets=tuple(ys),
        units=tuple(records),
        error=error,
        credits=tuple(credits),
        weights=_chain_rule(sizes, activation, {c.unit: c for c in credits}),
    )


def _check_pattern(
    sizes: Sequence[int],
    weights: Mapping[str, float],
    inputs: Sequence[float],
    targets: Sequence[float],
) -> None:
    missing = [c.name for c in connections(sizes) if c.name not in weights]
    if missing:
        raise UserError(f"weight {missing[0]} is missing ({len(missing)} missing in all)")
    if len(inputs) != sizes[0] or len(targets) != sizes[-1]:
        raise UserError(
            f"a pattern for a {_dashed(sizes)} net has {sizes[0]} inputs and {sizes[-1]} "
            f"targets, got {len(inputs)} and {len(targets)}"
        )


def _backward(
    network: Network,
    weights: Mapping[str, float],
    activation: Mapping[int, float],
    target: Mapping[int, float],
) -> list[CreditRecord]:
    """dE/da, da/dx and dE/dx for every non-input unit, from the output layer back."""
    sizes = network.sizes
    units = unit_numbers(sizes)
    n_layers = len(sizes) - 1
    dE_dx: dict[int, float] = {}
    credits: list[CreditRecord] = []
    for layer in range(n_layers, 0, -1):
        _, slope_of = _UNIT_FUNCTIONS[network.activation(layer).name]
        for unit in units[layer]:
            a = activation[unit]
            slope = slope_of(a)  # da_i/dx_i = f'(x_i), from the output a_i
            terms: tuple[CreditTerm, ...] = ()
            if layer == n_layers:
                dE_da = _error_by_activation(network.loss, target[unit], a)
                delta = _output_delta(network, target[unit], a, dE_da, slope)
            else:
                # dE/da_i = sum_k dE/dx_k * dx_k/da_i, and dx_k/da_i = w_i,k
                terms = tuple(
                    CreditTerm(
                        weight=c.name,
                        source=c.target,
                        dE_dx=dE_dx[c.target],
                        value=weights[c.name],
                        product=dE_dx[c.target] * weights[c.name],
                    )
                    for c in outgoing(sizes, unit)
                )
                dE_da = 0.0
                for term in terms:
                    dE_da += term.product
                delta = dE_da * slope  # dE/dx_i = dE/da_i * da_i/dx_i
            dE_dx[unit] = delta
            credits.append(CreditRecord(unit, layer, dE_da, slope, delta, terms))
    return credits


def _chain_rule(
    sizes: Sequence[int], activation: Mapping[int, float], credit: Mapping[int, CreditRecord]
) -> tuple[WeightRecord, ...]:
    """dE/dw_j,i = dE/da_i * f'(x_i) * dx_i/dw_j,i for every weight; dx_i/dw_j,i = a_j."""
    records = []
    for c in connections(sizes):
        unit = credit[c.target]
        dx_dw = 1.0 if c.is_bias else activation[c.source]  # the bias unit is always on
        records.append(
            WeightRecord(
                name=c.name,
                source=c.source,
                target=c.target,
                layer=c.layer,
                dE_da=unit.dE_da,
                slope=unit.slope,
                dE_dx=unit.dE_dx,
                dx_dw=dx_dw,
                product=unit.dE_dx * dx_dw,  # = dE/da_i * f'(x_i) * dx_i/dw
            )
        )
    return tuple(records)


# ---- a run of updates ----------------------------------------------------------------------


def build_worksheet(
    network: Network,
    params: FeedforwardParams,
    inputs: Sequence[Sequence[float]] | np.ndarray,
    targets: Sequence[Sequence[float]] | np.ndarray,
    *,
    learning_rate: float,
    momentum: float = 0.0,
    update: str = "online",
    order: Sequence[int] | None = None,
    epochs: int = 1,
) -> Worksheet:
    """Work through ``epochs`` epochs of gradient descent and record every number.

    ``order`` lists the 0-based pattern indices an epoch uses, in order (default: every pattern
    once, as given; a pattern may appear more than once). Online: one update per entry of
    ``order``. Batch: one update per epoch, with dE/dw summed over the patterns of ``order``.
    """
    X = as_patterns(np.asarray(inputs, dtype=float), network.sizes[0], "inputs")
    Y = as_patterns(np.asarray(targets, dtype=float), network.sizes[-1], "targets")
    _check_settings(network, params, X, Y, learning_rate, momentum, update, epochs)
    order = _check_order(order, len(X))
    n_updates = epochs * (len(order) if update == "online" else 1)
    if n_updates > MAX_UPDATES:
        raise UserError(
            f"{n_updates} updates is too many for a worksheet (at most {MAX_UPDATES}); "
            "use fewer epochs or patterns, or train with `srnlab run`"
        )

    initial = named_weights(params)
    weights = dict(initial)
    previous = dict.fromkeys(weights, 0.0)
    updates: list[UpdateRecord] = []
    for epoch in range(1, epochs + 1):
        groups = [[p] for p in order] if update == "online" else [list(order)]
        for group in groups:
            patterns = tuple(
                explain_pattern(network, weights, X[p], Y[p], pattern=p) for p in group
            )
            changes = _update(weights, previous, patterns, learning_rate, momentum)
            updates.append(UpdateRecord(len(updates) + 1, epoch, patterns, changes))
            weights = {c.name: c.new for c in changes}
            previous = {c.name: c.change for c in changes}

    return Worksheet(
        network=network,
        learning_rate=float(learning_rate),
        momentum=float(momentum),
        update=update,
        order=order,
        epochs=epochs,
        inputs=tuple(tuple(float(v) for v in row) for row in X),
        targets=tuple(tuple(float(v) for v in row) for row in Y),
        initial_weights=initial,
        updates=tuple(updates),
    )


def _update(
    weights: Mapping[str, float],
    previous: Mapping[str, float],
    patterns: Sequence[PatternRecord],
    learning_rate: float,
    momentum: float,
) -> tuple[WeightChange, ...]:
    """delta_w = -lr * dE/dw + momentum * previous delta_w, with dE/dw summed over patterns."""
    changes = []
    # Every pattern record lists its weights in ``named_weights`` order, as ``weights`` does.
    for index, (name, old) in enumerate(weights.items()):
        gradient = 0.0
        for record in patterns:
            gradient += record.weights[index].product
        change = -learning_rate * gradient + momentum * previous[name]
        wiring = patterns[0].weights[index]
        changes.append(
            WeightChange(
                name=name,
                source=wiring.source,
                target=wiring.target,
                old=old,
                gradient=gradient,
                previous_change=previous[name],
                change=change,
                new=old + change,
            )
        )
    return tuple(changes)


def _check_settings(
    network: Network,
    params: FeedforwardParams,
    X: np.ndarray,
    Y: np.ndarray,
    learning_rate: float,
    momentum: float,
    update: str,
    epochs: int,
) -> None:
    if params.sizes != network.sizes:
        raise UserError(
            f"the weights are for a {_dashed(params.sizes)} net, the network is "
            f"{_dashed(network.sizes)}"
        )
    if len(X) != len(Y):
        raise UserError(f"{len(X)} input patterns but {len(Y)} targets")
    if len(X) == 0:
        raise UserError("there are no patterns")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(Y))):
        raise UserError("inputs and targets must be finite numbers")
    if network.loss == "cross_entropy" and network.output_activation != "logistic":
        raise UserError(
            "the cross_entropy loss needs outputs between 0 and 1: use a logistic output "
            f"activation, not {network.output_activation!r}"
        )
    if update not in UPDATE_MODES:
        raise UserError(f"unknown update {update!r}; valid: {', '.join(UPDATE_MODES)}")
    if not (math.isfinite(learning_rate) and learning_rate > 0):
        raise UserError(f"learning rate must be a number > 0, got {learning_rate}")
    if not 0 <= momentum < 1:
        raise UserError(f"momentum must be in [0, 1), got {momentum}")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise UserError(f"epochs must be a whole number >= 1, got {epochs!r}")


def _check_order(order: Sequence[int] | None, n_patterns: int) -> tuple[int, ...]:
    if order is None:
        return tuple(range(n_patterns))
    checked = tuple(int(p) for p in order)
    if not checked:
        raise UserError("the pattern order is empty; give at least one pattern")
    bad = [p for p in checked if not 0 <= p < n_patterns]
    if bad:
        raise UserError(
            f"pattern index {bad[0]} does not exist; there are {n_patterns} patterns "
            f"(0..{n_patterns - 1})"
        )
    return checked


def _dashed(sizes: Sequence[int]) -> str:
    return "-".join(str(n) for n in sizes)
