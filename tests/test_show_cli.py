"""`srnlab show`: a run folder's report again, read from its files; figures redrawn; bad
folders refused in one line."""

from __future__ import annotations

import pytest

from conftest import cli
from srnlab.cli import main


def test_show_prints_the_runs_own_report_and_redraws_a_deleted_figure(tmp_path):
    folder = tmp_path / "xor"
    code, printed = cli("run", "xor", "--out", str(folder), "--set", "epochs=300")
    assert code == 0
    report = printed.split("run folder:")[0]
    metrics = (folder / "metrics.json").read_bytes()
    (folder / "figures" / "outputs.png").unlink()

    code, shown = cli("show", str(folder))
    assert code == 0 and shown == report  # the same text, from the files alone
    assert not (folder / "figures" / "outputs.png").exists()  # no --figures: nothing written

    code, shown = cli("show", str(folder), "--figures")
    assert code == 0 and shown == report
    assert (folder / "figures" / "outputs.png").stat().st_size > 1000
    assert (folder / "metrics.json").read_bytes() == metrics  # results untouched


def test_show_summarises_a_replications_folder(tmp_path):
    folder = tmp_path / "letters"
    sets = ["--set", "n_consonants=40", "--set", "test_consonants=40", "--set", "passes=3"]
    code, printed = cli(
        "run", "letters", "--seeds", "2", "--jobs", "1", "--out", str(folder), *sets
    )
    assert code == 0
    # Only the first seed draws its figures (the ones a report shows); show --figures draws
    # the others from the saved numbers, and redraws a deleted summary figure.
    assert (folder / "seed-0" / "figures" / "learning_curve.svg").is_file()
    assert not (folder / "seed-1" / "figures").exists()
    (folder / "figures" / "seeds.png").unlink()
    code, shown = cli("show", str(folder), "--figures")
    assert code == 0
    assert shown.splitlines()[0] == printed.splitlines()[0]  # the summary line of the run
    assert "(2 replications: seeds 0, 1)" in shown
    assert (folder / "figures" / "seeds.png").is_file()
    assert (folder / "seed-1" / "figures" / "learning_curve.svg").is_file()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda f: None, "is not a folder"),
        (lambda f: f.mkdir(), "is not a run folder"),
        (lambda f: (f.mkdir(), (f / "config.json").write_text("{oops")), "not valid JSON"),
        (
            lambda f: (
                f.mkdir(),
                (f / "config.json").write_text('{"recipe": "xor", "config": {}}'),
            ),
            "is damaged: metrics.json: missing",
        ),
        (
            lambda f: (
                f.mkdir(),
                (f / "config.json").write_text('{"recipe": "nope", "config": {}}'),
                (f / "metrics.json").write_text("{}"),
            ),
            "unknown recipe 'nope'",
        ),
        (
            lambda f: (f.mkdir(), (f / "summary.csv").write_text(""), (f / "hidden=2").mkdir()),
            "is a sweep folder",
        ),
    ],
)
def test_show_refuses_what_is_not_a_run_folder_in_one_line(tmp_path, capsys, make, message):
    folder = tmp_path / "thing"
    make(folder)
    assert main(["show", str(folder)]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err
