"""Where a run's time goes: named phases (training, analysis, figures, writing, ...), each
timed by two clock reads, summed per process. ``benchmarks/bench_reproduce.py`` prints them;
nothing else depends on them, and a phase nested in another is taken out of the outer one's
time (training inside a recipe's run is not also counted as analysis)."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

_totals: defaultdict[str, float] = defaultdict(float)
_nested: list[float] = []  # per open phase: the time its inner phases took


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Add the block's wall time (less that of the phases inside it) to ``name``."""
    started = time.perf_counter()
    _nested.append(0.0)
    try:
        yield
    finally:
        elapsed = time.perf_counter() - started
        inner = _nested.pop()
        _totals[name] += elapsed - inner
        if _nested:
            _nested[-1] += elapsed


def count(name: str, seconds: float) -> None:
    """Add ``seconds`` timed some other way to ``name`` (the outer phases of an open block
    are not told: call it outside any phase)."""
    _totals[name] += seconds


def take() -> dict[str, float]:
    """The seconds of every phase since the last ``take``, and start again from zero."""
    taken = dict(_totals)
    _totals.clear()
    return taken


def add(into: dict[str, float], phases: Mapping[str, float]) -> None:
    """Sum ``phases`` into ``into`` (phases of several processes, or of several jobs)."""
    for name, seconds in phases.items():
        into[name] = into.get(name, 0.0) + seconds
