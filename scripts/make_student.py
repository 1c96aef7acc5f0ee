"""Build the learner edition of the notebooks from the instructor edition.

usage: python scripts/make_student.py [--out student] [NOTEBOOK ...]   (default: every notebooks/NN_*.ipynb)

In each notebook, code between "### BEGIN SOLUTION" and "### END SOLUTION" becomes a "# YOUR CODE HERE" stub that
raises NotImplementedError (indented like the markers), "### BEGIN/END HIDDEN TESTS" regions are removed, and all
outputs and execution counts are cleared. Everything else is copied unchanged. The markers are nbgrader's, so
instructors can use nbgrader's own "generate assignment" on the instructor notebooks instead.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = re.compile(r"^([ \t]*)### BEGIN SOLUTION[ \t]*\n.*?^[ \t]*### END SOLUTION[ \t]*$", re.MULTILINE | re.DOTALL)
HIDDEN_TESTS = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*\n.*?^[ \t]*### END HIDDEN TESTS[ \t]*\n?",
                          re.MULTILINE | re.DOTALL)


def student_source(source: str) -> str:
    """Replace solutions by stubs and drop hidden tests in one cell's source."""
    if source.count("### BEGIN SOLUTION") != source.count("### END SOLUTION"):
        raise ValueError(f"Unbalanced solution markers in cell:\n{source}")
    source = SOLUTION.sub(lambda m: f"{m.group(1)}# YOUR CODE HERE\n{m.group(1)}raise NotImplementedError()", source)
    return HIDDEN_TESTS.sub("", source).rstrip("\n")


def make_student(notebook_path: Path, out_dir: Path) -> Path:
    notebook = nbformat.read(notebook_path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.source = student_source(cell.source)
            cell.outputs = []
            cell.execution_count = None
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / notebook_path.name
    nbformat.write(notebook, target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "student")
    args = parser.parse_args()
    for path in args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        print(make_student(path, args.out))


if __name__ == "__main__":
    main()
