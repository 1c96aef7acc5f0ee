"""The maintenance scripts: cleaning executed notebooks."""

import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def test_clean_notebook_drops_tensorflow_log_lines_and_widget_state(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    cell = nbformat.v4.new_code_cell("import tensorflow")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text=(
            "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
            "I0000 00:00:1795305741.932518    3760 port.cc:153] oneDNN custom operations are on.\n")),
        nbformat.v4.new_output("stream", name="stderr", text=(
            "E0000 00:00:1795305974.134898    4691 node_def_util.cc:682] NodeDef mentions attribute\n"
            "UserWarning: something a learner should see\n")),
        nbformat.v4.new_output("stream", name="stdout", text="kept\n"),
    ]
    notebook.cells = [cell]
    path = tmp_path / "nb.ipynb"
    nbformat.write(notebook, path)
    subprocess.run([sys.executable, str(ROOT / "scripts" / "clean_notebook.py"), str(path)], check=True)
    cleaned = nbformat.read(path, as_version=4)
    assert "widgets" not in cleaned.metadata
    outputs = cleaned.cells[0].outputs
    assert [(o.name, o.text) for o in outputs] == [("stderr", "UserWarning: something a learner should see\n"),
                                                  ("stdout", "kept\n")]
