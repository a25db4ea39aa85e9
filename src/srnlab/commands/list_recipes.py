"""`srnlab list`: the recipes and their config keys."""

from __future__ import annotations

import argparse
from typing import TextIO

from srnlab.config import describe_fields
from srnlab.recipes import RECIPES

NAME = "list"
HELP = "list the experiments (recipes) and their settings"
DESCRIPTION = "List the recipes that `srnlab run` knows, with every config key and default."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--keys", action="store_true", help="also list every config key with its type and default"
    )


def execute(args: argparse.Namespace, out: TextIO) -> int:
    for name, recipe in RECIPES.items():
        print(f"{name:<14} {recipe.SUMMARY}", file=out)
        if args.keys:
            for item in describe_fields(recipe.Config):
                print(f"{'':<16}{item}", file=out)
    return 0
