"""Numba's disk cache of the compiled kernels, kept true to the sources.

Numba checks a cached kernel against the file that defines it, not against the files of the
functions it compiles in: the kernels compile the unit functions of ``activations``, the
clip of ``losses`` and the truncation rule of ``srn_reference``. An edit there would leave
the cached kernels computing the old formula, silently. So the kernels' sources are hashed
together, the hash is kept beside the cache, and where it differs the cached kernels are
deleted before any is loaded (they compile again, seconds, on first use).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

#: Every source file a compiled kernel is made from.
SOURCES = (
    "activations.py",
    "losses.py",
    "srn_model.py",
    "srn_reference.py",
    "kernels_units.py",
    "kernels_srn_step.py",
    "kernels_srn_copyback.py",
    "kernels_srn_general.py",
    "kernels_ff.py",
)
HERE = Path(__file__).resolve().parent
STAMP = "kernels.sources.sha256"


def sources_digest(folder: Path = HERE) -> str:
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update(name.encode() + b"\0" + (folder / name).read_bytes() + b"\0")
    return digest.hexdigest()


def forget_stale_kernels(folder: Path = HERE) -> bool:
    """Delete the cached kernels in ``folder/__pycache__`` if the sources changed since they
    were cached; True if it deleted any. A cache folder that cannot be written is left alone
    (Numba then keeps its cache elsewhere, or none)."""
    cache = folder / "__pycache__"
    stamp = cache / STAMP
    digest = sources_digest(folder)
    try:
        if stamp.read_text() == digest:
            return False
    except OSError:
        pass  # no stamp yet: a cache made before this check, or none
    stale = [
        path
        for pattern in ("*.nbi", "*.nbc")
        for path in cache.glob(pattern)
        if path.name.split(".")[0] in {Path(name).stem for name in SOURCES}
    ]
    try:
        for path in stale:
            path.unlink(missing_ok=True)
        cache.mkdir(exist_ok=True)
        stamp.write_text(digest)
    except OSError:
        return False
    return bool(stale)
