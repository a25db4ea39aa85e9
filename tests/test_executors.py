"""The process pool's start: forked workers where that is safe (Linux, one thread), spawned
ones otherwise, and the same results either way.

A forked worker starts as a copy of the main process, so it must first undo what it copied
that belongs to the main process: the command's SIGTERM handler and its BLAS thread pool.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import threadpoolctl

from srnlab.cli import main as srnlab
from srnlab.executors import ProcessBackend, start_method

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork on Linux")


@contextmanager
def another_thread() -> Iterator[None]:
    """A second thread in this process for the block's duration."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def results_in_workers(backend: ProcessBackend) -> dict[str, object]:
    """What a worker of ``backend`` reports about itself: its SIGTERM handler and its BLAS
    libraries' thread counts."""
    tasks = [
        ("sigterm", signal.getsignal, (signal.SIGTERM,)),
        ("blas", threadpoolctl.threadpool_info, ()),
    ]
    try:
        found = {key: value for key, value, error in backend.run(tasks) if error is None}
    finally:
        backend.close()
    return found


@linux_only
def test_one_thread_forks_and_another_thread_makes_it_spawn() -> None:
    if threading.active_count() > 1:
        pytest.skip("this test process already runs other threads")
    assert start_method() == "fork"
    with another_thread():
        assert start_method() == "spawn"


@linux_only
def test_preload_is_imported_before_the_fork() -> None:
    sys.modules.pop("colorsys", None)  # a small standard module nothing here has imported
    start_method(("colorsys",))
    assert "colorsys" in sys.modules


def test_spawn_off_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert start_method() == "spawn"


@linux_only
def test_a_forked_worker_drops_the_main_processs_sigterm_handler_and_blas_threads() -> None:
    if threading.active_count() > 1:
        pytest.skip("this test process already runs other threads")

    def handler(signum: int, frame: object) -> None:  # the CLI's: unwind the command
        raise KeyboardInterrupt

    kept = signal.signal(signal.SIGTERM, handler)
    try:
        found = results_in_workers(ProcessBackend(2))
    finally:
        signal.signal(signal.SIGTERM, kept)
    assert found["sigterm"] == signal.SIG_DFL
    blas = found["blas"]
    assert isinstance(blas, list) and blas  # NumPy's BLAS is loaded in the worker
    assert {library["num_threads"] for library in blas} == {1}


def run_folder(tmp_path: Path, name: str) -> dict[str, bytes]:
    out = tmp_path / name
    argv = ["run", "letters", "--seeds", "3", "--jobs", "2", "--no-figures"]
    assert srnlab([*argv, "--set", "passes=30", "--out", str(out)]) == 0
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != "manifest.json"  # it records when the run was made
    }


@linux_only
def test_forked_and_spawned_workers_write_the_same_run_folders(tmp_path: Path) -> None:
    if threading.active_count() > 1:
        pytest.skip("this test process already runs other threads")
    forked = run_folder(tmp_path, "forked")
    with another_thread():  # the pool is spawned
        spawned = run_folder(tmp_path, "spawned")
    assert sorted(forked) == sorted(spawned)
    assert [name for name in forked if forked[name] != spawned[name]] == []
