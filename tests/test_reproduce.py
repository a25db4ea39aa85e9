"""`srnlab reproduce`: every experiment in a small version, one report; and its text helpers."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from srnlab.cli import main
from srnlab.commands.reproduce import reproducible
from srnlab.config import apply_overrides
from srnlab.report import spread


@pytest.mark.parametrize("name", list(reproducible()))
def test_every_experiment_has_a_valid_quick_version(name: str) -> None:
    recipe = reproducible()[name]
    assert recipe.REPRODUCE_SEEDS >= 2
    items = [
        f"{k}={','.join(map(str, v)) if isinstance(v, tuple) else v}"
        for k, v in recipe.QUICK.items()
    ]
    quick = apply_overrides(recipe.Config(), items)
    assert quick != recipe.Config()


def _files(folder: Path) -> dict[Path, tuple[int, int]]:
    """Every file under ``folder``: (inode, modification time in ns)."""
    return {
        p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_quick_reproduction_resumes_after_ctrl_c_and_writes_a_complete_report(
    tmp_path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Ctrl-C after the first experiment keeps it; the same command resumes without
    recomputing it and writes the whole report; a third run reuses everything."""
    import srnlab.commands.reproduce as command

    out = tmp_path / "lecture"
    argv = ["reproduce", "--quick", "--out", str(out)]
    real = command.write_json

    def ctrl_c_after_the_first_experiment(path, data):  # type: ignore[no-untyped-def]
        real(path, data)
        if path.name == command.FINISHED:  # an experiment's last file: it is complete
            raise KeyboardInterrupt

    monkeypatch.setattr(command, "write_json", ctrl_c_after_the_first_experiment)
    assert main(argv) == 130
    assert "rerun the same command" in capsys.readouterr().err
    complete = [p.parent.name for p in out.glob(f"*/{command.FINISHED}")]
    assert len(complete) == 1 and not (out / "report.md").exists()
    first = complete[0]
    kept = _files(out / first)
    assert any(p.name == "metrics.json" for p in kept)

    monkeypatch.setattr(command, "write_json", real)
    assert main(argv) == 0
    printed = capsys.readouterr()
    assert _files(out / first) == kept  # not recomputed, not even rewritten
    assert f"{first}: 2 seeds kept from an earlier run" in printed.err
    markdown = (out / "report.md").read_text()
    page = (out / "report.html").read_text()
    for name, recipe in reproducible().items():
        assert f"## {name}: " in markdown
        assert (out / name / "summary.json").is_file()
        assert (out / name / "seed-0" / "metrics.json").is_file()
        assert f"srnlab run {name} --seeds 2" in markdown
        assert recipe.SUMMARY in printed.err  # progress names every experiment
    # every figure the Markdown links exists; the HTML needs no file beside it
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)
    assert links and all((out / link).is_file() for link in links)
    sources = re.findall(r'src="([^"]*)"', page)
    assert len(sources) == len(links)
    assert all(s.startswith("data:image/png;base64,") for s in sources)
    # the tables hold the papers' rows
    assert "| quantity | paper | srnlab | note |" in markdown
    assert "error at the XOR-bit steps" in markdown
    assert "report:" in printed.out
    # every section opens with the paper's claim and the verdict, then its figure; the rest
    # is folded; the verdict is also what the terminal shows
    for name, recipe in reproducible().items():
        body = markdown.split(f"## {name}: ", 1)[1].split("\n## ", 1)[0]
        lines = [line for line in body.splitlines()[1:] if line.strip()]
        assert lines[0] == f"**The paper:** {recipe.CLAIM}"
        assert lines[1].startswith("**Verdict:** ")
        assert re.fullmatch(rf"!\[.*\]\({name}/.*/{recipe.REPORT_FIGURE}\.png\)", lines[2])
        verdict = lines[1].removeprefix("**Verdict:** ")
        assert f"{name}: {verdict}" in printed.out
        assert body.count("<details>") == body.count("</details>") == 1
    assert page.count("<details>") == len(reproducible())
    # papers are cited, not files a reader does not have; the lecture's notation
    for text in (markdown, page):
        assert "../shared" not in text and "/shared/" not in text
        assert "Elman, J. L. (1990). Finding structure in time. Cognitive Science" in text
        assert "t - y" not in text and "t \u2212 y" not in text

    # The README's main command run a second time: everything is reused, the report the same.
    everything = _files(out)
    assert main(argv) == 0
    assert (out / "report.md").read_text() == markdown
    assert {p: v for p, v in _files(out).items() if not p.name.startswith("report.")} == {
        p: v for p, v in everything.items() if not p.name.startswith("report.")
    }


def test_only_some_experiments_and_bad_names(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "some"
    assert main(["reproduce", "--quick", "--only", "letters", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "letters",
        "manifest.json",
        "report.html",
        "report.md",
    ]
    capsys.readouterr()
    bad = tmp_path / "bad"
    assert main(["reproduce", "--only", "letters,wurds", "--out", str(bad)]) == 2
    err = capsys.readouterr().err
    assert (
        "unknown experiment wurds" in err and "valid:" in err and len(err.strip().splitlines()) == 1
    )
    assert not bad.exists()
    # A folder srnlab did not write is never replaced without --force ...
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    assert main(["reproduce", "--quick", "--only", "letters", "--out", str(foreign)]) == 2
    assert "--force" in capsys.readouterr().err
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    # ... nor one made at the other scale (its experiments are other experiments).
    assert main(["reproduce", "--only", "letters", "--out", str(out)]) == 2
    assert "quick" in capsys.readouterr().err
    assert (out / "report.md").is_file()  # the earlier result is untouched


def test_reproduced_numbers_are_the_runs_numbers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The report's table cell is computed from the replications it ran (not retyped)."""
    import json

    out = tmp_path / "txor"
    assert main(["reproduce", "--quick", "--only", "temporal-xor", "--out", str(out)]) == 0
    values = [
        json.loads((out / "temporal-xor" / f"seed-{s}" / "metrics.json").read_text())[
            "xor_target_squared"
        ]
        for s in (0, 1)
    ]
    assert f"| {spread(values)} |" in (out / "report.md").read_text()
    assert np.isfinite(values).all()


def test_folders_whose_parents_do_not_exist_yet_are_made(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The README's main command writes runs/lecture on a fresh clone, where runs/ is not
    there yet; a sweep and a --seeds run likewise make the folders above --out."""
    import io

    fast = ["--set", "epochs=5", "--no-figures"]
    commands = [
        ["reproduce", "--quick", "--only", "xor", "--out", str(tmp_path / "a/b/lecture")],
        ["sweep", "xor", "--grid", "hidden=2,3", "--seeds", "2", "--jobs", "1", *fast,
         "--out", str(tmp_path / "c/d/sweep")],
        ["run", "xor", "--seeds", "2", "--jobs", "1", *fast, "--out", str(tmp_path / "e/f/s")],
    ]  # fmt: skip
    for argv in commands:
        assert main(argv, out=io.StringIO()) == 0, argv
    assert (tmp_path / "a/b/lecture/report.md").is_file()
    assert (tmp_path / "c/d/sweep/summary.json").is_file()
    assert (tmp_path / "e/f/s/aggregate.json").is_file()
    # a command refused for a bad option makes no folder
    assert main(["reproduce", "--quick", "--jobs", "0", "--out", str(tmp_path / "g/h")]) == 2
    assert not (tmp_path / "g").exists()
