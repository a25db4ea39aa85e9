"""The README's "Your own experiment" section: its commands run as written, its abridged
project file declares the same experiment as the file `srnlab new` writes, and the numbers it
quotes are the ones the run measures."""

from __future__ import annotations

import os
import re
import shlex
import tomllib
from pathlib import Path

import pytest

from conftest import cli
from srnlab.project.file import config_from_document, read_project
from srnlab.results import load_run

README = Path(__file__).resolve().parents[1] / "README.md"


def section() -> str:
    return (
        README.read_text(encoding="utf-8").split("\n## Your own experiment\n")[1].split("\n## ")[0]
    )


def commands() -> list[list[str]]:
    block = re.search(r"```console\n(.*?)```", section(), flags=re.S)
    assert block is not None
    lines = [line.split("  #")[0].strip() for line in block.group(1).splitlines()]
    return [shlex.split(line[2:])[1:] for line in lines if line.startswith("$ srnlab ")]


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every command of the section, in order, in a fresh folder."""
    folder = tmp_path_factory.mktemp("readme-project")
    old = Path.cwd()
    os.chdir(folder)
    try:
        for argv in commands():
            code, _ = cli(*argv)
            assert code == 0, argv
    finally:
        os.chdir(old)
    return folder


def test_the_section_walks_through_new_run_list_seeds_sweep_show(ran: Path) -> None:
    verbs = [argv[0] for argv in commands()]
    assert verbs[:2] == ["new", "run"] and {"list", "sweep", "show"} <= set(verbs)
    assert (ran / "runs/saffran/figures/segmentation.png").is_file()
    assert (ran / "runs/saffran5/aggregate.json").is_file()
    assert (ran / "myletters/features.csv").is_file()


def test_the_abridged_project_file_is_the_written_one(ran: Path) -> None:
    text = re.search(r"```toml\n(.*?)```", section(), flags=re.S)
    assert text is not None
    abridged = config_from_document(tomllib.loads(text.group(1)), text.group(1), Path("x.toml"))
    assert abridged == read_project(ran / "saffran/saffran.toml").config


def _quoted(pattern: str) -> float:
    match = re.search(pattern, " ".join(section().split()))
    assert match is not None, pattern
    return float(match.group(1))


def test_the_numbers_quoted_are_the_runs(ran: Path) -> None:
    metrics = load_run(ran / "runs/saffran").metrics
    seg = metrics["segmentation"]
    assert _quoted(r"is ([\d.]+) at word onsets") == round(seg["onset_error"]["network"], 2)
    assert _quoted(r"against ([\d.]+) inside words") == round(seg["inside_error"]["network"], 2)
    assert _quoted(r"finds the words with F1 ([\d.]+)") == round(
        seg["network_peaks_above_mean"]["f1"], 2
    )
    assert _quoted(r"against ([\d.]+) for the transitional") == round(seg["bigram_dips"]["f1"], 2)
    assert _quoted(r"([\d.]+) for the untrained network's peaks") == round(
        seg["untrained_peaks_above_mean"]["f1"], 2
    )
    assert _quoted(r"and ([\d.]+) for chance") == round(seg["chance"]["f1"], 2)
