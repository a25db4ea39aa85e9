"""The reproduction report: the lecture's experiments, the papers' numbers beside ours, and the
figures, as Markdown (figures linked) and as one self-contained HTML page (figures embedded).

Every section reads the same way, so it can be projected: the paper's claim, our one-line
verdict with its number, the lead figure, the rows of the paper table that carry the claim,
and the rest (further rows, the recipe's full summary, more figures, the command that reruns
it) folded away. The text comes from each recipe (``CLAIM``, ``report_verdict``,
``report_summary``, ``paper_table``), the layout from the Jinja2 templates in
``srnlab/templates``; nothing here trains or plots. The recipes' longer texts are Jinja2
templates too (``templates/presenters``, rendered by ``recipe_text``).
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

TABLE_COLUMNS = ("quantity", "paper", "srnlab", "note")
#: A paper-table row with this key set (to any non-empty text) is folded into the details.
DETAIL = "detail"

#: The works the report cites, by the short name its text uses.
REFERENCES = {
    "Elman (1990)": "Elman, J. L. (1990). Finding structure in time. Cognitive Science, 14(2), "
    "179-211.",
    "Rumelhart, Hinton & Williams (1986)": "Rumelhart, D. E., Hinton, G. E., & Williams, R. J. "
    "(1986). Learning representations by back-propagating errors. Nature, 323, 533-536.",
    "Saffran, Aslin & Newport (1996)": "Saffran, J. R., Aslin, R. N., & Newport, E. L. (1996). "
    "Statistical learning by 8-month-old infants. Science, 274, 1926-1928.",
    "Kolen (1994)": "Kolen, J. F. (1994). Fool's gold: Extracting finite state machines from "
    "recurrent network dynamics. Advances in Neural Information Processing Systems 6, 501-508.",
    "Marcus et al. (1999)": "Marcus, G. F., Vijayan, S., Bandi Rao, S., & Vishton, P. M. (1999). "
    "Rule learning by seven-month-old infants. Science, 283, 77-80.",
    "Seidenberg & Elman (1999)": "Seidenberg, M. S., & Elman, J. L. (1999). Do infants learn "
    "grammar with algebra or statistics? Science, 284 (letter).",
    "Altmann & Dienes (1999)": "Altmann, G. T. M., & Dienes, Z. (1999). Rule learning by "
    "seven-month-old infants and neural networks. Science, 284 (technical comment).",
    "Negishi (1999)": "Negishi, M. (1999). Do infants learn grammar with algebra or "
    "statistics? Science, 284 (letter).",
    "McClelland & Plaut (1999)": "McClelland, J. L., & Plaut, D. C. (1999). Does generalization "
    "in infant learning implicate abstract algebra-like rules? Trends in Cognitive Sciences, "
    "3(5), 166-168.",
    "Vilcu & Hadley (2005)": "Vilcu, M., & Hadley, R. F. (2005). Two apparent "
    "'counterexamples' to Marcus: A closer look. Minds and Machines, 15, 359-382.",
}

INTRO = (
    "Each experiment ran over several seeds. Every section opens with the paper's claim and "
    "our verdict, then its main figure and the table of the numbers that carry the claim: "
    "the paper's number (as printed, or read off its figure: [figure]) beside ours. Ours are "
    "labelled with their statistic: 'mean' is the mean over seeds, followed by the SD, the "
    "range and the number of seeds; 'median' comes with its quartiles; 'k of n seeds' counts "
    "the seeds that show a result. Everything else is folded under 'Details'. Papers are "
    "cited by author and year; the full references are at the end."
)


@dataclass
class Section:
    """One experiment of the report."""

    name: str  # the recipe's name, also its folder under the report
    title: str
    command: str  # the command that reruns it
    summary: str  # the recipe's own one-paragraph summary (shown in the details)
    table: list[dict[str, str]]  # rows of TABLE_COLUMNS; rows with DETAIL set are folded
    figures: list[tuple[str, Path]] = field(default_factory=list)  # (caption, PNG under root)
    seconds: float = 0.0
    claim: str = ""  # what the paper (or the lecture) says, one or two sentences
    verdict: str = ""  # our answer in one line, with its number
    lead: str = ""  # the name (file stem) of the figure to show first; "": the first one

    @property
    def anchor(self) -> str:
        return "".join(ch if ch.isalnum() else "-" for ch in self.name.lower())

    @property
    def key_rows(self) -> list[dict[str, str]]:
        return [row for row in self.table if not row.get(DETAIL)]

    @property
    def detail_rows(self) -> list[dict[str, str]]:
        return [row for row in self.table if row.get(DETAIL)]

    @property
    def lead_figure(self) -> tuple[str, Path] | None:
        named = [f for f in self.figures if f[1].stem == self.lead]
        return (named or self.figures)[0] if self.figures else None

    @property
    def more_figures(self) -> list[tuple[str, Path]]:
        return [f for f in self.figures if f != self.lead_figure]


def paper_row(quantity: str, paper: str, srnlab: str, note: str) -> dict[str, str]:
    """One row of a paper table, its cells in the order of ``TABLE_COLUMNS``: what is
    measured, the paper's number, ours, and a note on how ours was measured."""
    return dict(zip(TABLE_COLUMNS, (quantity, paper, srnlab, note), strict=True))


def detail(row: dict[str, str]) -> dict[str, str]:
    """The row, marked to be folded into a section's details."""
    return row | {DETAIL: "yes"}


def spread(values: Sequence[float | None], digits: int = 3) -> str:
    """'mean m (SD s, lo-hi, n=k)' of the values that exist; one value is printed alone."""
    present = np.array([v for v in values if v is not None], dtype=float)
    if present.size == 0:
        return "n/a"
    if present.size == 1:
        return f"{present[0]:.{digits}f}"
    return (
        f"mean {present.mean():.{digits}f} (SD {present.std(ddof=1):.{digits}f}, "
        f"{present.min():.{digits}f}-{present.max():.{digits}f}, n={present.size})"
    )


def median_quartiles(values: Sequence[float], digits: int | None = None) -> str:
    """'median m (quartiles q1-q3, n=k)'; ``digits`` None: as short as exact (240, 214.5)."""
    if not len(values):
        return "n/a"
    q1, median, q3 = np.percentile(np.asarray(values, dtype=float), [25, 50, 75])
    form = "g" if digits is None else f".{digits}f"
    return f"median {median:{form}} (quartiles {q1:{form}}-{q3:{form}}, n={len(values)})"


def outcome(shown: int, n: int) -> str:
    """The first word of a verdict: whether the seeds show the paper's result."""
    if n and shown == n:
        return "Reproduced"
    return "Not reproduced" if shown == 0 else "Partly reproduced"


def seeds_verdict(shown: int, n: int, what: str) -> str:
    """The opening of a verdict line: 'Reproduced: 10 of 10 seeds ``what``' (the first word
    from ``outcome``), so every recipe's verdict counts its seeds the same way."""
    return f"{outcome(shown, n)}: {shown} of {n} seeds {what}"


def number(value: float | None, digits: int = 3) -> str:
    """A number for a sentence of a report, or 'n/a' where there is none."""
    return "n/a" if value is None else f"{value:.{digits}f}"


def count(flags: Sequence[bool]) -> str:
    """'k of n seeds'."""
    return f"{sum(bool(f) for f in flags)} of {len(flags)} seeds"


def markdown(title: str, intro: str, sections: Sequence[Section]) -> str:
    """The report as Markdown; figures are linked (paths relative to the report)."""
    return _render("report.md.j2", title=title, intro=intro, sections=sections)


def html_page(title: str, intro: str, sections: Sequence[Section], root: Path) -> str:
    """One HTML file that needs nothing beside it: figures are embedded as PNG data."""

    def embedded(path: Path) -> str:
        return "data:image/png;base64," + base64.b64encode((root / path).read_bytes()).decode()

    return _render("report.html.j2", title=title, intro=intro, sections=sections, embedded=embedded)


def _render(template: str, **context: Any) -> str:
    import jinja2  # imported when a report is written: `srnlab --help` starts faster

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("srnlab", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",)),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["md_cell"] = _md_cell
    text = environment.get_template(template).render(
        columns=TABLE_COLUMNS, references=REFERENCES, **context
    )
    return "\n".join(line.rstrip() for line in text.strip().splitlines()) + "\n"


def recipe_text(recipe: str, text: str, *args: Any, **values: Any) -> str:
    """One of a recipe's report texts: the macro ``text`` of the template
    ``templates/presenters/RECIPE.txt.j2``, called with ``args`` and ``values`` (a run, or a
    summary over seeds). The long sentences a recipe prints (its terminal report, its summary
    over seeds, its verdict) are written there as text with their numbers in place, so a
    presenter declares its texts as ``functools.partial(recipe_text, RECIPE, TEXT)``."""
    import jinja2

    macro = getattr(_text_templates().get_template(f"presenters/{recipe}.txt.j2").module, text)
    try:
        return str(macro(*args, **values))
    except jinja2.UndefinedError as exc:
        # a number the text needs is not in the run or summary (a damaged or foreign folder):
        # the KeyError an f-string's summary["key"] raises, which the commands report in a line
        raise KeyError(exc.message) from None


@functools.cache
def _text_templates() -> Any:
    """The environment of the recipes' text templates: plain text (no escaping), white space
    exactly as written, and the formatting the texts need: ``fmt`` (Python's format spec, as
    in an f-string), ``number`` (or 'n/a'), ``seeds_verdict`` and ``zip``."""
    import jinja2  # imported when a report is written: `srnlab --help` starts faster

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("srnlab", "templates"),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["fmt"] = format
    environment.filters["number"] = number
    environment.globals.update(seeds_verdict=seeds_verdict, zip=zip)
    return environment


def _md_cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
