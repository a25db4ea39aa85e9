"""TextLayout: constrained layout worked out from the sizes of the texts. Figures it lays out
keep every text in the figure and apart from the others, put their axes about where
constrained layout would, and what it cannot lay out gets constrained layout itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from scipy.cluster.hierarchy import linkage

from srnlab import plots
from srnlab.plots import curves, letters, replications, representations, rules, time_as_space
from srnlab.plots import words as word_plots
from srnlab.plots.layout import TextLayout, string_box
from srnlab.plots.style import figure_style, freeze_layout


def _drawn_tick_labels(axis: Axis) -> list[Text]:
    """The major tick labels the axis draws: those of ticks inside its view interval."""
    low, high = sorted(axis.get_view_interval())
    span = (high - low) * 1e-9
    return [
        tick.label1
        for tick in axis.get_major_ticks()
        if low - span <= tick.get_loc() <= high + span
        and tick.label1.get_visible()
        and tick.label1.get_text()
    ]


def _boxes(fig: Figure, renderer: Any) -> list[tuple[str, str, Any]]:
    """(owner, what, window extent) of every text that the layout places: each axes' x and y
    axis (tick labels and label), titles, legend and texts; the figure's texts and legends."""
    boxes = []
    for k, ax in enumerate(fig.axes):
        if not ax.get_visible():
            continue
        for name, axis in (("x axis", ax.xaxis), ("y axis", ax.yaxis)):
            box = axis.get_tightbbox(renderer)
            if box is not None:
                boxes.append((str(k), name, box))
        for child in ax.get_children():  # its titles: the texts it holds outside ax.texts
            if isinstance(child, Text) and child not in ax.texts and child.get_text():
                boxes.append((str(k), f"title {child.get_text()!r}", child.get_window_extent()))
        legend = ax.get_legend()
        if legend is not None:
            boxes.append((str(k), "legend", legend.get_window_extent(renderer)))
        for text in ax.texts:
            boxes.append((str(k), f"text {text.get_text()!r}", text.get_window_extent(renderer)))
    boxes += [("figure", f"text {t.get_text()!r}", t.get_window_extent()) for t in fig.texts]
    boxes += [("figure", "legend", legend.get_window_extent(renderer)) for legend in fig.legends]
    return boxes


def untidy(fig: Figure) -> list[str]:
    """What is wrong with the figure's layout, drawn as it is saved: a text that leaves the
    figure; the texts of two axes (or of an axes and the figure) that overlap; an axes' texts
    over another axes; an axis label over its own tick labels; a title over its axes' texts."""
    with figure_style():
        freeze_layout(fig, plots.PNG_DPI)
        fig.dpi = plots.PNG_DPI
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        renderer = canvas.get_renderer()
        boxes = _boxes(fig, renderer)
        problems = []
        for ax in fig.axes:
            for axis in (ax.xaxis, ax.yaxis):
                label = axis.label.get_window_extent(renderer)
                for tick in _drawn_tick_labels(axis) if axis.label.get_text() else []:
                    if tick.get_window_extent(renderer).overlaps(label):
                        problems.append(f"{axis.label.get_text()!r} over {tick.get_text()!r}")
    edge = fig.bbox.padded(0.5)
    for owner, what, box in boxes:
        if Bbox.union([edge, box]).bounds != edge.bounds:
            problems.append(f"{owner} {what} leaves the figure")
    for i, (owner, what, box) in enumerate(boxes):
        for other_owner, other, other_box in boxes[i + 1 :]:
            own = owner == other_owner != "figure"
            titled = what.startswith("title") or other.startswith("title")
            if (not own or titled) and box.overlaps(other_box):
                problems.append(f"{owner} {what} over {other_owner} {other}")
    areas = [(str(k), ax.bbox) for k, ax in enumerate(fig.axes) if ax.get_visible()]
    for owner, what, box in boxes:
        for k, area in areas:
            if owner not in (k, "figure") and box.overlaps(area):
                problems.append(f"{owner} {what} over axes {k}")
    return problems


# ---- figures of every kind TextLayout lays out ---------------------------------------------


def _history(n: int = 41) -> dict[str, list[float]]:
    epochs = np.arange(n)
    return {
        "epoch": epochs.tolist(),
        "error": (2.0 * np.exp(-epochs / 8)).tolist(),
        "rms": (0.7 * np.exp(-epochs / 10)).tolist(),
    }


def _six_columns(seed: int) -> dict[str, list[float]]:
    """A history whose columns lie on very different scales, each in a narrow range: how
    many ticks (and which tick labels) an axis shows depends on the axes' height."""
    rng = np.random.default_rng(seed)
    passes = np.arange(1, 21)
    history: dict[str, list[float]] = {"pass": passes.tolist()}
    for width, (base, spread) in enumerate(((0.502, 0.003), (77.0, 2.0), (0.5, 0.03)), start=1):
        for name, scale in ((f"rms_w{width}", 1.0), (f"sse_w{width}", 1.0)):
            values = base + spread * (rng.random(20) - 0.5) / passes**0.5
            history[name] = (values * scale).tolist()
    return history


def _tree() -> tuple[Any, list[str]]:
    rng = np.random.default_rng(1)
    words = ["man", "woman", "cat", "mouse", "bread", "cookie", "break", "smash", "think"]
    return linkage(rng.random((len(words), 4)), "average"), words


def _forest_rows() -> list[tuple[int, str, dict[str, Any]]]:
    rows = []
    for experiment in (1, 2, 3):
        for k, label in enumerate(("localist", "features, outside + same/different pre-training")):
            mean = 0.1 * k - 0.05 * experiment
            rows.append(
                (
                    experiment,
                    label,
                    {
                        "mean_difference": mean,
                        "ci95_low": mean - 0.2,
                        "ci95_high": mean + 0.2,
                        "direction": "no reliable difference",
                    },
                )
            )
    return rows


FIGURES: dict[str, Callable[[], Figure]] = {
    "one run's learning curve": lambda: plots.learning_curve(
        _history(),
        title="XOR",
        solved_epoch=12,  # (a tick label at the right end)
    ),
    "learning curves of six columns": lambda: replications.learning_curves(
        [_six_columns(0), _six_columns(1)], [0, 1], title="time-as-space: learning curves"
    ),
    "epochs to solution (width ratios)": lambda: curves.solution_epochs(
        [120, 95, None, 300, 101], title="XOR"
    ),
    "bit errors, legend outside": lambda: letters.bit_errors_per_letter(
        list("dibaguu"),
        {"Consonant": np.linspace(0, 1, 7), "High": np.linspace(1, 0, 7)},
        {"Consonant": np.full(7, 0.5), "High": np.full(7, 0.25)},
    ),
    "two trees, legend outside": lambda: representations.dendrograms(
        {"trained": _tree(), "untrained (initial weights)": _tree()},
        {"humans": {"man", "woman"}, "animals": {"cat", "mouse"}},
        title="Word means after and before training",
    ),
    "forest of long row labels": lambda: rules.difference_forest(
        _forest_rows(), title="Inconsistent minus consistent looking time (seed 0)"
    ),
    "segmentation, texts beside bars": lambda: word_plots.segmentation_scores(
        {
            "network (error peaks)": {"precision": 0.61, "recall": 0.72, "f1": 0.66},
            "bigram baseline": {"precision": 0.4, "recall": 0.5, "f1": 0.44},
            "chance": {"precision": 0.2, "recall": 0.2, "f1": 0.2},
        }
    ),
}


@pytest.fixture
def no_constrained_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Constrained layout fails the test: TextLayout must lay the figure out itself."""

    def refuse(self: Any, fig: Figure) -> None:
        raise AssertionError("TextLayout fell back on constrained layout")

    monkeypatch.setattr(ConstrainedLayoutEngine, "execute", refuse)


@pytest.mark.parametrize("name", list(FIGURES))
def test_text_layout_keeps_every_text_in_the_figure_and_apart(
    name: str, no_constrained_layout: None
) -> None:
    fig = FIGURES[name]()
    assert isinstance(fig.get_layout_engine(), TextLayout)
    assert untidy(fig) == []


@pytest.mark.parametrize("name", list(FIGURES))
def test_text_layout_puts_the_axes_about_where_constrained_layout_does(name: str) -> None:
    ours, theirs = FIGURES[name](), FIGURES[name]()
    theirs.set_layout_engine(ConstrainedLayoutEngine())
    with figure_style():
        freeze_layout(ours, plots.PNG_DPI)
        freeze_layout(theirs, plots.PNG_DPI)
    size = np.tile(ours.get_size_inches() * 72, 2)
    for mine, its in zip(ours.axes, theirs.axes, strict=True):
        # (left, bottom, right, top) in points: within a few points (the texts measured a
        # little generously leave a little more room around the axes)
        ours_edges = np.array(mine.get_position().extents) * size
        theirs_edges = np.array(its.get_position().extents) * size
        assert np.abs(ours_edges - theirs_edges).max() < 12.0, (ours_edges, theirs_edges)


def test_axis_labels_sit_beyond_the_tick_labels_of_the_laid_out_axes() -> None:
    # Six panels of narrow ranges: laid out, each axes is shorter than at first, shows
    # other ticks, and the y labels must go beyond the tick labels it finally shows.
    fig = FIGURES["learning curves of six columns"]()
    assert untidy(fig) == []
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        ticks = [t.get_window_extent(renderer) for t in _drawn_tick_labels(ax.yaxis)]
        label = ax.yaxis.label.get_window_extent(renderer)
        gap = min(t.x0 for t in ticks) - label.x1
        assert 0 < gap * 72 / plots.PNG_DPI < ax.yaxis.labelpad + 4  # about the label pad


@pytest.mark.parametrize(
    "make",
    [
        lambda: time_as_space.error_by_width(  # a figure legend
            [1, 2, 3], {"XOR": [0.3, 0.2, 0.1]}, {"XOR": [0.25, 0.1, 0.0]}, {"XOR": 0.0}
        ),
        lambda: representations.pca_plot(  # axes of fixed aspect
            np.random.default_rng(0).random((4, 2)), ["man", "cat", "bread", "think"]
        ),
    ],
)
def test_what_text_layout_cannot_lay_out_gets_constrained_layout(
    make: Callable[[], Figure],
) -> None:
    ours, theirs = make(), make()
    theirs.set_layout_engine(ConstrainedLayoutEngine())
    with figure_style():
        freeze_layout(ours, plots.PNG_DPI)
        freeze_layout(theirs, plots.PNG_DPI)
    for mine, its in zip(ours.axes, theirs.axes, strict=True):
        assert mine.get_position().bounds == its.get_position().bounds


def test_a_text_is_measured_as_matplotlib_lays_it_out() -> None:
    fig = Figure(dpi=plots.PNG_DPI)  # (hinted to the pixels of the PNG)
    renderer = FigureCanvasAgg(fig).get_renderer()
    points = 72 / plots.PNG_DPI
    for text in ("0.25", "looking time (error)", "Ág", "two\nlines", "consonant\ntargets\n(3)"):
        for size, weight in ((9.0, "normal"), (11.0, "bold")):
            drawn = fig.text(0, 0, text, fontsize=size, fontweight=weight)
            box = drawn.get_window_extent(renderer)
            width, height = string_box(text, drawn.get_fontproperties())
            # generous by a few per cent and a point or two, never short
            assert box.width * points <= width <= 1.06 * box.width * points + 2.0, text
            assert box.height * points <= height <= box.height * points + 2.0, text
