"""Statistics over replications, grids and manifests, on inputs whose answers are known."""

from __future__ import annotations

import math

import numpy as np
import pytest

from srnlab.aggregate import describe, describe_all, flatten_metrics, success_rate
from srnlab.errors import UserError
from srnlab.recipes import time_as_space, xor
from srnlab.replicate import rows_to_csv
from srnlab.sweep import difference, expand, manifest, parse_grid


def test_describe_known_values() -> None:
    d = describe([1.0, 2.0, None, 3.0, 4.0])
    assert d["n"] == 4 and d["mean"] == 2.5 and d["min"] == 1.0 and d["max"] == 4.0
    sd = math.sqrt(5 / 3)  # sum of squared deviations 5, over n - 1 = 3
    assert d["sd"] == pytest.approx(sd, rel=1e-15)
    half = 3.182446305284263 * sd / 2  # t(0.975, 3) from tables, times SD / sqrt(4)
    assert d["ci95_low"] == pytest.approx(2.5 - half, rel=1e-12)
    assert d["ci95_high"] == pytest.approx(2.5 + half, rel=1e-12)


def test_describe_edge_cases() -> None:
    one = describe([7])
    assert one["mean"] == 7.0 and one["sd"] is None and one["ci95_low"] is None
    assert describe([None, None])["n"] == 0
    same = describe([0.25, 0.25, 0.25])
    assert same["sd"] == 0.0 and same["ci95_low"] == same["ci95_high"] == 0.25
    booleans = describe([True, False, True, True])
    assert booleans["mean"] == 0.75  # the fraction that holds


def test_wilson_interval_known_values() -> None:
    r = success_rate([True] * 8 + [False] * 2)
    assert (r["successes"], r["n"], r["rate"]) == (8, 10, 0.8)
    # Wilson score interval for 8/10 at 95% (Newcombe 1998): 0.4902 to 0.9433
    assert r["ci95_low"] == pytest.approx(0.4902, abs=5e-5)
    assert r["ci95_high"] == pytest.approx(0.9433, abs=5e-5)
    none = success_rate([False, False, False])
    assert none["ci95_low"] == 0.0 and none["ci95_high"] == pytest.approx(0.5615, abs=5e-5)
    assert success_rate([])["rate"] is None


def test_flatten_metrics_keeps_scalars_and_short_lists() -> None:
    metrics = {
        "solved": True,
        "epoch": 12,
        "nan": float("nan"),
        "missing": None,
        "name": "text",
        "outputs": [0.1, 0.9],
        "long": list(range(100)),
        "matrix": [[1, 2], [3, 4]],
        "network": {"error": {"all": 0.5, "by_position": [0.1, None]}},
    }
    flat = flatten_metrics(metrics)
    assert flat == {
        "solved": True,
        "epoch": 12,
        "outputs.0": 0.1,
        "outputs.1": 0.9,
        "network.error.all": 0.5,
        "network.error.by_position.0": 0.1,
    }
    stats = describe_all([flat, {"epoch": 14, "solved": False}])
    assert stats["epoch"]["mean"] == 13.0 and stats["solved"]["mean"] == 0.5
    assert stats["outputs.0"]["n"] == 1


def test_describe_all_gives_each_column_describes_numbers_exactly() -> None:
    # describe_all computes every column's interval in one scipy call: the numbers must be
    # those of describe on that column alone (columns of 0, 1, 2, ... 9 values, equal values)
    rng = np.random.default_rng(2)
    rows = [
        {f"m{k}": (float(rng.normal(k, 10.0**k)) if i < k else None) for k in range(10)}
        | {"same": 0.25, "flag": bool(i % 2)}
        for i in range(9)
    ]
    stats = describe_all(rows)
    for key in stats:
        assert stats[key] == describe(row.get(key) for row in rows), key
    assert stats["m5"]["n"] == 5 and "m0" not in stats and stats["m1"]["ci95_low"] is None
    assert stats["same"]["ci95_low"] == stats["same"]["ci95_high"] == 0.25


def test_csv_rows_union_columns_and_exact_floats() -> None:
    text = rows_to_csv([{"a": 0.1 + 0.2, "b": None}, {"a": 1, "c": True}])
    assert text.splitlines() == ["a,b,c", "0.30000000000000004,,", "1,,True"]
    assert float(text.splitlines()[1].split(",")[0]) == 0.1 + 0.2


def test_parse_grid_types_values_and_expands_in_order() -> None:
    grid = parse_grid(xor.Config, ["hidden=2,3", "learning_rate=0.1, 0.5", "update=online,batch"])
    assert grid == [("hidden", [2, 3]), ("learning_rate", [0.1, 0.5]),
                    ("update", ["online", "batch"])]  # fmt: skip
    conditions = expand(xor.Config(epochs=5), grid)
    assert len(conditions) == 8
    assert conditions[0].name == "hidden=2,learning_rate=0.1,update=online"
    assert conditions[-1].values == {"hidden": 3, "learning_rate": 0.5, "update": "batch"}
    assert conditions[-1].config == xor.Config(epochs=5, hidden=3, learning_rate=0.5,
                                               update="batch")  # fmt: skip
    # a list-valued field takes ';' between its values
    widths = parse_grid(time_as_space.Config, ["widths=1,2;1,2,3"])
    assert widths == [("widths", [(1, 2), (1, 2, 3)])]
    assert expand(time_as_space.Config(), widths)[1].name == "widths=1+2+3"


@pytest.mark.parametrize(
    ("specs", "fixed", "message"),
    [
        (["colour=red,blue"], [], "unknown config key 'colour'; valid keys: hidden"),
        (["hidden=2,two"], [], "hidden='two': expected a whole number"),
        (["hidden"], [], "--grid expects key=value1,value2"),
        (["hidden=2,,3"], [], "hidden needs values separated by ','"),
        (["hidden=2,2"], [], "hidden lists a value twice"),
        (["seed=1,2"], [], "seed is not a grid key; use --seeds N"),
        (["hidden=2", "hidden=3"], [], "hidden is given twice"),
        (["hidden=2,3"], ["hidden"], "hidden is also given with --set"),
        (["loss=squared,hinge"], [], "unknown loss 'hinge'"),
    ],
)
def test_bad_grids_are_clear_errors(specs: list[str], fixed: list[str], message: str) -> None:
    with pytest.raises(UserError, match=None) as info:
        grid = parse_grid(xor.Config, specs, fixed)
        expand(xor.Config(), grid)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_manifest_difference_names_what_changed() -> None:
    grid = parse_grid(xor.Config, ["hidden=2,3"])
    here = manifest("sweep", "xor", xor.Config(epochs=5), grid)
    assert difference(here, here) is None
    other_lr = manifest("sweep", "xor", xor.Config(epochs=5, learning_rate=0.5), grid)
    assert difference(other_lr, here) == "config learning_rate=0.5 there, 0.1 here"
    other_grid = manifest(
        "sweep", "xor", xor.Config(epochs=5), parse_grid(xor.Config, ["hidden=2"])
    )
    assert difference(other_grid, here) == "grid hidden=2 there, hidden=2,3 here"
    plain = manifest("replications", "xor", xor.Config(epochs=5), [])
    assert "not a sweep" in str(difference(plain, here))
