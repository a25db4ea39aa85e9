"""`srnlab export-tlearn RUN_OR_PROJECT DIR`: a srnlab network and its data as a tlearn
project, so results can be compared in both directions."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from srnlab.tlearn.export import PROJECT_EXPORTERS, RUN_EXPORTERS, export_source, write_export

NAME = "export-tlearn"
HELP = "write a run's network and data (or a project) as a tlearn project"
DESCRIPTION = f"""\
Write STEM.cf, STEM.data, STEM.teach, STEM.0.wts (the run's initial weights) and STEM.wts
(its final weights) into DIR, for tlearn or for `srnlab run DIR/STEM.cf`.

  srnlab export-tlearn runs/xor-20260101-120000 xor-tlearn
  srnlab run xor-tlearn/xor.cf --weights xor-tlearn/xor.0.wts --set sweeps=8000

Run folders of: {", ".join(RUN_EXPORTERS)} and tlearn projects.
Project files: {", ".join(PROJECT_EXPORTERS)}.
Where srnlab's settings differ from tlearn's (loss, context start, order), the differences
are printed: the weights are the run's, the training schedule is yours to match.
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "source", type=Path, metavar="RUN_OR_PROJECT", help="a run folder or a project file"
    )
    parser.add_argument("folder", type=Path, metavar="DIR", help="folder for the tlearn project")
    parser.add_argument("--name", metavar="STEM", help="file stem (default: the recipe's name)")
    parser.add_argument("--force", action="store_true", help="replace files already in DIR")


def execute(args: argparse.Namespace, out: TextIO) -> int:
    export = export_source(args.source, args.name)
    paths = write_export(export, args.folder, force=args.force)
    for path in paths:
        print(f"wrote {path}", file=out)
    for note in export.notes:
        print(f"note: {note}", file=out)
    return 0
