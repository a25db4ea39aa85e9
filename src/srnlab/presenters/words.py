"""How the words recipe (``recipes.words``, Elman 1990's letter stream) shows its results: the
figures of a run and of many seeds, the terminal report, and the paper table of
`srnlab reproduce`. Everything here reads a run folder's saved numbers; nothing trains.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import numpy as np

from srnlab.analysis.prediction import step_errors
from srnlab.analysis.segmentation import peaks
from srnlab.config import config_from_dict
from srnlab.presenters.claims import claim_of
from srnlab.recipes import words
from srnlab.recipes.words import PAPER, SEGMENTERS, STREAMS
from srnlab.report import count, detail, number, paper_row, recipe_text, spread
from srnlab.run_result import RunResult
from srnlab.tasks.words import encode

if TYPE_CHECKING:  # matplotlib is imported only when figures are drawn
    from matplotlib.figure import Figure

Array = np.ndarray

# ---- figures -------------------------------------------------------------------------------


def _stream_errors(result: RunResult, name: str, measure_name: str) -> tuple[Array, Array]:
    """Network and ideal errors per step of a saved stream, from its letters and outputs."""
    a = result.arrays
    targets = encode("".join(np.roll(a[f"{name}_letters"], -1)))
    return (
        step_errors(targets, a[f"{name}_outputs"])[measure_name],
        step_errors(targets, a[f"{name}_ideal_outputs"])[measure_name],
    )


def figures(result: RunResult) -> dict[str, Figure]:
    """The run's figures, drawn from its saved numbers (no retraining, no rerun)."""
    from srnlab import plots

    config = config_from_dict(words.Config, result.config)
    label = f"5-{config.hidden}-5 SRN, seed {config.seed}"
    stream = _stream_figures(result, config, label)
    return {
        "error_per_letter": stream["error_per_letter"],
        "error_on_paper_passage": _passage_figure(result, config.error_measure, label),
        "segmentation": stream["segmentation"],
        "error_by_position": stream["error_by_position"],
        "learning_curve": plots.learning_curve(
            result.history,
            title=f"Training error per pass ({label})",
            x="pass",
        ),
    }


def _stream_figures(result: RunResult, config: words.Config, label: str) -> dict[str, Figure]:
    """The figures of the stream ``config.figure_stream`` names: the error per letter over
    its first ``figure_letters`` letters, the boundaries found, the error by position."""
    from srnlab.plots import words as word_plots

    measure_name, name = config.error_measure, config.figure_stream
    m = result.metrics["streams"][name]
    net_errors, ideal_errors = _stream_errors(result, name, measure_name)
    stretch = slice(0, min(config.figure_letters, len(net_errors)))
    targets = [str(x) for x in np.roll(result.arrays[f"{name}_letters"], -1)[stretch]]
    stream_name = "training" if name == "train" else "test"
    return {
        "error_per_letter": word_plots.error_per_letter(
            targets,
            net_errors[stretch],
            result.arrays[f"{name}_starts"][stretch],
            ideal_errors=ideal_errors[stretch],
            marked=peaks(net_errors)[stretch],
            measure=measure_name,
            title=f"Error per letter, first {len(targets)} letters of the {stream_name} "
            f"stream ({label})",
        ),
        "segmentation": word_plots.segmentation_scores(
            {SEGMENTERS[k]: m["segmentation"][k] for k in SEGMENTERS},
            title=f"Word boundaries found on the {stream_name} stream ({label})",
        ),
        "error_by_position": word_plots.error_by_position(
            m["network"][measure_name]["by_position"],
            m["ideal"][measure_name]["by_position"],
            measure=measure_name,
            title=f"Error by the target's position in its word ({stream_name}; {label})",
        ),
    }


def _passage_figure(result: RunResult, measure_name: str, label: str) -> Figure:
    """The paper's Figure 6: the error per letter of its own passage."""
    from srnlab.plots import words as word_plots

    a = result.arrays
    passage_targets = a["passage_letters"]
    passage_codes = encode("".join(passage_targets))
    passage_net = step_errors(passage_codes, a["passage_outputs"])[measure_name]
    passage_ideal = step_errors(passage_codes, a["passage_ideal_outputs"])[measure_name]
    return word_plots.error_per_letter(
        [str(x) for x in passage_targets],
        passage_net,
        a["passage_starts"],
        ideal_errors=passage_ideal,
        marked=peaks(passage_net),
        measure=measure_name,
        paper_onset_range=tuple(PAPER["onset_peak_range"]),
        title=f"The paper's Figure 6 passage, run after the training stream ({label})",
    )


def summary_figures(results: list[RunResult]) -> dict[str, Figure]:
    from srnlab.plots import words as word_plots

    summary = words.summarize(results)
    figures: dict[str, Figure] = {}
    for stream in STREAMS:
        seg = summary[f"{stream}_segmentation"]
        figures[f"segmentation_{stream}"] = word_plots.segmentation_scores(
            {SEGMENTERS[k]: {s: seg[k][s]["mean"] for s in seg[k]} for k in SEGMENTERS},
            per_seed={SEGMENTERS[k]: {s: seg[k][s]["values"] for s in seg[k]} for k in SEGMENTERS},
            title=f"Word boundaries found on the {'training' if stream == 'train' else 'test'} "
            f"stream, mean of {len(results)} seeds (dots: seeds)",
        )
    return figures


# ---- text ----------------------------------------------------------------------------------


def report(result: RunResult) -> str:
    """A few lines for the terminal."""
    m = result.metrics
    p = m["pattern"]
    name = p["error_measure"]
    lines = [
        f"seed {result.config['seed']}: "
        + ("shows the paper's pattern" if p["shown"] else "does NOT show the paper's pattern")
    ]
    for stream in STREAMS:
        s = m["streams"][stream]
        net, ideal = s["network"][name], s["ideal"][name]
        seg = s["segmentation"]
        lines.append(
            f"{'training' if stream == 'train' else 'test'} stream ({s['letters']} letters, "
            f"{s['words']} words): {name} error at word-initial letters "
            f"{number(net['word_initial'])}, others {number(net['other'])} (ideal predictor "
            f"{number(ideal['word_initial'])} / {number(ideal['other'])})"
        )
        lines.append(
            "  boundary F1: "
            + ", ".join(
                f"{SEGMENTERS[k]} {seg[k]['f1']:.3f}"
                for k in ("network_peaks", "network_peaks_above_mean", "bigram_dips", "chance")
            )
            + f"; ceiling ({SEGMENTERS['ideal_peaks']}) {seg['ideal_peaks']['f1']:.3f}"
        )
    passage = m["passage"]["network"]
    lines.append(
        f"the paper's passage: onset errors {passage['onset_mean']:.2f} on average, up to "
        f"{passage['onset_max']:.2f} (paper: peaks 1.8-2.95 [figure])"
    )
    return "\n".join(lines)


#: The summary over seeds, written in templates/presenters/words.txt.j2.
report_summary = functools.partial(recipe_text, "words", "summary")


# ---- for `srnlab reproduce` ------------------------------------------------------------------

#: The paper's claim and the figure the report shows first (in claims.toml).
CLAIM, REPORT_FIGURE = claim_of("words")


#: One line: the onset peaks (means over seeds) and where segmentation lands (written in
#: templates/presenters/words.txt.j2).
report_verdict = functools.partial(recipe_text, "words", "verdict")


def paper_table(results: list[RunResult]) -> list[dict[str, str]]:
    """Elman (1990)'s word-segmentation results beside ours (mean over seeds, with spread)."""
    return [
        *_stream_size_rows(results),
        *_passage_rows(results),
        *_error_rows(results),
        *_boundary_rows(results),
    ]


def _stream_size_rows(results: list[RunResult]) -> list[dict[str, str]]:
    train = [r.metrics["streams"]["train"] for r in results]
    return [
        detail(
            paper_row(
                "sentences / words / letters in the training stream",
                f"{PAPER['sentences']} / {PAPER['words']:,} / {PAPER['letters']:,}",
                f"{train[0]['sentences']} / "
                + spread([s["words"] for s in train], 0)
                + " / "
                + spread([s["letters"] for s in train], 0),
                "our reconstruction of the unpublished grammar (tasks/words.py); its "
                "expected totals are 1,271 words and 4,968 letters",
            )
        )
    ]


def _passage_rows(results: list[RunResult]) -> list[dict[str, str]]:
    """The error at word onsets and word ends of the paper's own passage (its Figure 6)."""
    name = results[0].metrics["error_measure"]
    passage = [r.metrics["passage"] for r in results]
    onset_low, onset_high = PAPER["onset_peak_range"]
    final_low, final_high = PAPER["word_final_range"]
    return [
        paper_row(
            "error at word onsets on the paper's passage (a seed's average; its highest)",
            f"peaks {onset_low}-{onset_high} [figure]",
            _average_and_highest(passage, "onset"),
            f"{name} error over 5 bits (max 5); the figure's scale is not stated. The "
            "ideal predictor's onset errors average "
            f"{np.mean([p['ideal']['onset_mean'] for p in passage]):.2f} (mean over seeds): "
            "the paper's peaks sit well above what a perfect learner of this grammar makes",
        ),
        detail(
            paper_row(
                "error at word-final letters on the paper's passage (a seed's "
                "average; its highest)",
                f"{final_low}-{final_high} [figure]",
                _average_and_highest(passage, "word_final"),
                f"{name} error; one-letter words (a) count as onsets",
            )
        ),
    ]


def _average_and_highest(passage: list[dict[str, Any]], where: str) -> str:
    """The network's error at ``where`` ("onset", "word_final") of the paper's passage over
    the seeds: 'average: SPREAD; highest: SPREAD' of each seed's average and highest."""
    network = [p["network"] for p in passage]
    return (
        f"average: {spread([n[f'{where}_mean'] for n in network], 2)}; "
        f"highest: {spread([n[f'{where}_max'] for n in network], 2)}"
    )


def _error_rows(results: list[RunResult]) -> list[dict[str, str]]:
    """The error over the training stream, at onsets and elsewhere, and the pattern."""
    name = results[0].metrics["error_measure"]
    train = [r.metrics["streams"]["train"] for r in results]
    ideal = {
        key: float(np.mean([s["ideal"][name][key] for s in train]))
        for key in ("word_initial", "other", "all")
    }
    return [
        paper_row(
            "error at word-initial vs other letters (training stream)",
            "peaks at onsets, falls through the word",
            spread([s["network"][name]["word_initial"] for s in train])
            + " vs "
            + spread([s["network"][name]["other"] for s in train]),
            f"mean {name} error; the ideal predictor (mean over seeds): "
            f"{ideal['word_initial']:.3f} vs {ideal['other']:.3f}",
        ),
        detail(
            paper_row(
                "overall error stays fairly high",
                "yes",
                spread([s["network"][name]["all"] for s in train]),
                f"mean {name} error per letter; ideal predictor "
                f"{ideal['all']:.3f} (mean over seeds)",
            )
        ),
        detail(
            paper_row(
                "the pattern (onsets at least twice the rest, F1 >= 1.5 x chance)",
                "yes",
                count([words.success(r) for r in results]),
                "`pattern` on the training stream",
            )
        ),
    ]


def _boundary_rows(results: list[RunResult]) -> list[dict[str, str]]:
    """Word boundaries found by the network, the bigram baseline, chance and the ceiling."""

    def f1(key: str, stream: str = "train") -> str:
        return spread([r.metrics["streams"][stream]["segmentation"][key]["f1"] for r in results])

    return [
        paper_row(
            "boundary F1: network error peaks (training / test stream)",
            "not reported",
            f1("network_peaks") + " / " + f1("network_peaks", "test"),
            "a boundary before every target whose error is a local maximum; "
            f"peaks >= mean error: {f1('network_peaks_above_mean')}",
        ),
        paper_row(
            "boundary F1: bigram transitional-probability dips (Saffran et al. 1996)",
            "not reported",
            f1("bigram_dips") + " / " + f1("bigram_dips", "test"),
            "P(next | current) estimated on the training stream; the baseline to beat",
        ),
        paper_row(
            "boundary F1: chance, at the true boundary rate",
            "not reported",
            f1("chance"),
            "expected value, exact: the boundary rate",
        ),
        detail(
            paper_row(
                "boundary F1: the ideal predictor's error peaks",
                "not reported",
                f1("ideal_peaks"),
                "the ceiling of error-peak segmentation on this grammar: predictable "
                "onsets (years, ago, sea) make no peak",
            )
        ),
    ]
