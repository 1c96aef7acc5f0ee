"""``--shared-execution`` (what `make test` uses): nbval's check of every cell, on outputs the grading tests' run
produced. It must pass a run whose outputs are the committed ones and fail a changed output or an error, exactly
as nbval fails them; the run is replaced here by an edited copy of the committed notebook, so nothing executes."""

from pathlib import Path

import nbformat
import pytest

from tests import shared_execution

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "notebooks" / "01_images_as_arrays.ipynb"


class StandInCourse:
    """What SharedExecutionCell reads from the graded course: the executed solved submission of a chapter."""

    def __init__(self, solved: nbformat.NotebookNode):
        self.executed = {CHAPTER.stem: {"solved": solved}}


class Outcomes:
    """A pytest plugin that records the outcome of every cell of the inner session."""

    def __init__(self):
        self.failed: list[str] = []
        self.passed = 0

    def pytest_runtest_logreport(self, report):
        if report.when == "call":
            if report.failed:
                self.failed.append(report.nodeid.split("::")[-1])
            elif report.passed:
                self.passed += 1


def check_chapter(monkeypatch, solved: nbformat.NotebookNode) -> Outcomes:
    monkeypatch.setattr(shared_execution, "graded_course_of", lambda session: StandInCourse(solved))
    outcomes = Outcomes()
    pytest.main([str(CHAPTER), "--shared-execution", "-q", "-p", "no:cacheprovider", "--rootdir", str(ROOT)],
                plugins=[outcomes])
    return outcomes


def code_cells(notebook: nbformat.NotebookNode) -> list:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def checked_cell_with_text(notebook: nbformat.NotebookNode) -> int:
    """Index (among code cells, as nbval counts) of a compared cell that prints text."""
    return next(i for i, cell in enumerate(code_cells(notebook)) if "NBVAL_IGNORE_OUTPUT" not in cell.source
                and any(out.output_type == "stream" and out.name == "stdout" for out in cell.outputs))


def test_the_committed_outputs_pass(monkeypatch):
    outcomes = check_chapter(monkeypatch, nbformat.read(CHAPTER, as_version=4))
    assert outcomes.failed == [] and outcomes.passed == len(code_cells(nbformat.read(CHAPTER, as_version=4)))


def test_a_changed_output_fails_that_cell(monkeypatch):
    solved = nbformat.read(CHAPTER, as_version=4)
    index = checked_cell_with_text(solved)
    stream = next(out for out in code_cells(solved)[index].outputs if out.output_type == "stream")
    stream.text = stream.text.replace(stream.text.strip()[-1], "?")
    assert check_chapter(monkeypatch, solved).failed == [f"Cell {index}"]


def test_an_error_fails_that_cell_even_where_outputs_are_ignored(monkeypatch):
    solved = nbformat.read(CHAPTER, as_version=4)
    index = next(i for i, cell in enumerate(code_cells(solved)) if "NBVAL_IGNORE_OUTPUT" in cell.source)
    code_cells(solved)[index].outputs.append(nbformat.v4.new_output(
        "error", ename="ValueError", evalue="broken", traceback=["ValueError: broken"]))
    assert check_chapter(monkeypatch, solved).failed == [f"Cell {index}"]


def test_a_different_cell_source_fails(monkeypatch):
    solved = nbformat.read(CHAPTER, as_version=4)
    code_cells(solved)[0].source += "\nprint('edited after the run')"
    assert check_chapter(monkeypatch, solved).failed == ["Cell 0"]
