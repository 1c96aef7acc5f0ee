"""Real nbgrader (0.9.6) on every chapter: generate_assignment, validate and autograde, scores from the gradebook.

The course, the submissions and their single shared execution are built by the ``graded_course`` fixture
(tests/nbgrader_course.py). Exercises are discovered from the notebooks' nbgrader metadata, never listed here.
"""

from __future__ import annotations

import nbformat
import pytest

from helpers.exercises.core import NOT_ATTEMPTED
from tests.nbgrader_course import INSTRUCTOR_NOTEBOOKS, STUDENTS, is_graded, run_nbgrader

ASSIGNMENTS = [notebook.stem for notebook in INSTRUCTOR_NOTEBOOKS]


def graded_cells(notebook: nbformat.NotebookNode) -> list:
    return [cell for cell in notebook.cells if is_graded(cell)]


def test_nbgrader_is_the_pinned_version():
    from importlib.metadata import version

    assert version("nbgrader") == "0.9.6"


def test_generate_assignment_releases_every_chapter_without_solutions(graded_course):
    assert "ERROR" not in graded_course.generate_log, graded_course.generate_log
    for assignment in graded_course.executed:
        released = nbformat.read(graded_course.released(assignment), as_version=4)
        for cell in released.cells:
            assert "BEGIN SOLUTION" not in cell.source and "HIDDEN TESTS" not in cell.source, cell.source
            if cell.cell_type == "code":
                assert cell.outputs == [], cell.source
        assert graded_cells(released), f"{assignment} has no autograded test cell"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_autograde_gives_full_marks_to_the_solution_and_zero_to_a_blank_notebook(graded_course, assignment):
    instructor = nbformat.read(INSTRUCTOR_NOTEBOOKS[ASSIGNMENTS.index(assignment)], as_version=4)
    expected_cells = {cell.metadata.nbgrader["grade_id"]: float(cell.metadata.nbgrader["points"])
                      for cell in graded_cells(instructor)}
    solved = graded_course.scores("solved", assignment)
    blank = graded_course.scores("blank", assignment)
    assert set(solved) == set(blank) == set(expected_cells)
    assert solved == {grade_id: (points, points) for grade_id, points in expected_cells.items()}
    assert blank == {grade_id: (0.0, points) for grade_id, points in expected_cells.items()}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_graded_cells_confirm_a_solution_and_say_not_attempted_for_a_blank(graded_course, assignment):
    """What the learner sees: one confirmation line, no echoed value, nothing on stderr; or the check's error."""
    for cell in graded_cells(graded_course.autograded("solved", assignment)):
        kinds = {(out.output_type, out.get("name")) for out in cell.outputs}
        assert kinds == {("stream", "stdout")}, f"{cell.source}\n{cell.outputs}"  # no echoed value, no stderr
        assert "".join(out.text for out in cell.outputs).startswith("✅"), cell.source
    for cell in graded_cells(graded_course.autograded("blank", assignment)):
        errors = [out for out in cell.outputs if out.output_type == "error"]
        assert len(errors) == 1 and errors[0].ename == "AssertionError", f"{cell.source}\n{cell.outputs}"
        assert NOT_ATTEMPTED in errors[0].evalue, cell.source
        assert not any(out.get("name") == "stderr" for out in cell.outputs), cell.source


def validate_without_executing(path) -> dict:
    """nbgrader's Validator on an executed submission, with its own execution step left out (see nbgrader_course.py)."""
    from nbgrader.preprocessors import CheckCellMetadata
    from nbgrader.validator import Validator

    return Validator(preprocessors=[CheckCellMetadata]).validate(str(path))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_validate_fails_a_blank_notebook_and_passes_the_solution(graded_course, assignment):
    blank = validate_without_executing(graded_course.submitted("blank", assignment))
    solved = validate_without_executing(graded_course.submitted("solved", assignment))
    assert set(blank) == {"failed"} and len(blank["failed"]) == len(graded_course.scores("blank", assignment))
    assert all(NOT_ATTEMPTED in failure["raw_error"] for failure in blank["failed"])
    assert solved == {}, solved


def test_validate_executes_a_chapter_with_the_course_configuration(graded_course):
    """`nbgrader validate` as an instructor runs it, executing in a fresh kernel under docs/nbgrader_config.py
    (timeout, quick profile), on the chapter that ran fastest above: fails released, passes the solution."""
    assignment = min(graded_course.seconds, key=graded_course.seconds.get)
    released = graded_course.released(assignment)
    solved = graded_course.course / "solved_for_validation.ipynb"
    notebook = nbformat.read(graded_course.submitted("solved", assignment), as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(notebook, solved)
    report = run_nbgrader(graded_course.course, "validate", str(released), str(solved)).stdout  # in this order
    success = "Success! Your notebook passes all the tests."
    blank_report, _, solved_report = report.partition(success)
    assert "VALIDATION FAILED" in blank_report and NOT_ATTEMPTED in blank_report, report
    assert success in report and solved_report.strip() == "", report


def test_autograde_reports_no_checksum_or_cell_problems(graded_course):
    log = graded_course.autograde_log
    for problem in ("ERROR", "checksum", "has changed", "Traceback"):
        assert problem not in log, log
    assert sorted(path.name for path in (graded_course.course / "autograded").iterdir()) == sorted(STUDENTS)

