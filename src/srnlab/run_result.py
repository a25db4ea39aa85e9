"""What one run of an experiment produced: the value every experiment's ``run`` returns.

It sits below the experiments (which build it) and the run folders (``results``, which store
it), so that an experiment never imports the storage layer above it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

Array = np.ndarray


@dataclass
class RunResult:
    """What one run of a recipe produced."""

    recipe: str
    config: dict[str, Any]
    metrics: dict[str, Any]
    history: dict[str, list[Any]] = field(default_factory=dict)
    arrays: dict[str, Array] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # extra text files, by plain file name


def seed_and_metrics(result: RunResult, *keys: str) -> dict[str, Any]:
    """A line of replications.csv: the run's seed, then the named top-level metrics, in order."""
    return {"seed": result.config["seed"], **{key: result.metrics[key] for key in keys}}
