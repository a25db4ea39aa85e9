"""What a worksheet says, as titled tables: the content both ``tables`` renderers lay out.

A title, a few lines saying what the network is, the patterns and initial weights, one section
per update shown in detail (forward pass, error, backward pass, the credit sent back to hidden
units, the chain rule for every weight, the update), and a summary of every update with the
weights before and after. Every cell is already text, formatted to the digits asked for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from srnlab.explain import explain_pattern, unit_error, uses_simplified_delta
from srnlab.explain_records import PatternRecord, UpdateRecord, Worksheet, connections
from srnlab.params import unit_numbers
from srnlab.worksheet_render import notation as nt


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    heading: str
    lines: tuple[str, ...] = ()
    tables: tuple[Table, ...] = field(default=())


# ---- what the document says ----------------------------------------------------------------


def document(
    worksheet: Worksheet, show: Sequence[int] | None, digits: int, summary_limit: int | None
) -> list[Section]:
    """The sections of a worksheet; ``show`` lists the update steps detailed (None: all), and
    ``summary_limit`` caps the rows of the every-update summary (None: no cap)."""
    steps = [u.step for u in worksheet.updates]
    shown = steps if show is None else [s for s in steps if s in set(show)]
    fmt = _Formatter(digits)
    sections = [_overview(worksheet, fmt)]
    for update in worksheet.updates:
        if update.step in shown:
            sections.append(_update_section(worksheet, update, fmt))
    hidden = sorted(set(steps) - set(shown))
    sections.append(_summary(worksheet, fmt, hidden, summary_limit))
    return sections


class _Formatter:
    def __init__(self, digits: int) -> None:
        self.digits = digits

    def __call__(self, value: float) -> str:
        return nt.format_number(value, self.digits)


def _overview(ws: Worksheet, fmt: _Formatter) -> Section:
    net = ws.network
    sizes = net.sizes
    units = unit_numbers(sizes)
    lines = [f"units:        {nt.describe_units(sizes)}"]
    if len(sizes) > 2:
        hidden = net.hidden_activation
        lines.append(f"hidden units: {hidden}, {nt.ACTIVATION_FORMULAS[hidden]}")
    output = net.output_activation
    lines.append(f"output units: {output}, {nt.ACTIVATION_FORMULAS[output]}")
    lines.append(
        f"error:        {net.loss}, {nt.LOSS_FORMULAS[net.loss]} (summed over output units)"
    )
    lines.append(f"updates:      {_describe_updates(ws)}")
    alpha, mu = nt.format_plain(ws.learning_rate), nt.format_plain(ws.momentum)
    lines.append(
        f"rule:         Δw = −α·∂E/∂w + μ·Δw(before), learning rate α = {alpha}, momentum μ = {mu}"
    )
    pattern_rows = tuple(
        (str(p + 1), *map(nt.format_plain, x), *map(nt.format_plain, y))
        for p, (x, y) in enumerate(zip(ws.inputs, ws.targets, strict=True))
    )
    patterns = Table(
        "Patterns",
        ("pattern", *(f"a{u}" for u in units[0]), *(f"y{u}" for u in units[-1])),
        pattern_rows,
    )
    weights = Table(
        "Initial weights",
        ("weight", "from", "to", "value"),
        tuple(
            (
                c.name,
                f"{c.source}{' (bias)' if c.is_bias else ''}",
                str(c.target),
                fmt(ws.initial_weights[c.name]),
            )
            for c in connections(sizes)
        ),
    )
    title = f"srnlab worksheet: backprop on a {'-'.join(map(str, sizes))} network, step by step"
    return Section(title, tuple(lines), (patterns, weights))


def _describe_updates(ws: Worksheet) -> str:
    order = ",".join(str(p + 1) for p in ws.order)
    epochs = _plural(ws.epochs, "epoch")
    updates = _plural(len(ws.updates), "update")
    if ws.update == "online":
        return f"online (one update per pattern), {epochs} of patterns {order}: {updates}"
    return f"batch (∂E/∂w summed over patterns {order}), {epochs}: {updates}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _update_heading(ws: Worksheet, update: UpdateRecord) -> str:
    if len(update.patterns) == 1:
        what = f"pattern {_pattern_label(ws, update.patterns[0])}"
    else:
        what = "batch of patterns " + ",".join(str(p.pattern + 1) for p in update.patterns)
    return f"Update {update.step} of {len(ws.updates)} · epoch {update.epoch} · {what}"


def _pattern_label(ws: Worksheet, record: PatternRecord) -> str:
    units = unit_numbers(ws.network.sizes)
    inputs = " ".join(nt.format_plain(v) for v in record.inputs)
    targets = " ".join(nt.format_plain(v) for v in record.targets)
    names_in = " ".join(f"a{u}" for u in units[0])
    names_out = " ".join(f"y{u}" for u in units[-1])
    return f"{record.pattern + 1} ({names_in} = {inputs} → {names_out} = {targets})"


def _update_section(ws: Worksheet, update: UpdateRecord, fmt: _Formatter) -> Section:
    tables: list[Table] = []
    for record in update.patterns:
        suffix = f", pattern {_pattern_label(ws, record)}" if len(update.patterns) > 1 else ""
        tables.append(_forward_table(ws, record, fmt, suffix))
        tables.append(_error_table(ws, record, fmt, suffix))
        tables.append(_backward_table(ws, record, fmt, suffix))
        credit = _credit_table(record, fmt, suffix)
        if credit.rows:
            tables.append(credit)
        tables.append(_chain_table(ws, record, fmt, suffix))
    tables.append(_change_table(ws, update, fmt))
    return Section(_update_heading(ws, update), (), tuple(tables))


def _forward_table(ws: Worksheet, record: PatternRecord, fmt: _Formatter, suffix: str) -> Table:
    net = ws.network
    rows = []
    for u in record.units:
        layer = nt.layer_name(net.sizes, u.layer)
        if u.net_input is None:
            value = nt.format_plain(u.activation)  # given, not computed: shown as given
            rows.append((str(u.unit), layer, "", value, f"a{u.unit} = input"))
            continue
        how = (
            f"{nt.net_input_formula(net.sizes, u.unit)};  "
            f"{nt.activation_formula(net.activation(u.layer).name, u.unit)}"
        )
        rows.append((str(u.unit), layer, fmt(u.net_input), fmt(u.activation), how))
    return Table(f"Forward pass{suffix}", ("unit", "layer", "x_i", "a_i", "how"), tuple(rows))


def _error_table(ws: Worksheet, record: PatternRecord, fmt: _Formatter, suffix: str) -> Table:
    outputs = unit_numbers(ws.network.sizes)[-1]
    rows = []
    for unit, y in zip(outputs, record.targets, strict=True):
        a = record.unit(unit).activation
        share = unit_error(ws.network.loss, y, a)
        rows.append(
            (
                str(unit),
                nt.format_plain(y),
                fmt(a),
                fmt(share),
                nt.error_term(ws.network.loss, unit),
            )
        )
    if len(outputs) > 1:
        rows.append(("all", "", "", fmt(record.error), "E, summed over the output units"))
    title = f"Error{suffix}: {nt.error_formula(ws.network.loss, outputs)} = {fmt(record.error)}"
    return Table(title, ("unit", "y_i", "a_i", "E share", "how"), tuple(rows))


def _backward_table(ws: Worksheet, record: PatternRecord, fmt: _Formatter, suffix: str) -> Table:
    net = ws.network
    output_layer = len(net.sizes) - 1
    rows = []
    for c in record.credits:
        activation = net.activation(c.layer).name
        if c.layer == output_layer:
            credit = nt.output_credit_formula(net.loss, c.unit)
        else:
            credit = nt.hidden_credit_formula(net.sizes, c.unit)
        simplified = c.layer == output_layer and uses_simplified_delta(net)
        how = f"{credit};  {nt.slope_formula(activation, c.unit)}"
        if simplified:
            how += f";  ∂E/∂x{c.unit} = a{c.unit} − y{c.unit}"
        rows.append(
            (
                str(c.unit),
                nt.layer_name(net.sizes, c.layer),
                fmt(c.dE_da),
                fmt(c.slope),
                fmt(c.dE_dx),
                how,
            )
        )
    headers = ("unit", "layer", "∂E/∂a_i", nt.slope_header(net), "∂E/∂x_i", "how")
    return Table(
        f"Backward pass{suffix}: ∂E/∂x_i = ∂E/∂a_i·{nt.slope_header(net)}", headers, tuple(rows)
    )


def _credit_table(record: PatternRecord, fmt: _Formatter, suffix: str) -> Table:
    rows = tuple(
        (str(c.unit), str(t.source), t.weight, fmt(t.dE_dx), fmt(t.value), fmt(t.product))
        for c in record.credits
        for t in c.terms
    )
    return Table(
        f"Credit sent back to hidden units{suffix}: ∂E/∂a_i = Σ_k ∂E/∂x_k·w_i,k",
        ("unit i", "from k", "weight", "∂E/∂x_k", "w_i,k", "∂E/∂x_k·w_i,k"),
        rows,
    )


def _chain_table(ws: Worksheet, record: PatternRecord, fmt: _Formatter, suffix: str) -> Table:
    net = ws.network
    bias = {c.name: c.is_bias for c in connections(net.sizes)}
    rows = tuple(
        (
            w.name,
            fmt(w.dE_da),
            fmt(w.slope),
            "1" if bias[w.name] else fmt(w.dx_dw),  # the bias unit is always on
            fmt(w.product),
            nt.chain_formula(net, w.layer, w.name, w.source, w.target, bias[w.name]),
        )
        for w in record.weights
    )
    headers = ("weight", "∂E/∂a_i", nt.slope_header(net), "∂x_i/∂w", "∂E/∂w", "how")
    return Table(f"Chain rule for every weight{suffix}", headers, rows)


def _change_table(ws: Worksheet, update: UpdateRecord, fmt: _Formatter) -> Table:
    with_momentum = ws.momentum != 0
    gradient = "Σ_p ∂E/∂w" if len(update.patterns) > 1 else "∂E/∂w"
    headers = (
        "weight",
        "w before",
        gradient,
        *(("Δw before",) if with_momentum else ()),
        "Δw",
        "w after",
    )
    rows = tuple(
        (
            c.name,
            fmt(c.old),
            fmt(c.gradient),
            *((fmt(c.previous_change),) if with_momentum else ()),
            fmt(c.change),
            fmt(c.new),
        )
        for c in update.changes
    )
    rule = "Δw = −α·∂E/∂w + μ·Δw(before)" if with_momentum else "Δw = −α·∂E/∂w"
    alpha = nt.format_plain(ws.learning_rate)
    mu = f", μ = {nt.format_plain(ws.momentum)}" if with_momentum else ""
    return Table(f"Weight update: {rule}, α = {alpha}{mu}", headers, rows)


def _summary(ws: Worksheet, fmt: _Formatter, hidden: Sequence[int], limit: int | None) -> Section:
    lines = []
    if hidden:
        lines.append(f"Updates {_ranges(hidden)} are not shown in detail.")
    before = _total_error(ws, ws.initial_weights)
    after = _total_error(ws, ws.final_weights)
    lines.append(
        f"E summed over all {len(ws.inputs)} patterns: {fmt(before)} before the first update, "
        f"{fmt(after)} after the last."
    )
    rows = [
        (str(u.step), str(u.epoch), ",".join(str(p.pattern + 1) for p in u.patterns), fmt(u.error))
        for u in ws.updates
    ]
    title = "Every update"
    if limit is not None and len(rows) > limit:
        # A long run stays readable: its start and its end, the middle left out.
        head, tail = rows[: limit // 2], rows[len(rows) - (limit - limit // 2) :]
        rows = [*head, ("…", "", "", ""), *tail]
        title += f" (updates {int(head[-1][0]) + 1}-{int(tail[0][0]) - 1} left out)"
    steps = Table(title, ("step", "epoch", "pattern", "E before"), tuple(rows))
    initial, final = ws.initial_weights, ws.final_weights
    weights = Table(
        "Weights",
        ("weight", "initial", "final", "change"),
        tuple(
            (name, fmt(initial[name]), fmt(final[name]), fmt(final[name] - initial[name]))
            for name in initial
        ),
    )
    return Section("Summary", tuple(lines), (steps, weights))


def _total_error(ws: Worksheet, weights: Mapping[str, float]) -> float:
    return sum(
        explain_pattern(ws.network, weights, x, y).error
        for x, y in zip(ws.inputs, ws.targets, strict=True)
    )


def _ranges(steps: Sequence[int]) -> str:
    """[2, 3, 4, 7] -> '2-4, 7'."""
    spans: list[list[int]] = []
    for s in steps:
        if spans and s == spans[-1][-1] + 1:
            spans[-1].append(s)
        else:
            spans.append([s])
    return ", ".join(str(a[0]) if len(a) == 1 else f"{a[0]}-{a[-1]}" for a in spans)
