"""What the recipes' ``run`` functions do the same way: train one SRN on a stream task with a
fresh test stream beside it, and save a network's weights before and after training; and how
the stream recipes that test one pattern (letters, words) summarize many seeds.

Written once here so that every recipe draws its streams from the same generators (the seed's
"weights", "data" and "test" streams, ``srnlab.seeding``) and names its saved weights alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import numpy as np

from srnlab.seeding import generators
from srnlab.settings import SRNSettings
from srnlab.srn import SRN, SRNHistory, SRNParams, init_srn, train_srn
from srnlab.tasks.streams import TaskStream

Array = np.ndarray
S = TypeVar("S", bound=TaskStream)


class _Weights(Protocol):
    def to_npz_dict(self) -> dict[str, Array]: ...


def weight_arrays(initial: _Weights, trained: _Weights, prefix: str = "") -> dict[str, Array]:
    """A network's weights before and after training, as a run folder's arrays:
    ``{prefix}initial_*`` then ``{prefix}final_*``."""
    arrays = {f"{prefix}initial_{k}": v for k, v in initial.to_npz_dict().items()}
    return arrays | {f"{prefix}final_{k}": v for k, v in trained.to_npz_dict().items()}


@dataclass(frozen=True)
class StreamTraining(Generic[S]):
    """One network trained on a training stream, and the fresh test stream beside it."""

    net: SRN
    initial: SRNParams
    training: S
    test: S
    trained: SRNParams
    history: SRNHistory


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
    net = config.network(n_units, n_units)
    rngs = generators(config.seed)
    initial = init_srn(*net.sizes, rngs["weights"], config.init_range)
    training = make_stream(n_train, rngs["data"])
    test = make_stream(n_test, rngs["test"])
    trained, history = train_srn(
        net, initial, training.inputs, training.targets, config.schedule(), passes=config.passes
    )
    return StreamTraining(net, initial, training, test, trained, history)


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
