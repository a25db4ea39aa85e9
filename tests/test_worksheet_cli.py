"""``srnlab worksheet`` in-process (``cli.main``) and as a real subprocess."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import openpyxl
import pytest

from srnlab.backprop import Network
from srnlab.cli import main
from srnlab.commands.worksheet_inputs import random_weights
from srnlab.commands.worksheet_output import OUTPUT_FILES
from srnlab.explain import build_worksheet
from srnlab.params import named_weights

XOR_INPUTS = [[0, 0], [0, 1], [1, 0], [1, 1]]
XOR_TARGETS = [[0], [1], [1], [0]]


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["worksheet", *argv], out=out)
    return code, out.getvalue()


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def updates_from_csv(text: str) -> dict[tuple[int, str, str], float]:
    """(step, weight, factor) -> value of every 'update' row."""
    return {
        (int(r["step"]), r["item"], r["factor"]): float(r["value"])
        for r in csv_rows(text)
        if r["kind"] == "update"
    }


def write_json(path, data) -> None:
    path.write_text(json.dumps(data), encoding="utf-8")


# ---- what it shows -------------------------------------------------------------------------


def test_default_is_one_xor_epoch_with_the_first_update_in_detail():
    code, text = run()
    assert code == 0
    assert "2-2-1" in text
    assert "Update 1 of 4" in text and "Update 2 of 4" not in text
    for label in ("x3 = w0,3 + w1,3·a1 + w2,3·a2", "∂E/∂a5 = −2(y5 − a5)", "σ'(x5)", "w6,5"):
        assert label in text
    # the initial weights printed are the seed-0 weights, to the digits shown
    for name, value in named_weights(random_weights((2, 2, 1), 0, 1.0)).items():
        assert f"{value:.4f}" in text, name


def test_show_all_and_markdown():
    code, text = run("--show", "all", "--format", "markdown", "--digits", "6")
    assert code == 0
    assert text.startswith("# ")
    assert all(f"## Update {k} of 4" in text for k in range(1, 5))
    assert "| weight | w before | ∂E/∂w | Δw | w after |" in text


def test_a_long_run_stays_readable_on_the_terminal():
    code, text = run("--epochs", "50", "--show", "last")
    assert code == 0
    assert "Update 200 of 200" in text and "Update 1 of 200" not in text
    assert len(text.splitlines()) < 150  # 200 updates, yet about one screenful of tables
    assert "left out" in text


def test_csv_holds_every_update_and_matches_the_library():
    code, text = run("--format", "csv", "--lr", "0.25", "--momentum", "0.5", "--epochs", "2")
    assert code == 0
    params = random_weights((2, 2, 1), 0, 1.0)
    ws = build_worksheet(
        Network((2, 2, 1)), params, XOR_INPUTS, XOR_TARGETS, learning_rate=0.25,
        momentum=0.5, epochs=2,
    )  # fmt: skip
    values = updates_from_csv(text)
    assert {step for step, _, _ in values} == set(range(1, 9))
    for update in ws.updates:
        for c in update.changes:
            assert values[(update.step, c.name, "new")] == c.new  # repr() round-trips exactly
            assert values[(update.step, c.name, "previous_change")] == c.previous_change
    kinds = {r["kind"] for r in csv_rows(text)}
    assert kinds == {"setting", "unit", "error", "credit", "weight", "update"}


def test_order_and_batch():
    code, text = run("--order", "4,2", "--update", "batch", "--format", "csv")
    assert code == 0
    rows = csv_rows(text)
    assert {r["step"] for r in rows if r["step"]} == {"1"}
    assert [r["pattern"] for r in rows if r["kind"] == "error"] == ["4", "2"]
    assert {r["pattern"] for r in rows if r["kind"] == "update"} == {""}


def test_same_seed_same_numbers_other_seed_other_numbers():
    assert run("--seed", "3", "--format", "csv")[1] == run("--seed", "3", "--format", "csv")[1]
    assert run("--seed", "3", "--format", "csv")[1] != run("--seed", "4", "--format", "csv")[1]


def test_saved_weights_read_back_exactly(tmp_path):
    saved = tmp_path / "weights.json"
    code, seeded = run("--sizes", "2,3,1", "--seed", "5", "--save-weights", str(saved))
    assert code == 0 and f"wrote {saved}" in seeded
    data = json.loads(saved.read_text())
    assert data["sizes"] == [2, 3, 1]
    assert len(data["weights"]) == 3 * 3 + 4
    from_seed = run("--sizes", "2,3,1", "--seed", "5", "--format", "csv")[1]
    from_file = run("--weights", str(saved), "--format", "csv")[1]
    assert from_file == from_seed


def test_hand_written_weights_and_patterns(tmp_path):
    weights = {"w0,4": 0.1, "w1,4": -0.2, "w2,4": 0.3, "w3,4": 0.4, "w6,5": -0.5, "w4,5": 0.6}
    write_json(tmp_path / "w.json", {"sizes": [3, 1, 1], "weights": weights, "comment": "mine"})
    patterns = {"inputs": [[1, 0, 1], [0, 1, 1]], "targets": [[1], [0]]}
    write_json(tmp_path / "p.json", patterns)
    code, text = run(
        "--weights", str(tmp_path / "w.json"), "--patterns", str(tmp_path / "p.json"),
        "--format", "csv", "--lr", "1",
    )  # fmt: skip
    assert code == 0
    values = updates_from_csv(text)
    assert {name for _, name, _ in values} == set(weights)
    assert values[(1, "w1,4", "old")] == -0.2
    # units: inputs 1-3, hidden 4, output 5, bias units 0 and 6. Pattern 1 (1 0 1):
    # x4 = w0,4 + w1,4 + w3,4 = 0.1 - 0.2 + 0.4
    x4 = next(
        float(r["value"])
        for r in csv_rows(text)
        if r["step"] == "1" and r["item"] == "4" and r["factor"] == "x"
    )
    assert x4 == pytest.approx(0.1 - 0.2 + 0.4)


# ---- files ---------------------------------------------------------------------------------


def test_out_writes_every_file_and_a_rerun_refreshes_its_own_folder(tmp_path):
    folder = tmp_path / "sheet"
    code, _ = run("--order", "1", "--out", str(folder))
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted([*OUTPUT_FILES, "manifest.json"])
    book = openpyxl.load_workbook(folder / "worksheet.xlsx")
    assert book.sheetnames == ["worksheet", "summary"]
    assert (folder / "network.png").read_bytes().startswith(b"\x89PNG")
    assert "<svg" in (folder / "network_final.svg").read_text()

    # The same command again (the README's main job, run twice) refreshes its own folder.
    before = {name: (folder / name).read_bytes() for name in OUTPUT_FILES}
    code, _ = run("--order", "1", "--out", str(folder))
    assert code == 0
    assert (folder / "worksheet.csv").read_bytes() == before["worksheet.csv"]
    code, _ = run("--order", "2", "--out", str(folder))
    assert code == 0
    assert (folder / "worksheet.csv").read_bytes() != before["worksheet.csv"]
    assert sorted(p.name for p in folder.iterdir()) == sorted([*OUTPUT_FILES, "manifest.json"])


def test_files_of_the_same_names_in_a_foreign_folder_need_force(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "worksheet.md").write_text("my own notes")
    (folder / "manifest.json").write_text('{"srnlab": "replications"}')
    code, _ = run("--order", "1", "--out", str(folder))
    assert code == 2
    assert (folder / "worksheet.md").read_text() == "my own notes"
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "worksheet.md"]
    code, _ = run("--order", "1", "--out", str(folder), "--force")
    assert code == 0 and (folder / "worksheet.md").read_text() != "my own notes"


def test_out_into_an_existing_folder_keeps_other_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    code, _ = run("--order", "1", "--out", str(tmp_path))
    assert code == 0
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*OUTPUT_FILES, "manifest.json", "notes.txt"]
    )


def test_existing_weights_file_is_not_overwritten(tmp_path):
    saved = tmp_path / "weights.json"
    saved.write_text("precious")
    code, _ = run("--save-weights", str(saved))
    assert code == 2
    assert saved.read_text() == "precious"


# ---- bad input -----------------------------------------------------------------------------

GOOD_WEIGHTS = {
    "w0,3": 0.1, "w1,3": 0.2, "w2,3": -0.3, "w0,4": 0.4, "w1,4": -0.5, "w2,4": 0.6,
    "w6,5": 0.7, "w3,5": -0.8, "w4,5": 0.9,
}  # fmt: skip


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        ("{not json", "not valid JSON"),
        ({"sizes": [2, 2, 1], "weights": {k: v for k, v in GOOD_WEIGHTS.items() if k != "w4,5"}},
         "w4,5 is missing"),
        ({"sizes": [2, 2, 1], "weights": GOOD_WEIGHTS | {"w7,5": 1.0}}, "w7,5"),
        ({"sizes": [2, 3, 1], "weights": GOOD_WEIGHTS}, "missing"),
        ({"sizes": [2, 2, 1], "weights": GOOD_WEIGHTS | {"w1,3": "big"}}, "finite number"),
        ({"weights": GOOD_WEIGHTS}, "'sizes'"),
        ({"sizes": "2,2,1", "weights": GOOD_WEIGHTS}, "whole numbers"),
        ({"sizes": [2, 2, 1], "weights": GOOD_WEIGHTS, "lr": 2}, "unknown key 'lr'"),
        ([1, 2], "JSON object"),
    ],
)  # fmt: skip
def test_bad_weights_files(tmp_path, capsys, content, message):
    path = tmp_path / "w.json"
    if isinstance(content, str):
        path.write_text(content)
    elif content is not None:
        write_json(path, content)
    code, text = run("--weights", str(path))
    assert code == 2
    assert text == ""
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("srnlab: error: ")
    assert message in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--loss", "absolute"], "absolute"),
        (["--hidden-activation", "relu"], "relu"),
        (["--sizes", "2,x,1"], "--sizes"),
        (["--sizes", "2,0,1"], "positive"),
        (["--sizes", "3,2,1"], "--patterns FILE"),
        (["--order", "5"], "no pattern 5"),
        (["--order", "1,b"], "--order"),
        (["--show", "7"], "no update 7"),
        (["--show", "3-1"], "backwards"),
        (["--lr", "0"], "learning rate"),
        (["--momentum", "1"], "momentum"),
        (["--epochs", "0"], "epochs"),
        (["--epochs", "100000"], "too many"),
        (["--digits", "40"], "--digits"),
        (["--seed", "-1"], "--seed"),
        (["--loss", "cross_entropy", "--output-activation", "tanh"], "logistic"),
        (["--patterns", "missing.json"], "does not exist"),
    ],
)
def test_bad_options(capsys, argv, message):
    code, text = run(*argv)
    assert code == 2
    assert text == ""
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("srnlab: error: ")
    assert message in err


def test_weights_and_seed_conflict(tmp_path, capsys):
    write_json(tmp_path / "w.json", {"sizes": [2, 2, 1], "weights": GOOD_WEIGHTS})
    assert run("--weights", str(tmp_path / "w.json"), "--seed", "1")[0] == 2
    assert run("--weights", str(tmp_path / "w.json"), "--sizes", "2,3,1")[0] == 2
    assert "2-2-1" in capsys.readouterr().err


def test_bad_patterns_file(tmp_path, capsys):
    write_json(tmp_path / "p.json", {"inputs": [[0, 1, 1]], "targets": [[1]]})
    assert run("--patterns", str(tmp_path / "p.json"))[0] == 2
    assert "3 inputs per pattern" in capsys.readouterr().err
    write_json(tmp_path / "p.json", {"inputs": [[0, 1]], "targets": [[1], [0]]})
    assert run("--patterns", str(tmp_path / "p.json"))[0] == 2
    assert "1 inputs but 2 targets" in capsys.readouterr().err


# ---- a real process ------------------------------------------------------------------------


def test_subprocess_success_and_failure(tmp_path):
    ok = subprocess.run(
        [sys.executable, "-m", "srnlab", "worksheet", "--order", "2", "--format", "csv"],
        capture_output=True, text=True, check=False, encoding="utf-8",
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    values = updates_from_csv(ok.stdout)
    params = random_weights((2, 2, 1), 0, 1.0)
    ws = build_worksheet(Network((2, 2, 1)), params, XOR_INPUTS, XOR_TARGETS, learning_rate=0.5,
                         order=[1])  # fmt: skip
    for name, value in ws.final_weights.items():
        assert values[(1, name, "new")] == value

    (tmp_path / "w.json").write_text('{"sizes": [2, 2, 1], "weights": {"w1,3": 1}}')
    bad = subprocess.run(
        [sys.executable, "-m", "srnlab", "worksheet", "--weights", str(tmp_path / "w.json")],
        capture_output=True, text=True, check=False, encoding="utf-8",
    )  # fmt: skip
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "missing" in bad.stderr
    assert "Traceback" not in bad.stderr
