"""The course in a real browser: JupyterLab + headless Chromium (Debian's package) driven by Playwright.

Runs chapter 3 top to bottom in JupyterLab, checks that no cell shows an error, that the convolution explorer is
rendered as a live widget (not its text repr) and reacts to its stride slider, and saves screenshots. Chapter 6's
browser widget is checked the same way (with the models chapters 4 and 5 saved in the session's graded run, when
there was one: the browser tests run last), and a small notebook checks what ``explorer.show()`` shows in JupyterLab
(the static picture of the default state with its caption, then the live widget, never the text fallback). Skipped with a message when Chromium is missing on a developer's machine,
but never in CI (CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Chromium for the browser tests: apt-get install chromium (see .ci/run).")
    pytest.skip("Chromium not found: install Debian's chromium package to run the browser tests.",
                allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402  (after the skip above)

from helpers import get_profile  # noqa: E402
from tests.nbgrader_course import graded_course_if_built  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process_group(process: subprocess.Popen) -> None:
    """Stop a server started in its own session, and its kernels; SIGKILL if it will not go."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def copy_saved_models(artifacts: Path, config: pytest.Config) -> None:
    """The models chapters 4 and 5 saved in this session's graded run (`make test` runs the browser tests after
    it), so chapter 6 in the browser inspects them, as a learner's does; without that run it trains stand-ins."""
    graded = graded_course_if_built(config)
    if graded is None:
        return
    (artifacts / "models").mkdir(parents=True)
    for chapter, model in (("04_cnns_with_keras", "fashion_cnn.keras"), ("05_cifar10_project", "cifar10_best.keras")):
        saved = graded.artifacts(chapter) / "models" / model
        if saved.exists():
            shutil.copy(saved, artifacts / "models" / model)


@pytest.fixture(scope="module")
def lab(tmp_path_factory, request):
    """A token-less JupyterLab on a free localhost port, serving a copy of the notebooks; always stopped."""
    root = tmp_path_factory.mktemp("lab")
    copy_saved_models(root / "artifacts", request.config)
    (root / "notebooks").mkdir()
    for source in (ROOT / "notebooks").glob("*.ipynb"):  # copies without outputs: everything seen is from this run
        notebook = nbformat.read(source, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nbformat.write(notebook, root / "notebooks" / source.name)
    settings = root / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Render every cell (no windowing), so the test can see all outputs without scrolling.
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port = free_port()
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(root / "settings"), "TF_CPP_MIN_LOG_LEVEL": "2",
           "COURSE_ARTIFACTS_DIR": str(root / "artifacts")}
    if env.get("COURSE_DATA_DIR"):  # keep relative data folders meaning the same from the copy
        env["COURSE_DATA_DIR"] = os.pathsep.join(str((ROOT / p).resolve()) for p in env["COURSE_DATA_DIR"].split(os.pathsep))
    log = open(root / "jupyterlab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         "--IdentityProvider.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True", "--allow-root",
         f"--ServerApp.root_dir={root}", f"--LabApp.workspaces_dir={root / 'workspaces'}", "--LabApp.news_url=", "--LabApp.check_for_updates_class="
         "jupyterlab.NeverCheckForUpdate"],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.time() > deadline:
                    raise RuntimeError("JupyterLab did not start:\n" + (root / "jupyterlab.log").read_text()[-3000:])
                time.sleep(0.5)
        yield url, root
    finally:
        stop_process_group(server)
        log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


def run_notebook(page: Page, url: str, root: Path, notebook: str, timeout_s: int):
    """Open a notebook in a workspace of its own, run all cells, wait until every code cell has run, save.

    Returns the notebook's panel (a locator) and the saved notebook read back from disk.
    """
    page.goto(f"{url}/lab/workspaces/{Path(notebook).stem}/tree/notebooks/{notebook}?reset")
    panel = page.locator(".jp-NotebookPanel").locator("visible=true")
    expect(panel).to_have_count(1, timeout=60_000)
    expect(panel.locator(".jp-Cell").first).to_be_visible(timeout=60_000)
    # Run only once the kernel is up: a fresh environment can take a while to start one, and JupyterLab
    # drops "Run All" requests made before the kernel is connected.
    expect(page.locator(".jp-StatusBar-Widget", has_text="| Idle")).to_be_visible(timeout=180_000)
    total = panel.locator(".jp-CodeCell").count()
    done = panel.locator(".jp-CodeCell .jp-InputPrompt", has_text="[")
    first_prompt = done.first
    for _ in range(3):  # ask again if nothing started, rather than wait for the full timeout
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            expect(first_prompt).not_to_have_text("[ ]:", timeout=30_000)
            break
        except AssertionError:
            continue
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        prompts = done.all_inner_texts()
        if len(prompts) == total and not any("*" in p or p.strip() == "[ ]:" for p in prompts):
            break
        time.sleep(1)
    else:
        pytest.fail(f"{notebook}: not all {total} cells finished within {timeout_s} s")
    page.keyboard.press("Control+s")
    time.sleep(2)
    return panel, nbformat.read(root / "notebooks" / notebook, as_version=4)


def assert_no_errors(notebook: nbformat.NotebookNode, name: str) -> None:
    errors = [(i, out.get("ename"), out.get("evalue")) for i, cell in enumerate(notebook.cells)
              if cell.cell_type == "code" for out in cell.get("outputs", []) if out.output_type == "error"]
    assert errors == [], f"{name} shows errors in JupyterLab: {errors}"


@contextmanager
def notebook_run(browser, lab, notebook: str, timeout_s: int):
    """Run a notebook in a new page; yield its panel; screenshot the page if the test fails; always close it."""
    url, root = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        panel, saved = run_notebook(page, url, root, notebook, timeout_s)
        assert_no_errors(saved, notebook)
        yield page, panel
    except BaseException:  # pytest.fail raises an exception outside the Exception hierarchy
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"failure_{Path(notebook).stem}.png"))
        raise
    finally:
        page.close()


def live_widget(page: Page, panel, control_label: str):
    """The rendered widget box that has a control labelled ``control_label`` (absent if shown as text)."""
    box = panel.locator(".widget-vbox").filter(has=page.locator(".widget-label", has_text=control_label)).first
    expect(box).to_be_visible(timeout=30_000)
    assert panel.locator(".jp-OutputArea-output pre", has_text="VBox(children=").count() == 0, "a text-only widget"
    return box


def nudge_slider(page: Page, box, label: str) -> None:
    """Move the slider labelled ``label`` one step right with the keyboard, as a user would."""
    slider = box.locator(".widget-slider").filter(has=page.locator(".widget-label", has_text=label))
    slider.locator(".noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")


def test_chapter3_runs_and_its_explorer_is_a_live_widget(lab, browser):
    with notebook_run(browser, lab, "03_convolution_from_scratch.ipynb", timeout_s=300) as (page, panel):
        explorer = live_widget(page, panel, "kernel")
        size_label = explorer.locator(".widget-html-content")
        expect(size_label).to_contain_text("output 26×26")
        nudge_slider(page, explorer, "stride")  # stride 1 -> 2
        expect(size_label).to_contain_text("output 13×13", timeout=20_000)
        expect(explorer.locator(".jp-OutputArea-output img").first).to_be_visible()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        explorer.screenshot(path=str(SCREENSHOTS / "convolution_explorer.png"))
        plot = panel.locator(".jp-OutputArea-output img").first
        plot.scroll_into_view_if_needed()
        plot.screenshot(path=str(SCREENSHOTS / "chapter3_plot.png"))


def test_chapter6_feature_map_browser_renders(lab, browser):
    with notebook_run(browser, lab, "06_visualizing_kernels.ipynb", timeout_s=480) as (page, panel):
        browser_widget = live_widget(page, panel, "layer")
        info = browser_widget.locator(".widget-html-content")
        layer2_filters = 4 * get_profile().cifar_best_width   # resnet9's stages have w, 2w, 4w and 8w channels
        expect(info).to_contain_text("layer2_conv")
        expect(info).to_contain_text(f"filter 5 of {layer2_filters}")
        nudge_slider(page, browser_widget, "filter")
        expect(info).to_contain_text(f"filter 6 of {layer2_filters}", timeout=20_000)
        expect(browser_widget.locator(".jp-OutputArea-output img").first).to_be_visible()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        browser_widget.screenshot(path=str(SCREENSHOTS / "feature_map_browser.png"))


def test_explorer_show_gives_picture_caption_and_live_widget(lab, browser):
    """What JupyterLab shows for ``explorer.show()``: the picture of the default state, its caption and the live
    explorer; the text that views without a kernel show instead of the widget stays hidden."""
    url, root = lab
    cells = ["import numpy as np\nfrom helpers.widgets import ConvolutionExplorer\n"
             "explorer = ConvolutionExplorer({'ramp': np.tile(np.arange(28.0), (28, 1))})\nexplorer.show()"]
    kernelspec = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells],
                                            metadata={"kernelspec": kernelspec}),
                   root / "notebooks" / "explorer_show.ipynb")
    with notebook_run(browser, lab, "explorer_show.ipynb", timeout_s=120) as (page, panel):
        # the cell's own outputs, not those inside the explorer's Output widget
        outputs = panel.locator(".jp-OutputArea-child:not(.jp-OutputArea-child .jp-OutputArea-child)")
        expect(outputs).to_have_count(3)
        expect(outputs.nth(0).locator("img")).to_be_visible()  # the static picture, outside the widget
        expect(outputs.nth(0).locator(".widget-vbox")).to_have_count(0)
        expect(outputs.nth(1)).to_contain_text("default state")
        expect(outputs.nth(1)).to_contain_text("need a running kernel")
        explorer = live_widget(page, panel, "kernel")
        expect(outputs.nth(2).locator(".widget-vbox").first).to_be_visible()
        expect(panel).not_to_contain_text("[live explorer")
        nudge_slider(page, explorer, "stride")
        expect(explorer.locator(".widget-html-content")).to_contain_text("output 13×13", timeout=20_000)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        panel.locator(".jp-CodeCell").first.screenshot(path=str(SCREENSHOTS / "explorer_show.png"))
