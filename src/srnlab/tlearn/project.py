"""A tlearn project on disk, and the experiment that trains it into a run folder.

``STEM.cf`` names the project; ``STEM.data`` and ``STEM.teach`` must lie beside it,
``STEM.reset`` may. Training follows tlearn's options (the ``Config`` fields, with the tlearn
flag each stands for); the result holds the final weights as a tlearn ``weights.wts``, the
error per pass as tlearn reports it, and a frozen pass over the patterns after training:
every output (tlearn's -V, "verify") and every node's activation (-P, "probe").

Engines: the network runs on srnlab's compiled SRN kernels when it is a layered net or an
SRN and the options fit (``fastpath``); otherwise, or with ``engine=reference``, on the
reference engine. Both clamp a logistic unit's net input to [-10, 10] as tlearn does (the
kernels through the ``clamped_logistic`` unit function), so either gives tlearn's numbers.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from srnlab.config import config_to_dict
from srnlab.errors import UserError
from srnlab.run_result import RunResult
from srnlab.seeding import generators
from srnlab.tlearn.cf import read_cf
from srnlab.tlearn.engine import Record, Training, run_sweeps
from srnlab.tlearn.fastpath import (
    Layout,
    fast_path_refusal,
    probe_fast,
    srn_layout,
    train_fast,
)
from srnlab.tlearn.network import NET_CLAMP, Network, initial_weights
from srnlab.tlearn.patterns import parse_patterns, parse_reset, read_text
from srnlab.tlearn.wts import format_wts, read_wts

Array = np.ndarray
DEFAULT_PASSES = 1000  # tlearn requires -s; without `sweeps`, this many passes


@dataclass(frozen=True)
class Config:
    """tlearn's options, each with the flag it stands for (defaults: tlearn's)."""

    sweeps: int | None = None  # -s: sweeps (one pattern each); none: 1,000 passes
    learning_rate: float = 0.1  # -r (tlearn's default 0.1)
    momentum: float = 0.0  # -m (tlearn's default 0)
    update_every_sweeps: int = 1  # -U: sum the changes over this many sweeps, then update
    random_order: bool = False  # -R: patterns drawn at random, with replacement
    cross_entropy: bool = False  # -H 1: output delta a - t (logistic outputs only)
    teacher_forcing: bool = False  # -t: links from outputs carry the targets
    reset: bool = False  # -X: reset activations to 0 at the sweeps STEM.reset lists
    weights: str | None = None  # -l (`--weights FILE.wts`): start from these weights
    seed: int = 0  # initial weights (without `weights`) and the -R order
    precision: Literal["float64", "float32"] = "float64"  # float32: tlearn's own arithmetic
    engine: Literal["auto", "reference"] = "auto"  # auto: compiled kernels where they fit

    def __post_init__(self) -> None:
        if self.sweeps is not None and self.sweeps < 1:
            raise UserError(f"sweeps must be >= 1, got {self.sweeps}")
        if self.update_every_sweeps < 1:
            raise UserError(f"update_every_sweeps must be >= 1, got {self.update_every_sweeps}")
        for key in ("learning_rate", "momentum"):
            value = getattr(self, key)
            if not (math.isfinite(value) and value >= 0):
                raise UserError(f"{key} must be a finite number >= 0, got {value}")

    def training(self) -> Training:
        return Training(
            self.learning_rate,
            self.momentum,
            self.update_every_sweeps,
            self.cross_entropy,
            self.teacher_forcing,
        )


@dataclass(frozen=True, eq=False)
class Project:
    """A project's files, parsed."""

    cf: Path
    network: Network
    inputs: Array  # (patterns, inputs)
    targets: Array  # (patterns, outputs); NaN = don't care
    reset_times: list[int] | None  # None: no .reset file

    @property
    def name(self) -> str:
        return self.cf.stem


def load_project(cf: Path) -> Project:
    """Read ``STEM.cf`` and the ``.data``, ``.teach`` (and ``.reset``) beside it."""
    cf = Path(cf)
    if cf.suffix != ".cf":
        raise UserError(f"{cf}: a tlearn project is named by its .cf file")
    network = read_cf(cf)
    data, teach, reset = (cf.with_suffix(s) for s in (".data", ".teach", ".reset"))
    for path in (data, teach):
        if not path.is_file():
            raise UserError(f"{path}: no such file (a project needs {path.name} beside {cf.name})")
    inputs = parse_patterns(read_text(data), network.n_inputs, str(data), teach=False)
    targets = parse_patterns(read_text(teach), len(network.outputs), str(teach), teach=True)
    if len(inputs) != len(targets):
        raise UserError(
            f"{teach}:2: {len(targets)} rows, but {data.name} has {len(inputs)}: each input "
            "row needs its target row"
        )
    reset_times = parse_reset(read_text(reset), str(reset)) if reset.is_file() else None
    return Project(cf, network, inputs, targets, reset_times)


def check_options(project: Project, config: Config) -> None:
    """Options that this project cannot take (each a one-line UserError)."""
    network = project.network
    if config.reset and project.reset_times is None:
        raise UserError(
            f"reset=true needs {project.cf.with_suffix('.reset')}, which does not exist"
        )
    if config.teacher_forcing:
        from_outputs = network.connected[:, [network.column_of(k) for k in network.outputs]]
        if from_outputs.sum() > len(network.outputs):
            raise UserError(
                "teacher_forcing (-t) needs each output feeding at most one node (as in tlearn)"
            )
    if config.cross_entropy and any(network.functions[k - 1] != 0 for k in network.outputs):
        raise UserError("cross_entropy (-H 1) needs logistic outputs (tlearn's delta a - t)")


def starting_weights(project: Project, config: Config) -> tuple[Array, str]:
    if config.weights is not None:
        return read_wts(Path(config.weights), project.network), config.weights
    rng = generators(config.seed)["weights"]
    return initial_weights(project.network, rng), f"drawn from seed {config.seed}"


def schedule(project: Project, config: Config, n_sweeps: int) -> tuple[Array, Array, list[int]]:
    """(pattern of each sweep, reset before each sweep, the reset times within a pass)."""
    n = len(project.inputs)
    if config.random_order:
        order = generators(config.seed)["order"].integers(0, n, size=n_sweeps)
    else:
        order = np.arange(n_sweeps) % n
    times = [t for t in (project.reset_times or []) if t < n] if config.reset else []
    resets = np.isin(np.arange(n_sweeps) % n, times)
    return order, resets, times


def run_project(project: Project, config: Config) -> RunResult:
    """Train the project as tlearn would, then verify and probe the trained network."""
    check_options(project, config)
    network, inputs, targets = project.network, project.inputs, project.targets
    initial, source = starting_weights(project, config)
    n = len(inputs)
    n_sweeps = config.sweeps or DEFAULT_PASSES * n
    order, resets, times = schedule(project, config, n_sweeps)
    training = config.training()
    layout = srn_layout(network, initial)
    note = layout if isinstance(layout, str) else None
    if isinstance(layout, Layout):
        note = fast_path_refusal(
            training, config.precision, n, n_sweeps, config.random_order, targets, times, layout
        )
    if config.engine == "reference":
        note = "engine=reference"
    engine, history, record = "reference", {}, None
    if note is None and isinstance(layout, Layout):
        fast = train_fast(
            layout, initial, inputs, targets, times, training, n_sweeps // n, network.n_inputs
        )
        final = fast.weights
        frozen = probe_fast(
            layout, final, inputs, targets, times, network.n_nodes, network.n_inputs,
            config.cross_entropy,
        )  # fmt: skip
        engine = "fast"
        history = _pass_history(n, fast.error, fast.rms, fast.sse)
    if engine == "reference":
        final, record = run_sweeps(
            network, initial, inputs, targets, order, resets, training, config.precision
        )
        history = _history_from_sweeps(record, n)
        frozen = verify(project, config, final, training, times)
    return _result(project, config, initial, final, source, engine, note, history, frozen, record)


def verify(
    project: Project, config: Config, weights: Array, training: Training, times: list[int]
) -> Record:
    """tlearn's -V/-P: one frozen pass in file order from activations at 0."""
    n = len(project.inputs)
    resets = np.isin(np.arange(n), times)
    _, record = run_sweeps(
        project.network, weights, project.inputs, project.targets, np.arange(n), resets,
        training, config.precision, keep=True, learn=False,
    )  # fmt: skip
    return record


def _pass_history(
    n: int, error: list[float], rms: list[float], sse: list[float]
) -> dict[str, list[Any]]:
    passes = list(range(1, len(error) + 1))
    return {
        "pass": passes,
        "sweep": [p * n for p in passes],
        "error": [float(e) for e in error],
        "rms": [float(r) for r in rms],
        "sse": [float(s) for s in sse],
        "tlearn_rms": [math.sqrt(s / n) for s in sse],
    }


def _history_from_sweeps(record: Record, n: int) -> dict[str, list[Any]]:
    """Per pass (the last may be partial), from the reference engine's per-sweep record."""
    history: dict[str, list[Any]] = {
        k: [] for k in ("pass", "sweep", "error", "rms", "sse", "tlearn_rms")
    }
    for start in range(0, len(record.squared), n):
        stop = min(start + n, len(record.squared))
        squared = record.squared[start:stop]
        history["pass"].append(start // n + 1)
        history["sweep"].append(stop)
        history["error"].append(float(record.loss[start:stop].sum()))
        history["rms"].append(float(np.sqrt(squared).sum() / (stop - start)))
        history["sse"].append(float(squared.sum()))
        history["tlearn_rms"].append(math.sqrt(float(squared.sum()) / (stop - start)))
    return history


def _result(
    project: Project,
    config: Config,
    initial: Array,
    final: Array,
    source: str,
    engine: str,
    note: str | None,
    history: dict[str, list[Any]],
    frozen: Record,
    record: Record | None,
) -> RunResult:
    network = project.network
    assert frozen.activations is not None and frozen.net_inputs is not None
    outputs = frozen.activations[:, [k - 1 for k in network.outputs]]
    n_sweeps = history["sweep"][-1] if history.get("sweep") else 0
    metrics: dict[str, Any] = {
        "project": project.cf.name,
        "engine": engine,
        "engine_note": note,
        "sweeps": n_sweeps,
        "patterns": len(project.inputs),
        "initial_weights": source,
        "final_tlearn_rms": history["tlearn_rms"][-1] if history["tlearn_rms"] else None,
        "final_error": history["error"][-1] if history["error"] else None,
        "verify_tlearn_rms": math.sqrt(float(frozen.squared.mean())),
        "verify_outputs": outputs.tolist(),
        "targets": [
            [None if math.isnan(v) else v for v in row] for row in project.targets.tolist()
        ],
        "max_abs_net_input_after": frozen.max_abs_net,
        "clamp_reached_in_training": None if record is None else record.max_abs_net > NET_CLAMP,
        "output_nodes": list(network.outputs),
        "selected_nodes": list(network.selected),
    }
    arrays = {
        "initial_weights": initial,
        "final_weights": final,
        "inputs": project.inputs,
        "targets": project.targets,
        "verify_outputs": outputs,
        "probe_activations": frozen.activations,
        "probe_net_inputs": frozen.net_inputs,
    }
    files = {"weights.wts": format_wts(final, n_sweeps)}
    return RunResult(str(project.cf), config_to_dict(config), metrics, history, arrays, files)


def with_weights(config: Config, path: str | Path) -> Config:
    """``--weights FILE.wts``: the path made absolute, so worker processes find it too."""
    weights = Path(path)
    if not weights.is_file():
        raise UserError(f"{weights}: no such weights file")
    return dataclasses.replace(config, weights=str(weights.resolve()))
