"""Tidy executed notebooks before they are committed.

usage: python scripts/clean_notebook.py NOTEBOOK [NOTEBOOK ...]

* removes TensorFlow's C++ start-up log lines (absl/oneDNN) from stderr outputs: they differ on every run
  and machine and teach nothing;
* removes saved widget state, which only bloats the file (the widgets are rebuilt when the cell runs).
"""

import re
import sys

import nbformat

TF_LOG_LINE = re.compile(r"^(WARNING: All log messages before absl::InitializeLog\(\).*|[IWEF]\d{4} [\d:.]+\s+\d+ \S+:\d+\] .*"
                         r"|To enable the following instructions: .* rebuild TensorFlow with the appropriate compiler flags\.)$")


def clean(path: str) -> None:
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.outputs:
            if output.output_type == "stream" and output.name == "stderr":
                lines = [line for line in output.text.splitlines(keepends=True) if not TF_LOG_LINE.match(line.rstrip("\n"))]
                if not "".join(lines).strip():
                    continue
                output.text = "".join(lines)
            kept.append(output)
        cell.outputs = kept
    nbformat.write(notebook, path)


if __name__ == "__main__":
    for notebook_path in sys.argv[1:]:
        clean(notebook_path)
