"""nbval's output check on the graded course's execution: every chapter runs once in `make test`, not twice.

``pytest --shared-execution notebooks/`` collects each notebook with nbval's own collector (the same items, cell
markers such as ``# NBVAL_IGNORE_OUTPUT`` and sanitising as ``--nbval``), but a cell's outputs come from the
execution that the grading tests share (tests/nbgrader_course.py) instead of from a kernel of nbval's: the learner
edition top to bottom, then the solved exercise cells, in one kernel. Every cell before the exercises is the
instructor's cell, run in order in a fresh kernel as nbval would; the exercise cells are the solved submission's,
whose sources must equal the instructor's (checked). Then nbval's comparison decides, unchanged: an error fails the
cell unless it is marked ``# NBVAL_RAISES_EXCEPTION``, and every output must match the committed one.

``pytest notebooks/NN.ipynb`` without the option runs nbval itself, with its own kernel (conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbval.plugin import IPyNbCell, IPyNbFile, coalesce_streams

from tests.nbgrader_course import INSTRUCTOR_NOTEBOOKS, graded_course_of

OPTION = "--shared-execution"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(OPTION, action="store_true", dest="shared_execution",
                     help="check the chapters' outputs with nbval's comparison on the single execution that the "
                          "grading tests share (tests/shared_execution.py), instead of running each under nbval")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if parent.config.option.shared_execution and file_path.resolve() in INSTRUCTOR_NOTEBOOKS:
        return SharedExecutionNotebook.from_parent(parent, path=file_path)
    return None


class SharedExecutionNotebook(IPyNbFile):
    """nbval's notebook collector, without a kernel of its own."""

    def setup(self) -> None:
        self.setup_sanitize_files()

    def collect(self):
        for cell in super().collect():
            yield SharedExecutionCell.from_parent(self, name=cell.name, cell_num=cell.cell_num, cell=cell.cell,
                                                  options=cell.options)


class SharedExecutionCell(IPyNbCell):
    """One code cell of a chapter: nbval's checks, on this cell's outputs from the shared execution."""

    @property
    def shared_execution_of(self) -> str:
        return self.path.stem  # the chapter the graded course must execute (see selected_notebooks)

    def runtest(self) -> None:
        if self.options["skip"]:
            pytest.skip()
        solved = graded_course_of(self.session).executed[self.path.stem]["solved"]
        executed = [cell for cell in solved.cells if cell.cell_type == "code"][self.cell_num]
        if executed.source != self.cell.source:
            self.raise_cell_error("The shared execution ran a different cell here (is the notebook changing?):\n"
                                  + executed.source)
        outputs = [nbformat.from_dict(output) for output in executed.outputs]
        errors = [output for output in outputs if output.output_type == "error"]
        if errors and not self.options["check_exception"]:
            self.raise_cell_error("Cell execution caused an exception", "\n" + "\n".join(errors[0].traceback))
        # From here on as nbval's IPyNbCell.runtest after its kernel has answered.
        outputs = coalesce_streams(outputs)
        unrun = self.cell.execution_count is None
        if unrun and self.cell.outputs:
            self.raise_cell_error("Unrun reference cell has outputs")
        if self.options["check"] and not unrun and not self.compare_outputs(outputs,
                                                                             coalesce_streams(self.cell.outputs)):
            self.raise_cell_error("Cell outputs differ", "\n".join(self.comparison_traceback))
