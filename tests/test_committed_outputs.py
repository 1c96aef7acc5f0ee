"""The committed notebooks' outputs show no path of the machine that executed them.

Readers see these outputs on a code host or the course site; a path such as ``/home/alice/course/data`` tells
them nothing and leaks the build machine. Paths belong relative to the course folder or to ``~``.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from helpers.paths import COURSE_ROOT

NOTEBOOKS = sorted((COURSE_ROOT / "notebooks").glob("*.ipynb"))
# Absolute paths of Unix and Windows machines, the course's own absolute path, and the folder beside the
# course that only its build machines have.
MACHINE_PATH = re.compile("|".join([
    r"/work/", r"/tmp/", r"/home/", r"/root/", r"/Users/", r"[A-Za-z]:\\\\", r"[A-Za-z]:\\(?![\\\"nrt])",
    re.escape(str(COURSE_ROOT)), re.escape(str(COURSE_ROOT.resolve())), r"\.\./shared",
]))
TEXT_MIMETYPES = ("text/plain", "text/html", "text/markdown", "text/latex", "application/json")


def output_texts(output: dict) -> list[str]:
    """Every piece of text a reader can see in one output (images are skipped)."""
    if output["output_type"] == "stream":
        return [output["text"]]
    if output["output_type"] == "error":
        return [output.get("ename", ""), output.get("evalue", ""), *output.get("traceback", [])]
    data = output.get("data", {})
    return [str(data[mimetype]) for mimetype in TEXT_MIMETYPES if mimetype in data]


def machine_paths(notebook: Path) -> list[str]:
    found = []
    for index, cell in enumerate(nbformat.read(notebook, as_version=4).cells):
        for output in cell.get("outputs", []):
            for text in output_texts(output):
                for match in MACHINE_PATH.finditer(text):
                    line = text[text.rfind("\n", 0, match.start()) + 1:text.find("\n", match.end()) % (len(text) + 1)]
                    found.append(f"cell {index}: {match.group()!r} in {line.strip()[:160]!r}")
    return found


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 6


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_no_machine_paths_in_outputs(notebook):
    found = machine_paths(notebook)
    assert not found, (f"{notebook.name} shows paths of the machine that executed it; print them relative to the "
                       "course folder or ~ instead:\n" + "\n".join(found))


def test_the_check_finds_paths(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(path)", outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="data in /home/alice/data\n"),
        nbformat.v4.new_output("display_data", data={"text/plain": "C:\\Users\\bob", "text/html": "<b>../shared/x</b>"}),
        nbformat.v4.new_output("error", ename="FileNotFoundError", evalue=f"{COURSE_ROOT}/data/x.npz", traceback=[]),
    ]), nbformat.v4.new_code_cell("ok", outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="data in ~/data and data/mnist.npz; 1/2 = 0.5\n"),
    ])])
    path = tmp_path / "fake.ipynb"
    nbformat.write(notebook, path)
    found = machine_paths(path)
    assert len(found) == 4 and all(item.startswith("cell 0:") for item in found)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_every_widget_has_a_static_picture(notebook):
    """A view without a kernel cannot draw a live widget: each cell showing one also shows a picture
    (``explorer.show()`` displays the default state's figure before the widget)."""
    missing = []
    for index, cell in enumerate(nbformat.read(notebook, as_version=4).cells):
        data = [output.get("data", {}) for output in cell.get("outputs", [])]
        if any("application/vnd.jupyter.widget-view+json" in bundle for bundle in data) and \
                not any("image/png" in bundle for bundle in data):
            missing.append(f"cell {index}: {cell.source.splitlines()[-1][:80]!r}")
    assert not missing, f"{notebook.name}: widgets without a static picture (display them with .show()): {missing}"
