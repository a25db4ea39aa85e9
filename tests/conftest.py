"""Shared helpers for the tests."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np

from srnlab.backprop import Network, error
from srnlab.cli import main
from srnlab.config import config_to_dict
from srnlab.params import FeedforwardParams, from_vector, to_vector
from srnlab.results import RunResult, load_run, save_run


def numeric_gradient(
    network: Network,
    params: FeedforwardParams,
    inputs: np.ndarray,
    targets: np.ndarray,
    step: float = 1e-6,
) -> FeedforwardParams:
    """dE/dw by central differences, (E(w + h) - E(w - h)) / 2h, one parameter at a time."""
    theta = to_vector(params)
    grad = np.empty_like(theta)
    for k in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[k] += step
        minus[k] -= step
        grad[k] = (
            error(network, from_vector(plus, params), inputs, targets)
            - error(network, from_vector(minus, params), inputs, targets)
        ) / (2 * step)
    return from_vector(grad, params)


#: (hidden activation, output activation, loss) combinations every SRN proof runs over: each
#: activation at each layer and each loss at least once, including the mismatched pairs.
ACTIVATION_LOSS = [
    ("logistic", "logistic", "squared"),
    ("logistic", "logistic", "half_squared"),
    ("logistic", "logistic", "cross_entropy"),
    ("tanh", "logistic", "cross_entropy"),
    ("tanh", "tanh", "squared"),
    ("linear", "linear", "half_squared"),
    ("tanh", "linear", "squared"),
    ("linear", "tanh", "half_squared"),
]


def saved_and_loaded(result: RunResult, folder: Path, config: Any) -> RunResult:
    """Save a run folder and load it back, checking that nothing was lost: the metrics are
    the JSON on disk, the config is ``config``, and every array is bit for bit the same."""
    save_run(result, folder)
    loaded = load_run(folder)
    assert loaded.metrics == json.loads((folder / "metrics.json").read_text())
    assert loaded.config == config_to_dict(config)  # its JSON form: tuples become lists
    for name, array in result.arrays.items():
        assert np.array_equal(loaded.arrays[name], array), name
    return loaded


def cli(*argv: str) -> tuple[int, str]:
    """Run ``srnlab ARGV`` in this process: the exit code and what it printed on stdout."""
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def patch_recipe(monkeypatch: Any, name: str, **changes: Any) -> Any:
    """Make the built-in recipe ``name`` behave otherwise for one test (``run=failing``):
    recipes are frozen objects built once, so the catalogue is made to build a changed copy."""
    import dataclasses

    from srnlab import catalogue

    patched = dataclasses.replace(catalogue.built_in(name), **changes)
    original = catalogue.built_in
    monkeypatch.setattr(catalogue, "built_in", lambda n: patched if n == name else original(n))
    return patched
