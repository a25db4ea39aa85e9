"""The explorer page in a real headless Chromium: its numbers against srnlab's Python reference.

The browser is Debian's ``chromium`` (``apt-get install chromium chromium-driver``), driven by
Playwright for Python (the ``test`` extra). Where none is installed these tests are skipped with
a reason that says how to install it, except under CI (``CI=true``), where a missing browser
is a failure (``.ci/run`` installs it). The browser starts once for the whole session.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from srnlab.backprop import Network, gradients
from srnlab.commands.worksheet_inputs import random_weights
from srnlab.explain import build_worksheet, explain_pattern
from srnlab.explore import build_page, notebook_html
from srnlab.params import named_weights, params_from_named
from srnlab.srn import SRN, SRNParams, forward_sequence, sequence_gradients
from srnlab.tasks.xor import xor_patterns
from srnlab.training import Schedule, train
from srnlab.worksheet_render import render_csv

pytestmark = pytest.mark.browser

BROWSER_PATHS = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/lib/chromium/chromium",
    "/usr/bin/google-chrome",
)
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOW_TO_INSTALL = (
    "apt-get install chromium chromium-driver (Debian/Ubuntu), and pip install -e '.[test]' "
    "for Playwright"
)
ARTIFACTS = Path(__file__).parent / "artifacts"
PHASES = ("forward", "error", "backward", "update")
TOLERANCE = 1e-12


def close(page_value: float | None, reference: float) -> bool:
    """Equal to 1e-12, relative to the size of the number (absolute below 1)."""
    assert page_value is not None
    return abs(page_value - reference) <= TOLERANCE * max(1.0, abs(reference))


def missing_browser(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must have it: {HOW_TO_INSTALL}")
    pytest.skip(f"{reason}; to run the browser tests: {HOW_TO_INSTALL}")


def find_browser() -> str | None:
    for path in BROWSER_PATHS:
        if Path(path).is_file() and os.access(path, os.X_OK):
            return path
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = find_browser()
    if executable is None:
        missing_browser(f"no Chromium found at {', '.join(BROWSER_PATHS)}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_browser("Playwright for Python is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        yield chromium
        chromium.close()


class Explorer:
    """A page loaded from file://, every request it makes recorded, every script error kept."""

    def __init__(self, browser: Any, path: Path, width: int = 1280, height: int = 720) -> None:
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, accept_downloads=True
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)

    def state(self) -> dict[str, Any]:
        return self.page.evaluate("srnlabExplorer.state()")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(browser, tmp_path) -> Iterator[Any]:
    opened: list[Explorer] = []

    def opener(width: int = 1280, height: int = 720, **page_options: Any) -> Explorer:
        path = tmp_path / f"explorer-{len(opened)}.html"
        path.write_text(build_page(**page_options), encoding="utf-8")
        explorer = Explorer(browser, path, width, height)
        opened.append(explorer)
        return explorer

    yield opener
    for explorer in opened:
        assert explorer.errors == [], explorer.errors
        explorer.close()


def test_a_missing_browser_skips_with_how_to_install_except_under_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium chromium-driver"):
        missing_browser("no Chromium found")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must have it"):
        missing_browser("no Chromium found")


# ---- the backprop part against `srnlab worksheet` ------------------------------------------


def assert_record_matches(page: dict[str, Any], ref: Any, phase: str) -> None:
    """One pattern's numbers on the page against ``explain.explain_pattern``'s record."""
    assert page["pattern"] == ref.pattern
    assert len(page["units"]) == len(ref.units)
    for unit, expected in zip(page["units"], ref.units, strict=True):
        assert unit["unit"] == expected.unit
        assert close(unit["a"], expected.activation)
        if expected.net_input is None:
            assert unit["x"] is None
        else:
            assert close(unit["x"], expected.net_input)
    if phase == "forward":
        assert page["error"] is None and page["credits"] is None  # not computed yet on screen
        return
    assert close(page["error"], ref.error)
    if phase == "error":
        assert page["credits"] is None
        return
    for credit, expected in zip(page["credits"], ref.credits, strict=True):
        assert credit["unit"] == expected.unit
        for key, value in (("dE_da", expected.dE_da), ("slope", expected.slope)):
            assert close(credit[key], value), (expected.unit, key)
        assert close(credit["dE_dx"], expected.dE_dx)
        assert [t["weight"] for t in credit["terms"]] == [t.weight for t in expected.terms]
        for term, e in zip(credit["terms"], expected.terms, strict=True):
            assert close(term["product"], e.product)
    for weight, expected in zip(page["weights"], ref.weights, strict=True):
        assert weight["name"] == expected.name
        for key, value in (
            ("dE_da", expected.dE_da),
            ("slope", expected.slope),
            ("dx_dw", expected.dx_dw),
            ("product", expected.product),
        ):
            assert close(weight[key], value), (expected.name, key)


CASES = [
    # (seed, sizes, settings): random weights from several seeds, both updates, both losses,
    # both unit functions, with and without momentum, and a net with 3 hidden units
    (1, (2, 2, 1), {}),
    (2, (2, 2, 1), {"momentum": 0.9, "loss": "half_squared", "hidden_activation": "tanh"}),
    (3, (2, 2, 1), {"update": "batch", "momentum": 0.5, "output_activation": "tanh"}),
    (4, (2, 3, 1), {"learning_rate": 2.0, "momentum": 0.3}),
]


@pytest.mark.parametrize(("seed", "sizes", "settings"), CASES)
def test_every_phase_equals_the_worksheet(open_page, seed, sizes, settings):
    explorer = open_page(seed=seed, sizes=sizes, **settings)
    start = explorer.state()["feedforward"]
    params = random_weights(sizes, seed, 1.0)
    assert start["phase"] == "start" and start["pattern"] in (0, None)
    assert start["weights"] == named_weights(params)  # the weights it was written with, exactly

    s = {"learning_rate": 0.5, "momentum": 0.0, "update": "online"} | settings
    network = Network(
        sizes,
        s.get("hidden_activation", "logistic"),
        s.get("output_activation", "logistic"),
        s.get("loss", "squared"),
    )
    X, Y = xor_patterns()
    worksheet = build_worksheet(
        network, params, X, Y,
        learning_rate=s["learning_rate"], momentum=s["momentum"], update=s["update"], epochs=2,
    )  # fmt: skip
    states = explorer.page.evaluate(
        """(n) => { const out = [];
            for (let i = 0; i < n; i++)
                for (const phase of ["forward", "error", "backward", "update"])
                    out.push(srnlabExplorer.step(phase));
            return out; }""",
        len(worksheet.updates),
    )
    assert len(states) == 4 * len(worksheet.updates)
    for u, update in enumerate(worksheet.updates):
        for k, phase in enumerate(PHASES):
            state = states[4 * u + k]
            assert state["phase"] == phase and state["epoch"] == update.epoch
            assert len(state["records"]) == len(update.patterns)
            for page_record, ref in zip(state["records"], update.patterns, strict=True):
                assert_record_matches(page_record, ref, phase)
        changes = states[4 * u + 3]["changes"]
        weights_before = params_from_named(sizes, {c.name: c.old for c in update.changes})
        group = [p.pattern for p in update.patterns]
        summed = named_weights(gradients(network, weights_before, X[group], Y[group]))
        for change, expected in zip(changes, update.changes, strict=True):
            assert change["name"] == expected.name
            for key in ("old", "gradient", "previous_change", "change", "new"):
                assert close(change[key], getattr(expected, key)), (u, expected.name, key)
            # and the summed dE/dw equals the vectorised reference (backprop.py) as well
            assert close(change["gradient"], summed[expected.name])
    assert states[-1]["weights"] == pytest.approx(worksheet.final_weights, rel=1e-12, abs=1e-12)


def test_editing_a_weight_in_the_page_recomputes_the_forward_pass(open_page):
    explorer = open_page(seed=5, momentum=0.9)
    page = explorer.page
    page.keyboard.press("f")  # the keyboard shortcuts drive the phases too
    page.keyboard.press("e")
    assert explorer.state()["feedforward"]["phase"] == "error"
    page.fill("#weight-w1-3", "2.5")
    page.press("#weight-w1-3", "Enter")  # a number input commits its change on Enter
    page.locator("#weight-w1-3").blur()
    state = explorer.state()["feedforward"]
    weights = named_weights(random_weights((2, 2, 1), 5, 1.0)) | {"w1,3": 2.5}
    assert state["weights"] == weights
    assert state["phase"] == "error"  # the phases shown are recomputed, not reset
    network = Network((2, 2, 1))
    X, Y = xor_patterns()
    ref = explain_pattern(network, weights, X[0], Y[0], pattern=0)
    assert_record_matches(state["records"][0], ref, "error")
    # an edit starts a new worked example: momentum has no previous change to carry
    assert set(state["previous_changes"].values()) == {0.0}

    # editing an input of the current pattern changes its forward pass the same way
    page.locator("#patterns tbody tr").nth(0).locator("input").nth(0).fill("1")
    page.locator("#patterns tbody tr").nth(0).locator("input").nth(0).press("Enter")
    state = explorer.state()["feedforward"]
    ref = explain_pattern(network, weights, [1.0, 0.0], Y[0], pattern=0)
    assert_record_matches(state["records"][0], ref, "error")

    # and so does a setting: the loss and the hidden units' function, from their menus
    page.select_option("#set-loss", "half_squared")
    page.select_option("#set-hidden_activation", "tanh")
    state = explorer.state()["feedforward"]
    network = Network((2, 2, 1), "tanh", "logistic", "half_squared")
    ref = explain_pattern(network, weights, [1.0, 0.0], Y[0], pattern=0)
    assert_record_matches(state["records"][0], ref, "error")


def test_running_epochs_follows_online_training(open_page):
    """Run N epochs (fixed pattern order) equals ``training.train`` epoch by epoch."""
    explorer = open_page(seed=6, momentum=0.9)
    explorer.page.evaluate("srnlabExplorer.runEpochs(25)")
    state = explorer.state()["feedforward"]
    network = Network((2, 2, 1))
    X, Y = xor_patterns()
    schedule = Schedule(learning_rate=0.5, momentum=0.9, epochs=25, order="fixed")
    params, history = train(
        network, random_weights((2, 2, 1), 6, 1.0), X, Y, schedule, np.random.default_rng(0)
    )
    assert [p["epoch"] for p in state["curve"]] == history.epoch
    for point, expected in zip(state["curve"], history.error, strict=True):
        assert point["error"] == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert state["weights"] == pytest.approx(named_weights(params), rel=1e-12, abs=1e-12)
    assert state["epoch"] == 25 and state["phase"] == "update"


def test_export_is_the_worksheets_csv(open_page, tmp_path):
    explorer = open_page(seed=8, momentum=0.9, update="online")
    explorer.page.evaluate("srnlabExplorer.nextEpoch(); srnlabExplorer.nextEpoch()")
    explorer.page.evaluate("srnlabExplorer.step('update')")  # 2 epochs and 1 update: 9 updates
    with explorer.page.expect_download() as download_info:
        explorer.page.click("#export-csv")
    download = download_info.value
    saved = tmp_path / "exported.csv"
    download.save_as(saved)
    exported = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8"))))

    X, Y = xor_patterns()
    worksheet = build_worksheet(
        Network((2, 2, 1)), random_weights((2, 2, 1), 8, 1.0), X, Y,
        learning_rate=0.5, momentum=0.9, order=[0, 1, 2, 3, 0, 1, 2, 3, 0], epochs=1,
    )  # fmt: skip
    expected = list(csv.reader(io.StringIO(render_csv(worksheet))))
    assert len(exported) == len(expected) > 9 * 60
    assert exported[0] == expected[0]
    for got, want in zip(exported[1:], expected[1:], strict=True):
        # the worksheet's epoch column counts passes over its order; the page counts epochs
        assert got[0] == want[0] and got[2:6] == want[2:6]
        assert close(float(got[6]), float(want[6]))
    epochs = {row[1] for row in exported[1:] if row[0]}
    assert epochs == {"1", "2", "3"}


def test_the_python_repr_of_floats_in_the_export(open_page):
    explorer = open_page()
    values = [0.1, -2.5, 1e-05, 0.0001, 1.5e-07, 1e16, 123456789012345.6, 1e300, -0.0, 3.0, 5e-324]
    got = explorer.page.evaluate("(vs) => vs.map(srnlabExplorer.pyRepr)", values)
    assert got == [repr(v) for v in values]


# ---- the SRN against srn.sequence_gradients -------------------------------------------------


def srn_reference(state: dict[str, Any]) -> tuple[SRN, SRNParams, np.ndarray, np.ndarray]:
    srn = state["srn"]
    net = SRN(*srn["sizes"], context_start=srn["context_start"])
    params = SRNParams(*(np.array(srn["params"][name], dtype=float) for name in SRNParams.NAMES))
    inputs = np.array([s["x"] for s in srn["steps"]], dtype=float)
    targets = np.array([s["y"] for s in srn["steps"]], dtype=float)
    return net, params, inputs, targets


def assert_srn_gradients_equal(page_grads: dict[str, Any], reference: SRNParams) -> None:
    for name in SRNParams.NAMES:
        got = np.array(page_grads[name], dtype=float)
        want = getattr(reference, name)
        assert got.shape == want.shape
        assert np.all(np.abs(got - want) <= TOLERANCE * np.maximum(1.0, np.abs(want))), name


@pytest.mark.parametrize("example", [0, 1], ids=["temporal-xor", "letters"])
def test_srn_gradients_equal_the_reference_for_1_3_and_all_steps(open_page, example):
    explorer = open_page(seed=2)
    page = explorer.page
    page.keyboard.press("2")  # the SRN tab
    page.select_option("#srn-example", str(example))
    page.fill("#srn-k", "3")
    page.press("#srn-k", "Enter")
    page.click("#srn-all")
    modes = {"1": 1, "k": 3, "all": None}
    gradients_seen = {}
    for mode, through_time in modes.items():
        page.check(f'input[name="through_time"][value="{mode}"]')  # the page's own switch
        state = explorer.state()
        assert state["srn"]["through_time"] == mode and state["srn"]["k"] == 3
        assert state["srn"]["t"] == state["srn"]["steps_total"] - 1
        net, params, inputs, targets = srn_reference(state)
        trace = forward_sequence(net, params, inputs)
        hidden = np.array([s["h"] for s in state["srn"]["steps"]])
        assert np.all(np.abs(hidden - trace.hidden) <= TOLERANCE)
        reference = sequence_gradients(net, params, inputs, targets, through_time=through_time)
        assert_srn_gradients_equal(state["srn"]["gradients"], reference)
        assert_srn_gradients_equal(state["srn"]["gradients_by_mode"][mode], reference)
        for name in SRNParams.NAMES:  # the weight change of the one update: -lr * dE/dw
            expected = -state["srn"]["learning_rate"] * getattr(reference, name)
            assert np.allclose(state["srn"]["changes"][name], expected, rtol=0, atol=TOLERANCE)
        gradients_seen[mode] = np.concatenate(
            [np.ravel(state["srn"]["gradients"][n]) for n in SRNParams.NAMES]
        )
    # the switch matters: copy-back is not full BPTT on these streams
    assert np.max(np.abs(gradients_seen["1"] - gradients_seen["all"])) > 1e-4


def test_srn_stepping_shows_the_gradient_of_the_steps_so_far(open_page):
    explorer = open_page(seed=1)
    explorer.page.keyboard.press("2")
    for _ in range(5):
        explorer.page.keyboard.press("s")  # one input at a time
    explorer.page.keyboard.press("l")  # full BPTT
    state = explorer.state()
    assert state["srn"]["t"] == 4 and len(state["srn"]["steps"]) == 5
    net, params, inputs, targets = srn_reference(state)
    reference = sequence_gradients(net, params, inputs, targets, through_time=None)
    assert_srn_gradients_equal(state["srn"]["gradients"], reference)
    reach = state["srn"]["reach"]
    assert reach["t"] == 4 and reach["limit"] == 0
    assert [r["step"] for r in reach["reach"]] == [4, 3, 2, 1, 0]


# ---- the page as a whole: offline, on a projector, on a phone, in a notebook --------------


def overflowing_elements(page: Any) -> list[str]:
    """Elements that stick out of the viewport sideways (content clipped inside a scrolling
    box that itself fits is not outside: it is reached by scrolling that box)."""
    return page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth;
        const clipped = (node) => {
            for (let p = node.parentElement; p; p = p.parentElement) {
                const o = getComputedStyle(p).overflowX;
                if (o === "auto" || o === "scroll" || o === "hidden") {
                    const r = p.getBoundingClientRect();
                    if (r.left >= -0.5 && r.right <= width + 0.5) return true;
                }
            }
            return false;
        };
        const out = [];
        for (const node of document.querySelectorAll("body *")) {
            const r = node.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;
            if ((r.right > width + 0.5 || r.left < -0.5) && !clipped(node)) {
                out.push(`${node.tagName.toLowerCase()}#${node.id}.${node.getAttribute("class")}`
                    + ` [${r.left.toFixed(0)}, ${r.right.toFixed(0)}]`);
            }
        }
        if (document.documentElement.scrollWidth > width) out.push("the page scrolls sideways");
        return out;
    }"""
    )


def test_projector_screenshot_fits_and_the_page_makes_no_network_request(open_page):
    explorer = open_page(seed=0, width=1280, height=720)
    page = explorer.page
    for key in ("f", "e", "b"):
        page.keyboard.press(key)
    page.click('[data-weight-label="w1,3"]')
    assert overflowing_elements(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "explorer-backprop-1280x720.png"))
    page.keyboard.press("2")
    for _ in range(4):
        page.keyboard.press("s")
    page.keyboard.press("k")
    assert overflowing_elements(page) == []
    page.screenshot(path=str(ARTIFACTS / "explorer-srn-1280x720.png"))
    page.select_option("#srn-example", "1")  # the letters net: 20 hidden units per step
    page.click("#srn-all")
    assert overflowing_elements(page) == []
    print(f"\nscreenshots in {ARTIFACTS}")
    # the browser saw exactly one request: the page itself, from file://
    assert explorer.requests == [explorer.url]


def test_phone_width_does_not_scroll_sideways(open_page):
    explorer = open_page(width=390, height=844)
    explorer.page.keyboard.press("b")
    assert overflowing_elements(explorer.page) == []
    explorer.page.keyboard.press("2")
    explorer.page.keyboard.press("a")
    assert overflowing_elements(explorer.page) == []
    explorer.page.screenshot(path=str(ARTIFACTS / "explorer-phone-390.png"), full_page=True)


def test_the_notebook_iframe_runs_the_page(browser):
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_content(notebook_html(build_page(seed=3)))
    frame = page.frame_locator("iframe")
    frame.locator("button.phase[data-phase='forward']").click()
    inner = page.frames[1]
    state = inner.evaluate("srnlabExplorer.state()")["feedforward"]
    assert state["phase"] == "forward"
    assert state["weights"] == named_weights(random_weights((2, 2, 1), 3, 1.0))
    assert [r for r in requests if not r.startswith(("about:", "data:"))] == []
    context.close()
