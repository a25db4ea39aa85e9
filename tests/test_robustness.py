"""Nothing breaks, nothing hangs, nothing is lost: the checks where values enter, operating-system
errors on output, damaged folders, resuming with fewer seeds, and a dead scheduler."""

from __future__ import annotations

import errno
import json
import os
import time
from pathlib import Path

import pytest

from conftest import cli
from srnlab import checks, fileio
from srnlab.catalogue import RECIPES
from srnlab.config import config_from_dict
from srnlab.errors import UserError
from srnlab.recipes import letters, xor

FAST = ("--set", "epochs=30", "--no-figures")


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else b"dir"
        for p in sorted(folder.rglob("*"))
    }


# ---- values where they enter ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("seed=-1", "seed must be between 0 and 4294967295, got -1"),
        ("init_range=inf", "init_range='inf': expected a finite number"),
        ("learning_rate=inf", "learning_rate='inf': expected a finite number"),
        ("learning_rate=1e300", "learning_rate must be <= 100, got 1e+300"),
        ("init_range=-1", "init_range must be >= 0, got -1.0"),
        ("hidden=1000000000", "GB of memory (estimate), more than this machine's"),
        ("epochs=4000000000", "TB of memory (estimate)"),
    ],
)
def test_a_bad_value_is_refused_before_anything_is_written(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    assignment: str,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _ = cli("run", "xor", "--set", assignment, "--seeds", "3")
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []  # not even runs/


def test_every_recipe_at_paper_scale_fits_a_small_machine_and_none_fits_a_tiny_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The memory estimate is generous, not absurd: every default config fits in 2 GB, and
    none in 1 MB (so the estimate is computed for every recipe)."""
    monkeypatch.setattr(checks, "machine_memory", lambda: 2_000_000_000)
    for recipe in RECIPES.values():
        recipe.Config()
    monkeypatch.setattr(checks, "machine_memory", lambda: 1_000_000)
    for name, recipe in RECIPES.items():
        with pytest.raises(UserError, match="of memory \\(estimate\\)"):
            recipe.Config()
        assert name


def test_a_network_too_large_for_the_machine_names_its_estimate() -> None:
    with pytest.raises(UserError) as refused:
        letters.Config(hidden=100_000)
    assert str(refused.value).startswith("a 6-100000-6 SRN over 8,000 time steps would need about")
    assert "GB of memory (estimate)" in str(refused.value)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hidden", "3", "hidden must be int, got '3'"),
        ("hidden", 2.5, "hidden must be int"),
        ("learning_rate", True, "learning_rate must be float"),
        ("loss", 7, "loss must be str"),
        ("learning_rate", float("nan"), "learning_rate must be a finite number"),
        ("seed", 2**40, "seed must be between 0 and 4294967295"),
    ],
)
def test_a_config_read_from_a_file_is_checked_like_one_from_the_command_line(
    field: str, value: object, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        config_from_dict(xor.Config, {field: value})


# ---- operating-system errors on output -------------------------------------------------------


def full_disk(monkeypatch: pytest.MonkeyPatch, after: int = 0) -> None:
    """Every write (of text or of bytes) after the first ``after`` fails as on a full disk."""
    count = {"n": 0}

    def failing(real):
        def write(self: Path, *args: object, **kwargs: object) -> int:
            count["n"] += 1
            if count["n"] > after:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return int(real(self, *args, **kwargs))

        return write

    monkeypatch.setattr(Path, "write_text", failing(Path.write_text))
    monkeypatch.setattr(Path, "write_bytes", failing(Path.write_bytes))


def test_a_full_disk_is_one_line_naming_the_users_path_and_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    full_disk(monkeypatch)
    code, _ = cli("run", "xor", *FAST, "--out", str(tmp_path / "new"))
    err = capsys.readouterr().err
    assert code == 2
    assert (
        err
        == f"srnlab: error: cannot write {tmp_path / 'new'}/config.json: No space left on device\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_with_force_leaves_the_earlier_result_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "run"
    assert cli("run", "xor", *FAST, "--out", str(out))[0] == 0
    before = tree(tmp_path)
    full_disk(monkeypatch, after=1)
    code, _ = cli("run", "xor", *FAST, "--set", "seed=5", "--force", "--out", str(out))
    assert code == 2 and "No space left on device" in capsys.readouterr().err
    assert tree(tmp_path) == before


def test_a_full_disk_in_a_new_seeds_folder_removes_it_and_keeps_a_resumed_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    argv = ("run", "xor", *FAST, "--seeds", "3", "--jobs", "1", "--out", str(tmp_path / "s"))
    with monkeypatch.context() as patch:
        full_disk(patch)
        assert cli(*argv)[0] == 2
    assert "cannot write" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # the folder it made held nothing finished
    assert cli(*argv[:-4], "--seeds", "2", "--jobs", "1", "--out", str(tmp_path / "s"))[0] == 0
    before = tree(tmp_path / "s" / "seed-0")
    with monkeypatch.context() as patch:
        full_disk(patch)
        assert cli(*argv)[0] == 2  # --seeds 3 on a --seeds 2 folder: resumes, then fails
    assert tree(tmp_path / "s" / "seed-0") == before
    assert sorted(p.name for p in (tmp_path / "s").glob("seed-*")) == ["seed-0", "seed-1"]


def test_no_permission_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> str:
        raise PermissionError(
            errno.EACCES, os.strerror(errno.EACCES), str(tmp_path / ".new.k2j4_x9a.partial")
        )

    monkeypatch.setattr(fileio.tempfile, "mkdtemp", refuse)
    code, _ = cli("run", "xor", *FAST, "--out", str(tmp_path / "new"))
    assert code == 2
    assert capsys.readouterr().err == (
        f"srnlab: error: cannot write {tmp_path / 'new'}: Permission denied\n"
    )


def test_a_file_where_a_folder_should_be_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "f").write_text("mine")
    for argv in (("run", "xor"), ("run", "xor", "--seeds", "2"), ("worksheet",)):
        assert cli(*argv, "--out", str(tmp_path / "f" / "sub"))[0] == 2
        err = capsys.readouterr().err
        assert f"{tmp_path / 'f'} is a file, not a folder" in err, err
    assert (tmp_path / "f").read_text() == "mine"


# ---- resuming -------------------------------------------------------------------------------


def test_a_smaller_seeds_reports_the_larger_set_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s"
    argv = ("run", "xor", *FAST, "--jobs", "1", "--out", str(out))
    assert cli(*argv, "--seeds", "3")[0] == 0
    assert json.loads((out / "manifest.json").read_text())["seeds"] == 3
    before = tree(out)
    capsys.readouterr()
    assert cli(*argv, "--seeds", "2")[0] == 2
    err = capsys.readouterr().err
    assert f"{out} holds a run of --seeds 3; --seeds 2 would rewrite" in err
    assert tree(out) == before
    assert cli(*argv, "--seeds", "2", "--force")[0] == 0  # --force starts afresh
    assert json.loads((out / "aggregate.json").read_text())["replications"] == 2


def test_an_older_manifest_without_seeds_counts_the_seed_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s"
    argv = ("run", "xor", *FAST, "--jobs", "1", "--out", str(out))
    assert cli(*argv, "--seeds", "3")[0] == 0
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["seeds"]
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert cli(*argv, "--seeds", "2")[0] == 2
    assert "holds a run of --seeds 3" in capsys.readouterr().err


def test_a_damaged_manifest_says_damaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s"
    argv = ("run", "xor", *FAST, "--seeds", "2", "--jobs", "1", "--out", str(out))
    assert cli(*argv)[0] == 0
    (out / "manifest.json").write_text('{"srnlab": "replications", "recipe"')
    assert cli(*argv)[0] == 2
    err = capsys.readouterr().err
    assert f"{out} is damaged: manifest.json: JSONDecodeError" in err
    assert "already exists" not in err


# ---- processes ------------------------------------------------------------------------------


def test_a_dead_scheduler_address_fails_within_5_seconds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("distributed")
    started = time.perf_counter()
    argv = ("run", "xor", "--seeds", "2", "--scheduler", "tcp://127.0.0.1:1")
    code, _ = cli(*argv, "--out", str(tmp_path / "x"))
    assert time.perf_counter() - started < 5
    assert code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_scheduler_without_seeds_is_refused_not_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli("run", "xor", "--scheduler", "local", "--out", str(tmp_path / "x"))[0] == 2
    assert "--scheduler runs replications: give --seeds N" in capsys.readouterr().err


def test_a_run_that_diverges_is_one_line_not_a_folder_of_nulls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Linear units and a learning rate of 100 overflow: the run says so and writes nothing;
    a --seeds run records each such replication as failed (exit 1) and goes on."""
    diverging = ("--set", "learning_rate=100", "--set", "hidden_activation=linear",
                 "--set", "output_activation=linear", "--no-figures")  # fmt: skip
    code, _ = cli("run", "xor", *diverging, "--out", str(tmp_path / "one"))
    assert code == 2
    assert capsys.readouterr().err == (
        "srnlab: error: training diverged: the trained weights (final_weights_0) hold inf or "
        "NaN; use a smaller learning_rate or init_range, or bounded activations\n"
    )
    assert list(tmp_path.iterdir()) == []
    argv = ("run", "xor", *diverging, "--seeds", "2", "--jobs", "1", "--out", str(tmp_path / "s"))
    assert cli(*argv)[0] == 1
    assert "seed 1 failed: UserError: training diverged" in capsys.readouterr().err
