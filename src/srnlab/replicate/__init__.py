"""Running a recipe many times and writing what it produced: one run folder per replication,
and the statistics over them, for ``srnlab run --seeds N``, ``srnlab sweep`` and
``srnlab reproduce``. Nothing here prints (progress and failures go to callbacks) and nothing
here draws (the caller passes a ``Figures`` drawer, ``srnlab.plots.folders.FolderFigures``),
so the same code serves the command line, a notebook or a test, and the results stay below the
presentation floor.

**Seeds.** Replication i of a condition uses seed ``config.seed + i``, nothing else: it is the
same run whether it is run alone (``--set seed=S``), in a sweep, serially, in worker processes,
on Dask, or on a rerun that resumes an interrupted one.

**Nothing lost, nothing recomputed.** A replication runs in a worker (``run_job``: train, then
send the run folder's files back as bytes, its figures drawn in a private temporary folder),
and the main process writes them into ``.seed-S.*.partial/``, flushes them to disk,
and renames that to ``seed-S/``: a ``seed-S/`` folder exists only complete. A rerun skips every
replication whose folder exists. A replication that raises is reported (one line to the
``failed`` callback, and in ``aggregate.json``) and the others go on; it has no folder, so the
next rerun tries it again.

**What is written** (per condition: a ``run --seeds N`` folder, or each condition of a sweep)

    seed-S/          each replication's run folder (config, metrics, history, arrays; figures
                     for the first seed, or every seed with ``draw_all``)
    aggregate.json   every numeric metric's n, mean, SD, 95% CI (``srnlab.aggregate``); the
                     success rate with its Wilson interval; failed replications and their errors
    aggregate.csv    the same, one row per metric
    metrics.csv      one row per replication: seed, status, error, success, every metric
    summary.json     the recipe's own summary (``recipe.summarize``)
    replications.csv the recipe's own columns, one row per replication
    figures/         the recipe's summary figures and ``learning_curves`` (mean and 95% band),
                     with a drawer

A sweep adds, at its top: ``replications.csv`` (the tidy table of every replication of every
condition), ``summary.csv`` and ``summary.json`` (per condition and metric); the caller draws
``figures/METRIC.png`` from the ``SweepResult``. Everything is computed from the files on disk,
so a resumed run's statistics are those of an uninterrupted one, bit for bit.

**Modules**, each with one job:

    jobs         one replication: ``Job``, ``plan``, ``run_job`` (in a worker), ``write_run``
    storage      atomic ``seed-S/`` folders: ``store``, ``remove_partials``, ``load_finished``
    running      ``execute``: many jobs on a backend, each stored as it finishes
    statistics   each replication's metric row, aggregate.json, a sweep's summary.json
    tables       the CSV files
    conditions   ``run_replications`` and ``write_condition``: one folder of replications
    sweeps       ``run_sweep``: every condition of a grid
"""

from __future__ import annotations

from srnlab.replicate.conditions import (
    Replications,
    run_replications,
    write_condition,
    write_summary,
)
from srnlab.replicate.jobs import (
    Figures,
    Job,
    Outcome,
    one_line,
    plan,
    quiet_overflow,
    reference,
    run_job,
    seeds,
    write_run,
)
from srnlab.replicate.running import (
    WORKER_IMPORTS,
    Failed,
    Failure,
    FolderDone,
    Interrupted,
    Progress,
    execute,
)
from srnlab.replicate.statistics import metric_row, metric_stats, metric_values, statistics
from srnlab.replicate.storage import load_finished, remove_partials, store
from srnlab.replicate.sweeps import SweepResult, choose_metric, run_sweep
from srnlab.replicate.tables import aggregate_csv, rows_to_csv

__all__ = [
    "WORKER_IMPORTS",
    "Failed",
    "Failure",
    "Figures",
    "FolderDone",
    "Interrupted",
    "Job",
    "Outcome",
    "Progress",
    "Replications",
    "SweepResult",
    "aggregate_csv",
    "choose_metric",
    "execute",
    "load_finished",
    "metric_row",
    "metric_stats",
    "metric_values",
    "one_line",
    "plan",
    "quiet_overflow",
    "reference",
    "remove_partials",
    "rows_to_csv",
    "run_job",
    "run_replications",
    "run_sweep",
    "seeds",
    "statistics",
    "store",
    "write_condition",
    "write_run",
    "write_summary",
]
