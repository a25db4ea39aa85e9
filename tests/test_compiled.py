"""Making the compiled kernels ready: the parts a run needs, split over processes, and the
order `srnlab reproduce` hands its experiments to the workers."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest

from srnlab import compiled
from srnlab.commands import reproduce
from srnlab.srn import SRNSchedule


@pytest.mark.parametrize("processes", [1, 2, 3])
def test_the_parts_are_split_into_groups_each_part_once(processes: int) -> None:
    groups = compiled.balanced(compiled.PARTS, processes)
    assert len(groups) == (1 if processes == 1 else len(compiled.FAMILIES))
    assert sorted(itertools.chain(*groups)) == sorted(compiled.PARTS)


def test_a_family_is_compiled_in_one_process_the_srn_one_here() -> None:
    srn, feedforward = compiled.balanced(["copyback", "forward", "feedforward"], 2)
    assert srn == ("copyback", "forward") and feedforward == ("feedforward",)
    assert compiled.balanced(["feedforward"], 2) == [("feedforward",)]


def test_an_unknown_part_is_refused() -> None:
    with pytest.raises(ValueError, match="nope"):
        compiled.balanced(["copyback", "nope"], 2)


def test_the_reproduced_experiments_never_call_the_general_training_loop() -> None:
    configs = [recipe.Config() for recipe in reproduce.reproducible().values()]
    assert compiled.parts_for(configs) == ("copyback", "forward", "feedforward")


@pytest.mark.parametrize(
    ("through_time", "update_every"),
    list(itertools.product([1, 2, "window", None], [1, 5, None])),
)
def test_the_general_loop_is_wanted_as_the_kernels_choose_it(
    through_time: object, update_every: object
) -> None:
    class Config:
        pass

    config = Config()
    config.through_time = through_time  # type: ignore[attr-defined]
    config.update_every = update_every  # type: ignore[attr-defined]
    schedule = SRNSchedule(0.1, 0.0, through_time, update_every)  # type: ignore[arg-type]
    general = "general" in compiled.parts_for([config])
    assert general == (not schedule.online_copyback)


def test_kernels_warmed_up_in_two_processes_are_cached_for_the_next() -> None:
    code = "from srnlab import compiled; print(compiled.warm_up(compiled.PARTS, {}).compiled)"
    for processes in (2, 1):
        out = subprocess.run(
            [sys.executable, "-c", code.format(processes)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    assert int(out.strip().splitlines()[-1]) == 0


def test_the_experiment_with_the_quickest_summary_goes_last_the_rest_slowest_first() -> None:
    plans = [
        reproduce.Plan(recipe, None, 1, None)  # type: ignore[arg-type]
        for recipe in reproduce.reproducible().values()
    ]
    order = [plan.recipe.NAME for plan in reproduce.job_order(plans)]
    quickest = min(reproduce.SUMMARY_SECONDS, key=reproduce.SUMMARY_SECONDS.__getitem__)
    assert order[-1] == quickest
    costs = [reproduce.SECONDS_PER_SEED[name] for name in order[:-1]]
    assert costs == sorted(costs, reverse=True)
    assert sorted(order) == sorted(reproduce.reproducible())


def test_parts_of_a_helper_that_dies_are_warmed_up_here(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from concurrent.futures.process import BrokenProcessPool

    done: list[tuple[str, ...]] = []

    class DeadHelper:
        def result(self) -> int:
            raise BrokenProcessPool("killed")

    class Pool:
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            pass

        def __enter__(self) -> Pool:
            return self

        def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
            pass

        def submit(self, function, group):  # type: ignore[no-untyped-def]
            return DeadHelper()

    def warm(group: tuple[str, ...]) -> int:
        done.append(group)
        return len(group)

    monkeypatch.setattr(compiled, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(compiled, "_warm_up_parts", warm)
    ready = compiled.warm_up(["copyback", "feedforward"], 2)
    assert done == [("copyback",), ("feedforward",)] and ready.compiled == 2
