"""The report's layout (claim, verdict, figure, key table, folded details, references), its
text helpers, and the notation of every user-visible string."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from srnlab.catalogue import RECIPES
from srnlab.report import (
    REFERENCES,
    Section,
    count,
    detail,
    html_page,
    markdown,
    median_quartiles,
    outcome,
    recipe_text,
    spread,
)

ROOT = Path(__file__).resolve().parents[1]
PNG = bytes.fromhex(  # a 1x1 PNG
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_spread_median_and_count_say_which_statistic() -> None:
    assert spread([1.0, 2.0, 3.0]) == "mean 2.000 (SD 1.000, 1.000-3.000, n=3)"
    assert spread([0.5, None], digits=2) == "0.50"
    assert spread([]) == "n/a"
    assert median_quartiles([100, 200, 300, 400, 1000]) == ("median 300 (quartiles 200-400, n=5)")
    assert median_quartiles([]) == "n/a"
    assert median_quartiles([1, 2]) == "median 1.5 (quartiles 1.25-1.75, n=2)"
    assert median_quartiles([1, 2], digits=2) == "median 1.50 (quartiles 1.25-1.75, n=2)"
    assert [outcome(k, 3) for k in (3, 2, 0)] == [
        "Reproduced",
        "Partly reproduced",
        "Not reproduced",
    ]
    assert count([True, False, True]) == "2 of 3 seeds"


@pytest.fixture
def sections(tmp_path: Path) -> list[Section]:
    for name in ("lead.png", "more.png"):
        (tmp_path / name).write_bytes(PNG)
    rows = [
        {"quantity": "key quantity", "paper": "0.30", "srnlab": "mean 0.31", "note": "a|b"},
        detail({"quantity": "folded quantity", "paper": "yes", "srnlab": "3 of 3", "note": ""}),
    ]
    return [
        Section(
            name="temporal-xor",
            title="temporal-xor: dips",
            command="srnlab run temporal-xor --seeds 3",
            summary="the full <summary>\nsecond line",
            table=rows,
            figures=[("another figure", Path("more.png")), ("the lead figure", Path("lead.png"))],
            seconds=2.0,
            claim="The error dips at every third bit <b>.",
            verdict="Reproduced: 3 of 3 seeds.",
            lead="lead",
        )
    ]


def test_markdown_section_reads_claim_verdict_figure_table_then_details(sections) -> None:
    text = markdown("Title", "Intro.", sections)
    body = text.split("## temporal-xor: dips\n", 1)[1]
    lines = [line for line in body.splitlines() if line.strip()]
    assert lines[0] == "**The paper:** The error dips at every third bit <b>."
    assert lines[1] == "**Verdict:** Reproduced: 3 of 3 seeds."
    assert lines[2] == "![the lead figure](lead.png)"
    assert lines[4] == "| quantity | paper | srnlab | note |"
    assert lines[6] == "| key quantity | 0.30 | mean 0.31 | a\\|b |"
    folded = body.split("<details>", 1)[1].split("</details>", 1)[0]
    before = body.split("<details>", 1)[0]
    assert "folded quantity" in folded and "folded quantity" not in before
    assert "- **folded quantity**: paper yes; srnlab 3 of 3" in folded
    assert "![another figure](more.png)" in folded and "another figure" not in before
    assert "the full <summary>" in folded and "`srnlab run temporal-xor --seeds 3`" in folded
    # the overview table gives every section's verdict
    assert "| [temporal-xor: dips](#temporal-xor) | Reproduced: 3 of 3 seeds. | 2 s |" in text
    references = text.split("## References\n", 1)[1]
    assert all(f"- {r}" in references for r in REFERENCES.values())


def test_html_page_folds_details_escapes_text_and_embeds_figures(sections, tmp_path) -> None:
    page = html_page("Title <1>", "Intro.", sections, tmp_path)
    assert "<title>Title &lt;1&gt;</title>" in page
    assert "every third bit &lt;b&gt;." in page and "<b>.</b>" not in page
    section = page.split('<section id="temporal-xor">', 1)[1]
    claim, verdict = section.index('class="claim"'), section.index('class="verdict"')
    figure, details = section.index("<figure>"), section.index("<details>")
    assert claim < verdict < figure < section.index("key quantity") < details
    assert section.index("folded quantity") > details
    assert section.index("another figure") > details
    assert "the full &lt;summary&gt;<br>second line" in section
    assert page.count('src="data:image/png;base64,') == 2
    assert "Elman, J. L. (1990). Finding structure in time." in page


def test_the_templates_ship_with_the_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "templates/*.j2" in config["tool"]["setuptools"]["package-data"]["srnlab"]
    assert any(d.lower().startswith("jinja2") for d in config["project"]["dependencies"])
    templates = ROOT / "src" / "srnlab" / "templates"
    assert {p.name for p in templates.glob("*.j2")} == {"report.md.j2", "report.html.j2"}


def test_the_presenters_data_and_text_templates_ship_with_the_package() -> None:
    """An installed (not editable) srnlab has only the data files package-data names: every
    text template and the claims must be matched by one of its globs."""
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]
    shipped = {
        path
        for package, globs in package_data.items()
        for pattern in globs
        for path in (ROOT / "src" / package.replace(".", "/")).glob(pattern)
    }
    src = ROOT / "src" / "srnlab"
    needed = [src / "presenters" / "claims.toml", *(src / "templates" / "presenters").glob("*")]
    assert len(needed) > 1 and not [p for p in needed if p not in shipped]


def test_a_recipe_text_missing_a_number_raises_key_error() -> None:
    """As an f-string's summary["key"] would: the commands report that in one line."""
    with pytest.raises(KeyError, match="pattern_found"):
        recipe_text("temporal_xor", "summary", {"replications": 2})


#: The old notation (t the target, y the output): (t - y), |t - y|, ||t - y||, \u2016t ...
OLD_NOTATION = re.compile(r"[(|\u2016]\s*[tL]\s*(?:-|\u2212|\\u2212)\s*y\b|\\u2016t\b|\u2016t\b")


def test_every_user_visible_string_uses_the_lectures_notation() -> None:
    """y is the target and a the activation (E = (y - a)^2), in labels, notes, docstrings."""
    sources = [*(ROOT / "src" / "srnlab").rglob("*.py"), *(ROOT / "src").rglob("*.j2")]
    found = [
        f"{path.relative_to(ROOT)}:{k}: {line.strip()}"
        for path in sources
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if OLD_NOTATION.search(line)
    ]
    assert not found, "\n".join(found)
    assert OLD_NOTATION.search("squared error (t \\u2212 y)\\u00b2")  # the pattern bites
    assert OLD_NOTATION.search("mean ||t - y||") and not OLD_NOTATION.search("(y - a)")


@pytest.mark.parametrize("name", [n for n, r in RECIPES.items() if r.in_report])
def test_every_reproduced_recipe_states_its_claim_citing_papers(name: str) -> None:
    recipe = RECIPES[name]
    assert recipe.CLAIM.strip() and callable(recipe.report_verdict)
    cited = [short for short in REFERENCES if short.split(" (")[0].split(",")[0] in recipe.CLAIM]
    assert cited or "the lecture" in recipe.CLAIM
    assert "../shared" not in recipe.CLAIM
