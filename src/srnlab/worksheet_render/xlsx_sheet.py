"""The .xlsx worksheet's building blocks: the layout, a writer that keeps the row cursor and the
cell formats, and the addresses of the editable input cells every formula refers to.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet as Sheet

from srnlab.errors import UserError

SHEET = "worksheet"
SUMMARY_SHEET = "summary"
EXCEL_MAX_ROWS = 1_048_576

# Columns: labels, up to five numbers (the update table is the widest), then the notes.
LABEL, FIRST_VALUE, NOTE = 0, 1, 6
COLUMN_WIDTHS = {LABEL: 16, **dict.fromkeys(range(FIRST_VALUE, NOTE), 13), NOTE: 60}
NUMBER_FORMAT = "0.000000"
EDIT_FILL = "#FFF2CC"


class SheetWriter:
    """Writes labelled rows and cells into one sheet, top to bottom."""

    def __init__(self, workbook: Workbook, sheet: Sheet) -> None:
        self.sheet = sheet
        self.row = 0
        add = workbook.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.heading = add({"bold": True, "font_size": 12, "bottom": 2})
        self.subheading = add({"bold": True, "italic": True})
        self.header = add({"bold": True, "bg_color": "#D9E1F2", "bottom": 1, "align": "center"})
        self.label = add({})
        self.note = add({"italic": True, "font_color": "#595959"})
        self.number = add({"num_format": NUMBER_FORMAT})
        self.result = add({"num_format": NUMBER_FORMAT, "bold": True})
        self.edit = add({"num_format": "General", "bg_color": EDIT_FILL, "border": 1})

    def take_row(self) -> int:
        """The next free row; refuses to run past the last row Excel has."""
        row = self.row
        if row >= EXCEL_MAX_ROWS:
            raise UserError(
                f"the worksheet needs more than Excel's {EXCEL_MAX_ROWS} rows; "
                "use fewer updates or a smaller network for the .xlsx workbook"
            )
        self.row += 1
        return row

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def text(self, row: int, col: int, text: str, fmt: object | None = None) -> None:
        self.sheet.write_string(row, col, text, fmt or self.label)

    def formula(self, row: int, col: int, formula: str, value: float, fmt: object = None) -> str:
        """Write ``=formula`` with srnlab's value cached; returns the cell's address."""
        cached: float | str = value if math.isfinite(value) else "#NUM!"
        self.sheet.write_formula(row, col, f"={formula}", fmt or self.number, cached)
        return xl_rowcol_to_cell(row, col)

    def editable(self, row: int, col: int, value: float) -> str:
        """An input cell: yellow, with an 'edit me' comment; returns its absolute address."""
        self.sheet.write_number(row, col, value, self.edit)
        self.sheet.write_comment(row, col, "edit me: every number below is recomputed")
        return xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)

    def quantity(
        self, label: str, formula: str, value: float, note: str, *, bold: bool = False
    ) -> str:
        """One labelled row: 'x3 | =B20+B21*B15 | x3 = w0,3 + w1,3·a1 + ...'; returns the cell."""
        row = self.take_row()
        self.text(row, LABEL, label)
        cell = self.formula(row, FIRST_VALUE, formula, value, self.result if bold else None)
        self.text(row, FIRST_VALUE + 1, note, self.note)
        return cell

    def table_header(self, labels: Sequence[str], note: str = "") -> None:
        row = self.take_row()
        for col, label in enumerate(labels):
            self.text(row, col, label, self.header)
        if note:
            self.text(row, NOTE, note, self.note)


@dataclass(frozen=True)
class InputCells:
    """Addresses of the editable cells."""

    learning_rate: str
    momentum: str
    inputs: tuple[tuple[str, ...], ...]  # [pattern][input unit]
    targets: tuple[tuple[str, ...], ...]  # [pattern][output unit]
    weights: dict[str, str]  # initial weight by lecture name
