"""The learner edition: built from the instructor notebooks, and it runs with every exercise unattempted."""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
INSTRUCTOR = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_student.py"), "--out", str(out)], check=True,
                   capture_output=True)
    return out


def is_exercise(cell) -> bool:
    return cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution", False)


def test_every_chapter_has_at_least_three_exercises():
    assert len(INSTRUCTOR) == 6
    for path in INSTRUCTOR:
        notebook = nbformat.read(path, as_version=4)
        assert sum(is_exercise(cell) for cell in notebook.cells) >= 3, path.name
        assert sum("### BEGIN SOLUTION" in cell.source for cell in notebook.cells) >= 3, path.name


@pytest.mark.parametrize("path", INSTRUCTOR, ids=lambda p: p.stem)
def test_student_version_strips_solutions_and_keeps_the_rest(student_dir, path):
    teacher = nbformat.read(path, as_version=4)
    student = nbformat.read(student_dir / path.name, as_version=4)
    assert len(student.cells) == len(teacher.cells)
    for mine, theirs in zip(student.cells, teacher.cells):
        assert "SOLUTION" not in mine.source and "HIDDEN TESTS" not in mine.source
        if mine.cell_type == "code":
            assert mine.outputs == [] and mine.execution_count is None
        if "### BEGIN SOLUTION" in theirs.source:
            assert "# YOUR CODE HERE\n" in mine.source and "raise NotImplementedError()" in mine.source
            assert mine.source.splitlines()[0] == theirs.source.splitlines()[0]  # the def line stays
        elif "### BEGIN HIDDEN TESTS" not in theirs.source:
            assert mine.source == theirs.source.rstrip("\n") and mine.metadata == theirs.metadata


def test_stub_is_indented_like_the_markers():
    script = ROOT / "scripts" / "make_student.py"
    code = "def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n"
    result = subprocess.run([sys.executable, "-c", f"import runpy; m = runpy.run_path({str(script)!r}); "
                             f"print(m['student_source']({code!r}))"], capture_output=True, text=True, check=True)
    assert result.stdout == "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"


@pytest.mark.parametrize("path", INSTRUCTOR, ids=lambda p: p.stem)
def test_student_notebook_runs_with_exercises_unattempted(student_dir, path, tmp_path):
    notebook = nbformat.read(student_dir / path.name, as_version=4)
    env_artifacts = os.environ.get("COURSE_ARTIFACTS_DIR")
    os.environ["COURSE_ARTIFACTS_DIR"] = str(tmp_path / "artifacts")  # keep the instructor run's models apart
    try:
        NotebookClient(notebook, timeout=1200, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    finally:
        if env_artifacts is None:
            os.environ.pop("COURSE_ARTIFACTS_DIR")
        else:
            os.environ["COURSE_ARTIFACTS_DIR"] = env_artifacts
    checks = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        errors = [out for out in cell.outputs if out.output_type == "error"]
        if errors:  # only exercise cells may fail, and only because they are not done yet
            assert is_exercise(cell) and all(e.ename == "NotImplementedError" for e in errors), cell.source
        if cell.metadata.get("nbgrader", {}).get("grade"):
            text = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
            assert "not attempted yet" in text, cell.source
            checks += 1
    assert checks >= 3
