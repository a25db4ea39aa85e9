"""Property-based tests of the project-file reader: whatever a user writes, the reader gives
a config or one UserError, never another exception, and running never writes on failure."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srnlab.config import field_types
from srnlab.errors import UserError
from srnlab.project.file import TABLES, read_project
from srnlab.project.settings import ProjectConfig

KEYS = sorted(field_types(ProjectConfig))
TABLE_KEYS = {t: [k.split(".", 1)[1] for k in KEYS if k.startswith(f"{t}.")] for t in TABLES}

scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["none", "window", "srn", "feedforward", "letter", "word", "space", "line",
                     "logistic", "tanh", "squared", "localist", "c.txt", "item", "position"]),
)  # fmt: skip
values = st.one_of(scalars, st.lists(scalars, max_size=4))


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def documents(draw: st.DrawFn) -> str:
    """Project files made of real and misspelt tables and keys with values of any type."""
    lines = []
    for table in draw(st.lists(st.sampled_from([*TABLES, "netwrk", "extra"]), unique=True)):
        lines.append(f"[{table}]")
        known = TABLE_KEYS.get(table, ["x"])
        keys = draw(st.lists(st.sampled_from([*known, "seed", "bogus"]), unique=True, max_size=5))
        lines += [f"{key} = {_toml(draw(values))}" for key in keys]
    return "\n".join(lines) + "\n"


def _read(text: str) -> ProjectConfig | None:
    """Read ``text`` as a project file; None where the reader refused it with one line."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.toml"
        path.write_text(text, encoding="utf-8")
        try:
            return read_project(path).config
        except UserError as exc:
            message = str(exc)
            assert message.startswith(str(path)) and "\n" not in message, message
            return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_document_gives_a_config_or_one_user_error(text: str) -> None:
    config = _read(text)
    if config is not None:
        assert math.isfinite(config.training.learning_rate) and config.training.passes >= 1
        assert config.network.kind in ("srn", "feedforward")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_config_or_one_user_error(text: str) -> None:
    _read(text)
