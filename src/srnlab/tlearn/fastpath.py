"""Layered nets and SRNs run on srnlab's compiled SRN kernels (``srn.train_srn``).

A tlearn network maps onto ``srn.SRN`` when it *is* one, node for node:

- hidden nodes take the bias, every input and every context unit, nothing else;
- output nodes take the bias and every hidden node, nothing else, and are numbered above
  every hidden node (so they see this sweep's hidden values, as the SRN's outputs do);
- context units (optional) are linear, numbered above every hidden node, and each takes one
  fixed link of weight 1 from its own hidden node: c_{t+1} = h_t. No error flows back
  through them (tlearn's deltas flow only to lower-numbered senders), which is copy-back;
- hidden units all logistic or all linear, outputs likewise; no groups, no other fixed or
  limited weights, at least one input.

Then tlearn's choices are SRN settings: context_start 0 (tlearn starts every activation at
0 and a reset sets them to 0), loss ``half_squared`` (tlearn's delta (a - t) f'(a) is the
gradient of 1/2 sum (t - a)^2) or ``cross_entropy`` (-H 1), through_time 1 (copy-back) and
update_every = tlearn's -U. A layered net is an SRN without context: W_ch = 0 and a reset
at every step, so the context is always 0 and W_ch never changes.

The training options must fit too (``fast_path_refusal`` says why not when they do not):
float64, patterns in file order, whole passes, no teacher forcing, no ``*`` targets, and -U
windows that never straddle a reset or the end of a pass (srn.py updates at both).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from srnlab.srn import SRN, SRNParams, SRNSchedule, run_srn, train_srn
from srnlab.tlearn.engine import Record, Training
from srnlab.tlearn.network import LINEAR, LOGISTIC, Network

Array = np.ndarray
# tlearn's logistic unit clamps its net input to [-10, 10]; the kernels' clamped_logistic
# does the same, so a run on the kernels is tlearn's sweep for sweep, clamp included.
_ACTIVATIONS = {LOGISTIC: "clamped_logistic", LINEAR: "linear"}


@dataclass(frozen=True)
class Layout:
    """Which tlearn node plays which SRN part (node numbers, in order)."""

    hidden: tuple[int, ...]
    outputs: tuple[int, ...]
    context: tuple[int, ...]  # context[k] copies hidden[k]; () for a layered net
    hidden_activation: str
    output_activation: str


def srn_layout(network: Network, weights: Array) -> Layout | str:
    """The network's SRN layout, or a sentence saying why it is not an SRN."""
    if network.n_inputs < 1:
        return "the network has no inputs"
    if (network.group != 0).any():
        return "it uses weight groups"
    first = 1 + network.n_inputs
    outputs = network.outputs
    copies = {k: _copied_node(network, weights, k) for k in range(1, network.n_nodes + 1)}
    context = [k for k, source in copies.items() if source is not None and k not in outputs]
    hidden = [k for k in range(1, network.n_nodes + 1) if k not in outputs and k not in context]
    if not hidden:
        return "it has no hidden nodes"
    sources = [copies[k] for k in context]
    if context and sorted(s for s in sources if s is not None) != hidden:
        return "its copy units do not copy each hidden node exactly once"
    by_source = dict(zip(sources, context, strict=True))
    context = [by_source[h] for h in hidden] if context else []
    if min(outputs) < max(hidden) or (context and min(context) < max(hidden)):
        return "an output or copy unit is numbered below a hidden node"
    limited, _, _ = network.limits()
    constrained = network.fixed | limited
    hidden_sources = [0, *range(1, first), *(first + c - 1 for c in context)]
    output_sources = [0, *(first + h - 1 for h in hidden)]
    for nodes, wanted in ((hidden, hidden_sources), (outputs, output_sources)):
        for node in nodes:
            row = node - 1
            expected = np.zeros(network.n_columns, dtype=bool)
            expected[wanted] = True
            if not np.array_equal(network.connected[row], expected):
                return f"node {node} is not fully connected layer to layer"
            if constrained[row].any():
                return f"node {node} has fixed or limited weights"
    functions = []
    for nodes in (hidden, outputs):
        kinds = {int(network.functions[k - 1]) for k in nodes}
        if len(kinds) != 1 or next(iter(kinds)) not in _ACTIVATIONS:
            return "a layer mixes unit functions or uses bipolar or binary units"
        functions.append(_ACTIVATIONS[kinds.pop()])
    return Layout(tuple(hidden), tuple(outputs), tuple(context), functions[0], functions[1])


def _copied_node(network: Network, weights: Array, node: int) -> int | None:
    """The hidden-candidate node that ``node`` copies, if it is a copy unit: linear, one
    fixed connection of weight 1 from another node (and limits, if any, that keep it 1)."""
    row = node - 1
    first = 1 + network.n_inputs
    columns = np.flatnonzero(network.connected[row])
    if network.functions[row] != LINEAR or len(columns) != 1 or columns[0] < first:
        return None
    column = int(columns[0])
    limited, low, high = network.limits()
    keeps_one = not limited[row, column] or low[row, column] <= 1.0 <= high[row, column]
    if not (network.fixed[row, column] and weights[row, column] == 1.0 and keeps_one):
        return None
    source = column - first + 1
    return source if source != node else None


def fast_path_refusal(
    training: Training,
    precision: str,
    n_patterns: int,
    sweeps: int,
    random_order: bool,
    targets: Array,
    resets: list[int],
    layout: Layout,
) -> str | None:
    """Why these options cannot run on the kernels, or None when they can."""
    every = training.update_every
    if precision != "float64":
        return "precision float32 runs on the reference engine"
    if random_order:
        return "random order (-R) runs on the reference engine"
    if sweeps % n_patterns:
        return f"{sweeps} sweeps is not a whole number of passes of {n_patterns}"
    if training.teacher_forcing:
        return "teacher forcing (-t) runs on the reference engine"
    if np.isnan(targets).any():
        return "don't-care (*) targets run on the reference engine"
    if not training.learning_rate > 0 or not 0 <= training.momentum < 1:
        return "the kernels need learning_rate > 0 and momentum in [0, 1)"
    if every > 1 and (not layout.context or n_patterns % every or any(t % every for t in resets)):
        return f"-U {every} windows would straddle a reset or the end of a pass"
    return None


def to_srn(
    layout: Layout, weights: Array, n_inputs: int, cross_entropy: bool
) -> tuple[SRN, SRNParams]:
    first = 1 + n_inputs
    hidden_rows = [h - 1 for h in layout.hidden]
    output_rows = [o - 1 for o in layout.outputs]
    hidden_columns = [first + h - 1 for h in layout.hidden]
    n_hidden = len(layout.hidden)
    if layout.context:
        W_ch = weights[np.ix_(hidden_rows, [first + c - 1 for c in layout.context])]
    else:
        W_ch = np.zeros((n_hidden, n_hidden))
    params = SRNParams(
        W_xh=weights[np.ix_(hidden_rows, range(1, first))].astype(float),
        W_ch=np.array(W_ch, dtype=float),
        W_hy=weights[np.ix_(output_rows, hidden_columns)].astype(float),
        b_h=weights[hidden_rows, 0].astype(float),
        b_y=weights[output_rows, 0].astype(float),
    )
    net = SRN(
        n_inputs,
        n_hidden,
        len(layout.outputs),
        hidden_activation=layout.hidden_activation,
        output_activation=layout.output_activation,
        loss="cross_entropy" if cross_entropy else "half_squared",
        context_start=0.0,  # tlearn: every activation starts at 0, and a reset sets it to 0
    )
    return net, params


def from_srn(layout: Layout, params: SRNParams, template: Array, n_inputs: int) -> Array:
    """``template`` (the tlearn weights) with the SRN's trained weights written in."""
    weights = np.array(template, dtype=float)
    first = 1 + n_inputs
    hidden_rows = [h - 1 for h in layout.hidden]
    output_rows = [o - 1 for o in layout.outputs]
    weights[np.ix_(hidden_rows, range(1, first))] = params.W_xh
    if layout.context:
        weights[np.ix_(hidden_rows, [first + c - 1 for c in layout.context])] = params.W_ch
    weights[np.ix_(output_rows, [first + h - 1 for h in layout.hidden])] = params.W_hy
    weights[hidden_rows, 0] = params.b_h
    weights[output_rows, 0] = params.b_y
    return weights


@dataclass(frozen=True)
class FastRun:
    weights: Array
    error: list[float]  # per pass: E summed over the pass's sweeps
    rms: list[float]  # per pass: mean Euclidean error
    sse: list[float]  # per pass: summed squared error


def train_fast(
    layout: Layout,
    weights: Array,
    inputs: Array,
    targets: Array,
    resets: list[int],
    training: Training,
    passes: int,
    n_inputs: int,
) -> FastRun:
    """Train on the kernels: the SRN the layout describes, copy-back, context from 0."""
    net, params = to_srn(layout, weights, n_inputs, training.cross_entropy)
    schedule = SRNSchedule(
        learning_rate=training.learning_rate,
        momentum=training.momentum,
        through_time=1,
        update_every=training.update_every,
    )
    n = len(inputs)
    positions = range(n) if not layout.context else [t for t in resets if t < n]
    trained, history = train_srn(
        net, params, inputs, targets, schedule, passes=passes, resets=list(positions)
    )
    return FastRun(
        from_srn(layout, trained, weights, n_inputs), history.error, history.rms, history.sse
    )


def probe_fast(
    layout: Layout,
    weights: Array,
    inputs: Array,
    targets: Array,
    resets: list[int],
    n_nodes: int,
    n_inputs: int,
    cross_entropy: bool,
) -> Record:
    """tlearn's frozen pass (-V/-P) on the kernels: every node's activation and net input.

    A copy unit's net input and value are its hidden node's value of the same sweep."""
    net, params = to_srn(layout, weights, n_inputs, cross_entropy)
    n = len(inputs)
    positions = range(n) if not layout.context else [t for t in resets if t < n]
    trace = run_srn(net, params, inputs, resets=list(positions))
    activations, net_inputs = np.zeros((n, n_nodes)), np.zeros((n, n_nodes))
    for nodes, values, nets in (
        (layout.hidden, trace.hidden, trace.net_hidden),
        (layout.outputs, trace.outputs, trace.net_output),
        (layout.context, trace.hidden, trace.hidden),
    ):
        if nodes:
            activations[:, [k - 1 for k in nodes]] = values
            net_inputs[:, [k - 1 for k in nodes]] = nets
    squared = np.sum((trace.outputs - targets) ** 2, axis=1)
    if cross_entropy:
        loss = net.loss_function
        per_sweep = np.array(
            [loss.value(y, a) for y, a in zip(targets, trace.outputs, strict=True)]
        )
    else:
        per_sweep = 0.5 * squared  # E = 1/2 sum (t - a)^2, the half_squared loss, per sweep
    clamped = [k - 1 for k in (*layout.hidden, *layout.outputs)]
    clamped = [k for k, name in zip(clamped, _unit_names(layout), strict=True) if name != "linear"]
    max_net = float(np.abs(net_inputs[:, clamped]).max()) if clamped else 0.0
    return Record(squared, per_sweep, max_net, activations, net_inputs)


def _unit_names(layout: Layout) -> list[str]:
    return [layout.hidden_activation] * len(layout.hidden) + [layout.output_activation] * len(
        layout.outputs
    )
