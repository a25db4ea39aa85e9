"""A fast subset of the bad-input catalogue (``benchmarks/robustness.py``) in the default suite.

The benchmark runs every case as a subprocess; here every 4th case runs in this process
(``srnlab.cli.main``, in the case's own folder), with the same promise: exit code 2, no
exception (which would be a traceback), and the case's folder exactly as its setup left it.
"""

from __future__ import annotations

import importlib.util
import io
import os
import sys
from pathlib import Path

import pytest

from srnlab.cli import main

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "robustness.py"


def _catalogue():
    spec = importlib.util.spec_from_file_location("robustness", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["robustness"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


catalogue = _catalogue()
SUBSET = catalogue.CASES[::4]


def test_the_catalogue_has_at_least_150_cases() -> None:
    assert len(catalogue.CASES) >= 150


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("fixtures")
    for argv in catalogue.FIXTURES:
        with _inside(where):
            assert main(list(argv), out=io.StringIO()) == 0, argv
    return where


class _inside:
    """Run in ``folder`` as the current folder (the cases use relative paths)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __enter__(self) -> None:
        self.before = os.getcwd()
        os.chdir(self.folder)

    def __exit__(self, *exc: object) -> None:
        os.chdir(self.before)


@pytest.mark.parametrize("case", SUBSET, ids=[c.text[:60] for c in SUBSET])
def test_a_bad_input_is_exit_2_and_changes_nothing(
    case, fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if case.setup is not None:
        case.setup(tmp_path, fixtures)
    before = catalogue.snapshot(tmp_path)
    with _inside(tmp_path):
        code = main(list(case.argv), out=io.StringIO())
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("srnlab: error: ") and err.count("\n") == 1, err
    assert catalogue.snapshot(tmp_path) == before
