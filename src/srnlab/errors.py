"""The one exception type a user is meant to see, and the name lookup that raises it.

Anything the user can get wrong (a config key, a file, a shape) raises ``UserError`` with a
message that names the problem and what is valid. The CLI turns it into one line on stderr and
exit code 2; everything else is a bug and keeps its traceback.
"""

from collections.abc import Mapping
from typing import TypeVar

Entry = TypeVar("Entry")


class UserError(ValueError):
    """Bad input from the user: a clear one-line message, never a traceback."""


def look_up(table: Mapping[str, Entry], name: str, what: str) -> Entry:
    """``table[name]``, or a UserError that names ``what`` was asked for and lists the valid
    names (sorted): the lookup behind every named registry (activations, losses)."""
    try:
        return table[name]
    except KeyError:
        valid = ", ".join(sorted(table))
        raise UserError(f"unknown {what} {name!r}; valid: {valid}") from None
