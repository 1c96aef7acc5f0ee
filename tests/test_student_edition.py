"""The learner edition: built from the instructor notebooks, equal to nbgrader's release, and it runs with every
exercise unattempted (the run is shared with the nbgrader test: the ``graded_course`` fixture)."""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

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


def exercise_start(notebook) -> int:
    """Index of the first exercise cell (a solution or a graded test cell)."""
    return next(i for i, cell in enumerate(notebook.cells)
                if cell.metadata.get("nbgrader", {}).get("solution") or cell.metadata.get("nbgrader", {}).get("grade"))


@pytest.mark.parametrize("path", INSTRUCTOR, ids=lambda p: p.stem)
def test_learner_edition_is_what_nbgrader_releases(graded_course, path, tmp_path):
    """So the blank submission that the nbgrader test executes IS the learner edition, run by a learner.
    Built from the course's copy of the notebook, which is what nbgrader released (the repository's may change)."""
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_student.py"), "--out", str(tmp_path),
                    str(graded_course.source(path.stem))], check=True, capture_output=True)
    student = nbformat.read(tmp_path / path.name, as_version=4)
    released = nbformat.read(graded_course.released(path.stem), as_version=4)
    assert [(c.cell_type, c.source) for c in student.cells] == [(c.cell_type, c.source) for c in released.cells]


@pytest.mark.parametrize("path", INSTRUCTOR, ids=lambda p: p.stem)
def test_learner_edition_runs_with_exercises_unattempted(graded_course, path):
    """The learner edition top to bottom (executed once, shared with the nbgrader test; see nbgrader_course.py):
    everything before the exercises runs without error, and every check says "not attempted yet"."""
    notebook = graded_course.executed[path.stem]["blank"]
    start = exercise_start(notebook)
    checks = 0
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        errors = [out for out in cell.outputs if out.output_type == "error"]
        text = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
        assert "✅" not in text, cell.source  # nothing passes, and no answer shows
        if index < start:
            assert not errors, f"{cell.source}\n{errors}"
        elif cell.metadata.get("nbgrader", {}).get("grade"):
            assert [e.ename for e in errors] == ["AssertionError"] and "not attempted yet" in errors[0].evalue, \
                cell.source
            checks += 1
        elif errors:  # other cells among the exercises fail only because an exercise is not done yet
            assert all(e.ename == "NotImplementedError" for e in errors), f"{cell.source}\n{errors}"
    assert checks >= 3
