"""What ``srnlab worksheet --out DIR`` writes: the worksheet as Markdown, tidy CSV and a live
.xlsx workbook, the network diagrams before and after, and a manifest that marks the folder as
the worksheet's own, so that running the same command again may refresh it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from srnlab.commands.worksheet_inputs import dashed
from srnlab.errors import UserError
from srnlab.explain import explain_pattern
from srnlab.explain_records import Worksheet
from srnlab.fileio import StagedFolder, check_new_path
from srnlab.params import params_from_named
from srnlab.worksheet_render import render_csv, render_markdown, write_xlsx

FIGURE_STEMS = ("network", "network_final")
OUTPUT_FILES = (
    "worksheet.md",
    "worksheet.csv",
    "worksheet.xlsx",
    *(f"{stem}.{ext}" for stem in FIGURE_STEMS for ext in ("png", "svg")),
)

#: written beside the worksheet's files: the folder is one `srnlab worksheet --out` wrote, so a
#: rerun may replace the files it wrote there (in any other folder they need --force)
MANIFEST = "manifest.json"
MANIFEST_DATA = {"srnlab": "worksheet", "files": list(OUTPUT_FILES)}


def check_out(folder: Path, force: bool) -> None:
    """Refuse an ``--out`` folder the worksheet may not write into, before any work."""
    if folder.exists() and not folder.is_dir():
        raise UserError(f"--out {folder} is a file; give a folder")
    if folder.exists():
        if _is_worksheet_folder(folder):
            return  # our own earlier output: the rerun refreshes it
        for name in (*OUTPUT_FILES, MANIFEST):
            check_new_path(folder / name, force)
    elif not folder.parent.exists():
        raise UserError(f"folder {folder.parent} does not exist")


def _is_worksheet_folder(folder: Path) -> bool:
    """Did `srnlab worksheet --out` write this folder (its manifest says so)?"""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("srnlab") == "worksheet"


def write_out(folder: Path, force: bool, worksheet: Worksheet, digits: int) -> list[Path]:
    """Write every output file into ``folder``, all or nothing as far as the disk allows.

    A new folder is built under a temporary name and renamed into place (``StagedFolder``);
    into an existing folder the files are written to a hidden staging folder beside them first
    and moved in only once all of them exist, so a failure leaves the folder as it was.
    """
    if not folder.exists():
        with StagedFolder(folder, force) as staging:
            _write_files(staging, worksheet, digits)
        return [folder / name for name in OUTPUT_FILES]
    staging = Path(tempfile.mkdtemp(prefix=".worksheet.", suffix=".partial", dir=folder))
    try:
        _write_files(staging, worksheet, digits)
        for name in (*OUTPUT_FILES, MANIFEST):
            os.replace(staging / name, folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in OUTPUT_FILES]


def _write_files(folder: Path, worksheet: Worksheet, digits: int) -> None:
    text_files: dict[str, Callable[[], str]] = {
        "worksheet.md": lambda: render_markdown(worksheet, digits=digits),
        "worksheet.csv": lambda: render_csv(worksheet),
    }
    for name, render in text_files.items():
        (folder / name).write_text(render(), encoding="utf-8")
    write_xlsx(worksheet, folder / "worksheet.xlsx")
    _write_diagrams(folder, worksheet)
    (folder / MANIFEST).write_text(json.dumps(MANIFEST_DATA, indent=2) + "\n", encoding="utf-8")


def _write_diagrams(folder: Path, worksheet: Worksheet) -> None:
    from srnlab import plots  # matplotlib loads only when diagrams are drawn

    network = worksheet.network
    first = worksheet.order[0]
    x, y = worksheet.inputs[first], worksheet.targets[first]
    label = f"pattern {first + 1} ({' '.join(f'{v:g}' for v in x)})"
    for stem, weights, when in (
        ("network", worksheet.initial_weights, "initial weights"),
        ("network_final", worksheet.final_weights, f"after update {len(worksheet.updates)}"),
    ):
        record = explain_pattern(network, weights, x, y, pattern=first)
        fig = plots.network_diagram(
            network,
            params_from_named(network.sizes, dict(weights)),
            activations=record.activations_by_layer(),
            title=f"{dashed(network.sizes)} network, {when}, {label}",
        )
        plots.save_figure(fig, folder, stem)
