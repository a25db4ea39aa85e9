"""The setting groups every SRN experiment shares, each declared and checked once.

A recipe's ``Config`` is built from them by inheritance, and declares only what is its own (its
task's sizes, its analyses) and the defaults where its paper differs (``hidden = 150``):

    @dataclass(frozen=True, kw_only=True)
    class Config(SRNSettings, StreamSettings):
        hidden: int = 20  # [P] 6-20-6
        n_consonants: int = 1000  # [P]

The settings stay flat keys (``--set learning_rate=0.2``, ``config.json`` unchanged), and each
group's comments are what ``srnlab list --keys`` shows for them unless a recipe redeclares the
field with its own note. Every SRN recipe thereby accepts every training mode: copy-back,
BPTT(k), full BPTT and ``through_time = "window"``, online or every k steps.

The groups:

- ``SRNNetworkSettings`` (network): the hidden layer, the unit functions, the context's start.
- ``TrainingSchedule`` (training schedule): passes, learning rate, momentum, initial weights,
  loss, truncation through time, how often the weights change.
- ``StreamSettings`` (stream): whether a frozen test stream goes on from the context training
  ended with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from srnlab.checks import at_least, check_values, init_range_ok
from srnlab.srn import SRN, SRNSchedule


@dataclass(frozen=True, kw_only=True)
class SRNNetworkSettings:
    """network: an Elman SRN's hidden layer and units (input and output sizes are the task's)."""

    hidden: int = 20  # hidden units, hence as many context units
    hidden_activation: str = "logistic"  # logistic units (Elman 1990); also tanh, linear
    output_activation: str = "logistic"  # logistic units (Elman 1990); also tanh, linear
    context_start: float = 0.5  # every context unit's value at the start (Elman 1990: 0.5)

    def check_network(self, loss: str) -> None:
        at_least(self, 1, "hidden")
        self.srn(1, 1, loss)  # the unit functions and the loss, whatever the task's sizes

    def srn(self, n_in: int, n_out: int, loss: str) -> SRN:
        """The n_in-hidden-n_out SRN; building it checks the unit functions and the loss."""
        return SRN(
            n_in,
            self.hidden,
            n_out,
            self.hidden_activation,
            self.output_activation,
            loss,
            self.context_start,
        )


@dataclass(frozen=True, kw_only=True)
class TrainingSchedule:
    """training schedule: how an SRN learns its stream (``srn`` has the exact semantics)."""

    passes: int = 10  # passes through the training stream
    learning_rate: float = 0.1  # tlearn's default (Elman's group's simulator; papers give none)
    momentum: float = 0.0  # tlearn's default
    init_range: float = 1.0  # weights and biases uniform in [-init_range, init_range] (tlearn)
    loss: str = "half_squared"  # tlearn's update (y - a) a (1 - a); also squared, cross_entropy
    # 1 = copy-back (Elman); k = BPTT(k); none = full BPTT; window = back through each update
    through_time: int | Literal["window"] | None = 1
    update_every: int | None = 1  # steps between weight changes: 1 = online (Elman); none = a pass

    def check_schedule(self) -> None:
        at_least(self, 0, "passes")
        init_range_ok(self)
        self.schedule()  # learning rate, momentum, through_time and update_every

    def schedule(self, learning_rate: float | None = None) -> SRNSchedule:
        """The schedule, at ``learning_rate`` instead of the configured one where given (the
        rules recipe's test-time learning)."""
        rate = self.learning_rate if learning_rate is None else learning_rate
        return SRNSchedule(rate, self.momentum, self.through_time, self.update_every)


@dataclass(frozen=True, kw_only=True)
class StreamSettings:
    """stream: how a frozen test pass follows training."""

    # The papers set the context once and never reset it: by default the test stream goes on
    # from the context training ended with. False: the test starts at context_start.
    carry_context: bool = True


@dataclass(frozen=True, kw_only=True)
class SRNSettings(SRNNetworkSettings, TrainingSchedule):
    """An SRN experiment's network and training schedule, and the seed of its random streams.

    ``__post_init__`` runs every group's checks; a recipe that adds checks of its own calls
    ``super().__post_init__()`` first, so every mistake in a shared setting reads the same in
    every recipe.
    """

    seed: int = 0  # every random stream (weights, data, order, test) derives from it

    def __post_init__(self) -> None:
        check_values(self)  # types, finite numbers, shared ranges (config.check_fields)
        self.check_network(self.loss)
        self.check_schedule()

    def network(self, n_in: int, n_out: int) -> SRN:
        return self.srn(n_in, n_out, self.loss)
