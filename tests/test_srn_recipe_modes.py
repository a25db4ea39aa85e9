"""Every SRN recipe accepts every training mode of the shared schedule (``srnlab.settings``),
and the mode reaches the maths: windowed truncated BPTT with an update every 4 steps learns
along another curve than Elman's copy-back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import cli

#: Each recipe at a size that runs in a second or two.
SMALL: dict[str, list[str]] = {
    "temporal-xor": ["n_triples=40", "passes=3", "test_cycles=5"],
    "letters": ["n_consonants=20", "test_consonants=20", "passes=3", "figure_letters=10"],
    "words": ["n_sentences=20", "test_sentences=20", "passes=2"],
    "sentences": [
        *("n_sentences=100", "passes=2", "hidden=8"),
        *("fresh_sentences=0", "novel_sentences=0"),
    ],
}
# rules keeps no learning curve: tests/test_rules.py compares its looking times instead.


def learning_curve(folder: Path, recipe: str, *settings: str) -> str:
    options = [part for setting in (*SMALL[recipe], *settings) for part in ("--set", setting)]
    code, text = cli("run", recipe, *options, "--no-figures", "--out", str(folder))
    assert code == 0, text
    return (folder / "history.csv").read_text()


@pytest.mark.parametrize("recipe", sorted(SMALL))
def test_windowed_bptt_reaches_the_maths(recipe: str, tmp_path: Path) -> None:
    copy_back = learning_curve(tmp_path / "copy-back", recipe)
    windowed = learning_curve(tmp_path / "window", recipe, "through_time=window", "update_every=4")
    assert windowed.splitlines()[0] == copy_back.splitlines()[0]  # the same columns
    assert windowed != copy_back
    recorded = json.loads((tmp_path / "window" / "config.json").read_text())["config"]
    assert (recorded["through_time"], recorded["update_every"]) == ("window", 4)
