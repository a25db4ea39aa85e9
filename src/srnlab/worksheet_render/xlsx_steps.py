"""The .xlsx worksheet's update blocks: for each pattern of an update the forward pass, the
error, the backward pass and the chain rule for every weight, then the weight update, each row
a live formula over cells above it (see ``xlsx`` for the layout of the whole sheet).
"""

from __future__ import annotations

from xlsxwriter.utility import xl_rowcol_to_cell

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
from srnlab.worksheet_render.xlsx_sheet import LABEL, NOTE, InputCells, SheetWriter

# ---- one pattern: forward, error, backward, chain rule -----------------------------------


def write_pattern(
    w: SheetWriter,
    ws: Worksheet,
    record: PatternRecord,
    weights: dict[str, str],
    cells: InputCells,
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
    w: SheetWriter,
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
    w: SheetWriter,
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


def write_update(
    w: SheetWriter,
    ws: Worksheet,
    update: UpdateRecord,
    weights: dict[str, str],
    previous_changes: dict[str, str] | None,
    products: list[dict[str, str]],
    cells: InputCells,
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
