"""`srnlab new NAME [--from RECIPE]`: a project file and its data, ready to run and edit."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from srnlab.project.scaffold import SOURCES, project_files, write_project

NAME = "new"
HELP = "write a new project (a TOML file and its data) to run and edit"
DESCRIPTION = f"""\
Write a folder NAME/ with a commented project file NAME/NAME.toml and its data files.

Without --from: a statistical-learning language (Saffran, Aslin & Newport 1996): four
made-up words strung together without pauses; an SRN learns to predict the next letter and
its error finds the word boundaries. With --from RECIPE ({", ".join(SOURCES)}): that recipe's
own data written as files, with its settings, so the project reproduces `srnlab run RECIPE`
(seed 0) number for number and you edit from a working simulation.

Examples:
  srnlab new saffran                  then: srnlab run saffran/saffran.toml
  srnlab new myletters --from letters then: srnlab run myletters/myletters.toml
  srnlab new myxor --from xor --dir projects

An existing folder is never touched: choose another name or remove it.
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the project's name (and its folder's)")
    parser.add_argument(
        "--from", dest="source", metavar="RECIPE",
        help=f"start from a built-in recipe: {', '.join(SOURCES)}",
    )  # fmt: skip
    parser.add_argument(
        "--dir", type=Path, default=Path("."), help="where to make the folder (default: here)"
    )


def execute(args: argparse.Namespace, out: TextIO) -> int:
    files = project_files(args.name, args.source)
    project = write_project(args.dir / args.name, files)
    print(f"wrote {project} and its data ({', '.join(n for n in files if n != project.name)})",
          file=out)  # fmt: skip
    print(f"run it: srnlab run {project}", file=out)
    return 0
