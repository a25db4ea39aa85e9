"""`srnlab run` and `srnlab list`, in-process and as a real subprocess, including bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import numpy as np
import pytest

from conftest import cli as run_cli
from conftest import patch_recipe
from srnlab.cli import main
from srnlab.results import load_run


def test_run_xor_writes_a_complete_run_folder(tmp_path):
    folder = tmp_path / "xor"
    code, text = run_cli("run", "xor", "--out", str(folder), "--set", "epochs=400")
    assert code == 0
    assert f"run folder: {folder}" in text
    for name in ("config.json", "metrics.json", "history.csv", "arrays.npz"):
        assert (folder / name).is_file()
    for figure in ("learning_curve", "outputs", "hidden_representation", "network"):
        assert (folder / "figures" / f"{figure}.png").stat().st_size > 1000
        assert (folder / "figures" / f"{figure}.svg").is_file()
    config = json.loads((folder / "config.json").read_text())
    assert config["recipe"] == "xor" and config["config"]["epochs"] == 400
    result = load_run(folder)
    assert len(result.history["epoch"]) == 401
    with np.load(folder / "arrays.npz", allow_pickle=False) as arrays:
        assert arrays["final_weights_0"].shape == (2, 2)
    # the printed verdict agrees with metrics.json
    assert ("solved XOR" in text) == result.metrics["solved"]


def test_overrides_reach_the_network(tmp_path):
    overrides = ["--set", "hidden=3", "--set", "epochs=5", "--set", "loss=cross_entropy"]
    code, _ = run_cli("run", "xor", "--out", str(tmp_path / "r"), "--no-figures", *overrides)
    assert code == 0
    result = load_run(tmp_path / "r")
    assert result.arrays["final_weights_0"].shape == (3, 2)
    assert result.config["loss"] == "cross_entropy"


def test_seeds_summarise_and_each_replication_is_its_own_run(tmp_path):
    code, text = run_cli("run", "xor", "--seeds", "3", "--out", str(tmp_path / "s"),
                         "--no-figures", "--set", "epochs=300", "--set", "seed=5")  # fmt: skip
    assert code == 0
    summary = json.loads((tmp_path / "s" / "summary.json").read_text())
    assert summary["seeds"] == [5, 6, 7]
    solved = [load_run(tmp_path / "s" / f"seed-{s}").metrics["solved"] for s in (5, 6, 7)]
    assert summary["solved"] == sum(solved)
    assert f"{sum(solved)}/3 seeds solved XOR" in text
    # replication 6 equals a run alone with seed 6
    alone = tmp_path / "alone"
    run_cli("run", "xor", "--out", str(alone), "--no-figures", "--set", "epochs=300",
            "--set", "seed=6")  # fmt: skip
    a = load_run(alone).arrays["final_weights_1"]
    b = load_run(tmp_path / "s" / "seed-6").arrays["final_weights_1"]
    assert a.tobytes() == b.tobytes()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "nosuch"], "unknown recipe 'nosuch'; valid: xor"),
        (["run", "xor", "--set", "colour=red"], "unknown config key 'colour'; valid keys:"),
        (["run", "xor", "--set", "epochs=many"], "epochs='many': expected a whole number"),
        (["run", "xor", "--set", "loss=hinge"], "unknown loss 'hinge'"),
        (["run", "xor", "--seeds", "0"], "--seeds must be >= 1"),
        (["run", "xor", "--bogus"], "unrecognized arguments: --bogus"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(argv, message, capsys, tmp_path):
    code, _ = run_cli(*argv, *(["--out", str(tmp_path / "x")] if argv[0] == "run" else []))
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("srnlab: error: ")
    assert message in err
    assert not (tmp_path / "x").exists()  # nothing written for bad input


def test_an_existing_run_folder_is_never_replaced_without_force(tmp_path, capsys):
    folder = tmp_path / "keep"
    folder.mkdir()
    (folder / "precious.txt").write_text("earlier result")
    code, _ = run_cli("run", "xor", "--out", str(folder), "--set", "epochs=3")
    assert code == 2
    assert "already exists" in capsys.readouterr().err
    assert (folder / "precious.txt").read_text() == "earlier result"
    code, _ = run_cli("run", "xor", "--out", str(folder), "--set", "epochs=3", "--force",
                      "--no-figures")  # fmt: skip
    assert code == 0 and not (folder / "precious.txt").exists()
    assert (folder / "metrics.json").is_file()


def test_a_failing_run_leaves_no_partial_folder(tmp_path, monkeypatch):
    def explode(config):
        raise RuntimeError("boom")

    patch_recipe(monkeypatch, "xor", run=explode)
    with pytest.raises(RuntimeError):
        main(["run", "xor", "--out", str(tmp_path / "half")], out=io.StringIO())
    assert list(tmp_path.iterdir()) == []


def test_list_shows_recipes_and_keys():
    code, text = run_cli("list", "--keys")
    assert code == 0
    assert text.startswith("xor ")
    assert "learning_rate (float, default 0.1)" in text


def test_help_answers_questions():
    code, text = run_cli()
    assert code == 0 and "srnlab run xor" in text
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--help"], out=io.StringIO())
    assert exit_info.value.code == 0


def test_real_subprocess_success_and_failure(tmp_path):
    ok = subprocess.run(
        [sys.executable, "-m", "srnlab", "run", "xor", "--out", str(tmp_path / "p"),
         "--no-figures", "--set", "epochs=20"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "p" / "metrics.json").is_file()
    bad = subprocess.run(
        [sys.executable, "-m", "srnlab", "run", "xor", "--set", "hidden=two"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2
    assert bad.stderr.strip() == "srnlab: error: hidden='two': expected a whole number"
    assert "Traceback" not in bad.stderr


def test_run_folders_and_files_get_normal_permissions(tmp_path):
    import os

    os.umask(0o022)
    folder = tmp_path / "perm"
    run_cli("run", "xor", "--out", str(folder), "--no-figures", "--set", "epochs=2")
    assert folder.stat().st_mode & 0o777 == 0o755
    assert (folder / "metrics.json").stat().st_mode & 0o777 == 0o644


def test_worksheet_seed_gives_the_same_network_as_the_xor_recipe(tmp_path):
    """`srnlab worksheet --seed N` promises the initial net of `srnlab run xor --set seed=N`."""
    from srnlab.recipes import xor

    saved = tmp_path / "w.json"
    code, _ = run_cli("worksheet", "--seed", "7", "--save-weights", str(saved), "--format", "csv")
    assert code == 0
    weights = json.loads(saved.read_text())["weights"]
    expected = xor.run(xor.Config(seed=7, epochs=0)).metrics["initial_weights"]
    assert weights == expected


def test_list_one_recipe_explains_its_keys(capsys):
    code, text = run_cli("list", "rules")
    assert code == 0
    lines = text.splitlines()
    assert lines[0].startswith("rules ") and not any(x.startswith("xor ") for x in lines)
    assert "networks (int, default 16): [P] 16 infants per experiment" in text
    code, every = run_cli("list", "--keys")
    assert code == 0 and "hidden (int, default 20): [P] 6-20-6" in every  # letters, explained
    assert main(["list", "nope"]) == 2
    assert "unknown recipe 'nope'" in capsys.readouterr().err


def test_a_closed_pipe_ends_the_command_quietly(monkeypatch):
    from srnlab import cli as cli_module

    def reader_went_away() -> int:
        raise BrokenPipeError

    monkeypatch.setattr(cli_module, "main", reader_went_away)
    monkeypatch.setattr(cli_module.os, "dup2", lambda fd, fd2: None)  # keep pytest's stdout
    monkeypatch.setattr(cli_module, "exit_promptly", sys.exit)  # not pytest's own process
    with pytest.raises(SystemExit) as stop:
        cli_module.console_main()
    assert stop.value.code == 141


_EXIT_SCRIPT = """
import atexit, sys, threading, time
from pathlib import Path
from srnlab.cli import exit_promptly
out = Path(sys.argv[1])
atexit.register(lambda: (out / "atexit").write_text("ran"))
if sys.argv[2] == "thread":
    threading.Thread(target=lambda: (time.sleep(0.3), (out / "thread").write_text("done"))).start()
sys.stdout.write("unflushed")
exit_promptly(1)
"""


@pytest.mark.parametrize("other_thread", [False, True])
def test_a_prompt_exit_still_runs_atexit_flushes_and_waits_for_threads(tmp_path, other_thread):
    ended = subprocess.run(
        [sys.executable, "-c", _EXIT_SCRIPT, str(tmp_path), "thread" if other_thread else "-"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ended.returncode == 1, ended.stderr
    assert ended.stdout == "unflushed"
    assert (tmp_path / "atexit").read_text() == "ran"
    assert (tmp_path / "thread").exists() == other_thread


def test_several_seeds_draw_the_first_seeds_figures_unless_all_are_asked_for(tmp_path):
    common = ["--seeds", "3", "--jobs", "1", "--set", "epochs=30"]
    code, _ = run_cli("run", "xor", "--out", str(tmp_path / "first"), *common)
    assert code == 0
    drawn = sorted(p.parent.parent.name for p in (tmp_path / "first").glob("seed-*/figures/*.svg"))
    assert set(drawn) == {"seed-0"} and len(drawn) == 4
    assert (tmp_path / "first" / "figures" / "solution_epochs.png").is_file()
    code, _ = run_cli("run", "xor", "--out", str(tmp_path / "all"), "--all-figures", *common)
    assert code == 0
    for seed in (0, 1, 2):
        assert len(list((tmp_path / "all" / f"seed-{seed}" / "figures").glob("*.png"))) == 4


def test_no_figures_and_all_figures_exclude_each_other(tmp_path, capsys):
    argv = ["run", "xor", "--seeds", "2", "--no-figures", "--all-figures"]
    assert main([*argv, "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not allowed with argument" in err
    assert not (tmp_path / "x").exists()
