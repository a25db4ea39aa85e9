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
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet as Sheet

from srnlab.errors import UserError
from srnlab.explain import uses_simplified_delta
from srnlab.explain_records import (
    PatternRecord,
    UpdateRecord,
    Worksheet,
    connections,
    incoming,
    outgoing,
)
from srnlab.params import unit_numbers
from srnlab.worksheet_render import notation as nt

SHEET = "worksheet"
SUMMARY_SHEET = "summary"
EXCEL_MAX_ROWS = 1_048_576

# Columns: labels, up to five numbers (the update table is the widest), then the notes.
LABEL, FIRST_VALUE, NOTE = 0, 1, 6
COLUMN_WIDTHS = {LABEL: 16, **dict.fromkeys(range(FIRST_VALUE, NOTE), 13), NOTE: 60}
NUMBER_FORMAT = "0.000000"
EDIT_FILL = "#FFF2CC"


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


# ---- a small writer that keeps the row cursor and the formats -----------------------------


class _Writer:
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
class _InputCells:
    """Addresses of the editable cells."""

    learning_rate: str
    momentum: str
    inputs: tuple[tuple[str, ...], ...]  # [pattern][input unit]
    targets: tuple[tuple[str, ...], ...]  # [pattern][output unit]
    weights: dict[str, str]  # initial weight by lecture name


# ---- the workbook --------------------------------------------------------------------------


def _fill_workbook(workbook: Workbook, ws: Worksheet) -> None:
    workbook.set_properties(
        {"title": "srnlab worksheet", "comments": "Backprop, step by step, as live formulas"}
    )
    sheet = workbook.add_worksheet(SHEET)
    for col, width in COLUMN_WIDTHS.items():
        sheet.set_column(col, col, width)
    sheet.freeze_panes(2, 1)  # the title and the "how to use" line, and the labels column
    w = _Writer(workbook, sheet)

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
            product_cells, error_cell = _write_pattern(w, ws, record, weights, cells)
            products.append(product_cells)
            update_errors.append(error_cell)
        weights, changes = _write_update(w, ws, update, weights, changes, products, cells)
        error_cells.append(update_errors)

    _write_summary(workbook, ws, cells, weights, error_cells)


def _update_title(ws: Worksheet, update: UpdateRecord) -> str:
    patterns = ",".join(str(p.pattern + 1) for p in update.patterns)
    noun = "pattern" if len(update.patterns) == 1 else "batch of patterns"
    return f"Update {update.step} of {len(ws.updates)} (epoch {update.epoch}): {noun} {patterns}"


def _write_inputs(w: _Writer, ws: Worksheet) -> _InputCells:
    net = ws.network
    sizes = net.sizes
    units = unit_numbers(sizes)
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

    w.skip()
    w.text(w.take_row(), LABEL, "Initial weights", w.heading)
    w.text(w.row - 1, FIRST_VALUE + 1, "edit me: w j,i is the weight from unit j to unit i", w.note)
    weights = {}
    for c in connections(sizes):
        row = w.take_row()
        w.text(row, LABEL, c.name)
        weights[c.name] = w.editable(row, FIRST_VALUE, ws.initial_weights[c.name])
        source = f"unit {c.source}"
        if c.is_bias:
            source = f"bias unit {c.source} (always on, a{c.source} = 1)"
        w.text(row, FIRST_VALUE + 1, f"from {source} to unit {c.target}", w.note)
    return _InputCells(learning_rate, momentum, tuple(inputs), tuple(targets), weights)


# ---- one pattern: forward, error, backward, chain rule -----------------------------------


def _write_pattern(
    w: _Writer,
    ws: Worksheet,
    record: PatternRecord,
    weights: dict[str, str],
    cells: _InputCells,
) -> tuple[dict[str, str], str]:
    """Returns the cells of dE/dw for every weight, and the cell of E."""
    net = ws.network
    sizes = net.sizes
    units = unit_numbers(sizes)
    p = record.pattern

    w.skip()
    w.text(w.take_row(), LABEL, f"Forward pass, pattern {p + 1}", w.subheading)
    a: dict[int, str] = {}
    for j, unit in enumerate(units[0]):
        note = f"a{unit} = input {j + 1} of pattern {p + 1}"
        a[unit] = w.quantity(f"a{unit}", cells.inputs[p][j], record.inputs[j], note)
    for u in record.units[len(units[0]) :]:
        assert u.net_input is not None
        terms = [
            weights[c.name] if c.is_bias else f"{weights[c.name]}*{a[c.source]}"
            for c in incoming(sizes, u.unit)
        ]
        x = w.quantity(
            f"x{u.unit}", "+".join(terms), u.net_input, nt.net_input_formula(sizes, u.unit)
        )
        activation = net.activation(u.layer).name
        a[u.unit] = w.quantity(
            f"a{u.unit}",
            _activation_formula(activation, x),
            u.activation,
            nt.activation_formula(activation, u.unit),
        )
    y: dict[int, str] = {}
    for k, unit in enumerate(units[-1]):
        note = f"y{unit} = target {k + 1} of pattern {p + 1}"
        y[unit] = w.quantity(f"y{unit}", cells.targets[p][k], record.targets[k], note)

    error_terms = "+".join(_error_formula(net.loss, y[u], a[u]) for u in units[-1])
    note = nt.error_formula(net.loss, units[-1])
    error_cell = w.quantity("E", error_terms, record.error, note, bold=True)

    dE_dx = _write_backward(w, ws, record, weights, a, y)
    return _write_chain_rule(w, ws, record, a, dE_dx), error_cell


def _write_backward(
    w: _Writer,
    ws: Worksheet,
    record: PatternRecord,
    weights: dict[str, str],
    a: dict[int, str],
    y: dict[int, str],
) -> dict[int, tuple[str, str, str]]:
    """Rows dE/da, sigma'(x), dE/dx for every unit, output layer first.

    Returns the three cells of every unit."""
    net = ws.network
    sizes = net.sizes
    output_layer = len(sizes) - 1
    w.text(w.take_row(), LABEL, f"Backward pass, pattern {record.pattern + 1}", w.subheading)
    factors: dict[int, tuple[str, str, str]] = {}
    for c in record.credits:
        i = c.unit
        activation = net.activation(c.layer).name
        if c.layer == output_layer:
            formula = _output_credit_formula(net.loss, y[i], a[i])
            note = nt.output_credit_formula(net.loss, i)
        else:
            # dE/da_i = sum_k dE/dx_k * w_i,k: the credit each unit above sends back
            formula = "+".join(
                f"{factors[k.target][2]}*{weights[k.name]}" for k in outgoing(sizes, i)
            )
            note = nt.hidden_credit_formula(sizes, i)
        dE_da = w.quantity(f"∂E/∂a{i}", formula, c.dE_da, note)
        slope = w.quantity(
            nt.slope_label(net, c.layer, i),
            _slope_formula(activation, a[i]),
            c.slope,
            nt.slope_formula(activation, i),
        )
        simplified = c.layer == output_layer and uses_simplified_delta(net)
        delta_formula = f"{a[i]}-{y[i]}" if simplified else f"{dE_da}*{slope}"
        delta_note = nt.delta_formula(net, c.layer, i, simplified)
        if simplified:
            delta_note += " (exact, and finite when a saturates)"
        delta = w.quantity(f"∂E/∂x{i}", delta_formula, c.dE_dx, delta_note)
        factors[i] = (dE_da, slope, delta)
    return factors


def _write_chain_rule(
    w: _Writer,
    ws: Worksheet,
    record: PatternRecord,
    a: dict[int, str],
    factors: dict[int, tuple[str, str, str]],
) -> dict[str, str]:
    """One row per weight: dE/da_i, sigma'(x_i), dE/dx_i, dx_i/dw and their product dE/dw."""
    net = ws.network
    w.text(w.take_row(), LABEL, f"Chain rule, pattern {record.pattern + 1}", w.subheading)
    slope = nt.slope_header(net)
    w.table_header(
        ["weight", "∂E/∂a_i", slope, "∂E/∂x_i", "∂x_i/∂w", "∂E/∂w"],
        f"∂E/∂w_j,i = ∂E/∂a_i·{slope}·∂x_i/∂w_j,i = ∂E/∂x_i·a_j",
    )
    bias = {c.name: c.is_bias for c in connections(net.sizes)}
    products = {}
    for rec in record.weights:
        row = w.take_row()
        dE_da, slope_cell, delta = factors[rec.target]
        w.text(row, LABEL, rec.name)
        w.formula(row, 1, dE_da, rec.dE_da)
        w.formula(row, 2, slope_cell, rec.slope)
        dE_dx = w.formula(row, 3, delta, rec.dE_dx)
        if bias[rec.name]:
            w.sheet.write_number(row, 4, 1.0, w.number)  # the bias unit is always on
            dx_dw = xl_rowcol_to_cell(row, 4)
        else:
            dx_dw = w.formula(row, 4, a[rec.source], rec.dx_dw)
        products[rec.name] = w.formula(row, 5, f"{dE_dx}*{dx_dw}", rec.product, w.result)
        note = nt.chain_formula(net, rec.layer, rec.name, rec.source, rec.target, bias[rec.name])
        w.text(row, NOTE, note, w.note)
    return products


# ---- the update ----------------------------------------------------------------------------


def _write_update(
    w: _Writer,
    ws: Worksheet,
    update: UpdateRecord,
    weights: dict[str, str],
    previous_changes: dict[str, str] | None,
    products: list[dict[str, str]],
    cells: _InputCells,
) -> tuple[dict[str, str], dict[str, str]]:
    """w before, dE/dw, delta w before, delta w and w after; returns the new weights' and the
    changes' cells, which the next update refers to."""
    w.skip()
    w.text(w.take_row(), LABEL, f"Weight update {update.step}", w.subheading)
    summed = len(update.patterns) > 1
    w.table_header(
        ["weight", "w before", "Σ ∂E/∂w" if summed else "∂E/∂w", "Δw before", "Δw", "w after"],
        "Δw = −α·∂E/∂w + μ·Δw(before);  w after = w before + Δw",
    )
    new_weights, changes = {}, {}
    for c in update.changes:
        row = w.take_row()
        w.text(row, LABEL, c.name)
        old = w.formula(row, 1, weights[c.name], c.old)
        cells_of_products = [p[c.name] for p in products]
        gradient_formula = f"SUM({','.join(cells_of_products)})" if summed else cells_of_products[0]
        gradient = w.formula(row, 2, gradient_formula, c.gradient)
        if previous_changes is None:
            w.sheet.write_number(row, 3, 0.0, w.number)  # nothing changed before the first update
            previous = xl_rowcol_to_cell(row, 3)
        else:
            previous = w.formula(row, 3, previous_changes[c.name], c.previous_change)
        rule = f"-{cells.learning_rate}*{gradient}+{cells.momentum}*{previous}"
        changes[c.name] = w.formula(row, 4, rule, c.change)
        new_weights[c.name] = w.formula(row, 5, f"{old}+{changes[c.name]}", c.new, w.result)
    return new_weights, changes


def _write_summary(
    workbook: Workbook,
    ws: Worksheet,
    cells: _InputCells,
    final_weights: dict[str, str],
    error_cells: list[list[str]],
) -> None:
    """Sheet 'summary': E of every update, then every weight's initial and final value."""
    sheet = workbook.add_worksheet(SUMMARY_SHEET)
    sheet.set_column(0, 3, 14)
    w = _Writer(workbook, sheet)

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


# ---- the formulas --------------------------------------------------------------------------


def _activation_formula(activation: str, x: str) -> str:
    return {"logistic": f"1/(1+EXP(-{x}))", "tanh": f"TANH({x})", "linear": x}[activation]


def _slope_formula(activation: str, a: str) -> str:
    # Written from the output a, as the lecture's sigma'(x) = sigma(x)(1 - sigma(x)).
    return {"logistic": f"{a}*(1-{a})", "tanh": f"1-{a}^2", "linear": "1"}[activation]


def _error_formula(loss: str, y: str, a: str) -> str:
    return {
        "squared": f"({y}-{a})^2",
        "half_squared": f"0.5*({y}-{a})^2",
        "cross_entropy": f"-({y}*LN({a})+(1-{y})*LN(1-{a}))",
    }[loss]


def _output_credit_formula(loss: str, y: str, a: str) -> str:
    return {
        "squared": f"-2*({y}-{a})",
        "half_squared": f"-({y}-{a})",
        "cross_entropy": f"({a}-{y})/({a}*(1-{a}))",
    }[loss]
