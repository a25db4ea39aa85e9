"""``srnlab explore`` and the page builder, without a browser: what the page is given, the
command's files and errors, and the notebook wrapper. The page's arithmetic is tested in a real
browser in ``test_explore_browser.py``."""

from __future__ import annotations

import html
import json
import re
import sys
import types

import numpy as np
import pytest

from conftest import cli
from srnlab.commands.worksheet_inputs import random_weights
from srnlab.errors import UserError
from srnlab.explore import ExplorerSettings, build_page, notebook_html, page_data, show
from srnlab.params import named_weights
from srnlab.seeding import generators
from srnlab.srn import init_srn

XOR_INPUTS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_TARGETS = [[0.0], [1.0], [1.0], [0.0]]


def embedded_data(page: str) -> dict:
    """The JSON the page starts from, read back out of its <script> element."""
    pattern = r'<script type="application/json" id="srnlab-data">(.*?)</script>'
    match = re.search(pattern, page, re.S)
    assert match is not None
    return json.loads(match.group(1))


def test_the_page_carries_the_seeds_weights_bit_for_bit():
    params = random_weights((2, 2, 1), 7, 1.0)
    data = embedded_data(build_page(seed=7))
    assert dict(data["feedforward"]["weights"]) == named_weights(params)  # exact float equality
    assert [name for name, _ in data["feedforward"]["weights"]] == list(named_weights(params))
    assert data["feedforward"]["inputs"] == XOR_INPUTS
    assert data["feedforward"]["targets"] == XOR_TARGETS
    # the SRN examples use the seed's weights stream, as `srnlab run` does
    srn_xor = data["srn"]["examples"][0]
    expected = init_srn(1, 2, 1, generators(7)["weights"], 1.0)
    assert srn_xor["params"]["W_ch"] == expected.W_ch.tolist()
    assert srn_xor["sizes"] == [1, 2, 1]
    letters = data["srn"]["examples"][1]
    assert letters["sizes"] == [6, 20, 6]
    # the letters stream predicts the next letter: each target row is the next input row
    assert letters["targets"][:-1] == letters["inputs"][1:]


def test_the_page_is_self_contained():
    page = build_page()
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page)
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page
    assert "default-src 'none'" in page  # the browser itself refuses any fetch
    # the data cannot end its <script> element early
    data_text = page.split('id="srnlab-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_text


def test_settings_are_checked_with_one_line_errors():
    with pytest.raises(UserError, match="no loss 'cross_entropy'"):
        ExplorerSettings(loss="cross_entropy")
    with pytest.raises(UserError, match="momentum"):
        ExplorerSettings(momentum=1.0)
    params = random_weights((2, 9, 1), 0, 1.0)
    with pytest.raises(UserError, match="at most 4 layers of at most 8 units"):
        page_data(params, XOR_INPUTS, XOR_TARGETS, ExplorerSettings())
    with pytest.raises(UserError, match="3 inputs"):
        page_data(random_weights((3, 2, 1), 0, 1.0), XOR_INPUTS, XOR_TARGETS, ExplorerSettings())


def test_command_writes_the_page_and_keeps_an_earlier_one(tmp_path):
    folder = tmp_path / "site"  # made when missing
    code, text = cli("explore", "--out", str(folder), "--seed", "3", "--momentum", "0.9")
    assert code == 0
    page = folder / "explorer.html"
    assert f"wrote {page}" in text
    data = embedded_data(page.read_text(encoding="utf-8"))
    assert data["feedforward"]["momentum"] == 0.9
    assert dict(data["feedforward"]["weights"]) == named_weights(random_weights((2, 2, 1), 3, 1.0))

    page.write_text("an earlier page", encoding="utf-8")
    code, _ = cli("explore", "--out", str(folder))
    assert code == 2
    assert page.read_text(encoding="utf-8") == "an earlier page"
    assert cli("explore", "--out", str(folder), "--force")[0] == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_command_reads_a_weights_file_and_a_patterns_file(tmp_path):
    weights = {"w0,3": 0.1, "w1,3": 0.2, "w2,3": -0.3, "w0,4": 0.4, "w1,4": -0.5}
    weights |= {"w2,4": 0.6, "w6,5": 0.7, "w3,5": -0.8, "w4,5": 0.9}
    (tmp_path / "w.json").write_text(json.dumps({"sizes": [2, 2, 1], "weights": weights}))
    patterns = {"inputs": [[1, 1], [0, 1]], "targets": [[1], [0]]}
    (tmp_path / "p.json").write_text(json.dumps(patterns))
    code, _ = cli(
        "explore", "--out", str(tmp_path), "--weights", str(tmp_path / "w.json"),
        "--patterns", str(tmp_path / "p.json"),
    )  # fmt: skip
    assert code == 0
    data = embedded_data((tmp_path / "explorer.html").read_text(encoding="utf-8"))
    assert dict(data["feedforward"]["weights"]) == weights
    assert data["feedforward"]["inputs"] == [[1.0, 1.0], [0.0, 1.0]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--weights", "missing.json"], "does not exist"),
        (["--sizes", "2,9,1"], "at most 4 layers"),
        (["--loss", "cross_entropy"], "invalid choice"),
        (["--momentum", "1.5"], "momentum"),
        (["--out", "no/such/folder"], "does not exist"),
    ],
)
def test_command_bad_input_is_one_line_and_writes_nothing(
    tmp_path, monkeypatch, capsys, args, message
):
    monkeypatch.chdir(tmp_path)
    code, _ = cli("explore", *args)
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "explorer.html").exists()


def test_notebook_html_holds_the_whole_page_in_an_iframe():
    page = build_page(seed=2)
    frame = notebook_html(page)
    assert frame.startswith("<iframe srcdoc=") and frame.endswith("</iframe>")
    srcdoc = re.search(r'srcdoc="([^"]*)"', frame)
    assert srcdoc is not None and html.unescape(srcdoc.group(1)) == page


def test_show_needs_ipython_and_says_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "IPython", None)  # as if it were not installed
    with pytest.raises(UserError, match="needs IPython"):
        show()


def test_show_hands_the_iframe_to_ipython(monkeypatch):
    shown = []

    class HTML:
        def __init__(self, text: str) -> None:
            shown.append(text)

    display = types.ModuleType("IPython.display")
    display.HTML = HTML  # type: ignore[attr-defined]
    ipython = types.ModuleType("IPython")
    ipython.display = display  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "IPython.display", display)
    result = show(seed=4, momentum=0.5)
    assert isinstance(result, HTML)
    assert shown == [notebook_html(build_page(seed=4, momentum=0.5))]


def test_page_data_rejects_non_finite_patterns():
    params = random_weights((2, 2, 1), 0, 1.0)
    with pytest.raises(UserError, match="finite"):
        page_data(params, [[np.nan, 0.0]], [[1.0]], ExplorerSettings())


def test_open_hands_the_page_to_the_default_browser(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    code, _ = cli("explore", "--out", str(tmp_path), "--open")
    assert code == 0
    assert opened == [(tmp_path / "explorer.html").resolve().as_uri()]
