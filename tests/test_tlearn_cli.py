"""`srnlab run PROJECT.cf` and `srnlab export-tlearn`: run folders, tlearn files both ways,
and bad project files as one line with exit code 2."""

from __future__ import annotations

import re
import shutil

import numpy as np
import pytest

from conftest import cli
from srnlab.catalogue import get_recipe
from srnlab.config import config_to_dict
from srnlab.params import FeedforwardParams
from srnlab.replicate import run_job
from srnlab.results import load_run
from srnlab.srn import SRNParams
from srnlab.tlearn.cf import read_cf
from srnlab.tlearn.export import feedforward_weights, srn_weights
from srnlab.tlearn.wts import parse_wts
from tlearn_data import SRN_CF, XOR_FILES, write_project


@pytest.fixture
def xor_project(tmp_path):
    folder = tmp_path / "xor"
    shutil.copytree(XOR_FILES, folder)
    return folder


def test_run_a_project_from_tlearn_weights_writes_a_tlearn_run_folder(xor_project, tmp_path):
    out = tmp_path / "run"
    cf, start = str(xor_project / "xor.cf"), str(xor_project / "xor.0.wts")
    code, text = cli("run", cf, "--weights", start,
                     "--set", "sweeps=2000", "--set", "learning_rate=0.3", "--set", "momentum=0.9",
                     "--out", str(out))  # fmt: skip
    assert code == 0 and "engine: fast" in text
    for name in (
        "weights.wts",
        "history.csv",
        "metrics.json",
        "arrays.npz",
        "figures/learning_curve.png",
    ):
        assert (out / name).is_file()
    result = load_run(out)
    written, sweeps = parse_wts((out / "weights.wts").read_text())
    assert sweeps == 2000 and np.array_equal(written, result.arrays["final_weights"])
    tlearn, _ = parse_wts((xor_project / "xor.2000.wts").read_text())
    assert np.abs(written - tlearn).max() < 1e-5
    # history: one row per pass of 4 sweeps; verify/probe: every pattern, every node
    assert result.history["sweep"][-1] == 2000 and len(result.history["pass"]) == 500
    assert result.arrays["verify_outputs"].shape == (4, 1)
    assert result.arrays["probe_activations"].shape == (4, 3)
    assert np.array_equal(
        result.arrays["probe_activations"][:, 2:], result.arrays["verify_outputs"]
    )
    solved = (result.arrays["verify_outputs"][:, 0] > 0.5) == (result.arrays["targets"][:, 0] > 0.5)
    assert solved.all()


def test_a_project_recipe_travels_to_workers_whole(xor_project):
    """--seeds N sends workers the recipe itself, pickled: the project's patterns travel with
    it, and a pickled copy trains the same as the original; its NAME still resolves again."""
    import pickle

    recipe = get_recipe(str(xor_project / "xor.cf"))
    assert get_recipe(recipe.NAME).NAME == recipe.NAME
    config = config_to_dict(recipe.with_seed(recipe.Config(sweeps=40), 3))
    travelled = pickle.loads(pickle.dumps(recipe))
    outcome = run_job(travelled, config, None)
    assert outcome.error is None and "weights.wts" in outcome.files
    assert b"# weights after 40 sweeps" in outcome.files["weights.wts"]
    assert outcome.files["metrics.json"] == run_job(recipe, config, None).files["metrics.json"]


def test_tlearn_options_are_set_keys_and_unknown_keys_are_refused(xor_project, tmp_path):
    code, _ = cli("run", str(xor_project / "xor.cf"), "--set", "sweeps=8", "--set", "colour=red",
                  "--out", str(tmp_path / "r"))  # fmt: skip
    assert code == 2 and not (tmp_path / "r").exists()
    code, _ = cli("run", str(xor_project / "xor.cf"), "--set", "sweeps=10", "--set",
                  "random_order=true", "--set", "update_every_sweeps=2", "--no-figures",
                  "--out", str(tmp_path / "r2"))  # fmt: skip
    result = load_run(tmp_path / "r2")
    assert code == 0 and result.metrics["engine"] == "reference"
    assert result.history["sweep"] == [4, 8, 10]  # passes of 4, the last one partial


def test_weights_is_for_tlearn_projects_only(tmp_path, capsys):
    code, _ = cli(
        "run", "xor", "--weights", str(XOR_FILES / "xor.0.wts"), "--out", str(tmp_path / "r")
    )
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        "srnlab: error: --weights FILE.wts is for tlearn projects (PROJECT.cf), not xor"
    )


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        ("p.cf", SRN_CF.replace("1-2 from i1", "1-2 from 9"), r"p\.cf:9: there is no node 9"),
        ("p.cf", SRN_CF.replace("output node is 3", "output node is i1"),
         r"p\.cf:5: input i1 cannot be an output"),
        ("p.cf", SRN_CF.replace("1-2 from i1", "1-2 from i1-3"), r"p\.cf:9: .*mixes an input"),
        ("p.data", "distributed\n3\n1\n0\n", r"p\.data:4: the file ends where"),
        ("p.teach", "distributed\n2\n1\n0\n1\n", r"p\.teach:5: more values than the count 2"),
        ("p.wts", "NETWORK CONFIGURED BY TLEARN\n# weights after 0 sweeps\n# WEIGHTS\n"
         "# TO NODE 1\n1\n",
         r"p\.wts:4: weights for another network: 1 nodes with 1 weights"),
    ],
)  # fmt: skip
def test_bad_project_files_are_one_line_and_exit_2(tmp_path, capsys, file, text, message):
    cf = write_project(tmp_path, "p", SRN_CF, "distributed\n2\n1\n0\n", "distributed\n2\n0\n1\n")
    (tmp_path / file).write_text(text)
    args = ["run", str(cf), "--out", str(tmp_path / "run"), "--no-figures"]
    if file == "p.wts":
        args += ["--weights", str(tmp_path / file)]
    code, _ = cli(*args)
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith("srnlab: error: ")
    assert re.search(message, err), err
    assert not (tmp_path / "run").exists()


def test_export_a_xor_run_then_run_it_as_a_tlearn_project(tmp_path):
    """Round trip: the exported network, data and initial weights, trained by the tlearn
    engine with tlearn's schedule, give the srnlab run's final weights."""
    run = tmp_path / "xor-run"
    cli("run", "xor", "--set", "loss=half_squared", "--set", "order=fixed", "--set", "epochs=300",
        "--set", "learning_rate=0.5", "--no-figures", "--out", str(run))  # fmt: skip
    code, text = cli("export-tlearn", str(run), str(tmp_path / "tl"))
    assert code == 0 and "xor.cf" in text
    exported = read_cf(tmp_path / "tl" / "xor.cf")
    assert (exported.n_nodes, exported.n_inputs, exported.outputs) == (3, 2, (3,))
    tl = tmp_path / "tl"
    code, _ = cli("run", str(tl / "xor.cf"), "--weights", str(tl / "xor.0.wts"),
                  "--set", "sweeps=1200", "--set", "learning_rate=0.5", "--set", "momentum=0.9",
                  "--no-figures", "--out", str(tmp_path / "back"))  # fmt: skip
    assert code == 0
    original = load_run(run)
    final = FeedforwardParams.from_npz_dict(
        {k[6:]: v for k, v in original.arrays.items() if k.startswith("final_")}
    )
    back = load_run(tmp_path / "back")
    assert np.abs(back.arrays["final_weights"] - feedforward_weights(final)).max() < 1e-12
    exported_final, sweeps = parse_wts((tmp_path / "tl" / "xor.wts").read_text())
    assert sweeps == 1200 and np.array_equal(exported_final, feedforward_weights(final))


def test_export_a_temporal_xor_srn_then_run_it_as_a_tlearn_project(tmp_path):
    """An SRN: with context_start 0 (tlearn's) and tlearn's rate twice srnlab's (E = (y - a)^2
    vs 1/2 sum), the exported project trains to the srnlab run's weights."""
    run = tmp_path / "txor"
    cli("run", "temporal-xor", "--set", "passes=3", "--set", "n_triples=30", "--set",
        "test_cycles=10", "--set", "context_start=0", "--no-figures",
        "--out", str(run))  # fmt: skip
    code, text = cli("export-tlearn", str(run), str(tmp_path / "tl"))
    assert code == 0 and "tlearn -r 0.2 matches srnlab learning_rate 0.1" in text
    code, _ = cli("run", str(tmp_path / "tl" / "temporal-xor.cf"), "--weights",
                  str(tmp_path / "tl" / "temporal-xor.0.wts"), "--set", "sweeps=270", "--set",
                  "learning_rate=0.2", "--no-figures", "--out", str(tmp_path / "back"))  # fmt: skip
    assert code == 0
    original = load_run(run)
    final = SRNParams.from_npz_dict(
        {k[6:]: v for k, v in original.arrays.items() if k.startswith("final_")}
    )
    back = load_run(tmp_path / "back")
    assert back.metrics["engine"] == "fast"
    assert np.abs(back.arrays["final_weights"] - srn_weights(final)).max() < 1e-12


def test_export_a_project_and_a_tlearn_run(xor_project, tmp_path):
    code, _ = cli("export-tlearn", str(xor_project / "xor.cf"), str(tmp_path / "copy"))
    assert code == 0
    assert read_cf(tmp_path / "copy" / "xor.cf").same_as(read_cf(xor_project / "xor.cf"))
    cli("run", str(xor_project / "xor.cf"), "--set", "sweeps=40", "--no-figures",
        "--out", str(tmp_path / "run"))  # fmt: skip
    code, _ = cli("export-tlearn", str(tmp_path / "run"), str(tmp_path / "again"))
    assert code == 0
    final, sweeps = parse_wts((tmp_path / "again" / "xor.wts").read_text())
    assert sweeps == 40 and np.array_equal(
        final, load_run(tmp_path / "run").arrays["final_weights"]
    )
    # nothing is replaced without --force
    code, _ = cli("export-tlearn", str(tmp_path / "run"), str(tmp_path / "again"))
    assert code == 2
