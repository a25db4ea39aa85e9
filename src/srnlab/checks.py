"""What experiment configs share: the checks their ``__post_init__`` runs (types, ranges,
memory), in one place so the messages read the same in every recipe. The SRN setting groups
that use them are ``srnlab.settings``.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from typing import Any

from srnlab.config import check_fields, check_ranges
from srnlab.errors import UserError


def check_values(config: Any) -> None:
    """The checks every recipe's config runs first: each field has its declared type, every
    number is finite and whole numbers are in [0, 2^32 - 1] (``config.check_fields``), and
    the settings several recipes share lie in their ranges (``config.RANGES``)."""
    check_fields(config)
    check_ranges(config)


def machine_memory() -> int | None:
    """This machine's physical memory in bytes (None where the OS does not say)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):  # pragma: no cover - Windows
        return None


def fits_in_memory(n_bytes: float, what: str) -> None:
    """Refuse, before anything starts, a job whose memory estimate exceeds the machine's
    memory, naming the estimate."""
    limit = machine_memory()
    if limit is not None and n_bytes > limit:
        raise UserError(
            f"{what} would need about {_bytes_text(n_bytes)} of memory (estimate), more than "
            f"this machine's {_bytes_text(limit)}; make it smaller"
        )


def _bytes_text(n_bytes: float) -> str:
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if n_bytes >= size:
            return f"{n_bytes / size:,.1f} {unit}"
    return f"{n_bytes / 1e3:,.1f} kB"


#: Copies of the weights a training run holds at once (initial, current, gradient, momentum,
#: the kernels' work copies and the final weights written out), and bytes per float.
_WEIGHT_COPIES = 8
_FLOAT = 8


def network_bytes(n_weights: float, steps: float, width: float, passes: float = 0) -> float:
    """A generous estimate of one run's memory: the weights' copies, ``steps`` time steps of
    ``width`` floats each (inputs, targets and the recorded activations of every stream), and
    a learning-curve row of Python objects per pass."""
    return _FLOAT * (_WEIGHT_COPIES * n_weights + steps * width) + 500 * passes


def srn_fits(config: Any, n_in: int, n_out: int, steps: float) -> None:
    """An SRN config (fields hidden, passes) whose streams hold ``steps`` time steps in all
    fits in this machine's memory."""
    hidden = config.hidden
    weights = hidden * (n_in + hidden + 1) + n_out * (hidden + 1)
    width = n_in + n_out + 3 * hidden  # input, target, hidden, context, output per step
    fits_in_memory(
        network_bytes(weights, steps, width, config.passes),
        f"a {n_in}-{hidden}-{n_out} SRN over {int(steps):,} time steps",
    )


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
