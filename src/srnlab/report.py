"""The reproduction report: the lecture's experiments, the papers' numbers beside ours, and the
figures, as Markdown (figures linked) and as one self-contained HTML page (figures embedded).

Pure text: a recipe supplies a ``paper_table`` of rows {quantity, paper, srnlab, note}, the
command supplies where the run folders and figures are; nothing here trains or plots.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

TABLE_COLUMNS = ("quantity", "paper", "srnlab", "note")


@dataclass
class Section:
    """One experiment of the report."""

    name: str  # the recipe's name, also its folder under the report
    title: str
    command: str  # the command that reruns it
    summary: str  # the recipe's own one-paragraph verdict
    table: list[dict[str, str]]
    figures: list[tuple[str, Path]] = field(default_factory=list)  # (caption, PNG under root)
    seconds: float = 0.0


def spread(values: Sequence[float | None], digits: int = 3) -> str:
    """'mean (SD s, range lo-hi, n)' of the values that exist; one value is printed alone."""
    present = np.array([v for v in values if v is not None], dtype=float)
    if present.size == 0:
        return "n/a"
    if present.size == 1:
        return f"{present[0]:.{digits}f}"
    return (
        f"{present.mean():.{digits}f} (SD {present.std(ddof=1):.{digits}f}, "
        f"{present.min():.{digits}f}-{present.max():.{digits}f}, n={present.size})"
    )


def number(value: float | None, digits: int = 3) -> str:
    """A number for a sentence of a report, or 'n/a' where there is none."""
    return "n/a" if value is None else f"{value:.{digits}f}"


def count(flags: Sequence[bool]) -> str:
    """'k of n seeds'."""
    return f"{sum(bool(f) for f in flags)} of {len(flags)} seeds"


def markdown(title: str, intro: str, sections: Sequence[Section]) -> str:
    lines = [f"# {title}", "", intro, ""]
    lines += ["| experiment | command | time |", "|---|---|---|"]
    for s in sections:
        lines.append(f"| [{s.title}](#{_anchor(s.name)}) | `{s.command}` | {s.seconds:.0f} s |")
    for s in sections:
        lines += ["", f'<a id="{_anchor(s.name)}"></a>', "", f"## {s.title}", ""]
        lines += [f"`{s.command}` (folder `{s.name}/`)", "", s.summary, ""]
        if s.table:
            lines += ["| " + " | ".join(TABLE_COLUMNS) + " |", "|---|---|---|---|"]
            lines += [
                "| " + " | ".join(_md_cell(row.get(c, "")) for c in TABLE_COLUMNS) + " |"
                for row in s.table
            ]
            lines.append("")
        for caption, path in s.figures:
            lines += [f"![{caption}]({path.as_posix()})", "", f"*{caption}*", ""]
    return "\n".join(lines).rstrip() + "\n"


def html_page(title: str, intro: str, sections: Sequence[Section], root: Path) -> str:
    """One HTML file that needs nothing beside it: figures are embedded as PNG data."""
    esc = html.escape
    body = [
        f"<h1>{esc(title)}</h1>",
        f"<p>{esc(intro)}</p>",
        "<table><tr><th>experiment</th><th>command</th><th>time</th></tr>",
    ]
    for s in sections:
        body.append(
            f'<tr><td><a href="#{_anchor(s.name)}">{esc(s.title)}</a></td>'
            f"<td><code>{esc(s.command)}</code></td><td>{s.seconds:.0f} s</td></tr>"
        )
    body.append("</table>")
    for s in sections:
        body += [f'<h2 id="{_anchor(s.name)}">{esc(s.title)}</h2>']
        body += [f"<p><code>{esc(s.command)}</code> (folder <code>{esc(s.name)}/</code>)</p>"]
        body += [f"<p>{esc(s.summary)}</p>".replace("\n", "<br>")]
        if s.table:
            body.append("<table><tr>" + "".join(f"<th>{c}</th>" for c in TABLE_COLUMNS) + "</tr>")
            for row in s.table:
                body.append(
                    "<tr>"
                    + "".join(f"<td>{esc(row.get(c, ''))}</td>" for c in TABLE_COLUMNS)
                    + "</tr>"
                )
            body.append("</table>")
        for caption, path in s.figures:
            data = base64.b64encode((root / path).read_bytes()).decode("ascii")
            body.append(
                f'<figure><img alt="{esc(caption)}" src="data:image/png;base64,{data}">'
                f"<figcaption>{esc(caption)}</figcaption></figure>"
            )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;"
    "line-height:1.45;color:#222}table{border-collapse:collapse;margin:1em 0}"
    "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}img{max-width:100%}figure{margin:1.5em 0}"
    "figcaption{font-style:italic;color:#555}code{background:#f5f5f5;padding:0 .2em}"
)


def _anchor(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name.lower())


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
