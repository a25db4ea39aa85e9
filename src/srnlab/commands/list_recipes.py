"""`srnlab list`: the recipes and their config keys."""

from __future__ import annotations

import argparse
import textwrap
from typing import TextIO

from srnlab.catalogue import RECIPES, get_recipe
from srnlab.config import describe_settings

NAME = "list"
HELP = "list the experiments (recipes) and their settings"
DESCRIPTION = """\
List the recipes that `srnlab run` knows; with --keys (or a recipe's name), every config key
with its type, default and what it means ([P]: stated in the paper, [R]: our reconstruction
where the paper is silent), as `--set KEY=VALUE` takes them.

  srnlab list                 the recipes
  srnlab list rules           every key of one recipe, explained
  srnlab list --keys          every key of every recipe
  srnlab list my/my.toml      every key of a project file, with the file's values
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "recipe", nargs="?", metavar="RECIPE", help="show only this recipe, with its keys"
    )
    parser.add_argument(
        "--keys", action="store_true", help="also list every config key, its default and meaning"
    )


def execute(args: argparse.Namespace, out: TextIO) -> int:
    chosen = {args.recipe: get_recipe(args.recipe)} if args.recipe else RECIPES
    for name, recipe in chosen.items():
        print(f"{name:<14} {recipe.SUMMARY}", file=out)
        if args.keys or args.recipe:
            for item in describe_settings(recipe.default_config(), notes=True):
                print(textwrap.fill(item, 100, initial_indent=" " * 4,
                                    subsequent_indent=" " * 8), file=out)  # fmt: skip
    return 0
