"""Renderers of a worked backprop example (``srnlab.explain.Worksheet``).

- ``render_text``      aligned tables for a terminal
- ``render_markdown``  the same tables as a Markdown document
- ``render_csv``       tidy CSV, one row per number (columns documented in ``tidy``)
- ``write_xlsx``       an .xlsx workbook of live formulas, like the lecture's spreadsheet
- ``xlsx_bytes``       the same workbook as bytes, built in memory
"""

from srnlab.worksheet_render.tables import render_markdown, render_text
from srnlab.worksheet_render.tidy import render_csv
from srnlab.worksheet_render.xlsx import write_xlsx, xlsx_bytes

__all__ = ["render_csv", "render_markdown", "render_text", "write_xlsx", "xlsx_bytes"]
