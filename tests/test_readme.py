"""The README's library examples run as written, and do what their comments say."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from conftest import numeric_gradient

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> list[str]:
    """The Python blocks of the README's Library section (others, like the SLURM recipe, need
    a cluster)."""
    library = README.read_text(encoding="utf-8").split("\n## Library\n")[1].split("\n## ")[0]
    return re.findall(r"```python\n(.*?)```", library, flags=re.S)


def test_the_readme_has_its_three_library_examples():
    assert len(python_blocks()) == 3


@pytest.fixture(scope="module")
def namespaces() -> list[dict]:
    spaces = []
    for block in python_blocks():
        namespace: dict = {}
        exec(compile(block, str(README), "exec"), namespace)  # our own README, as a user runs it
        spaces.append(namespace)
    return spaces


def test_feedforward_example_gives_the_hidden_to_output_gradients(namespaces):
    ns = namespaces[0]
    grads = ns["back"].grads.weights[1]
    assert grads.shape == (1, 2)  # one receiving unit (5), two sending units (3, 4)
    numeric = numeric_gradient(ns["net"], ns["params"], np.array([[1.0, 0.0]]), np.array([[1.0]]))
    np.testing.assert_allclose(grads, numeric.weights[1], rtol=1e-6, atol=1e-9)


def test_srn_example_shapes_are_as_its_comments_say(namespaces):
    ns = namespaces[1]
    assert ns["trace"].hidden.shape == (300, 2)
    assert ns["history"].passes == list(range(1, 11))
    assert ns["grads"].W_ch.shape == (2, 2)


def test_rules_example_reads_a_paired_comparison(namespaces):
    ns = namespaces[2]
    inside = ns["inside"]
    assert inside["ci95_low"] <= inside["mean_difference"] <= inside["ci95_high"]
    assert 0.0 <= inside["p"] <= 1.0
    assert ns["looking"].shape == (16, 2)
