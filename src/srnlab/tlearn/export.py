"""srnlab networks and data written as tlearn projects, so results compare both ways.

``export_source(path)`` turns a run folder (or a project file) into a ``TlearnExport``:
network, patterns, the run's initial and final weights, and notes on where srnlab's settings
differ from tlearn's. ``write_export`` writes it as ``STEM.cf``, ``STEM.data``, ``STEM.teach``
(``STEM.reset``), ``STEM.0.wts`` (initial weights) and ``STEM.wts`` (final), which
``srnlab run DIR/STEM.cf --weights DIR/STEM.0.wts`` or tlearn itself can run.

Run folders are read by recipe (``RUN_EXPORTERS``): xor (a layered net), temporal-xor (an
SRN) and tlearn projects' own runs. Project files are read by suffix (``PROJECT_EXPORTERS``):
``.cf`` is here; the project-file (TOML) reader registers its own entry there, a function
from the file's path to a ``TlearnExport``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from srnlab.config import config_from_dict
from srnlab.errors import UserError
from srnlab.fileio import write_text
from srnlab.params import FeedforwardParams
from srnlab.results import RunResult, load_run
from srnlab.srn import SRNParams
from srnlab.tlearn.cf import read_cf
from srnlab.tlearn.cf_writer import format_cf
from srnlab.tlearn.network import LINEAR, LOGISTIC, Network
from srnlab.tlearn.patterns import format_patterns, format_reset
from srnlab.tlearn.wts import format_wts

Array = np.ndarray
TLEARN_UNITS = {"logistic": LOGISTIC, "linear": LINEAR}


@dataclass(frozen=True, eq=False)
class TlearnExport:
    """Everything a tlearn project needs, plus what the run learned."""

    stem: str
    network: Network
    inputs: Array
    targets: Array  # NaN = don't care
    resets: list[int] | None = None
    initial_weights: Array | None = None
    final_weights: Array | None = None
    sweeps: int = 0  # the sweeps behind final_weights
    notes: list[str] = field(default_factory=list)

    def files(self) -> dict[str, str]:
        texts = {
            f"{self.stem}.cf": format_cf(self.network),
            f"{self.stem}.data": format_patterns(self.inputs),
            f"{self.stem}.teach": format_patterns(self.targets),
        }
        if self.resets is not None:
            texts[f"{self.stem}.reset"] = format_reset(self.resets)
        if self.initial_weights is not None:
            texts[f"{self.stem}.0.wts"] = format_wts(self.initial_weights, 0)
        if self.final_weights is not None:
            texts[f"{self.stem}.wts"] = format_wts(self.final_weights, self.sweeps)
        return texts


def write_export(export: TlearnExport, folder: Path, force: bool = False) -> list[Path]:
    """Write the project's files into ``folder`` (made if missing); nothing is replaced
    unless ``force``, and nothing is written if any file is in the way."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder} is a file, not a folder")
    if not folder.parent.is_dir():
        raise UserError(f"folder {folder.parent} does not exist")
    texts = export.files()
    paths = [folder / name for name in texts]
    in_the_way = [p for p in paths if p.exists()]
    if in_the_way and not force:
        raise UserError(f"{in_the_way[0]} already exists; pass --force to replace it")
    folder.mkdir(exist_ok=True)
    for path, text in zip(paths, texts.values(), strict=True):
        write_text(path, text)
    return paths


# ---- building tlearn networks ----------------------------------------------------------------


def layered_network(
    n_in: int, n_hidden: int, n_out: int, hidden: str, output: str, context: bool
) -> Network:
    """tlearn's layout of a 2-layer net: hidden 1..H, outputs H+1..H+O and, for an SRN, copy
    units H+O+1..2H+O, each a fixed weight-1 link from its hidden node (linear)."""
    for name in (hidden, output):
        if name not in TLEARN_UNITS:
            raise UserError(
                f"{name} units have no tlearn equivalent (tlearn has logistic and linear units; "
                "its bipolar units are 2/(1+e^-x)-1, not tanh)"
            )
    n_nodes = n_hidden + n_out + (n_hidden if context else 0)
    columns = 1 + n_in + n_nodes
    first = 1 + n_in
    connected = np.zeros((n_nodes, columns), dtype=bool)
    fixed = np.zeros_like(connected)
    limited = np.zeros_like(connected)
    low, high = np.zeros(connected.shape), np.zeros(connected.shape)
    context_columns = [first + n_hidden + n_out + k for k in range(n_hidden)] if context else []
    for h in range(n_hidden):
        connected[h, [0, *range(1, first), *context_columns]] = True
    for o in range(n_hidden, n_hidden + n_out):
        connected[o, [0, *range(first, first + n_hidden)]] = True
    functions = np.zeros(n_nodes, dtype=np.int64)
    functions[:n_hidden] = TLEARN_UNITS[hidden]
    functions[n_hidden : n_hidden + n_out] = TLEARN_UNITS[output]
    for k in range(n_hidden if context else 0):
        row = n_hidden + n_out + k
        connected[row, first + k] = fixed[row, first + k] = limited[row, first + k] = True
        low[row, first + k] = high[row, first + k] = 1.0
        functions[row] = LINEAR
    return Network(
        n_nodes=n_nodes,
        n_inputs=n_in,
        outputs=tuple(range(n_hidden + 1, n_hidden + n_out + 1)),
        functions=functions,
        connected=connected,
        fixed=fixed,
        group=np.zeros(connected.shape, dtype=np.int64),
        limited=limited,
        low=low,
        high=high,
        limits_on=context,
        n_groups=0,
        weight_limit=1.0,
        selected=tuple(range(1, n_hidden + 1)),
    )


def feedforward_weights(params: FeedforwardParams) -> Array:
    """A 2-layer net's weights in tlearn's rows (hidden 1..H, then outputs)."""
    if len(params.weights) != 2:
        raise UserError("only nets with one hidden layer are exported (tlearn's layout here)")
    n_in, n_hidden, n_out = params.sizes
    weights = np.zeros((n_hidden + n_out, 1 + n_in + n_hidden + n_out))
    weights[:n_hidden, 0] = params.biases[0]
    weights[:n_hidden, 1 : 1 + n_in] = params.weights[0]
    weights[n_hidden:, 0] = params.biases[1]
    weights[n_hidden:, 1 + n_in : 1 + n_in + n_hidden] = params.weights[1]
    return weights


def srn_weights(params: SRNParams) -> Array:
    """An SRN's weights in tlearn's rows (hidden, outputs, copy units)."""
    n_in, n_hidden, n_out = params.sizes
    n_nodes = 2 * n_hidden + n_out
    first = 1 + n_in
    weights = np.zeros((n_nodes, 1 + n_in + n_nodes))
    weights[:n_hidden, 0] = params.b_h
    weights[:n_hidden, 1:first] = params.W_xh
    weights[:n_hidden, first + n_hidden + n_out :] = params.W_ch
    weights[n_hidden : n_hidden + n_out, 0] = params.b_y
    weights[n_hidden : n_hidden + n_out, first : first + n_hidden] = params.W_hy
    for k in range(n_hidden):
        weights[n_hidden + n_out + k, first + k] = 1.0
    return weights


# ---- run folders ---------------------------------------------------------------------------


def _prefixed(result: RunResult, prefix: str) -> dict[str, Array]:
    return {k[len(prefix) :]: v for k, v in result.arrays.items() if k.startswith(prefix)}


def _loss_notes(loss: str, learning_rate: float) -> list[str]:
    if loss == "squared":
        return [
            f"srnlab's loss E = (y - a)^2 has twice the gradient of tlearn's 1/2 sum (t - a)^2: "
            f"tlearn -r {2 * learning_rate:g} matches srnlab learning_rate {learning_rate:g}"
        ]
    if loss == "cross_entropy":
        return ["srnlab's loss cross_entropy is tlearn's -H 1"]
    return []


def _xor_run(result: RunResult, stem: str) -> TlearnExport:
    from srnlab.recipes import xor

    config = config_from_dict(xor.Config, result.config)
    network = layered_network(
        2, config.hidden, 1, config.hidden_activation, config.output_activation, context=False
    )
    initial = FeedforwardParams.from_npz_dict(_prefixed(result, "initial_"))
    final = FeedforwardParams.from_npz_dict(_prefixed(result, "final_"))
    notes = _loss_notes(config.loss, config.learning_rate)
    if config.order == "shuffled" or config.update == "batch":
        notes.append(
            f"srnlab trained with update={config.update}, order={config.order}; tlearn's own "
            "schedule is online in file order (-U 4 for batch; -R draws with replacement)"
        )
    return TlearnExport(
        stem, network, result.arrays["inputs"], result.arrays["targets"], None,
        feedforward_weights(initial), feedforward_weights(final), 4 * config.epochs, notes,
    )  # fmt: skip


def _temporal_xor_run(result: RunResult, stem: str) -> TlearnExport:
    from srnlab.recipes import temporal_xor
    from srnlab.seeding import generators
    from srnlab.tasks.temporal_xor import temporal_xor_stream

    config = config_from_dict(temporal_xor.Config, result.config)
    network = layered_network(
        1, config.hidden, 1, config.hidden_activation, config.output_activation, context=True
    )
    stream = temporal_xor_stream(config.n_triples, generators(config.seed)["data"])
    initial = SRNParams.from_npz_dict(_prefixed(result, "initial_"))
    final = SRNParams.from_npz_dict(_prefixed(result, "final_"))
    notes = _loss_notes(config.loss, config.learning_rate)
    if config.context_start != 0:
        notes.append(f"srnlab's context started at {config.context_start:g}; tlearn's starts at 0")
    if config.through_time != 1 or config.update_every != 1:
        notes.append("srnlab trained with through_time/update_every other than tlearn's copy-back")
    return TlearnExport(
        stem, network, np.asarray(stream.inputs), np.asarray(stream.targets), None,
        srn_weights(initial), srn_weights(final), len(stream.inputs) * config.passes, notes,
    )  # fmt: skip


def _tlearn_run(result: RunResult, stem: str) -> TlearnExport:
    cf = Path(result.recipe)
    network = read_cf(cf)
    return TlearnExport(
        stem, network, result.arrays["inputs"], result.arrays["targets"], None,
        result.arrays["initial_weights"], result.arrays["final_weights"],
        int(result.metrics["sweeps"]), [],
    )  # fmt: skip


RUN_EXPORTERS: dict[str, Callable[[RunResult, str], TlearnExport]] = {
    "xor": _xor_run,
    "temporal-xor": _temporal_xor_run,
}


# ---- project files -------------------------------------------------------------------------


def _cf_project(path: Path) -> TlearnExport:
    """A tlearn project, rewritten in srnlab's normal form (a check that it reads back)."""
    from srnlab.tlearn.project import load_project

    project = load_project(path)
    return TlearnExport(
        project.name, project.network, project.inputs, project.targets, project.reset_times
    )


def _toml_project(path: Path) -> TlearnExport:
    """A project file's network and training data, with the initial weights its seed draws
    (so both simulators can start from the same network)."""
    from srnlab.params import init_feedforward
    from srnlab.project.engine import training_data
    from srnlab.project.experiment import ProjectExperiment
    from srnlab.seeding import generators
    from srnlab.srn import init_srn

    experiment = ProjectExperiment.load(path)
    config = experiment.default_config()
    inputs, targets, resets = training_data(config, experiment.files)
    net, training = config.network, config.training
    srn = net.kind == "srn"
    if len(net.layers) != 1:
        raise UserError(f"{path}: only nets with one hidden layer are exported (tlearn's layout)")
    n_in, n_hidden, n_out = inputs.shape[1], net.layers[0], targets.shape[1]
    network = layered_network(
        n_in, n_hidden, n_out, net.hidden_activation, net.output_activation, context=srn
    )
    weights = generators(config.seed)["weights"]
    if srn:
        initial = srn_weights(init_srn(n_in, n_hidden, n_out, weights, training.init_range))
    else:
        sizes = (n_in, n_hidden, n_out)
        initial = feedforward_weights(init_feedforward(sizes, weights, training.init_range))
    notes = _loss_notes(training.loss, training.learning_rate)
    if srn and net.context_start != 0:
        notes.append(f"the project's context starts at {net.context_start:g}; tlearn's at 0")
    if srn and (training.through_time != 1 or training.update_every != 1):
        notes.append("the project trains with through_time/update_every other than copy-back")
    if not srn and (training.order == "shuffled" or training.update == "batch"):
        notes.append(
            f"the project trains with update={training.update}, order={training.order}; "
            "tlearn's own schedule is online in file order"
        )
    reset_list = None if resets is None else [int(t) for t in resets]
    return TlearnExport(
        _safe_stem(config.name), network, inputs, targets, reset_list, initial, None, 0, notes
    )


#: Project files by suffix: tlearn's own, and srnlab's project files (TOML).
PROJECT_EXPORTERS: dict[str, Callable[[Path], TlearnExport]] = {
    ".cf": _cf_project,
    ".toml": _toml_project,
}


def export_source(source: Path, stem: str | None = None) -> TlearnExport:
    """A run folder or a project file, as a tlearn project named ``stem``."""
    source = Path(source)
    if source.is_dir():
        result = load_run(source)
        name = stem or _safe_stem(
            Path(result.recipe).stem if result.recipe.endswith(".cf") else result.recipe
        )
        if result.recipe.endswith(".cf"):
            return _tlearn_run(result, name)
        exporter = RUN_EXPORTERS.get(result.recipe)
        if exporter is None:
            valid = ", ".join([*RUN_EXPORTERS, "tlearn projects"])
            raise UserError(
                f"{source}: runs of {result.recipe!r} cannot be exported yet; runs of {valid} can"
            )
        return exporter(result, name)
    reader = PROJECT_EXPORTERS.get(source.suffix)
    if reader is None:
        raise UserError(
            f"{source}: expected a run folder or a project file ({', '.join(PROJECT_EXPORTERS)})"
        )
    if not source.is_file():
        raise UserError(f"{source}: no such file")
    export = reader(source)
    if stem is not None:
        export = dataclasses.replace(export, stem=stem)
    return export


def _safe_stem(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name) or "project"
