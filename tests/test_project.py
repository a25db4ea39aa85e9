"""Project files: your own network, data and analyses, run by the recipes' own machinery."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from conftest import cli
from srnlab.project.scaffold import project_files, write_project
from srnlab.results import load_run
from srnlab.seeding import generators
from srnlab.srn import SRN, SRNSchedule, init_srn, train_srn


@pytest.fixture()
def here(tmp_path: Path) -> Path:
    old = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(old)


def _arrays(folder: Path) -> dict[str, np.ndarray]:
    with np.load(folder / "arrays.npz", allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def _same_training(recipe_run: Path, project_run: Path) -> None:
    """Initial and final weights and the learning curve, bit for bit."""
    a, b = _arrays(recipe_run), _arrays(project_run)
    weights = [k for k in a if k.startswith(("initial_", "final_"))]
    assert weights
    for key in weights:
        assert np.array_equal(a[key], b[key]), key
    assert (recipe_run / "history.csv").read_text() == (project_run / "history.csv").read_text()


def test_from_letters_trains_exactly_what_run_letters_trains(here: Path) -> None:
    assert cli("new", "mine", "--from", "letters")[0] == 0
    assert cli("run", "letters", "--out", "recipe", "--no-figures")[0] == 0
    assert cli("run", "mine/mine.toml", "--out", "project", "--no-figures")[0] == 0
    _same_training(here / "recipe", here / "project")
    # and the frozen test on the new stream is the same too
    assert np.array_equal(
        _arrays(here / "recipe")["test_outputs"], _arrays(here / "project")["test_outputs"]
    )


def test_from_xor_trains_exactly_what_run_xor_trains(here: Path) -> None:
    assert cli("new", "mine", "--from", "xor")[0] == 0
    assert cli("run", "xor", "--out", "recipe", "--no-figures", "--set", "epochs=300")[0] == 0
    code, _ = cli(
        "run", "mine/mine.toml", "--out", "project", "--no-figures", "--set", "passes=300"
    )
    assert code == 0
    _same_training(here / "recipe", here / "project")
    recipe_solved = json.loads((here / "recipe/metrics.json").read_text())["solved"]
    assert load_run(here / "project").metrics["solved"] == recipe_solved


def test_from_temporal_xor_trains_exactly_what_run_temporal_xor_trains(here: Path) -> None:
    assert cli("new", "mine", "--from", "temporal-xor")[0] == 0
    assert cli("run", "temporal-xor", "--out", "recipe", "--no-figures")[0] == 0
    assert cli("run", "mine/mine.toml", "--out", "project", "--no-figures")[0] == 0
    _same_training(here / "recipe", here / "project")
    recipe, project = _arrays(here / "recipe"), _arrays(here / "project")
    assert np.array_equal(recipe["test_outputs"], project["test_outputs"][:, 0])
    # the file's position column gives the paper's reading: the XOR bit (2) is learned
    by = load_run(here / "project").metrics["by_position"]
    errors = dict(zip(by["labels"], by["network"], strict=True))
    assert errors[2] < 0.8 * min(errors[0], errors[1])


def test_a_statistical_learning_language_is_segmented_by_prediction_error(here: Path) -> None:
    """Saffran-style words without pauses: the error is higher at word onsets than inside
    words, and its peaks find the boundaries far above chance and above the untrained net."""
    assert cli("new", "saffran")[0] == 0
    assert cli("run", "saffran/saffran.toml", "--out", "run")[0] == 0
    metrics = load_run(here / "run").metrics
    seg = metrics["segmentation"]
    assert seg["onset_error"]["network"] > 5 * seg["inside_error"]["network"]
    network = seg["network_peaks_above_mean"]["f1"]
    assert network > 3 * seg["chance"]["f1"]
    assert network > seg["untrained_peaks_above_mean"]["f1"] + 0.3
    assert metrics["error"]["network"]["squared"] < metrics["error"]["untrained"]["squared"] / 5
    figures = {p.stem for p in (here / "run/figures").glob("*.png")}
    assert {"learning_curve", "error_by_position", "segmentation", "hidden_tree"} <= figures


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder / next(n for n in files if n.endswith(".toml"))


SEQUENCES_TOML = """\
[network]
hidden = 3
[data]
patterns = "steps.csv"
inputs = ["a", "b"]
targets = ["y"]
[training]
passes = 4
through_time = "none"
update_every = "none"
"""


def test_a_sequence_column_resets_the_context_exactly_where_declared(here: Path) -> None:
    rng = np.random.default_rng(5)
    sequence = [0, 0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 3]  # new sequences at rows 3, 5, 9
    x = rng.integers(0, 2, size=(12, 2)).astype(float)
    y = rng.integers(0, 2, size=(12, 1)).astype(float)
    rows = ["sequence,a,b,y"] + [
        f"{s},{a:g},{b:g},{t:g}" for s, (a, b), (t,) in zip(sequence, x, y, strict=True)
    ]
    project = _write(here / "p", {"p.toml": SEQUENCES_TOML, "steps.csv": "\n".join(rows) + "\n"})
    assert cli("run", str(project), "--out", "run", "--no-figures")[0] == 0
    final = _arrays(here / "run")

    # the reference maths (full BPTT per sequence), with the resets written out by hand
    net = SRN(2, 3, 1, loss="half_squared")
    initial = init_srn(2, 3, 1, generators(0)["weights"], 1.0)
    schedule = SRNSchedule(0.1, 0.0, through_time=None, update_every=None)
    expected, _ = train_srn(
        net, initial, x, y, schedule, passes=4, resets=[0, 3, 5, 9], backend="reference"
    )
    for name, array in expected.to_npz_dict().items():
        np.testing.assert_allclose(final[f"final_{name}"], array, rtol=0, atol=1e-12)
    # resets elsewhere give other weights: the test can tell
    other, _ = train_srn(
        net, initial, x, y, schedule, passes=4, resets=[0, 4, 5, 9], backend="reference"
    )
    assert not np.allclose(final["final_W_ch"], other.W_ch, atol=1e-9)


def test_feedforward_patterns_read_the_same_from_csv_npy_and_npz(here: Path) -> None:
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)
    y = np.array([[0], [1], [1], [0]], float)
    np.save(here / "xor.npy", np.hstack([x, y]))
    np.savez(here / "xor.npz", inputs=x, targets=y)
    base = '[network]\nkind = "feedforward"\nhidden = [3, 2]\n[training]\npasses = 50\n'
    (here / "a.toml").write_text(
        base + '[data]\npatterns = "xor.npy"\ninputs = [0, 1]\ntargets = [2]\n'
    )
    (here / "b.toml").write_text(base + '[data]\npatterns = "xor.npz"\n')
    # .npz: the arrays are named inputs and targets, so no columns are needed
    (here / "b.toml").write_text(base + '[data]\npatterns = "xor.npz"\ntargets = ["y"]\n')
    assert cli("run", "a.toml", "--out", "ra", "--no-figures")[0] == 0
    assert cli("run", "b.toml", "--out", "rb", "--no-figures")[0] == 0
    a, b = _arrays(here / "ra"), _arrays(here / "rb")
    assert a["final_weights_0"].shape == (3, 2) and a["final_weights_1"].shape == (2, 3)
    for key in a:
        if key.startswith("final_"):
            assert np.array_equal(a[key], b[key]), key


def test_settings_by_dotted_or_unique_short_key(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _write(here / "p", project_files("p", None))
    for key in ("training.learning_rate", "learning_rate"):
        out = here / key
        assert (
            cli(
                "run",
                str(project),
                "--out",
                str(out),
                "--no-figures",
                "--set",
                f"{key}=0.3",
                "--set",
                "passes=2",
            )[0]
            == 0
        )
        assert load_run(out).config["training"]["learning_rate"] == 0.3
    code, _ = cli("run", str(project), "--set", "hidden=5", "--out", "x")
    assert code == 2
    message = capsys.readouterr().err
    assert "ambiguous" in message and "network.hidden" in message and "analysis.hidden" in message
    code, _ = cli("run", str(project), "--set", "training.learnig_rate=0.3", "--out", "x")
    assert code == 2 and "did you mean 'training.learning_rate'" in capsys.readouterr().err
    assert not (here / "x").exists()


def test_seeds_sweep_resume_and_show_work_on_a_project(here: Path) -> None:
    project = _write(here / "p", project_files("p", None))
    common = ["--set", "passes=2", "--no-figures"]
    assert cli("run", str(project), "--seeds", "2", "--jobs", "2", "--out", "s", *common)[0] == 0
    assert cli("run", str(project), "--seeds", "2", "--jobs", "1", "--out", "s1", *common)[0] == 0
    for seed in (0, 1):  # worker processes (the recipe travels whole) == this process
        assert (
            _arrays(here / f"s/seed-{seed}")["final_W_hy"].tobytes()
            == _arrays(here / f"s1/seed-{seed}")["final_W_hy"].tobytes()
        )
    before = (here / "s/seed-0/arrays.npz").stat().st_mtime_ns
    assert cli("run", str(project), "--seeds", "3", "--jobs", "1", "--out", "s", *common)[0] == 0
    assert (here / "s/seed-0/arrays.npz").stat().st_mtime_ns == before  # resumed, kept
    assert (here / "s/seed-2").is_dir()
    code, _ = cli(
        "sweep",
        str(project),
        "--grid",
        "network.hidden=4,8",
        "--seeds",
        "1",
        "--jobs",
        "1",
        "--out",
        "g",
        *common,
    )
    assert code == 0
    assert {p.name for p in (here / "g").iterdir() if p.is_dir() and p.name != "figures"} == {
        "network.hidden=4",
        "network.hidden=8",
    }
    assert _arrays(here / "g/network.hidden=8/seed-0")["final_W_hy"].shape == (12, 8)
    code, text = cli("show", "s/seed-0", "--figures")
    assert code == 0 and "error per step" in text
    assert (here / "s/seed-0/figures/segmentation.png").is_file()


def test_changed_data_is_refused_on_resume(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _write(here / "p", project_files("p", None))
    args = [
        "run",
        str(project),
        "--seeds",
        "2",
        "--jobs",
        "1",
        "--out",
        "s",
        "--set",
        "passes=1",
        "--no-figures",
    ]
    assert cli(*args)[0] == 0
    corpus = here / "p/language.txt"
    corpus.write_text(corpus.read_text().replace("tupiro", "tupira"))
    before = (here / "s/aggregate.json").read_text()
    assert cli(*args)[0] == 2
    assert "data files changed" in capsys.readouterr().err
    assert (here / "s/aggregate.json").read_text() == before


FEEDFORWARD_CSV = (
    '[network]\nkind = "feedforward"\n[data]\npatterns = "x.csv"\ninputs = ["a"]\ntargets = ["y"]\n'
)
BAD_FILES = [
    (
        "network too large for memory",
        {"p.toml": "[network]\nhidden = 100000\n"},
        ["p.toml", "of memory (estimate)", "100000"],
    ),
    (
        "unknown table",
        {"p.toml": "[netwrk]\nhidden = 3\n"},
        ["p.toml:1", "netwrk", "did you mean 'network'"],
    ),
    (
        "unknown key",
        {"p.toml": "[training]\nlearning_rat = 0.1\n"},
        ["p.toml:2", "training.learning_rat", "did you mean 'learning_rate'"],
    ),
    (
        "wrong type",
        {"p.toml": '[training]\npasses = "many"\n'},
        ["p.toml:2", "training.passes", "whole number"],
    ),
    (
        "bad value",
        {"p.toml": '[network]\nhidden_activation = "relu"\n'},
        ["p.toml:2", "hidden_activation", "logistic"],
    ),
    ("not TOML", {"p.toml": "[network\nhidden = 3\n"}, ["p.toml", "not valid TOML", "line 1"]),
    (
        "missing data file",
        {"p.toml": '[data]\ncorpus = "nowhere.txt"\n'},
        ["p.toml", "nowhere.txt", "does not exist"],
    ),
    (
        "empty corpus",
        {"p.toml": '[data]\ncorpus = "c.txt"\n', "c.txt": "  \n\n"},
        ["c.txt", "empty"],
    ),
    (
        "symbol missing from the table",
        {
            "p.toml": '[data]\ncorpus = "c.txt"\nencoding = "f.csv"\n',
            "c.txt": "abc",
            "f.csv": "symbol,x\na,1\nb,0\n",
        },
        ["c.txt", "'c'", "not in the encoding table"],
    ),
    (
        "ragged feature table",
        {
            "p.toml": '[data]\ncorpus = "c.txt"\nencoding = "f.csv"\n',
            "c.txt": "ab",
            "f.csv": "symbol,x,y\na,1,0\nb,0\n",
        },
        ["f.csv:3", "2 cells", "header has 3"],
    ),
    (
        "NaN in patterns",
        {
            "p.toml": FEEDFORWARD_CSV,
            "x.csv": "a,y\n1,0\nnan,1\n",
        },
        ["x.csv:3", "not a finite number"],
    ),
    (
        "inf in patterns",
        {
            "p.toml": FEEDFORWARD_CSV,
            "x.csv": "a,y\n1,0\ninf,1\n",
        },
        ["x.csv:3", "not a finite number"],
    ),
    (
        "no such column",
        {
            "p.toml": FEEDFORWARD_CSV.replace('["a"]', '["b"]'),
            "x.csv": "a,y\n1,0\n",
        },
        ["x.csv", "no column 'b'"],
    ),
    (
        "feedforward on a corpus",
        {"p.toml": '[network]\nkind = "feedforward"\n[data]\ncorpus = "c.txt"\n', "c.txt": "ab"},
        ["p.toml", "feedforward", "patterns"],
    ),
]


@pytest.mark.parametrize(
    ("files", "said"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES]
)
def test_a_bad_project_file_is_one_line_and_exit_2(
    here: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], said: list[str]
) -> None:
    files = dict(files)
    files.setdefault("c.txt", "ab ba")
    if "[data]" not in files["p.toml"]:
        files["p.toml"] += '[data]\ncorpus = "c.txt"\n'
    project = _write(here / "proj", files)
    code, _ = cli("run", str(project), "--out", "out")
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    for text in said:
        assert text in err, (text, err)
    assert not (here / "out").exists()


def test_a_corpus_too_large_for_memory_is_refused_with_the_estimate(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("srnlab.checks.machine_memory", lambda: 1_000_000)
    project = _write(here / "p", project_files("p", None))
    assert cli("run", str(project), "--out", "out")[0] == 2
    err = capsys.readouterr().err
    assert "of memory (estimate)" in err and "language.txt" in err and "1.0 MB" in err
    assert not (here / "out").exists()


def test_new_never_touches_an_existing_folder(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "mine").mkdir()
    (here / "mine/keep.txt").write_text("mine")
    assert cli("new", "mine")[0] == 2
    assert (here / "mine/keep.txt").read_text() == "mine"
    assert cli("new", "other", "--from", "sentences")[0] == 2
    assert "valid: letters, xor, temporal-xor" in capsys.readouterr().err


def test_list_shows_a_project_files_settings(here: Path) -> None:
    project = write_project(here / "p", project_files("p", "letters"))
    code, text = cli("list", str(project))
    assert code == 0
    assert "training.passes (int, default 200)" in text
    assert "data.encoding (str, default 'features.csv')" in text


def test_a_project_exported_to_tlearn_trains_to_the_same_weights(here: Path) -> None:
    """export-tlearn writes a project's network, data and initial weights as a tlearn project;
    run by srnlab's tlearn mode (context 0, tlearn's delta) it gives the project's numbers."""
    from srnlab.srn import SRNParams
    from srnlab.tlearn.export import srn_weights

    project = write_project(here / "p", project_files("p", None))
    text = project.read_text().replace("context_start = 0.5", "context_start = 0.0")
    project.write_text(text.replace("passes = 20", "passes = 3"))
    assert cli("run", str(project), "--out", "native", "--no-figures")[0] == 0
    assert cli("export-tlearn", str(project), "tl")[0] == 0
    steps = len(_arrays(here / "native")["test_items"])  # the test corpus; count the training's
    n_train = sum(len(w) for w in (here / "p/language.txt").read_text().split())
    assert steps != n_train
    code, _ = cli(
        "run", "tl/p.cf", "--weights", "tl/p.0.wts", "--set", f"sweeps={3 * n_train}",
        "--set", "learning_rate=0.1", "--out", "tlearn", "--no-figures",
    )  # fmt: skip
    assert code == 0
    native = _arrays(here / "native")
    final = SRNParams.from_npz_dict(
        {k.removeprefix("final_"): v for k, v in native.items() if k.startswith("final_")}
    )
    tlearn_final = _arrays(here / "tlearn")["final_weights"]
    np.testing.assert_allclose(tlearn_final, srn_weights(final), rtol=0, atol=1e-12)
