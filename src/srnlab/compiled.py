"""The compiled kernels, made ready once, up front: Numba compiles each kernel on its first
call (seconds) and caches it on disk beside the sources, so a run that compiles them before
it starts its worker processes lets every worker inherit them (forked) or load them from the
cache (spawned: a tenth of a second) instead of each compiling the same kernel at the same
time.

The kernels come in **parts**, one per entry point a run calls (online copy-back training,
the general training loop, the frozen forward pass, the feedforward loop). Each part is
compiled by a warm-up call on a tiny problem, independently of the others, so that on a
fresh clone (an empty cache) the parts can be compiled in two processes at once, and a run
compiles only the parts it will call (``parts_for``).
"""

from __future__ import annotations

import importlib
import importlib.util
import signal
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from srnlab.srn import SRN, SRNParams

#: the modules of compiled kernels, each with ``warm_up()``
KERNEL_MODULES = (
    "srnlab.kernels_srn_step",
    "srnlab.kernels_srn_copyback",
    "srnlab.kernels_srn_general",
    "srnlab.kernels_ff",
)

#: Every part, by family. Numba compiles the small kernels a part calls (one unit's
#: activation, a row update) within the part, once per process; the SRN parts share theirs
#: (about half of their compile time), the feedforward loop shares almost nothing with them.
#: So a cold cache is filled one family per process: measured on the project's 2-core
#: machine, copy-back and the forward pass take about 9.5 s of CPU together, the
#: feedforward loop 4.4 s (5.6 s in its own process), the general loop 4.7 s more.
FAMILIES = {"srn": ("copyback", "forward", "general"), "feedforward": ("feedforward",)}
PARTS = tuple(part for family in FAMILIES.values() for part in family)


@dataclass(frozen=True)
class Ready:
    seconds: float
    compiled: int  # kernels compiled now (not found in the disk cache)


def warm_up(parts: Iterable[str] = PARTS, processes: int = 1) -> Ready:
    """Compile, or load from the disk cache, the kernels of ``parts`` (default: every kernel
    a run can need), in up to ``processes`` processes at once: this one and helpers that
    write what they compile into the cache (worth it only when the cache is cold)."""
    started = time.perf_counter()
    groups = balanced(parts, processes)
    compiled = 0
    if len(groups) > 1:
        import multiprocessing

        # Spawned, like the workers: a fresh interpreter, the same on every platform.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            len(groups) - 1, mp_context=context, initializer=_ignore_ctrl_c
        ) as pool:
            helpers = [pool.submit(_warm_up_parts, group) for group in groups[1:]]
            compiled += _warm_up_parts(groups[0])
            for group, helper in zip(groups[1:], helpers, strict=True):
                try:
                    compiled += helper.result()
                except BrokenProcessPool:  # the helper died (killed): its parts are done here
                    compiled += _warm_up_parts(group)
    elif groups:
        compiled = _warm_up_parts(groups[0])
    return Ready(time.perf_counter() - started, compiled)


def balanced(parts: Iterable[str], processes: int) -> list[tuple[str, ...]]:
    """``parts`` in groups to compile at once: one family per process if ``processes``
    allows, else all in one; the SRN family (the longest) first."""
    chosen = set(parts)
    unknown = chosen - set(PARTS)
    if unknown:
        raise ValueError(f"unknown kernel parts: {', '.join(sorted(unknown))}")
    groups = [tuple(p for p in family if p in chosen) for family in FAMILIES.values()]
    groups = [group for group in groups if group]
    if len(groups) > processes:
        groups = [tuple(p for group in groups for p in group)]
    return groups


def _ignore_ctrl_c() -> None:
    """A helper process leaves Ctrl-C to the main process (which stops it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _warm_up_parts(parts: Sequence[str]) -> int:
    """Warm ``parts`` up in this process; how many kernels it compiled."""
    before = compilations()
    for part in parts:
        _WARM_UPS[part]()
    return compilations() - before


def _tiny_srn() -> tuple[SRN, SRNParams, np.ndarray]:
    """A 2-2-2 SRN, its weights and a three-step one-hot stream: what every SRN part is
    warmed up on (the kernels see both a dense and an index array whatever the stream, so
    one call compiles the one signature each kernel has)."""
    import numpy as np

    from srnlab.srn import SRN, init_srn

    params = init_srn(2, 2, 2, np.random.default_rng(0), 0.5)
    return SRN(2, 2, 2), params, np.array([0, 1, 0], dtype=np.int64)


def _copyback() -> None:
    from srnlab.srn import SRNSchedule, train_srn

    net, params, steps = _tiny_srn()
    train_srn(net, params, steps, steps, SRNSchedule(), passes=1)


def _general() -> None:
    from srnlab.srn import SRNSchedule, train_srn

    net, params, steps = _tiny_srn()
    schedule = SRNSchedule(through_time=None, update_every=None)  # full BPTT, once per pass
    train_srn(net, params, steps, steps, schedule, passes=1)


def _forward() -> None:
    from srnlab.srn import run_srn

    net, params, steps = _tiny_srn()
    run_srn(net, params, steps)


def _feedforward() -> None:
    importlib.import_module("srnlab.kernels_ff").warm_up()


_WARM_UPS: dict[str, Callable[[], None]] = {
    "copyback": _copyback,
    "general": _general,
    "forward": _forward,
    "feedforward": _feedforward,
}


def parts_for(configs: Iterable[object]) -> tuple[str, ...]:
    """The parts runs of these recipe configs call: every part but the general training
    loop, which an SRN calls only when it does not train online with copy-back (a config
    whose schedule is not ``SRNSchedule.online_copyback``). A part left out is compiled, if a
    run calls it after all, where it is first called."""
    from srnlab.srn_model import SRNSchedule

    general = any(
        not SRNSchedule(
            through_time=getattr(c, "through_time", 1), update_every=getattr(c, "update_every", 1)
        ).online_copyback
        for c in configs
    )
    return tuple(p for p in PARTS if general or p != "general")


def compilations() -> int:
    """How many kernel signatures this process has compiled instead of loading them from the
    cache (Numba's per-dispatcher ``cache_misses``)."""
    from numba.core.registry import CPUDispatcher

    total = 0
    for name in KERNEL_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, CPUDispatcher):
                total += sum(value.stats.cache_misses.values())
    return total


def probably_cached() -> bool:
    """Does Numba's disk cache beside the sources hold kernels of every kernel module (its
    ``__pycache__/MODULE.*.nbi`` index files)? Only decides whether to say that compiling
    will take a while: a stale index is found out, and refreshed, by Numba itself."""
    for name in KERNEL_MODULES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            return False
        source = Path(spec.origin)
        if not any((source.parent / "__pycache__").glob(f"{source.stem}.*.nbi")):
            return False
    return True
