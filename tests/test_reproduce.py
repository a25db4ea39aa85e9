"""`srnlab reproduce`: every experiment in a small version, one report; and its text helpers."""

from __future__ import annotations

import re

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


def test_quick_reproduction_writes_a_complete_report(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "lecture"
    assert main(["reproduce", "--quick", "--out", str(out)]) == 0
    printed = capsys.readouterr()
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


def test_only_some_experiments_and_bad_names(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "some"
    assert main(["reproduce", "--quick", "--only", "letters", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["letters", "report.html", "report.md"]
    capsys.readouterr()
    bad = tmp_path / "bad"
    assert main(["reproduce", "--only", "letters,wurds", "--out", str(bad)]) == 2
    err = capsys.readouterr().err
    assert (
        "unknown experiment wurds" in err and "valid:" in err and len(err.strip().splitlines()) == 1
    )
    assert not bad.exists()
    assert main(["reproduce", "--quick", "--only", "letters", "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
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
