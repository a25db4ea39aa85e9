"""A project file runs at the built-in recipes' speed: the same compiled kernels underneath.

    python benchmarks/bench_project.py [--repeats N]

Writes the letters simulation as a project (``srnlab new bench --from letters``: Elman 1990's
6-20-6 SRN, 200 passes over ~3,000 letters, phonetic features) and times, in this process,
alternately and ``--repeats`` times each after one warm-up (so both share Numba's compiled
kernels and the machine's load):

- **recipe**: ``letters.run(letters.Config())``, train and measure, as `srnlab run letters`;
- **project**: the project recipe's ``run`` on its config, as `srnlab run bench/bench.toml`
  (reading and hashing the data happen once, when the file is loaded, and are timed apart);
- **tlearn project**: the same network and stream exported as a tlearn project
  (``srnlab export-tlearn``) and run as `srnlab run bench.cf --weights bench.0.wts` runs it,
  200 passes' worth of sweeps (tlearn's choices: context 0, its delta; the compiled kernels).

Both train the same network bit for bit (tests/test_project.py); the project measures more
(the untrained control, the ideal predictor, segmentation, the hidden-state means). Reported:
the median seconds of each and the ratios project / recipe and tlearn project / project (the
targets: at most 1.10 each).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

from srnlab.catalogue import get_recipe
from srnlab.config import apply_overrides
from srnlab.project.recipe import project_recipe
from srnlab.project.scaffold import project_files, write_project
from srnlab.recipes import letters
from srnlab.tlearn.export import export_source, write_export


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-project-") as tmp:
        path = write_project(Path(tmp) / "bench", project_files("bench", "letters"))
        started = time.perf_counter()
        project = project_recipe(path)
        load_seconds = time.perf_counter() - started
        config = project.default_config()
        recipe_config = letters.Config()

        def recipe_run() -> float:
            started = time.perf_counter()
            letters.run(recipe_config)
            return time.perf_counter() - started

        def project_run() -> float:
            started = time.perf_counter()
            project.run(config)
            return time.perf_counter() - started

        export = export_source(path)
        write_export(export, Path(tmp) / "tlearn")
        tlearn = get_recipe(str(Path(tmp) / "tlearn" / f"{export.stem}.cf"))
        sweeps = config.training.passes * len(export.inputs)
        tlearn_config = apply_overrides(
            tlearn.Config(), [f"sweeps={sweeps}", f"weights={Path(tmp)}/tlearn/bench.0.wts"]
        )

        def tlearn_run() -> float:
            started = time.perf_counter()
            tlearn.run(tlearn_config)
            return time.perf_counter() - started

        recipe_run(), project_run(), tlearn_run()  # warm-up: kernels compiled or loaded
        recipe_times, project_times, tlearn_times = [], [], []
        for _ in range(args.repeats):
            recipe_times.append(recipe_run())
            project_times.append(project_run())
            tlearn_times.append(tlearn_run())
    recipe_s, project_s = statistics.median(recipe_times), statistics.median(project_times)
    tlearn_s = statistics.median(tlearn_times)
    print(f"machine: {platform.machine()}, {platform.python_version()}, {platform.platform()}")
    print(f"letters, 6-20-6 SRN, 200 passes; median of {args.repeats} runs each, interleaved")
    print(f"  reading and hashing the project's data (once): {load_seconds:.3f} s")
    print(f"  srnlab run letters (letters.run):              {recipe_s:.3f} s")
    print(f"  the same as a project file (its Recipe.run): {project_s:.3f} s")
    print(f"  the same as a tlearn project (bench.cf):       {tlearn_s:.3f} s")
    print(f"  ratio project / recipe: {project_s / recipe_s:.2f}")
    print(f"  ratio tlearn project / project: {tlearn_s / project_s:.2f}")


if __name__ == "__main__":
    main()
