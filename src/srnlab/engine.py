"""The engine under every SRN experiment: the steps a built-in recipe and a project file both
take, written once, so a project that declares a recipe's experiment runs the very same code.

1. ``train_from_seed``: the network's initial weights from the seed's "weights" stream
   (``srnlab.seeding``), then ``train_srn`` over the training stream for the schedule's passes;
2. ``frozen_context``: where a frozen test pass starts, from the context training ended with
   (the papers never reset it) or from ``context_start``;
3. ``weight_arrays``: the weights before and after training, as a run folder stores them.

What differs between experiments (which streams, which measurements) stays with each: a
recipe's ``run``, or the project engine (``project.engine``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from srnlab.seeding import generators
from srnlab.srn import SRN, SRNHistory, SRNParams, SRNSchedule, init_srn, train_srn

Array = np.ndarray


@dataclass(frozen=True)
class SRNFit:
    """One SRN trained from a seed: the network, its weights before and after, its history."""

    net: SRN
    initial: SRNParams
    trained: SRNParams
    history: SRNHistory


def train_from_seed(
    net: SRN,
    seed: int,
    init_range: float,
    inputs: Array,
    targets: Array,
    schedule: SRNSchedule,
    passes: int,
    resets: Iterable[int] | None = None,
) -> SRNFit:
    """``net`` with weights uniform in [-init_range, init_range] drawn from ``seed``'s
    "weights" stream (so a longer stream leaves them as they are), trained for ``passes``
    over (``inputs``, ``targets``); the context goes back to its start at ``resets``."""
    initial = init_srn(*net.sizes, generators(seed)["weights"], init_range)
    trained, history = train_srn(
        net, initial, inputs, targets, schedule, passes=passes, resets=resets
    )
    return SRNFit(net, initial, trained, history)


def frozen_context(fit: SRNFit, carry_context: bool) -> Array | None:
    """Where a frozen pass after training starts: the context training ended with, or (None)
    the network's ``context_start``."""
    return fit.history.final_context if carry_context else None


class _Weights(Protocol):
    def to_npz_dict(self) -> dict[str, Array]: ...


def weight_arrays(initial: _Weights, trained: _Weights, prefix: str = "") -> dict[str, Array]:
    """A network's weights before and after training, as a run folder's arrays:
    ``{prefix}initial_*`` then ``{prefix}final_*``."""
    arrays = {f"{prefix}initial_{k}": v for k, v in initial.to_npz_dict().items()}
    return arrays | {f"{prefix}final_{k}": v for k, v in trained.to_npz_dict().items()}
