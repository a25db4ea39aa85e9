"""`srnlab run --seeds N` and `srnlab sweep`: parallel and serial runs identical bit for bit,
the tidy tables' shape, failures that do not stop the rest, resume after a killed run, a killed
worker, Ctrl-C, and bad input (one line, exit 2, nothing written)."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import cli, patch_recipe

XOR = ["--set", "epochs=150", "--no-figures"]
# letters at a size where one replication takes a fraction of a second: long enough to be
# interrupted between replications, short enough for the default test run
LETTERS = ["--set", "n_consonants=300", "--set", "test_consonants=100", "--set", "passes=30",
           "--no-figures"]  # fmt: skip


# the paper-scale letters net trained for half the passes (about 0.2 s a replication): long
# enough for a kill to land while there is work left
LETTERS_FULL = ["--set", "passes=100", "--no-figures"]


def srnlab(*argv: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "srnlab", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,  # type: ignore[call-overload]
    )


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def assert_same_run(a: Path, b: Path) -> None:
    """Two run folders hold the same numbers, bit for bit."""
    assert (a / "metrics.json").read_bytes() == (b / "metrics.json").read_bytes()
    assert (a / "history.csv").read_bytes() == (b / "history.csv").read_bytes()
    with np.load(a / "arrays.npz") as x, np.load(b / "arrays.npz") as y:
        assert x.files == y.files
        for name in x.files:
            assert x[name].tobytes() == y[name].tobytes(), name


def test_parallel_serial_and_alone_are_identical(tmp_path: Path) -> None:
    """Replication i is the same run in 2 worker processes, in this process, and alone."""
    code, text = cli("run", "letters", "--seeds", "3", "--jobs", "2", "--out",
                     str(tmp_path / "par"), *LETTERS)  # fmt: skip
    assert code == 0, text
    code, _ = cli("run", "letters", "--seeds", "3", "--jobs", "1", "--out",
                  str(tmp_path / "ser"), *LETTERS)  # fmt: skip
    assert code == 0
    code, _ = cli("run", "letters", "--set", "seed=2", "--out", str(tmp_path / "alone"), *LETTERS)
    assert code == 0
    for seed in (0, 1, 2):
        assert_same_run(tmp_path / "par" / f"seed-{seed}", tmp_path / "ser" / f"seed-{seed}")
    assert_same_run(tmp_path / "par" / "seed-2", tmp_path / "alone")
    for name in ("aggregate.json", "metrics.csv", "summary.json", "replications.csv"):
        assert (tmp_path / "par" / name).read_bytes() == (tmp_path / "ser" / name).read_bytes()
    # the aggregate is the statistics of the replications' own numbers
    stats = json.loads((tmp_path / "par" / "aggregate.json").read_text())
    values = [
        json.loads((tmp_path / "par" / f"seed-{s}" / "metrics.json").read_text())["network"][
            "euclidean"
        ]["vowel_targets"]
        for s in (0, 1, 2)
    ]
    described = stats["metrics"]["network.euclidean.vowel_targets"]
    assert described["n"] == 3 and described["mean"] == pytest.approx(np.mean(values), rel=1e-15)
    assert described["sd"] == pytest.approx(np.std(values, ddof=1), rel=1e-12)
    assert stats["success"]["n"] == 3 and stats["failed"] == []
    assert json.loads((tmp_path / "par" / "manifest.json").read_text())["recipe"] == "letters"


def test_sweep_writes_a_tidy_table_and_per_condition_summary(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    grid = ["--grid", "hidden=2,3", "--grid", "learning_rate=0.1,0.5"]
    code, text = cli("sweep", "xor", *grid, "--seeds", "3", "--set", "seed=4", "--jobs", "1",
                     "--out", str(out), *XOR)  # fmt: skip
    assert code == 0, text
    rows = read_csv(out / "replications.csv")
    assert len(rows) == 2 * 2 * 3  # conditions x seeds: one row per replication
    assert list(rows[0])[:6] == ["hidden", "learning_rate", "seed", "status", "error", "success"]
    assert "final_weights.w3,5" in rows[0] and "outputs.3" in rows[0]
    assert [(r["hidden"], r["learning_rate"], r["seed"]) for r in rows[:4]] == [
        ("2", "0.1", "4"), ("2", "0.1", "5"), ("2", "0.1", "6"), ("2", "0.5", "4")]  # fmt: skip
    assert {r["status"] for r in rows} == {"ok"}
    summary = json.loads((out / "summary.json").read_text())
    assert [c["condition"] for c in summary["conditions"]] == [
        {"hidden": 2, "learning_rate": 0.1}, {"hidden": 2, "learning_rate": 0.5},
        {"hidden": 3, "learning_rate": 0.1}, {"hidden": 3, "learning_rate": 0.5}]  # fmt: skip
    # summary.csv: one row per condition and metric; its numbers are the table's
    stats = read_csv(out / "summary.csv")
    assert list(stats[0]) == ["hidden", "learning_rate", "metric", "n", "mean", "sd",
                              "ci95_low", "ci95_high", "min", "max"]  # fmt: skip
    cell = [r for r in stats if r["hidden"] == "3" and r["learning_rate"] == "0.5"]
    final = next(r for r in cell if r["metric"] == "final_error")
    mine = [
        float(r["final_error"]) for r in rows if r["hidden"] == "3" and r["learning_rate"] == "0.5"
    ]
    assert float(final["mean"]) == pytest.approx(np.mean(mine), rel=1e-15)
    success = next(r for r in cell if r["metric"] == "success")
    assert float(success["mean"]) == np.mean([r["success"] == "True" for r in rows[9:12]])
    # each condition is `srnlab run --seeds N` with those settings; each replication a run alone
    assert (out / "hidden=3,learning_rate=0.5" / "aggregate.json").is_file()
    code, _ = cli("run", "xor", "--set", "hidden=3", "--set", "learning_rate=0.5", "--set",
                  "seed=5", "--out", str(tmp_path / "alone"), *XOR)  # fmt: skip
    assert_same_run(out / "hidden=3,learning_rate=0.5" / "seed-5", tmp_path / "alone")
    assert "hidden=3, learning_rate=0.5: 3/3 finished; success" in text


def test_sweep_plot_and_metric_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plot"
    argv = ["sweep", "xor", "--grid", "hidden=2,3", "--seeds", "2", "--jobs", "1",
            "--set", "epochs=50", "--out", str(out)]  # fmt: skip
    code, text = cli(*argv, "--metric", "final_rms")
    assert code == 0
    assert (out / "figures" / "final_rms.png").stat().st_size > 1000
    assert (out / "hidden=2" / "figures" / "learning_curves.png").is_file()
    assert "final_rms 0." in text
    # the last part of a dotted name is enough when it is unique; an unknown one is an error
    # after the results are saved, and a rerun redraws without recomputing anything
    stamp = (out / "hidden=2" / "seed-0" / "metrics.json").stat().st_mtime_ns
    code, _ = cli(*argv, "--metric", "w3,5")
    assert code == 2
    err = capsys.readouterr().err
    assert "did you mean initial_weights.w3,5, final_weights.w3,5?" in err
    code, _ = cli(*argv, "--metric", "final_weights.w3,5")
    assert code == 0 and (out / "figures" / "final_weights.w3_5.png").is_file()
    assert (out / "hidden=2" / "seed-0" / "metrics.json").stat().st_mtime_ns == stamp


def test_a_failing_condition_is_reported_and_the_rest_go_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replication that raises (here: every one with init_range=0.75, as if drawing its
    weights overflowed; every config value that passes the checks runs, so the failure is
    put in by hand) is reported, and the others go on."""
    from srnlab.recipes import xor

    train = xor.run

    def failing(config: xor.Config) -> object:
        if config.init_range == 0.75:
            raise OverflowError("high - low range exceeds valid bounds")
        return train(config)

    patch_recipe(monkeypatch, "xor", run=failing)
    out = tmp_path / "fail"
    argv = ["sweep", "xor", "--grid", "init_range=0.5,0.75", "--seeds", "2", "--jobs", "1",
            "--out", str(out), *XOR]  # fmt: skip
    code, text = cli(*argv)
    assert code == 1
    err = capsys.readouterr().err.splitlines()
    failures = [line for line in err if "failed:" in line]
    assert failures == [
        f"srnlab: init_range=0.75 seed {s} failed: OverflowError: high - low range exceeds "
        "valid bounds"
        for s in (0, 1)
    ]
    assert "2 of 4 replications failed" in text
    rows = read_csv(out / "replications.csv")
    assert [r["status"] for r in rows] == ["ok", "ok", "failed", "failed"]
    assert rows[2]["error"].startswith("OverflowError") and rows[2]["final_error"] == ""
    summary = json.loads((out / "summary.json").read_text())
    good, bad = summary["conditions"]
    assert good["finished"] == 2 and good["failed"] == []
    assert bad["finished"] == 0 and [f["seed"] for f in bad["failed"]] == [0, 1]
    aggregate = json.loads((out / "init_range=0.75" / "aggregate.json").read_text())
    assert "Traceback" in aggregate["failed"][0]["traceback"]
    assert (out / "init_range=0.5" / "seed-1" / "metrics.json").is_file()
    assert not (out / "init_range=0.75" / "seed-0").exists()
    # rerunning retries only the failed ones: the finished ones are not recomputed
    stamp = (out / "init_range=0.5" / "seed-0" / "metrics.json").stat().st_mtime_ns
    code, _ = cli(*argv)
    assert code == 1
    assert (out / "init_range=0.5" / "seed-0" / "metrics.json").stat().st_mtime_ns == stamp
    assert len([line for line in capsys.readouterr().err.splitlines() if "failed:" in line]) == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sweep", "nosuch", "--grid", "hidden=2,3"], "unknown recipe 'nosuch'; valid: xor"),
        (["sweep", "xor", "--grid", "colour=red"], "--grid: unknown config key 'colour'"),
        (["sweep", "xor", "--grid", "hidden=2,x"], "hidden='x': expected a whole number"),
        (["sweep", "xor", "--grid", "hidden=0,2"], "--grid condition hidden=0: hidden must be"),
        (["sweep", "xor"], "the following arguments are required: --grid"),
        (["sweep", "xor", "--grid", "hidden=2", "--seeds", "0"], "--seeds must be >= 1"),
        (["sweep", "xor", "--grid", "hidden=2", "--jobs", "0"], "--jobs must be >= 1"),
        (["run", "xor", "--seeds", "2", "--jobs", "0"], "--jobs must be >= 1"),
    ],
)
def test_bad_input_is_one_line_exit_2_nothing_written(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = cli(*argv, "--out", str(tmp_path / "x"))
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("srnlab: error: ")
    assert message in err
    assert list(tmp_path.iterdir()) == []


def test_resume_rules_for_an_existing_out_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s"
    argv = ["sweep", "xor", "--grid", "hidden=2,3", "--jobs", "1", "--out", str(out), *XOR]
    assert cli(*argv)[0] == 0
    capsys.readouterr()
    # a different grid or config on the same folder is refused, and nothing there changes
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    for changed in (["--grid", "learning_rate=0.5"], ["--set", "momentum=0.5"]):
        code, _ = cli(*argv, *changed)
        err = capsys.readouterr().err
        assert code == 2 and err.count("\n") == 1
        assert f"{out} holds other replications (" in err and "--force" in err
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    # a folder that is not a set of replications is never touched without --force
    (tmp_path / "mine").mkdir()
    code, _ = cli("run", "xor", "--seeds", "2", "--out", str(tmp_path / "mine"), *XOR)
    assert code == 2 and "already exists (folder); pass --force" in capsys.readouterr().err
    # more seeds on the same command add replications and keep the others
    stamp = (out / "hidden=2" / "seed-0" / "metrics.json").stat().st_mtime_ns
    assert cli(*argv, "--seeds", "2")[0] == 0
    assert (out / "hidden=2" / "seed-1").is_dir()
    assert (out / "hidden=2" / "seed-0" / "metrics.json").stat().st_mtime_ns == stamp
    assert len(read_csv(out / "replications.csv")) == 4
    # --force starts afresh
    assert cli(*argv, "--grid", "learning_rate=0.5", "--force")[0] == 0
    assert (out / "hidden=2,learning_rate=0.5").is_dir() and not (out / "hidden=2").exists()


def _wait_for(path: Path, process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{path} did not appear"
        time.sleep(0.02)


def test_a_killed_sweep_resumes_without_recomputing(tmp_path: Path) -> None:
    """SIGKILL (a crash, a reboot) after some replications; the same command finishes the rest
    and the results equal an uninterrupted run's."""
    argv = ["sweep", "letters", "--grid", "hidden=5,10", "--seeds", "3", "--jobs", "1",
            *LETTERS_FULL]  # fmt: skip
    out = tmp_path / "killed"
    process = srnlab(*argv, "--out", str(out))
    _wait_for(out / "hidden=5" / "seed-1", process)
    process.kill()
    process.communicate()
    finished = sorted(p.relative_to(out) for p in out.glob("*/seed-*"))
    assert 2 <= len(finished) < 6, finished
    stamps = {p: (out / p / "metrics.json").stat().st_mtime_ns for p in finished}
    assert not (out / "replications.csv").exists()  # the sweep had not finished
    again = subprocess.run([sys.executable, "-m", "srnlab", *argv, "--out", str(out)],
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert f"{len(finished)} already finished, resuming" in again.stderr
    assert {p: (out / p / "metrics.json").stat().st_mtime_ns for p in finished} == stamps
    assert not list(out.glob("*/.seed-*"))  # no temporary folder left behind
    # the same as a sweep that was never interrupted
    whole = tmp_path / "whole"
    assert cli(*argv, "--out", str(whole))[0] == 0
    for name in ("replications.csv", "summary.csv", "summary.json"):
        assert (out / name).read_bytes() == (whole / name).read_bytes(), name
    for p in sorted(whole.glob("*/seed-*")):
        assert_same_run(out / p.relative_to(whole), p)


def test_a_killed_worker_is_replaced_and_ctrl_c_keeps_what_finished(tmp_path: Path) -> None:
    psutil = pytest.importorskip("psutil")
    argv = ["run", "letters", "--seeds", "6", "--jobs", "2", *LETTERS_FULL]
    out = tmp_path / "worker"
    process = srnlab(*argv, "--out", str(out))
    _wait_for(out / "seed-0", process)
    main = psutil.Process(process.pid)
    workers = [  # forked copies of the main process (Linux), or spawned interpreters
        child
        for child in main.children()
        if child.cmdline() == main.cmdline() or "spawn_main" in " ".join(child.cmdline())
    ]
    assert len(workers) == 2
    workers[0].kill()
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert "a worker process died (killed, or out of memory); restarting the pool" in stderr
    serial = tmp_path / "serial"
    assert (
        cli(*argv[:2], "--seeds", "6", "--jobs", "1", "--out", str(serial), *LETTERS_FULL)[0] == 0
    )
    for seed in range(6):
        assert_same_run(out / f"seed-{seed}", serial / f"seed-{seed}")
    assert stdout.startswith("6/6 seeds show the paper's pattern")  # workers print nothing

    # Ctrl-C: exit 130, one line that says how to resume, finished replications kept
    out = tmp_path / "interrupted"
    process = srnlab(*argv, "--out", str(out))
    _wait_for(out / "seed-0", process)
    workers = psutil.Process(process.pid).children()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.splitlines()[-1] == (
        f"srnlab: interrupted; the finished replications are kept in {out}: rerun the same "
        f"command with --out {out} to resume"
    )
    assert (out / "seed-0").is_dir() and not list(out.glob(".seed-*"))
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive  # no worker left behind
