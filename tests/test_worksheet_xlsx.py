"""The .xlsx workbook, evaluated by an independent engine (the ``formulas`` package).

The workbook stores every formula with srnlab's value cached beside it. We let ``formulas``
recompute every cell and compare, first on the workbook as written, then after editing an
input cell (an initial weight, a pattern input, the learning rate) with openpyxl, against a
fresh srnlab worksheet built with the edited value.
"""

from __future__ import annotations

import re
from pathlib import Path

import formulas
import numpy as np
import openpyxl
import pytest

from srnlab.backprop import Network
from srnlab.errors import UserError
from srnlab.explain import build_worksheet
from srnlab.explain_records import Worksheet
from srnlab.params import init_feedforward, params_from_named
from srnlab.worksheet_render import write_xlsx, xlsx_bytes, xlsx_sheet

XOR_INPUTS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_TARGETS = [[0.0], [1.0], [1.0], [0.0]]
SHEET = "worksheet"


def _worksheet(network=None, weights=None, inputs=XOR_INPUTS, **settings) -> Worksheet:
    network = network or Network((2, 2, 1))
    if weights is None:
        params = init_feedforward(network.sizes, np.random.default_rng(11), 1.0)
    else:
        params = params_from_named(network.sizes, weights)
    settings = {"learning_rate": 0.5, "order": [1, 3]} | settings
    return build_worksheet(network, params, inputs, XOR_TARGETS, **settings)


def _computed(path: Path) -> dict[str, object]:
    """Every cell of the sheet as the ``formulas`` engine computes it, by coordinate."""
    model = formulas.ExcelModel().loads(str(path)).finish()
    solution = model.calculate()
    prefix = f"'[{path.name}]{SHEET.upper()}'!"
    values = {}
    for key, cell in solution.items():
        if key.startswith(prefix) and ":" not in key:
            values[key[len(prefix) :]] = cell.value[0, 0]
    return values


def _formula_cells(path: Path) -> dict[str, tuple[str, object]]:
    """coordinate -> (formula, cached value) for every formula cell."""
    formulas_sheet = openpyxl.load_workbook(path)[SHEET]
    cached_sheet = openpyxl.load_workbook(path, data_only=True)[SHEET]
    return {
        cell.coordinate: (cell.value, cached_sheet[cell.coordinate].value)
        for row in formulas_sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=")
    }


def _assert_engine_matches(edited: Path, fresh: Path) -> int:
    """The engine's value of every formula in ``edited`` equals srnlab's cached value in
    ``fresh`` (the same layout, built by srnlab with the edited inputs)."""
    computed = _computed(edited)
    expected = _formula_cells(fresh)
    assert set(expected) == set(_formula_cells(edited))
    for coordinate, (_, value) in expected.items():
        assert float(computed[coordinate]) == pytest.approx(value, rel=1e-9, abs=1e-12), coordinate
    return len(expected)


def _label_cells(path: Path, label: str, column: str = "B") -> list[str]:
    """Coordinates of column ``column`` on every row whose label (column A) is ``label``."""
    sheet = openpyxl.load_workbook(path)[SHEET]
    return [f"{column}{cell.row}" for cell in sheet["A"] if cell.value == label]


def _edit(path: Path, target: Path, coordinate: str, value: float) -> None:
    book = openpyxl.load_workbook(path)
    book[SHEET][coordinate] = value
    book.save(target)


def test_engine_reproduces_every_number(tmp_path):
    ws = _worksheet(momentum=0.9)
    path = tmp_path / "sheet.xlsx"
    write_xlsx(ws, path)
    assert _assert_engine_matches(path, path) > 100

    # and the cached values are srnlab's records, at the cells their labels name
    computed = _computed(path)
    errors = [computed[c] for c in _label_cells(path, "E")]
    assert errors == pytest.approx([u.error for u in ws.updates], rel=1e-12)
    for name, value in ws.final_weights.items():
        last_new_weight = _label_cells(path, name, column="F")[-1]
        assert computed[last_new_weight] == pytest.approx(value, rel=1e-12, abs=1e-15)
    a3 = [computed[c] for c in _label_cells(path, "a3")]
    assert a3 == pytest.approx([u.patterns[0].unit(3).activation for u in ws.updates], rel=1e-12)


def test_editing_an_initial_weight_recomputes_everything(tmp_path):
    ws = _worksheet()
    path, edited = tmp_path / "sheet.xlsx", tmp_path / "edited.xlsx"
    write_xlsx(ws, path)
    weights = dict(ws.initial_weights) | {"w1,3": 2.5}
    fresh_ws = _worksheet(weights=weights)
    write_xlsx(fresh_ws, tmp_path / "fresh.xlsx")

    initial_w13 = _label_cells(path, "w1,3")[0]  # the first w1,3 row: the initial weights
    _edit(path, edited, initial_w13, 2.5)
    _assert_engine_matches(edited, tmp_path / "fresh.xlsx")
    # the edit really changed the outcome (the comparison above is not between equal sheets)
    assert fresh_ws.final_weights["w6,5"] != pytest.approx(ws.final_weights["w6,5"], rel=1e-6)


def test_editing_the_learning_rate_and_an_input_recomputes_everything(tmp_path):
    network = Network((2, 2, 1), "tanh", "logistic", "cross_entropy")
    ws = _worksheet(network, momentum=0.5, order=[0, 2])
    path = tmp_path / "sheet.xlsx"
    write_xlsx(ws, path)
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET]
    alpha = next(f"B{c.row}" for c in sheet["A"] if str(c.value).startswith("α"))
    pattern_3_a2 = next(f"C{c.row}" for c in sheet["A"] if c.value == 3 and c.row > 10)
    sheet[alpha] = 0.125
    sheet[pattern_3_a2] = 0.75
    book.save(tmp_path / "edited.xlsx")

    inputs = [row.copy() for row in XOR_INPUTS]
    inputs[2][1] = 0.75
    weights = dict(ws.initial_weights)
    fresh = _worksheet(network, weights, inputs, momentum=0.5, order=[0, 2], learning_rate=0.125)
    write_xlsx(fresh, tmp_path / "fresh.xlsx")
    _assert_engine_matches(tmp_path / "edited.xlsx", tmp_path / "fresh.xlsx")


@pytest.mark.parametrize(
    ("sizes", "hidden", "output", "loss", "update"),
    [
        ((2, 3, 2, 1), "linear", "tanh", "half_squared", "online"),
        ((3, 2, 2), "logistic", "linear", "squared", "batch"),
    ],
)
def test_engine_on_other_nets_and_batch(tmp_path, sizes, hidden, output, loss, update):
    rng = np.random.default_rng(4)
    network = Network(sizes, hidden, output, loss)
    params = init_feedforward(sizes, rng, 1.0)
    inputs, targets = rng.uniform(size=(3, sizes[0])), rng.uniform(size=(3, sizes[-1]))
    order = [2, 0] if update == "online" else None
    ws = build_worksheet(
        network, params, inputs, targets, learning_rate=0.3, momentum=0.4, update=update,
        order=order,
    )  # fmt: skip
    path = tmp_path / "sheet.xlsx"
    write_xlsx(ws, path)
    _assert_engine_matches(path, path)
    computed = _computed(path)
    for name, value in ws.final_weights.items():
        assert computed[_label_cells(path, name, column="F")[-1]] == pytest.approx(value, rel=1e-12)


def test_inputs_are_marked_and_formulas_are_portable(tmp_path):
    ws = _worksheet()
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(xlsx_bytes(ws))
    sheet = openpyxl.load_workbook(path)[SHEET]
    editable = [
        cell
        for row in sheet.iter_rows()
        for cell in row
        if cell.fill.fgColor.rgb and cell.fill.fgColor.rgb.endswith("FFF2CC")
    ]
    # learning rate, momentum, 4 patterns x (2 inputs + 1 target), 9 initial weights
    assert len(editable) == 2 + 4 * 3 + 9
    for cell in editable:
        assert isinstance(cell.value, int | float)
        assert cell.comment is not None and "edit me" in cell.comment.text
    functions = {
        name
        for formula, _ in _formula_cells(path).values()
        for name in re.findall(r"([A-Z]+)\(", formula)
    }
    assert functions <= {"EXP", "TANH", "LN", "SUM"}
    assert sheet.freeze_panes == "B3"


def test_a_workbook_past_excels_last_row_is_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(xlsx_sheet, "EXCEL_MAX_ROWS", 60)
    with pytest.raises(UserError, match="rows"):
        xlsx_bytes(_worksheet())
