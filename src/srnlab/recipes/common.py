"""What the stream recipes (letters, words) do the same way: draw a training stream and a
fresh test stream from the seed's "data" and "test" generators (``srnlab.seeding``) and train
one SRN on the first through the engine (``srnlab.engine``) that project files use too; and
summarize many seeds of a recipe that tests one pattern.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import numpy as np

from srnlab.engine import SRNFit, train_from_seed
from srnlab.seeding import generators
from srnlab.settings import SRNSettings
from srnlab.tasks.streams import TaskStream

Array = np.ndarray
S = TypeVar("S", bound=TaskStream)


@dataclass(frozen=True)
class StreamTraining(SRNFit, Generic[S]):
    """One network trained on a training stream (``SRNFit``), and the fresh test stream
    beside it."""

    training: S
    test: S


def train_on_stream(
    config: SRNSettings,
    n_units: int,
    make_stream: Callable[[int, np.random.Generator], S],
    n_train: int,
    n_test: int,
) -> StreamTraining[S]:
    """An ``n_units``-H-``n_units`` SRN from ``config`` (H its hidden units) and its initial
    weights from the seed's "weights" generator, trained for ``config.passes`` on
    ``make_stream(n_train, ...)`` from the "data" generator; the test stream,
    ``make_stream(n_test, ...)``, comes from the separate "test" generator, so it is new and a
    longer training stream leaves it as it is."""
    rngs = generators(config.seed)
    training = make_stream(n_train, rngs["data"])
    test = make_stream(n_test, rngs["test"])
    fit = train_from_seed(
        config.network(n_units, n_units),
        config.seed,
        config.init_range,
        training.inputs,
        training.targets,
        config.schedule(),
        config.passes,
    )
    return StreamTraining(**vars(fit), training=training, test=test)


# ---- many seeds ----------------------------------------------------------------------------


def pattern_counts(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The head of a summary over seeds, from their ``replication_row``s: how many seeds, how
    many show the paper's pattern (and what fraction: NaN with no seeds), and which seeds."""
    shown = sum(bool(row["pattern_shown"]) for row in rows)
    return {
        "replications": len(rows),
        "pattern_shown": shown,
        "pattern_shown_fraction": shown / len(rows) if rows else float("nan"),
        "seeds": [row["seed"] for row in rows],
    }


def values_and_means(rows: list[dict[str, Any]], keys: Sequence[str]) -> dict[str, Any]:
    """For each key, in order: every seed's value (``KEY``) and their mean (``KEY_mean``; NaN
    with no seeds)."""
    summary: dict[str, Any] = {}
    for key in keys:
        values = [row[key] for row in rows]
        summary[key] = values
        summary[f"{key}_mean"] = float(np.mean(values)) if values else float("nan")
    return summary
