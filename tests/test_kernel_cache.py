"""The compiled kernels' disk cache is dropped when any source they are made from changes,
not only the file that defines them (Numba's own check)."""

from __future__ import annotations

import shutil
from pathlib import Path

from srnlab import kernel_cache


def _package_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "srnlab"
    folder.mkdir()
    for name in kernel_cache.SOURCES:
        shutil.copy(kernel_cache.HERE / name, folder / name)
    (folder / "__pycache__").mkdir()
    return folder


def _cached(folder: Path) -> list[str]:
    return sorted(
        p.name for p in (folder / "__pycache__").iterdir() if p.suffix in {".nbi", ".nbc"}
    )


def test_an_edit_to_a_formula_elsewhere_drops_the_cached_kernels(tmp_path):
    folder = _package_copy(tmp_path)
    assert kernel_cache.forget_stale_kernels(folder) is False  # nothing cached yet
    kernels = ["kernels_srn_copyback.train_pass-1.py311.nbi", "kernels_ff._forward-2.py311.nbc"]
    other = "something_else.f-3.py311.nbi"  # not a kernel of ours: left alone
    for name in [*kernels, other]:
        (folder / "__pycache__" / name).write_bytes(b"compiled")
    assert kernel_cache.forget_stale_kernels(folder) is False  # same sources: kept
    assert _cached(folder) == sorted([*kernels, other])

    activations = folder / "activations.py"
    activations.write_text(activations.read_text() + "\n# an edited formula\n")
    assert kernel_cache.forget_stale_kernels(folder) is True
    assert _cached(folder) == [other]
    assert kernel_cache.forget_stale_kernels(folder) is False  # the new sources are stamped


def test_the_installed_cache_is_stamped_with_the_current_sources():
    """Importing the kernels stamps their cache with the sources as they are now."""
    import srnlab.kernels_units  # noqa: F401  (the check runs on import)

    stamp = kernel_cache.HERE / "__pycache__" / kernel_cache.STAMP
    assert stamp.read_text() == kernel_cache.sources_digest()
