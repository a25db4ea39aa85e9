"""Placeholder; replaced below."""

import argparse
from typing import TextIO

NAME = "list"
HELP = ""
DESCRIPTION = ""


def configure(parser: argparse.ArgumentParser) -> None:
    pass


def execute(args: argparse.Namespace, out: TextIO) -> int:
    return 0
