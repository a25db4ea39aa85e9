"""The lecture's notation, shared by every renderer of a worksheet.

Units are numbered inputs first (a 2-2-1 net: inputs 1-2, hidden 3-4, output 5); x_i is the
net input of unit i, a_i its activation, w_j,i the weight from unit j to unit i, and a bias is
the weight from an always-on unit (w0,3, w6,5). The slope da/dx of a logistic unit is written
sigma'(x_i), as in the lecture; other units use their own name (tanh'(x_i), f'(x_i)).
"""

from __future__ import annotations

from collections.abc import Sequence

from srnlab.backprop import Network
from srnlab.explain_records import incoming, outgoing
from srnlab.params import bias_unit, unit_numbers

# How the worksheet writes each unit function and each loss, with its derivative.
ACTIVATION_FORMULAS = {
    "logistic": "a = σ(x) = 1/(1 + e^−x),  σ'(x) = a(1 − a)",
    "tanh": "a = tanh(x),  tanh'(x) = 1 − a²",
    "linear": "a = x,  f'(x) = 1",
}
LOSS_FORMULAS = {
    "squared": "E = (y − a)²,  ∂E/∂a = −2(y − a)",
    "half_squared": "E = ½(y − a)²,  ∂E/∂a = −(y − a)",
    "cross_entropy": "E = −[y ln a + (1 − y) ln(1 − a)],  ∂E/∂a = (a − y)/(a(1 − a))",
}


def layer_name(sizes: Sequence[int], layer: int) -> str:
    if layer == 0:
        return "input"
    if layer == len(sizes) - 1:
        return "output"
    return "hidden" if len(sizes) == 3 else f"hidden {layer}"


def unit_range(units: Sequence[int]) -> str:
    return str(units[0]) if len(units) == 1 else f"{units[0]}-{units[-1]}"


def describe_units(sizes: Sequence[int]) -> str:
    """'inputs 1-2, hidden 3-4, output 5; bias units 0 (for 3-4) and 6 (for 5), always on'."""
    units = unit_numbers(sizes)
    layers = [
        f"{layer_name(sizes, layer)} {unit_range(numbers)}" for layer, numbers in enumerate(units)
    ]
    biases = [
        f"{bias_unit(sizes, layer)} (for {unit_range(units[layer])})"
        for layer in range(1, len(sizes))
    ]
    return f"{', '.join(layers)}; bias units {', '.join(biases)}, always on (a = 1)"


def slope_symbol(activation: str) -> str:
    """How the lecture writes da/dx: sigma' for the logistic unit."""
    return {"logistic": "σ'", "tanh": "tanh'"}.get(activation, "f'")


def slope_label(network: Network, layer: int, unit: int | str) -> str:
    """'σ'(x5)'; ``unit`` may be 'i' for a column header."""
    return f"{slope_symbol(network.activation(layer).name)}(x{unit})"


def slope_header(network: Network) -> str:
    """A column header for da_i/dx_i across layers: σ'(x_i) if every layer is logistic."""
    names = {network.hidden_activation, network.output_activation}
    if len(network.sizes) == 2:
        names = {network.output_activation}
    return f"{slope_symbol(names.pop())}(x_i)" if len(names) == 1 else "f'(x_i)"


def net_input_formula(sizes: Sequence[int], unit: int) -> str:
    """'x3 = w0,3 + w1,3·a1 + w2,3·a2'."""
    terms = [c.name if c.is_bias else f"{c.name}·a{c.source}" for c in incoming(sizes, unit)]
    return f"x{unit} = " + " + ".join(terms)


def activation_formula(activation: str, unit: int) -> str:
    """'a3 = tanh(x3)'."""
    x = f"x{unit}"
    function = {"logistic": f"σ({x}) = 1/(1 + e^−{x})", "tanh": f"tanh({x})", "linear": x}
    return f"a{unit} = {function[activation]}"


def slope_formula(activation: str, unit: int) -> str:
    """The slope written from the unit's output: 'σ'(x3) = a3(1 − a3)'."""
    a = f"a{unit}"
    slope = {"logistic": f"{a}(1 − {a})", "tanh": f"1 − {a}²", "linear": "1"}
    return f"{slope_symbol(activation)}(x{unit}) = {slope[activation]}"


def error_term(loss: str, unit: int) -> str:
    """One output unit's share of E: '(y5 − a5)²'."""
    return {
        "squared": f"(y{unit} − a{unit})²",
        "half_squared": f"½(y{unit} − a{unit})²",
        "cross_entropy": f"−[y{unit} ln a{unit} + (1 − y{unit}) ln(1 − a{unit})]",
    }[loss]


def error_formula(loss: str, outputs: Sequence[int]) -> str:
    return "E = " + " + ".join(error_term(loss, unit) for unit in outputs)


def output_credit_formula(loss: str, unit: int) -> str:
    """'∂E/∂a5 = −2(y5 − a5)'."""
    return (
        f"∂E/∂a{unit} = "
        + {
            "squared": f"−2(y{unit} − a{unit})",
            "half_squared": f"−(y{unit} − a{unit})",
            "cross_entropy": f"(a{unit} − y{unit})/(a{unit}(1 − a{unit}))",
        }[loss]
    )


def hidden_credit_formula(sizes: Sequence[int], unit: int) -> str:
    """'∂E/∂a3 = ∂E/∂x5·w3,5': the credit sent back from the layer above."""
    terms = [f"∂E/∂x{c.target}·{c.name}" for c in outgoing(sizes, unit)]
    return f"∂E/∂a{unit} = " + " + ".join(terms)


def delta_formula(network: Network, layer: int, unit: int, simplified: bool) -> str:
    """'∂E/∂x5 = ∂E/∂a5·σ'(x5)', or 'a5 − y5' where the product is simplified."""
    if simplified:
        return f"∂E/∂x{unit} = ∂E/∂a{unit}·{slope_label(network, layer, unit)} = a{unit} − y{unit}"
    return f"∂E/∂x{unit} = ∂E/∂a{unit}·{slope_label(network, layer, unit)}"


def chain_formula(
    network: Network, layer: int, name: str, source: int, target: int, is_bias: bool
) -> str:
    """'∂E/∂w3,5 = ∂E/∂a5·σ'(x5)·a3'."""
    dx_dw = "1" if is_bias else f"a{source}"
    return f"∂E/∂{name} = ∂E/∂a{target}·{slope_label(network, layer, target)}·{dx_dw}"


def format_number(value: float, digits: int) -> str:
    """Fixed point with ``digits`` decimals; scientific where fixed point would hide the value."""
    if value == 0:
        return "0"
    if 0.5 * 10.0**-digits <= abs(value) < 1e6:
        return f"{value:.{digits}f}"
    return f"{value:.{max(digits - 1, 1)}e}"


def format_plain(value: float) -> str:
    """Inputs and targets as given: '0', '1', '0.5'."""
    return f"{value:g}"
