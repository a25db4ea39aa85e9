"""What a project file declares: one frozen dataclass per table, checked when built.

A project's config is a ``ProjectConfig`` whose groups are the file's tables. Every setting is
a ``--set``/``--grid`` key under its dotted name (``training.learning_rate``) or, where the
last part is unique, under that part alone (``learning_rate``). Defaults are the built-in
recipes': an SRN trains as ``srnlab run letters`` does (tlearn's rate, no momentum, half the
squared error, copy-back), a feedforward net as ``srnlab run xor`` does (see
``FEEDFORWARD_TRAINING``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Literal

from srnlab.activations import ACTIVATIONS
from srnlab.checks import fits_in_memory, network_bytes
from srnlab.config import check_fields
from srnlab.errors import UserError
from srnlab.losses import LOSSES
from srnlab.srn import SRNSchedule

KINDS = ("srn", "feedforward")
UNITS = ("letter", "word")
BOUNDARIES = ("none", "space", "line")
TASKS = ("predict-next", "targets")
UPDATES = ("online", "batch")
ORDERS = ("fixed", "shuffled")
ERROR_BY = ("position", "item", "feature")
HIDDEN_ANALYSES = ("none", "item")

#: Limits on sizes: a setting past them is a typo, not an experiment (memory is checked too).
MAX_UNITS = 100_000
MAX_PASSES = 10_000_000

#: Where a feedforward project leaves a training key out, ``srnlab run xor``'s value.
FEEDFORWARD_TRAINING = {
    "learning_rate": 0.1,
    "momentum": 0.9,
    "passes": 2000,
    "loss": "squared",
    "order": "shuffled",
}


def _one_of(key: str, value: object, valid: tuple[str, ...]) -> None:
    if value not in valid:
        raise UserError(f"{key} = {value!r} is not valid; valid: {', '.join(valid)}")


def _between(key: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:  # also catches NaN
        raise UserError(f"{key} must be in [{low:g}, {high:g}], got {value!r}")


@dataclass(frozen=True)
class NetworkSettings:
    kind: str = "srn"  # "srn" (Elman's simple recurrent network) or "feedforward"
    # hidden units: an int, or for a feedforward net a list, one size per hidden layer
    hidden: int | tuple[int, ...] = 20
    hidden_activation: str = "logistic"  # logistic, tanh or linear
    output_activation: str = "logistic"  # logistic, tanh or linear
    context_start: float = 0.5  # srn: every context unit's value at the start (Elman: 0.5)

    def __post_init__(self) -> None:
        _one_of("network.kind", self.kind, KINDS)
        _one_of("network.hidden_activation", self.hidden_activation, tuple(ACTIVATIONS))
        _one_of("network.output_activation", self.output_activation, tuple(ACTIVATIONS))
        layers = self.layers
        if not layers or any(not 1 <= n <= MAX_UNITS for n in layers):
            raise UserError(f"network.hidden must be whole numbers in [1, {MAX_UNITS}]")
        if self.kind == "srn" and len(layers) != 1:
            raise UserError("network.hidden: an SRN has one hidden layer; give one number")
        _between("network.context_start", self.context_start, -1e6, 1e6)

    @property
    def layers(self) -> tuple[int, ...]:
        hidden = self.hidden
        return tuple(hidden) if isinstance(hidden, tuple) else (hidden,)


@dataclass(frozen=True)
class DataSettings:
    corpus: str = ""  # a text file (path relative to the project file); or patterns = "x.csv"
    patterns: str = ""  # numbers: a CSV with a header, or .npy / .npz arrays
    inputs: tuple[str, ...] = ()  # patterns: the input columns (names; .npy: column numbers)
    targets: tuple[str, ...] = ()  # patterns: the target columns (leave out to predict next)
    unit: str = "letter"  # corpus: "letter" (each character) or "word" (whitespace tokens)
    # corpus: what whitespace marks: "space" (word boundaries, letter unit), "line" (a line
    # is a sentence or utterance) or "none" (an unsegmented stream)
    boundaries: str = "none"
    # "localist" (one unit per symbol) or a CSV table: the symbol, then its features
    encoding: str = "localist"
    task: str = "predict-next"  # srn: the target is the next item; "targets": given columns
    reset_at_boundaries: bool = False  # srn: context back to context_start at each boundary

    def __post_init__(self) -> None:
        if bool(self.corpus) == bool(self.patterns):
            raise UserError('[data] needs exactly one of corpus = "FILE" or patterns = "FILE"')
        _one_of("data.unit", self.unit, UNITS)
        _one_of("data.boundaries", self.boundaries, BOUNDARIES)
        _one_of("data.task", self.task, TASKS)
        if self.unit == "word" and self.boundaries == "space":
            raise UserError(
                'data.boundaries = "space" splits letters into words; with unit = "word" '
                'spaces separate the items, so mark sentences with boundaries = "line"'
            )
        if self.corpus and self.task != "predict-next":
            raise UserError('a corpus is learned by prediction: data.task must be "predict-next"')
        if self.patterns and self.task == "targets" and not self.targets:
            raise UserError('data.task = "targets" needs data.targets = ["column", ...]')


@dataclass(frozen=True)
class TrainingSettings:
    learning_rate: float = 0.1  # tlearn's default (the built-in SRN recipes')
    momentum: float = 0.0  # tlearn's default
    passes: int = 10  # passes through the training data (a feedforward net's epochs)
    loss: str = "half_squared"  # half_squared (tlearn's), squared (E = (y - a)^2), cross_entropy
    through_time: int | Literal["window"] | None = 1  # srn: 1 copy-back, k, none (full), window
    update_every: int | None = 1  # srn: steps between weight changes (none: once a sequence)
    update: str = "online"  # feedforward: online (after each pattern) or batch (each epoch)
    order: str = "fixed"  # feedforward: pattern order per epoch, fixed or shuffled
    init_range: float = 1.0  # weights and biases uniform in [-init_range, init_range]

    def __post_init__(self) -> None:
        _one_of("training.loss", self.loss, tuple(LOSSES))
        _one_of("training.update", self.update, UPDATES)
        _one_of("training.order", self.order, ORDERS)
        _between("training.learning_rate", self.learning_rate, 0.0, 1e6)
        if self.learning_rate == 0:
            raise UserError("training.learning_rate must be > 0")
        if not 0 <= self.momentum < 1:
            raise UserError(f"training.momentum must be in [0, 1), got {self.momentum!r}")
        _between("training.passes", self.passes, 1, MAX_PASSES)
        _between("training.init_range", self.init_range, 0.0, 1e6)
        self.schedule()

    def schedule(self) -> SRNSchedule:
        return SRNSchedule(self.learning_rate, self.momentum, self.through_time, self.update_every)


@dataclass(frozen=True)
class TestSettings:
    corpus: str = ""  # a test text; default: a fresh pass over the training data
    patterns: str = ""  # test patterns (same columns as the training patterns)
    carry_context: bool = True  # srn: the test goes on from the context training ended with

    def __post_init__(self) -> None:
        if self.corpus and self.patterns:
            raise UserError("[test] takes corpus or patterns, not both")


@dataclass(frozen=True)
class AnalysisSettings:
    error_by: tuple[str, ...] = ("position", "item")  # position in word/sentence, item, feature
    hidden: str = "item"  # "item": mean hidden state per item (dendrogram, PCA); "none"
    segmentation: bool = True  # boundaries from error peaks, scored where boundaries are known
    likelihood: bool = True  # localist: outputs against the corpus's likelihood vectors
    figure_steps: int = 60  # how many test steps the per-step error figure shows

    def __post_init__(self) -> None:
        for item in self.error_by:
            _one_of("analysis.error_by", item, ERROR_BY)
        _one_of("analysis.hidden", self.hidden, HIDDEN_ANALYSES)
        _between("analysis.figure_steps", self.figure_steps, 2, 100_000)


@dataclass(frozen=True)
class ProjectConfig:
    """One experiment, as a project file declares it."""

    name: str = "project"  # the project's name (default: the file's stem)
    seed: int = 0  # [training] seed: every random stream (weights, order) derives from it
    network: NetworkSettings = field(default_factory=NetworkSettings)
    data: DataSettings = field(default_factory=lambda: DataSettings(corpus="corpus.txt"))
    training: TrainingSettings = field(default_factory=TrainingSettings)
    test: TestSettings = field(default_factory=TestSettings)
    analysis: AnalysisSettings = field(default_factory=AnalysisSettings)

    def __post_init__(self) -> None:
        check_fields(self)  # every value of its type, finite, whole numbers in range
        srn = self.network.kind == "srn"
        layers = self.network.layers
        # the weights alone (an SRN's context weights grow with hidden squared); the data are
        # checked when they are read (``data.check_memory``)
        weights = sum(a * b for a, b in itertools.pairwise(layers))
        weights += layers[0] * layers[0] if srn else 0
        fits_in_memory(network_bytes(weights, 0, 0), f"a network of {layers} hidden units")
        if not srn and self.data.corpus:
            raise UserError("a feedforward network learns patterns: give data.patterns")
        if not srn and self.data.task != "targets":
            raise UserError(
                'a feedforward net learns given targets: set data.targets = ["column", ...]'
            )
        if srn and self.training.order != "fixed":
            raise UserError(
                'training.order: an SRN learns the stream in its order; only "fixed" is valid'
            )
        if srn and self.training.update != "online":
            raise UserError(
                "training.update is for feedforward nets; an SRN's is training.update_every"
            )
        if self.data.patterns and self.test.corpus:
            raise UserError("[test] corpus goes with a [data] corpus; use test.patterns")
        if self.data.corpus and self.test.patterns:
            raise UserError("[test] patterns goes with [data] patterns; use test.corpus")
