"""Run folders on disk, written so that nothing is lost and nothing half-written is kept: a
replication's files go into a temporary ``.seed-S.*.partial/`` beside the others, flushed to
disk, and one rename makes it ``seed-S/``; a ``seed-S/`` folder exists only complete, so a
rerun skips it, and the temporary folders a killed run left behind are cleared."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from srnlab.fileio import _umask
from srnlab.results import RunResult, load_run


def store(folder: Path, name: str, files: Mapping[str, bytes]) -> Path:
    """Write ``files`` as ``folder/name/`` so that it appears complete or not at all: into a
    temporary folder beside it, each file flushed to disk, then one rename (and the rename
    itself flushed), so not even a power cut leaves a half-written ``name/``."""
    final = folder / name
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".partial", dir=folder))
    try:
        tmp.chmod(0o777 & ~_umask())
        for relative, data in files.items():
            path = tmp / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            path.chmod(0o666 & ~_umask())
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _fsync_folder(folder)
    return final


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_partials(folder: Path) -> None:
    """Delete the temporary folders a killed run left behind (never a finished ``seed-S``)."""
    if folder.is_dir():
        for stale in folder.glob(".seed-*.partial"):
            shutil.rmtree(stale, ignore_errors=True)


def load_finished(folder: Path, all_seeds: Sequence[int]) -> list[RunResult]:
    """Every finished replication (``seed-S/``) of ``all_seeds`` in ``folder``, in seed order."""
    return [load_run(folder / f"seed-{s}") for s in all_seeds if (folder / f"seed-{s}").is_dir()]
