"""How the sentences recipe (``recipes.sentences``, Elman 1990's next-word task) shows its
results: the figures of a run and of many seeds, the terminal report, and the paper table of
`srnlab reproduce`. Everything here reads a run folder's saved numbers; nothing trains.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from srnlab.config import config_from_dict
from srnlab.presenters.claims import claim_of
from srnlab.recipes import sentences
from srnlab.recipes.sentences import PAPER
from srnlab.recipes.sentences_measures import POSITION_NAMES, PREDICTORS, predictor_value
from srnlab.recipes.sentences_tree import TOP_SPLITS, animals_branch, humans_branch
from srnlab.report import count, detail, number, outcome, paper_row, spread
from srnlab.run_result import RunResult
from srnlab.tasks.sentences import NOVEL_WORD, grammar_floor

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# ---- figures -------------------------------------------------------------------------------


def figures(result: RunResult) -> dict[str, Figure]:
    """The run's figures, drawn from its saved numbers (no retraining, no rerun)."""
    from srnlab import plots
    from srnlab.plots import sentences as splots

    config = config_from_dict(sentences.Config, result.config)
    m = result.metrics
    label = f"31-{config.hidden}-31 SRN, seed {config.seed}"
    return {
        "errors": splots.error_summary(
            m["predictors"],
            PAPER,
            title=f"Prediction on the training corpus, weights frozen ({label})",
        ),
        "error_by_position": splots.error_by_position(
            POSITION_NAMES,
            {name: m["predictors"][name]["by_position"] for name in ("trained", "unigram")},
            title=f"Error against the likelihood vectors, by place in the sentence ({label})",
        ),
        "error_distribution": splots.error_distribution(
            result.arrays["trained_likelihood_error"],
            result.arrays["trained_cosine"],
            PAPER,
            title=f"Per-word error against the likelihood vectors ({label})",
        ),
        "learning_curve": plots.learning_curve(
            result.history, title=f"Training error per pass ({label})", x="pass"
        ),
        **_tree_figures(result, label),
    }


def _tree_figures(result: RunResult, label: str) -> dict[str, Figure]:
    """The hidden layer: the tree of word means (the paper's Figure 7), beside the untrained
    net's, on two principal components, and with the novel word."""
    from srnlab.plots import representations as rplots

    reps = result.metrics["representations"]
    groups = {name: set(words) for name, words in result.metrics["word_groups"].items()}
    trained, untrained = reps["trained"], reps["untrained"]
    method = f"{trained['method']} linkage, {trained['metric']} distance"
    figs: dict[str, Figure] = {
        "tree": rplots.dendrogram(
            trained["linkage"],
            trained["labels"],
            groups,
            title=f"Mean hidden vector of each word\n{method}\n({label})",
        ),
        "tree_untrained": rplots.dendrograms(
            {
                "trained": (trained["linkage"], trained["labels"]),
                "untrained (initial weights)": (untrained["linkage"], untrained["labels"]),
            },
            groups,
            title=f"Word means after and before training ({method}; {label})",
        ),
        "pca": rplots.pca_plot(
            trained["pca"]["coords"],
            trained["labels"],
            groups,
            explained=trained["pca"]["explained"],
            title=f"Word means on their first two principal components ({label})",
        ),
    }
    if "novel" in reps:
        novel = reps["novel"]
        figs["tree_novel"] = rplots.dendrogram(
            novel["linkage"],
            novel["labels"],
            groups,
            highlight=(NOVEL_WORD,),
            title=f'"{NOVEL_WORD}" in place of "{novel["replaced_word"]}", weights frozen\n'
            f"({label})",
        )
    return figs


def summary_figures(results: list[RunResult]) -> dict[str, Figure]:
    from srnlab.plots import sentences as splots

    summary = sentences.summarize(results)
    return {
        "errors": splots.seed_comparison(
            summary, PAPER, title=f"The sentence task over {len(results)} seeds"
        )
    }


# ---- text ----------------------------------------------------------------------------------


def _splits_text(splits: Mapping[str, bool]) -> str:
    return ", ".join(f"{name} {'yes' if shown else 'no'}" for name, shown in splits.items())


def report(result: RunResult) -> str:
    """A few lines for the terminal."""
    m = result.metrics
    p = m["predictors"]

    def line(name: str) -> str:
        e, like = p[name]["next_word"]["euclidean"], p[name]["likelihood"]
        return (
            f"  {name:<10} {number(e['mean'])}   {number(like['euclidean']['mean'])} "
            f"(SD {number(like['euclidean']['sd'])})   {number(like['cosine']['mean'])} "
            f"(SD {number(like['cosine']['sd'])})"
        )

    verdict = (
        "predicts as well as word order allows"
        if m["pattern"]["shown"]
        else "does NOT predict as well as word order allows"
    )
    lines = [
        f"seed {result.config['seed']}: {verdict} ({m['corpus']['words']:,} words, "
        f"{m['corpus']['sentences']:,} sentences; tested on the training corpus, frozen)",
        "  predictor  next word   vs likelihood (SD)   cosine (SD)",
        *(line(name) for name in PREDICTORS),
        f"  paper      {PAPER['next_word_error']:.3f}   {PAPER['likelihood_error_mean']:.3f} "
        f"(SD {PAPER['likelihood_error_sd']:.3f})   {PAPER['cosine_mean']:.3f} "
        f"(SD {PAPER['cosine_sd']:.3f})",
        f"tree of word means (trained): {_splits_text(_top(m['tree']['trained']))}",
        f"tree of word means (untrained): {_splits_text(_top(m['tree']['untrained']))}",
        f"humans a branch of their own: {'yes' if humans_branch(m['tree']) else 'no'}; "
        f"the six animals: {'yes' if animals_branch(m['tree']) else 'no'} (ideal predictor's "
        f"tree: {'yes' if animals_branch(m['tree'], 'ideal') else 'no'})",
    ]
    if "novel" in m["tree"]:
        novel = m["tree"]["novel"]
        lines.append(
            f'"{NOVEL_WORD}" (for "{novel["replaced_word"]}"): nearest cluster '
            f"{', '.join(novel['nearest_cluster'])}; "
            f"{'among' if novel['in_human_cluster'] else 'NOT among'} the human nouns only"
            f"{', but among animate nouns only' if _animates_only(novel) else ''}"
        )
    return "\n".join(lines)


def _animates_only(novel: Mapping[str, Any]) -> bool:
    return bool(novel["among_animates"] and not novel["in_human_cluster"])


def _top(splits: Mapping[str, bool]) -> dict[str, bool]:
    return {name: splits[name] for name in TOP_SPLITS if name in splits}


def report_summary(summary: dict[str, Any]) -> str:
    n = summary["replications"]
    t = summary["trained"]
    trees = ", ".join(f"{s} {summary['tree_trained'].get(s, 0)}/{n}" for s in TOP_SPLITS)
    untrained_trees = ", ".join(
        f"{s} {summary['tree_untrained'].get(s, 0)}/{n}" for s in TOP_SPLITS
    )
    novel = summary["novel_in_human_cluster"]
    return (
        f"{summary['pattern_shown']}/{n} seeds predict as well as word order allows. "
        f"Mean over seeds: next-word error {number(t['next_word_error']['mean'])} (the "
        f"grammar's floor {number(summary.get('grammar_floor'))}; in-sample likelihood vectors "
        f"{number(summary['ideal']['next_word_error']['mean'])}; paper 0.88); against the "
        f"likelihood vectors {number(t['likelihood_error']['mean'])} (paper 0.053; squared "
        f"{number(t['likelihood_squared']['mean'])}), cosine {number(t['cosine']['mean'])} "
        f"(paper 0.916). Tree splits shown (trained): {trees}; untrained: {untrained_trees}. "
        f"Humans a branch of their own: trained {summary['humans_branch_trained']}/{n}, "
        f"untrained {summary['humans_branch_untrained']}/{n}; the six animals: trained "
        f"{summary['animals_branch_trained']}/{n}, the likelihood vectors' tree "
        f"{summary['animals_branch_ideal']}/{n}."
        + (
            f' "{NOVEL_WORD}" in a cluster of human nouns only in {novel}/{n}, of animate nouns '
            f"only in {summary['novel_among_animates']}/{n}."
            if novel is not None
            else ""
        )
    )


# ---- for `srnlab reproduce` ------------------------------------------------------------------

#: The paper's claim and the figure the report shows first (in claims.toml).
CLAIM, REPORT_FIGURE = claim_of("sentences")


def report_verdict(summary: dict[str, Any]) -> str:
    """One line: prediction (means over seeds) and which parts of the tree reproduce."""
    n, t = summary["replications"], summary["trained"]
    splits = summary["tree_trained"]
    return (
        f"Prediction: {outcome(summary['pattern_shown'], n).lower()} "
        f"({summary['pattern_shown']} of {n} seeds), mean next-word error "
        f"{number(t['next_word_error']['mean'])} "
        f"(floor {number(summary.get('grammar_floor'))}), cosine "
        f"{number(t['cosine']['mean'])}. Tree: nouns vs verbs "
        f"{splits.get('nouns vs verbs', 0)}/{n} seeds, humans a branch "
        f"{summary['humans_branch_trained']}/{n}, animals a branch "
        f"{summary['animals_branch_trained']}/{n}"
        + (
            f', "{NOVEL_WORD}" among the humans {summary["novel_in_human_cluster"]}/{n}.'
            if summary["novel_in_human_cluster"] is not None
            else "."
        )
    )


def paper_table(results: list[RunResult]) -> list[dict[str, str]]:
    """Elman (1990)'s sentence results beside ours (mean over seeds, with spread)."""
    return [*_next_word_rows(results), *_likelihood_rows(results), *_tree_rows(results)]


def _values(results: list[RunResult], predictor: str, path: str) -> list[float | None]:
    """One measure of ``predictor`` (a dotted path into its measures) in every run."""
    return [predictor_value(r, predictor, path) for r in results]


def _ours(results: list[RunResult], path: str, predictor: str = "trained") -> str:
    """The measure over the runs as the table writes it (``report.spread``)."""
    return spread(_values(results, predictor, path))


def _mean(results: list[RunResult], predictor: str, path: str) -> float:
    """The mean over the runs where the measure is defined."""
    return float(np.mean([v for v in _values(results, predictor, path) if v is not None]))


def _next_word_rows(results: list[RunResult]) -> list[dict[str, str]]:
    """The error against the actual next word, beside the grammar's floor."""
    ideal = _mean(results, "ideal", "next_word.euclidean.mean")
    floor = grammar_floor(results[0].config["categories"])
    return [
        paper_row(
            "error against the actual next word",
            "0.88",
            _ours(results, "next_word.euclidean.mean"),
            "per-word Euclidean ||y - a||, training corpus, weights frozen",
        ),
        paper_row(
            "ideal: the floor of that error (the grammar's exact next-word probabilities)",
            "not given",
            f"{floor:.4f} (exact)",
            "the lowest mean error any predictor can reach on this grammar; the "
            "in-sample estimate, Elman's likelihood vectors from the training sentences "
            f"themselves, gives {ideal:.4f} (mean over seeds), {floor - ideal:.4f} optimistic",
        ),
        detail(
            paper_row(
                "the same with every output off",
                "1.0",
                _ours(results, "next_word.euclidean.mean", "all_off"),
                "exactly 1 for a one-hot target",
            )
        ),
    ]


def _likelihood_rows(results: list[RunResult]) -> list[dict[str, str]]:
    """The error against the likelihood vectors and the cosine, beside the references."""
    untrained = _mean(results, "untrained", "likelihood.euclidean.mean")
    unigram = _mean(results, "unigram", "likelihood.euclidean.mean")
    # an all-zero output has no cosine (None): it counts as 0 here
    unigram_cosine = np.mean(
        [v or 0.0 for v in _values(results, "unigram", "likelihood.cosine.mean")]
    )
    return [
        paper_row(
            "error against the likelihood vectors: mean",
            "0.053",
            _ours(results, "likelihood.euclidean.mean"),
            f"Euclidean; the squared reading sum (L - a)^2 gives "
            f"{_ours(results, 'likelihood.squared.mean')}; unigram predictor "
            f"{unigram:.3f}, untrained net {untrained:.3f}",
        ),
        detail(
            paper_row(
                "error against the likelihood vectors: SD over words",
                "0.100",
                _ours(results, "likelihood.euclidean.sd"),
                f"squared reading: {_ours(results, 'likelihood.squared.sd')}",
            )
        ),
        paper_row(
            "cosine of output and likelihood vector: mean",
            "0.916",
            _ours(results, "likelihood.cosine.mean"),
            f"unigram predictor {unigram_cosine:.3f}",
        ),
        detail(
            paper_row("cosine: SD over words", "0.123", _ours(results, "likelihood.cosine.sd"), "")
        ),
    ]


def _tree_rows(results: list[RunResult]) -> list[dict[str, str]]:
    """The paper's reading of its tree, split by split, and the novel word."""
    trees = [r.metrics["tree"] for r in results]

    def split_row(split: str, paper: str = "yes") -> dict[str, str]:
        return paper_row(
            f"tree of word means: {split}",
            paper,
            count([t["trained"].get(split, False) for t in trees]),
            f"untrained net: {count([t['untrained'].get(split, False) for t in trees])}; "
            "in-sample likelihood vectors (Elman's ideal): "
            f"{count([t.get('ideal', {}).get(split, False) for t in trees])}; "
            "a split counts when each part is a branch of the tree",
        )

    def branch_row(part: str, check: Callable[..., bool]) -> dict[str, str]:
        return paper_row(
            f"tree of word means: {part} a branch of their own",
            "yes",
            count([check(t) for t in trees]),
            f"untrained net: {count([check(t, 'untrained') for t in trees])}; "
            "in-sample likelihood vectors (Elman's ideal) averaged per word: "
            f"{count([check(t, 'ideal') for t in trees])}",
        )

    rows = [
        split_row("nouns vs verbs", "yes (top split)"),
        split_row("animates vs inanimates"),
        split_row("humans vs animals"),
        branch_row("humans", humans_branch),
        branch_row("the six animals", animals_branch),
        detail(split_row("small vs large animals")),
        detail(split_row("food vs breakables vs other inanimates")),
        detail(split_row("verbs by direct object (paper's reading)")),
    ]
    novel = [t["novel"] for t in trees if "novel" in t]
    if novel:
        rows.append(
            paper_row(
                f'novel word "{NOVEL_WORD}" (for "man") among the human nouns',
                "yes",
                count([n["in_human_cluster"] for n in novel]),
                "its smallest cluster holds human nouns only; nearest word a human: "
                f"{count([n['nearest_is_human'] for n in novel])}; cluster of animates only: "
                f"{count([n['among_animates'] for n in novel])}; nearest words, seed "
                f"{results[0].config['seed']}: {', '.join(novel[0]['nearest_words'][:3])}",
            )
        )
    return rows
