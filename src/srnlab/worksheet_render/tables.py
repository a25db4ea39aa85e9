"""A worksheet rendered for the terminal (aligned columns) or as Markdown.

Both renderers lay out the same document (``document.document``: titled sections of tables);
only the layout differs.
"""

from __future__ import annotations

from collections.abc import Sequence

from srnlab.explain_records import Worksheet
from srnlab.worksheet_render.document import Table, document


def _is_number(text: str) -> bool:
    if text == "…":  # the gap in a shortened column of numbers
        return True
    try:
        float(text)
    except ValueError:
        return False
    return True


def _numeric_columns(table: Table) -> list[bool]:
    """A column is right-aligned when every filled cell in it is a number."""
    return [
        all(_is_number(row[i]) for row in table.rows if row[i])
        and any(row[i] for row in table.rows)
        for i in range(len(table.headers))
    ]


def render_text(
    worksheet: Worksheet,
    *,
    show: Sequence[int] | None = None,
    digits: int = 4,
    summary_limit: int | None = None,
) -> str:
    """The worksheet as aligned plain-text tables for a terminal.

    ``show``: the update steps shown in detail (None: every one); ``summary_limit``: at most
    this many rows in the table of every update (None: all of them)."""
    out: list[str] = []
    for number, section in enumerate(document(worksheet, show, digits, summary_limit)):
        rule = "=" if number == 0 else "-"
        out += [section.heading, rule * len(section.heading)]
        out += list(section.lines)
        for table in section.tables:
            out += ["", table.title, *_text_table(table)]
        out.append("")
    return "\n".join(out)


def _text_table(table: Table) -> list[str]:
    if not table.rows:
        return ["  (none)"]
    numeric = _numeric_columns(table)
    last = len(table.headers) - 1
    widths = [max(len(r[i]) for r in (table.headers, *table.rows)) for i in range(last + 1)]

    def line(cells: Sequence[str]) -> str:
        parts = []
        for i, cell in enumerate(cells):
            if numeric[i]:
                parts.append(cell.rjust(widths[i]))
            elif i == last:
                parts.append(cell)  # no trailing spaces after the last column
            else:
                parts.append(cell.ljust(widths[i]))
        return ("  " + "  ".join(parts)).rstrip()

    return [line(table.headers), line(["-" * w for w in widths]), *(line(r) for r in table.rows)]


def render_markdown(
    worksheet: Worksheet,
    *,
    show: Sequence[int] | None = None,
    digits: int = 4,
    summary_limit: int | None = None,
) -> str:
    """The worksheet as a Markdown document: a heading per update, a pipe table per step.
    The options are those of ``render_text``."""
    out: list[str] = []
    for number, section in enumerate(document(worksheet, show, digits, summary_limit)):
        out += [f"{'#' if number == 0 else '##'} {section.heading}", ""]
        if section.lines:
            out += [f"- {line}" for line in section.lines] + [""]
        for table in section.tables:
            out += [f"**{table.title}**", "", *_markdown_table(table), ""]
    return "\n".join(out)


def _markdown_table(table: Table) -> list[str]:
    if not table.rows:
        return ["(none)"]
    numeric = _numeric_columns(table)

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    align = ["---:" if n else "---" for n in numeric]
    return [line(table.headers), line(align), *(line(r) for r in table.rows)]
