"""Every recipe's run folder, at fixed seeds, is bit for bit what it was when the hashes in
``data/run_hashes.json`` were recorded (before the recipes were rebuilt on one engine).

A refactor must not move a single bit of a result: this runs each case, hashes what a run
folder holds as results (every array of ``arrays.npz`` by name, dtype, shape and bytes; the
numbers of ``metrics.json``; ``history.csv`` byte for byte) and compares. ``config.json`` is
left out on purpose: it records versions, which change without changing a result.

The hashes are written once, deliberately, by ``python tests/test_bit_identity.py --record``;
a change that is meant to alter results records them again and says so in its commit message.

Bit for bit holds on one kind of CPU, not across them: the compiled kernels' dot product may be
summed in any order (``fastmath`` reassociation, so that it vectorises) and LLVM picks the
vector width and interleaving from the CPU it compiles for. So the file keeps one set of hashes
per CPU (LLVM's name for it), and a run must equal the set of its own CPU, or, on a CPU nobody
recorded, one of the recorded sets: a change that moves a bit matches none. ``--record`` adds
or replaces this CPU's set, for a commit whose results are known to be unchanged.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import cli

HASHES = Path(__file__).parent / "data" / "run_hashes.json"
TLEARN_XOR = Path(__file__).parent / "data" / "tlearn" / "xor.cf"

#: name -> the `srnlab run` arguments (recipe and --set overrides). The defaults of every recipe
#: at seed 0, and the training modes the defaults do not reach: batch and cross-entropy,
#: BPTT(k) with updates every k steps, full BPTT once per pass, momentum with tanh units.
CASES: dict[str, list[str]] = {
    "xor": ["xor"],
    "xor-batch-cross-entropy": [
        "xor",
        *("--set", "seed=7", "--set", "update=batch", "--set", "loss=cross_entropy"),
        *("--set", "epochs=500", "--set", "order=fixed"),
    ],
    "temporal-xor": ["temporal-xor"],
    "temporal-xor-bptt3": [
        "temporal-xor",
        *("--set", "through_time=3", "--set", "update_every=3", "--set", "passes=60"),
        *("--set", "seed=2", "--set", "test_cycles=100"),
    ],
    "letters": ["letters"],
    "letters-full-bptt": [
        "letters",
        *("--set", "through_time=none", "--set", "update_every=none", "--set", "passes=20"),
        *("--set", "n_consonants=100", "--set", "test_consonants=100", "--set", "seed=3"),
    ],
    "letters-tanh-momentum": [
        "letters",
        *("--set", "hidden_activation=tanh", "--set", "momentum=0.9", "--set", "loss=squared"),
        *("--set", "learning_rate=0.02", "--set", "passes=20", "--set", "n_consonants=200"),
        *("--set", "carry_context=false"),
    ],
    "time-as-space": ["time-as-space"],
    "time-as-space-letters": [
        "time-as-space",
        *("--set", "task=letters", "--set", "passes=50", "--set", "widths=1,3"),
    ],
    "words": ["words"],
    "sentences": ["sentences"],
    "sentences-disjoint-cross-entropy": [
        "sentences",
        *("--set", "categories=disjoint", "--set", "loss=cross_entropy", "--set", "passes=1"),
        *("--set", "n_sentences=1000", "--set", "hidden=30", "--set", "seed=5"),
    ],
    "rules": ["rules"],
    "tlearn-xor": [str(TLEARN_XOR)],
    # project files that `srnlab new` writes: the engine under users' own experiments
    "project-saffran": ["new:saffran"],
    "project-from-temporal-xor": ["new:txor", "--from", "temporal-xor"],
}


def run_folder_hashes(folder: Path) -> dict[str, str]:
    """The SHA-256 of each result file of a run folder, computed from its content only."""
    arrays = hashlib.sha256()
    with np.load(folder / "arrays.npz", allow_pickle=False) as npz:
        for name in sorted(npz.files):
            value = npz[name]
            arrays.update(f"{name}:{value.dtype.str}:{value.shape}".encode())
            arrays.update(np.ascontiguousarray(value).tobytes())
    metrics = json.loads((folder / "metrics.json").read_text())
    canonical = json.dumps(metrics, sort_keys=True).encode()  # floats written with repr: exact
    history = folder / "history.csv"  # absent where a recipe has no learning curve (rules)
    return {
        "arrays.npz": arrays.hexdigest(),
        "metrics.json": hashlib.sha256(canonical).hexdigest(),
        "history.csv": hashlib.sha256(history.read_bytes()).hexdigest()
        if history.exists()
        else "absent",
    }


def run_case(name: str, out: Path) -> dict[str, str]:
    folder = out / name
    target, *options = CASES[name]
    if target.startswith("new:"):  # write the project first, then run its file
        project = target.removeprefix("new:")
        code, text = cli("new", project, *options, "--dir", str(out))
        assert code == 0, text
        target, options = str(out / project / f"{project}.toml"), []
    code, text = cli("run", target, *options, "--no-figures", "--out", str(folder))
    assert code == 0, text
    return run_folder_hashes(folder)


def this_cpu() -> str:
    """The CPU the kernels are compiled for, as LLVM names it (its code generation follows)."""
    import llvmlite.binding

    return str(llvmlite.binding.get_host_cpu_name())


def platforms() -> list[dict]:
    return list(json.loads(HASHES.read_text())["platforms"])


def expected(name: str) -> list[dict[str, str]]:
    """The recorded hashes a run of case ``name`` may equal: its CPU's, else every CPU's."""
    own = [p["hashes"][name] for p in platforms() if p["cpu"] == this_cpu()]
    return own or [p["hashes"][name] for p in platforms()]


@pytest.mark.parametrize("name", sorted(CASES))
def test_run_folder_is_bit_identical_to_the_recorded_one(name, tmp_path):
    assert run_case(name, tmp_path) in expected(name)


def test_every_case_has_a_recorded_hash_on_every_platform():
    for platform in platforms():
        assert sorted(platform["hashes"]) == sorted(CASES), platform["cpu"]


def test_the_hash_sees_a_one_bit_change(tmp_path):
    """The comparison could fail: flipping the last bit of one weight changes the hash."""
    folder = tmp_path / "xor"
    code, _ = cli("run", "xor", "--set", "epochs=3", "--no-figures", "--out", str(folder))
    assert code == 0
    before = run_folder_hashes(folder)
    with np.load(folder / "arrays.npz", allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    name = sorted(arrays)[0]
    flipped = arrays[name].copy()
    flipped.view(np.uint64).flat[0] ^= 1
    arrays[name] = flipped
    np.savez(folder / "arrays.npz", **arrays)
    after = run_folder_hashes(folder)
    assert after["arrays.npz"] != before["arrays.npz"]
    assert after["metrics.json"] == before["metrics.json"]


if __name__ == "__main__":  # python tests/test_bit_identity.py --record
    import tempfile

    if sys.argv[1:] != ["--record"]:
        sys.exit("usage: python tests/test_bit_identity.py --record")
    with tempfile.TemporaryDirectory() as scratch:
        hashes = {name: run_case(name, Path(scratch)) for name in sorted(CASES)}
    others = [p for p in platforms() if p["cpu"] != this_cpu()]
    recorded = {"platforms": [*others, {"cpu": this_cpu(), "hashes": hashes}]}
    HASHES.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n")
    print(f"recorded {len(hashes)} cases for CPU {this_cpu()} in {HASHES}")
