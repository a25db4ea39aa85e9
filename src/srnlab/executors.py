"""Where replications run: in this process, in worker processes on this machine, or on Dask.

A backend takes tasks ``(key, function, args)`` and yields ``(key, value, error)`` as each
finishes, in whatever order they finish; the caller decides what a finished task means (for
replications: write its run folder). Nothing here knows about recipes, and nothing prints:
notices (a worker died and the pool was restarted) go to a callback.

- ``SerialBackend``: one task after another, in this process (``--jobs 1``).
- ``ProcessBackend``: a pool of worker processes. On Linux, while this process runs a single
  thread, they are forked: a forked worker starts at once with every module this process has
  loaded (NumPy, the compiled kernels, matplotlib, SciPy's statistics), where a fresh
  interpreter spends seconds of CPU importing them again. Elsewhere (macOS, whose system
  libraries are not safe to fork; or a process that runs other threads, whose locks a fork
  could copy held) they are spawned: fresh interpreters. Either way workers ignore Ctrl-C and
  SIGTERM's handler (the main process stops them), write nothing to stdout, and use one BLAS
  thread each, so J workers use J cores. A worker whose main process has died (SIGKILL, a
  crash) ends too: on Linux the kernel kills it at once (``PR_SET_PDEATHSIG``); elsewhere a
  watchdog thread sees that its parent changed and exits within a second, without waiting
  for the task. A worker that dies (killed, out of memory) breaks the pool; the pool is
  started again and the unfinished tasks resubmitted, up to ``restarts`` times.
- ``DaskBackend``: a Dask distributed ``Client`` on a scheduler's address, or on a
  ``LocalCluster`` of worker processes (``"local"``). Dask moves the tasks and results between
  processes itself; a worker lost mid-task is retried by Dask on another worker.

Functions and arguments must be picklable (module-level functions, plain data): they are
sent to other processes. The results come back the same way; nothing is pickled to disk.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from srnlab.errors import UserError

Task = tuple[Any, Callable[..., Any], tuple[Any, ...]]
Done = tuple[Any, Any, BaseException | None]
Notice = Callable[[str], None]

#: Thread counts of numerical libraries, pinned to 1 in worker processes (J workers, J cores).
_ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")  # fmt: skip


class Backend(Protocol):
    workers: int

    def run(self, tasks: Sequence[Task]) -> Iterator[Done]: ...

    def close(self, cancel: bool = False) -> None: ...


def available_cores() -> int:
    """The cores this process may use (its CPU affinity where the OS tells it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


class SerialBackend:
    """Every task in this process, one after another."""

    workers = 1

    def run(self, tasks: Sequence[Task]) -> Iterator[Done]:
        for key, function, args in tasks:
            try:
                value = function(*args)
            except Exception as exc:
                yield key, None, exc
            else:
                yield key, value, None

    def close(self, cancel: bool = False) -> None:
        pass


def _init_worker(parent: int | None = None, forked: bool = False) -> None:
    """In each worker process: Ctrl-C is the main process's business, stdout goes nowhere
    (worker processes never print; results come back as values), and the worker ends when
    the main process ``parent`` does (otherwise it would wait forever on the task pipe).

    A ``forked`` worker also drops what it copied of the main process's set-up: the main
    process's SIGTERM handler (it unwinds the command: here it would turn the pool's
    ``terminate`` into an exception in a task) and its BLAS thread pool (the environment
    variables that pin a spawned worker's threads are read only when the library loads)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if forked:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    sys.stdout = open(os.devnull, "w")  # kept open while the process lives
    if parent is not None:
        end_with_parent(parent)


def start_method(preload: Sequence[str] = ()) -> str:
    """How to start worker processes here: "fork" on Linux while this process runs a single
    thread, else "spawn" (see the module's docstring). The ``preload`` modules are imported
    first (that is what makes a forked worker's start free: they are loaded once, here,
    instead of once in each worker), and before the threads are counted, since an import
    may start one."""
    if not sys.platform.startswith("linux"):
        return "spawn"
    for name in preload:
        importlib.import_module(name)
    return "fork" if threading.active_count() == 1 else "spawn"


#: prctl's option that asks the kernel to signal a process when its parent ends (Linux).
_PR_SET_PDEATHSIG = 1


def end_with_parent(parent: int, poll_seconds: float = 0.5) -> None:
    """End this process when process ``parent`` ends.

    On Linux the kernel does it (``prctl(PR_SET_PDEATHSIG, SIGKILL)``), even while a compiled
    kernel holds the interpreter. A watchdog thread is the portable fallback, and a second
    guard: it exits as soon as this process's parent is no longer ``parent``. Both act only
    if the parent dies; a worker stopped normally is untouched."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):  # no libc or no prctl: the watchdog still runs
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_seconds)
        os._exit(1)  # nothing to save: results travel back only through the parent

    threading.Thread(target=watch, name="srnlab-parent-watchdog", daemon=True).start()


class ProcessBackend:
    """A pool of ``workers`` processes on this machine. ``preload`` names modules the tasks
    will import, loaded here before forked workers start (``start_method``)."""

    def __init__(
        self,
        workers: int,
        restarts: int = 2,
        notice: Notice | None = None,
        preload: Sequence[str] = (),
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be >= 1")
        self.workers = workers
        self.restarts = restarts
        self.notice = notice
        self.preload = tuple(preload)
        self._pool: ProcessPoolExecutor | None = None

    def _start(self) -> ProcessPoolExecutor:
        import multiprocessing

        method = start_method(self.preload)
        # Spawned children copy os.environ as it is when each starts; pin their thread counts
        # for the pool's lifetime only (this process's libraries have read theirs already).
        saved = {name: os.environ.get(name) for name in _ONE_THREAD}
        os.environ.update({name: "1" for name in _ONE_THREAD})
        self._saved_environ = saved
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context(method),
            initializer=_init_worker,
            initargs=(os.getpid(), method == "fork"),
        )

    def _restore_environ(self) -> None:
        for name, value in getattr(self, "_saved_environ", {}).items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved_environ = {}

    def run(self, tasks: Sequence[Task]) -> Iterator[Done]:
        pending = list(tasks)
        restarts = 0
        while pending:
            if self._pool is None:
                self._pool = self._start()
            futures: dict[Future[Any], Task] = {}
            broken = False
            try:
                for task in pending:
                    futures[self._pool.submit(task[1], *task[2])] = task
            except BrokenProcessPool:
                broken = True
            finished: set[Any] = set()
            waiting = set(futures)
            while waiting and not broken:
                done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
                for future in done:
                    key = futures[future][0]
                    error = future.exception()
                    if isinstance(error, BrokenProcessPool):
                        broken = True
                        continue
                    finished.add(key)
                    yield key, (None if error else future.result()), error
            pending = [task for task in pending if task[0] not in finished]
            if not broken:
                return
            self._close_pool(cancel=True)
            if restarts >= self.restarts:
                lost = BrokenProcessPool(
                    "a worker process died (killed, or out of memory) and the pool was "
                    f"restarted {restarts} times; rerun the same command to resume"
                )
                for key, _, _ in pending:
                    yield key, None, lost
                return
            restarts += 1
            if self.notice is not None:
                self.notice(
                    f"a worker process died (killed, or out of memory); restarting the pool "
                    f"for the {len(pending)} unfinished replications"
                )

    def _close_pool(self, cancel: bool) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if cancel:
            processes = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:  # stop what is running now: its result is not wanted
                with contextlib.suppress(Exception):
                    process.terminate()
            for process in processes:
                with contextlib.suppress(Exception):
                    process.join(5)
        else:
            pool.shutdown(wait=True)
        self._restore_environ()

    def close(self, cancel: bool = False) -> None:
        self._close_pool(cancel)


#: A Dask scheduler's address: [scheme://]host:port.
ADDRESS = re.compile(r"^(?:(?:tcp|tls|ws|wss|ucx)://)?(?:\[[0-9A-Fa-f:.]+\]|[^\s:/\[\]]+):\d+/?$")


def check_reachable(address: str, seconds: float = 3.0) -> None:
    """A scheduler's TCP port answers within ``seconds``, or a ``UserError`` says so at once
    (Dask itself retries a refused connection until its timeout runs out)."""
    match = re.match(r"^(?:(tcp|tls)://)?(?:\[([0-9A-Fa-f:.]+)\]|([^\s:/\[\]]+)):(\d+)/?$", address)
    if match is None:  # ws://, ucx://: Dask's own connection checks them
        return
    host, port = match.group(2) or match.group(3), int(match.group(4))
    try:
        with socket.create_connection((host, port), timeout=seconds):
            pass
    except (OSError, ValueError, OverflowError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UserError(
            f"cannot reach the Dask scheduler at {address}: {reason or 'no answer'}"
        ) from None


class DaskBackend:
    """Tasks on a Dask distributed cluster: ``address`` is a scheduler's address
    (``tcp://host:8786``) or ``"local"`` for a ``LocalCluster`` of ``workers`` processes with
    one thread each."""

    def __init__(self, address: str, workers: int | None = None) -> None:
        if address != "local" and not ADDRESS.match(address):
            raise UserError(
                f"--scheduler {address!r}: expected 'local' or a scheduler address such as "
                "tcp://10.0.0.5:8786"
            )
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise UserError(
                "--scheduler needs Dask distributed: pip install 'srnlab[cluster]'"
            ) from None
        self.cluster: Any = None
        try:
            if address == "local":
                import logging

                self.cluster = LocalCluster(
                    n_workers=workers or available_cores(),
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self.cluster)
            else:
                check_reachable(address)
                self.client = Client(address, timeout="10s")
        except (OSError, TimeoutError) as exc:
            self.close()
            raise UserError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def run(self, tasks: Sequence[Task]) -> Iterator[Done]:
        from distributed import as_completed

        keys = {}
        futures = []
        for key, function, args in tasks:
            future = self.client.submit(function, *args, pure=False)
            keys[future.key] = key
            futures.append(future)
        self._futures = futures
        for future in as_completed(futures):
            key = keys[future.key]
            if future.status == "error":
                yield key, None, future.exception()
            else:
                yield key, future.result(), None
            future.release()

    def close(self, cancel: bool = False) -> None:
        if cancel and getattr(self, "_futures", None):
            with contextlib.suppress(Exception):
                self.client.cancel(self._futures)
        if getattr(self, "client", None) is not None:
            with contextlib.suppress(Exception):
                self.client.close()
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close()


def make_backend(
    jobs: int | None,
    scheduler: str | None,
    n_tasks: int,
    notice: Notice | None = None,
    preload: Sequence[str] = (),
) -> Backend:
    """The backend a command line asks for: Dask if ``scheduler``; else ``jobs`` worker
    processes (default: every core, never more than there are tasks; ``preload``: see
    ``ProcessBackend``); one job runs in this process."""
    if jobs is not None and jobs < 1:
        raise UserError(f"--jobs must be >= 1, got {jobs}")
    if scheduler is not None:
        return DaskBackend(scheduler, jobs)
    workers = min(jobs or available_cores(), max(1, n_tasks))
    if workers == 1:
        return SerialBackend()
    return ProcessBackend(workers, notice=notice, preload=preload)


@contextlib.contextmanager
def running(backend: Backend) -> Iterator[Backend]:
    """Close the backend when the block ends; on an error or Ctrl-C, stop what is running."""
    try:
        yield backend
    except BaseException:
        backend.close(cancel=True)
        raise
    backend.close()
