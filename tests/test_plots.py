"""The figures draw exactly the data they are given (checked on the artists, not by eye)."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.image import AxesImage, imread
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, Polygon, Rectangle
from matplotlib.text import Text

from srnlab import plots
from srnlab.backprop import Network, forward
from srnlab.params import init_feedforward, named_weights, params_from_named

XOR_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_TARGETS = np.array([[0], [1], [1], [0]], dtype=float)

# A 2-2-1 net with distinct, exactly representable weights (so every label is predictable).
WEIGHTS_221 = {
    "w0,3": -1.5,
    "w1,3": 2.25,
    "w2,3": -0.75,
    "w0,4": 0.5,
    "w1,4": -3.125,
    "w2,4": 1.0,
    "w6,5": 0.25,
    "w3,5": 4.5,
    "w4,5": -2.0,
}


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text)]


def by_gid(fig: Figure, kind: type, prefix: str = "") -> list:
    return [a for a in fig.findobj(kind) if (a.get_gid() or "").startswith(prefix)]


@pytest.fixture
def net221() -> tuple[Network, object]:
    return Network((2, 2, 1)), params_from_named((2, 2, 1), WEIGHTS_221)


# ---- format_number and save_figure --------------------------------------------------------


def test_format_number_uses_a_real_minus_and_never_shows_minus_zero() -> None:
    assert plots.format_number(-1.5) == "\u22121.50"
    assert plots.format_number(2.25) == "2.25"
    assert plots.format_number(-0.004) == "0.00"
    assert plots.format_number(0.126, digits=1) == "0.1"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_save_figure_writes_png_and_svg_and_the_svg_is_reproducible(tmp_path: Path) -> None:
    fig = plots.learning_curve({"epoch": [0, 1, 2], "error": [1.0, 0.5, 0.2], "rms": [1, 0.7, 0.4]})
    fig.set_size_inches(4.0, 3.0)
    paths = plots.save_figure(fig, tmp_path / "a" / "figures", "curve")
    png, svg = paths
    assert [p.name for p in paths] == ["curve.png", "curve.svg"]
    assert png_size(png) == (4 * plots.PNG_DPI, 3 * plots.PNG_DPI)
    text = svg.read_text()
    assert text.startswith("<?xml") and "<svg" in text
    assert "<dc:date>" not in text
    # The same figure saved again, and a freshly built identical figure: identical bytes.
    again = plots.save_figure(fig, tmp_path / "b", "curve")[1]
    fresh = plots.learning_curve(
        {"epoch": [0, 1, 2], "error": [1.0, 0.5, 0.2], "rms": [1, 0.7, 0.4]}
    )
    fresh.set_size_inches(4.0, 3.0)
    rebuilt = plots.save_figure(fresh, tmp_path / "c", "curve")[1]
    assert svg.read_bytes() == again.read_bytes() == rebuilt.read_bytes()


def test_save_figure_lays_out_once_and_draws_the_pixels_of_savefigs_own_layout(
    tmp_path: Path,
) -> None:
    history = {"epoch": [0, 1, 2], "error": [1.0, 0.5, 0.2], "rms": [1, 0.7, 0.4]}
    ours = plots.learning_curve(history, title="a title", solved_epoch=1)
    theirs = plots.learning_curve(history, title="a title", solved_epoch=1)
    (png,) = plots.save_figure(ours, tmp_path, "ours", svg=False)
    assert ours.get_layout_engine() is None  # laid out once, then fixed: savefig draws once
    with plots.style.figure_style():  # matplotlib's way: the layout in a draw of its own
        theirs.savefig(tmp_path / "theirs.png", dpi=plots.PNG_DPI, facecolor="white")
    # The same pixels (the files differ: ours are compressed at another zlib level).
    assert np.array_equal(imread(png), imread(tmp_path / "theirs.png"))


def test_save_figure_compresses_at_its_own_level(tmp_path: Path) -> None:
    fig = plots.learning_curve({"epoch": [0, 1, 2], "error": [1.0, 0.5, 0.2]})
    (png,) = plots.save_figure(fig, tmp_path, "curve", svg=False)
    # The zlib stream in the first IDAT chunk says in its second byte's top two bits which
    # group of levels wrote it: 0 for level 1, 1 for 2-5, 2 for 6 (Pillow's default), 3 for 7-9.
    data = png.read_bytes()
    idat = data.index(b"IDAT") + 4
    assert plots.style.PNG_COMPRESS_LEVEL == 3
    assert data[idat + 1] >> 6 == 1


def test_figures_are_drawn_with_the_collector_paused_and_it_is_left_as_found() -> None:
    import gc

    from srnlab.plots.folders import collector_paused

    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("a figure failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller's own pause is not ended
    finally:
        gc.enable()


def _rule_panels(n: int) -> list[tuple[str, np.ndarray]]:
    """Panels with long titles and looking times of very different sizes."""
    rng = np.random.default_rng(0)
    titles = ["localist", "analog features, outside + same/different pre-training"]
    return [
        (titles[k % 2] + f" {k}", 10.0 ** (k % 5 - 2) * (1 + rng.random((6, 2)))) for k in range(n)
    ]


def _decorations(fig: Figure) -> list[tuple[str, Any]]:
    """Each shown panel's title, axes (tick labels and label), legend and the figure title,
    as (what, window extent) after a draw."""
    canvas = FigureCanvasAgg(fig)
    fig.dpi = plots.PNG_DPI  # as the figure is saved
    canvas.draw()
    renderer = canvas.get_renderer()
    boxes: list[tuple[str, Any]] = []
    for k, ax in enumerate(a for a in fig.axes if a.get_visible()):
        legend = ax.get_legend()
        assert legend is not None
        boxes += [
            (f"{k} title", ax.title.get_window_extent(renderer)),
            (f"{k} x axis", ax.xaxis.get_tightbbox(renderer)),
            (f"{k} y axis", ax.yaxis.get_tightbbox(renderer)),
            (f"{k} legend", legend.get_window_extent(renderer)),
        ]
    return boxes


@pytest.mark.parametrize("draw", ["paired_looking_times", "error_by_syllable"])
@pytest.mark.parametrize("n", [1, 5, 15])
def test_rule_panel_grids_texts_neither_overlap_nor_leave_the_figure(draw: str, n: int) -> None:
    from srnlab.plots import rules

    panels = _rule_panels(n)
    if draw == "error_by_syllable":  # (networks, consistent/inconsistent, syllable)
        panels = [(label, np.stack([values] * 3, axis=2)) for label, values in panels]
    fig = getattr(rules, draw)(panels, title="A long figure title: each line is one network")
    assert fig.get_layout_engine() is None  # laid out by lay_out_grid, from its texts
    boxes = _decorations(fig)
    heading = next(t for t in fig.findobj(Text) if t.get_text().startswith("A long figure"))
    boxes.append(("suptitle", heading.get_window_extent()))
    inside = fig.bbox
    for what, box in boxes:
        assert inside.x0 <= box.x0 and box.x1 <= inside.x1, what
        assert inside.y0 <= box.y0 and box.y1 <= inside.y1, what
    for i, (what, box) in enumerate(boxes):
        for other, other_box in boxes[i + 1 :]:
            assert not box.overlaps(other_box), (what, other)
    panel_areas = [ax.bbox for ax in fig.axes if ax.get_visible()]
    for what, box in boxes:
        owner = what.split()[0]
        for k, area in enumerate(panel_areas):
            if str(k) != owner and not what.endswith("legend"):
                assert not box.overlaps(area), (what, k)


def test_a_rule_panel_grid_grows_where_its_texts_need_more_room() -> None:
    from srnlab.plots import rules

    normal = rules.paired_looking_times(_rule_panels(3), title="x")
    panels = [(label * 3, values) for label, values in _rule_panels(3)]
    wider = rules.paired_looking_times(panels, title="a figure title " * 12)
    assert wider.get_size_inches()[0] > normal.get_size_inches()[0]
    canvas = FigureCanvasAgg(wider)
    canvas.draw()
    for text in wider.findobj(Text):
        if text.get_text() and text.get_visible():
            box = text.get_window_extent(canvas.get_renderer())
            assert wider.bbox.x0 <= box.x0 and box.x1 <= wider.bbox.x1, text.get_text()


def test_plots_never_import_pyplot() -> None:
    code = "import sys, srnlab.plots; sys.exit('matplotlib.pyplot' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# ---- network_diagram ----------------------------------------------------------------------


def test_network_diagram_labels_every_unit_and_weight_of_the_lecture_net(net221) -> None:
    network, params = net221
    fig = plots.network_diagram(network, params, title="XOR")
    drawn = texts(fig)
    for unit in range(7):  # inputs 1-2, hidden 3-4, output 5, bias units 0 and 6
        assert str(unit) in drawn
    for value in WEIGHTS_221.values():
        assert drawn.count(plots.format_number(value)) == 1
    assert "XOR" in drawn
    assert "$a_{0} = 1$" in drawn and "$a_{6} = 1$" in drawn


def test_network_diagram_draws_one_arrow_per_weight_coloured_by_sign(net221) -> None:
    network, params = net221
    fig = plots.network_diagram(network, params)
    arrows = by_gid(fig, FancyArrowPatch, "w")
    assert len(arrows) == 9
    assert {a.get_gid() for a in arrows} == set(named_weights(params))
    for arrow in arrows:
        expected = (
            plots.POSITIVE_COLOUR if WEIGHTS_221[arrow.get_gid()] > 0 else (plots.NEGATIVE_COLOUR)
        )
        assert to_hex(arrow.get_edgecolor()) == expected.lower()
    widths = {a.get_gid(): a.get_linewidth() for a in arrows}
    assert widths["w3,5"] > widths["w1,4"] > widths["w0,4"] > widths["w6,5"]  # width ~ |w|


def test_network_diagram_puts_inputs_at_the_bottom_and_biases_beside_their_layer(net221) -> None:
    network, params = net221
    fig = plots.network_diagram(network, params)
    centre = {c.get_gid(): c.center for c in by_gid(fig, Circle)}
    assert set(centre) == {"unit1", "unit2", "unit3", "unit4", "unit5", "bias0", "bias6"}
    y = {gid: xy[1] for gid, xy in centre.items()}
    assert y["unit1"] == y["unit2"] == y["bias0"] < y["unit3"] == y["unit4"] == y["bias6"]
    assert y["unit3"] < y["unit5"]
    assert centre["unit1"][0] < centre["unit2"][0]


def test_network_diagram_weight_labels_do_not_overlap(net221) -> None:
    network, params = net221
    fig = plots.network_diagram(network, params)
    canvas = FigureCanvasAgg(fig)
    fig.dpi = plots.PNG_DPI  # as the figure is saved
    canvas.draw()  # label boxes get their final size when drawn
    renderer = canvas.get_renderer()
    labels = {plots.format_number(v) for v in WEIGHTS_221.values()}
    boxes = [
        t.get_bbox_patch().get_window_extent(renderer)
        for t in fig.findobj(Text)
        if t.get_text() in labels
    ]
    assert len(boxes) == 9
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not boxes[i].overlaps(boxes[j])


def test_network_diagram_shows_and_shades_activations(net221) -> None:
    network, params = net221
    trace = forward(network, params, XOR_INPUTS[1])
    fig = plots.network_diagram(network, params, [a[0] for a in trace.activations])
    drawn = texts(fig)
    for a in trace.activations:
        for value in a[0]:
            assert plots.format_number(float(value)) in drawn
    face = {c.get_gid(): c.get_facecolor() for c in by_gid(fig, Circle, "unit")}
    # input 1 is off (white), input 2 is on (dark): darker means a larger activation
    assert sum(face["unit1"][:3]) > sum(face["unit2"][:3])
    a3, a4 = trace.activations[1][0]
    assert (sum(face["unit3"][:3]) > sum(face["unit4"][:3])) == (a3 < a4)


def test_network_diagram_rejects_activations_of_the_wrong_size(net221) -> None:
    network, params = net221
    with pytest.raises(ValueError, match="3 values for 2 units"):
        plots.network_diagram(network, params, [np.zeros(3), np.zeros(2), np.zeros(1)])
    with pytest.raises(ValueError, match="one array per layer"):
        plots.network_diagram(network, params, [np.zeros(2)])


def test_network_diagram_of_a_big_net_encodes_weights_by_colour() -> None:
    network = Network((8, 8, 8))
    params = init_feedforward(network.sizes, np.random.default_rng(0), 1.0)
    fig = plots.network_diagram(network, params)
    (lines,) = by_gid(fig, LineCollection, "connections")
    assert len(lines.get_segments()) == 9 * 8 * 2  # every weight and bias: 144 > 60
    assert not by_gid(fig, FancyArrowPatch, "w")
    diagram, colorbar = fig.axes
    assert colorbar.get_ylabel() == "weight"
    weights = np.concatenate([p.ravel() for p in params.arrays()])
    drawn = {t.get_text() for t in diagram.texts}
    assert not {plots.format_number(float(v)) for v in weights} & drawn
    # Lines are drawn weakest first, as wide as the weight is strong, on the diverging scale:
    # the strongest weight (drawn last) is saturated blue if negative, red if positive.
    widths = lines.get_linewidths()
    assert np.all(np.diff(widths) >= 0) and widths[-1] > 3 * widths[0]
    strongest = weights[np.argmax(np.abs(weights))]
    red, _, blue, _ = lines.get_colors()[-1]
    assert (red > blue) == (strongest > 0)


def test_network_diagram_of_a_very_wide_net_draws_units_without_numbers() -> None:
    network = Network((20, 30, 5))
    params = init_feedforward(network.sizes, np.random.default_rng(1), 1.0)
    fig = plots.network_diagram(network, params)
    assert len(by_gid(fig, Circle, "unit")) == 55
    assert "12" not in texts(fig)
    assert "input (1\u201320)" in texts(fig)


# ---- learning_curve -----------------------------------------------------------------------


def test_learning_curve_draws_the_history_and_marks_the_solved_epoch() -> None:
    history = {
        "epoch": [0, 1, 2, 3, 4],
        "error": [1.2, 1.0, 0.6, 0.2, 0.1],
        "rms": [0.55, 0.5, 0.4, 0.2, 0.15],
        "solved": [False, False, False, True, True],
    }
    fig = plots.learning_curve(history, title="XOR", solved_epoch=3)
    for key in ("error", "rms"):
        (line,) = by_gid(fig, Line2D, key)
        np.testing.assert_array_equal(line.get_xdata(), history["epoch"])
        np.testing.assert_array_equal(line.get_ydata(), history[key])
    markers = by_gid(fig, Line2D, "solved")
    assert len(markers) == 2
    assert all(list(m.get_xdata()) == [3, 3] for m in markers)
    assert "solved at epoch 3" in texts(fig)
    assert fig.axes[-1].get_xlabel() == "epoch"


def test_learning_curve_without_rms_or_solution_has_one_panel_and_no_marker() -> None:
    fig = plots.learning_curve({"epoch": [0, 1], "error": [1.0, 0.5]})
    assert len(fig.axes) == 1
    assert not by_gid(fig, Line2D, "solved")
    with pytest.raises(ValueError, match="epoch"):
        plots.learning_curve({"error": [1.0]})
    with pytest.raises(ValueError, match="2 values for 3 epochs"):
        plots.learning_curve({"epoch": [0, 1, 2], "error": [1.0, 0.5]})


# ---- pattern_outputs ----------------------------------------------------------------------


def test_pattern_outputs_bars_are_the_outputs_and_targets_are_marked() -> None:
    outputs = np.array([[0.1], [0.8], [0.45], [0.2]])
    fig = plots.pattern_outputs(XOR_INPUTS, XOR_TARGETS, outputs)
    ax = fig.axes[0]
    bars = by_gid(fig, Rectangle, "output0_")
    np.testing.assert_allclose([b.get_height() for b in bars], outputs[:, 0])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0 0", "0 1", "1 0", "1 1"]
    (marks,) = by_gid(fig, LineCollection, "targets0")
    np.testing.assert_allclose([seg[0][1] for seg in marks.get_segments()], XOR_TARGETS[:, 0])
    # The third pattern's output is on the wrong side of 0.5: drawn in vermillion.
    colours = [to_hex(b.get_facecolor()) for b in bars]
    wrong = plots.OKABE_ITO["vermillion"].lower()
    assert [c == wrong for c in colours] == [False, False, True, False]
    assert any(list(line.get_ydata()) == [0.5, 0.5] for line in ax.get_lines())


def test_pattern_outputs_groups_bars_for_several_output_units() -> None:
    targets = np.array([[0, 1], [1, 0], [1, 0], [0, 1]], dtype=float)
    outputs = targets * 0.8 + 0.1
    fig = plots.pattern_outputs(XOR_INPUTS, targets, outputs)
    for k in range(2):
        bars = by_gid(fig, Rectangle, f"output{k}_")
        np.testing.assert_allclose([b.get_height() for b in bars], outputs[:, k])
    first = [b.get_x() for b in by_gid(fig, Rectangle, "output0_")]
    second = [b.get_x() for b in by_gid(fig, Rectangle, "output1_")]
    assert all(a < b < a + 1 for a, b in zip(first, second, strict=True))


# ---- hidden_representation ----------------------------------------------------------------

# (a3, a4) for 0 0, 0 1, 1 0, 1 1: a3 acts like OR, a4 like AND, so a5 = a3 AND NOT a4 is XOR
HIDDEN = np.array([[0.05, 0.02], [0.92, 0.12], [0.85, 0.2], [0.98, 0.9]])
W_OUT = np.array([[6.0, -6.0]])  # w3,5  w4,5
B_OUT = -2.4  # w6,5


def test_hidden_representation_scatters_the_given_activations() -> None:
    fig = plots.hidden_representation(XOR_INPUTS, XOR_TARGETS, HIDDEN, W_OUT, B_OUT)
    (hidden,) = by_gid(fig, PathCollection, "hidden")
    np.testing.assert_array_equal(hidden.get_offsets(), HIDDEN)
    (inputs,) = by_gid(fig, PathCollection, "inputs")
    np.testing.assert_array_equal(inputs.get_offsets(), XOR_INPUTS)
    left, right = fig.axes
    assert (left.get_xlabel(), left.get_ylabel()) == ("$a_{1}$", "$a_{2}$")
    assert (right.get_xlabel(), right.get_ylabel()) == ("$a_{3}$", "$a_{4}$")
    # points coloured by target: the two target-1 patterns share a colour the others lack
    colours = [to_hex(c) for c in hidden.get_facecolors()]
    assert colours[1] == colours[2] != colours[0] == colours[3]
    for label in ("0 0", "0 1", "1 0", "1 1"):
        assert label in texts(fig)


def test_hidden_representation_draws_the_output_units_decision_line() -> None:
    fig = plots.hidden_representation(XOR_INPUTS, XOR_TARGETS, HIDDEN, W_OUT, B_OUT)
    (line,) = by_gid(fig, Line2D, "decision_line")
    ends = np.column_stack([line.get_xdata(), line.get_ydata()])
    w = W_OUT.ravel()
    np.testing.assert_allclose(ends @ w + B_OUT, 0.0, atol=1e-12)
    assert np.linalg.norm(ends[0] - ends[1]) > 1.0  # it crosses the whole square
    # The shaded side is where x5 > 0 (a5 > 0.5); the XOR-true patterns lie inside it.
    (shade,) = by_gid(fig, Polygon, "output_above_half")
    assert np.all(shade.get_xy() @ w + B_OUT >= -1e-9)
    np.testing.assert_array_equal(HIDDEN @ w + B_OUT > 0, XOR_TARGETS[:, 0] == 1)
    assert "$x_{5} = 0$  ($a_{5} = 0.5$)" in texts(fig)


def test_hidden_representation_gives_patterns_on_one_point_one_label() -> None:
    hidden = np.array([[0.05, 0.02], [0.9, 0.1], [0.9, 0.1], [0.98, 0.9]])
    fig = plots.hidden_representation(XOR_INPUTS, XOR_TARGETS, hidden)
    drawn = [t.get_text() for t in fig.axes[1].texts]
    assert sorted(drawn) == ["0 0", "0 1\n1 0", "1 1"]


def test_hidden_representation_without_output_weights_has_no_line() -> None:
    fig = plots.hidden_representation(XOR_INPUTS, XOR_TARGETS, HIDDEN, unit_labels=["h1", "h2"])
    assert not by_gid(fig, Line2D, "decision_line")
    assert fig.axes[-1].get_xlabel() == "h1"


def test_hidden_representation_is_a_heatmap_for_three_hidden_units() -> None:
    hidden = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9], [0.0, 1.0, 0.25]])
    fig = plots.hidden_representation(XOR_INPUTS, XOR_TARGETS, hidden)
    (image,) = by_gid(fig, AxesImage, "hidden_heatmap")
    np.testing.assert_array_equal(image.get_array(), hidden)
    drawn = texts(fig)
    for value in hidden.ravel():
        assert plots.format_number(float(value)) in drawn
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["$a_{3}$", "$a_{4}$", "$a_{5}$"]
    assert [t.get_text() for t in ax.get_yticklabels()][1] == "0 1  \u2192 1"
    assert not by_gid(fig, PathCollection, "hidden")


# ---- solution_epochs ----------------------------------------------------------------------


def test_solution_epochs_counts_solved_and_unsolved_seeds() -> None:
    epochs = [120, 95, None, 300, 101, None, 98]
    fig = plots.solution_epochs(epochs, title="XOR")
    bins = by_gid(fig, Rectangle, "solved_bin")
    assert sum(b.get_height() for b in bins) == 5
    (unsolved,) = by_gid(fig, Rectangle, "not_solved")
    assert unsolved.get_height() == 2
    assert fig.get_suptitle() == "XOR: 5 of 7 seeds solved, 2 did not"
    # every solved epoch falls in a bin whose count includes it
    lefts = sorted(b.get_x() for b in bins)
    assert lefts[0] <= 95 and max(b.get_x() + b.get_width() for b in bins) >= 300


def test_solution_epochs_when_no_seed_solved() -> None:
    fig = plots.solution_epochs([None, None, None])
    assert not by_gid(fig, Rectangle, "solved_bin")
    (unsolved,) = by_gid(fig, Rectangle, "not_solved")
    assert unsolved.get_height() == 3
    assert "0 of 3 seeds solved" in fig.get_suptitle()
