"""Replications on a real Dask cluster of separate worker processes give the local run's
numbers, bit for bit: through a scheduler's address and through `--scheduler local`."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from srnlab.cli import main

distributed = pytest.importorskip("distributed")

LETTERS = ["--set", "n_consonants=200", "--set", "test_consonants=100", "--set", "passes=20",
           "--no-figures"]  # fmt: skip


def cli(*argv: str) -> int:
    return main(list(argv), out=io.StringIO())


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A local cluster like a lab's: a scheduler and 2 worker processes, 1 thread each."""
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def same_files(a: Path, b: Path, names: tuple[str, ...]) -> None:
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_dask_cluster_gives_the_local_numbers(scheduler: str, tmp_path: Path) -> None:
    assert scheduler.startswith("tcp://")
    on_dask, local = tmp_path / "dask", tmp_path / "local"
    assert cli("run", "letters", "--seeds", "4", "--scheduler", scheduler, "--out",
               str(on_dask), *LETTERS) == 0  # fmt: skip
    assert cli("run", "letters", "--seeds", "4", "--jobs", "1", "--out", str(local), *LETTERS) == 0
    for seed in range(4):
        same_files(on_dask / f"seed-{seed}", local / f"seed-{seed}",
                   ("metrics.json", "history.csv", "arrays.npz"))  # fmt: skip
    same_files(on_dask, local, ("aggregate.json", "metrics.csv", "summary.json"))


def test_a_project_file_travels_to_dask_workers_whole(scheduler: str, tmp_path: Path) -> None:
    """The workers have no copy of the project's files: the recipe carries its data."""
    from srnlab.project.scaffold import project_files, write_project

    project = write_project(tmp_path / "p", project_files("p", None))
    argv = ["run", str(project), "--seeds", "2", "--set", "passes=2", "--no-figures"]
    on_dask, local = tmp_path / "dask", tmp_path / "local"
    assert cli(*argv, "--scheduler", scheduler, "--out", str(on_dask)) == 0
    assert cli(*argv, "--jobs", "1", "--out", str(local)) == 0
    for seed in range(2):
        same_files(on_dask / f"seed-{seed}", local / f"seed-{seed}", ("metrics.json", "arrays.npz"))


def test_sweep_on_a_local_dask_cluster_and_resume_on_another_backend(tmp_path: Path) -> None:
    argv = ["sweep", "letters", "--grid", "hidden=4,8", "--seeds", "2", *LETTERS]
    on_dask, local = tmp_path / "dask", tmp_path / "local"
    assert cli(*argv, "--scheduler", "local", "--jobs", "2", "--out", str(on_dask)) == 0
    assert cli(*argv, "--jobs", "1", "--out", str(local)) == 0
    same_files(on_dask, local, ("replications.csv", "summary.csv", "summary.json"))
    # a sweep resumed on a different backend is still the same sweep
    (on_dask / "hidden=8" / "seed-1").rename(tmp_path / "removed")
    assert cli(*argv, "--jobs", "2", "--out", str(on_dask)) == 0
    same_files(on_dask / "hidden=8" / "seed-1", local / "hidden=8" / "seed-1",
               ("metrics.json", "arrays.npz"))  # fmt: skip
    same_files(on_dask, local, ("replications.csv", "summary.csv"))


def test_a_malformed_scheduler_address_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli("run", "xor", "--seeds", "2", "--scheduler", "tcp://host:port", "--out",
               str(tmp_path / "x")) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "expected 'local' or a scheduler address" in err
    assert not (tmp_path / "x").exists()
