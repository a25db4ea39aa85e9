"""The process pool's start: forked workers where that is safe (Linux, one thread), spawned
ones otherwise, and the same results either way.

A forked worker starts as a copy of the main process, so it must first undo what it copied
that belongs to the main process: the command's SIGTERM handler and its BLAS thread pool.
Each check runs in a fresh interpreter: this test process may run threads of its own (left by
earlier tests), and one extra thread is enough to make the pool spawn.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from srnlab.executors import start_method

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork on Linux")

#: Python source that starts a second thread in the process that runs it
ANOTHER_THREAD = (
    "import threading; threading.Thread(target=threading.Event().wait, daemon=True).start()"
)


def fresh_python(code: str, cwd: Path | None = None) -> str:
    """Run ``code`` in a new interpreter; its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@linux_only
def test_one_thread_forks_and_another_thread_makes_it_spawn() -> None:
    found = fresh_python(f"""
        from srnlab.executors import start_method
        alone = start_method()
        {ANOTHER_THREAD}
        print(alone, start_method())
    """)
    assert found.split() == ["fork", "spawn"]


@linux_only
def test_preload_is_imported_before_the_fork() -> None:
    found = fresh_python("""
        import sys
        from srnlab.executors import start_method
        before = "colorsys" in sys.modules
        start_method(("colorsys",))
        print(before, "colorsys" in sys.modules)
    """)
    assert found.split() == ["False", "True"]


def test_spawn_off_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert start_method() == "spawn"


@linux_only
def test_a_forked_worker_drops_the_main_processs_sigterm_handler_and_blas_threads() -> None:
    found = json.loads(
        fresh_python("""
        import json, signal, threadpoolctl
        import numpy  # loads the BLAS the main process of a run has
        from srnlab.executors import ProcessBackend, start_method

        def unwind(signum, frame):  # the CLI's handler: unwind the command
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, unwind)
        main_blas = [lib["num_threads"] for lib in threadpoolctl.threadpool_info()]
        method = start_method()
        backend = ProcessBackend(2)
        tasks = [("sigterm", signal.getsignal, (signal.SIGTERM,)),
                 ("blas", threadpoolctl.threadpool_info, ())]
        found = {key: value for key, value, error in backend.run(tasks)}
        backend.close()
        print(json.dumps({
            "method": method,
            "sigterm_default": found["sigterm"] == signal.SIG_DFL,
            "worker_blas": [lib["num_threads"] for lib in found["blas"]],
            "main_blas": main_blas,
        }))
    """)
    )
    assert found["method"] == "fork"
    assert found["sigterm_default"]
    assert found["worker_blas"]  # NumPy's BLAS is loaded in the worker
    assert set(found["worker_blas"]) == {1}


@linux_only
def test_forked_and_spawned_workers_write_the_same_run_folders(tmp_path: Path) -> None:
    argv = ["run", "letters", "--seeds", "3", "--jobs", "2", "--no-figures", "--set", "passes=30"]
    fresh_python(
        f"""
        from srnlab.cli import main
        assert main({argv!r} + ["--out", "forked"]) == 0
        {ANOTHER_THREAD}  # the next pool is spawned
        assert main({argv!r} + ["--out", "spawned"]) == 0
        """,
        cwd=tmp_path,
    )

    def files(name: str) -> dict[str, bytes]:
        out = tmp_path / name
        return {
            p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != "manifest.json"  # it records when it was made
        }

    forked, spawned = files("forked"), files("spawned")
    assert any(name.startswith("seed-2/") for name in forked)
    assert sorted(forked) == sorted(spawned)
    assert [name for name in forked if forked[name] != spawned[name]] == []
