"""What recipe configs share: the checks their ``__post_init__`` runs, and the SRN and training
schedule that an SRN recipe's fields describe.

In one place so the messages read the same in every recipe, and each recipe's config says only
what is its own (its sizes, its choices).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from srnlab.errors import UserError
from srnlab.srn import SRN, SRNSchedule


def at_least(config: Any, minimum: int, *names: str) -> None:
    """Each named field is >= ``minimum``, or a UserError names the first that is not."""
    for name in names:
        value = getattr(config, name)
        if value < minimum:
            raise UserError(f"{name} must be >= {minimum}, got {value}")


def one_of(name: str, value: Any, valid: Collection[Any]) -> None:
    """``value`` is one of ``valid`` (a config built in code is not checked by the CLI parser)."""
    if value not in valid:
        raise UserError(f"{name} must be one of {', '.join(map(str, valid))}, got {value!r}")


def init_range_ok(config: Any) -> None:
    if not config.init_range >= 0:
        raise UserError(f"init_range must be >= 0, got {config.init_range}")


def srn_network(config: Any, n_in: int, n_out: int) -> SRN:
    """The n_in-hidden-n_out SRN of a config with the usual SRN fields (hidden, the two
    activations, loss, context_start); building it checks them."""
    return SRN(
        n_in,
        config.hidden,
        n_out,
        config.hidden_activation,
        config.output_activation,
        config.loss,
        config.context_start,
    )


def srn_schedule(config: Any, learning_rate: float | None = None) -> SRNSchedule:
    """The config's learning rate (or ``learning_rate``), momentum, through_time and
    update_every; building it checks them."""
    rate = config.learning_rate if learning_rate is None else learning_rate
    return SRNSchedule(rate, config.momentum, config.through_time, config.update_every)
