"""tlearn test data: the XOR example shipped with tlearn, an SRN project, and a helper."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: tlearn's XOR example, copied into the repository (always there)
XOR_FILES = Path(__file__).resolve().parent / "data" / "tlearn"
#: the same files as the project ships them beside the clone (CI lays shared/ there)
SHARED = REPO.parent / "shared" / "tlearn"


def xor_folders() -> list:
    """Both copies of the example; the shared one is skipped, with a reason, when absent."""
    shared = pytest.param(
        SHARED,
        id="shared",
        marks=pytest.mark.skipif(
            not (SHARED / "xor.2000.wts").is_file(), reason=f"{SHARED} is not there"
        ),
    )
    return [pytest.param(XOR_FILES, id="tests-data"), shared]


#: Elman's SRN as a tlearn project: hidden 1-2, output 3, copy units 4-5.
SRN_CF = """\
NODES:
nodes = 5
inputs = 1
outputs = 1
output node is 3
CONNECTIONS:
groups = 0
1-3 from 0
1-2 from i1
1-2 from 4-5
3 from 1-2
4-5 from 1-2 = 1. & 1. fixed one-to-one
SPECIAL:
linear = 4-5
weight_limit = 1.0
selected = 1-2
"""


def write_project(folder: Path, stem: str, cf: str, data: str, teach: str) -> Path:
    (folder / f"{stem}.cf").write_text(cf)
    (folder / f"{stem}.data").write_text(data)
    (folder / f"{stem}.teach").write_text(teach)
    return folder / f"{stem}.cf"
