"""A worksheet as tidy CSV: one row per number, for pandas, R or a spreadsheet's filter.

Columns (every update of the worksheet, whatever was shown on the terminal):

- ``step``     the update, 1, 2, ... (empty for the settings rows)
- ``epoch``    the epoch of that update, 1, 2, ...
- ``pattern``  the pattern, numbered from 1 as in the patterns table; empty for a batch
               update's ``update`` rows, which sum over several patterns
- ``kind``     what the row is about:
    ``setting``  item ``learning_rate`` or ``momentum``
    ``unit``     item = a unit number; factor ``x`` (net input), ``a`` (activation), ``y``
                 (target, output units), ``dE/da``, ``da/dx`` (the slope f'(x), sigma'(x) for a
                 logistic unit) and ``dE/dx`` (= dE/da * da/dx)
    ``error``    item ``E``, factor ``E``: the pattern's error summed over the output units
    ``credit``   item = the weight w_i,k that carries credit back from unit k to hidden unit i;
                 factor ``dE/dx*w``: the term dE/dx_k * w_i,k of dE/da_i = sum_k dE/dx_k w_i,k
    ``weight``   item = a weight (``w3,5``); the chain rule for one pattern: factors ``dE/da``,
                 ``da/dx``, ``dx/dw`` (a_j, or 1 for a bias) and ``dE/dw`` (their product)
    ``update``   item = a weight; factors ``old``, ``dE/dw`` (summed over the update's
                 patterns), ``previous_change``, ``change`` and ``new``
- ``item``, ``factor`` as above, and ``value``: the number at full float64 precision.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from srnlab.explain_records import PatternRecord, UpdateRecord, Worksheet

COLUMNS = ("step", "epoch", "pattern", "kind", "item", "factor", "value")

Row = tuple[str, str, str, str, str, str, str]


def render_csv(worksheet: Worksheet) -> str:
    """Every number of every update, one per row (see the module docstring for the columns)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_rows(worksheet))
    return buffer.getvalue()


def _rows(ws: Worksheet) -> Iterator[Row]:
    yield ("", "", "", "setting", "learning_rate", "", repr(ws.learning_rate))
    yield ("", "", "", "setting", "momentum", "", repr(ws.momentum))
    for update in ws.updates:
        for record in update.patterns:
            yield from _pattern_rows(update, record)
        yield from _update_rows(update)


def _pattern_rows(update: UpdateRecord, record: PatternRecord) -> Iterator[Row]:
    where = (str(update.step), str(update.epoch), str(record.pattern + 1))

    def row(kind: str, item: object, factor: str, value: float) -> Row:
        return (*where, kind, str(item), factor, repr(float(value)))

    output_layer = max(u.layer for u in record.units)
    targets = iter(record.targets)
    for u in record.units:
        if u.net_input is not None:
            yield row("unit", u.unit, "x", u.net_input)
        yield row("unit", u.unit, "a", u.activation)
        if u.layer == output_layer:
            yield row("unit", u.unit, "y", next(targets))
    yield row("error", "E", "E", record.error)
    for c in record.credits:
        yield row("unit", c.unit, "dE/da", c.dE_da)
        yield row("unit", c.unit, "da/dx", c.slope)
        yield row("unit", c.unit, "dE/dx", c.dE_dx)
        for t in c.terms:
            yield row("credit", t.weight, "dE/dx*w", t.product)
    for w in record.weights:
        yield row("weight", w.name, "dE/da", w.dE_da)
        yield row("weight", w.name, "da/dx", w.slope)
        yield row("weight", w.name, "dx/dw", w.dx_dw)
        yield row("weight", w.name, "dE/dw", w.product)


def _update_rows(update: UpdateRecord) -> Iterator[Row]:
    pattern = str(update.patterns[0].pattern + 1) if len(update.patterns) == 1 else ""
    where = (str(update.step), str(update.epoch), pattern)
    for c in update.changes:
        for factor, value in (
            ("old", c.old),
            ("dE/dw", c.gradient),
            ("previous_change", c.previous_change),
            ("change", c.change),
            ("new", c.new),
        ):
            yield (*where, "update", c.name, factor, repr(value))
