"""The compiled kernels, made ready once, up front: Numba compiles each kernel on its first
call (seconds) and caches it on disk beside the sources, so a run that compiles them before
it starts its worker processes lets every worker load them from the cache (a tenth of a
second) instead of each compiling the same kernel at the same time."""

from __future__ import annotations

import importlib
import importlib.util
import time
from dataclasses import dataclass
from pathlib import Path

#: the modules of compiled kernels, each with ``warm_up()``
KERNEL_MODULES = (
    "srnlab.kernels_srn_step",
    "srnlab.kernels_srn_copyback",
    "srnlab.kernels_srn_general",
    "srnlab.kernels_ff",
)


@dataclass(frozen=True)
class Ready:
    seconds: float
    compiled: int  # kernels compiled now (not found in the disk cache)


def warm_up() -> Ready:
    """Compile, or load from the disk cache, every kernel a run can need."""
    started = time.perf_counter()
    before = compilations()
    for name in KERNEL_MODULES:
        importlib.import_module(name).warm_up()
    return Ready(time.perf_counter() - started, compilations() - before)


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
