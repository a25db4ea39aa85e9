"""What the explorer page is given, and the page rendered from the package's template files.

The page computes everything itself, in the browser; Python only hands it the starting point:
the network's wiring in the lecture's numbering (``explain_records.connections``), its initial
weights, the patterns and the settings, and two small SRN examples (temporal XOR and the letters
stream) with their weights. Numbers travel as JSON, whose floats round-trip exactly, so the page
starts from bit-identical weights and data.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from typing import Any

import numpy as np

from srnlab import __version__
from srnlab.backprop import Network
from srnlab.errors import UserError
from srnlab.explain import UPDATE_MODES
from srnlab.explain_records import connections
from srnlab.params import (
    FeedforwardParams,
    init_feedforward,
    named_weights,
    unit_numbers,
    validate_sizes,
)
from srnlab.seeding import generators
from srnlab.srn import SRN, SRNParams, init_srn
from srnlab.tasks.letters import letter_stream
from srnlab.tasks.temporal_xor import temporal_xor_stream
from srnlab.tasks.xor import xor_patterns

# What the page can compute and draw: the lecture's losses and unit functions, and nets small
# enough that every unit and weight fits on a projector.
LOSSES = ("squared", "half_squared")
ACTIVATIONS = ("logistic", "tanh")
MAX_LAYERS = 4
MAX_UNITS_PER_LAYER = 8
MAX_PATTERNS = 16
THROUGH_TIME = ("1", "k", "all")  # copy-back, truncated BPTT(k), full BPTT

# The SRN examples: short streams, so every step fits on the page side by side.
TEMPORAL_XOR_TRIPLES = 4  # 12 steps
LETTER_CONSONANTS = 3  # 6 to 12 letters
LETTERS_HIDDEN = 20  # Elman's (1990) letters net is 6-20-6
SRN_LEARNING_RATE = 0.1  # tlearn's default, as in the SRN recipes
SRN_INIT_RANGE = 1.0
DEFAULT_K = 3


@dataclass(frozen=True)
class ExplorerSettings:
    """Everything about the backprop part that is not a weight or a pattern."""

    hidden_activation: str = "logistic"
    output_activation: str = "logistic"
    loss: str = "squared"
    learning_rate: float = 0.5
    momentum: float = 0.0
    update: str = "online"

    def __post_init__(self) -> None:
        for what, value, valid in (
            ("hidden activation", self.hidden_activation, ACTIVATIONS),
            ("output activation", self.output_activation, ACTIVATIONS),
            ("loss", self.loss, LOSSES),
            ("update", self.update, UPDATE_MODES),
        ):
            if value not in valid:
                raise UserError(f"the explorer has no {what} {value!r}; valid: {', '.join(valid)}")
        if not (np.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise UserError(f"learning rate must be a number > 0, got {self.learning_rate}")
        if not 0 <= self.momentum < 1:
            raise UserError(f"momentum must be in [0, 1), got {self.momentum}")


def check_explorable(sizes: Sequence[int]) -> tuple[int, ...]:
    """The layer sizes, if the page can draw them (every unit with its numbers on screen)."""
    sizes = validate_sizes(sizes)
    if len(sizes) > MAX_LAYERS or max(sizes) > MAX_UNITS_PER_LAYER:
        raise UserError(
            f"the explorer draws nets of at most {MAX_LAYERS} layers of at most "
            f"{MAX_UNITS_PER_LAYER} units, got {'-'.join(map(str, sizes))}; "
            "`srnlab worksheet` works for any size"
        )
    return sizes


def page_data(
    params: FeedforwardParams,
    inputs: Sequence[Sequence[float]] | np.ndarray,
    targets: Sequence[Sequence[float]] | np.ndarray,
    settings: ExplorerSettings,
    seed: int = 0,
) -> dict[str, Any]:
    """Everything the page starts from, as JSON-ready data."""
    sizes = check_explorable(params.sizes)
    X = np.asarray(inputs, dtype=float)
    Y = np.asarray(targets, dtype=float)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != sizes[0] or Y.shape[1] != sizes[-1]:
        raise UserError(
            f"a {'-'.join(map(str, sizes))} net needs patterns of {sizes[0]} inputs and "
            f"{sizes[-1]} targets, got shapes {X.shape} and {Y.shape}"
        )
    if len(X) != len(Y) or not 1 <= len(X) <= MAX_PATTERNS:
        raise UserError(
            f"the explorer needs 1 to {MAX_PATTERNS} patterns with one target row each, "
            f"got {len(X)} inputs and {len(Y)} targets"
        )
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(Y))):
        raise UserError("inputs and targets must be finite numbers")
    Network(sizes, settings.hidden_activation, settings.output_activation, settings.loss)
    weights = named_weights(params)
    return {
        "version": __version__,
        "seed": seed,
        "feedforward": {
            **asdict(settings),
            "sizes": list(sizes),
            "units": unit_numbers(sizes),
            "connections": [
                {
                    "name": c.name,
                    "source": c.source,
                    "target": c.target,
                    "layer": c.layer,
                    "is_bias": c.is_bias,
                }
                for c in connections(sizes)
            ],
            "weights": [[name, value] for name, value in weights.items()],  # in lecture order
            "inputs": X.tolist(),
            "targets": Y.tolist(),
        },
        "srn": {
            "examples": srn_examples(seed),
            "through_time": "1",
            "k": DEFAULT_K,
        },
    }


def srn_examples(seed: int) -> list[dict[str, Any]]:
    """Temporal XOR on a 1-2-1 SRN and the letters stream on a 6-20-6 SRN, from ``seed``'s
    weights and data streams (the same streams ``srnlab run`` splits a seed into)."""
    examples = []
    for name, label, make_stream, hidden, features in (
        (
            "temporal-xor",
            "temporal XOR, 1-2-1",
            lambda rng: temporal_xor_stream(TEMPORAL_XOR_TRIPLES, rng),
            2,
            ["bit"],
        ),
        (
            "letters",
            "letters (ba dii guuu), 6-20-6",
            lambda rng: letter_stream(LETTER_CONSONANTS, rng),
            LETTERS_HIDDEN,
            ["Consonant", "Vowel", "Interrupted", "High", "Back", "Voiced"],
        ),
    ):
        streams = generators(seed)
        stream = make_stream(streams["data"])
        n_in, n_out = stream.inputs.shape[1], stream.targets.shape[1]
        net = SRN(n_in, hidden, n_out)
        params = init_srn(n_in, hidden, n_out, streams["weights"], SRN_INIT_RANGE)
        examples.append(
            {
                "name": name,
                "label": label,
                "sizes": list(net.sizes),
                "features": features,
                "items": list(stream.items),
                "inputs": stream.inputs.tolist(),
                "targets": stream.targets.tolist(),
                "context_start": net.context_start,
                "learning_rate": SRN_LEARNING_RATE,
                "hidden_activation": net.hidden_activation,
                "output_activation": net.output_activation,
                "loss": net.loss,
                "params": srn_params_data(params),
            }
        )
    return examples


def srn_params_data(params: SRNParams) -> dict[str, Any]:
    return {name: getattr(params, name).tolist() for name in SRNParams.NAMES}


def render_page(data: dict[str, Any]) -> str:
    """The HTML page: the template with the data, the styles and the script inline."""
    import jinja2  # only the page needs a template engine

    assets = resources.files("srnlab.explore") / "assets"
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string((assets / "explorer.html.j2").read_text(encoding="utf-8"))
    return template.render(
        data_json=_script_json(data),
        styles=(assets / "explorer.css").read_text(encoding="utf-8"),
        script=(assets / "explorer.js").read_text(encoding="utf-8"),
        version=__version__,
    )


def _script_json(data: dict[str, Any]) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' that could end it early.
    Floats are written with repr, which reads back as the same float64."""
    text = json.dumps(data, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def build_page(
    seed: int = 0,
    weights: FeedforwardParams | None = None,
    sizes: Sequence[int] = (2, 2, 1),
    inputs: Sequence[Sequence[float]] | np.ndarray | None = None,
    targets: Sequence[Sequence[float]] | np.ndarray | None = None,
    init_range: float = 1.0,
    **settings: Any,
) -> str:
    """The explorer page as HTML text.

    Weights: ``weights``, or random from ``seed`` (the same initial net as ``srnlab worksheet
    --seed`` and ``srnlab run xor --set seed=``). Patterns: XOR unless given. ``settings`` are
    the fields of ``ExplorerSettings`` (``learning_rate``, ``momentum``, ``update``, ``loss``,
    ``hidden_activation``, ``output_activation``)."""
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise UserError(f"seed must be a whole number >= 0, got {seed!r}")
    if weights is None:
        weights = init_feedforward(check_explorable(sizes), generators(seed)["weights"], init_range)
    if inputs is None or targets is None:
        if inputs is not None or targets is not None:
            raise UserError("give both inputs and targets, or neither (the XOR patterns)")
        inputs, targets = xor_patterns()
    try:
        explorer_settings = ExplorerSettings(**settings)
    except TypeError as exc:
        raise UserError(f"unknown explorer setting: {exc}") from None
    return render_page(page_data(weights, inputs, targets, explorer_settings, seed))
