"""Fault tests: stop `srnlab run --seeds N` the ways a user, ``timeout``, SLURM or the OOM killer
do (SIGTERM, SIGINT, SIGKILL; of the main process or of a worker), then check that

- no process of the run survives (workers notice their parent is gone and end within seconds),
- what was finished is kept, and nothing half-written is,
- rerunning the same command completes it, and the folder is then byte for byte the folder of
  a run that was never interrupted.

Each test runs srnlab as a subprocess (this interpreter, ``python -m srnlab``), on the letters
recipe at 400 passes (about a second per replication, more on a busy machine) so that there is
time to interrupt it. Those that rerun the command to compare folders are marked slow.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

ARGV = ("run", "letters", "--seeds", "4", "--no-figures", "--set", "passes=400", "--jobs", "2")


def srnlab(*argv: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "srnlab", *argv],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def until(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.05)


def alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    """Those still running (a zombie has ended: it only waits to be reaped)."""
    running = []
    for process in processes:
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                running.append(process)
        except psutil.NoSuchProcess:
            pass
    return running


def workers_of(main: subprocess.Popen[str]) -> list[psutil.Process]:
    """The run's pool workers: forked copies of the main process (Linux), or spawned
    interpreters (elsewhere), not the helpers multiprocessing may start."""
    process = psutil.Process(main.pid)
    command = process.cmdline()
    return [
        child
        for child in process.children(recursive=True)
        if child.cmdline() == command or "spawn_main" in " ".join(child.cmdline())
    ]


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The run folder of the same command, never interrupted."""
    where = tmp_path_factory.mktemp("uninterrupted")
    run = srnlab(*ARGV, "--out", "F", cwd=where)
    _, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    return files(where / "F")


def interrupt(
    tmp_path: Path, stop: Callable[[subprocess.Popen[str], list[psutil.Process]], None]
) -> tuple[subprocess.Popen[str], str, list[psutil.Process]]:
    """Start the run; once a replication is finished and the workers are busy with the
    next, call ``stop(main, workers)``; wait for the main process to end (a minute at most).
    Returns it, its stderr and the workers it had."""
    main = srnlab(*ARGV, "--out", "F", cwd=tmp_path)
    until(lambda: len(workers_of(main)) == 2, 60, "two workers")
    workers = workers_of(main)
    until(lambda: any((tmp_path / "F").glob("seed-*")), 120, "a finished replication")
    stop(main, workers)
    _, err = main.communicate(timeout=60)
    return main, err, workers


def resume_and_compare(tmp_path: Path, expected: dict[str, bytes]) -> str:
    """Rerun the same command: it completes, and the folder equals the uninterrupted one."""
    rerun = srnlab(*ARGV, "--out", "F", cwd=tmp_path)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert "resuming" in err
    found = files(tmp_path / "F")
    assert sorted(found) == sorted(expected)
    changed = [name for name in expected if found[name] != expected[name]]
    assert changed == [], f"differ from the uninterrupted run: {changed}"
    return err


def test_sigterm_while_workers_train_ends_them_all_with_exit_143(tmp_path: Path) -> None:
    """The quick check of the default suite: SIGTERM while both workers are busy."""
    argv = ("run", "letters", "--seeds", "2", "--no-figures", "--set", "passes=2000", "--jobs",
            "2", "--out", "F")  # fmt: skip
    main = srnlab(*argv, cwd=tmp_path)
    until(lambda: len(workers_of(main)) == 2, 60, "two workers")
    workers = workers_of(main)
    until(lambda: all(w.cpu_percent(0.2) > 20 for w in workers), 60, "busy workers")
    main.send_signal(signal.SIGTERM)
    _, err = main.communicate(timeout=30)
    assert main.returncode == 143, err
    assert err.strip().splitlines()[-1] == (
        "srnlab: stopped (SIGTERM); the finished replications are kept in F: rerun the same "
        "command with --out F to resume"
    )
    until(lambda: alive(workers) == [], 5, "the workers to end")
    assert sorted(p.name for p in (tmp_path / "F").iterdir()) == ["manifest.json"]


@pytest.mark.slow
def test_sigterm_of_the_main_process_keeps_the_finished_and_ends_every_worker(
    tmp_path: Path, uninterrupted: dict[str, bytes]
) -> None:
    main, err, workers = interrupt(tmp_path, lambda main, _: main.send_signal(signal.SIGTERM))
    assert main.returncode == 143, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("srnlab: stopped (SIGTERM); the finished replications are kept")
    assert "rerun the same command" in last and "Traceback" not in err
    assert alive(workers) == []  # the main process stopped them before it ended
    finished = sorted(p.name for p in (tmp_path / "F").glob("seed-*"))
    assert finished and len(finished) < 4
    assert list((tmp_path / "F").glob(".*")) == []  # no half-written replication
    resume_and_compare(tmp_path, uninterrupted)


@pytest.mark.slow
def test_ctrl_c_of_the_main_process_is_the_same_with_exit_130(
    tmp_path: Path, uninterrupted: dict[str, bytes]
) -> None:
    main, err, workers = interrupt(tmp_path, lambda main, _: main.send_signal(signal.SIGINT))
    assert main.returncode == 130, err
    assert err.strip().splitlines()[-1].startswith("srnlab: interrupted; the finished")
    assert alive(workers) == []
    resume_and_compare(tmp_path, uninterrupted)


@pytest.mark.slow
def test_sigkill_of_the_main_process_ends_every_worker_within_seconds(
    tmp_path: Path, uninterrupted: dict[str, bytes]
) -> None:
    main, _, workers = interrupt(tmp_path, lambda main, _: main.kill())
    assert main.returncode == -signal.SIGKILL
    until(lambda: alive(workers) == [], 5, "the orphaned workers to end")
    resume_and_compare(tmp_path, uninterrupted)
    assert list((tmp_path / "F").glob(".*")) == []  # the rerun removed what the kill left


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_a_worker_killed_mid_run_is_replaced_and_the_run_completes(
    tmp_path: Path, uninterrupted: dict[str, bytes], signum: int
) -> None:
    main, err, workers = interrupt(tmp_path, lambda _, workers: workers[0].send_signal(signum))
    assert main.returncode == 0, err
    assert "a worker process died" in err and "restarting the pool" in err
    assert alive(workers) == []
    found = files(tmp_path / "F")
    assert [name for name in uninterrupted if found.get(name) != uninterrupted[name]] == []


def test_a_worker_ends_when_its_parent_dies_even_without_the_kernels_help(tmp_path: Path) -> None:
    """The portable watchdog alone (as on macOS: no PR_SET_PDEATHSIG): a worker whose parent
    is killed exits within a second or two, even while its task is still running."""
    script = tmp_path / "parent.py"
    script.write_text(
        textwrap.dedent(
            """
            import os, subprocess, sys, time
            child = subprocess.Popen([sys.executable, "-c", '''
            import os, sys, time
            sys.platform = "darwin"  # no prctl: only the watchdog thread acts
            from srnlab.executors import end_with_parent
            end_with_parent(os.getppid(), poll_seconds=0.1)
            print("ready", flush=True)
            while True:  # a task that never ends by itself
                sum(range(10_000))
            '''], stdout=subprocess.PIPE, text=True)
            assert child.stdout.readline().strip() == "ready"
            print(child.pid, flush=True)
            time.sleep(600)
            """
        )
    )
    parent = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    assert parent.stdout is not None
    child = psutil.Process(int(parent.stdout.readline()))
    assert alive([child]) == [child]
    parent.kill()
    parent.wait()
    until(lambda: alive([child]) == [], 3, "the worker to notice its parent is gone")
