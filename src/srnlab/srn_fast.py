"""The compiled path of ``srn.train_srn`` and ``srn.run_srn``: from ``srn_model``'s objects to
the kernels and back.

Online copy-back, Elman's protocol and the hot loop of every recipe, has a kernel of its own
(``kernels_srn_copyback``); every other training mode runs on ``kernels_srn_general``, and the
frozen pass on ``kernels_srn_step``. Importing this module imports Numba; nothing compiles
until a kernel is first called (then it is cached on disk).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from srnlab.kernels_srn_copyback import train_pass_copyback
from srnlab.kernels_srn_general import new_ring, ring_capacity, train_pass_general
from srnlab.kernels_srn_step import (
    kernel_settings,
    kernel_streams,
    kernel_weights,
    run_forward,
    write_back,
    zeros_like,
)
from srnlab.srn_model import SRN, SRNParams, SRNSchedule, Stream

__all__ = ["pass_runner", "run_forward"]

Array = np.ndarray


def pass_runner(
    net: SRN,
    params: SRNParams,
    inputs: Stream,
    targets: Stream,
    is_reset: Array,
    schedule: SRNSchedule,
    *,
    force_general: bool = False,
) -> Callable[[Array, Array | None], Array]:
    """A function that trains ``params`` for one pass (writing them back after it) and returns
    the pass's summed (E, Euclidean error, squared error); ``context`` carries, in place, and
    ``running_sse`` (if not None: one number per step) gets the squared error summed so far
    after each step. ``force_general`` runs online copy-back on the general kernel too (for
    the tests)."""
    weights = kernel_weights(params)
    velocity = zeros_like(weights)
    streams = kernel_streams(inputs, targets, is_reset)
    settings = kernel_settings(net, schedule)

    if schedule.online_copyback and not force_general:

        def run_copyback(context: Array, running_sse: Array | None) -> Array:
            sums = np.zeros(3)
            running = _kernel_running(running_sse)
            train_pass_copyback(weights, velocity, streams, settings, context, sums, running)
            write_back(weights, params)
            return sums

        return run_copyback

    grads = zeros_like(weights)
    ring = new_ring(ring_capacity(streams.is_reset, schedule), net.n_hidden, net.n_out)

    def run_general(context: Array, running_sse: Array | None) -> Array:
        sums = np.zeros(3)
        running = _kernel_running(running_sse)
        train_pass_general(
            weights, velocity, grads, streams, settings, ring, context, sums, running
        )
        write_back(weights, params)
        return sums

    return run_general


def _kernel_running(running_sse: Array | None) -> Array:
    """The kernels' form of ``running_sse``: an empty array for none (one compiled signature
    either way)."""
    return np.zeros(0) if running_sse is None else running_sse
