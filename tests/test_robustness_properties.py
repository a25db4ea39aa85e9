"""Property-based tests (Hypothesis) of every parser and validator that user input meets.

Each test generates inputs nobody thought of (numbers of every size and kind as text, odd
characters, random JSON, damaged bytes) and checks the promise of the command line: the
command returns 0 or 2 (it never raises: an exception escaping ``main`` would be a traceback),
and a folder that existed before is byte for byte the same afterwards.

The CLI runs in this process (``conftest.cli``). To keep a valid input from starting real
work, most commands get an ``--out`` that already exists: a valid input is then refused at
that point (exit 2), after everything else was checked.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import cli
from srnlab.catalogue import RECIPES
from srnlab.config import apply_overrides, check_fields, field_types
from srnlab.errors import UserError
from srnlab.results import _read_history, history_to_csv
from srnlab.sweep import parse_grid

FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

#: Text a user might type for a value: numbers of every size and kind, words, lists, junk.
NUMBERS_AS_TEXT = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda x: f"{x:g}"),
    st.sampled_from(["inf", "-inf", "nan", "1e999", "-0", "0x10", "1_000", "9" * 5000, "1e-400"]),
)
WORDS = st.sampled_from(["", " ", "none", "None", "true", "no", "window", "localist", "=", ";"])
VALUE_TEXT = st.one_of(
    NUMBERS_AS_TEXT,
    WORDS,
    st.text(max_size=20),
    st.lists(NUMBERS_AS_TEXT | WORDS, min_size=1, max_size=4).map(",".join),
    st.lists(NUMBERS_AS_TEXT, min_size=1, max_size=3).map(";".join),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=15,
)
RECIPE_AND_KEY = st.sampled_from(
    [(name, key) for name, recipe in RECIPES.items() for key in field_types(recipe.Config)]
)


def tree(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder``, with its bytes' hash."""
    return {
        path.relative_to(folder).as_posix(): (
            "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
        )
        for path in sorted(folder.rglob("*"))
    }


@contextmanager
def existing_folder() -> Iterator[Path]:
    """A fresh folder that already holds a file of the user's; it must stay as it is."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "mine"
        folder.mkdir()
        (folder / "notes.txt").write_text("my notes")
        (folder / "worksheet.md").write_text("my worksheet")
        before = tree(Path(tmp))
        yield folder
        assert tree(Path(tmp)) == before, "a command changed a folder it was given"


def refused_or_ok(code: int, capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert code in (0, 2), err
    if code == 2:
        assert err.startswith("srnlab: error: ") and err.count("\n") == 1, err
    return err


# ---- --set and --grid ---------------------------------------------------------------------------


@FAST
@given(RECIPE_AND_KEY, VALUE_TEXT)
def test_set_values_parse_to_a_valid_config_or_a_user_error(recipe_key, text) -> None:
    name, key = recipe_key
    recipe = RECIPES[name]
    try:
        config = apply_overrides(recipe.Config(), [f"{key}={text}"])
    except UserError as exc:
        assert "\n" not in str(exc)
        return
    check_fields(config)  # what was accepted is of the declared type, finite and in range
    assert dataclasses.replace(config) == config  # and builds again (its checks pass)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(RECIPE_AND_KEY, VALUE_TEXT)
def test_run_with_any_set_value_exits_0_or_2_and_changes_nothing(capsys, recipe_key, text) -> None:
    name, key = recipe_key
    with existing_folder() as mine:
        code, _ = cli("run", name, "--set", f"{key}={text}", "--out", str(mine))
        refused_or_ok(code, capsys)
        assert code == 2  # bad value, or else the folder exists


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(RECIPE_AND_KEY, VALUE_TEXT, st.integers(min_value=-3, max_value=10**6))
def test_run_seeds_with_any_set_value_exits_2_and_changes_nothing(
    capsys, recipe_key, text, seeds
) -> None:
    name, key = recipe_key
    with existing_folder() as mine:
        argv = ("run", name, "--set", f"{key}={text}", "--seeds", str(seeds), "--out", str(mine))
        code, _ = cli(*argv)
        refused_or_ok(code, capsys)
        assert code == 2


@FAST
@given(RECIPE_AND_KEY, VALUE_TEXT)
def test_grid_values_parse_or_raise_a_user_error(recipe_key, text) -> None:
    name, key = recipe_key
    try:
        grid = parse_grid(RECIPES[name].Config, [f"{key}={text}"])
    except UserError as exc:
        assert "\n" not in str(exc)
        return
    assert [k for k, _ in grid] == [key] and grid[0][1]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(RECIPE_AND_KEY, st.lists(VALUE_TEXT, min_size=1, max_size=2))
def test_sweep_with_any_grid_exits_2_and_changes_nothing(capsys, recipe_key, texts) -> None:
    name, key = recipe_key
    grids = [arg for text in texts for arg in ("--grid", f"{key}={text}")]
    with existing_folder() as mine:
        code, _ = cli("sweep", name, *grids, "--seeds", "2", "--out", str(mine))
        refused_or_ok(code, capsys)
        assert code == 2


# ---- the worksheet's files and patterns -----------------------------------------------------

GOOD = {"w0,3": 0.1, "w1,3": 0.2, "w2,3": -0.3, "w0,4": 0.4, "w1,4": -0.5, "w2,4": 0.6,
        "w6,5": 0.7, "w3,5": -0.8, "w4,5": 0.9}  # fmt: skip
NEAR_WEIGHTS = st.fixed_dictionaries(
    {
        "sizes": st.one_of(
            st.just([2, 2, 1]),
            st.lists(st.integers(min_value=-2, max_value=10**9), max_size=4),
            JSON_VALUES,
        ),
        "weights": st.one_of(
            st.dictionaries(
                st.sampled_from([*GOOD, "w9,9", "w1,1", "x", "w0,3 "]),
                st.one_of(st.floats(), st.integers(), st.text(max_size=3), st.none()),
                max_size=12,
            ),
            st.just(GOOD).map(dict),
            JSON_VALUES,
        ),
    }
)
FILE_TEXT = st.one_of(
    JSON_VALUES.map(json.dumps),
    NEAR_WEIGHTS.map(json.dumps),
    st.text(max_size=60),
    st.integers(min_value=1, max_value=50_000).map(lambda n: "[" * n),
)


def worksheet(*argv: str) -> int:
    code, _ = cli("worksheet", "--show", "none", "--format", "csv", *argv)
    return code


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(FILE_TEXT)
def test_any_weights_file_exits_0_or_2_and_changes_nothing(capsys, text) -> None:
    with existing_folder() as mine:
        path = mine.parent / "w.json"
        path.write_text(text, encoding="utf-8")
        code = worksheet("--weights", str(path), "--out", str(mine))
        refused_or_ok(code, capsys)
        path.unlink()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.fixed_dictionaries(
        {"inputs": JSON_VALUES | st.lists(st.lists(st.floats(), max_size=3), max_size=3),
         "targets": JSON_VALUES | st.lists(st.lists(st.floats(), max_size=2), max_size=3)}
    ).map(json.dumps)
    | FILE_TEXT
)  # fmt: skip
def test_any_patterns_file_exits_0_or_2(capsys, text) -> None:
    with existing_folder() as mine:
        path = mine.parent / "p.json"
        path.write_text(text, encoding="utf-8")
        refused_or_ok(worksheet("--patterns", str(path)), capsys)
        path.unlink()


PATTERN_TEXT = st.one_of(
    VALUE_TEXT,
    st.lists(st.integers(min_value=-2, max_value=6).map(str), min_size=1, max_size=5).map(",".join),
    st.lists(
        st.tuples(st.integers(-1, 6), st.integers(-1, 6)).map(lambda p: f"{p[0]}-{p[1]}"),
        min_size=1,
        max_size=3,
    ).map(",".join),
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(["--order", "--show", "--sizes", "--epochs", "--lr", "--momentum",
                     "--init-range", "--seed", "--digits"]),
    PATTERN_TEXT,
)  # fmt: skip
def test_worksheet_options_exit_0_or_2(capsys, option, text) -> None:
    assume(not text.startswith("-"))  # argparse would read it as an option: a usage error
    code, _ = (
        cli("worksheet", "--show", "none", option, text)
        if option != "--show"
        else cli("worksheet", "--show", text)
    )
    refused_or_ok(code, capsys)


# ---- run folders ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small finished xor run and a --seeds 2 folder beside it."""
    where = tmp_path_factory.mktemp("finished")
    fast = ("--set", "epochs=30", "--no-figures")
    assert cli("run", "xor", *fast, "--out", str(where / "run"))[0] == 0
    argv = ("run", "xor", *fast, "--seeds", "2", "--jobs", "1", "--out", str(where / "seeds"))
    assert cli(*argv)[0] == 0
    return where


def damaged(original: bytes) -> st.SearchStrategy[bytes]:
    """Bytes a damaged file might hold: cut short, a byte changed, junk, other JSON."""
    size = len(original)
    return st.one_of(
        st.integers(0, size - 1).map(lambda n: original[:n]),
        st.tuples(st.integers(0, size - 1), st.integers(0, 255)).map(
            lambda p: original[: p[0]] + bytes([p[1]]) + original[p[0] + 1 :]
        ),
        st.binary(max_size=200),
        JSON_VALUES.map(lambda v: json.dumps(v).encode()),
    )


def same_manifest(content: bytes, original: bytes) -> bool:
    """A changed byte that leaves the manifest meaning the same (white space): that folder
    is not damaged."""
    try:
        return bool(json.loads(content) == json.loads(original))
    except ValueError:
        return False


RUN_FILES = ("config.json", "metrics.json", "history.csv", "arrays.npz")


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(RUN_FILES), st.data())
def test_show_reads_any_damaged_run_folder_as_0_or_2_and_changes_nothing(
    capsys, finished, name, data
) -> None:
    original = (finished / "run" / name).read_bytes()
    content = data.draw(damaged(original))
    assume(content != original)
    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp) / "run"
        shutil.copytree(finished / "run", run)
        (run / name).write_bytes(content)
        before = tree(run)
        code, _ = cli("show", str(run))
        err = refused_or_ok(code, capsys)
        assert tree(run) == before
        if code == 2:
            assert "damaged" in err or "not a run folder" in err or "unknown recipe" in err, err


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(["manifest.json", "seed-1/metrics.json", "seed-0/arrays.npz"]), st.data())
def test_a_damaged_seeds_folder_is_refused_or_shown_and_never_changed(
    capsys, finished, name, data
) -> None:
    """show reads it or says it is damaged; resuming with a damaged manifest is refused."""
    original = (finished / "seeds" / name).read_bytes()
    content = data.draw(damaged(original))
    assume(content != original)
    assume(name != "manifest.json" or not same_manifest(content, original))
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        shutil.copytree(finished / "seeds", seeds)
        (seeds / name).write_bytes(content)
        before = tree(seeds)
        refused_or_ok(cli("show", str(seeds))[0], capsys)
        if name == "manifest.json":
            argv = ("run", "xor", "--set", "epochs=30", "--no-figures", "--seeds", "2",
                    "--jobs", "1", "--out", str(seeds))  # fmt: skip
            code, _ = cli(*argv)
            err = refused_or_ok(code, capsys)
            assert code == 2 and ("damaged" in err or "holds other replications" in err), err
        assert tree(seeds) == before


# ---- history.csv: written and read a column at a time, as if cell by cell -------------------

#: The cells of a history column: all of one plain type (written a column at a time), or mixed.
HISTORY_CELLS = st.sampled_from(
    [
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.booleans(),
        VALUE_TEXT,
        st.floats() | st.integers() | st.booleans() | VALUE_TEXT,
    ]
)
#: The texts of a history.csv column: ints, floats, both, or anything.
INT_TEXT = st.integers(min_value=-(2**70), max_value=2**70).map(str)
FLOAT_TEXT = st.floats(allow_nan=True, allow_infinity=True).map(repr)
HISTORY_TEXTS = st.one_of(
    st.lists(INT_TEXT, min_size=1),
    st.lists(FLOAT_TEXT, min_size=1),
    st.lists(FLOAT_TEXT | INT_TEXT, min_size=2).filter(lambda texts: len(set(texts)) > 1),
    st.lists(NUMBERS_AS_TEXT | VALUE_TEXT, min_size=1, max_size=8),
)


def csv_cell_by_cell(history: dict[str, list]) -> str:
    """history.csv written the plain way: the csv module, a row at a time, bools as 0 and 1,
    floats as their repr (the shortest text that reads back the same)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(history))
    for row in zip(*history.values(), strict=True):
        writer.writerow([int(v) if isinstance(v, bool) else v for v in row])
    return buffer.getvalue()


def parsed_cell_by_cell(text: str) -> object:
    """A cell read the plain way: an int if it is one, else a float, else the text."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def typed(values: list) -> list[tuple[str, str]]:
    """Values by type and text: nan equals nan, and 1 differs from 1.0."""
    return [(type(v).__name__, repr(v)) for v in values]


@FAST
@given(st.integers(0, 5), st.lists(HISTORY_CELLS, min_size=1, max_size=4), st.data())
def test_history_csv_is_the_text_of_writing_it_cell_by_cell(n_rows, cells, data) -> None:
    history = {
        f"c{k}": data.draw(st.lists(kind, min_size=n_rows, max_size=n_rows))
        for k, kind in enumerate(cells)
    }
    assert history_to_csv(history) == csv_cell_by_cell(history)


@FAST
@given(HISTORY_TEXTS)
def test_history_csv_is_read_as_if_cell_by_cell(texts) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.csv"
        path.write_text(csv_cell_by_cell({"t": texts}), encoding="utf-8")
        with open(path, newline="", encoding="utf-8") as handle:
            cells = [row[0] for row in list(csv.reader(handle))[1:]]
        read = _read_history(path)["t"]
    assert typed(read) == typed([parsed_cell_by_cell(text) for text in cells])
