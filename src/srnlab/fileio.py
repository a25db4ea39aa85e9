"""Writing files so that nothing already there is lost, and reading the user's files safely.

Rules every command follows:
- validate everything *before* writing anything;
- never overwrite an existing file or run folder unless the user passed ``--force``;
- write to a temporary name in the same folder and rename it into place, so a crash or a
  Ctrl-C never leaves a half-written file under the final name.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from srnlab.errors import UserError


def check_new_path(path: Path, force: bool) -> None:
    """Refuse to replace an existing file or folder unless ``force``."""
    if path.exists() and not force:
        kind = "folder" if path.is_dir() else "file"
        raise UserError(f"{path} already exists ({kind}); pass --force to replace it")
    check_parent(path)


def check_parent(path: Path) -> None:
    """``path`` can be created: its folder exists and is a folder (not a file)."""
    parent = Path(path).parent
    check_parent_chain(path)  # the nearest folder that exists says what is wrong
    if not parent.is_dir():
        raise UserError(f"folder {parent} does not exist")


def make_parent(path: Path) -> None:
    """Create ``path``'s folder and the folders above it if needed; a file in the way or an
    operating-system error is a one-line ``UserError``."""
    parent = Path(path).parent
    check_parent_chain(path)
    with writing(parent):
        parent.mkdir(parents=True, exist_ok=True)


def check_parent_chain(path: Path) -> None:
    """No file stands where ``path``'s folders are (they may not exist yet)."""
    for above in Path(path).parents:
        if above.exists():
            if not above.is_dir():
                raise UserError(f"cannot write {path}: {above} is a file, not a folder")
            return


def os_error_reason(exc: OSError) -> str:
    """What went wrong, in the operating system's words ("No space left on device")."""
    return exc.strerror or str(exc) or type(exc).__name__


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turn an operating-system error while writing ``path`` (not a folder, read-only, no
    space, no permission) into one line that names the path and the reason. Whatever was
    being written cleans up on its way out (staged folders, temporary files)."""
    try:
        yield
    except BrokenPipeError:  # the reader of stdout went away: not a problem with the output
        raise
    except OSError as exc:
        where = _user_path(exc.filename or path)
        raise UserError(f"cannot write {where}: {os_error_reason(exc)}") from None


#: A temporary name of ours: ``.NAME.RANDOM.partial`` (a staged folder) or ``.tmp`` (a file).
_STAGING = re.compile(r"^\.(.+)\.[A-Za-z0-9_]+\.(?:partial|tmp)$")


def _user_path(name: object) -> Path:
    """The path the user knows for ``name``: each temporary component of ours replaced by
    the name it will be renamed to (the user never sees the temporary one)."""
    parts = [
        match.group(1) if (match := _STAGING.match(part)) else part
        for part in Path(str(name)).parts
    ]
    return Path(*parts)


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp_path)`` then move the finished file to ``path`` in one rename. An
    operating-system error is a ``UserError`` naming ``path``; the temporary file is removed."""
    path = Path(path)
    with writing(path):
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            write(tmp)
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600: give normal permissions
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _umask() -> int:
    """The process's file-creation mask (read by setting it, then putting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: Path, text: str) -> None:
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    write_atomic(path, lambda tmp: tmp.write_bytes(data))


def write_json(path: Path, data: Any) -> None:
    write_text(path, json_text(data))


def json_text(data: Any) -> str:
    """A JSON file's text as srnlab writes every one: indented, keys in order, a last newline."""
    return json.dumps(data, indent=2, sort_keys=False) + "\n"


def read_json(path: Path, what: str) -> Any:
    """Parse a user's JSON file; a missing or malformed file is a one-line UserError."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"{what} file {path} is a folder; give a JSON file")
    if not path.is_file():
        raise UserError(f"{what} file {path} does not exist")
    return parse_json(read_text(path, f"{what} file"), f"{what} file {path}")


#: The largest JSON file a user hands us (a weights or patterns file is a few kB).
MAX_JSON_BYTES = 20_000_000


def read_text(path: Path, what: str, limit: int = MAX_JSON_BYTES) -> str:
    """A text file's contents, or a one-line UserError (unreadable, not UTF-8, too large)."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise UserError(f"{what} {path} is {size:,} bytes; the limit is {limit:,}")
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{what} {path} is not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise UserError(f"cannot read {what} {path}: {os_error_reason(exc)}") from None


def parse_json(text: str, where: str) -> Any:
    """JSON text as Python values, or a one-line UserError: malformed, nested too deep, or
    holding a number too long to convert (Python caps the digits of an integer)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            f"{where} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise UserError(f"{where} is nested too deeply to be a JSON file of ours") from None
    except ValueError as exc:  # e.g. "Exceeds the limit (4300 digits) for integer string"
        raise UserError(f"{where} holds a value that cannot be read: {exc}") from None


class StagedFolder:
    """A folder built under a temporary name and moved into place only when complete.

    ``with StagedFolder(final, force) as tmp: ...write into tmp...``. On success the finished
    folder replaces ``final`` (an earlier folder there is removed only after the new one is
    complete, and only with ``force``); on any error the partial folder is deleted and ``final``
    is untouched.
    """

    def __init__(self, final: Path, force: bool = False) -> None:
        self.final = Path(final)
        self.force = force
        self.tmp: Path | None = None

    def __enter__(self) -> Path:
        check_new_path(self.final, self.force)
        prefix = f".{self.final.name}."
        with writing(self.final):
            self.tmp = Path(
                tempfile.mkdtemp(prefix=prefix, suffix=".partial", dir=self.final.parent)
            )
            self.tmp.chmod(0o777 & ~_umask())  # mkdtemp makes 0700: a run folder is normal
        return self.tmp

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        assert self.tmp is not None
        if exc_type is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
                raise UserError(f"cannot write {self.final}: {os_error_reason(exc)}") from None
            return
        try:
            with writing(self.final):
                self._move_into_place(self.tmp)
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)  # gone already unless the move failed

    def _move_into_place(self, tmp: Path) -> None:
        if not self.final.exists():
            os.replace(tmp, self.final)
            return
        old = self.final.with_name(f".{self.final.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(self.final, old)
        try:
            os.replace(tmp, self.final)
        except OSError:
            os.replace(old, self.final)  # put the earlier result back
            raise
        shutil.rmtree(old, ignore_errors=True)
