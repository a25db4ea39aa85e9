"""A project's data files, read once, hashed, and turned into training and test streams.

Two kinds of data:

- **a corpus** (text): items are letters or whitespace-separated words; ``boundaries`` says
  what whitespace marks (word boundaries between letters, or sentences on lines). Each item is
  coded localist (one unit per symbol, the symbols in sorted order) or by a feature table (a
  CSV: the symbol, then one number per feature, with a header naming the features). The task
  is Elman's: predict the next item. The stream wraps around (the last item's target is the
  first), as every built-in recipe's does, so a corpus of T items gives T steps per pass.
- **patterns** (numbers): a CSV with a header (``inputs`` and ``targets`` name the columns;
  a ``label`` column names each row; for an SRN, a ``sequence`` column starts a new sequence,
  with the context reset, wherever its value changes, and a ``position`` column says where
  each row's target stands), or ``.npy`` (a 2-D array, columns by
  number) / ``.npz`` (arrays ``inputs`` and ``targets``, optionally ``labels``).

The bytes of every file are kept (so a worker process or a Dask worker needs no shared file
system) with their SHA-256, which the run folder records: a rerun with changed data is
refused, never mixed with the old results.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from srnlab.checks import fits_in_memory, network_bytes
from srnlab.config import finite_float
from srnlab.errors import UserError
from srnlab.project.settings import DataSettings, ProjectConfig

Array = np.ndarray

#: A numeric cell of a patterns or feature file must parse as a finite float.
MAX_DATA_BYTES = 2_000_000_000


@dataclass(frozen=True)
class DataFile:
    """One data file as read: the name the project file gives it, its bytes and hash."""

    name: str
    content: bytes

    @functools.cached_property
    def sha256(self) -> str:  # once per file: the recipe's name and every run record it
        return hashlib.sha256(self.content).hexdigest()


def data_file_names(config: ProjectConfig) -> list[str]:
    """Every data file the config reads, as the project file names them."""
    names = [config.data.corpus, config.data.patterns, config.test.corpus, config.test.patterns]
    if config.data.encoding != "localist":
        names.append(config.data.encoding)
    return [n for n in names if n]


def read_data_files(config: ProjectConfig, folder: Path, project: Path) -> dict[str, DataFile]:
    """Read every data file (paths relative to the project file's folder) into memory, after
    checking that they fit: a corpus too large for memory is refused before it is read."""
    files = {}
    for name in data_file_names(config):
        path = folder / name
        if not path.is_file():
            what = "is not a file" if path.exists() else "does not exist"
            raise UserError(f"{project}: data file {name} {what} (looked in {folder})")
        size = path.stat().st_size
        check_memory(config, size, name)
        try:
            files[name] = DataFile(name, path.read_bytes())
        except OSError as exc:
            raise UserError(f"{project}: cannot read {name}: {exc.strerror}") from None
    return files


def check_memory(config: ProjectConfig, n_bytes: int, name: str) -> None:
    """Refuse, with the estimate, data whose streams would not fit in memory.

    Every byte of a corpus may be one step, in training and again in testing; a step keeps
    its input and target codes, the test's outputs, hidden states and the ideal predictor's
    outputs (float64). The widths are not known before the file is read, so the estimate
    takes 8 units per code: a lower bound, which is what a refusal must be."""
    hidden = sum(config.network.layers)
    width = 4 * 8 + 2 * hidden
    if n_bytes > MAX_DATA_BYTES:
        raise UserError(f"{name}: {n_bytes:,} bytes is more than a corpus srnlab reads")
    fits_in_memory(
        network_bytes(0, 2 * n_bytes, width, config.training.passes),
        f"{name} ({n_bytes:,} bytes) as training and test streams",
    )


def text_of(file: DataFile) -> str:
    try:
        return file.content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{file.name}: not UTF-8 text (byte {exc.start})") from None


# ---- corpora ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tokens:
    """A corpus as items, and where groups (words, sentences) begin; ``begins`` is None when
    the corpus marks no boundaries."""

    items: tuple[str, ...]
    begins: Array | None  # (T,) bool: item t is the first of its group


def tokenize(text: str, data: DataSettings, name: str) -> Tokens:
    """The items of a corpus text. Whitespace is never an item; ``data.boundaries`` says
    whether spaces (letters into words) or line breaks (sentences) mark group starts."""
    chunks = text.splitlines() if data.boundaries == "line" else [text]
    items: list[str] = []
    begins: list[bool] = []
    for chunk in chunks:
        words = chunk.split()
        if data.unit == "word":
            units = [words]  # a line is a group (boundaries "line"); else one flat stream
        elif data.boundaries == "space":
            units = [list(word) for word in words]
        else:
            units = [[ch for word in words for ch in word]]
        for unit in units:
            for k, item in enumerate(unit):
                items.append(item)
                begins.append(k == 0)
    if not items:
        raise UserError(f"{name}: the corpus is empty (no items after removing whitespace)")
    known = data.boundaries != "none"
    return Tokens(tuple(items), np.array(begins, dtype=bool) if known else None)


@dataclass(frozen=True)
class Encoding:
    """How symbols become input and target vectors."""

    symbols: tuple[str, ...]
    codes: Array  # (S, width): the code of each symbol, a row per symbol
    features: tuple[str, ...]  # the unit names: the symbols (localist) or the feature names
    localist: bool

    @property
    def width(self) -> int:
        return int(self.codes.shape[1])

    def indices(self, items: Sequence[str], name: str) -> Array:
        where = {s: i for i, s in enumerate(self.symbols)}
        try:
            return np.array([where[item] for item in items], dtype=np.int64)
        except KeyError as exc:
            raise UserError(
                f"{name}: the symbol {exc.args[0]!r} is not in the encoding table"
            ) from None


def localist(symbols: Sequence[str]) -> Encoding:
    ordered = tuple(sorted(set(symbols)))
    return Encoding(ordered, np.eye(len(ordered)), ordered, True)


def read_feature_table(file: DataFile) -> Encoding:
    """A CSV table: a header (symbol, feature names...), then one row per symbol."""
    rows = _csv_rows(file)
    (_, header), body = rows[0], rows[1:]
    if len(header) < 2:
        raise UserError(f"{file.name}:1: the header needs the symbol column and >= 1 feature")
    if not body:
        raise UserError(f"{file.name}: the encoding table has no symbols")
    symbols: list[str] = []
    codes = []
    for line, row in body:
        if len(row) != len(header):
            raise UserError(
                f"{file.name}:{line}: {len(row)} cells, the header has {len(header)}; "
                "every row needs the symbol and one value per feature"
            )
        symbol = row[0].strip()
        if symbol in symbols:
            raise UserError(f"{file.name}:{line}: the symbol {symbol!r} is given twice")
        symbols.append(symbol)
        codes.append([_number(cell, file.name, line) for cell in row[1:]])
    return Encoding(tuple(symbols), np.array(codes, dtype=float), tuple(header[1:]), False)


def _csv_rows(file: DataFile) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every non-empty row; the first is the header."""
    reader = csv.reader(io.StringIO(text_of(file)))
    rows = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, [cell.strip() for cell in row]))
    except csv.Error as exc:
        raise UserError(f"{file.name}:{reader.line_num}: not valid CSV: {exc}") from None
    if not rows:
        raise UserError(f"{file.name}: the file is empty")
    return rows


def _number(cell: str, name: str, line: int) -> float:
    return finite_float(cell, lambda wanted: f"{name}:{line}: {cell!r} is not {wanted}")


# ---- patterns (numbers) -------------------------------------------------------------------


@dataclass(frozen=True)
class Patterns:
    """Rows of numbers: inputs, targets (None: predict the next input row), row labels, the
    sequence each row belongs to (an SRN's context resets where it changes) and, from a
    ``position`` column, where each row's target stands (for the error by position)."""

    inputs: Array
    targets: Array | None
    labels: tuple[str, ...]
    sequences: Array | None  # (T,) the sequence column's values, or None
    positions: Array | None = None  # (T,) the position column's values, or None


def read_patterns(file: DataFile, data: DataSettings) -> Patterns:
    suffix = Path(file.name).suffix.lower()
    if suffix == ".npz":
        return _patterns_npz(file)
    if suffix == ".npy":
        return _patterns_npy(file, data)
    return _patterns_csv(file, data)


def _patterns_csv(file: DataFile, data: DataSettings) -> Patterns:
    rows = _csv_rows(file)
    (_, header), body = rows[0], rows[1:]
    if not body:
        raise UserError(f"{file.name}: no rows under the header")
    column = {name: k for k, name in enumerate(header)}

    def columns(names: tuple[str, ...], key: str) -> list[int]:
        if not names:
            raise UserError(f"{file.name}: the project file must name the {key} columns")
        missing = [n for n in names if n not in column]
        if missing:
            raise UserError(
                f"{file.name}: no column {missing[0]!r} (data.{key}); the header has "
                f"{', '.join(header)}"
            )
        return [column[n] for n in names]

    inputs = columns(data.inputs, "inputs")
    targets = columns(data.targets, "targets") if data.targets else None
    values = []
    for line, row in body:
        if len(row) != len(header):
            raise UserError(f"{file.name}:{line}: {len(row)} cells, the header has {len(header)}")
        wanted = inputs + (targets or [])
        values.append([_number(row[k], file.name, line) for k in wanted])
    array = np.array(values, dtype=float)
    n_in = len(inputs)
    labels = tuple(row[column["label"]] for _, row in body) if "label" in column else ()
    sequences = (
        np.array([row[column["sequence"]] for _, row in body]) if "sequence" in column else None
    )
    positions = (
        np.array([row[column["position"]] for _, row in body]) if "position" in column else None
    )
    if positions is not None and all(p.lstrip("-").isdigit() for p in positions):
        positions = positions.astype(np.int64)  # numbered positions sort as numbers
    return Patterns(
        array[:, :n_in],
        array[:, n_in:] if targets else None,
        labels or _row_labels(array[:, :n_in]),
        sequences,
        positions,
    )


def _row_labels(inputs: Array) -> tuple[str, ...]:
    """A row's label where none is given: its input values ("0 1")."""
    return tuple(" ".join(f"{v:g}" for v in row) for row in inputs)


def _load_array_file(file: DataFile) -> object:
    try:
        return np.load(io.BytesIO(file.content), allow_pickle=False)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise UserError(f"{file.name}: not a readable numpy file ({exc})") from None


def _finite(array: Array, name: str, what: str) -> Array:
    if array.dtype.kind not in "fiub":
        raise UserError(f"{name}: {what} must be numbers, got dtype {array.dtype}")
    array = np.asarray(array, dtype=float)
    if not np.all(np.isfinite(array)):
        raise UserError(f"{name}: {what} hold NaN or infinite values")
    return array


def _patterns_npy(file: DataFile, data: DataSettings) -> Patterns:
    array = _load_array_file(file)
    if not isinstance(array, np.ndarray) or array.ndim != 2:
        raise UserError(f"{file.name}: a .npy pattern file holds one 2-D array (rows, columns)")
    array = _finite(array, file.name, "patterns")

    def columns(names: tuple[str, ...], key: str) -> list[int]:
        try:
            numbers = [int(n) for n in names]
        except ValueError:
            raise UserError(f"{file.name}: data.{key} are column numbers for .npy") from None
        if not numbers or min(numbers) < 0 or max(numbers) >= array.shape[1]:
            raise UserError(f"{file.name}: data.{key} must be columns 0 to {array.shape[1] - 1}")
        return numbers

    inputs = array[:, columns(data.inputs, "inputs")]
    targets = array[:, columns(data.targets, "targets")] if data.targets else None
    return Patterns(inputs, targets, _row_labels(inputs), None)


def _patterns_npz(file: DataFile) -> Patterns:
    archive = _load_array_file(file)
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise UserError(f"{file.name}: not an .npz archive")
    with archive:
        if "inputs" not in archive.files:
            raise UserError(f"{file.name}: needs an array named 'inputs' (has {archive.files})")
        inputs = _finite(archive["inputs"], file.name, "inputs")
        targets = (
            _finite(archive["targets"], file.name, "targets")
            if "targets" in archive.files
            else None
        )
        labels = tuple(str(x) for x in archive["labels"]) if "labels" in archive.files else ()
    for array, what in ((inputs, "inputs"), (targets, "targets")):
        if array is not None and array.ndim != 2:
            raise UserError(f"{file.name}: {what} must be 2-D (rows, units)")
    if targets is not None and len(targets) != len(inputs):
        raise UserError(f"{file.name}: {len(inputs)} input rows but {len(targets)} target rows")
    return Patterns(inputs, targets, labels or _row_labels(inputs), None)
