"""Renderers of a worked backprop example (``srnlab.explain_records.Worksheet``).

- ``render_text``      aligned tables for a terminal (``tables``; what they say: ``document``)
- ``render_markdown``  the same tables as a Markdown document
- ``render_csv``       tidy CSV, one row per number (columns documented in ``tidy``)
- ``write_xlsx``       an .xlsx workbook of live formulas, like the lecture's spreadsheet
- ``xlsx_bytes``       the same workbook as bytes, built in memory
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from srnlab.worksheet_render.tables import render_markdown, render_text
from srnlab.worksheet_render.tidy import render_csv

if TYPE_CHECKING:
    from srnlab.explain_records import Worksheet


# The workbook writer imports xlsxwriter (a tenth of a second), so it loads only when a
# workbook is written, not whenever `srnlab` starts.
def write_xlsx(worksheet: Worksheet, target: str | Path | BinaryIO) -> None:
    from srnlab.worksheet_render import xlsx

    xlsx.write_xlsx(worksheet, target)


def xlsx_bytes(worksheet: Worksheet) -> bytes:
    from srnlab.worksheet_render import xlsx

    return xlsx.xlsx_bytes(worksheet)


__all__ = ["render_csv", "render_markdown", "render_text", "write_xlsx", "xlsx_bytes"]
