"""Writing files so that nothing already there is lost, and reading the user's files safely.

Rules every command follows:
- validate everything *before* writing anything;
- never overwrite an existing file or run folder unless the user passed ``--force``;
- write to a temporary name in the same folder and rename it into place, so a crash or a
  Ctrl-C never leaves a half-written file under the final name.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from srnlab.errors import UserError


def check_new_path(path: Path, force: bool) -> None:
    """Refuse to replace an existing file or folder unless ``force``."""
    if path.exists() and not force:
        kind = "folder" if path.is_dir() else "file"
        raise UserError(f"{path} already exists ({kind}); pass --force to replace it")
    if not path.parent.exists():
        raise UserError(f"folder {path.parent} does not exist")


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp_path)`` then move the finished file to ``path`` in one rename."""
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file normal permissions
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _umask() -> int:
    """The process's file-creation mask (read by setting it, then putting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: Path, text: str) -> None:
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_json(path: Path, data: Any) -> None:
    write_text(path, json.dumps(data, indent=2, sort_keys=False) + "\n")


def read_json(path: Path, what: str) -> Any:
    """Parse a user's JSON file; a missing or malformed file is a one-line UserError."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{what} file {path} does not exist")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise UserError(
            f"{what} file {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg})"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {what} file {path}: {exc}") from None


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
        self.tmp = Path(tempfile.mkdtemp(prefix=prefix, suffix=".partial", dir=self.final.parent))
        self.tmp.chmod(0o777 & ~_umask())  # mkdtemp makes 0700; a run folder is a normal folder
        return self.tmp

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        assert self.tmp is not None
        if exc_type is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            return
        if self.final.exists():
            old = self.final.with_name(f".{self.final.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(self.final, old)
            os.replace(self.tmp, self.final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(self.tmp, self.final)
