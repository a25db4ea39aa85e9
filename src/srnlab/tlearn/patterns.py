"""The ``.data``, ``.teach`` and ``.reset`` files: what the network sees, what it should
answer, and where its activations go back to 0.

    distributed        localist
    4                  4
    1 0                1
    0 1                2
    ...                1,3        (the inputs that are on; .teach: the one output that is on)

A ``.teach`` value ``*`` is "don't care" (no error); it is read as NaN. A ``.reset`` file is a
count, then that many 0-based sweep numbers within a pass. Values are read as words, so a row
may wrap over lines as in tlearn; errors name the line of the word at fault.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np

from srnlab.errors import UserError
from srnlab.tlearn.lists import ListError, parse_list

Array = np.ndarray
DONT_CARE = "*"


class _Words:
    """A file's words with their line numbers."""

    def __init__(self, text: str, name: str) -> None:
        self.name = name
        self.words = [
            (number, word)
            for number, line in enumerate(text.splitlines(), start=1)
            for word in line.split()
        ]
        self.position = 0

    def take(self, what: str) -> str:
        if self.position >= len(self.words):
            last = self.words[-1][0] if self.words else 1
            raise UserError(f"{self.name}:{last}: the file ends where {what} should be")
        self.position += 1
        return self.words[self.position - 1][1]

    def error(self, problem: str) -> UserError:
        number = self.words[max(self.position - 1, 0)][0] if self.words else 1
        return UserError(f"{self.name}:{number}: {problem}")

    def check_end(self, count: int, what: str) -> None:
        if self.position < len(self.words):
            number = self.words[self.position][0]
            raise UserError(
                f"{self.name}:{number}: more {what} than the count {count} at the top says"
            )


def read_text(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read it ({exc})") from None


def _count(words: _Words, noun: str, minimum: int) -> int:
    """The count at the top of a file: how many ``noun`` follow, a whole number >= minimum."""
    what = f"the number of {noun}"
    return whole_number(words.take(what), minimum, what, f"expected {what}", words.error)


def whole_number(
    text: str, minimum: int, what: str, not_whole: str, error: Callable[[str], UserError]
) -> int:
    """``text`` read as a whole number of at least ``minimum`` (a count or a size in a tlearn
    file); otherwise ``error`` of '{not_whole}, got {text!r}' or '{what} must be >= ...'."""
    try:
        value = int(text)
    except ValueError:
        raise error(f"{not_whole}, got {text!r}") from None
    if value < minimum:
        raise error(f"{what} must be >= {minimum}, got {value}")
    return value


def parse_patterns(text: str, width: int, name: str, teach: bool) -> Array:
    """(count, width) float64 rows of a ``.data`` (``teach=False``) or ``.teach`` file."""
    words = _Words(text, name)
    form = words.take("distributed or localist")
    if form not in ("distributed", "localist"):
        raise words.error(f'the first word must be "distributed" or "localist", got {form!r}')
    count = _count(words, "rows", minimum=1)
    rows = []  # grown row by row: a count far beyond the file ends at its last word
    for row in range(count):
        if form == "distributed":
            where = f"row {row + 1} of {count}"
            rows.append([_value(words, where, teach) for _ in range(width)])
        elif teach:
            rows.append(_one_hot(words, row, count, width))
        else:
            rows.append(_active_inputs(words, row, count, width))
    words.check_end(count, "values" if form == "distributed" else "rows")
    return np.array(rows, dtype=float).reshape(count, width)


def _value(words: _Words, where: str, teach: bool) -> float:
    text = words.take(f"a value of {where}")
    if teach and text == DONT_CARE:
        return math.nan
    try:
        value = float(text)
    except ValueError:
        star = " or *" if teach else ""
        raise words.error(f"expected a number{star} in {where}, got {text!r}") from None
    if not math.isfinite(value):
        raise words.error(f"values must be finite, got {text!r}")
    return value


def _one_hot(words: _Words, row: int, count: int, width: int) -> list[float]:
    text = words.take(f"row {row + 1} of {count}")
    try:
        unit = int(text)
    except ValueError:
        raise words.error(f"a localist .teach row is one output number, got {text!r}") from None
    if not 1 <= unit <= width:
        raise words.error(f"there is no output {unit}: outputs are 1-{width}")
    return [1.0 if k == unit - 1 else 0.0 for k in range(width)]


def _active_inputs(words: _Words, row: int, count: int, width: int) -> list[float]:
    text = words.take(f"row {row + 1} of {count}")
    try:
        # input numbers, written as nodes of a network with `width` nodes and no inputs
        units = parse_list(text, width, 0)
    except ListError as exc:
        raise words.error(str(exc).replace("node", "input")) from None
    if 0 in units:
        raise words.error("inputs are numbered from 1")
    return [1.0 if k + 1 in units else 0.0 for k in range(width)]


def parse_reset(text: str, name: str) -> list[int]:
    """The 0-based sweeps (within a pass) at which tlearn sets every activation back to 0."""
    words = _Words(text, name)
    count = _count(words, "resets", minimum=0)
    times: list[int] = []
    for k in range(count):
        text = words.take(f"reset {k + 1} of {count}")
        try:
            time = int(text)
        except ValueError:
            raise words.error(f"a reset is a sweep number (0, 1, ...), got {text!r}") from None
        if time < 0:
            raise words.error(f"a reset is a sweep number >= 0, got {time}")
        if times and time <= times[-1]:
            raise words.error(f"resets must be in increasing order ({time} after {times[-1]})")
        times.append(time)
    words.check_end(count, "resets")
    return times


# ---- writing ---------------------------------------------------------------------------------


def format_patterns(rows: Array) -> str:
    """A distributed ``.data``/``.teach`` file (NaN is written as ``*``)."""
    lines = ["distributed", str(len(rows))]
    for row in np.asarray(rows, dtype=float):
        lines.append(" ".join(DONT_CARE if math.isnan(v) else _number(v) for v in row))
    return "\n".join(lines) + "\n"


def format_reset(times: list[int]) -> str:
    return "\n".join([str(len(times)), *map(str, times)]) + "\n"


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(float(value))
