"""What each built-in recipe's section of the reproduction report opens with: the paper's
claim and the summary figure shown first. They are facts, kept as data in ``claims.toml``
(shipped beside this module as package data) and read once, on first use."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources


@functools.cache
def _claims() -> dict[str, dict[str, str]]:
    text = resources.files(__package__).joinpath("claims.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def claim_of(recipe: str) -> tuple[str, str]:
    """``(CLAIM, REPORT_FIGURE)`` of the built-in recipe ``recipe`` (its name as `srnlab run`
    takes it), as ``Recipe`` declares them."""
    entry = _claims()[recipe]
    return entry["claim"], entry["report_figure"]
