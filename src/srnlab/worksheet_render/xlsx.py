"""The worksheet as an .xlsx workbook of live formulas, like the lecture's backprop sheet.

Layout of the sheet ``worksheet`` (one column of labels in the lecture's notation, numbers to
their right, and a note saying how each number is computed):

- the inputs block at the top, in yellow and marked "edit me": the learning rate alpha, the
  momentum mu, the table of patterns (inputs a1, a2, ... and targets y5, ...) and the initial
  weights by their lecture names (w0,3, w1,3, ..., w6,5);
- one block per update: for each of its patterns the forward pass (a1 .. a5, x3 .. x5), the
  error E, the backward pass (dE/da, sigma'(x), dE/dx of every unit) and the chain rule for every
  weight; then the weight update (w before, dE/dw, delta w before, delta w, w after).

Every number below the inputs block is a formula over cells above it: a pattern's inputs refer
to the pattern table, the first update's weights to the initial weights and every later
update's weights to the previous update's "w after". Editing an input therefore recomputes the
whole worked example. Formulas use only arithmetic, EXP, TANH, LN and SUM, which Excel,
LibreOffice and the ``formulas`` Python package all evaluate; each formula is stored with its
value as computed by srnlab, so viewers that never recalculate still show the numbers.

A second sheet, ``summary``, lists the error of every update and the initial and final weights
(again as formulas pointing into ``worksheet``).

This module lays out the workbook and writes the inputs block and the summary; ``xlsx_steps``
writes the blocks of each update, with the row writer and layout of ``xlsx_sheet``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

import xlsxwriter
from xlsxwriter.workbook import Workbook

from srnlab.explain_records import UpdateRecord, Worksheet, connections
from srnlab.params import unit_numbers
from srnlab.worksheet_render import notation as nt
from srnlab.worksheet_render.xlsx_sheet import (
    COLUMN_WIDTHS,
    FIRST_VALUE,
    LABEL,
    SHEET,
    SUMMARY_SHEET,
    InputCells,
    SheetWriter,
)
from srnlab.worksheet_render.xlsx_steps import write_pattern, write_update


def write_xlsx(worksheet: Worksheet, target: str | Path | BinaryIO) -> None:
    """Write the workbook to a path or a binary file object."""
    if isinstance(target, str | Path):
        workbook = xlsxwriter.Workbook(str(target))
    else:
        workbook = xlsxwriter.Workbook(target, {"in_memory": True})
    try:
        _fill_workbook(workbook, worksheet)
    finally:
        workbook.close()


def xlsx_bytes(worksheet: Worksheet) -> bytes:
    """The workbook as bytes, built completely in memory (nothing is written to disk)."""
    buffer = io.BytesIO()
    write_xlsx(worksheet, buffer)
    return buffer.getvalue()


# ---- the workbook --------------------------------------------------------------------------


def _fill_workbook(workbook: Workbook, ws: Worksheet) -> None:
    workbook.set_properties(
        {"title": "srnlab worksheet", "comments": "Backprop, step by step, as live formulas"}
    )
    sheet = workbook.add_worksheet(SHEET)
    for col, width in COLUMN_WIDTHS.items():
        sheet.set_column(col, col, width)
    sheet.freeze_panes(2, 1)  # the title and the "how to use" line, and the labels column
    w = SheetWriter(workbook, sheet)

    cells = _write_inputs(w, ws)
    weights = dict(cells.weights)
    changes: dict[str, str] | None = None  # delta w of the previous update; none before the first
    error_cells: list[list[str]] = []
    for update in ws.updates:
        w.skip()
        row = w.take_row()
        w.text(row, LABEL, _update_title(ws, update), w.heading)
        products = []
        update_errors = []
        for record in update.patterns:
            product_cells, error_cell = write_pattern(w, ws, record, weights, cells)
            products.append(product_cells)
            update_errors.append(error_cell)
        weights, changes = write_update(w, ws, update, weights, changes, products, cells)
        error_cells.append(update_errors)

    _write_summary(workbook, ws, cells, weights, error_cells)


def _update_title(ws: Worksheet, update: UpdateRecord) -> str:
    patterns = ",".join(str(p.pattern + 1) for p in update.patterns)
    noun = "pattern" if len(update.patterns) == 1 else "batch of patterns"
    return f"Update {update.step} of {len(ws.updates)} (epoch {update.epoch}): {noun} {patterns}"


def _write_inputs(w: SheetWriter, ws: Worksheet) -> InputCells:
    """The top of the sheet: what the network is, then the yellow cells a reader may edit."""
    _write_introduction(w, ws)
    learning_rate, momentum = _write_settings(w, ws)
    inputs, targets = _write_patterns(w, ws)
    weights = _write_initial_weights(w, ws)
    return InputCells(learning_rate, momentum, inputs, targets, weights)


def _write_introduction(w: SheetWriter, ws: Worksheet) -> None:
    net = ws.network
    sizes = net.sizes
    w.text(w.take_row(), LABEL, "srnlab worksheet: backprop, step by step", w.title)
    w.text(
        w.take_row(),
        LABEL,
        "Yellow cells are the inputs: edit the learning rate, the momentum, a pattern or an "
        "initial weight, and every number below is recomputed.",
        w.subheading,
    )
    w.text(w.take_row(), LABEL, f"Network {'-'.join(map(str, sizes))}: {nt.describe_units(sizes)}")
    if len(sizes) > 2:
        hidden = net.hidden_activation
        w.text(w.take_row(), LABEL, f"Hidden units: {nt.ACTIVATION_FORMULAS[hidden]}")
    output = net.output_activation
    w.text(w.take_row(), LABEL, f"Output units: {nt.ACTIVATION_FORMULAS[output]}")
    w.text(w.take_row(), LABEL, f"Error: {nt.LOSS_FORMULAS[net.loss]}, summed over outputs")
    w.text(w.take_row(), LABEL, f"Updates: {ws.update}, {len(ws.updates)} in all")


def _write_settings(w: SheetWriter, ws: Worksheet) -> tuple[str, str]:
    """The learning rate and the momentum; returns their cells."""
    w.skip()
    w.text(w.take_row(), LABEL, "Settings", w.heading)
    row = w.take_row()
    w.text(row, LABEL, "α (learning rate)")
    learning_rate = w.editable(row, FIRST_VALUE, ws.learning_rate)
    w.text(row, FIRST_VALUE + 1, "edit me; Δw = −α·∂E/∂w + μ·Δw(before)", w.note)
    row = w.take_row()
    w.text(row, LABEL, "μ (momentum)")
    momentum = w.editable(row, FIRST_VALUE, ws.momentum)
    w.text(row, FIRST_VALUE + 1, "edit me; 0 means plain gradient descent", w.note)
    return learning_rate, momentum


def _write_patterns(
    w: SheetWriter, ws: Worksheet
) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    """The table of patterns; returns the cells of the inputs and of the targets by pattern."""
    units = unit_numbers(ws.network.sizes)
    w.skip()
    w.text(w.take_row(), LABEL, "Patterns", w.heading)
    w.text(w.row - 1, FIRST_VALUE + 1, "edit me: inputs a and targets y", w.note)
    headers = ["pattern", *(f"a{u}" for u in units[0]), *(f"y{u}" for u in units[-1])]
    w.table_header(headers)
    inputs, targets = [], []
    for p, (x, y) in enumerate(zip(ws.inputs, ws.targets, strict=True)):
        row = w.take_row()
        w.sheet.write_number(row, LABEL, p + 1)
        inputs.append(tuple(w.editable(row, 1 + j, v) for j, v in enumerate(x)))
        targets.append(tuple(w.editable(row, 1 + len(x) + k, v) for k, v in enumerate(y)))
    return tuple(inputs), tuple(targets)


def _write_initial_weights(w: SheetWriter, ws: Worksheet) -> dict[str, str]:
    """One row per weight, by its lecture name; returns their cells by name."""
    w.skip()
    w.text(w.take_row(), LABEL, "Initial weights", w.heading)
    w.text(w.row - 1, FIRST_VALUE + 1, "edit me: w j,i is the weight from unit j to unit i", w.note)
    weights = {}
    for c in connections(ws.network.sizes):
        row = w.take_row()
        w.text(row, LABEL, c.name)
        weights[c.name] = w.editable(row, FIRST_VALUE, ws.initial_weights[c.name])
        source = f"unit {c.source}"
        if c.is_bias:
            source = f"bias unit {c.source} (always on, a{c.source} = 1)"
        w.text(row, FIRST_VALUE + 1, f"from {source} to unit {c.target}", w.note)
    return weights


def _write_summary(
    workbook: Workbook,
    ws: Worksheet,
    cells: InputCells,
    final_weights: dict[str, str],
    error_cells: list[list[str]],
) -> None:
    """Sheet 'summary': E of every update, then every weight's initial and final value."""
    sheet = workbook.add_worksheet(SUMMARY_SHEET)
    sheet.set_column(0, 3, 14)
    w = SheetWriter(workbook, sheet)

    def ref(cell: str) -> str:
        return f"{SHEET}!{cell}"

    w.text(w.take_row(), LABEL, "Every update: E of its patterns, before the update", w.heading)
    w.table_header(["step", "epoch", "pattern", "E before"])
    for update, errors in zip(ws.updates, error_cells, strict=True):
        row = w.take_row()
        w.sheet.write_number(row, 0, update.step)
        w.sheet.write_number(row, 1, update.epoch)
        w.text(row, 2, ",".join(str(p.pattern + 1) for p in update.patterns))
        w.formula(row, 3, "+".join(ref(e) for e in errors), update.error)
    w.skip()
    w.text(w.take_row(), LABEL, "Weights", w.heading)
    w.table_header(["weight", "initial", "final"])
    final = ws.final_weights
    for name, initial_cell in cells.weights.items():
        row = w.take_row()
        w.text(row, 0, name)
        w.formula(row, 1, ref(initial_cell), ws.initial_weights[name])
        w.formula(row, 2, ref(final_weights[name]), final[name], w.result)
