"""Run folders: what a run writes, in formats that are safe to load (JSON, CSV, .npz).

A run folder holds

    config.json    the resolved config, the recipe's name, and the versions that produced it
    metrics.json   every number the run reports
    history.csv    one row per epoch (or pass)
    arrays.npz     learned parameters and analysis arrays (loaded with allow_pickle=False)
    (others)       text files a recipe names in ``RunResult.files`` (a tlearn run's weights.wts)
    figures/       every figure as PNG and SVG, redrawable from the files above

Nothing here trains or plots; recipes produce a ``RunResult`` and this module stores it.
"""

from __future__ import annotations

import csv
import io
import json
import platform
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from srnlab import __version__
from srnlab.errors import UserError
from srnlab.fileio import json_text, write_bytes
from srnlab.run_result import RunResult

Array = np.ndarray


def versions() -> dict[str, str]:
    import matplotlib
    import scipy

    return {
        "srnlab": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "matplotlib": matplotlib.__version__,
    }


def history_to_csv(history: dict[str, list[Any]]) -> str:
    columns = list(history)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    numbers = [_number_column(history[c]) for c in columns]
    if all(column is not None for column in numbers):
        # Numbers never need csv's quoting, so their rows are the cells joined by commas: the
        # same text as the writer's, without its call per cell (most of a history's time).
        rows = zip(*numbers, strict=True)
        buffer.write("".join(f"{line}\n" for line in map(",".join, rows)))
    else:
        for row in zip(*(history[c] for c in columns), strict=True):
            writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue()


def _number_column(values: list[Any]) -> list[str] | None:
    """A column of plain floats, ints or bools (one type) as its csv cells, the text that
    ``_csv_cell`` and the csv writer make of them; None for any other column."""
    kinds = set(map(type, values))
    if kinds == {float}:
        return list(map(float.__repr__, values))
    if kinds == {int}:
        return list(map(str, values))
    if kinds == {bool}:
        return [str(int(v)) for v in values]
    return None


def _csv_cell(value: Any) -> Any:
    if isinstance(value, bool | np.bool_):
        return int(value)
    if isinstance(value, float):
        return repr(value)  # shortest text that reads back to the same float
    return value


def check_converged(result: RunResult) -> None:
    """A run whose trained weights (the ``final_`` arrays) hold inf or NaN diverged: its
    numbers mean nothing, so it is an error that says what to change, not a folder of nulls."""
    for name, array in result.arrays.items():
        values = np.asarray(array)
        if "final_" in name and values.dtype.kind == "f" and not np.isfinite(values).all():
            raise UserError(
                f"training diverged: the trained weights ({name}) hold inf or NaN; use a "
                "smaller learning_rate or init_range, or bounded activations"
            )


def save_run(result: RunResult, folder: Path) -> None:
    """Write the run's files into ``folder`` (which must exist; figures are drawn elsewhere)."""
    for name, data in run_files(result).items():
        write_bytes(Path(folder) / name, data)


def run_files(result: RunResult) -> dict[str, bytes]:
    """The run folder's files (figures aside) by name, as the bytes ``save_run`` writes: a
    worker sends them to the main process as they are, without a folder of its own."""
    header = {"recipe": result.recipe, "config": result.config, "versions": versions()}
    files = {
        "config.json": json_text(header).encode("utf-8"),
        "metrics.json": json_text(_jsonable(result.metrics)).encode("utf-8"),
    }
    if result.history:
        files["history.csv"] = history_to_csv(result.history).encode("utf-8")
    if result.arrays:
        files["arrays.npz"] = _npz_bytes(result.arrays)
    for name, text in result.files.items():  # e.g. a tlearn project's weights.wts
        if Path(name).name != name or name.startswith("."):
            raise ValueError(f"a run folder's extra file needs a plain name, got {name!r}")
        files[name] = text.encode("utf-8")
    return files


def _npz_bytes(arrays: dict[str, Array]) -> bytes:
    buffer = io.BytesIO()
    named: dict[str, Any] = {k: np.asarray(v) for k, v in arrays.items()}
    np.savez(buffer, **named)
    return buffer.getvalue()


def load_run(folder: Path) -> RunResult:
    """Read a run folder back (no pickle anywhere). A file that is missing, unreadable or not
    what srnlab writes is a one-line ``UserError``: "FOLDER is damaged: FILE: reason"."""
    folder = Path(folder)
    config_path = folder / "config.json"
    if not config_path.is_file() and not config_path.exists():
        raise UserError(f"{folder} is not a run folder (no config.json)")
    header = _read_json(config_path)
    if (
        not isinstance(header, dict)
        or not isinstance(header.get("recipe"), str)
        or not isinstance(header.get("config"), dict)
    ):
        raise damaged(config_path, "no recipe name and config object: not written by srnlab")
    metrics = _read_json(folder / "metrics.json")
    if not isinstance(metrics, dict):
        raise damaged(folder / "metrics.json", "not a JSON object")
    history_path = folder / "history.csv"
    history = _read_history(history_path) if history_path.exists() else {}
    arrays_path = folder / "arrays.npz"
    arrays = _read_arrays(arrays_path) if arrays_path.exists() else {}
    return RunResult(header["recipe"], header["config"], metrics, history, arrays)


def damaged(path: Path, reason: str) -> UserError:
    """The error for a run folder's file that cannot be used."""
    reason = " ".join(reason.split())
    reason = reason if len(reason) <= 200 else reason[:197] + "..."
    return UserError(f"{path.parent} is damaged: {path.name}: {reason}")


def _read_json(path: Path) -> Any:
    """A run folder's JSON file, or a one-line UserError saying what is wrong with it."""
    if not path.exists():
        return _missing(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise damaged(path, f"not valid JSON ({exc})") from None
    except RecursionError:
        raise damaged(path, "nested too deeply") from None
    except ValueError as exc:  # a number too long to convert
        raise damaged(path, str(exc)) from None
    except OSError as exc:
        raise damaged(path, exc.strerror or str(exc)) from None


def _missing(path: Path) -> Any:
    raise damaged(path, "missing (the run folder is incomplete)")


def _read_history(path: Path) -> dict[str, list[Any]]:
    """history.csv: a header row and rows of the same width."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise damaged(path, str(exc)) from None
    if not rows or not rows[0]:
        raise damaged(path, "empty: no header row")
    columns = rows[0]
    if len(set(columns)) < len(columns):
        raise damaged(path, "a column name appears twice")
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(columns):
            raise damaged(path, f"line {number} has {len(row)} cells, the header {len(columns)}")
    return {c: _parse_column([r[i] for r in rows[1:]]) for i, c in enumerate(columns)}


def _read_arrays(path: Path) -> dict[str, Array]:
    """arrays.npz, with pickle refused: an object array is an error, never loaded."""
    try:
        if not zipfile.is_zipfile(path):
            raise damaged(path, "not a .npz archive (not a zip file)")
        with np.load(path, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    except UserError:
        raise
    except ValueError as exc:
        if "allow_pickle" in str(exc):
            reason = "holds an object array, which only pickle could load; refused"
            raise damaged(path, reason) from None
        raise damaged(path, str(exc)) from None
    except Exception as exc:  # zipfile, zlib, EOF, OS errors: whatever a damaged archive raises
        raise damaged(path, f"{type(exc).__name__}: {exc}") from None


def _parse_column(texts: list[str]) -> list[Any]:
    """A column's cells, each as ``_parse_cell`` reads it; a column of ints, or of floats
    each written with a point, in one ``map`` (a history is thousands of rows)."""
    try:
        return list(map(int, texts))
    except ValueError:
        pass
    if all("." in text for text in texts):  # int() refuses each: _parse_cell tries float
        try:
            return list(map(float, texts))
        except ValueError:
            pass
    return list(map(_parse_cell, texts))


def _parse_cell(text: str) -> Any:
    """An int if the text is one, else a float if it is one, else the text."""
    if "." not in text:  # int() refuses every text with a point: floats skip that attempt
        try:
            return int(text)
        except ValueError:
            pass
    try:
        return float(text)
    except ValueError:
        return text


def _jsonable(value: Any) -> Any:
    """Plain JSON types from numpy scalars and arrays (NaN becomes null)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        return None if not np.isfinite(value) else float(value)
    return value
