"""Learned state: weights and biases, named by connection, drawn from a seeded generator.

Hyperparameters (sizes, activations, learning rate) live elsewhere; this module holds only
numbers that training changes. Shapes follow the "receiving unit first" convention:
``weights[l]`` has shape ``(n_{l+1}, n_l)`` so that the net input of layer l+1 is
``x = weights[l] @ a_l + biases[l]``.

The lecture numbers units consecutively, inputs first (a 2-2-1 net: inputs 1-2, hidden 3-4,
output 5) and treats a bias as the weight from a unit that is always on. Its bias units are
unit 0 for the first hidden layer and unit 6 for the output layer; for deeper nets we continue
the same way: the bias unit of the first layer above the inputs is 0 and the bias unit of every
later layer is numbered after the last real unit (N + 1, N + 2, ...).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from srnlab.errors import UserError

Array = np.ndarray


@dataclass(frozen=True)
class FeedforwardParams:
    """Weights and biases of a layered net: ``weights[l]`` feeds layer l + 1 from layer l."""

    weights: tuple[Array, ...]
    biases: tuple[Array, ...]

    @property
    def sizes(self) -> tuple[int, ...]:
        return (self.weights[0].shape[1], *(w.shape[0] for w in self.weights))

    def copy(self) -> FeedforwardParams:
        return FeedforwardParams(
            tuple(w.copy() for w in self.weights), tuple(b.copy() for b in self.biases)
        )

    def arrays(self) -> Iterator[Array]:
        """Every parameter array, in a fixed order (layer by layer, weights then bias)."""
        for w, b in zip(self.weights, self.biases, strict=True):
            yield w
            yield b

    def to_npz_dict(self) -> dict[str, Array]:
        out: dict[str, Array] = {}
        for layer, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            out[f"weights_{layer}"] = w
            out[f"biases_{layer}"] = b
        return out

    @classmethod
    def from_npz_dict(cls, arrays: dict[str, Array]) -> FeedforwardParams:
        n_layers = sum(1 for key in arrays if key.startswith("weights_"))
        weights = tuple(np.asarray(arrays[f"weights_{i}"], dtype=float) for i in range(n_layers))
        biases = tuple(np.asarray(arrays[f"biases_{i}"], dtype=float) for i in range(n_layers))
        return cls(weights, biases)


def validate_sizes(sizes: Sequence[int]) -> tuple[int, ...]:
    """Layer sizes, inputs first: at least an input and an output layer, each >= 1 unit."""
    sizes = tuple(int(n) for n in sizes)
    if len(sizes) < 2 or any(n < 1 for n in sizes):
        raise UserError(
            f"layer sizes must be two or more positive integers (inputs first), got {list(sizes)}"
        )
    return sizes


def init_feedforward(
    sizes: Sequence[int], rng: np.random.Generator, init_range: float
) -> FeedforwardParams:
    """Every weight and bias uniform in [-init_range, +init_range].

    Draw order is fixed (layer by layer, the weight matrix row by row, then the biases), so the
    same generator state always gives the same network.
    """
    sizes = validate_sizes(sizes)
    if not init_range >= 0:
        raise UserError(f"init_range must be >= 0, got {init_range}")
    weights = []
    biases = []
    for n_in, n_out in itertools.pairwise(sizes):
        weights.append(rng.uniform(-init_range, init_range, size=(n_out, n_in)))
        biases.append(rng.uniform(-init_range, init_range, size=n_out))
    return FeedforwardParams(tuple(weights), tuple(biases))


def zeros_like(params: FeedforwardParams) -> FeedforwardParams:
    return FeedforwardParams(
        tuple(np.zeros_like(w) for w in params.weights),
        tuple(np.zeros_like(b) for b in params.biases),
    )


def to_vector(params: FeedforwardParams) -> Array:
    """All parameters in one flat vector (the order of ``params.arrays()``)."""
    return np.concatenate([p.ravel() for p in params.arrays()])


def from_vector(vector: Array, like: FeedforwardParams) -> FeedforwardParams:
    """The inverse of ``to_vector``, shaped like ``like``."""
    pieces: list[Array] = []
    start = 0
    for p in like.arrays():
        pieces.append(np.asarray(vector[start : start + p.size], dtype=float).reshape(p.shape))
        start += p.size
    return FeedforwardParams(tuple(pieces[0::2]), tuple(pieces[1::2]))


# ---- the lecture's unit numbering ---------------------------------------------------------


def unit_numbers(sizes: Sequence[int]) -> list[list[int]]:
    """Unit numbers layer by layer, starting at 1: (2, 2, 1) -> [[1, 2], [3, 4], [5]]."""
    numbers = []
    first = 1
    for n in sizes:
        numbers.append(list(range(first, first + n)))
        first += n
    return numbers


def bias_unit(sizes: Sequence[int], layer: int) -> int:
    """The always-on unit feeding layer ``layer`` (1 = first layer above the inputs).

    (2, 2, 1): layer 1 -> unit 0, layer 2 -> unit 6, as in the lecture's w_{0,3} and w_{6,5}.
    """
    if layer < 1 or layer >= len(sizes):
        raise ValueError(
            f"layer {layer} has no bias; layers above the inputs are 1..{len(sizes) - 1}"
        )
    return 0 if layer == 1 else sum(sizes) + layer - 1


def weight_name(source: int, target: int) -> str:
    """The lecture's name of the weight from unit ``source`` to unit ``target``: 'w1,3'."""
    return f"w{source},{target}"


def named_weights(params: FeedforwardParams) -> dict[str, float]:
    """Every weight and bias under its lecture name ('w0,3', 'w1,3', ..., 'w6,5')."""
    sizes = params.sizes
    units = unit_numbers(sizes)
    named: dict[str, float] = {}
    for layer, (w, b) in enumerate(zip(params.weights, params.biases, strict=True), start=1):
        for i, target in enumerate(units[layer]):
            named[weight_name(bias_unit(sizes, layer), target)] = float(b[i])
            for j, source in enumerate(units[layer - 1]):
                named[weight_name(source, target)] = float(w[i, j])
    return named


def params_from_named(sizes: Sequence[int], named: dict[str, float]) -> FeedforwardParams:
    """Build parameters from lecture-named weights; every weight must be given exactly once."""
    sizes = validate_sizes(sizes)
    units = unit_numbers(sizes)
    expected: list[str] = []
    weights = []
    biases = []
    for layer in range(1, len(sizes)):
        w = np.empty((sizes[layer], sizes[layer - 1]))
        b = np.empty(sizes[layer])
        for i, target in enumerate(units[layer]):
            name = weight_name(bias_unit(sizes, layer), target)
            expected.append(name)
            b[i] = _number(named, name)
            for j, source in enumerate(units[layer - 1]):
                name = weight_name(source, target)
                expected.append(name)
                w[i, j] = _number(named, name)
        weights.append(w)
        biases.append(b)
    extra = sorted(set(named) - set(expected))
    if extra:
        raise UserError(
            f"weights {', '.join(extra)} do not exist in a {'-'.join(map(str, sizes))} network; "
            f"its weights are {', '.join(expected)}"
        )
    return FeedforwardParams(tuple(weights), tuple(biases))


def _number(named: dict[str, float], name: str) -> float:
    if name not in named:
        raise UserError(f"weight {name} is missing")
    value = named[name]
    if isinstance(value, bool) or not isinstance(value, int | float) or not np.isfinite(value):
        raise UserError(f"weight {name} must be a finite number, got {value!r}")
    return float(value)
